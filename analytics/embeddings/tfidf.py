"""TF-IDF + truncated SVD fitted on the corpus itself: no model file, always available."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..config import setting
from .base import BackendBase
from .passages import PASSAGE_WORDS


@dataclass
class TfidfBackend(BackendBase):
    """TF-IDF + SVD fitted on the corpus: no model file, deterministic, always available."""

    dims: int = 128
    seed: int = int(setting("seed"))
    name: str = "tfidf-svd"
    dimension: int = 0  # known once fitted
    passage_words: int = PASSAGE_WORDS
    zeroshot_similarity: float = 0.2
    fitted_on_corpus: bool = True
    _pipeline: object = field(default=None, repr=False)

    def fit(self, texts: list[str]) -> TfidfBackend:
        """Fit the vocabulary and projection on the corpus."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline

        vectorizer = TfidfVectorizer(stop_words="english", min_df=2, max_df=0.7, sublinear_tf=True)
        n_terms = vectorizer.fit(texts).transform(texts[:1]).shape[1]
        dims = max(2, min(self.dims, n_terms - 1, len(texts) - 1))
        self._pipeline = make_pipeline(vectorizer, TruncatedSVD(n_components=dims, random_state=self.seed))
        self._pipeline.fit(texts)
        self.dimension = dims
        return self

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors for the texts (fits on them first if not fitted)."""
        if self._pipeline is None:
            self.fit(texts)
        vectors = np.asarray(self._pipeline.transform(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)
