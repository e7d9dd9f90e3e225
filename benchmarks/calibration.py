"""Calibration of the findings engine: false-positive rates on null corpora and power on planted ones.

    python -m benchmarks.calibration [--seeds 100]

Null corpora: constant rates; independent AR(1) attention per source type with phi 0, 0.5, 0.8, 0.9 (their null
is "no lead": each series drifts, but independently, so only lead-lag findings there are false); planted corpora
with their dates shuffled across documents. Planted corpora: a step, a burst, an event effect and a two-period lead
among null subjects, at the default effect sizes and at weaker ones.
Each corpus: 60 monthly periods, ~50 documents per period in each of two source types, 16 null subjects, 8 events.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from analytics.findings import calibration

NULLS = ["constant", "ar1:0.0", "ar1:0.5", "ar1:0.8", "ar1:0.9", "shuffled"]
WEAKER = {"step": 1.5, "burst": 2.0, "event_effect": 2.0, "lead_sd": 0.5}


def _null_rows(result: dict) -> list[str]:
    name = result["corpus"]
    rows = []
    false_kinds = {"lead_lag"} if name.startswith("ar1") else None
    for kind, r in sorted(result["per_kind"].items()):
        null_holds = false_kinds is None or kind in false_kinds
        rows.append(f"| {name} | {kind} | {r['tests']} | {r['raw'] / r['tests']:.3f} | "
                    f"{r['significant'] / r['tests']:.3f} | "
                    + (f"{r['false'] / r['tests']:.3f} |" if null_holds else "not a null here |"))
    false = np.array(result["false_per_corpus"])
    tests = sum(r["tests"] for r in result["per_kind"].values())
    counted = sum(r["tests"] for k, r in result["per_kind"].items() if false_kinds is None or k in false_kinds)
    rows.append(f"| {name} | **all** | {tests} | | | {false.sum() / max(counted, 1):.3f} "
                f"(false findings per corpus: mean {false.mean():.2f}, max {false.max()}, corpora with any "
                f"{np.mean(false > 0):.1%}) |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100, help="corpora per row")
    args = parser.parse_args()
    seeds = range(args.seeds)
    started = time.perf_counter()
    print(f"## False positives on null corpora ({args.seeds} corpora each)\n")
    print("| corpus | kind | tests | raw p < 0.05 | significant (q < 0.05) | false findings share |")
    print("|---|---|---|---|---|---|")
    for name in NULLS:
        for row in _null_rows(calibration.calibration_run(name, seeds)):
            print(row)
    print(f"\n## Power on planted corpora ({args.seeds} corpora each)\n")
    print("| effects | step | burst | event | 2-period lead | false findings per corpus (mean, max) | "
          "false share of significant |")
    print("|---|---|---|---|---|---|---|")
    for label, effects in [("default: step ×2, burst ×3, event ×3, lead sd 0.7", {}),
                           ("weaker: step ×1.5, burst ×2, event ×2, lead sd 0.5", WEAKER)]:
        result = calibration.calibration_run("planted", seeds, **effects)
        power = result["power"]
        false = np.array(result["false_per_corpus"])
        share = false.sum() / max(sum(result["significant_per_corpus"]), 1)
        print(f"| {label} | {power[calibration.STEP]:.2f} | {power[calibration.BURST]:.2f} | "
              f"{power[calibration.EVENT]:.2f} | {power[calibration.LEAD]:.2f} | {false.mean():.2f}, {false.max()} | "
              f"{share:.3f} |")
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
