"""Every export a user brings, read from fixtures written here in each tool's documented shape
(tests/data/exports): detected without flags, each post stored with its UTC date-time, source, author, clean text,
language, source type and platform, every other record rejected with its reason, and a mixed ingest of all of them
shown by platform in `narrative status`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from analytics import store
from analytics.cli import main
from analytics.ingest import ingest, readers
from analytics.ingest.preview import preview

EXPORTS = Path(__file__).parent / "data" / "exports"
# More exports in their tools' documented shapes: other platforms and older versions of the same tools.
MORE = Path(__file__).parent / "data" / "exports_more"


def stored(con) -> pd.DataFrame:
    frame = con.execute("SELECT * FROM documents ORDER BY input_file, input_row").df()
    frame["platform"] = [json.loads(m or "{}").get("platform") for m in frame["metadata"]]
    return frame


def one(frame: pd.DataFrame, text_start: str) -> pd.Series:
    rows = frame[frame["text"].str.startswith(text_start)]
    assert len(rows) == 1, (text_start, list(frame["text"]))
    return rows.iloc[0]


@pytest.mark.parametrize(("name", "expected"), [
    ("telegram_chat/result.json", "telegram"), ("telegram_account/result.json", "telegram"),
    ("twitter_archive/data/tweets.js", "twitter-archive"), ("twarc2.jsonl", "twitter-api"),
    ("crowdtangle.csv", "crowdtangle"), ("junkipedia_posts.csv", "junkipedia"), ("4cat_telegram.csv", "4cat"),
    ("4cat_telegram.ndjson", "4cat-ndjson"), ("zeeschuimer.ndjson", "zeeschuimer"),
    ("gdelt_artlist.json", "gdelt-doc"), ("20191125103000.export.CSV", "gdelt-rows"),
    ("20191125103000.gkg.csv", "gdelt-rows"), ("mediacloud_stories.csv", "mediacloud"),
])
def test_each_export_is_detected_from_its_content(name, expected):
    found = readers.detect(EXPORTS / name)
    assert found is not None and found.format == expected and found.confidence >= readers.SURE


def test_a_plain_csv_goes_to_the_generic_reader(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("date,text,source\n2019-01-01,hello there,x\n", encoding="utf-8")
    found = readers.detect(path)
    assert (found.format, found.confidence) == ("csv", 0.5)


def test_telegram_chat_export(fresh_db):
    report = ingest([EXPORTS / "telegram_chat" / "result.json"], fresh_db)
    assert (report.read, report.stored, report.rejected) == (6, 4, 2)
    frame = stored(fresh_db)
    assert set(frame["source"]) == {"Example Watch Channel"} and set(frame["source_type"]) == {"social"}
    first = one(frame, "New report on channel removals")
    # date_unixtime (UTC), not the exporting computer's local time (16:03:11)
    assert first["date"] == pd.Timestamp("2019-11-22 14:03:11")
    assert first["text"] == ("New report on channel removals: https://www.example.org/report?utm_source=telegram "
                             "read it & share #OpenSource thanks @osint_desk")
    assert "{'type'" not in " ".join(frame["text"]) and "text_link" not in " ".join(frame["text"])
    assert one(frame, "Correction")["text"] == "Correction: the second list is here"
    assert one(frame, "أعلنت")["language"] == "ar"
    meta = json.loads(one(frame, "Backup links")["metadata"])
    assert meta["forwarded_from"] == "Backup Links Channel" and meta["copy_of"]["kind"] == "forward_from"
    edited = json.loads(one(frame, "Correction")["metadata"])
    assert edited["reply_to_message_id"] == 2 and edited["edited"] == "1574432700"
    reasons = list(store.rejects(fresh_db)["reason"])
    assert any("service message (create_channel)" in r for r in reasons)
    assert any("media without text (photo)" in r for r in reasons)


def test_telegram_text_link_target_is_a_url_trace(fresh_db):
    """A `text_link` shows a word ("here") and hides its target: the word stays the text, the target is evidence."""
    ingest([EXPORTS / "telegram_chat" / "result.json"], fresh_db)
    correction = one(stored(fresh_db), "Correction")["id"]
    traces = store.traces(fresh_db)
    found = traces[traces["doc_id"] == correction]
    assert set(zip(found["kind"], found["value"], strict=True)) >= {
        ("url", "https://example.net/list-two"), ("domain", "example.net")}


def test_telegram_whole_account_export(fresh_db):
    report = ingest([EXPORTS / "telegram_account" / "result.json"], fresh_db)
    assert (report.read, report.stored, report.rejected) == (4, 3, 1)
    frame = stored(fresh_db)
    assert set(frame["source"]) == {"Monitoring Group", "Saved Messages"}
    assert one(frame, "Yes, saved")["author"] == "Bob Example"
    assert one(frame, "Yes, saved")["date"] == pd.Timestamp("2020-03-02 10:05:30")


def test_twitter_archive_folder_reads_only_the_tweets(tmp_path, fresh_db):
    archive = tmp_path / "archive"
    shutil.copytree(EXPORTS / "twitter_archive", archive)
    report = ingest([archive], fresh_db)
    # like.js, account.js, the viewer's HTML page and its scripts are not posts: not read, not rejected
    assert (report.read, report.stored, report.rejected) == (3, 3, 0)
    frame = stored(fresh_db)
    assert set(frame["source"]) == {"WatchDesk"} and set(frame["author"]) == {"WatchDesk"}
    first = one(frame, "Channels")
    assert first["text"] == "Channels & bots removed in a joint action > 100 #Europol https://t.co/AbCdEf1234"
    assert first["date"] == pd.Timestamp("2019-11-22 14:03:11")
    assert first["url"] == "https://twitter.com/WatchDesk/status/1198000000000000001"
    assert (first["external_id"], first["platform"], first["source_type"]) == ("1198000000000000001", "twitter",
                                                                                "social")
    assert one(frame, "@example_desk")["language"] == "fr"


def test_twitter_archive_without_account_js_is_named_by_its_folder(tmp_path, monkeypatch, fresh_db):
    """Without account.js the archive's folder names the account: the folder above `data/`, else the one holding
    the file — given as a relative path too, and never the platform's host (twitter.com)."""
    archive = tmp_path / "twitter-2023-01-15-abc" / "data"
    archive.mkdir(parents=True)
    shutil.copy(EXPORTS / "twitter_archive" / "data" / "tweets.js", archive / "tweets.js")
    lone = tmp_path / "saved_tweets"
    lone.mkdir()
    shutil.copy(EXPORTS / "twitter_archive" / "data" / "tweets.js", lone / "tweets.js")
    monkeypatch.chdir(tmp_path)
    ingest([Path("twitter-2023-01-15-abc/data/tweets.js")], fresh_db)
    ingest([Path("saved_tweets/tweets.js")], fresh_db)
    frame = stored(fresh_db)
    assert sorted(set(frame["source"])) == ["saved_tweets", "twitter-2023-01-15-abc"]
    assert all("source_note" in json.loads(m) for m in frame["metadata"])


