"""Counts with their denominators: documents per period, and per subject (theme or actor) and period.

Inputs are two tidy frames:
- documents: id, date, source, source_type (one row per document; undated ones are left out);
- items: doc_id, subject_type ("theme" or "actor"), subject (label or canonical name), subject_id (one row per
  document and subject; a document may carry many subjects; repeated rows count once).
Every count is of documents, never of mentions, so a share is always "k of n documents".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .. import schema as s
from .. import timeline as tl
from ..frames import among

SUBJECT_TYPE = "subject_type"
SUBJECT = "subject"
SUBJECT_ID = "subject_id"
ITEM_COLUMNS = (s.DOC_ID, SUBJECT_TYPE, SUBJECT, SUBJECT_ID)


@dataclass(frozen=True)
class CountTable:
    """Documents and subjects laid out on the periods of one granularity.

    `docs` has one row per dated document (id, date, source, source_type, period: its period's position);
    `subjects` one row per tested subject (subject_type, subject, subject_id); `incidence` is the documents ×
    subjects 0/1 matrix; `counts[j, t]` the documents about subject j in period t and `totals[t]` all documents in
    period t.
    """

    granularity: str
    periods: pd.DatetimeIndex
    docs: pd.DataFrame
    subjects: pd.DataFrame
    incidence: sparse.csr_matrix
    counts: np.ndarray
    totals: np.ndarray

    def group_counts(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(counts[j, t], totals[t]) over the documents where `mask` is True (e.g. one source type)."""
        return _period_counts(self.incidence, self.docs["period"].to_numpy(), len(self.periods), mask)

    def window_counts(self, mask: np.ndarray) -> tuple[np.ndarray, int]:
        """Per subject, the documents about it among those where `mask` is True, and how many those are."""
        return np.asarray(self.incidence[mask].sum(axis=0)).ravel().astype(int), int(mask.sum())

    def evidence(self, subject: int, mask: np.ndarray) -> tuple[str, ...]:
        """Ids of the documents about `subject` among those where `mask` is True, by date."""
        rows = self.by_subject.indices[self.by_subject.indptr[subject]:self.by_subject.indptr[subject + 1]]
        rows = np.sort(rows[mask[rows]])
        return tuple(self._column(s.ID)[rows].tolist())

    def _column(self, name: str) -> np.ndarray:
        """A column of `docs` as a NumPy array, made once: the store hands ids over as Arrow strings, and turning
        100,000 of them into Python strings for each of thousands of findings was most of a run's time."""
        cached = self.__dict__.setdefault("_columns", {})
        if name not in cached:
            cached[name] = self.docs[name].to_numpy(dtype=object if name == s.ID else None)
        return cached[name]

    @property
    def by_subject(self) -> sparse.csc_matrix:
        """The incidence matrix by columns (one subject's documents at once)."""
        cached = self.__dict__.get("_by_subject")
        if cached is None:
            cached = self.incidence.tocsc()
            object.__setattr__(self, "_by_subject", cached)
        return cached

    def period_mask(self, first: int, stop: int) -> np.ndarray:
        """Documents whose period position is in [first, stop)."""
        period = self._column("period")
        return (period >= first) & (period < stop)

    def period_name(self, position: int) -> pd.Timestamp:
        """The start of the period at this position."""
        return self.periods[position]


def count_table(documents: pd.DataFrame, items: pd.DataFrame, granularity: str,
                min_subject_documents: int = 1) -> CountTable:
    """Lay the documents and their subjects on the periods; keep subjects with enough dated documents."""
    missing = [c for c in ITEM_COLUMNS if c not in items.columns]
    if missing:
        raise ValueError(f"items need the columns {', '.join(ITEM_COLUMNS)}; missing {', '.join(missing)}")
    docs = tl.dated(documents)[[s.ID, s.DATE, s.SOURCE, s.SOURCE_TYPE]].drop_duplicates(s.ID)
    docs = docs.assign(**{s.DATE: pd.to_datetime(docs[s.DATE])}).sort_values([s.DATE, s.ID], ignore_index=True)
    if docs.empty:
        periods = pd.DatetimeIndex([])
    else:
        periods = tl.all_periods(docs[s.DATE].min(), docs[s.DATE].max(), granularity)
    start = tl.period_start(docs[s.DATE], granularity)
    docs["period"] = periods.get_indexer(start) if len(docs) else np.array([], dtype=int)
    docs[s.SOURCE] = docs[s.SOURCE].fillna("unknown")
    docs[s.SOURCE_TYPE] = docs[s.SOURCE_TYPE].fillna("unknown")

    rows = items[list(ITEM_COLUMNS)].dropna(subset=[s.DOC_ID, SUBJECT_ID]).astype({SUBJECT_ID: str})
    position = pd.Series(np.arange(len(docs)), index=docs[s.ID])
    rows = rows[among(rows[s.DOC_ID], position.index)].drop_duplicates([s.DOC_ID, SUBJECT_TYPE, SUBJECT_ID])
    keys = rows[SUBJECT_TYPE].astype(str) + "\x1f" + rows[SUBJECT_ID]
    # each row's subject size through integer codes (a lookup of 100,000 string keys cost a tenth of a second)
    codes, _ = pd.factorize(keys)
    rows = rows[np.bincount(codes)[codes] >= min_subject_documents] if len(rows) else rows
    subjects = (rows.groupby([SUBJECT_TYPE, SUBJECT_ID], sort=True)[SUBJECT].first().reset_index()
                [[SUBJECT_TYPE, SUBJECT, SUBJECT_ID]] if len(rows)
                else pd.DataFrame(columns=[SUBJECT_TYPE, SUBJECT, SUBJECT_ID]))
    subject_keys = subjects[SUBJECT_TYPE].astype(str) + "\x1f" + subjects[SUBJECT_ID].astype(str)
    column_of = pd.Series(np.arange(len(subjects)), index=subject_keys.to_numpy())
    cols = column_of.reindex((rows[SUBJECT_TYPE].astype(str) + "\x1f" + rows[SUBJECT_ID]).to_numpy()).to_numpy()
    doc_rows = position.reindex(rows[s.DOC_ID].to_numpy()).to_numpy()
    incidence = sparse.csr_matrix((np.ones(len(cols), dtype=np.int32), (doc_rows.astype(int), cols.astype(int))),
                                  shape=(len(docs), len(subjects)))
    counts, totals = _period_counts(incidence, docs["period"].to_numpy(), len(periods), np.ones(len(docs), bool))
    return CountTable(granularity, periods, docs, subjects.reset_index(drop=True), incidence, counts, totals)


def _period_counts(incidence: sparse.csr_matrix, period: np.ndarray, n_periods: int,
                   mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(mask)
    selector = sparse.csr_matrix((np.ones(len(rows)), (period[rows], rows)), shape=(n_periods, len(period)))
    counts = np.asarray((selector @ incidence).todense()).T.astype(int)
    totals = np.bincount(period[rows], minlength=n_periods).astype(int)
    return counts, totals
