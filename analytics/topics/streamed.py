"""The stored corpus read once for a theme fit, chunk by chunk: a million documents never in memory at once.

Each chunk of `topic_chunk_documents` documents is read from the store, its theme texts made, its passages split,
encoded (or read from the vector cache) and saved, and reduced to one unit vector per document. What is kept
across chunks is small beside the texts: the document vectors (N × dim float32: 1 GB for a million documents of
256 dimensions), the fit keys (a 16-byte digest per document, `FitKeys`), each document's language and source
type, and the passage vectors in a temporary file read back a chunk at a time (the passage votes need them once
the themes exist). A model that centres languages (E5) has each language's mean summed on the way and the
document vectors made again from the centred passages, chunk by chunk, from that file.

A backend fitted on the corpus itself (TF-IDF) needs every text at once to fit: it reads the corpus as one chunk,
as before; it is meant for small corpora.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import schema as s
from .. import store
from ..config import setting
from ..embeddings import EmbeddingBackend, passage_sums, unit_rows
from ..languages.centring import CentringSums, LanguageCentring
from ..post_text import theme_text
from .fitting_texts import FitKeys, theme_passages
from .params import Progress

CHUNK_DOCUMENTS = int(setting("topic_chunk_documents"))


@dataclass
class _Chunk:
    """Where one chunk's documents and passages are: rows [doc_start, doc_end) and passages [start, end)."""

    doc_start: int
    doc_end: int
    start: int
    end: int