def test_twitter_api_v2_pages_and_flattened_tweets(fresh_db):
    report = ingest([EXPORTS / "twarc2.jsonl"], fresh_db)
    assert (report.read, report.stored, report.rejected) == (3, 3, 0)
    frame = stored(fresh_db)
    assert one(frame, "The archive")["source"] == "osint_desk"  # author from includes.users
    flat = one(frame, "Links & mirrors")  # author expanded by twarc2 flatten; &amp; unescaped
    assert (flat["source"], flat["author"]) == ("relay_account", "relay_account")
    assert flat["date"] == pd.Timestamp("2019-11-23 07:45:59")
    assert flat["language"] == "en"  # the API said "und": detected from the words
    assert report.copies_linked == 1
    rt = one(frame, "RT @osint_desk")
    linked = store.copies(fresh_db).set_index("doc_id")
    assert linked.loc[rt["id"], "original_id"] == one(frame, "The archive")["id"]


def test_twarc2_flattened_quotes_replies_and_long_tweets(tmp_path, fresh_db):
    """As `twarc2 flatten` writes them: a referenced tweet's fields sit beside its type and id (its `author`
    expanded), a reply's account in `in_reply_to_user`; a tweet over 280 characters has its whole text in
    `note_tweet` and a cut `text`."""
    origin = {"id": "1400000000000000001", "username": "origin_acct"}
    whole = ("A long thread opener about how removed channels come back under new names, why mirrors spread "
             "faster than reports, and what researchers can archive before the next takedown wave begins; "
             "with notes on each platform's appeal process and the evidence each one keeps, and for how long, too.")
    assert len(whole) > 280
    lines = [
        {"id": "1400000000000000002", "text": "Worth reading https://t.co/q1", "created_at": "2021-06-01T10:00:00.000Z",
         "author_id": "9", "lang": "en", "author": {"id": "9", "username": "quoter"},
         "referenced_tweets": [{"type": "quoted", "id": origin["id"], "text": "Original words",
                                "author_id": "6", "author": {"id": "6", "username": origin["username"]}}]},
        {"id": "1400000000000000003", "text": "@origin_acct Thanks, archived it", "lang": "en",
         "created_at": "2021-06-01T11:00:00.000Z", "author_id": "10", "author": {"id": "10", "username": "replier"},
         "in_reply_to_user_id": "6", "in_reply_to_user": {"id": "6", "username": origin["username"]},
         "referenced_tweets": [{"type": "replied_to", "id": origin["id"], "text": "Original words",
                                "author_id": "6", "author": {"id": "6", "username": origin["username"]}}]},
        {"id": "1400000000000000004", "text": whole[:270] + "…", "note_tweet": {"text": whole},
         "created_at": "2021-06-01T12:00:00.000Z", "author_id": "6", "lang": "en",
         "author": {"id": "6", "username": origin["username"]}},
    ]
    path = tmp_path / "flat.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assert ingest([path], fresh_db).stored == 3
    frame = stored(fresh_db)
    traces = store.traces(fresh_db)
    by_doc = {k: set(zip(g["kind"], g["value"], g["post_id"], strict=True)) for k, g in traces.groupby("doc_id")}
    assert ("quote_of", "origin_acct", origin["id"]) in by_doc[one(frame, "Worth reading")["id"]]
    assert ("reply_to", "origin_acct", origin["id"]) in by_doc[one(frame, "@origin_acct Thanks")["id"]]
    assert one(frame, "A long thread opener")["text"] == whole


