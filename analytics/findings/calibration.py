"""Simulated corpora whose right answer is known, for the calibration tests and `benchmarks/calibration.py`.

Null corpora (nothing to find): constant rates; independent AR(1) attention per source type (the null of lead and
lag: the two series are independent, though each drifts); shuffled dates (a planted corpus whose date labels are
permuted across documents). Planted corpora: one subject steps up, one bursts, one reacts to an event, one leads
from "social" to "news" by two periods; the other subjects are null.

Every corpus is two frames in the engine's input shape (documents, items) plus events; each document carries each
subject independently with the rate of its period and source type.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema as s
from ..frames import among
from ..multiple_testing import ALPHA, q_values
from .counts import SUBJECT, SUBJECT_ID, SUBJECT_TYPE

SOURCE_TYPES = ("news", "social")
STEP, BURST, EVENT, LEAD = "planted step", "planted burst", "planted event", "planted lead"
PLANTED = (STEP, BURST, EVENT, LEAD)


@dataclass(frozen=True)
class Design:
    """The shape of a simulated corpus: monthly periods, documents per period and source type, null subjects."""

    periods: int = 60
    granularity: str = "month"
    start: str = "2015-01-01"
    docs_per_period: int = 50
    null_subjects: int = 16
    events: int = 8
    # Documents per period in each source type (news, social) when they differ; None: docs_per_period in each.
    docs_per_type: tuple[int, int] | None = None


@dataclass(frozen=True)
class Corpus:
    """A simulated corpus and its truth."""

    documents: pd.DataFrame
    items: pd.DataFrame
    events: pd.DataFrame
    granularity: str
    truth: dict


def _period_starts(design: Design) -> pd.DatetimeIndex:
    return pd.date_range(design.start, periods=design.periods, freq=s.PERIOD_FREQS[design.granularity])


def _documents(design: Design, rng: np.random.Generator) -> pd.DataFrame:
    starts = _period_starts(design)
    ends = starts[1:].append(pd.DatetimeIndex([starts[-1] + (starts[-1] - starts[-2])]))
    rows = []
    volumes = design.docs_per_type or (design.docs_per_period,) * len(SOURCE_TYPES)
    for t, (a, b) in enumerate(zip(starts, ends, strict=True)):
        days = (b - a).days
        for kind, volume in zip(SOURCE_TYPES, volumes, strict=True):
            n = rng.poisson(volume)
            offsets = rng.integers(0, days, n)
            sources = rng.integers(0, 5, n)
            rows += [(t, kind, a + pd.Timedelta(days=int(o)), f"{kind} outlet {src}") for o, src in
                     zip(offsets, sources, strict=True)]
    frame = pd.DataFrame(rows, columns=["t", s.SOURCE_TYPE, s.DATE, s.SOURCE])
    frame[s.ID] = [f"d{i:06d}" for i in range(len(frame))]
    return frame


def _null_rates(rng: np.random.Generator, design: Design, phi: float | None, sd: float = 0.5,
                common: bool = False) -> np.ndarray:
    """rates[subject, source type, period]: constant (phi None) or logit-AR(1) with stationary sd `sd`, either
    independent per source type or (`common`) one series both source types follow in the same periods."""
    base = rng.uniform(0.04, 0.25, design.null_subjects)
    logit = np.log(base / (1 - base))[:, None, None] * np.ones((1, len(SOURCE_TYPES), design.periods))
    if phi is not None and common:
        logit = logit + ar1(rng, (design.null_subjects, 1), design.periods, phi, sd)
    elif phi is not None:
        logit = logit + ar1(rng, (design.null_subjects, len(SOURCE_TYPES)), design.periods, phi, sd)
    return 1 / (1 + np.exp(-logit))


def ar1(rng: np.random.Generator, shape: tuple, length: int, phi: float, sd: float) -> np.ndarray:
    """Stationary AR(1) series with coefficient phi and marginal standard deviation sd, along the last axis."""
    out = np.empty((*shape, length))
    out[..., 0] = rng.normal(0, sd, shape)
    innovation = sd * np.sqrt(1 - phi**2)
    for t in range(1, length):
        out[..., t] = phi * out[..., t - 1] + rng.normal(0, innovation, shape)
    return out


def _items(documents: pd.DataFrame, rates: np.ndarray, names: list[str], rng: np.random.Generator) -> pd.DataFrame:
    kind_index = documents[s.SOURCE_TYPE].map({k: i for i, k in enumerate(SOURCE_TYPES)}).to_numpy()
    p = rates[:, kind_index, documents["t"].to_numpy()]  # subjects × documents
    hits = rng.random(p.shape) < p
    subject_rows, doc_rows = np.nonzero(hits)
    return pd.DataFrame({s.DOC_ID: documents[s.ID].to_numpy()[doc_rows], SUBJECT_TYPE: "theme",
                         SUBJECT: np.asarray(names)[subject_rows], SUBJECT_ID: np.asarray(names)[subject_rows]})


def _random_events(rng: np.random.Generator, design: Design, exclude: tuple = ()) -> pd.DataFrame:
    starts = _period_starts(design)
    span = (starts[-1] - starts[0]).days
    days = rng.integers(120, span - 120, design.events)
    dates = [starts[0] + pd.Timedelta(days=int(d)) for d in days]
    return pd.DataFrame({s.DATE: dates, "label": [f"event {i}" for i in range(len(dates))]})


def null_corpus(seed: int, design: Design = Design(), phi: float | None = None, common: bool = False) -> Corpus:
    """Nothing to find: constant rates (phi None) or logit-AR(1) attention, independent per source type or
    (`common`) shared by both in the same periods: moving together, which is no lead either."""
    rng = np.random.default_rng(seed)
    documents = _documents(design, rng)
    names = [f"theme {i}" for i in range(design.null_subjects)]
    items = _items(documents, _null_rates(rng, design, phi, common=common), names, rng)
    # Independent waves: only "no lead" holds. One shared wave: no lead, and no source type favours a subject.
    null_kinds = None if phi is None else ("lead_lag", "share_of_voice") if common else ("lead_lag",)
    truth = {"null": "all" if phi is None else "some", "null_kinds": null_kinds, "phi": phi}
    return Corpus(documents.drop(columns="t"), items, _random_events(rng, design), design.granularity, truth)


def planted_corpus(seed: int, design: Design = Design(), step: float = 2.0, burst: float = 3.0,
                   event_effect: float = 3.0, lead_sd: float = 0.7, lead_phi: float = 0.5) -> Corpus:
    """Null subjects plus four planted ones: a step (rate × `step` from the middle on), a burst (× `burst` for three
    periods), an event (× `event_effect` in the 90 days after one event), a lead (social's logit-AR(1) attention
    reaches news two periods later)."""
    rng = np.random.default_rng(seed)
    documents = _documents(design, rng)
    t_count = design.periods
    rates = list(_null_rates(rng, design, None))
    names = [f"theme {i}" for i in range(design.null_subjects)]
    starts = _period_starts(design)
    base = 0.08
    step_at = t_count // 2
    step_rates = np.full((len(SOURCE_TYPES), t_count), base)
    step_rates[:, step_at:] *= step
    burst_at = t_count // 5
    burst_rates = np.full((len(SOURCE_TYPES), t_count), base)
    burst_rates[:, burst_at:burst_at + 3] *= burst
    latent = ar1(rng, (), t_count + 2, lead_phi, lead_sd)
    lead_logit = np.log(0.12 / 0.88)
    lead_rates = np.stack([1 / (1 + np.exp(-(lead_logit + latent[:-2]))),   # news: social two periods ago
                           1 / (1 + np.exp(-(lead_logit + latent[2:])))])   # social
    rates += [step_rates, burst_rates, np.full((len(SOURCE_TYPES), t_count), base), lead_rates]
    names += [STEP, BURST, EVENT, LEAD]
    items = _items(documents, np.stack(rates), names, rng)
    events = _random_events(rng, design)
    event_day = starts[int(t_count * 0.7)] + pd.Timedelta(days=10)
    events = pd.concat([events, pd.DataFrame({s.DATE: [event_day], "label": ["the planted event"]})],
                       ignore_index=True)
    # The event subject: extra documents in the 90 days after the event, at (effect - 1) × its base rate.
    after = documents[(documents[s.DATE] >= event_day) & (documents[s.DATE] < event_day + pd.Timedelta(days=90))]
    extra = after[rng.random(len(after)) < base * (event_effect - 1) / (1 - base)]
    have = set(items.loc[items[SUBJECT] == EVENT, s.DOC_ID])
    extra = extra[~among(extra[s.ID], have)]
    items = pd.concat([items, pd.DataFrame({s.DOC_ID: extra[s.ID].to_numpy(), SUBJECT_TYPE: "theme",
                                            SUBJECT: EVENT, SUBJECT_ID: EVENT})], ignore_index=True)
    truth = {"step_period": starts[step_at], "burst": (starts[burst_at], starts[burst_at + 2]),
             "event": "the planted event", "lead": ("social", "news", 2)}
    return Corpus(documents.drop(columns="t"), items, events, design.granularity, truth)


def shuffled_dates(corpus: Corpus, seed: int) -> Corpus:
    """The same documents with their date labels permuted across documents: every time-based finding is null.

    Share of voice does not depend on dates, and the planted lead's two source types follow its wave two periods
    apart, so over the corpus's span their shares really differ a little: a share-of-voice finding about the
    planted lead is not counted false. Every other finding is."""
    rng = np.random.default_rng(seed)
    documents = corpus.documents.assign(**{s.DATE: rng.permutation(corpus.documents[s.DATE].to_numpy())})
    return Corpus(documents, corpus.items, corpus.events, corpus.granularity,
                  {"null": "all", "not_null": [("share_of_voice", LEAD)]})


def planted_found(found: list, corpus: Corpus) -> dict[str, bool]:
    """Which of the four planted effects the run called significant, each at the right place."""
    truth = corpus.truth
    sig = [f for f in found if f.significant]
    step_period = pd.Timestamp(truth["step_period"])
    tolerance = pd.DateOffset(months=2)
    burst_first, burst_last = (pd.Timestamp(x) for x in truth["burst"])
    return {
        STEP: any(f.kind == "shift" and f.subject == STEP and f.effect > 0
                  and abs(pd.Timestamp(f.period) - step_period) <= pd.Timedelta(days=62) for f in sig),
        BURST: any(f.kind == "burst" and f.subject == BURST and pd.Timestamp(f.period) <= burst_last
                   and pd.Timestamp(f.period_end) >= burst_first
                   and pd.Timestamp(f.period) >= burst_first - tolerance for f in sig),
        EVENT: any(f.kind == "event_impact" and f.subject == EVENT and f.effect > 0
                   and truth["event"] in _events_named(f) for f in sig),
        LEAD: any(f.kind == "lead_lag" and f.subject == LEAD and (f.leader, f.follower, f.lag) == truth["lead"]
                  for f in sig),
    }


def _events_named(finding) -> set[str]:
    """The events an event-impact finding names: its event and those less than event_group_days after it."""
    return {finding.details.get("event"), *(e["event"] for e in finding.details.get("events_with_it", []))}


def false_findings(found: list, corpus: Corpus) -> list:
    """Significant findings that the corpus's truth says are false."""
    if corpus.truth.get("null") == "all":
        true = set(corpus.truth.get("not_null", []))
        return [f for f in found if f.significant and (f.kind, f.subject) not in true]
    if corpus.truth.get("null") == "some":  # AR(1) corpora: the rates move, but nothing leads
        return [f for f in found if f.significant and f.kind in corpus.truth["null_kinds"]]
    return [f for f in found if f.significant and f.subject not in PLANTED]


