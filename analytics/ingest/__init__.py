"""Ingest: files and folders in, clean, dated, deduplicated documents out, with every record accounted for.

Entry point: `ingest(paths, con)`. Steps: expand paths (folders, corpus manifests) and detect each file's format
(readers/) → read records with its reader → map each to the document record (clean, language, date, id, a post's
traces) → exact and near-duplicate checks → write documents, traces, duplicates and rejects, committed every
`ingest_commit_records` records with the run's counts so far → link copies (retweets, forwards) to their originals
and close the run. Every record read is stored, listed as a duplicate, already stored, or rejected with its reason.

A killed ingest leaves what it committed, its run still marked running with the counts of what it stored; the same
command run again (same paths, options and unchanged files) goes on after the last commit and ends as an
uninterrupted run would, under the same run id. Any other ingest marks it interrupted and counts its documents as
already stored.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import config, store
from .. import schema as s
from ..errors import NarrativeError
from . import dedup, loaders, parallel, readers, textfiles
from .inputs import MANIFEST, InputFile, Manifest, expand, grouped, read_events, read_manifest
from .loaders import FileNote, Item, Problem, RawRecord
from .records import TRACES, resolve_columns
from .report import FileReport, IngestReport

__all__ = ["MANIFEST", "FileReport", "IngestReport", "InputFile", "Manifest", "expand", "ingest", "read_events",
           "read_manifest"]

CHUNK = 2000  # records written to the store at a time
SIGNATURE_BATCH = 50_000  # stored signatures read at a time when the near-duplicate index is rebuilt


class _Writer:
    """Holds the near-duplicate index; writes each chunk and commits every `commit_every` records with the counts
    so far, so that a killed run can go on from there (`written`: the records accounted for, in reading order)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: int, report: IngestReport,
                 index: dedup.NearDuplicateIndex, steps: store.Steps, commit_every: int, resume: dict[str, Any],
                 written: int = 0) -> None:
        self.con, self.run_id, self.report, self.index, self.steps = con, run_id, report, index, steps
        self.commit_every, self.resume = commit_every, resume
        self.written = self.committed = written

    def write(self, docs: list[dict[str, Any]], problems: list[tuple[Problem, FileReport]],
              file_reports: list[FileReport], signatures: list[np.ndarray | None] | None = None) -> None:
        """Store a chunk; `signatures` are the documents' MinHash values when a worker computed them already."""
        rejects = [{"run_id": self.run_id, "input_file": p.file, "input_row": p.row, "reason": p.reason,
                    "preview": p.preview} for p, _ in problems]
        for p, fr in problems:
            fr.rejected += 1
            self.report.rejected += 1
            self.report.rejects_by_reason[p.reason.split(":")[0] if p.row is None else _reason_kind(p.reason)] += 1
        # Ids stored before: by this run (in a committed step, or earlier in this chunk) they are exact
        # duplicates; by another run, already stored.
        stored_by = store.stored_runs(self.con, [d[s.ID] for d in docs])
        this_chunk: set[str] = set()
        new_docs, new_files, new_values, dup_rows = [], [], [], []
        for doc, fr, values in zip(docs, file_reports, signatures or [None] * len(docs), strict=True):
            doc_id = doc[s.ID]
            in_this_run = doc_id in this_chunk or stored_by.get(doc_id) == self.run_id
            if doc_id in stored_by and not in_this_run:
                fr.already_stored += 1
                self.report.already_stored += 1
                continue
            if in_this_run:
                dup_rows.append({"run_id": self.run_id, "input_file": doc[s.INPUT_FILE], "input_row": doc[s.INPUT_ROW],
                                 "original_id": doc_id, "kind": "exact", "similarity": 1.0})
                fr.duplicates += 1
                self.report.duplicates += 1
                continue
            this_chunk.add(doc_id)
            new_docs.append(doc)
            new_files.append(fr)
            new_values.append(dedup.minhash(doc[s.TEXT]).hashvalues if values is None else values)
        hashes = []
        if new_docs:
            values = np.asarray(new_values, dtype=np.uint64)
            found = self.index.resolve([d[s.ID] for d in new_docs], values)
            for doc, fr, near, row in zip(new_docs, new_files, found, values, strict=True):
                if near:
                    doc[s.DUPLICATE_OF], doc[s.SIMILARITY] = near
                    self.report.near_duplicates += 1
                else:
                    hashes.append({"doc_id": doc[s.ID], "signature": row.tobytes()})
                if doc[s.DATE] is None:
                    self.report.undated += 1
                fr.stored += 1
                self.report.stored += 1
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
        self.written += len(docs) + len(problems)
        if self.written - self.committed >= self.commit_every:
            self.commit()

    def commit(self) -> None:
        """Commit what is written, with the counts so far and where the reading got to."""
        store.save_run_counts(self.con, self.run_id, {**self.report.checkpoint(),
                                                      "resume": {**self.resume, "written": self.written}})
        self.steps.commit()
        self.committed = self.written


