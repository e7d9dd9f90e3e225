"""Words in the texts: keyword in context, and framing lexicons counted per period."""

from __future__ import annotations

import pandas as pd

from .. import schema as s
from .intervals import wilson_interval
from .periods import period_start


def keyword_in_context(documents: pd.DataFrame, term: str, width: int = 0) -> pd.DataFrame:
    """Every sentence that contains `term` (case-insensitive, whole word), with document, date and source."""
    import re

    pattern = re.compile(rf"(?i)(?<!\w){re.escape(term)}(?!\w)")
    splitter = re.compile(r"(?<=[.!?])\s+|\n+")
    rows = []
    for _, doc in documents.iterrows():
        text = doc[s.TEXT] or ""
        if not pattern.search(text):
            continue
        pos = 0
        for piece in splitter.split(text):
            start = text.find(piece, pos)
            pos = start + len(piece)
            for m in pattern.finditer(piece):
                rows.append({s.DOC_ID: doc[s.ID], s.DATE: doc[s.DATE], s.SOURCE: doc.get(s.SOURCE),
                             "sentence": piece.strip(), "match_start": start + m.start(),
                             "match_end": start + m.end()})
    return pd.DataFrame(rows, columns=[s.DOC_ID, s.DATE, s.SOURCE, "sentence", "match_start", "match_end"])


def read_lexicon(path) -> dict[str, list[str]]:
    """A framing lexicon: a CSV with columns frame,term (one term per row; whole words, case-insensitive)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not {"frame", "term"} <= set(frame.columns):
        from ..errors import LEXICON_COLUMNS

        raise LEXICON_COLUMNS.error(path=str(path))
    frame = frame[(frame["frame"].str.strip() != "") & (frame["term"].str.strip() != "")]
    return {name: sorted(set(group["term"].str.strip())) for name, group in frame.groupby("frame")}


def _frame_hits(documents: pd.DataFrame, lexicon: dict[str, list[str]]) -> dict[str, pd.Series]:
    """Per frame, True for each document using at least one of its terms (whole words, any case)."""
    import re

    texts = documents[s.TEXT].fillna("").str.lower()
    hits = {}
    for name, terms in lexicon.items():
        pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t.lower())}(?![\w-])" for t in terms))
        hits[name] = texts.map(lambda t, p=pattern: bool(p.search(t)))
    return hits


def frame_items(documents: pd.DataFrame, lexicon: dict[str, list[str]]) -> pd.DataFrame:
    """One row per document (id, text) and frame whose words it uses: doc_id, frame."""
    rows = [(doc_id, name) for name, hit in _frame_hits(documents, lexicon).items()
            for doc_id in documents.loc[hit.to_numpy(), s.ID]]
    return pd.DataFrame(rows, columns=[s.DOC_ID, "frame"])


def lexicon_shares(documents: pd.DataFrame, lexicon: dict[str, list[str]], granularity: str = "year") -> pd.DataFrame:
    """Per period and frame: documents using at least one of the frame's terms, their share of the period's dated
    documents with a Wilson interval, and their ids — a transparent dictionary measure of framing beside the
    topic model (e.g. victory and state-building words against endurance and attrition words)."""

    dated = documents[documents[s.DATE].notna()]
    if dated.empty or not lexicon:
        return pd.DataFrame(columns=[s.PERIOD, "frame", s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH, "doc_ids"])
    periods = period_start(dated[s.DATE], granularity)
    totals = periods.value_counts()
    rows = []
    for name, hit in _frame_hits(dated, lexicon).items():
        for period, total in totals.sort_index().items():
            mask = hit & (periods == period)
            rows.append({s.PERIOD: period, "frame": name, s.COUNT: int(mask.sum()), s.TOTAL: int(total),
                         "doc_ids": dated.loc[mask, s.ID].tolist()})
    out = pd.DataFrame(rows)
    out[s.SHARE] = out[s.COUNT] / out[s.TOTAL]
    low, high = wilson_interval(out[s.COUNT].to_numpy(), out[s.TOTAL].to_numpy())
    return out.assign(**{s.CI_LOW: low, s.CI_HIGH: high})
