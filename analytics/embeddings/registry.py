"""Embedding backends by name."""

from __future__ import annotations

from ..errors import UNKNOWN_BACKEND
from .base import EmbeddingBackend
from .minilm import MiniLMBackend
from .onnx_minilm import OnnxMiniLMBackend
from .static import StaticBackend
from .tfidf import TfidfBackend

BACKENDS = {
    "minilm": MiniLMBackend, "minilm-int8": OnnxMiniLMBackend, "static": StaticBackend, "tfidf": TfidfBackend,
}


def get_backend(name: str) -> EmbeddingBackend:
    """An embedding backend by name: `minilm`, `minilm-int8`, `static` or `tfidf` (the keys of BACKENDS)."""
    try:
        return BACKENDS[name]()
    except KeyError:
        raise UNKNOWN_BACKEND.error(name=name, choices=", ".join(BACKENDS)) from None
