"""Themes on posts: what the theme model reads of a post, copies fitted once, short posts assigned afterwards, words
that never name a theme; on the planted posts corpus, labels free of link pieces, HTML entities, stop words and
usernames, and the planted themes recovered (NMI >= 0.7) where bare BERTopic is reported beside."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analytics import store
from analytics.post_text import theme_text, unescape_fully
from analytics.topics.fitting_texts import fit_key, fitting_texts
from analytics.topics.vocabulary import handle_words, language_stop_words, theme_stop_words
from benchmarks.planted_posts import THEME_NAMES, generate, usernames, write
from benchmarks.posts_themes import label_problems, label_words, stop_words, url_pieces


@pytest.mark.parametrize(("text", "expected"), [
    ("RT @RamiAlLolah: #Aleppo under shelling https://t.co/AbC123xyz &amp;gt; pray #IslamicState via @Amaq_1",
     "Aleppo under shelling > pray Islamic State via"),
    ("RT @a: RT @b_2: the same words again t.co/xyz12 and bit.ly/3k", "the same words again and"),
    ("Retweeted words cut short, see https://t…", "Retweeted words cut short, see"),
    ("@someone thanks! &#39;quoted&#39; #Election2016", "thanks! 'quoted' Election 2016"),
    ("A plain article, 24/7 coverage by AT&T.\n\nSecond paragraph.", "A plain article, 24/7 coverage by AT&T.\n\n"
     "Second paragraph."),
])
def test_theme_text_keeps_the_words_and_drops_the_furniture(text, expected):
    assert theme_text(text) == expected


def test_an_article_without_furniture_is_its_own_theme_text():
    article = "Police said on Monday that 24/7 patrols would continue.\n\nR&D budgets were cut."
    assert theme_text(article) is article


def test_entities_escaped_twice_are_unescaped():
    assert unescape_fully("a &amp;amp; b &amp;gt; c &lt;3") == "a & b > c <3"


def test_copies_and_repeats_are_fitted_once_and_short_posts_assigned_after():
    corpus = pd.DataFrame({"id": ["a", "b", "c", "d", "e", "f", "g"], "text": [
        "Twitter suspended hundreds of accounts again overnight https://t.co/one",
        "RT @x: Twitter suspended hundreds of accounts again overnight https://t.co/one",
        "twitter suspended  hundreds of accounts again overnight https://t.co/two",  # a bot's repeat
        "So true 😂 #BanThemAll",
        "RT @y: Twitter suspended hundreds of accounts again…",  # cut short, original not linked
        "https://t.co/only-a-link",
        "Kurdish fighters retook the villages east of Mosul at dawn after heavy airstrikes",
    ]})
    copies = pd.DataFrame({"doc_id": ["b", "e"], "kind": ["retweet_of", "retweet_of"], "original_id": ["a", None]})
    texts = fitting_texts(corpus, copies, min_fit_words=6)
    assert texts.fitted["id"].tolist() == ["a", "g"]
    assert texts.assigned_after["id"].tolist() == ["d", "f"]
    reps = dict(zip(texts.frame["id"], texts.frame["representative"], strict=True))
    assert reps == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "a", "f": "f", "g": "g"}
    spread = texts.spread(pd.DataFrame({"doc_id": ["a", "g", "d"], "topic_id": [3, 5, -1],
                                        "probability": [0.9, 0.8, 0.1]}))
    assert dict(zip(spread["doc_id"], spread["topic_id"], strict=True)) == {
        "a": 3, "b": 3, "c": 3, "e": 3, "g": 5, "d": -1}
    assert texts.counts() == {"fitted_texts": 2, "repeats_fitted_once": 3, "short_assigned_after": 2}
    assert fit_key("Same Words …") == fit_key("same   words")


def test_words_that_never_name_a_theme():
    words = theme_stop_words(["en", "fr", "ar", "und"], ["sparksofirhabi5", "spicylatte123", "europol", "Amaq_1"])
    assert {"the", "don", "know", "think", "lol", "gt", "amp", "https", "t.co", "rt"} <= words
    assert {"le", "la", "est"} <= words and {"في", "من", "على"} <= words  # "Le, la & est", "في, من & على"
    assert {"sparksofirhabi5", "spicylatte123", "amaq_1"} <= words and "europol" not in words
    assert "telegram" not in words and "police" not in words
    assert handle_words(["news", "news24", "a_b"]) == {"news24", "a_b"}
    assert language_stop_words("zz") == frozenset()


def test_the_label_check_finds_what_it_looks_for():
    stop, urls = stop_words(), url_pieces(["see https://t.co/Xc81mNq2 now"])
    names = frozenset({"sparksofirhabi5"})
    assert label_problems(label_words("Https, t.co & Police"), stop, urls, names) == ["url:Https", "url:t.co"]
    assert label_problems(label_words("Gt, know & http"), stop, urls, names) == ["entity:Gt", "url:http"]
    assert label_problems(label_words("Le, la & est"), stop, urls, names) == ["stop:Le", "stop:la", "stop:est"]
    assert label_problems(["Sparksofirhabi5", "Xc81mNq2"], stop, urls, names) == [
        "username:Sparksofirhabi5", "url:Xc81mNq2"]
    assert label_problems(label_words("Telegram, channels & bots"), stop, urls, names) == []


def test_planted_posts_carry_the_furniture_and_the_truth():
    posts = generate(1500, seed=42)
    assert posts == generate(1500, seed=42) and posts != generate(1500, seed=7)
    assert {p["theme"] for p in posts} == set(THEME_NAMES)
    share = lambda cond: sum(map(cond, posts)) / len(posts)  # noqa: E731
    assert 0.2 < share(lambda p: p["text"].startswith("RT @")) < 0.3
    assert share(lambda p: "https://t.co/" in p["text"]) > 0.35
    assert share(lambda p: "&" in p["text"] and ";" in p["text"]) > 0.05
    assert share(lambda p: p["language"] != "en") > 0.05
    assert share(lambda p: len(p["text"].split()) <= 6) > 0.1
    assert len([n for n in usernames(posts) if re.search(r"\d", n)]) > 20
    for p in posts:
        if p["copy_of"] and p["text"].startswith("RT @"):
            original = next(q for q in posts if q["tweet_id"] == p["copy_of"])
            assert original["theme"] == p["theme"]


# -- the topic stage on the planted posts corpus ---------------------------------------------------------------


def planted_fit(tmp_path, n: int, profile: str) -> tuple:
    from analytics import topics
    from analytics.ingest import ingest

    posts = generate(n, seed=42)
    write(posts, tmp_path / "posts.csv")
    con = store.connect(tmp_path / "posts.duckdb")
    ingest([tmp_path / "posts.csv"], con)
    summary = topics.run_topics(con, profile=profile, refit=True)
    docs = store.documents(con, columns=["id", "external_id", "text"])
    assigned = store.doc_topic_table(con, summary["run_id"]).set_index("doc_id")["topic_id"]
    truth = {p["tweet_id"]: p["theme"] for p in posts}
    labels = [truth[str(e)] for e in docs["external_id"]]
    found = assigned.reindex(docs["id"]).fillna(-1).astype(int).to_numpy()
    table = store.topic_table(con, summary["run_id"])
    return con, posts, docs, labels, found, table, summary


@pytest.mark.flow
def test_planted_posts_labels_hold_no_link_piece_entity_stop_word_or_username(tmp_path):
    """The quick set's version (TF-IDF vectors, no model): every label is made of content words."""
    con, posts, docs, labels, found, table, summary = planted_fit(tmp_path, 900, "tfidf")
    stop, urls, names = stop_words(), url_pieces(docs["text"].tolist()), frozenset(usernames(posts))
    assert len(table) >= 4
    problems = {label: label_problems(label_words(label), stop, urls, names) for label in table["label"]}
    assert not any(problems.values()), problems
    assert summary["repeats_fitted_once"] > 200 and summary["fitted_texts"] < len(docs) - 200
    # every post has an answer, copies the same as their original
    assert set(store.doc_topic_table(con, summary["run_id"])["doc_id"]) == set(docs["id"])
    copies = store.copies(con).dropna(subset=["original_id"])
    topic_of = dict(zip(docs["id"], found, strict=True))
    assert len(copies) > 150
    assert all(topic_of[c] == topic_of[o] for c, o in zip(copies["doc_id"], copies["original_id"], strict=True))
    con.close()


