"""Embedding backends by name."""

from __future__ import annotations

from ..errors import UNKNOWN_BACKEND
from .base import EmbeddingBackend
from .e5 import E5Backend
from .minilm import MiniLMBackend
from .onnx_minilm import OnnxMiniLMBackend
from .static import StaticBackend
from .tfidf import TfidfBackend

BACKENDS = {
    "minilm": MiniLMBackend, "minilm-int8": OnnxMiniLMBackend, "static": StaticBackend, "tfidf": TfidfBackend,
    "e5": E5Backend,
}


def get_backend(name: str) -> EmbeddingBackend:
    """An embedding backend by name: `minilm`, `minilm-int8`, `static`, `tfidf` or `e5` (the keys of
    BACKENDS)."""
    try:
        return BACKENDS[name]()
    except KeyError:
        raise UNKNOWN_BACKEND.error(name=name, choices=", ".join(BACKENDS)) from None
