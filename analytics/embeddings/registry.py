"""Embedding backends by name."""

from __future__ import annotations

from ..errors import UNKNOWN_BACKEND
from .base import EmbeddingBackend
from .minilm import MiniLMBackend
from .static import StaticBackend
from .tfidf import TfidfBackend

BACKENDS = {"minilm": MiniLMBackend, "static": StaticBackend, "tfidf": TfidfBackend}


def get_backend(name: str) -> EmbeddingBackend:
    """An embedding backend by name: `minilm`, `static` or `tfidf` (the keys of BACKENDS)."""
    try:
        return BACKENDS[name]()
    except KeyError:
        raise UNKNOWN_BACKEND.error(name=name, choices=", ".join(BACKENDS)) from None