# News writes about seven times as many documents a period as social in the uneven shared wave: the social share
# series is then much the noisier one, and of two noisy measures of one wave the less noisy one seems to move
# first to a test that looks only at lagged correlations (the classic trap of lead tests with measurement error).
UNEVEN_VOLUMES = (100, 15)


def make_corpus(name: str, seed: int, design: Design = Design(), **effects) -> Corpus:
    """A corpus by name: 'constant', 'ar1:PHI', 'common-ar1:PHI', 'uneven-common-ar1:PHI' (the shared wave with
    `UNEVEN_VOLUMES` documents a period), 'shuffled' (a planted corpus with dates permuted) or 'planted'."""
    if name.startswith("uneven-"):
        uneven = dataclasses.replace(design, docs_per_type=UNEVEN_VOLUMES)
        return make_corpus(name.removeprefix("uneven-"), seed, uneven, **effects)
    if name == "constant":
        return null_corpus(seed, design)
    if name.startswith("ar1:"):
        return null_corpus(seed, design, phi=float(name.split(":", 1)[1]))
    if name.startswith("common-ar1:"):
        return null_corpus(seed, design, phi=float(name.split(":", 1)[1]), common=True)
    if name == "shuffled":
        return shuffled_dates(planted_corpus(seed, design), seed + 10_000)
    if name == "planted":
        return planted_corpus(seed, design, **effects)
    raise ValueError(f"unknown corpus {name!r}")


