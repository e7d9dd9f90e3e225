"""Words in the texts: keyword in context, and framing lexicons counted per period."""

from __future__ import annotations

import re

import pandas as pd

from .. import schema as s
from .intervals import wilson_interval
from .periods import period_start


def keyword_in_context(documents: pd.DataFrame, term: str, width: int = 0,
                       pattern: re.Pattern[str] | None = None) -> pd.DataFrame:
    """Every sentence that contains `term` (case-insensitive, whole word), with document, date, source and the
    document's language. `pattern` replaces the plain whole-word match (the Corpus passes one that also finds
    Arabic-script spellings and proclitics: languages/search.py)."""
    pattern = pattern or re.compile(rf"(?i)(?<!\w){re.escape(term)}(?!\w)")
    rows = []
    for _, doc in documents.iterrows():
        text = doc[s.TEXT] or ""
        if not pattern.search(text):
            continue
        pos = 0
        for piece in _SENTENCE_SPLIT.split(text):
            start = text.find(piece, pos)
            pos = start + len(piece)
            for m in pattern.finditer(piece):
                rows.append({s.DOC_ID: doc[s.ID], s.DATE: doc[s.DATE], s.SOURCE: doc.get(s.SOURCE),
                             s.LANGUAGE: doc.get(s.LANGUAGE), "sentence": piece.strip(),
                             "match_start": start + m.start(), "match_end": start + m.end()})
    return pd.DataFrame(rows, columns=[s.DOC_ID, s.DATE, s.SOURCE, s.LANGUAGE, "sentence", "match_start",
                                       "match_end"])


CONCORDANCE_COLUMNS = [s.DOC_ID, s.DATE, s.SOURCE, s.SOURCE_TYPE, s.LANGUAGE, "left", "keyword", "right", "position"]


def concordance(documents: pd.DataFrame, term: str, width: int = 60,
                pattern: re.Pattern[str] | None = None) -> pd.DataFrame:
    """Keyword in context as Voyant shows it: one row per occurrence of `term` (case-insensitive, whole words;
    a phrase matches with any spacing), with up to `width` characters on each side, cut at a word boundary and
    on one line, so the keyword column lines up: doc_id, date, source, source_type, language, left, keyword,
    right, position (the keyword's offset in the text). `pattern` replaces the plain match (the Corpus passes one
    that also finds Arabic-script spellings and proclitics: languages/search.py)."""
    words = term.split()
    if not words:
        return pd.DataFrame(columns=CONCORDANCE_COLUMNS)
    pattern = pattern or re.compile(r"(?i)(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")
    rows = []
    for doc in documents.itertuples(index=False):
        text = getattr(doc, s.TEXT) or ""
        for m in pattern.finditer(text):
            left = " ".join(text[max(0, m.start() - width - 20):m.start()].split())
            if len(left) > width:
                left = "…" + left[len(left) - width:].split(" ", 1)[-1]
            right = " ".join(text[m.end():m.end() + width + 20].split())
            if len(right) > width:
                right = right[:width].rsplit(" ", 1)[0] + "…"
            rows.append({s.DOC_ID: doc.id, s.DATE: doc.date, s.SOURCE: doc.source,
                         s.SOURCE_TYPE: getattr(doc, s.SOURCE_TYPE, None), s.LANGUAGE: getattr(doc, s.LANGUAGE, None),
                         "left": left, "keyword": " ".join(m.group(0).split()), "right": right,
                         "position": m.start()})
    return pd.DataFrame(rows, columns=CONCORDANCE_COLUMNS)


# Sentence ends: . ! ? and the Arabic question mark and Urdu full stop, or a line break.
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\u061f\u06d4])\s+|\n+")
ANY_LANGUAGE = "*"  # a lexicon term without a language: looked for in documents of every language
_UNDETERMINED = {"", "und", "xx", "zxx", "mul"}


