"""Ingest on inputs whose right answer is known: the real seeds, a scraped page written here, CSV/JSON/
JSONL/Parquet/feed/folder inputs, a 10k-row CSV with planted duplicates and bad rows, and re-ingest."""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime

import pandas as pd
import pytest

from analytics import store
from analytics.errors import RecordRejected
from analytics.ingest import ingest
from analytics.ingest.clean import clean_scraped
from analytics.ingest.dates import find_date_in_text, parse_date

SCRAPED_PAGE = """Home
NewsSportBusinessCultureTravelOpinion
Sign up

Telegram purge leaves supporters searching for new apps

March 3, 2020, 9:15 AM UTC

Supporters of the group spent the weeks after the November action moving between smaller messaging services, according to researchers who follow the channels.

Several of the new groups on TamTam and Rocket.Chat were removed within days, and administrators posted backup links to keep their audiences together.

Analysts said the disruption was the longest the network had faced since it moved to Telegram in 2015, but warned that it could regroup.

Follow our reporter on Twitter for more.
Copyright 2020 Example Media. All rights reserved.
Five things to watch in the budget
Why the river keeps flooding
Ten best winter coats
Recruitment Genius: Data Analyst
£25000 - £30000 per annum: Recruitment Genius: A Data Analyst is required...
World minus plus
Sports minus plus
"""


def docs(con) -> pd.DataFrame:
    return con.execute("SELECT * FROM documents ORDER BY input_file, input_row").df()


def test_scraped_page_keeps_the_article_and_drops_the_furniture():
    text, title = clean_scraped(SCRAPED_PAGE)
    assert title == "Telegram purge leaves supporters searching for new apps"
    for kept in ("moving between smaller messaging services", "TamTam and Rocket.Chat", "could regroup."):
        assert kept in text
    for dropped in ("minus plus", "Recruitment Genius", "per annum", "Copyright", "Sign up", "Ten best winter coats",
                    "NewsSportBusiness", "Follow our reporter"):
        assert dropped not in text, dropped
    assert find_date_in_text(SCRAPED_PAGE) == (datetime(2020, 3, 3), "day")


def test_real_seed_articles(seeds_dir, fresh_db):
    report = ingest([seeds_dir], fresh_db)
    assert (report.read, report.stored, report.rejected) == (4, 4, 0)
    frame = docs(fresh_db).set_index(fresh_db.execute("SELECT 1").fetchone() and "input_file")
    by_name = {name.split("/")[-1][:3]: row for name, row in frame.iterrows()}
    assert by_name["000"]["date"] == pd.Timestamp("2015-11-22") and by_name["000"]["date_origin"] == "text"
    assert by_name["003"]["date"] == pd.Timestamp("2019-12-12")
    assert pd.isna(by_name["001"]["date"]) and by_name["001"]["date_precision"] == "unknown"
    assert report.undated == 2
    assert "9,200 accounts" in by_name["001"]["text"]
    assert "43,000 bots and channels" in by_name["003"]["text"]
    assert by_name["003"]["title"] == "Dealing with digital IS"
    for row in by_name.values():
        for junk in ("minus plus", "Recruitment Genius", "homescreen", "Subscribe here", "IntelligenceCryptocurrency"):
            assert junk not in row["text"], (row["input_file"], junk)
    # The Independent page's teaser list (about 700 words of other stories) is gone, its article is not.
    assert "Queer saint" not in by_name["002"]["text"] and "quiet majority of non-extremists" in by_name["002"]["text"]
    assert all(row["language"] == "en" for row in by_name.values())


