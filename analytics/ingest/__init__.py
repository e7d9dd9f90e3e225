"""Ingest: files and folders in, clean, dated, deduplicated documents out, with every record accounted for.

Entry point: `ingest(paths, con)`. Steps: expand paths (folders, corpus manifests) and detect each file's format
(readers/) → read records with its reader → map each to the document record (clean, language, date, id, a post's
traces) → exact and near-duplicate checks → write documents, traces, duplicates and rejects, link copies (retweets,
forwards) to their originals, all in one transaction, so a killed ingest leaves the store as it was and a re-run
completes. Every record read is stored, listed as a duplicate, already stored, or rejected with its reason.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import schema as s
from .. import store
from ..errors import NarrativeError
from . import dedup, loaders, parallel, readers, textfiles
from .inputs import MANIFEST, InputFile, Manifest, expand, grouped, read_events, read_manifest
from .loaders import FileNote, Item, Problem, RawRecord
from .records import TRACES, resolve_columns
from .report import FileReport, IngestReport

__all__ = ["MANIFEST", "FileReport", "IngestReport", "InputFile", "Manifest", "expand", "ingest", "read_events",
           "read_manifest"]

CHUNK = 2000


class _Writer:
    """Holds the near-duplicate index and the ids seen in this run; writes each chunk."""

    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: int, report: IngestReport, threshold: float) -> None:
        self.con, self.run_id, self.report = con, run_id, report
        self.index = dedup.NearDuplicateIndex(threshold)
        for doc_id, blob in store.minhash_signatures(con):
            self.index.add(doc_id, dedup.from_signature_bytes(blob))
        self.seen: dict[str, str] = {}

    def write(self, docs: list[dict[str, Any]], problems: list[tuple[Problem, FileReport]],
              file_reports: list[FileReport], signatures: list[np.ndarray | None] | None = None) -> None:
        """Store a chunk; `signatures` are the documents' MinHash values when a worker computed them already."""
        rejects = [{"run_id": self.run_id, "input_file": p.file, "input_row": p.row, "reason": p.reason,
                    "preview": p.preview} for p, _ in problems]
        for p, fr in problems:
            fr.rejected += 1
            self.report.rejected += 1
            self.report.rejects_by_reason[p.reason.split(":")[0] if p.row is None else _reason_kind(p.reason)] += 1
        stored_ids = store.existing_ids(self.con, [d[s.ID] for d in docs])
        new_docs, dup_rows, hashes = [], [], []
        for doc, fr, values in zip(docs, file_reports, signatures or [None] * len(docs), strict=True):
            doc_id = doc[s.ID]
            if doc_id in stored_ids and doc_id not in self.seen:
                fr.already_stored += 1
                self.report.already_stored += 1
                continue
            if doc_id in self.seen:
                dup_rows.append({"run_id": self.run_id, "input_file": doc[s.INPUT_FILE], "input_row": doc[s.INPUT_ROW],
                                 "original_id": doc_id, "kind": "exact", "similarity": 1.0})
                fr.duplicates += 1
                self.report.duplicates += 1
                continue
            signature = dedup.minhash(doc[s.TEXT]) if values is None else dedup.from_hashvalues(values)
            near = self.index.find(signature)
            if near:
                doc[s.DUPLICATE_OF], doc[s.SIMILARITY] = near
                self.report.near_duplicates += 1
            else:
                self.index.add(doc_id, signature)
                hashes.append({"doc_id": doc_id, "signature": dedup.signature_bytes(signature)})
            self.seen[doc_id] = doc_id
            if doc[s.DATE] is None:
                self.report.undated += 1
            new_docs.append(doc)
            fr.stored += 1
            self.report.stored += 1
        if new_docs:
            frame = pd.DataFrame(new_docs, columns=s.DOCUMENT_COLUMNS)
            frame[s.DATE] = pd.to_datetime(frame[s.DATE])
            frame["run_id"] = self.run_id
            store.insert_frame(self.con, "documents", frame)
            trace_rows = [(doc[s.ID], *trace) for doc in new_docs for trace in doc.get(TRACES, ())]
            if trace_rows:
                store.insert_traces(self.con, pd.DataFrame(trace_rows, columns=store.TRACE_COLUMNS))
        store.insert_frame(self.con, "minhashes", pd.DataFrame(hashes, columns=["doc_id", "signature"]))
        store.insert_frame(self.con, "duplicates", pd.DataFrame(
            dup_rows, columns=["run_id", "input_file", "input_row", "original_id", "kind", "similarity"]))
        store.insert_frame(self.con, "rejects", pd.DataFrame(
            rejects, columns=["run_id", "input_file", "input_row", "reason", "preview"]))


def _reason_kind(reason: str) -> str:
    """The kind of a reject for the summary: the reason without its row and values."""
    text = reason
    if text.startswith(("row ", "line ")) and ": " in text:
        text = text.split(": ", 1)[1]
    return text.split(":")[0].split(" (")[0]