class _Skip:
    """The records a resumed run has accounted for already: the first `count` read are passed over."""

    def __init__(self, count: int) -> None:
        self.count = count

    def take(self) -> bool:
        """True (pass this record over) while records remain to skip."""
        if self.count <= 0:
            return False
        self.count -= 1
        return True


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
    commit_every: int | None = None,
) -> IngestReport:
    """Read, clean, deduplicate and store documents from files and folders; return the accounting.

    `workers` processes share the per-record work of large inputs (default: one per core; 1 keeps it all in
    this process); the result is the same whatever the number. `commit_every` records are committed at a time
    (default: the `ingest_commit_records` setting); the result is the same whatever the number.
    """
    paths = [Path(p) for p in paths]
    if fmt and fmt not in readers.format_names():
        raise NarrativeError(f"unknown format {fmt!r}", f"use one of {', '.join(readers.format_names())}")
    files, path_problems, manifests = expand(paths, fmt)
    events = [read_events(m.events) for m in manifests if m.events and m.events.is_file()]
    total = len(files) + len(path_problems)
    done = 0
    params = {"paths": [str(p) for p in paths], "format": fmt, "column_map": column_map, "defaults": defaults,
              "near_duplicate_threshold": near_duplicate_threshold}
    resume = {"inputs": _fingerprint(files)}
    preparer = parallel.Preparer(parallel.default_workers() if workers is None else workers)
    every = int(config.setting("ingest_commit_records")) if commit_every is None else commit_every
    limit = str(config.setting("ingest_memory_limit") or "")
    with store.memory_limited(con, limit), store.transaction_in_steps(con) as steps, contextlib.closing(preparer), \
            dedup.NearDuplicateIndex(near_duplicate_threshold) as index:
        report, written = _resumed(con, params, resume)
        started = report is None
        if report is None:
            report = IngestReport(run_id=store.start_run(con, "ingest", params, _versions()))
        for ids, signatures in store.minhash_signature_batches(con, SIGNATURE_BATCH):
            index.load(ids, signatures)
        writer = _Writer(con, report.run_id, report, index, steps, max(1, every), resume, written)
        if started:  # the run is resumable (under its id) from its first record on
            writer.commit()
        skip = _Skip(written)
        for problem in path_problems:
            if skip.take():
                continue
            fr = FileReport(problem.file, "?", read=1)
            report.files.append(fr)
            report.read += 1
            writer.write([], [(problem, fr)], [])
        known = {fr.file: fr for fr in report.files}
        for group in grouped(files):
            for item in group:
                if str(item.path) not in known:
                    known[str(item.path)] = FileReport(str(item.path), item.format)
                    report.files.append(known[str(item.path)])
            by_file = {str(item.path): known[str(item.path)] for item in group}
            reader = readers.READERS.get(group[0].format)
            # The user's flags over the corpus's settings over the format's own defaults (posts are "social").
            base_defaults = {**(reader.defaults if reader else {}), **group[0].defaults, **(defaults or {})}
            if group[0].format in loaders.TEXT_FORMATS:
                records: Iterable[Item] = textfiles.text_records(group)
            else:
                by_file[str(group[0].path)].platform = reader.platform if reader else None
                records = readers.records(group[0].path, group[0].format)
            _consume(records, by_file, writer, report, column_map, base_defaults, preparer, skip)
            done += len(group)
            if progress:
                progress(done, total)
        report.copies_linked = store.link_copies(con)
        store.finish_run(con, report.run_id, report.as_dict())
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


def _fingerprint(files: list[InputFile]) -> list[list[Any]]:
    """Each input file's path, size and modification time: a killed run is resumed only over the same bytes."""
    out = []
    for item in files:
        stat = item.path.stat()
        out.append([str(item.path), stat.st_size, stat.st_mtime_ns])
    return out


def _resumed(con: duckdb.DuckDBPyConnection, params: dict[str, Any], resume: dict[str, Any]
             ) -> tuple[IngestReport | None, int]:
    """The report of a killed ingest of the same paths, options and files, and how many records it had accounted
    for; (None, 0) when there is none to go on from (start_run then marks any killed one interrupted)."""
    unfinished = store.unfinished_run(con, "ingest")
    if unfinished is None or not unfinished["counts"]:
        return None, 0
    counts = json.loads(unfinished["counts"])
    same_params = json.loads(unfinished["params"]) == json.loads(json.dumps(params, default=str))
    step = counts.get("resume") or {}
    if not same_params or step.get("inputs") != json.loads(json.dumps(resume["inputs"])):
        return None, 0
    return IngestReport.from_checkpoint(counts, unfinished["run_id"]), int(step["written"])


def _consume(records: Iterable[Item], by_file: dict[str, FileReport], writer: _Writer,
             report: IngestReport, column_map: dict[str, str] | None, defaults: dict[str, str],
             preparer: parallel.Preparer, skip: _Skip) -> None:
    docs: list[dict[str, Any]] = []
    doc_files: list[FileReport] = []
    signatures: list[np.ndarray | None] = []
    problems: list[tuple[Problem, FileReport]] = []
    batches = _batches(records, by_file, column_map, skip)
    for batch, outcomes in preparer.run(batches, defaults):
        for (record, fr, mapping), outcome in zip(batch, outcomes, strict=True):
            # counted here, as the record is accounted for, so that a step's counts match what it wrote
            fr.read += 1
            report.read += 1
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


def _batches(records: Iterable[Item], by_file: dict[str, FileReport], column_map: dict[str, str] | None,
             skip: _Skip) -> Iterator[tuple[list[Any], list[parallel.Job]]]:
    """Records in batches: (record, file report, mapping) for the accounting, and the jobs to prepare (those a
    resumed run accounted for already are passed over)."""
    mappings: dict[tuple[str, ...], dict[str, str]] = {}
    batch: list[tuple[RawRecord | Problem, FileReport, dict[str, str] | None]] = []
    jobs: list[parallel.Job] = []
    for record in records:
        fr = by_file.get(record.file) or by_file.setdefault(record.file, FileReport(record.file, "?"))
        if isinstance(record, FileNote):
            fr.encoding, fr.encoding_confidence = record.encoding, record.encoding_confidence
            continue
        if skip.take():
            continue
        if isinstance(record, RawRecord) and fr.format in loaders.TEXT_FORMATS and record.extra.get("encoding"):
            # a text file says its encoding on its one record, not in a FileNote
            fr.encoding = record.extra["encoding"]
            fr.encoding_confidence = record.extra.get("encoding_confidence")
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
