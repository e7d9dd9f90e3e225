"""Analysis as a background job per corpus: add files, find actors, find themes — in a process of its own, so it
goes on when the reader changes page, reloads or closes the tab, and can be resumed after an interruption.

Why a process of its own: DuckDB lets one process write a store, and the analysis holds it for minutes. Run in the
app's server it would stop with the page that started it (Streamlit ends a page's script when the reader leaves)
and clash with the pages' read-only connections. The job process owns the store's write lock while it works; the
pages read its progress from a small status file beside the store (`<store>.job.json`), never from the store, so
they answer at once ("analysis running, 40 %") instead of waiting for the lock. The job records itself in the
store's `jobs` table (start, stage, end, message). A lock file (`<store>.job.lock`, held for the job's life) tells
a live job from one that was killed: the system releases the lock when the process ends, however it ends.

Resuming is running the same job again: the stages are incremental and transactional (an interrupted ingest stored
nothing, and is read again; entities and themes continue with the documents not yet done).

    jobs.start(db, JobSpec(profile="fast", paths=["data/uploads/x"]))  # the app, `narrative analyze --background`
    jobs.state(db)                                                      # what the pages show
    jobs.run(db, spec)                                                  # the job itself, in the job's process
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from ..errors import JOB_RUNNING
from .runner import run
from .status import (
    CHILDREN,
    STAGE_NAMES,
    JobSpec,
    JobState,
    log_path,
    now,
    read_status,
    state,
    status_path,
    write_status,
)

__all__ = ["STAGE_NAMES", "JobSpec", "JobState", "log_path", "resume", "run", "start", "state", "status_path"]


def start(db: str | Path, spec: JobSpec) -> JobState:
    """Start a job in a process of its own and return at once; JOB_RUNNING when one is running already."""
    db = Path(db).resolve()
    current = state(db)
    if current.running:
        raise JOB_RUNNING.error(path=db, started=current.started_at or "earlier")
    db.parent.mkdir(parents=True, exist_ok=True)
    status_path(db).unlink(missing_ok=True)
    write_status(db, state="starting", spec=asdict(spec), started_at=now(), stage=None, done=0, total=None,
                  message="", details="", job_id=None, pid=None)
    with open(log_path(db), "a", encoding="utf-8") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "analytics", "run-job", "--db", str(db)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    CHILDREN.append(child)
    write_status(db, pid=child.pid)
    return state(db)


def resume(db: str | Path) -> JobState:
    """Run the last job of this store again (after an interruption or a failure): its remaining steps."""
    spec = JobSpec.from_dict(read_status(db).get("spec") or {})
    return start(db, spec)