def test_crowdtangle_page_is_the_source_and_est_becomes_utc(fresh_db):
    report = ingest([EXPORTS / "crowdtangle.csv"], fresh_db)
    assert (report.read, report.stored, report.rejected) == (3, 2, 1)
    frame = stored(fresh_db)
    post = one(frame, "Police closed")
    assert (post["source"], post["author"], post["platform"]) == ("Example Community News", "examplecommunitynews",
                                                                   "facebook")
    assert post["date"] == pd.Timestamp("2019-11-22 19:03:11")  # 14:03:11 EST
    assert one(frame, "Nous publions")["text"].endswith("des comptes supprimés & des nouveaux canaux.")
    meta = json.loads(post["metadata"])
    assert meta["link_description"] == "What the takedown means for researchers" and meta["Shares"] == "6"


def test_junkipedia_4cat_and_zeeschuimer(fresh_db):
    report = ingest([EXPORTS / "junkipedia_posts.csv", EXPORTS / "4cat_telegram.csv", EXPORTS / "4cat_telegram.ndjson",
                     EXPORTS / "zeeschuimer.ndjson"], fresh_db)
    assert report.balanced() and report.rejected == 3
    frame = stored(fresh_db)
    yt = one(frame, "Why the channel bans")
    assert (yt["source"], yt["platform"], yt["date"]) == ("Example Explainers", "youtube",
                                                          pd.Timestamp("2020-05-04 12:30:00"))
    ru = one(frame, "Новый список")
    assert (ru["source"], ru["language"], ru["date"]) == ("example_relay", "ru", pd.Timestamp("2020-05-04 13:10:00"))
    original = frame[(frame["source"] == "Backup Links Channel")].iloc[0]
    assert original["date"] == pd.Timestamp("2020-05-04 12:00:00")
    tiktok = one(frame, "How channel takedowns")
    assert (tiktok["source"], tiktok["platform"]) == ("explainer_example", "tiktok")
    assert tiktok["date"] == pd.Timestamp(1699990000, unit="s")  # posted, not collected
    x_post = one(frame, "Three mirrors")
    assert (x_post["source"], x_post["date"]) == ("desk_example", pd.Timestamp("2023-11-14 09:00:00"))
    assert "&amp;" not in x_post["text"]
    assert one(frame, "Cinq conseils")["source"] == "media_literacy_example"
    # the 4CAT forward of a message whose original (from the NDJSON) is in the corpus is linked to it
    forward = one(frame[frame["source"] == "example_relay"], "Backup links")
    linked = store.copies(fresh_db).set_index("doc_id")
    assert linked.loc[forward["id"], "original_id"] == original["id"]
    reasons = " | ".join(store.rejects(fresh_db)["reason"])
    assert "media without text (MessageMediaPhoto)" in reasons and "tiktok item without text" in reasons
    assert "row 3: media without text (photo)" in reasons  # the 4CAT CSV's photo without a caption


