"""Embedding backends by name."""

from __future__ import annotations

from .base import EmbeddingBackend
from .minilm import MiniLMBackend
from .static import StaticBackend
from .tfidf import TfidfBackend

BACKENDS = {"minilm": MiniLMBackend, "static": StaticBackend, "tfidf": TfidfBackend}


def get_backend(name: str) -> EmbeddingBackend:
    """An embedding backend by name (`minilm` or `tfidf`)."""
    try:
        return BACKENDS[name]()
    except KeyError:
        from ..errors import NarrativeError

        raise NarrativeError(f"unknown embedding backend {name!r}", f"choose one of {', '.join(BACKENDS)}") from None
