"""What every embedding backend offers the stages, and small helpers they share."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from ..config import setting
from .passages import PASSAGE_WORDS

# Cosine to its nearest theme below which a new document counts as drift (on MiniLM's scale, as it has always been).
DRIFT_SIMILARITY = 0.35


class EmbeddingBackend(Protocol):
    """What the stages need to know of an embedding model, so that none of them asks which class it is.

    Subclass `BackendBase` for the defaults; a backend of your own needs `name` and `encode` at least.
    """

    name: str  # names the model in the vector cache and in a saved topic model
    dimension: int  # length of a vector (0 until a corpus-fitted backend is fitted)
    passage_words: int  # longest passage, in words, that fits the model's window
    zeroshot_similarity: float  # cosine a document needs to join a named (zero-shot) theme with this model
    texts_per_call: int  # texts handed to one encode() call
    fitted_on_corpus: bool  # vectors depend on the corpus: never cached, refitted on new documents, never on workers
    # The topic stage's cosine thresholds on this model's scale (a multilingual model's differs: embeddings/e5.py)
    match_threshold: float  # a refitted theme is "the same" as a previous one above this centroid cosine
    assign_min_similarity: float  # a new document joins its nearest theme above this cosine, else it is an outlier
    drift_similarity: float  # a new document below this cosine counts towards "refit advised"
    centre_languages: bool  # take each language's mean vector out before fitting themes (languages/centring.py)

    def fit(self, texts: list[str]) -> EmbeddingBackend:
        """Fit on the corpus (corpus-fitted backends); others return themselves unchanged."""
        ...

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...

    def worker_factory(self) -> Callable[[], EmbeddingBackend] | None:
        """A picklable callable that builds this backend again in a Dask worker process; None: it cannot be."""
        ...


class BackendBase:
    """Defaults of the EmbeddingBackend interface, for the shipped backends and for your own."""

    name: str = "custom"
    dimension: int = 0
    passage_words: int = PASSAGE_WORDS
    zeroshot_similarity: float = 0.5
    texts_per_call: int = 256
    fitted_on_corpus: bool = False
    match_threshold: float = float(setting("match_threshold"))
    assign_min_similarity: float = float(setting("assign_min_similarity"))
    drift_similarity: float = DRIFT_SIMILARITY
    centre_languages: bool = False

    def fit(self, texts: list[str]) -> BackendBase:  # noqa: ARG002 - only corpus-fitted backends use the texts
        """Nothing to fit: the vectors depend on the text alone."""
        return self

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        raise NotImplementedError

    def worker_factory(self) -> Callable[[], EmbeddingBackend] | None:
        """None: a backend of your own runs in this process only unless it says how to rebuild it."""
        return None


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mean_unit(vectors: np.ndarray) -> np.ndarray:
    """Normalised mean of row vectors."""
    mean = vectors.mean(axis=0)
    norm = np.linalg.norm(mean)
    return (mean / norm if norm else mean).astype(np.float32)
