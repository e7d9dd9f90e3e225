"""The program's terms in the words a reader uses: entity types ("country or city", not GPE), statistics with what
they mean, periods ("Q3 2016"), languages, source types. Every page, table header and tooltip takes its words
from here, so a term is explained the same way everywhere."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# spaCy's and the alias list's entity types, as a teacher would name them.
ENTITY_TYPES = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "country or city",
    "LOC": "place",
    "NORP": "group (nationality, religion or politics)",
    "EVENT": "event",
    "GROUP": "armed or extremist group",
    "HACKTIVIST": "hacktivist group",
    "MEDIA_OUTLET": "media outlet",
    "PLATFORM": "online platform",
    "AGENCY": "government or police agency",
    "FAC": "building or site",
    "PRODUCT": "product",
    "LAW": "law",
    "WORK_OF_ART": "title of a work",
}


def entity_type(label: object) -> str:
    """An entity type in plain words ('GPE' → 'country or city'); unknown types in lower case."""
    text = str(label or "")
    return ENTITY_TYPES.get(text.upper(), text.replace("_", " ").lower() or "unknown")


@dataclass(frozen=True)
class Term:
    """A statistic or method: the name a reader sees, and one sentence on what it means."""

    name: str
    means: str


STATISTICS = {
    "pmi": Term("named together more often than chance",
                "How much more often two actors are named together than if they were named independently: above "
                "0, more often than chance; 0, as often; below 0, less often (pointwise mutual information)."),
    "lift": Term("times as often as overall",
                 "How many times more often this source carries the theme than all sources do: 2.0 means twice "
                 "as often; 1.0, as often. Shown only when the source has enough documents to say."),
    "ctfidf": Term("distinctive words",
                   "Words frequent in this theme's documents and rare in the others' (class-based TF-IDF): they set "
                   "the theme apart. The bar is how distinctive a word is, relative to the first."),
    "mmr": Term("varied keywords",
                "Keywords picked to cover different sides of the theme instead of repeating one idea (maximal "
                "marginal relevance)."),
    "phrases": Term("key phrases",
                    "Two- and three-word phrases used by at least 15 % of the theme's documents and rarer "
                    "elsewhere."),
    "wilson": Term("95 % interval",
                   "The range the share could plausibly take given how few or many documents the period has: "
                   "narrow with many documents, wide with few (Wilson score interval)."),
    "residual": Term("more or less than its size predicts",
                     "Whether a source carries a theme more (or less) than expected from the source's size and the "
                     "theme's size (Pearson residual)."),
    "similarity": Term("how alike their words are",
                       "1 − the cosine distance between the two themes' distinctive words: 1 means the same words."),
}


def term(key: str) -> Term:
    """A statistic's plain name and meaning."""
    return STATISTICS[key]


SOURCE_TYPES = {
    "news": "news report",
    "statement": "official statement",
    "propaganda": "propaganda (described)",
    "social": "social-media post",
    "research": "research or report",
    "other": "other",
}

LANGUAGES = {
    "en": "English", "ar": "Arabic", "fr": "French", "de": "German", "es": "Spanish", "ru": "Russian",
    "tr": "Turkish", "ur": "Urdu", "fa": "Persian", "it": "Italian", "nl": "Dutch", "pt": "Portuguese",
    "id": "Indonesian", "ms": "Malay", "ps": "Pashto", "so": "Somali", "sv": "Swedish", "da": "Danish",
    "no": "Norwegian", "pl": "Polish", "uk": "Ukrainian", "zh": "Chinese", "ja": "Japanese", "hi": "Hindi",
    "bn": "Bengali", "und": "not known",
}


def language_name(code: object) -> str:
    """A language code as its name ('ar' → 'Arabic'); an unknown code as it is."""
    text = str(code or "und")
    return LANGUAGES.get(text, text)


def source_type_name(value: object) -> str:
    """A source type in plain words."""
    return SOURCE_TYPES.get(str(value), str(value))


GRANULARITY_NAMES = {"day": "day", "week": "week", "month": "month", "quarter": "quarter (3 months)",
                     "year": "year"}


def period_name(start: object, granularity: str) -> str:
    """A period as people write it: '12 March 2016', 'week of 7 March 2016', 'March 2016', 'Q1 2016', '2016'."""
    if start is None or pd.isna(start):
        return "no date"
    day = pd.Timestamp(start)
    if granularity == "year":
        return f"{day.year}"
    if granularity == "quarter":
        return f"Q{day.quarter} {day.year}"
    if granularity == "month":
        return f"{day:%B %Y}"
    if granularity == "week":
        return f"week of {day.day} {day:%B %Y}"
    return f"{day.day} {day:%B %Y}"


def date_span(first: object, last: object) -> str:
    """A span short enough for a metric: '2014–2020', 'Mar–Jun 2016', 'Mar 2016'."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "—"
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    if a.year != b.year:
        return f"{a.year}–{b.year}"
    if a.month != b.month:
        return f"{a:%b}–{b:%b %Y}"
    return f"{a:%b %Y}"