def test_gdelt_doc_and_rows(fresh_db):
    report = ingest([EXPORTS / "gdelt_artlist.json", EXPORTS / "20191125103000.export.CSV",
                     EXPORTS / "20191125103000.gkg.csv"], fresh_db)
    assert (report.read, report.stored, report.rejected) == (5, 4, 1)
    frame = stored(fresh_db)
    art = one(frame, "Europol takes down")
    assert (art["source"], art["date"], art["language"], art["source_type"]) == (
        "example.co.uk", pd.Timestamp("2019-11-25 10:30:00"), "en", "news")
    assert json.loads(art["metadata"])["language_given"] == "English"
    assert one(frame, "Opération")["language"] == "fr"
    event = frame[frame["url"].str.contains("europol-action", na=False)].iloc[0]
    assert event["source"] == "example.org" and "europol action against online propaganda" in event["text"]
    assert "EUROPOL" in event["text"] and event["date"] == pd.Timestamp("2019-11-25 10:30:00")
    gkg = frame[frame["url"].str.contains("example.net", na=False)].iloc[0]
    assert gkg["source"] == "example.net" and "Catherine De Bolle" in gkg["text"]
    assert "no article URL" in store.rejects(fresh_db)["reason"].iloc[0]


def test_gdelt_1_event_rows_with_a_url_are_read(tmp_path, fresh_db):
    """GDELT 1.0 daily files (since April 2013) have 58 columns: no ADM2 codes, and DATEADDED (a day) and SOURCEURL
    at the end; older rows (57 columns) have no URL and are rejected with that reason."""
    actor1 = ["USA", "UNITED STATES", "USA", "", "", "", "", "", "", ""]
    actor2 = ["", "MILITANT", "", "", "", "", "", "", "", ""]
    event = ["1", "173", "173", "17", "4", "-5.0", "6", "1", "6", "-3.2"]
    no_geo = ["0", "", "", "", "", "", ""]
    action = ["4", "Mosul, Ninawa, Iraq", "IZ", "IZ15", "36.335", "43.1189", "-1"]
    head = ["300000001", "20150218", "201502", "2015", "2015.1315"]
    daily = [*head, *actor1, *actor2, *event, *no_geo, *no_geo, *action, "20150218",
             "https://www.example.org/world/2015/02/18/militants-lose-ground-near-mosul"]
    historic = [*head, *actor1, *actor2, *event, *no_geo, *no_geo, *action, "20150218"]
    assert (len(daily), len(historic)) == (58, 57)
    path = tmp_path / "20150218.export.CSV"
    path.write_text("\t".join(daily) + "\n" + "\t".join(historic) + "\n", encoding="utf-8")
    assert readers.detect(path).format == "gdelt-rows"
    report = ingest([path], fresh_db)
    assert (report.read, report.stored, report.rejected) == (2, 1, 1)
    row = stored(fresh_db).iloc[0]
    assert (row["source"], row["date"], row["url"]) == (
        "example.org", pd.Timestamp("2015-02-18"), "https://www.example.org/world/2015/02/18/militants-lose-ground-near-mosul")
    assert "militants lose ground near mosul" in row["text"] and "Mosul, Ninawa, Iraq" in row["text"]
    meta = json.loads(row["metadata"])
    assert (meta["EventCode"], meta["ActionGeo_CountryCode"], meta["AvgTone"]) == ("173", "IZ", "-3.2")
    assert "57 columns" in store.rejects(fresh_db)["reason"].iloc[0]


