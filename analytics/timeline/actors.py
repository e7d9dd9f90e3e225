"""Actors over time: counts and document shares per period, platform shares, pairs named together (PMI)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema as s
from .intervals import wilson_interval
from .periods import dated, volume


def actor_period_table(documents: pd.DataFrame, counts: pd.DataFrame, granularity: str = "month") -> pd.DataFrame:
    """`actor_share_table` with the periods' totals counted from a frame of documents (id, date)."""
    docs = dated(documents)[[s.ID, s.DATE]]
    totals = volume(docs, granularity).rename(columns={s.COUNT: s.TOTAL})[[s.PERIOD, s.TOTAL]]
    return actor_share_table(counts, totals)


ACTOR_SHARE_COLUMNS = [s.PERIOD, s.CANONICAL_ID, s.CANONICAL_NAME, "mentions", "documents", s.TOTAL, s.SHARE,
                       s.CI_LOW, s.CI_HIGH]


def _periods_as_timestamps(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(**{s.PERIOD: pd.to_datetime(frame[s.PERIOD]).astype("datetime64[ns]")})


def actor_share_table(counts: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Per-period actor counts (period, canonical_id, canonical_name, mentions, documents — the store's
    actor_period_counts) completed with every period of `totals` (period, total: documents in the period, gaps
    as 0), with each actor's document share and its Wilson interval (NaN in a period without documents)."""
    if counts.empty or totals.empty:
        return pd.DataFrame(columns=ACTOR_SHARE_COLUMNS)
    totals, agg = _periods_as_timestamps(totals), _periods_as_timestamps(counts)
    ids = agg[[s.CANONICAL_ID, s.CANONICAL_NAME]].drop_duplicates(s.CANONICAL_ID)
    full = ids.merge(totals[[s.PERIOD]], how="cross")
    out = full.merge(agg[[s.PERIOD, s.CANONICAL_ID, "mentions", "documents"]], on=[s.PERIOD, s.CANONICAL_ID],
                     how="left").fillna({"mentions": 0, "documents": 0})
    out = out.merge(totals[[s.PERIOD, s.TOTAL]], on=s.PERIOD)
    return _with_shares(out).sort_values([s.PERIOD, "mentions"], ascending=[True, False], ignore_index=True)


def named_share_table(counts: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """`actor_share_table` without the completion: only the (period, actor) rows of `counts` (actors named in
    the period), with the period's total, the document share and its interval; periods in time order, the most
    named actors first."""
    if counts.empty or totals.empty:
        return pd.DataFrame(columns=ACTOR_SHARE_COLUMNS)
    out = _periods_as_timestamps(counts).merge(_periods_as_timestamps(totals)[[s.PERIOD, s.TOTAL]], on=s.PERIOD)
    return _with_shares(out).sort_values([s.PERIOD, "documents", "mentions"], ascending=[True, False, False],
                                         kind="stable", ignore_index=True)


def _with_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Actor counts with the period's documents (total) turned into the document share and its 95 % Wilson
    interval (NaN in a period without documents)."""
    out = table.copy()
    out[["mentions", "documents"]] = out[["mentions", "documents"]].astype(int)
    n = out[s.TOTAL].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out[s.SHARE] = np.where(n > 0, out["documents"] / np.where(n > 0, n, 1), np.nan)
    low, high = wilson_interval(out["documents"].to_numpy(), n)
    out[s.CI_LOW], out[s.CI_HIGH] = np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)
    return out[ACTOR_SHARE_COLUMNS]


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


PAIR_CODE_COLUMNS = [s.PERIOD, "a", "b", s.COUNT, "a_units", "b_units", "units"]
PAIR_COLUMNS = [s.PERIOD, "a", "b", "a_name", "b_name", s.COUNT, "a_units", "b_units", "units"]


def unit_numbers(units: np.ndarray) -> tuple[np.ndarray, int]:
    """Each row's unit as a small non-negative integer (equal units, equal numbers) and how many distinct units
    there are. Hashing millions of distinct 64-bit keys (pd.factorize) was most of the pairs' time at a million
    documents, so it is the last resort: document codes are small already (used as they are), and units that
    come sorted (the store sorts sentences) are numbered by their runs."""
    if len(units) == 0:
        return units.astype(np.int64), 0
    if units.min() >= 0 and units.max() < 4 * len(units) + 1024:  # dense: a bincount over them is small
        return units.astype(np.int64, copy=False), int(np.count_nonzero(np.bincount(units)))
    if (units[1:] >= units[:-1]).all():  # sorted: a new number where the unit changes
        starts = np.empty(len(units), dtype=bool)
        starts[0] = True
        np.not_equal(units[1:], units[:-1], out=starts[1:])
        numbers = np.cumsum(starts) - 1
        return numbers, int(numbers[-1]) + 1
    numbers = pd.factorize(units)[0]
    return numbers, int(numbers.max()) + 1


def pair_code_counts(incidence: pd.DataFrame, min_count: int = 2) -> pd.DataFrame:
    """Pairs of actor codes named in the same unit at least `min_count` times, per period, from (period, unit,
    actor) integer rows, one per unit and actor (the store's actor_incidence_codes): period, a, b (codes, a < b),
    count, a_units, b_units (units naming each), units (units naming any actor in the period).

    Per period the unit × actor incidence matrix X gives every pair's count at once in XᵀX, instead of joining
    every unit's actors with each other. Only actors named in `min_count` units of the period can reach it
    together, and only units naming two or more of them hold pairs: the product is over those alone (at a
    million documents, 30,000 of 390,000 actors)."""
    from scipy import sparse

    periods = incidence[s.PERIOD].to_numpy()
    one_period = len(periods) == 0 or (periods[0] == periods).all()  # the Actors page: no granularity
    groups = [(periods[0] if len(periods) else None, incidence)] if one_period else incidence.groupby(s.PERIOD)
    floor = max(int(min_count), 1)
    parts = []
    for period, group in groups:
        if group.empty:
            continue
        rows, n_units = unit_numbers(group["unit"].to_numpy())
        actors = group["actor"].to_numpy()
        single = np.bincount(actors)  # units naming each actor
        often = single[actors] >= floor
        rows, actors = rows[often], actors[often]
        shared = np.bincount(rows)[rows] >= 2  # units naming two or more of them
        rows, actors = rows[shared], actors[shared]
        if len(rows) == 0:
            continue
        columns, actor_of_column = pd.factorize(actors, sort=True)
        rows = pd.factorize(rows)[0]
        x = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, columns)),
                              shape=(int(rows.max()) + 1, len(actor_of_column)))
        together = sparse.triu(x.T @ x, k=1).tocoo()
        keep = together.data >= min_count
        a, b = actor_of_column[together.row[keep]], actor_of_column[together.col[keep]]
        parts.append(pd.DataFrame({s.PERIOD: period, "a": a, "b": b, s.COUNT: together.data[keep].astype(int),
                                   "a_units": single[a], "b_units": single[b], "units": n_units}))
    return pd.concat(parts, ignore_index=True)[PAIR_CODE_COLUMNS] if parts else pd.DataFrame(
        columns=PAIR_CODE_COLUMNS)


def named_pairs(counts: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """pair_code_counts' pairs with the actors' canonical ids and names (actors: actor code → canonical_id,
    canonical_name — the store's actor_names), each pair written with the smaller canonical id as `a`; by period,
    a, b. Returns period, a, b, a_name, b_name, count, a_units, b_units, units for pmi_table."""
    if counts.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    ids = actors.set_index("actor")
    a_id, a_name = (ids[c].reindex(counts["a"]).to_numpy() for c in ("canonical_id", "canonical_name"))
    b_id, b_name = (ids[c].reindex(counts["b"]).to_numpy() for c in ("canonical_id", "canonical_name"))
    swap = a_id > b_id
    a_units, b_units = counts["a_units"].to_numpy(), counts["b_units"].to_numpy()
    out = pd.DataFrame({
        s.PERIOD: counts[s.PERIOD].to_numpy(), "a": np.where(swap, b_id, a_id), "b": np.where(swap, a_id, b_id),
        "a_name": np.where(swap, b_name, a_name), "b_name": np.where(swap, a_name, b_name),
        s.COUNT: counts[s.COUNT].to_numpy(), "a_units": np.where(swap, b_units, a_units),
        "b_units": np.where(swap, a_units, b_units), "units": counts["units"].to_numpy()})
    return out.sort_values([s.PERIOD, "a", "b"], ignore_index=True)[PAIR_COLUMNS]


def pair_counts(incidence: pd.DataFrame, actors: pd.DataFrame, min_count: int = 2) -> pd.DataFrame:
    """Pairs of actors named in the same unit, per period, from (period, unit, actor) integer rows and the actors
    (actor code → canonical_id, canonical_name) — the store's actor_incidence: pair_code_counts, then
    named_pairs. Returns period, a, b, a_name, b_name, count, a_units, b_units, units for pmi_table."""
    return named_pairs(pair_code_counts(incidence, min_count), actors)


def pmi_table(counts: pd.DataFrame, names: pd.Series | dict | None = None) -> pd.DataFrame:
    """Pair counts (period, a, b, count, a_units, b_units, units — from pair_counts over the store's
    actor_incidence, which brings a_name and b_name) with names and PMI = log( P(a,b) / (P(a) P(b)) )
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
