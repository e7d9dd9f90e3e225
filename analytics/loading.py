"""Heavy libraries loaded once per process, and no more of them than a run needs.

Before this module a cold `narrative analyze --profile fast` of 2,772 news articles spent more CPU getting ready
than working: numba compiled UMAP's functions anew in every process (~11 CPU-s), importing BERTopic pulled in
sentence-transformers, transformers and torch for a multimodal backend this project never uses (~5 CPU-s),
spaCy's thinc imported torch as well (~1.4 CPU-s), and UMAP computed a small corpus's exact distances through
scikit-learn's generic one-pair-at-a-time loop (~3 CPU-s of overhead at 2,700 documents). Here:

- numba keeps compiled code in a folder of ours (`numba_cache_dir`, set before numba loads) and every function of
  UMAP and pynndescent is cached there, not only those their authors marked; `narrative models` fills the cache
  once (`warm_topic_libraries`), so no analysis compiles them again;
- BERTopic and spaCy are imported with sentence-transformers and torch kept out; the profiles that embed with
  torch import it themselves, as before;
- UMAP's exact distances on a small corpus are computed by a plain loop over the same compiled distance function
  on the same rows.

None of this changes a result: numba's cache holds the machine code it would compile (keyed by the source file,
the argument types and the CPU); the distance loop calls the same compiled function with the same arguments and
writes the matrix scikit-learn would (tests/test_loading.py checks both).
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Imported by their own users only: never as a side effect of another library's import.
NOT_AS_A_SIDE_EFFECT = ("torch", "sentence_transformers")
# Libraries whose numba functions the topic fit compiles.
NUMBA_LIBRARIES = ("umap", "pynndescent")


def models_root() -> Path:
    """Where this project caches what it derives from the pinned models ($NARRATIVE_MODELS, else
    ~/.cache/narrative-timeline)."""
    return Path(os.environ.get("NARRATIVE_MODELS", Path.home() / ".cache" / "narrative-timeline"))


def numba_cache_dir() -> Path:
    """Where numba keeps compiled code between processes: $NUMBA_CACHE_DIR when the user set one, else a folder
    beside the cached models."""
    return Path(os.environ.get("NUMBA_CACHE_DIR") or models_root() / "numba-cache")


def use_numba_cache() -> None:
    """Point numba's on-disk cache at `numba_cache_dir()` (before numba loads, or before the libraries that use it
    load). Without it numba writes beside the library's source, which a read-only install forbids."""
    folder = str(numba_cache_dir())
    os.environ["NUMBA_CACHE_DIR"] = folder
    if "numba" in sys.modules:
        from numba.core import config

        if not config.CACHE_DIR:
            config.CACHE_DIR = folder


class _KeptOut:
    """An import hook that refuses the named top-level packages, so a library's optional import of them fails as
    when they are not installed."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:  # noqa: ARG002 - finder API
        if name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"{name} is not imported as a side effect (analytics/loading.py)", name=name)


@contextmanager
def kept_out(names: tuple[str, ...] = NOT_AS_A_SIDE_EFFECT) -> Iterator[None]:
    """Inside the block, importing one of `names` fails unless it is already imported."""
    hook = _KeptOut({n for n in names if n not in sys.modules})
    sys.meta_path.insert(0, hook)
    try:
        yield
    finally:
        sys.meta_path.remove(hook)


@functools.cache
def spacy_module() -> Any:
    """spaCy, imported without torch (its thinc layer imports torch when it can; no pipeline here uses it)."""
    with kept_out():
        import spacy

    return spacy


@functools.cache
def topic_libraries() -> dict[str, Any]:
    """BERTopic's classes, UMAP and HDBSCAN for a fit, imported once: numba's cache in use, every UMAP and
    pynndescent function cached, BERTopic without sentence-transformers, UMAP's small-corpus distances fast."""
    use_numba_cache()
    spacy_module()  # BERTopic imports spaCy: without torch, as here
    with kept_out(), _numba_cached_by_default():
        import umap.umap_
        from bertopic import BERTopic
        from bertopic.backend import BaseEmbedder
        from bertopic.representation import MaximalMarginalRelevance
        from bertopic.vectorizers import ClassTfidfTransformer
        from hdbscan import HDBSCAN
        from umap import UMAP
    cache_every_numba_function(NUMBA_LIBRARIES)
    from numba.core.errors import NumbaWarning

    # two of pynndescent's functions hold dynamic globals and are compiled in each process; numba says so each time
    warnings.filterwarnings("ignore", message="Cannot cache compiled function", category=NumbaWarning)
    umap.umap_.pairwise_distances = _exact_pairwise_distances(umap.umap_.pairwise_distances)
    return {"BERTopic": BERTopic, "BaseEmbedder": BaseEmbedder, "MaximalMarginalRelevance": MaximalMarginalRelevance,
            "ClassTfidfTransformer": ClassTfidfTransformer, "HDBSCAN": HDBSCAN, "UMAP": UMAP}