@pytest.mark.parametrize(("raw", "expected"), [
    ("2015-11-22", (datetime(2015, 11, 22), "day")),
    ("2015-11", (datetime(2015, 11, 1), "month")),
    ("2015", (datetime(2015, 1, 1), "year")),
    ("November 2015", (datetime(2015, 11, 1), "month")),
    ("22 November 2015", (datetime(2015, 11, 22), "day")),
    ("2015-11-22T23:30:00+02:00", (datetime(2015, 11, 22, 21, 30), "day")),
    ("Sun, 22 Nov 2015 17:49:00 -0500", (datetime(2015, 11, 22, 22, 49), "day")),
    ("1448214540", (datetime(2015, 11, 22, 17, 49), "day")),
    (1448214540000, (datetime(2015, 11, 22, 17, 49), "day")),
    ("20151122", (datetime(2015, 11, 22), "day")),
    ("1790-01-08", (datetime(1790, 1, 8), "day")),
    ("", None),
])
def test_dates_are_parsed_with_their_precision(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(("raw", "reason"), [
    ("2099-01-01", "future"), ("yesterday-ish", "not understood"), ("1066-10-14", "before 1700"),
    ("2015-13-45", "not understood"), ("March 3", "no year"), ("253402300800000000", "out of range"),
])
def test_bad_dates_are_rejected_with_the_value(raw, reason):
    with pytest.raises(RecordRejected) as err:
        parse_date(raw)
    assert reason in err.value.reason and raw in err.value.reason


def write_csv(path, header, rows, encoding="utf-8", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_media_cloud_story_export_needs_no_flags(tmp_path, fresh_db):
    path = write_csv(tmp_path / "mc.csv",
                     ["stories_id", "publish_date", "title", "url", "language", "ap_syndicated", "media_id",
                      "media_name", "media_url"],
                     [["1001", "2019-11-25 10:01:00", "Europol and Telegram take down Islamic State propaganda channels",
                       "https://example.org/a", "en", "False", "1", "Example Times", "https://example.org"],
                      ["1002", "2019-11-26 08:00:00", "Supporters of the group move to TamTam after Telegram purge",
                       "https://example.net/b", "en", "False", "2", "Example Post", "https://example.net"]])
    report = ingest([path], fresh_db)
    assert report.stored == 2
    frame = docs(fresh_db)
    assert list(frame["source"]) == ["Example Times", "Example Post"]
    assert list(frame["external_id"]) == ["1001", "1002"]
    assert frame["text"].iloc[1].startswith("Supporters of the group move to TamTam")
    assert json.loads(frame["metadata"].iloc[0])["text_from"] == "title"
    assert frame["date"].iloc[0] == pd.Timestamp("2019-11-25 10:01:00")


def body(i: int, rng: random.Random) -> str:
    words = ["channel", "account", "platform", "group", "report", "outlet", "message", "video", "network",
             "supporters", "removed", "published", "claimed", "suspended", "researchers", "officials", "migration"]
    return f"Document {i}: " + " ".join(rng.choice(words) for _ in range(rng.randint(80, 200))) + "."


@pytest.mark.slow  # ~10 s of ingest (the quick set stays under a minute)
def test_ten_thousand_rows_every_record_accounted_for(tmp_path, fresh_db):
    rng = random.Random(7)
    rows, expected = [], {"exact": 0, "near": 0, "bad_date": 0, "empty": 0, "ragged": 0}
    for i in range(10_000):
        rows.append([str(i), f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}", f"Title {i}", body(i, rng), f"outlet{i % 9}"])
    for i in range(0, 500, 10):  # 50 exact copies: same text, source and date
        rows.append(list(rows[i]))
        expected["exact"] += 1
    for i in range(1000, 1300, 10):  # 30 near copies: one word changed, another outlet (a wire story re-run)
        rows.append([f"n{i}", rows[i][1], rows[i][2], rows[i][3] + " (Reporting by wire staff.)", "wire-reprint"])
        expected["near"] += 1
    for i in range(20):
        rows.append([f"d{i}", "not a date at all", "t", body(20_000 + i, rng), "x"])
        expected["bad_date"] += 1
    for i in range(10):
        rows.append([f"e{i}", "2016-01-01", "t", "   ", "x"])
        expected["empty"] += 1
    for i in range(5):
        rows.append([f"r{i}", "2016-01-01", "t", "text", "x", "surplus", "more"])
        expected["ragged"] += 1
    path = write_csv(tmp_path / "big.csv", ["id", "published", "headline", "body", "outlet"], rows)
    report = ingest([path], fresh_db)
    assert report.read == len(rows) == 10_115
    assert report.duplicates == expected["exact"]
    assert report.near_duplicates == expected["near"]
    assert report.rejected == expected["bad_date"] + expected["empty"] + expected["ragged"]
    assert report.stored == 10_000 + expected["near"]
    assert report.balanced()
    counts = store.counts(fresh_db)
    assert counts["documents"] == report.stored and counts["rejects"] == report.rejected
    rejects = store.rejects(fresh_db)
    assert rejects["reason"].str.contains("date not understood: 'not a date at all'").sum() == 20
    assert rejects["reason"].str.contains("7 fields but the header has 5").sum() == 5
    assert set(rejects["input_row"].dropna().astype(int)) >= {10_081, 10_115}
    assert rejects["input_file"].str.endswith("big.csv").all()
    near = fresh_db.execute("SELECT source, duplicate_of FROM documents WHERE duplicate_of IS NOT NULL").df()
    assert (near["source"] == "wire-reprint").all()
    # Re-ingesting the same file stores nothing new and says so.
    again = ingest([path], fresh_db)
    assert again.stored == 0 and again.already_stored == report.stored + report.duplicates and again.balanced()
    assert store.counts(fresh_db)["documents"] == report.stored


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_encodings(tmp_path, fresh_db, encoding):
    path = write_csv(tmp_path / f"{encoding}.csv", ["date", "text", "source"],
                     [["2015-02-20", "Le café des réfugiés à Calais, selon le reportage du journal.", "Le Monde"]],
                     encoding=encoding)
    report = ingest([path], fresh_db)
    assert report.stored == 1
    assert "café des réfugiés" in docs(fresh_db)["text"].iloc[0]


def test_invalid_utf8_and_binary_files(tmp_path, fresh_db):
    tmp_path = tmp_path / "in"  # the store lives in tmp_path itself
    tmp_path.mkdir()
    (tmp_path / "bad.txt").write_bytes(b"2015-01-01\nThe group's channel was removed \xff\xfe in a week.\n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    report = ingest([tmp_path], fresh_db)
    assert (report.read, report.stored, report.rejected) == (2, 1, 1)
    assert "binary file" in store.rejects(fresh_db)["reason"].iloc[0]


def test_json_jsonl_truncated_and_nested(tmp_path, fresh_db):
    tmp_path = tmp_path / "in"  # the store lives in tmp_path itself
    tmp_path.mkdir()
    (tmp_path / "posts.jsonl").write_text(
        '{"created_at": "2019-11-22T10:00:00Z", "text": "Channel removed after the action.", "user": {"screen_name": "a1"}}\n'
        '{"created_at": "2019-11-22T11:00:00Z", "text": "broken\n'
        '["not", "an", "object"]\n'
        '{"created_at": 1574420400, "text": "Second post about backup links.", "user": {"screen_name": "b2"}}\n',
        encoding="utf-8")
    (tmp_path / "truncated.json").write_text('[{"date": "2019-01-01", "text": "one"}, {"date": "2019-0', encoding="utf-8")
    (tmp_path / "wrapped.json").write_text(json.dumps({"status": "ok", "articles": [
        {"published": "2019-03-15", "title": "A", "content": "<p>Platforms removed <b>copies</b> of the video.</p>"
         "<script>alert(1)</script>", "source": {"name": "Wire"}}]}), encoding="utf-8")
    report = ingest([tmp_path], fresh_db)
    assert (report.read, report.stored, report.rejected) == (6, 3, 3)
    frame = docs(fresh_db)
    assert set(frame["source"]) == {"a1", "b2", "wrapped"}
    wrapped = frame[frame["source"] == "wrapped"].iloc[0]
    assert wrapped["text"] == "Platforms removed copies of the video." and "alert" not in wrapped["text"]
    assert json.loads(wrapped["metadata"])["source.name"] == "Wire"
    reasons = " | ".join(store.rejects(fresh_db)["reason"])
    assert "line 2: invalid JSON" in reasons and "line 3: a list, not an object" in reasons
    assert "invalid JSON at line 1" in reasons and "truncated" in reasons


def test_folder_with_sidecar_front_matter_and_file_name_dates(tmp_path, fresh_db):
    folder = tmp_path / "pages"
    folder.mkdir()
    para = "Researchers counted the channels that returned after the removals and found fewer each week."
    (folder / "a.txt").write_text(f"{para}\n", encoding="utf-8")
    (folder / "2016-02-05_statement.txt").write_text(f"Twitter statement\n\n{para} Second.\n", encoding="utf-8")
    (folder / "c.md").write_text(f"---\ntitle: From front matter\ndate: 2017-06-26\nsource: GIFCT\n---\n{para} Third.\n",
                                 encoding="utf-8")
    (folder / "d.html").write_text("<html><head><title>Page title</title><script>document.write('x')</script>"
                                   f"</head><body><nav>Menu</nav><article><p>{para} Fourth.</p><p>{para} Fifth.</p>"
                                   "</article></body></html>", encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    write_csv(folder / "metadata.csv", ["file", "date", "source", "source_type"],
              [["a.txt", "2015-11-18", "Telegram", "statement"]])
    (folder / "README.md").write_text("Not a document.", encoding="utf-8")
    report = ingest([folder], fresh_db)
    assert (report.read, report.stored, report.rejected) == (5, 4, 1)
    frame = docs(fresh_db).set_index("input_file")
    row = {k.split("/")[-1]: v for k, v in frame.iterrows()}
    assert (row["a.txt"]["source"], row["a.txt"]["source_type"], row["a.txt"]["date_origin"]) == \
        ("Telegram", "statement", "sidecar")
    assert row["2016-02-05_statement.txt"]["date"] == pd.Timestamp("2016-02-05")
    assert row["2016-02-05_statement.txt"]["date_origin"] == "filename"
    assert (row["c.md"]["title"], row["c.md"]["source"], row["c.md"]["date_origin"]) == \
        ("From front matter", "GIFCT", "front_matter")
    assert row["d.html"]["title"] == "Page title" and "document.write" not in row["d.html"]["text"]
    assert "unsupported file type .docx" in store.rejects(fresh_db)["reason"].iloc[0]


def test_feed_and_parquet(tmp_path, fresh_db):
    tmp_path = tmp_path / "in"  # the store lives in tmp_path itself
    tmp_path.mkdir()
    (tmp_path / "feed.rss").write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
        <item><title>Amaq claim reported</title><description>The agency claimed the attack within hours.</description>
        <pubDate>Tue, 02 Nov 2020 22:00:00 +0100</pubDate><link>https://example.org/x</link></item>
        <item><title>No date here</title><description>An item without its date.</description></item>
        </channel></rss>""", encoding="utf-8")
    pd.DataFrame({"date": ["2018-04-27", "2018-09-12"], "text": ["Europol action against Amaq servers.",
                                                                 "The Commission proposed a one-hour rule."],
                  "source": ["Europol", "European Commission"]}).to_parquet(tmp_path / "t.parquet")
    report = ingest([tmp_path], fresh_db)
    assert (report.read, report.stored, report.rejected, report.undated) == (4, 4, 0, 1)
    frame = docs(fresh_db)
    feed = frame[frame["source"] == "Example Wire"].sort_values("input_row")
    assert feed["date"].iloc[0] == pd.Timestamp("2020-11-02 21:00:00")
    assert feed["url"].iloc[0] == "https://example.org/x"
    assert set(frame["source"]) == {"Example Wire", "Europol", "European Commission"}


def test_column_mapping_flags_and_defaults(tmp_path, fresh_db):
    path = write_csv(tmp_path / "odd.tsv", ["Wann", "Inhalt", "Wer"],
                     [["2019-03-15", "Die Plattformen entfernten das Video des Anschlags in Christchurch schnell.", "DW"]],
                     delimiter="\t")
    report = ingest([path], fresh_db, column_map={"date": "Wann", "text": "Inhalt", "source": "Wer"},
                    defaults={"source_type": "news"})
    assert report.stored == 1
    row = docs(fresh_db).iloc[0]
    assert (row["source"], row["language"], row["date"]) == ("DW", "de", pd.Timestamp("2019-03-15"))


def test_missing_text_column_says_how_to_map_it(tmp_path, fresh_db):
    path = write_csv(tmp_path / "x.csv", ["when", "words"], [["2019-01-01", "something"]])
    ingest([path], fresh_db)
    reason = store.rejects(fresh_db)["reason"].iloc[0]
    assert "no text column" in reason and "--map text=COLUMN" in reason and "row 1" in reason


NEWSWIRE = """{"newspaper":"example","id":"1"}
____

news
councils report longer waits for housing
by jane example
412 words
3 march 2014
the example daily
exd
english
© 2014 example media ltd all rights reserved
councils in three regions said on monday that waiting lists for social housing had grown for a second year
the figures were published alongside a survey of tenants
© example daily
document exd0000020140303ea3300001"""

PROSE_WITH_COPYRIGHT = ("a report of 500 words\nthe committee heard that copyright law was not the issue and that "
                        "all rights reserved notices were ignored\nthe hearing ended at noon")


def test_news_database_header_and_trailer_are_removed(fresh_db, tmp_path):
    path = tmp_path / "export.csv"
    pd.DataFrame({"date": ["2014-03-03", "2014-03-04"], "source": ["example", "other"],
                  "text": [NEWSWIRE, PROSE_WITH_COPYRIGHT]}).to_csv(path, index=False)
    ingest([path], fresh_db)
    docs = store.documents(fresh_db, columns=["source", "text", "metadata"]).set_index("source")
    text = docs.loc["example", "text"]
    assert text.startswith("councils in three regions said on monday")
    assert text.endswith("published alongside a survey of tenants")
    assert "rights reserved" not in text and "document exd" not in text and "412 words" not in text
    found = json.loads(docs.loc["example", "metadata"])["newswire_furniture"]
    assert found["header_lines"] >= 10 and found["trailer_lines"] == 2
    assert found["words_stated"] == 412 and found["byline"] == "jane example"
    # ordinary text that mentions words and copyright is not a header: left as it was
    assert docs.loc["other", "text"] == PROSE_WITH_COPYRIGHT
