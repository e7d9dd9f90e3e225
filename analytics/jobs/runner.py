"""The job itself, run in the job's own process (`narrative run-job`) or by `narrative analyze` in the foreground:
add the files, find actors, find themes; its progress in the status file, its start and end in the store."""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import config, store
from ..errors import JOB_NO_DOCUMENTS, JOB_RUNNING, NarrativeError
from .status import JobSpec, fcntl, lock_path, now, read_status, status_path, write_status


@contextlib.contextmanager
def job_lock(db: str | Path) -> Iterator[None]:
    """Hold the store's job lock for the length of a job; a second job of the same store is refused."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    handle = open(lock_path(db), "a+")  # noqa: SIM115 - held for the with-block
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise JOB_RUNNING.error(path=db, started=read_status(db).get("started_at", "earlier")) from exc
        yield
    finally:
        handle.close()


def _summary(results: dict[str, Any]) -> str:
    """The sentence a finished job leaves for the reader."""
    parts = []
    report = results.get("ingest")
    if report is not None:
        if report.stored:
            parts.append(f"Stored {report.stored:,} new document(s)")
        else:
            parts.append("Nothing new to store")
        extra = [f"{n:,} {what}" for n, what in ((report.already_stored, "already stored"),
                                                   (report.duplicates, "duplicates"),
                                                   (report.rejected, "rejected (see the rejected records)"))
                 if n]
        parts[-1] += f" ({', '.join(extra)})" if extra else ""
    if "entities" in results:
        found = results["entities"].get("documents", 0)
        parts.append(f"actors found in {found:,} document(s)" if found else "actors were up to date")
    if "topics" in results:
        topics = results["topics"]
        if "topics" in topics:
            parts.append(f"{topics['topics']} themes")
        elif topics.get("assigned"):
            parts.append(f"{topics['assigned']:,} new document(s) placed in the themes")
        else:
            parts.append("themes were up to date")
    if results.get("skipped_themes"):
        parts.append(results["skipped_themes"])
    text = "; ".join(parts) if parts else "Done"
    return text[:1].upper() + text[1:] + "."


def run(db: str | Path, spec: JobSpec | None = None,
        progress: Callable[[str, int, int | None], None] | None = None) -> dict[str, Any]:
    """The job itself, in this process: add the files, then analyse; its state in the status file and the store.
    Called by the job's process (`narrative run-job`) and by `narrative analyze` in the foreground."""
    from .. import pipeline
    from ..corpus import Corpus

    db = Path(db).resolve()
    spec = spec or JobSpec.from_dict(read_status(db).get("spec") or {})
    with job_lock(db):
        started = read_status(db).get("started_at") or now()
        status_path(db).unlink(missing_ok=True)
        write_status(db, state="running", spec=asdict(spec), started_at=started, stage=None, done=0, total=None,
                      message="", details="", pid=os.getpid())
        with store.opened(db) as con:
            job_id = store.start_job(con, spec.kind, asdict(spec), os.getpid())
        write_status(db, job_id=job_id)
        last = {"at": 0.0, "stage": None}

        def report(stage: str, done: int, total: int | None) -> None:
            if progress:
                progress(stage, done, total)
            now = time.monotonic()  # a few writes a second at most: the file is for people watching a bar
            if stage != last["stage"] or now - last["at"] > 0.25 or (total and done >= total):
                last.update(at=now, stage=stage)
                write_status(db, stage=stage, done=done, total=total)

        try:
            results = _stages(db, spec, report, pipeline, Corpus)
        except NarrativeError as exc:
            _end(db, job_id, "failed", f"The analysis stopped: {exc.user_message()}", "")
            raise
        except KeyboardInterrupt:
            _end(db, job_id, "interrupted", "The analysis was stopped. Resume it to carry on.", "")
            raise
        except Exception as exc:
            _end(db, job_id, "failed", f"The analysis stopped on an unexpected error ({type(exc).__name__}). "
                 "Resume it to try again; if it stops again, send the details below with your report.",
                 traceback.format_exc())
            raise
        _end(db, job_id, "done", _summary(results), "")
        return results


def _stages(db: Path, spec: JobSpec, report: Callable[[str, int, int | None], None], pipeline: Any,
            corpus_class: Any) -> dict[str, Any]:
    results: dict[str, Any] = {}
    if spec.demo:
        report("ingest", 0, None)
        return pipeline.build_demo(db, progress=report)
    if spec.paths:
        report("ingest", 0, None)
        results["ingest"] = pipeline.ingest_paths(db, [Path(p) for p in spec.paths], progress=report,
                                                  **spec.ingest)
    corpus = corpus_class.open(db)
    documents = corpus.counts()["documents"]
    if not documents:
        raise JOB_NO_DOCUMENTS.error(path=db)
    minimum = int(config.setting("min_documents_for_themes"))
    topics = spec.topics and documents >= minimum
    pending = corpus.analysis_pending()
    left = pending["without_actors"] + (pending["without_theme"] if topics else 0)
    if spec.paths and not spec.refit and not spec.topic_options and not left:
        return results  # nothing new was stored and every document is analysed: nothing to run
    if spec.topics and not topics:
        results["skipped_themes"] = f"themes need at least {minimum} documents (this corpus has {documents})"
    previous_run = (corpus.run() or {}).get("run_id")
    results.update(pipeline.analyze(
        db, profile=spec.profile, aliases_path=Path(spec.aliases) if spec.aliases else None,
        n_process=spec.n_process, progress=report, topics=topics, dask=spec.dask, refit=spec.refit,
        topic_options=spec.topic_options or None))
    if spec.refit or spec.topic_options:
        from ..edits import log_refit

        new_run = (corpus.run() or {}).get("run_id")
        if new_run is not None and new_run != previous_run:
            with store.opened(db) as con:
                log_refit(con, previous_run, int(new_run), f"Refitted the themes ({spec.profile} profile): "
                          f"{results.get('topics', {}).get('topics', '?')} themes")
    return results


def _end(db: Path, job_id: int, status: str, message: str, details: str) -> None:
    """Record how a job ended, in the status file first (the pages read it) and then in the store."""
    write_status(db, state=status, message=message, details=details)
    with contextlib.suppress(NarrativeError):
        with store.opened(db) as con:
            store.finish_job(con, job_id, status, message)