def ingest(
    paths: Iterable[Path | str],
    con: duckdb.DuckDBPyConnection,
    *,
    progress: Callable[[int, int | None], None] | None = None,
    fmt: str | None = None,
    column_map: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    near_duplicate_threshold: float = 0.85,
    workers: int | None = None,
) -> IngestReport:
    """Read, clean, deduplicate and store documents from files and folders; return the accounting.

    `workers` processes share the per-record work of large inputs (default: one per core; 1 keeps it all in
    this process); the result is the same whatever the number.
    """
    paths = [Path(p) for p in paths]
    if fmt and fmt not in readers.format_names():
        raise NarrativeError(f"unknown format {fmt!r}", f"use one of {', '.join(readers.format_names())}")
    files, path_problems, manifests = expand(paths, fmt)
    events = [read_events(m.events) for m in manifests if m.events and m.events.is_file()]
    report = IngestReport()
    total = len(files) + len(path_problems)
    done = 0
    preparer = parallel.Preparer(parallel.default_workers() if workers is None else workers)
    with store.transaction(con), contextlib.closing(preparer):
        run_id = store.start_run(con, "ingest", {"paths": [str(p) for p in paths], "format": fmt,
                                                  "column_map": column_map, "defaults": defaults,
                                                  "near_duplicate_threshold": near_duplicate_threshold},
                                 _versions())
        report.run_id = run_id
        writer = _Writer(con, run_id, report, near_duplicate_threshold)
        for problem in path_problems:
            fr = FileReport(problem.file, "?", read=1)
            report.files.append(fr)
            report.read += 1
            writer.write([], [(problem, fr)], [])
        groups = grouped(files)
        for group in groups:
            for item in group:
                report.files.append(FileReport(str(item.path), item.format))
            by_file = {fr.file: fr for fr in report.files[-len(group):]}
            reader = readers.READERS.get(group[0].format)
            # The user's flags over the corpus's settings over the format's own defaults (posts are "social").
            base_defaults = {**(reader.defaults if reader else {}), **group[0].defaults, **(defaults or {})}
            if group[0].format in loaders.TEXT_FORMATS:
                records: Iterable[Item] = textfiles.text_records(group)
            else:
                by_file[str(group[0].path)].platform = reader.platform if reader else None
                records = readers.records(group[0].path, group[0].format)
            _consume(records, by_file, writer, report, column_map, base_defaults, preparer)
            done += len(group)
            if progress:
                progress(done, total)
        report.copies_linked = store.link_copies(con)
        store.finish_run(con, run_id, report.as_dict())
    if events:
        report.events = store.replace_events(con, pd.concat(events, ignore_index=True))
    for manifest in manifests:
        if manifest.aliases:
            store.set_meta(con, "aliases_path", str(manifest.aliases))
        if manifest.framing:
            store.set_meta(con, "framing_path", str(manifest.framing))
        store.set_meta(con, "corpus_name", manifest.name)
    if not report.balanced():  # a bug, not bad input: say so loudly rather than lose a record silently
        raise NarrativeError(f"ingest accounting does not close: {report.as_dict()}")
    return report


def _consume(records: Iterable[Item], by_file: dict[str, FileReport], writer: _Writer,
             report: IngestReport, column_map: dict[str, str] | None, defaults: dict[str, str],
             preparer: parallel.Preparer) -> None:
    docs: list[dict[str, Any]] = []
    doc_files: list[FileReport] = []
    signatures: list[np.ndarray | None] = []
    problems: list[tuple[Problem, FileReport]] = []
    batches = _batches(records, by_file, report, column_map)
    for batch, outcomes in preparer.run(batches, defaults):
        for (record, fr, mapping), outcome in zip(batch, outcomes, strict=True):
            if outcome is None:
                problems.append((record, fr))
            elif outcome[0] is None:
                where = f"row {record.row}: " if record.row is not None else ""
                problems.append((Problem(record.file, record.row, f"{where}{outcome[1]}",
                                         str(record.fields.get(mapping.get(s.TEXT, ""), ""))[:200]), fr))
            else:
                docs.append(outcome[0])
                doc_files.append(fr)
                signatures.append(outcome[2])
            if len(docs) + len(problems) >= CHUNK:
                writer.write(docs, problems, doc_files, signatures)
                docs, doc_files, signatures, problems = [], [], [], []
    writer.write(docs, problems, doc_files, signatures)


def _batches(records: Iterable[Item], by_file: dict[str, FileReport], report: IngestReport,
             column_map: dict[str, str] | None) -> Iterator[tuple[list[Any], list[parallel.Job]]]:
    """Records in batches: (record, file report, mapping) for the accounting, and the jobs to prepare."""
    mappings: dict[tuple[str, ...], dict[str, str]] = {}
    batch: list[tuple[RawRecord | Problem, FileReport, dict[str, str] | None]] = []
    jobs: list[parallel.Job] = []
    for record in records:
        fr = by_file.get(record.file) or by_file.setdefault(record.file, FileReport(record.file, "?"))
        if isinstance(record, FileNote):
            fr.encoding, fr.encoding_confidence = record.encoding, record.encoding_confidence
            continue
        fr.read += 1
        report.read += 1
        if isinstance(record, Problem):
            batch.append((record, fr, None))
            jobs.append(None)
        else:
            columns = tuple(record.fields)
            mapping = mappings.get(columns) or mappings.setdefault(columns, resolve_columns(list(columns), column_map))
            repeats = record.extra.pop("_repeats", frozenset())
            batch.append((record, fr, mapping))
            jobs.append((record, mapping, repeats))
        if len(batch) >= parallel.BATCH:
            yield batch, jobs
            batch, jobs = [], []
    if batch:
        yield batch, jobs


def _versions() -> dict[str, str]:
    import datasketch
    import trafilatura

    return {"duckdb": duckdb.__version__, "trafilatura": trafilatura.__version__,
            "datasketch": datasketch.__version__, "pandas": pd.__version__}