def calibration_run(name: str, seeds: range, design: Design = Design(), **effects) -> dict:
    """Run the engine on one kind of simulated corpus over many seeds and count what it calls significant.

    Returns per kind: tests, raw p < 0.05, significant, false significant; per corpus: false findings; and for
    planted corpora how often each planted effect was found (power). The same counts under one Benjamini–Hochberg
    correction over every test together (the engine's correction before it was split by family; keys ending in
    `_pooled`) are returned beside them, from the same p-values, to show what the split changes."""
    from .engine import run

    per_kind: dict[str, dict[str, int]] = {}
    false_per_corpus, found_per_corpus = [], []
    false_pooled_per_corpus, found_pooled_per_corpus = [], []
    power = dict.fromkeys(PLANTED, 0)
    power_pooled = dict.fromkeys(PLANTED, 0)
    for seed in seeds:
        corpus = make_corpus(name, seed, design, **effects)
        found = run(corpus.documents, corpus.items, corpus.events, corpus.granularity)
        pooled = [dataclasses.replace(f, significant=bool(q < ALPHA))
                  for f, q in zip(found, q_values([f.p_value for f in found]), strict=True)]
        false = {id(f) for f in false_findings(found, corpus)}
        false_pooled = {id(f) for f in false_findings(pooled, corpus)}
        for f, g in zip(found, pooled, strict=True):
            row = per_kind.setdefault(f.kind, {"tests": 0, "raw": 0, "significant": 0, "false": 0,
                                               "significant_pooled": 0, "false_pooled": 0})
            row["tests"] += 1
            row["raw"] += f.p_value < 0.05
            row["significant"] += f.significant
            row["false"] += id(f) in false
            row["significant_pooled"] += g.significant
            row["false_pooled"] += id(g) in false_pooled
        false_per_corpus.append(len(false))
        found_per_corpus.append(sum(f.significant for f in found))
        false_pooled_per_corpus.append(len(false_pooled))
        found_pooled_per_corpus.append(sum(g.significant for g in pooled))
        if name == "planted":
            for key, hit in planted_found(found, corpus).items():
                power[key] += hit
            for key, hit in planted_found(pooled, corpus).items():
                power_pooled[key] += hit
    null_kinds = corpus.truth.get("null_kinds") if corpus.truth.get("null") == "some" else None
    planted = name == "planted"
    return {"corpus": name, "corpora": len(seeds), "per_kind": per_kind, "null_kinds": null_kinds,
            "false_per_corpus": false_per_corpus,
            "significant_per_corpus": found_per_corpus,
            "false_pooled_per_corpus": false_pooled_per_corpus,
            "significant_pooled_per_corpus": found_pooled_per_corpus,
            "power": {k: v / len(seeds) for k, v in power.items()} if planted else None,
            "power_pooled": {k: v / len(seeds) for k, v in power_pooled.items()} if planted else None}


