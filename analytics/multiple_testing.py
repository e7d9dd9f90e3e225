"""Multiple-testing correction: every hypothesis a run tests enters one family, and only q-values decide.

A finding the tool calls significant (a shift, a lead, a burst, an event effect, a coordinated cluster) rests on a
q-value from here, never on a raw p-value picked out of many.
"""

from __future__ import annotations

import numpy as np

# The false discovery rate a finding must stay under to be called significant: the default of the `alpha` and
# `coordination_fdr` settings (config.SETTINGS imports it; the findings engine reads the setting).
ALPHA = 0.05


def q_values(p_values: np.ndarray | list[float], method: str = "bh") -> np.ndarray:
    """Adjusted p-values (q-values) for one family of tests, in the input order.

    `bh`: Benjamini–Hochberg, controls the false discovery rate when the tests are independent or positively
    dependent. `by`: Benjamini–Yekutieli, valid under any dependence (more conservative by the factor
    1 + 1/2 + … + 1/m). NaN p-values (tests that could not be run) stay NaN and do not count towards m.
    """
    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return q
    if np.any((p[ok] < 0) | (p[ok] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    if method not in ("bh", "by"):
        raise ValueError(f"unknown correction {method!r}; use 'bh' or 'by'")
    order = np.argsort(p[ok], kind="mergesort")
    ranked = p[ok][order] * m / np.arange(1, m + 1)
    if method == "by":
        ranked *= np.sum(1.0 / np.arange(1, m + 1))
    # The step-up rule: each q is the smallest adjusted value at its rank or above.
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty(m)
    out[order] = adjusted
    q[ok] = out
    return q


def significant(q: np.ndarray | list[float], alpha: float = ALPHA) -> np.ndarray:
    """True where the q-value is below `alpha` (NaN is never significant)."""
    q = np.asarray(q, dtype=float)
    return np.where(np.isnan(q), False, q < alpha)