@dataclass
class CorpusVectors:
    """Every stored document's vector and fit keys, in the order the store gave them (`rows` finds ids)."""

    ids: np.ndarray  # document ids (object), in the order read
    matrix: np.ndarray  # one unit float32 vector per document, same order
    keys: FitKeys
    languages: np.ndarray  # each document's language (object; None: unknown)
    source_types: np.ndarray
    passage_file: Path  # float32 passage vectors, chunk after chunk
    passage_rows: np.ndarray  # each passage's document row
    chunks: list[_Chunk]
    centring: LanguageCentring | None = None
    # A corpus read in one chunk keeps its documents' theme texts (in `ids` order): the cut-text keys and the fit's
    # words take them from here instead of reading and cleaning every text again (None: a larger corpus).
    theme_texts: list[str] | None = None
    _index: pd.Index | None = field(default=None, repr=False)

    def rows(self, doc_ids: Any) -> np.ndarray:
        """Rows of these document ids in `matrix` (-1: not read)."""
        if self._index is None:
            self._index = pd.Index(self.ids)
        return self._index.get_indexer(doc_ids)

    def passage_chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(document rows, passage vectors) of each chunk, read back from the file; centred when the model
        centres languages."""
        dim = self.matrix.shape[1]
        with open(self.passage_file, "rb") as fh:
            for chunk in self.chunks:
                n = chunk.end - chunk.start
                fh.seek(chunk.start * dim * 4)
                vectors = np.fromfile(fh, dtype=np.float32, count=n * dim).reshape(n, dim)
                rows = self.passage_rows[chunk.start:chunk.end]
                if self.centring is not None:
                    vectors = self.centring.centre(vectors, self.languages[rows].tolist())
                yield rows, vectors


@contextlib.contextmanager
def corpus_vectors(
    con: duckdb.DuckDBPyConnection, backend: EmbeddingBackend, *, chunk_documents: int = CHUNK_DOCUMENTS,
    progress: Progress | None = None, mapper: Any = None,
) -> Iterator[CorpusVectors]:
    """Read, embed and reduce the stored corpus chunk by chunk (see the module's doc); the temporary file of
    passage vectors is removed when the block ends."""
    total = store.document_count(con)
    size = max(total, 1) if backend.fitted_on_corpus else max(1, chunk_documents)
    with tempfile.TemporaryDirectory(prefix="narrative-passages-") as tmp:
        path = Path(tmp) / "passages.f32"
        keys = FitKeys()
        ids: list[np.ndarray] = []
        languages: list[np.ndarray] = []
        source_types: list[np.ndarray] = []
        passage_rows: list[np.ndarray] = []
        chunks: list[_Chunk] = []
        matrix: np.ndarray | None = None
        sums = CentringSums()  # each language's passages, for the centring
        done = passages_done = 0
        kept_themes: list[str] | None = []
        if progress:  # the bar starts with the pass: its rate and time left count from here, not from the first chunk
            progress(0, total)
        with open(path, "wb") as out:
            for frame in _batches(con, size, backend.fitted_on_corpus, (s.TEXT, s.LANGUAGE, s.SOURCE_TYPE)):
                n = len(frame)
                themes = [theme_text(t) for t in frame[s.TEXT]]
                keys.add(frame[s.ID].tolist(), themes, frame["duplicate_of"].tolist())
                if kept_themes is not None and done + n <= chunk_documents:
                    kept_themes.extend(themes)
                else:
                    kept_themes = None
                passages = theme_passages(con, frame[[s.ID, s.TEXT]], backend, mapper=mapper, themes=themes)
                local = pd.Index(frame[s.ID]).get_indexer(passages["doc_id"])
                vectors = np.vstack(passages["vector"].to_list()).astype(np.float32, copy=False)
                if matrix is None:
                    matrix = np.zeros((total, vectors.shape[1]), dtype=np.float32)
                matrix[done:done + n] = unit_rows(passage_sums(local, vectors, n))
                vectors.tofile(out)
                passage_rows.append((local + done).astype(np.int64))
                chunks.append(_Chunk(done, done + n, passages_done, passages_done + len(vectors)))
                if backend.centre_languages:
                    sums.add(frame[s.LANGUAGE].to_numpy(dtype=object), local, vectors)
                ids.append(frame[s.ID].to_numpy(dtype=object))
                languages.append(frame[s.LANGUAGE].to_numpy(dtype=object))
                source_types.append(frame[s.SOURCE_TYPE].to_numpy(dtype=object))
                done += n
                passages_done += len(vectors)
                del frame, themes, passages, vectors
                if progress:
                    progress(done, total)
        vectors_of = CorpusVectors(
            ids=np.concatenate(ids) if ids else np.array([], dtype=object),
            matrix=matrix[:done] if matrix is not None else np.zeros((0, 0), dtype=np.float32),
            keys=keys, languages=np.concatenate(languages) if languages else np.array([], dtype=object),
            source_types=np.concatenate(source_types) if source_types else np.array([], dtype=object),
            passage_file=path,
            passage_rows=np.concatenate(passage_rows) if passage_rows else np.array([], dtype=np.int64),
            chunks=chunks, theme_texts=kept_themes)
        if keys.needs_full_keys:  # texts cut short ("…") join the full text they begin: a second reading
            keys.resolve_cut([kept_themes] if kept_themes is not None else
                             ([theme_text(t) for t in frame[s.TEXT]]
                              for frame in _batches(con, size, backend.fitted_on_corpus, (s.TEXT,))))
        if backend.centre_languages and sums.sums:
            vectors_of.centring = sums.centring()
            for chunk, (rows, centred) in zip(chunks, vectors_of.passage_chunks(), strict=True):
                n = chunk.doc_end - chunk.doc_start
                vectors_of.matrix[chunk.doc_start:chunk.doc_end] = unit_rows(
                    passage_sums(rows - chunk.doc_start, centred, n))
        yield vectors_of


def _batches(con: duckdb.DuckDBPyConnection, size: int, whole: bool, columns: tuple[str, ...],
             ) -> Iterator[pd.DataFrame]:
    """The store's documents (id, columns, duplicate_of) in batches of `size` (one batch when `whole`)."""
    batches = store.corpus_batches(con, size, columns)
    if not whole:
        yield from batches
        return
    frames = list(batches)
    if frames:
        yield pd.concat(frames, ignore_index=True)