def kind_tail(name: str, seeds: range, kind: str, design: Design = Design(), draws: int = 200) -> dict:
    """The null p-values of one kind of finding over many corpora, with only that kind run (cheap: no other kind's
    tests are made), against what valid independent tests would give.

    Returns the tests counted false when significant (`tests`), the share of them at raw p below 0.05, 0.01 and
    0.001, and the share of corpora with at least one and at least two false findings when the kind's family is
    corrected as in a full run (Benjamini–Hochberg within the family at alpha over the number of families); under
    `uniform`, the same two shares for independent uniform p-values in families of the same sizes (`draws` times
    each corpus, a fixed seed): the arithmetic the measured tail is judged against."""
    from .engine import FAMILIES, run
    from .settings import FindingsSettings

    families = len(set(FAMILIES.values()))
    settings = FindingsSettings(kinds=(kind,))
    counted: list[float] = []
    false_counts, sizes, exempt = [], [], []
    for seed in seeds:
        corpus = make_corpus(name, seed, design)
        found = run(corpus.documents, corpus.items, corpus.events, corpus.granularity, settings)
        q = np.minimum(q_values([f.p_value for f in found]) * families, 1.0) if found else np.zeros(0)
        flagged = [dataclasses.replace(f, significant=True) for f in found]
        false_if_found = {id(g) for g in false_findings(flagged, corpus)}  # the truth's verdict on each test
        is_false = [id(g) in false_if_found for g in flagged]
        counted += [f.p_value for f, bad in zip(found, is_false, strict=True) if bad]
        false_counts.append(sum(bool(qv < ALPHA) for qv, bad in zip(q, is_false, strict=True) if bad))
        sizes.append(len(found))
        exempt.append(len(found) - sum(is_false))
    p, false_counts, rng = np.array(counted), np.array(false_counts), np.random.default_rng(0)
    uniform = np.array([int((np.minimum(q_values(rng.random(size)) * families, 1.0)[free:] < ALPHA).sum())
                        for _ in range(draws) for size, free in zip(sizes, exempt, strict=True) if size] or [0])
    return {"corpus": name, "kind": kind, "corpora": len(seeds), "tests": len(p),
            "below": {level: float(np.mean(p < level)) if len(p) else 0.0 for level in (0.05, 0.01, 0.001)},
            "corpora_with_one": float(np.mean(false_counts >= 1)), "corpora_with_two": int((false_counts >= 2).sum()),
            "share_with_two": float(np.mean(false_counts >= 2)),
            "seeds_with_two": [seed for seed, n in zip(seeds, false_counts, strict=True) if n >= 2],
            "uniform": {"corpora_with_one": float(np.mean(uniform >= 1)),
                        "share_with_two": float(np.mean(uniform >= 2))}}


def shuffled_store_runs(documents: pd.DataFrame, items: pd.DataFrame, events: pd.DataFrame | None,
                        granularity: str, seeds: range) -> list[dict[str, int]]:
    """Significant findings per kind on the real documents with their dates permuted across documents, one dict
    per seed ('tests' counts all hypotheses). Time-based kinds should go silent; share of voice compares source
    types, which shuffling dates does not change, so it may remain."""
    from .engine import run

    out = []
    dated = documents[documents[s.DATE].notna()]
    for seed in seeds:
        rng = np.random.default_rng(seed)
        shuffled = dated.assign(**{s.DATE: rng.permutation(dated[s.DATE].to_numpy())})
        found = run(shuffled, items, events, granularity)
        counts = {"tests": len(found)}
        for f in found:
            counts[f.kind] = counts.get(f.kind, 0) + f.significant
        out.append(counts)
    return out