def test_crowdtangle_instagram_and_a_facebook_page_in_another_zone(fresh_db):
    report = ingest([MORE / "crowdtangle_instagram.csv", MORE / "crowdtangle_facebook_cet.csv"], fresh_db)
    assert (report.read, report.stored, report.rejected) == (3, 2, 1)
    frame = stored(fresh_db)
    insta = one(frame, "Three questions")  # Instagram: `Account` is the source, `Description` the text
    assert (insta["source"], insta["author"], insta["platform"]) == ("Example Literacy Project", "example_literacy",
                                                                     "instagram")
    assert insta["date"] == pd.Timestamp("2020-07-14 13:30:00")  # 09:30 EDT
    page = one(frame, "أعلنت")
    assert (page["source"], page["platform"], page["language"]) == ("صفحة المثال", "facebook", "ar")
    assert page["date"] == pd.Timestamp("2020-01-10 19:15:00")  # 20:15 CET
    assert "row 2: Album without text" in store.rejects(fresh_db)["reason"].iloc[0]


def test_4cat_csv_of_reddit_and_4chan(fresh_db):
    report = ingest([MORE / "4cat_reddit.csv", MORE / "4cat_4chan.csv"], fresh_db)
    assert (report.read, report.stored, report.rejected) == (3, 3, 0)
    frame = stored(fresh_db)
    thread = one(frame, "Has anyone catalogued")
    assert (thread["source"], thread["author"], thread["title"], thread["platform"]) == (
        "OSINT", "example_user", "Catalogue of new channels", "reddit")
    assert thread["date"] == pd.Timestamp("2020-03-02 08:00:00")
    board = one(frame, "Anyone else see")
    assert (board["source"], board["author"], board["title"], board["source_type"]) == (
        "pol", "Anonymous", "Takedown thread", "social")


def test_telegram_export_without_date_unixtime(fresh_db):
    """Exports before 2022 have only the local `date`; a message whose sender is gone has `from: null`."""
    report = ingest([MORE / "telegram_2018" / "result.json"], fresh_db)
    assert (report.read, report.stored, report.rejected) == (2, 1, 1)
    row = stored(fresh_db).iloc[0]
    assert row["text"] == "Spoiler: the list moved and 🔥" and row["author"] == "Old Export Channel"
    assert row["date"] == pd.Timestamp("2018-05-01 12:00:00")
    meta = json.loads(row["metadata"])
    assert "no date_unixtime" in meta["date_note"] and meta["reactions"][0]["count"] == 3
    assert "media without text (sticker)" in store.rejects(fresh_db)["reason"].iloc[0]


def test_older_twitter_archive_tweet_js_and_a_second_part(fresh_db):
    report = ingest([MORE / "twitter_archive_2015"], fresh_db)
    assert (report.read, report.stored, report.rejected) == (2, 2, 0)
    frame = stored(fresh_db)
    assert set(frame["source"]) == {"OldDesk"}
    assert sorted(frame["date"]) == [pd.Timestamp("2015-05-18 09:00:00"), pd.Timestamp("2015-05-19 10:00:00")]


