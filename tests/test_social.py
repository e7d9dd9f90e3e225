"""Traces of posts (URLs, domains, hashtags, mentions, retweet/quote/reply/forward) on texts whose right answer is
written out, URL normalisation, and copies linked to their originals in the store."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from analytics import store
from analytics.ingest import ingest, social


@pytest.mark.parametrize(("raw", "normalised"), [
    ("http://www.Example.org/a/b?utm_source=tw&utm_medium=x&id=3#top", "https://example.org/a/b?id=3"),
    ("https://example.org/?fbclid=IwAR0abc", "https://example.org"),
    ("https://m.example.com/story?gclid=1&page=2", "https://example.com/story?page=2"),
    ("www.example.net/path/", "https://example.net/path/"),
    ("https://example.org:443/x?igshid=abc&q=a+b", "https://example.org/x?q=a+b"),
    ("https://t.co/AbC123).", "https://t.co/AbC123"),
])
def test_urls_are_normalised(raw, normalised):
    assert social.normalise_url(raw) == normalised


def test_traces_of_a_retweet_with_an_expanded_link():
    text = "RT @Amaq_Watch: Claim & video https://t.co/AbC123 via @Other_User #IslamicState #2019 mail a@b.com"
    found = social.traces(text, {"urls": [{"url": "https://t.co/AbC123",
                                           "expanded": "https://www.example.org/x?utm_source=tw"}],
                                 "mentions": ["Amaq_Watch", "other_user"], "retweet_of_id": "999"})
    got = [(t.kind, t.value, t.position, t.post_id) for t in found]
    assert got == [
        ("retweet_of", "amaq_watch", 3, "999"),
        ("url", "https://example.org/x", text.index("https://t.co"), None),
        ("domain", "example.org", text.index("https://t.co"), None),
        ("mention", "other_user", text.index("@Other_User"), None),
        ("hashtag", "islamicstate", text.index("#IslamicState"), None),
    ]
    assert social.copy_of(found).kind == "retweet_of"
    # "RT @user" is never a mention; an e-mail address is not a mention; #2019 is not a tag
    assert [t.value for t in found if t.kind == "mention"] == ["other_user"]


def test_positions_point_into_the_stored_text():
    rng = random.Random(42)
    words = ["channel", "removed", "today", "report", "links", "mirror"]
    for _ in range(200):
        parts = [rng.choice(words) for _ in range(rng.randint(3, 12))]
        planted = {"mention": f"user{rng.randrange(99)}", "hashtag": f"tag{rng.choice('abc')}",
                   "url": f"https://example.org/p{rng.randrange(9)}"}
        for value in (f"@{planted['mention']}", f"#{planted['hashtag']}", planted["url"]):
            parts.insert(rng.randrange(len(parts) + 1), value)
        text = " ".join(parts)
        found = {t.kind: t for t in social.traces(text)}
        assert text[found["mention"].position:].startswith("@" + planted["mention"])
        assert text[found["hashtag"].position:].startswith("#" + planted["hashtag"])
        assert text[found["url"].position:].startswith(planted["url"])
        assert found["url"].value == planted["url"] and found["domain"].value == "example.org"


def test_bare_text_keeps_only_words():
    assert social.bare_text("RT @a_b: Hello world https://t.co/x #IslamicState @c") == "Hello world Islamic State"
    assert social.unescape("a &amp; b &gt; c &#39;d&#39;") == "a & b > c 'd'"


def test_retweets_found_by_their_prefix_are_linked_to_originals_in_any_order(tmp_path, fresh_db):
    rows = [
        # a retweet ingested before its original, and one whose original is not in the corpus
        ["2019-11-22T15:12:00Z", "relay", "RT @osint_desk: The archive of removed channels is now searchable for…"],
        ["2019-11-22T15:13:00Z", "relay", "RT @elsewhere: A post whose original we never collected."],
    ]
    first = tmp_path / "a.csv"
    pd.DataFrame(rows, columns=["created_at", "username", "tweet"]).to_csv(first, index=False)
    second = tmp_path / "b.csv"
    pd.DataFrame([["2019-11-22T15:10:00Z", "OSINT_Desk",
                   "The archive of removed channels is now searchable for researchers."]],
                 columns=["created_at", "username", "tweet"]).to_csv(second, index=False)
    assert ingest([first], fresh_db).copies_linked == 0
    assert ingest([second], fresh_db).copies_linked == 1
    docs = store.documents(fresh_db, columns=["id", "source", "text"]).set_index("text")
    copies = store.copies(fresh_db).set_index("doc_id")
    assert len(copies) == 2
    rt = docs.loc[rows[0][2], "id"]
    assert copies.loc[rt, "original_id"] == docs.loc["The archive of removed channels is now searchable for "
                                                     "researchers.", "id"]
    assert pd.isna(copies.loc[docs.loc[rows[1][2], "id"], "original_id"])
    kinds = store.traces(fresh_db)["kind"].value_counts().to_dict()
    assert kinds == {"retweet_of": 2}