@pytest.mark.slow  # the static embedding model
def test_planted_posts_themes_recover_the_planted_ones_fast_profile(tmp_path):
    from sklearn.metrics import normalized_mutual_info_score as nmi

    from analytics.embeddings import get_backend
    from analytics.topics.stage import theme_document_matrix
    from benchmarks.posts_themes import bare_bertopic

    con, posts, docs, labels, found, table, _ = planted_fit(tmp_path, 3000, "fast")
    stop, urls, names = stop_words(), url_pieces(docs["text"].tolist()), frozenset(usernames(posts))
    problems = {label: label_problems(label_words(label), stop, urls, names) for label in table["label"]}
    assert not any(problems.values()), problems
    ours = nmi(labels, found)
    matrix = theme_document_matrix(con, docs[["id", "text"]], get_backend("static"))
    bare, words = bare_bertopic(docs["text"].tolist(), matrix, seed=0)
    print(f"ours: {len(table)} themes, NMI {ours:.3f}, outliers {np.mean(found == -1):.3f}; bare BERTopic: "
          f"{len(words)} topics, NMI {nmi(labels, bare):.3f}, outliers {np.mean(bare == -1):.3f}")
    assert ours >= 0.7
    con.close()


def test_the_readme_and_the_about_page_say_how_posts_are_read():
    from pathlib import Path

    from analytics.post_text import HOW_POSTS_ARE_READ

    root = Path(__file__).resolve().parents[1]
    assert HOW_POSTS_ARE_READ.strip() in (root / "README.md").read_text(encoding="utf-8")
    assert "HOW_POSTS_ARE_READ" in (root / "analytics/app/pages/about.py").read_text(encoding="utf-8")


def test_a_multilingual_vocabulary_drops_posts_words_too():
    from analytics.languages import theme_vocabulary
    from analytics.topics.vocabulary import without_words

    texts = ["Stop the airstrikes now lol", "Stop airstrikes on Raqqa sparksofirhabi5", "la guerre est finie"]
    vocabulary = without_words(theme_vocabulary(texts, ["en", "en", "fr"]),
                               theme_stop_words(["en", "fr"], ["sparksofirhabi5"]))
    assert vocabulary.words(texts[0]) == ["airstrikes"]
    assert vocabulary.words(texts[1]) == ["airstrikes", "raqqa"]
    assert vocabulary.words(texts[2]) == ["guerre", "finie"]
