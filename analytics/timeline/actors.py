"""Actors over time: counts and document shares per period, platform shares, pairs named together (PMI)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema as s
from .intervals import wilson_interval
from .periods import dated, period_start, volume


def mention_counts(
    documents: pd.DataFrame, mentions: pd.DataFrame, granularity: str = "month", labels: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Per period and canonical actor: mentions, documents mentioning it, documents in the period, doc share.

    `mentions` is one row per mention, or one row per document and actor with its count in a `mentions` column
    (the store's doc_actors); both give the same table."""
    m = mentions if labels is None else mentions[mentions[s.LABEL].isin(labels)]
    docs = dated(documents)[[s.ID, s.DATE]]
    joined = m.merge(docs, left_on=s.DOC_ID, right_on=s.ID)
    if joined.empty:
        return actor_period_table(documents, pd.DataFrame(), granularity)
    joined[s.PERIOD] = period_start(joined[s.DATE], granularity)
    weight = joined["mentions"] if "mentions" in joined else pd.Series(1, index=joined.index)
    agg = joined.assign(_w=weight).groupby([s.PERIOD, s.CANONICAL_ID]).agg(
        mentions=("_w", "sum"), documents=(s.DOC_ID, "nunique"), **{s.CANONICAL_NAME: (s.CANONICAL_NAME, "first")}
    ).reset_index()
    return actor_period_table(documents, agg, granularity)


def actor_period_table(documents: pd.DataFrame, counts: pd.DataFrame, granularity: str = "month") -> pd.DataFrame:
    """Per-period actor counts (period, canonical_id, canonical_name, mentions, documents — from mention_counts or
    the store's actor_period_counts) completed with every period, documents in the period, share and interval."""
    columns = [s.PERIOD, s.CANONICAL_ID, s.CANONICAL_NAME, "mentions", "documents", s.TOTAL, s.SHARE, s.CI_LOW,
               s.CI_HIGH]
    docs = dated(documents)[[s.ID, s.DATE]]
    if counts.empty or docs.empty:
        return pd.DataFrame(columns=columns)
    totals = volume(docs, granularity).rename(columns={s.COUNT: s.TOTAL})[[s.PERIOD, s.TOTAL]]
    agg = counts.assign(**{s.PERIOD: pd.to_datetime(counts[s.PERIOD]).astype("datetime64[ns]")})
    ids = agg[[s.CANONICAL_ID, s.CANONICAL_NAME]].drop_duplicates(s.CANONICAL_ID)
    full = ids.merge(pd.DataFrame({s.PERIOD: totals[s.PERIOD].astype("datetime64[ns]")}), how="cross")
    out = full.merge(agg[[s.PERIOD, s.CANONICAL_ID, "mentions", "documents"]], on=[s.PERIOD, s.CANONICAL_ID],
                     how="left").fillna({"mentions": 0, "documents": 0})
    out = out.merge(totals.assign(**{s.PERIOD: totals[s.PERIOD].astype("datetime64[ns]")}), on=s.PERIOD)
    out[["mentions", "documents"]] = out[["mentions", "documents"]].astype(int)
    out[s.SHARE] = np.where(out[s.TOTAL] > 0, out["documents"] / out[s.TOTAL].where(out[s.TOTAL] > 0, 1), 0.0)
    out[s.CI_LOW], out[s.CI_HIGH] = wilson_interval(out["documents"].to_numpy(), out[s.TOTAL].to_numpy())
    return out[columns].sort_values([s.PERIOD, "mentions"], ascending=[True, False], ignore_index=True)


def platform_shares(documents: pd.DataFrame, mentions: pd.DataFrame, granularity: str = "quarter") -> pd.DataFrame:
    """The migration view: each platform's mentions as a share of all platform mentions in the period."""
    return platform_share_table(mention_counts(documents, mentions, granularity, labels=("PLATFORM",)))


def platform_share_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Platform counts per period (an actor_period_table of PLATFORM actors) with each platform's share of the
    period's platform mentions and its interval."""
    if counts.empty:
        return counts
    counts = counts.copy()
    counts["platform_total"] = counts.groupby(s.PERIOD)["mentions"].transform("sum")
    counts["platform_share"] = np.where(counts["platform_total"] > 0,
                                        counts["mentions"] / counts["platform_total"].where(
                                            counts["platform_total"] > 0, 1), 0.0)
    low, high = wilson_interval(counts["mentions"].to_numpy(), counts["platform_total"].to_numpy())
    return counts.assign(platform_ci_low=low, platform_ci_high=high)


