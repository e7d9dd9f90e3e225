"""What every embedding backend offers the stages, and small helpers they share."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from .passages import PASSAGE_WORDS


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