def read_lexicon(path) -> dict[str, dict[str, list[str]]]:
    """A framing lexicon: a CSV with columns frame, term and optionally language (one term per row; whole words,
    case-insensitive). Returns frame → language → terms; a term without a language (no column, or an empty
    cell) is filed under ANY_LANGUAGE and looked for in every document."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not {"frame", "term"} <= set(frame.columns):
        from ..errors import LEXICON_COLUMNS

        raise LEXICON_COLUMNS.error(path=str(path))
    frame = frame[(frame["frame"].str.strip() != "") & (frame["term"].str.strip() != "")]
    language = frame["language"].str.strip() if "language" in frame else pd.Series("", index=frame.index)
    frame = frame.assign(language=language.replace("", ANY_LANGUAGE))
    return {name: {lang: sorted(set(part["term"].str.strip())) for lang, part in group.groupby("language")}
            for name, group in frame.groupby("frame")}


def frame_languages(terms: dict[str, list[str]] | list[str]) -> str:
    """Which documents a frame is counted over, in words: "all languages", or its languages' codes ("ar, en, fr";
    "en" alone: an English-only frame)."""
    if isinstance(terms, list) or ANY_LANGUAGE in terms:
        return "all languages"
    return ", ".join(sorted(terms))


def lexicon_shares(documents: pd.DataFrame, lexicon: dict[str, dict[str, list[str]] | list[str]],
                   granularity: str = "year") -> pd.DataFrame:
    """Per period and frame: documents using at least one of the frame's terms, their share of the period's dated
    documents the frame is counted over, with a Wilson interval, and their ids — a transparent dictionary measure
    of framing beside the topic model (e.g. victory and state-building words against endurance and attrition
    words).

    `lexicon`: frame → language → terms (read_lexicon), or frame → terms for every language. A frame is counted
    over the documents in a language it has terms for (and those of undetermined language, matched against all
    its terms): an English-only frame's share is of English documents, never diluted by documents it cannot
    read. The `languages` column says which (frame_languages); without a `language` column every document is
    undetermined. Arabic-script terms are found with proclitics and spelling variants (languages/search.py)."""
    columns = [s.PERIOD, "frame", "languages", s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH, "doc_ids"]
    dated = documents[documents[s.DATE].notna()]
    if dated.empty or not lexicon:
        return pd.DataFrame(columns=columns)
    periods = period_start(dated[s.DATE], granularity)
    rows = []
    for name, terms, counted, hit in _frame_hits(dated, lexicon):
        totals = periods[counted].value_counts()
        for period in sorted(periods.unique()):
            mask = hit & counted & (periods == period)
            rows.append({s.PERIOD: period, "frame": name, "languages": frame_languages(terms),
                         s.COUNT: int(mask.sum()), s.TOTAL: int(totals.get(period, 0)),
                         "doc_ids": dated.loc[mask, s.ID].tolist()})
    out = pd.DataFrame(rows)
    out[s.SHARE] = (out[s.COUNT] / out[s.TOTAL].where(out[s.TOTAL] > 0)).astype(float)
    low, high = wilson_interval(out[s.COUNT].to_numpy(), out[s.TOTAL].to_numpy())
    return out.assign(**{s.CI_LOW: low, s.CI_HIGH: high})[columns]


def _terms_pattern(terms: list[str], term_pattern) -> re.Pattern[str] | None:  # noqa: ANN001 - a function of str
    """One case-insensitive pattern for any of the terms (None when there is none)."""
    return re.compile("|".join(term_pattern(t) for t in sorted(set(terms))), re.IGNORECASE) if terms else None


def frame_items(documents: pd.DataFrame, lexicon: dict[str, dict[str, list[str]] | list[str]]) -> pd.DataFrame:
    """One row per document (id, text, language) and frame whose words it uses: doc_id, frame — the documents
    `lexicon_shares` counts, for the findings engine to test."""
    rows = [(doc_id, name) for name, _, counted, hit in _frame_hits(documents, lexicon)
            for doc_id in documents.loc[(hit & counted).to_numpy(), s.ID]]
    return pd.DataFrame(rows, columns=[s.DOC_ID, "frame"])


def _frame_hits(documents: pd.DataFrame, lexicon: dict[str, dict[str, list[str]] | list[str]]):
    """Per frame: (name, its terms, which documents it is counted over, which of them use one of its terms)."""
    from ..languages.search import lexicon_term_pattern

    langs = (documents[s.LANGUAGE].fillna("").astype(str) if s.LANGUAGE in documents
             else pd.Series("", index=documents.index)).where(lambda x: ~x.isin(_UNDETERMINED), "")
    texts = documents[s.TEXT].fillna("")
    for name, terms in lexicon.items():
        by_language = {ANY_LANGUAGE: list(terms)} if isinstance(terms, list) else terms
        everywhere = by_language.get(ANY_LANGUAGE, [])
        patterns = {lang: _terms_pattern([*words, *everywhere], lexicon_term_pattern)
                    for lang, words in by_language.items() if lang != ANY_LANGUAGE}
        # undetermined documents: every term of the frame; other languages: the terms of no language, if any
        patterns[""] = _terms_pattern([w for words in by_language.values() for w in words], lexicon_term_pattern)
        other = _terms_pattern(everywhere, lexicon_term_pattern)
        pattern_of = [patterns.get(lang, other) for lang in langs]
        counted = pd.Series([p is not None for p in pattern_of], index=documents.index)
        hit = pd.Series([p is not None and p.search(text) is not None
                         for p, text in zip(pattern_of, texts, strict=True)], index=documents.index)
        yield name, terms, counted, hit
