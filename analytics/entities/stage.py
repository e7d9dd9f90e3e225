"""The entity stage: extract mentions for every document this pipeline version has not processed yet."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .. import store
from ..config import setting
from ..errors import CUSTOM_PIPELINE_NOT_FOR_WORKERS
from ..scale import LocalMap, entity_processes
from .aliases import load_aliases
from .extraction import ALIASES_ONLY, STAGE, extract_batch
from .pipeline import cached_pipeline, pipeline_version
from .renormalise import renormalise
from .writer import BatchWriter

BATCH_SIZE = int(setting("batch_size"))  # documents per spaCy batch, passages per MiniLM batch

CHUNK_DOCS = 400


def pending_documents(con: duckdb.DuckDBPyConnection, version: str) -> list[str]:
    """Ids of documents this pipeline version has not processed yet."""
    return store.unprocessed_documents(con, STAGE, [version, f"{version}:{ALIASES_ONLY}"])


def pending_count(con: duckdb.DuckDBPyConnection, profile: str) -> int:
    """How many documents the pinned pipeline of this profile has not processed yet (spaCy not loaded)."""
    return len(pending_documents(con, pipeline_version(profile)))


def run_entities(
    con: duckdb.DuckDBPyConnection,
    aliases_path: Path | str,
    *,
    profile: str = "quality",
    n_process: int = 0,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int | None], None] | None = None,
    mapper: Any = None,
    nlp: Any = None,
) -> dict[str, Any]:
    """Extract entities for every document not yet processed by this pipeline version; re-normalise stored
    mentions when the alias list changed. `mapper` (scale.LocalMap or scale.DaskMap) runs the batches; the
    store is written here only. `nlp`: a spaCy pipeline of your own to build on (this process only). Returns
    what was done."""
    aliases = load_aliases(aliases_path)
    previous_digest = store.get_meta(con, "aliases_digest")
    summary: dict[str, Any] = {"aliases": len(aliases.frame), "renormalised": 0}
    if previous_digest and previous_digest != aliases.digest:
        summary["renormalised"] = renormalise(con, aliases)
    mapper = mapper or LocalMap()
    if nlp is not None and mapper.remote:
        raise CUSTOM_PIPELINE_NOT_FOR_WORKERS.error()
    # Where the batches are extracted in other processes, this one needs only the pipeline's version (spaCy is
    # neither imported nor loaded here).
    version = pipeline_version(profile) if mapper.remote else cached_pipeline(aliases, profile, nlp).version
    todo = pending_documents(con, version)
    summary.update({"pipeline_version": version, "documents": len(todo), "mentions": 0, "aliases_only": 0})
    if not todo:
        store.set_meta(con, "aliases_digest", aliases.digest)
        return summary
    if n_process <= 0:  # automatic: from the cores, the memory and the number of documents
        n_process = entity_processes(len(todo), profile)
    summary["n_process"] = n_process
    run_id = store.start_run(con, "entities", {"profile": profile, "n_process": n_process, "batch_size": batch_size,
                                               "aliases_path": str(aliases_path), "aliases_digest": aliases.digest},
                             {"spacy": importlib.metadata.version("spacy"), "pipeline": version})
    done = 0
    if progress:
        progress(0, len(todo))
    n_proc = 1 if mapper.remote else n_process  # worker processes of their own only where the work runs here
    with BatchWriter(con, active_from=aliases.active_from()) as writer:
        for mentions, processed in mapper.map(extract_batch, document_batches(con, todo), aliases, profile,
                                              batch_size, n_proc):
            writer.put(mentions, processed)
            summary["aliases_only"] += sum(v.endswith(ALIASES_ONLY) for v in processed["version"].to_pylist())
            summary["mentions"] += mentions.num_rows
            done += processed.num_rows
            if progress:
                progress(done, len(todo))
    store.set_meta(con, "aliases_digest", aliases.digest)
    store.finish_run(con, run_id, {k: v for k, v in summary.items() if k != "pipeline_version"})
    return summary


def document_batches(con: duckdb.DuckDBPyConnection, ids: list[str]) -> Iterator[pd.DataFrame]:
    """The documents of these ids (id, text, language) in batches of CHUNK_DOCS, in id order, streamed from one
    query."""
    return store.document_batches(con, ids, CHUNK_DOCS)
