"""Theme words in several languages: per-language stop words, Snowball stems, one readable form per stem.

A topic model counts words to name its themes. In a corpus of several languages each language's commonest
words ("في, من & على", "le, la & est") would name themes unless every language's stop words are removed, and
one word written many ways (claims/claimed; التنظيم/والتنظيم/للتنظيم; attaque/attaques) would be counted as
many. `theme_texts` rewrites each document as the words that count: stop words of its language dropped, and every
word replaced by the commonest written form of its stem in that language, so the counts merge and the label still
reads as a word of the documents ("telegram, chaînes & قنوات", never "chaîn").

Stop words come from spaCy's lists (`spacy.lang.<code>.stop_words`, offline), English from scikit-learn's list as
the topic stage has always used it; stems from Snowball (PyStemmer). A language without either keeps its words.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module

from .arabic import has_arabic, normalise_arabic, proclitic_remainder, strip_marks

# ISO 639-1 code → Snowball algorithm name (PyStemmer).
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "et": "estonian", "eu": "basque", "fa": "persian", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian", "nb": "norwegian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}
# Words that fill news text in every language of this field without naming anything (English: the topic stage's
# own list; the others in the same spirit).
EXTRA_STOP_WORDS = {
    "en": {"said", "says", "say", "also", "would", "could", "one", "two", "new", "mr", "ms", "year", "years",
           "people", "told", "like", "just", "according", "including", "however"},
    "fr": {"selon", "ainsi", "après", "avant", "dont", "cette", "ces", "cet", "entre", "contre", "depuis", "lors",
           "encore", "aussi", "déjà", "plus", "moins", "très", "fait", "faire", "dit", "a", "ont", "été", "sont",
           "l", "d", "qu", "n", "s", "j", "c", "m", "t", "an", "ans", "année", "années", "deux", "trois"},
    "ar": {"وقال", "قال", "قالت", "وقالت", "أن", "إن", "ان", "التي", "الذي", "الذين", "وفي", "ومن", "كما", "بعد",
           "قبل", "خلال", "عبر", "حيث", "حتى", "منذ", "لدى", "إلى", "على", "عن", "مع", "بين", "أو", "ثم", "كان",
           "كانت", "وكان", "وكانت", "يكون", "تكون", "هذا", "هذه", "ذلك", "تلك", "وهو", "وهي", "فيما", "بينما",
           "أيضا", "أيضاً", "عام", "العام", "وفق", "وفقا", "بحسب", "حسب", "إنه", "أنه", "أنها", "إنها"},
}
MULTILINGUAL_MIN_SHARE = 0.02  # a corpus counts as multilingual when this share of its documents is not English
_TOKEN = re.compile(r"(?u)\b[^\W\d_][\w\-\.]*[^\W_]\b")
_UNDETERMINED = {"", "und", "xx", "zxx", "mul"}


@lru_cache(maxsize=64)
def stop_words(lang: str) -> frozenset[str]:
    """Stop words of a language (ISO 639-1 code), in matching form (lower case; Arabic normalised)."""
    words: set[str] = set(EXTRA_STOP_WORDS.get(lang, ()))
    if lang == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        words |= set(ENGLISH_STOP_WORDS)
    words |= spacy_stop_words(lang)
    return frozenset(normalise_arabic(w.lower()) for w in words)


def spacy_stop_words(lang: str) -> set[str]:
    """spaCy's stop words of a language (its `Defaults.stop_words`; empty when spaCy has none), read from its
    `stop_words.py` alone: importing the module the usual way runs the language package first, whose tokenizer
    exceptions compile for seconds (French: 5 s here, on the first visit to the theme explorer of a multilingual
    corpus, and in every fit of one). The same sets as `Defaults.stop_words` for the 29 languages compared."""
    import importlib.util
    from pathlib import Path

    found = importlib.util.find_spec("spacy")  # where spaCy is, without importing it (1.3 s)
    if found is None or not found.submodule_search_locations:
        return set()
    path = Path(next(iter(found.submodule_search_locations))) / "lang" / lang / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_narrative_stop_words_{lang}", path) if path.is_file() else None
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
            return set(module.STOP_WORDS)
        except (ImportError, AttributeError):  # a list that imports from its package: read it the usual way
            pass
    try:
        return set(import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)
    except (ImportError, AttributeError):
        return set()


@lru_cache(maxsize=64)
def stemmer(lang: str) -> Callable[[str], str] | None:
    """The Snowball stemmer of a language (a function of one word), or None when Snowball has none."""
    algorithm = SNOWBALL.get(lang)
    if algorithm is None:
        return None
    import Stemmer

    return Stemmer.Stemmer(algorithm).stemWord


def tokens(text: str) -> list[str]:
    """Lower-case word tokens in matching form, as the topic stage's vectoriser cuts them (Arabic diacritics are
    removed first: they are not word characters, so they would cut words in two)."""
    return _TOKEN.findall(normalise_arabic(text).lower())


def written_tokens(text: str) -> list[tuple[str, str]]:
    """(matching form, form as written less diacritics) of each word token: a label shows the written form
    (الدولة, not its matching form الدوله)."""
    written = _TOKEN.findall(strip_marks(text).lower())
    return [(normalise_arabic(w), w) for w in written]


def is_multilingual(languages: list[str]) -> bool:
    """True when at least MULTILINGUAL_MIN_SHARE of the documents with a known language are not in English."""
    known = [lang for lang in languages if (lang or "") not in _UNDETERMINED]
    return bool(known) and sum(lang != "en" for lang in known) / len(known) >= MULTILINGUAL_MIN_SHARE


@dataclass(frozen=True)
class ThemeVocabulary:
    """How a corpus's words are counted for its themes: each written word (matching form) → the form it is
    counted as (the commonest written form of its stem), or "" for a stop word."""

    counted_as: dict[str, str]
    languages: tuple[str, ...]

    def words(self, text: str) -> list[str]:
        """The words of a text that count, each in the form it is counted as."""
        get = self.counted_as.get
        return [w for w in (get(t, t) for t in tokens(text)) if w]

    def text(self, text: str) -> str:
        """The words that count, joined by spaces: the text a plain word counter sees."""
        return " ".join(self.words(text))

    @property
    def stop_words(self) -> frozenset[str]:
        """Every word this vocabulary drops."""
        return frozenset(w for w, to in self.counted_as.items() if not to)


def theme_vocabulary(texts: list[str], languages: list[str]) -> ThemeVocabulary:
    """The vocabulary of a corpus whose documents' languages are known (codes; und when unknown).

    A written word belongs to the language it is most often used in (so "war" in English documents is not
    German's stop word "war" unless German documents use it more); it is dropped if it is a stop word there, else
    counted as the commonest form of its stem in that language. Undetermined documents count as English."""
    use: dict[str, Counter[str]] = defaultdict(Counter)  # word → language → occurrences
    spelt: dict[str, Counter[str]] = defaultdict(Counter)  # word → its written forms → occurrences
    for text, lang in zip(texts, languages, strict=True):
        lang = "en" if (lang or "") in _UNDETERMINED else lang
        for word, written in written_tokens(text):
            use[word][lang] += 1
            spelt[word][written] += 1
    home = {word: by_lang.most_common(1)[0][0] for word, by_lang in use.items()}
    # Arabic script: Snowball's Arabic stemmer leaves a conjunction with the article (والتنظيم); a word is first
    # cut to what follows its proclitics when the corpus also uses that remainder as a word of its own.
    arabic_words = {word for word in home if has_arabic(word)}
    forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)  # (language, stem) → word → occurrences
    stems: dict[str, tuple[str, str]] = {}
    for word, lang in home.items():
        if word in stop_words(lang):
            continue
        stem = stemmer(lang)
        base = proclitic_remainder(word, arabic_words) if word in arabic_words else word
        key = (lang, stem(base) if stem else base)
        stems[word] = key
        forms[key][word] += use[word][lang]
    counted_as: dict[str, str] = {}
    for word in home:
        if word not in stems:  # a stop word
            counted_as[word] = ""
            continue
        best = forms[stems[word]].most_common()
        top = max(n for _, n in best)
        form = min(w for w, n in best if n == top)  # ties: the alphabetically first, reproducibly
        counted_as[word] = _commonest(spelt[form])  # as written: الدولة, not الدوله
    return ThemeVocabulary(counted_as, tuple(sorted(set(home.values()))))


def _commonest(counts: Counter[str]) -> str:
    """The most frequent key; ties: the alphabetically first."""
    top = max(counts.values())
    return min(w for w, n in counts.items() if n == top)
