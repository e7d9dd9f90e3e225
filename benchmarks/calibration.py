"""Calibration of the findings engine: false-positive rates on null corpora and power on planted ones.

    python -m benchmarks.calibration [--seeds 100] [--first-seed 0] [--only NAME ...]
    python -m benchmarks.calibration --tail KIND [--seeds 1000] [--only NAME ...]

Null corpora: constant rates; independent AR(1) attention per source type with phi 0, 0.5, 0.8, 0.9 (their null
is "no lead": each series drifts, but independently, so only lead-lag findings there are false); one AR(1) wave
with phi 0.9 that both source types follow in the same periods (moving together: no lead either), with even
volumes and with news writing about seven times as many documents as social (`calibration.UNEVEN_VOLUMES`); planted
corpora with their dates shuffled across documents. Planted corpora: a step, a burst, an event effect and a
two-period lead among null subjects, at the default effect sizes and at weaker ones.
Each corpus: 60 monthly periods, ~50 documents per period in each of two source types, 16 null subjects, 8 events.

`--tail KIND`: only that kind's tests, run alone on many null corpora (cheap), and their raw p-values' tail against
nominal: the share below 0.05, 0.01 and 0.001, and the corpora with one and with two false findings when the
family is corrected as in a full run, beside the same for valid independent tests.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from analytics.findings import calibration

NULLS = ["constant", "ar1:0.0", "ar1:0.5", "ar1:0.8", "ar1:0.9", "common-ar1:0.9", "uneven-common-ar1:0.9", "shuffled"]
WEAKER = {"step": 1.5, "burst": 2.0, "event_effect": 2.0, "lead_sd": 0.5}


def _null_rows(result: dict) -> list[str]:
    name = result["corpus"]
    rows = []
    false_kinds = set(result["null_kinds"]) if result["null_kinds"] else None
    for kind, r in sorted(result["per_kind"].items()):
        null_holds = false_kinds is None or kind in false_kinds
        rows.append(f"| {name} | {kind} | {r['tests']} | {r['raw'] / r['tests']:.3f} | "
                    f"{r['significant_pooled'] / r['tests']:.3f} | {r['significant'] / r['tests']:.3f} | "
                    + (f"{r['false_pooled'] / r['tests']:.3f} | {r['false'] / r['tests']:.3f} |" if null_holds
                       else "not a null here | not a null here |"))
    tests = sum(r["tests"] for r in result["per_kind"].values())
    counted = sum(r["tests"] for k, r in result["per_kind"].items() if false_kinds is None or k in false_kinds)
    cells = []
    for key in ("false_pooled_per_corpus", "false_per_corpus"):
        false = np.array(result[key])
        cells.append(f"{false.sum() / max(counted, 1):.3f} (per corpus: mean {false.mean():.2f}, max {false.max()}, "
                     f"corpora with any {np.mean(false > 0):.1%})")
    rows.append(f"| {name} | **all** | {tests} | | | | {cells[0]} | {cells[1]} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100, help="corpora per row")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="seed of the first corpus (the CI tests use 100 for the nulls, 200 for the planted)")
    parser.add_argument("--only", nargs="+", choices=[*NULLS, "planted"],
                        help="only these rows (to run the rows as separate processes); default: every row")
    parser.add_argument("--store", help="instead: a real store, its findings and those of date-shuffled copies")
    parser.add_argument("--granularity", default="quarter", help="period for --store")
    parser.add_argument("--tail", choices=["lead_lag", "share_of_voice"],
                        help="instead: this kind alone on the null corpora of --only, its p-values' tail")
    args = parser.parse_args()
    if args.store:
        store_report(args.store, args.granularity, range(args.seeds))
        return
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    if args.tail:
        tail_table(args.tail, args.only or NULLS, seeds)
        return
    rows = args.only or [*NULLS, "planted"]
    started = time.perf_counter()
    nulls = [name for name in NULLS if name in rows]
    if nulls:
        print(f"## False positives on null corpora ({args.seeds} corpora each)\n")
        print("| corpus | kind | tests | raw p < 0.05 | significant, one BH over all | significant, by family | "
              "false findings share, one BH over all | false findings share, by family |")
        print("|---|---|---|---|---|---|---|---|")
    for name in nulls:
        for row in _null_rows(calibration.calibration_run(name, seeds)):
            print(row, flush=True)
    if "planted" in rows:
        power_table(seeds)
    print(f"\n({time.perf_counter() - started:.0f} s)")


def tail_table(kind: str, names: list[str], seeds: range) -> None:
    """One kind's null p-values on many corpora of each null: their tail against nominal and against the
    arithmetic of valid independent tests (`calibration.kind_tail`)."""
    print(f"## {kind} alone on null corpora (seeds {seeds.start}–{seeds.stop - 1})\n")
    print("| corpus | null tests | p < 0.05 | p < 0.01 | p < 0.001 | corpora with a false finding | with two "
          "(seeds) | valid independent tests: with one, with two |")
    print("|---|---|---|---|---|---|---|---|")
    for name in names:
        if name == "planted":
            continue
        started = time.process_time()
        r = calibration.kind_tail(name, seeds, kind)
        below = r["below"]
        print(f"| {name} | {r['tests']} | {below[0.05]:.4f} | {below[0.01]:.4f} | {below[0.001]:.5f} | "
              f"{r['corpora_with_one']:.2%} | {r['corpora_with_two']} ({', '.join(map(str, r['seeds_with_two']))}) | "
              f"{r['uniform']['corpora_with_one']:.2%}, {r['uniform']['share_with_two']:.3%} |", flush=True)
        print(f"<!-- {name}: {time.process_time() - started:.0f} CPU-s -->")


def power_table(seeds: range) -> None:
    """How often each planted effect is found, at the default effect sizes and at weaker ones."""
    print(f"\n## Power on planted corpora ({len(seeds)} corpora each)\n")
    print("| effects | correction | step | burst | event | 2-period lead | false findings per corpus (mean, max) | "
          "false share of significant |")
    print("|---|---|---|---|---|---|---|---|")
    for label, effects in [("default: step ×2, burst ×3, event ×3, lead sd 0.7", {}),
                           ("weaker: step ×1.5, burst ×2, event ×2, lead sd 0.5", WEAKER)]:
        result = calibration.calibration_run("planted", seeds, **effects)
        for correction, suffix in (("one BH over all", "_pooled"), ("by family", "")):
            power = result["power" + suffix]
            false = np.array(result["false" + suffix + "_per_corpus"])
            share = false.sum() / max(sum(result["significant" + suffix + "_per_corpus"]), 1)
            print(f"| {label} | {correction} | {power[calibration.STEP]:.2f} | {power[calibration.BURST]:.2f} | "
                  f"{power[calibration.EVENT]:.2f} | {power[calibration.LEAD]:.2f} | {false.mean():.2f}, "
                  f"{false.max()} | {share:.3f} |", flush=True)


def store_report(db: str, granularity: str, seeds: range) -> None:
    """Significant findings per kind on a real store and on copies with the dates permuted across documents."""
    from analytics import Corpus

    corpus = Corpus.open(db)
    documents, items, events = corpus.finding_inputs()
    found = corpus.findings(granularity).tested
    kinds = sorted({f.kind for f in found})
    print(f"{db} by {granularity}: {len(found)} tests, {sum(f.significant for f in found)} significant")
    print("| data | tests | " + " | ".join(kinds) + " | time-based kinds together |")
    print("|---|---|" + "---|" * (len(kinds) + 1))
    original = {k: sum(f.significant for f in found if f.kind == k) for k in kinds}
    timed = [k for k in kinds if k != "share_of_voice"]
    print(f"| original | {len(found)} | " + " | ".join(str(original[k]) for k in kinds)
          + f" | {sum(original[k] for k in timed)} |")
    for seed, counts in zip(seeds, calibration.shuffled_store_runs(documents, items, events, granularity, seeds),
                            strict=True):
        cells = " | ".join(str(counts.get(k, 0)) for k in kinds)
        timed_total = sum(counts.get(k, 0) for k in timed)
        print(f"| dates shuffled (seed {seed}) | {counts['tests']} | {cells} | {timed_total} |")


if __name__ == "__main__":
    main()
