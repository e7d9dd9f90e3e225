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


CONCORDANCE_COLUMNS = [s.DOC_ID, s.DATE, s.SOURCE, s.SOURCE_TYPE, s.LANGUAGE, "left", "keyword", "right", "position"]


def concordance(documents: pd.DataFrame, term: str, width: int = 60) -> pd.DataFrame:
    """Keyword in context as Voyant shows it: one row per occurrence of `term` (case-insensitive, whole words;
    a phrase matches with any spacing), with up to `width` characters on each side, cut at a word boundary and
    on one line, so the keyword column lines up: doc_id, date, source, source_type, language, left, keyword,
    right, position (the keyword's offset in the text)."""
    import re

    words = term.split()
    if not words:
        return pd.DataFrame(columns=CONCORDANCE_COLUMNS)
    pattern = re.compile(r"(?i)(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")
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


def read_lexicon(path) -> dict[str, list[str]]:
    """A framing lexicon: a CSV with columns frame,term (one term per row; whole words, case-insensitive)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not {"frame", "term"} <= set(frame.columns):
        from ..errors import LEXICON_COLUMNS

        raise LEXICON_COLUMNS.error(path=str(path))
    frame = frame[(frame["frame"].str.strip() != "") & (frame["term"].str.strip() != "")]
    return {name: sorted(set(group["term"].str.strip())) for name, group in frame.groupby("frame")}


def lexicon_shares(documents: pd.DataFrame, lexicon: dict[str, list[str]], granularity: str = "year") -> pd.DataFrame:
    """Per period and frame: documents using at least one of the frame's terms, their share of the period's dated
    documents with a Wilson interval, and their ids — a transparent dictionary measure of framing beside the
    topic model (e.g. victory and state-building words against endurance and attrition words)."""
    import re

    dated = documents[documents[s.DATE].notna()]
    if dated.empty or not lexicon:
        return pd.DataFrame(columns=[s.PERIOD, "frame", s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH, "doc_ids"])
    periods = period_start(dated[s.DATE], granularity)
    totals = periods.value_counts()
    rows = []
    texts = dated[s.TEXT].fillna("").str.lower()
    for name, terms in lexicon.items():
        pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t.lower())}(?![\w-])" for t in terms))
        hit = texts.map(lambda t, p=pattern: bool(p.search(t)))
        for period, total in totals.sort_index().items():
            mask = hit & (periods == period)
            rows.append({s.PERIOD: period, "frame": name, s.COUNT: int(mask.sum()), s.TOTAL: int(total),
                         "doc_ids": dated.loc[mask, s.ID].tolist()})
    out = pd.DataFrame(rows)
    out[s.SHARE] = out[s.COUNT] / out[s.TOTAL]
    low, high = wilson_interval(out[s.COUNT].to_numpy(), out[s.TOTAL].to_numpy())
    return out.assign(**{s.CI_LOW: low, s.CI_HIGH: high})


def framing_changes(table: pd.DataFrame) -> pd.DataFrame:
    """Per frame of a lexicon_shares table: the first change point of its share (PELT) and a sentence saying it;
    columns frame, period (None when no change), before, after, sentence."""
    from .shifts import change_points

    rows = []
    for frame, part in table.groupby("frame"):
        part = part.sort_values(s.PERIOD)
        points = change_points(part[s.SHARE].reset_index(drop=True), min_size=2)
        if points:
            k = points[0]
            before, after = part[s.SHARE].iloc[:k].mean(), part[s.SHARE].iloc[k:].mean()
            when = part[s.PERIOD].iloc[k]
            sentence = (f"“{frame}”: {before:.0%} of documents a period before {when:%Y-%m-%d}, {after:.0%} from "
                        "then on (change point by PELT).")
        else:
            when, before, after = None, None, None
            sentence = f"“{frame}”: no change point in its share."
        rows.append({"frame": frame, s.PERIOD: when, "before": before, "after": after, "sentence": sentence})
    return pd.DataFrame(rows, columns=["frame", s.PERIOD, "before", "after", "sentence"])
