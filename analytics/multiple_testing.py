"""Multiple-testing correction: every hypothesis a run tests is corrected, and only q-values decide.

A finding the tool calls significant (a shift, a lead, a burst, an event effect, a coordinated cluster) rests on a
q-value from here, never on a raw p-value picked out of many.

`q_values` corrects one family of like tests (Benjamini–Hochberg or Benjamini–Yekutieli). `q_values_by_family`
corrects tests that fall into families of different kinds (the findings engine's shifts, leads, bursts, …): each
family is corrected on its own and the error rate is split evenly between the families, so the real changes found
in one family never make a false one easier to pass in another.
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


def q_values_by_family(p_values: np.ndarray | list[float], families: list[str] | np.ndarray,
                       method: str = "bh") -> np.ndarray:
    """q-values for tests in several families: each family corrected on its own, the error rate split evenly.

    With K families (those holding at least one p-value), a test's q-value is K times its q-value within its family
    (`q_values` on that family alone), at most 1; so a finding is significant at level alpha when it passes its
    family's correction at alpha / K. Why: with one correction over every test, true findings of one kind (a
    corpus full of real shifts) loosen the threshold for every other kind, and a kind with nothing to find then
    lets false findings through beside them (Benjamini–Hochberg bounds their share among all findings, not their
    number). Split, a family with nothing to find yields any finding with probability at most alpha / K, whatever
    the other families hold; and the false discovery rate over all tests together stays at most alpha (each
    family's is at most alpha / K, and the shares add up to no more than their sum). With one family this is
    `q_values` itself.
    """
    p = np.asarray(p_values, dtype=float)
    labels = np.asarray(families, dtype=object)
    if labels.shape != p.shape:
        raise ValueError("one family label is needed per p-value")
    q = np.full(p.shape, np.nan)
    present = [family for family in dict.fromkeys(labels.tolist()) if np.any(~np.isnan(p[labels == family]))]
    for family in present:
        members = labels == family
        q[members] = q_values(p[members], method)
    return np.minimum(q * len(present), 1.0) if present else q


def significant(q: np.ndarray | list[float], alpha: float = ALPHA) -> np.ndarray:
    """True where the q-value is below `alpha` (NaN is never significant)."""
    q = np.asarray(q, dtype=float)
    return np.where(np.isnan(q), False, q < alpha)
