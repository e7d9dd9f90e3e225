"""UMAP's exact cosine distances of a small corpus as one compiled loop (numba, cached on disk with UMAP's own).

Imported only by `loading._exact_pairwise_distances`, after `loading.topic_libraries` has pointed numba's cache at
ours. The loop calls umap-learn's own compiled `cosine` on the same rows in the same order as scikit-learn's
pair-by-pair loop, so the matrix is the same bit for bit; what goes is Python's call per pair (3.6 million calls
for 2,700 documents, ~0.5 CPU-s).
"""

from __future__ import annotations

import numba
import numpy as np
from umap.distances import cosine


@numba.njit(cache=True)
def cosine_upper_triangle(rows: np.ndarray, out: np.ndarray) -> None:
    """Write the cosine distance of rows i < j into out[i, j] (the rest of `out` is left as it is)."""
    n = rows.shape[0]
    for i in range(n - 1):
        for j in range(i + 1, n):
            out[i, j] = cosine(rows[i], rows[j])