def test_mixed_ingest_of_every_fixture_and_status_by_platform(tmp_path):
    db = tmp_path / "mixed.duckdb"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(EXPORTS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with store.opened(db, read_only=True) as con:
        report = store.last_run(con, "ingest")["counts"]
        platforms = store.platform_table(con)
        n_docs = store.counts(con)["documents"]
    assert report["read"] == report["stored"] + report["duplicates"] + report["already_stored"] + report["rejected"]
    assert report["rejected"] == 8 and n_docs == report["stored"] == 28
    by_platform = platforms.groupby("platform")["documents"].sum().to_dict()
    assert by_platform == {"telegram": 11, "twitter": 7, "gdelt": 4, "facebook": 2, "instagram": 1, "mediacloud": 1,
                           "tiktok": 1, "youtube": 1}
    assert set(platforms[platforms["platform"] == "gdelt"]["source_type"]) == {"news"}
    assert set(platforms[platforms["platform"] == "telegram"]["source_type"]) == {"social"}
    status = runner.invoke(main, ["status", "--db", str(db)])
    assert status.exit_code == 0 and "by platform and source type:" in status.output
    for platform in by_platform:
        assert platform in status.output


def test_format_flag_and_source_type_flag(tmp_path, fresh_db):
    path = tmp_path / "export.txt"  # a twarc2 file under a name detection cannot place
    shutil.copy(EXPORTS / "twarc2.jsonl", path)
    report = ingest([path], fresh_db, fmt="twitter-api", defaults={"source_type": "propaganda"})
    assert report.stored == 3
    assert set(stored(fresh_db)["source_type"]) == {"propaganda"}


def test_account_column_is_the_source_of_a_post_csv(tmp_path, fresh_db):
    path = tmp_path / "troll_sample.csv"
    path.write_text("external_author_id,author,content,language,publish_date,followers,post_type,account_category\n"
                    "1,EXAMPLE_ACCOUNT,Breaking: more channels removed today &amp; nobody explains why,English,"
                    "1/2/2017 14:39,1052,RETWEET,RightTroll\n", encoding="utf-8")
    ingest([path], fresh_db)
    row = stored(fresh_db).iloc[0]
    assert (row["source"], row["author"], row["source_type"], row["language"]) == (
        "EXAMPLE_ACCOUNT", "EXAMPLE_ACCOUNT", "social", "en")
    assert row["text"] == "Breaking: more channels removed today & nobody explains why"
    assert row["date"] == pd.Timestamp("2017-01-02 14:39:00")


def test_preview_shows_format_mapping_doubts_and_first_rows(tmp_path):
    shown = preview(EXPORTS / "crowdtangle.csv")
    assert (shown.format, shown.platform, shown.needs_mapping) == ("crowdtangle", "facebook", False)
    assert shown.mapping["source"] == "Page Name / Account"
    assert list(shown.rows["source"]) == ["Example Community News", "Ligue Exemple"]
    assert shown.rows["date"].iloc[0] == pd.Timestamp("2019-11-22 19:03:11")
    assert shown.rejected == [(2, "Photo without text")]  # the row once: the page writes "row 2: …" itself
    odd = tmp_path / "odd.csv"
    odd.write_text("Wann,Inhalt,Wer\n2019-03-15,Die Plattformen entfernten das Video schnell.,DW\n", encoding="utf-8")
    unsure = preview(odd)
    assert unsure.needs_mapping and "no column was recognised as the text" in unsure.unsure
    assert unsure.columns == ["Wann", "Inhalt", "Wer"]
    mapped = preview(odd, column_map={"text": "Inhalt", "date": "Wann", "source": "Wer"})
    assert not mapped.needs_mapping and mapped.rows["source"].iloc[0] == "DW"


def test_readme_lists_every_format():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Input formats"):readme.index("**Nothing is lost.**")]
    for name in readers.format_names():
        assert f"`{name}`" in table, name


def test_x_api_response_page_saved_as_json(tmp_path, fresh_db):
    page = (EXPORTS / "twarc2.jsonl").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "search_page.json"
    path.write_text(json.dumps(json.loads(page), indent=2), encoding="utf-8")
    assert readers.detect(path).format == "twitter-api"
    report = ingest([path], fresh_db)
    assert (report.read, report.stored) == (2, 2)
    assert set(stored(fresh_db)["source"]) == {"osint_desk", "relay_account"}


def test_exports_whose_first_line_is_longer_than_the_head_are_detected(tmp_path):
    page = json.loads((EXPORTS / "twarc2.jsonl").read_text(encoding="utf-8").splitlines()[0])
    page["data"] = page["data"] * 400  # a page of 800 tweets: one line of ~400 kB
    long_page = tmp_path / "search.jsonl"
    long_page.write_text(json.dumps(page) + "\n", encoding="utf-8")
    assert readers.detect(long_page).format == "twitter-api"
    item = json.loads((EXPORTS / "zeeschuimer.ndjson").read_text(encoding="utf-8").splitlines()[0])
    item["data"]["padding"] = "x" * 200_000
    long_item = tmp_path / "zeeschuimer.ndjson"
    long_item.write_text(json.dumps(item) + "\n", encoding="utf-8")
    assert readers.detect(long_item).format == "zeeschuimer"


def test_author_is_the_source_when_no_outlet_or_url_names_one(tmp_path, fresh_db):
    path = tmp_path / "forum.csv"
    path.write_text("date,author,text\n2019-05-01,member_one,The list of mirrors moved again this week.\n",
                    encoding="utf-8")
    news = tmp_path / "news.csv"
    news.write_text("date,author,text,url\n2019-05-01,Jane Example,Ministers met to discuss the new rules.,"
                    "https://www.example.org/a\n", encoding="utf-8")
    ingest([path, news], fresh_db)
    sources = dict(fresh_db.execute("SELECT author, source FROM documents").fetchall())
    assert sources == {"member_one": "member_one", "Jane Example": "example.org"}  # a byline is not an outlet