def cooccurrence(
    documents: pd.DataFrame, mentions: pd.DataFrame, granularity: str | None = None, unit: str = "document",
    min_count: int = 2,
) -> pd.DataFrame:
    """Pairs of canonical actors named in the same document (or sentence), with counts and PMI, per period.

    PMI = log( P(a,b) / (P(a) P(b)) ) over the units (documents or sentences) of the period.
    """
    m = mentions.dropna(subset=[s.CANONICAL_ID])
    if unit == "sentence":
        m = m.assign(_unit=m[s.DOC_ID] + ":" + m[s.SENT_START].astype(str))
    else:
        m = m.assign(_unit=m[s.DOC_ID])
    docs = dated(documents)[[s.ID, s.DATE]]
    m = m.merge(docs, left_on=s.DOC_ID, right_on=s.ID)
    m[s.PERIOD] = period_start(m[s.DATE], granularity) if granularity else pd.Timestamp(0)
    units = m[[s.PERIOD, "_unit", s.CANONICAL_ID]].drop_duplicates()
    names = mentions.drop_duplicates(s.CANONICAL_ID).set_index(s.CANONICAL_ID)[s.CANONICAL_NAME]
    parts = []
    for period, group in units.groupby(s.PERIOD):
        single = group.groupby(s.CANONICAL_ID)["_unit"].nunique()
        pairs = group.merge(group, on="_unit")
        pairs = pairs[pairs[f"{s.CANONICAL_ID}_x"] < pairs[f"{s.CANONICAL_ID}_y"]]
        counts = pairs.groupby([f"{s.CANONICAL_ID}_x", f"{s.CANONICAL_ID}_y"]).size().rename(s.COUNT).reset_index()
        counts = counts.rename(columns={f"{s.CANONICAL_ID}_x": "a", f"{s.CANONICAL_ID}_y": "b"})
        counts = counts[counts[s.COUNT] >= min_count]
        parts.append(counts.assign(**{s.PERIOD: period, "a_units": counts["a"].map(single),
                                      "b_units": counts["b"].map(single), "units": group["_unit"].nunique()}))
    return pmi_table(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), names)


def pair_counts(incidence: pd.DataFrame, actors: pd.DataFrame, min_count: int = 2) -> pd.DataFrame:
    """Pairs of actors named in the same unit, per period, from (period, unit, actor) integer rows and the actors
    (actor code → canonical_id, canonical_name) — the store's actor_incidence.

    Per period the unit × actor incidence matrix X gives every pair's count at once in XᵀX (its diagonal: the
    units naming each actor), instead of joining every unit's actors with each other. Returns period, a, b,
    a_name, b_name, count, a_units, b_units, units for pmi_table."""
    from scipy import sparse

    columns = [s.PERIOD, "a", "b", "a_name", "b_name", s.COUNT, "a_units", "b_units", "units"]
    ids = actors.set_index("actor")
    periods = incidence[s.PERIOD].to_numpy()
    one_period = len(periods) == 0 or (periods[0] == periods).all()  # the Actors page: no granularity
    groups = [(periods[0] if len(periods) else None, incidence)] if one_period else incidence.groupby(s.PERIOD)
    parts = []
    for period, group in groups:
        if group.empty:
            continue
        rows = pd.factorize(group["unit"].to_numpy())[0]  # hashing, not sorting: units in any order
        x = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, group["actor"].to_numpy())),
                              shape=(rows.max() + 1, len(actors)))
        x.sum_duplicates()
        single = np.bincount(x.indices, minlength=len(actors))  # units naming each actor (once per unit)
        x.data[:] = 1
        shared = x[np.diff(x.indptr) >= 2]  # only units naming two or more actors hold pairs (few sentences do)
        together = sparse.triu(shared.T @ shared, k=1).tocoo()
        keep = together.data >= min_count
        a, b, count = together.row[keep], together.col[keep], together.data[keep]
        parts.append(pd.DataFrame({
            s.PERIOD: period, "a": ids["canonical_id"].to_numpy()[a], "b": ids["canonical_id"].to_numpy()[b],
            "a_name": ids["canonical_name"].to_numpy()[a], "b_name": ids["canonical_name"].to_numpy()[b],
            s.COUNT: count.astype(int), "a_units": single[a], "b_units": single[b], "units": x.shape[0]}))
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def pmi_table(counts: pd.DataFrame, names: pd.Series | dict | None = None) -> pd.DataFrame:
    """Pair counts (period, a, b, count, a_units, b_units, units — from cooccurrence, or pair_counts over the
    store's actor_incidence, which brings a_name and b_name) with names and PMI = log( P(a,b) / (P(a) P(b)) )
    over the period's units."""
    columns = [s.PERIOD, "a", "b", "a_name", "b_name", s.COUNT, "pmi", "units"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    n = counts["units"].astype(float)
    pmi = np.log((counts[s.COUNT] / n) / ((counts["a_units"] / n) * (counts["b_units"] / n)))
    out = counts.assign(pmi=pmi.astype(float))
    if names is not None:
        names = pd.Series(names) if isinstance(names, dict) else names
        out = out.assign(a_name=out["a"].map(names), b_name=out["b"].map(names))
    out = out.assign(a_name=out["a_name"].fillna(out["a"]), b_name=out["b_name"].fillna(out["b"]))
    out[[s.COUNT, "units"]] = out[[s.COUNT, "units"]].astype(int)
    return out[columns].sort_values([s.PERIOD, s.COUNT, "pmi"], ascending=[True, False, False], ignore_index=True)
