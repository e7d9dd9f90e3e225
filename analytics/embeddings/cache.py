"""Passage vectors of documents, read from the store's cache where the same model embedded them before."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import schema as s
from .. import store
from ..errors import BACKEND_NOT_FOR_WORKERS
from ..frames import among
from .base import EmbeddingBackend
from .passages import even_chunks, split_passages

Progress = Callable[[int, int | None], None]


# Backends built in this process from a worker factory (here, or on a Dask worker): loaded once per process.
_WORKER_BACKENDS: dict[str, EmbeddingBackend] = {}


def encode_batch(texts: list[str], factory: Callable[[], EmbeddingBackend], name: str) -> np.ndarray:
    """Vectors of one batch of passages, with the backend built by `factory` once per process."""
    if name not in _WORKER_BACKENDS:
        _WORKER_BACKENDS[name] = factory()
    return _WORKER_BACKENDS[name].encode(texts)


def passage_vectors(
    con: duckdb.DuckDBPyConnection, docs: pd.DataFrame, backend: EmbeddingBackend, progress: Progress | None = None,
    mapper: Any = None, cache_name: str | None = None,
) -> pd.DataFrame:
    """Passage vectors of the documents (doc_id, passage, start_char, end_char, vector), from the cache where
    the same model already embedded them. Vectors of a corpus-fitted backend (TF-IDF) are never cached.
    `cache_name` (default: the backend's name) keys the cache: texts other than the stored ones (a post's words
    for themes) are cached under a name of their own, so the two never mix.

    With a remote `mapper` (scale.DaskMap) the passages are encoded on its workers, each building the backend
    from `backend.worker_factory()`; a backend without one raises a clear error instead of running another model.
    """
    cacheable = not backend.fitted_on_corpus
    cached = pd.DataFrame()
    name = cache_name or backend.name
    # The cache query joins every id against the embeddings table: skip it when this model has nothing cached.
    if cacheable and store.has_embeddings(con, name):
        cached = store.cached_embeddings(con, name, docs[s.ID].tolist())
    todo = docs[~among(docs[s.ID], cached["doc_id"])] if not cached.empty else docs
    # Column lists, not a dict per passage: the passages of 100k documents are a quarter of a million rows.
    doc_ids: list[str] = []
    numbers: list[int] = []
    bounds: list[tuple[int, int]] = []
    texts: list[str] = []
    for doc_id, text in zip(todo[s.ID].tolist(), todo[s.TEXT].tolist(), strict=True):
        spans = split_passages(text, backend.passage_words)
        doc_ids += [doc_id] * len(spans)
        numbers += range(len(spans))
        bounds += spans
        texts += [text[a:b] for a, b in spans]
    if backend.fitted_on_corpus:
        backend.fit(texts)
    chunks = even_chunks(texts, backend.texts_per_call)
    if mapper is not None and mapper.remote and not backend.fitted_on_corpus:  # corpus-fitted: on the driver
        factory = backend.worker_factory()
        if factory is None:
            raise BACKEND_NOT_FOR_WORKERS.error(name=backend.name)
        encoded = mapper.map(encode_batch, chunks, factory, backend.name)
    else:
        encoded = (backend.encode(chunk) for chunk in chunks)
    vectors: list[np.ndarray] = []
    for vecs in encoded:
        vectors.append(vecs)
        if progress:
            progress(sum(map(len, vectors)), len(texts))
    edges = np.array(bounds, dtype=np.int64).reshape(-1, 2)
    fresh = pd.DataFrame({"doc_id": doc_ids, "passage": np.array(numbers, dtype=np.int64),
                          "start_char": edges[:, 0], "end_char": edges[:, 1]})
    # Row views of one float32 matrix: no array per passage (the backends already give float32: no copy)
    fresh["vector"] = list(np.vstack(vectors).astype(np.float32, copy=False)) if vectors else []
    unique = todo[s.ID].is_unique
    if cacheable and not fresh.empty:
        # Documents with a cached passage are not in todo: with no id twice, every key written is new.
        store.save_embeddings(con, fresh.assign(model=name)[
            ["doc_id", "model", "passage", "start_char", "end_char", "vector"]], new_keys=unique)
    if cached.empty and unique and todo[s.ID].is_monotonic_increasing:
        return fresh  # documents in id order (as corpus_texts gives them): passages already in sorted order
    out = pd.concat([cached, fresh], ignore_index=True) if not cached.empty else fresh
    out["vector"] = [np.asarray(v, dtype=np.float32) for v in out["vector"]]
    return out.sort_values(["doc_id", "passage"], ignore_index=True)


def passage_sums(doc_rows: np.ndarray, vectors: np.ndarray, n_docs: int) -> np.ndarray:
    """Sum of each document's passage vectors (float64, n_docs × dim); `doc_rows[i]` is the row of passage i's
    document. Passages are summed in their order within each document (a stable sort, then `np.add.reduceat`
    over each document's run), so a chunk of documents gives the same sums as the whole corpus."""
    sums = np.zeros((n_docs, vectors.shape[1] if vectors.ndim == 2 else 0))
    if not len(doc_rows):
        return sums
    order = np.argsort(doc_rows, kind="stable")
    rows = doc_rows[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    sums[rows[starts]] = np.add.reduceat(np.asarray(vectors, dtype=np.float64)[order], starts, axis=0)
    return sums


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero), as float32: the mean's direction is the sum's."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)


def document_matrix(passages: pd.DataFrame, doc_ids: list[str]) -> np.ndarray:
    """One unit vector per document (float32): the normalised mean of its passages, in the order of doc_ids (a
    document without passages: a zero row)."""
    if passages.empty:
        return np.zeros((len(doc_ids), 0), dtype=np.float32)
    ids = pd.Index(doc_ids)
    if not ids.is_unique:  # a document asked for twice: the same row twice
        unique = ids.unique()
        return document_matrix(passages, unique.tolist())[unique.get_indexer(ids)]
    rows = ids.get_indexer(passages["doc_id"])
    keep = rows >= 0
    vectors = np.vstack(passages["vector"].to_list())
    return unit_rows(passage_sums(rows[keep], vectors[keep], len(doc_ids)))