@contextmanager
def _numba_cached_by_default() -> Iterator[None]:
    """While UMAP and pynndescent import, numba.njit caches unless told otherwise: the functions they compile at
    import time (explicit signatures) are then loaded, not compiled, too."""
    import numba

    original = numba.njit

    def njit(*args: Any, **options: Any) -> Any:
        options.setdefault("cache", True)
        return original(*args, **options)

    numba.njit = njit
    try:
        yield
    finally:
        numba.njit = original


def cache_every_numba_function(libraries: tuple[str, ...]) -> int:
    """Turn on numba's on-disk cache for every jitted function of these (imported) libraries that has it off;
    returns how many. A function numba cannot cache (one that uses dynamic globals) is compiled as before."""
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    turned_on = 0
    for name, module in list(sys.modules.items()):
        if module is None or name.partition(".")[0] not in libraries:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, Dispatcher) and isinstance(value._cache, NullCache):
                try:
                    value.enable_caching()
                except RuntimeError:  # numba finds nowhere to keep it (no writable folder): compiled as before
                    continue
                turned_on += 1
    return turned_on


def _exact_pairwise_distances(library_version: Any) -> Any:
    """scikit-learn's pairwise_distances for UMAP, with its one slow case done faster: a compiled (numba) metric on
    one dense matrix, which scikit-learn evaluates pair by pair through Python with a validation per pair. Same
    function, same rows, same order of filling as scikit-learn's loop: the same matrix, bit for bit."""
    if getattr(library_version, "narrative_exact", False):
        return library_version

    def pairwise_distances(X: Any, Y: Any = None, metric: Any = "euclidean", **kwds: Any) -> Any:  # noqa: N803
        if Y is not None or kwds or isinstance(metric, str) or not hasattr(metric, "py_func"):
            return library_version(X, Y, metric=metric, **kwds)
        import numpy as np
        from scipy import sparse
        from sklearn.metrics.pairwise import check_pairwise_arrays

        if sparse.issparse(X) or np.ndim(X) != 2:
            return library_version(X, Y, metric=metric, **kwds)
        matrix, _ = check_pairwise_arrays(X, None, dtype=None, ensure_all_finite=True, ensure_2d=False)
        rows = list(matrix)
        n = len(rows)
        # scikit-learn's result type: float32 for float32 input (UMAP's), else float64
        out = np.zeros((n, n), dtype=np.float32 if matrix.dtype == np.float32 else np.float64)
        from umap.distances import cosine

        if metric is cosine and matrix.flags.c_contiguous and matrix.dtype in (np.float32, np.float64):
            # the metric every fit here uses: the same pairs in one compiled loop (rows of the same layout)
            from .topics.umap_kernels import cosine_upper_triangle

            cosine_upper_triangle(matrix, out)
        else:
            for i in range(n - 1):
                x = rows[i]
                out[i, i + 1:] = [metric(x, y) for y in rows[i + 1:]]
        out = out + out.T
        for i in range(n):
            out[i, i] = metric(rows[i], rows[i])
        return out

    pairwise_distances.narrative_exact = True  # type: ignore[attr-defined]
    return pairwise_distances


def warm_topic_libraries() -> None:
    """Compile (and cache on disk) the numba functions a topic fit uses, for the argument types it uses: UMAP's
    exact path (under 4,096 documents) and its approximate nearest-neighbour path (pynndescent, above), on a small
    random matrix shaped like document vectors. `narrative models` runs it once; a fit then loads, never compiles."""
    import numpy as np

    libraries = topic_libraries()
    vectors = np.random.default_rng(0).normal(size=(300, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for approximate in (False, True):
        libraries["UMAP"](n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42,
                          low_memory=True, force_approximation_algorithm=approximate).fit(vectors)
