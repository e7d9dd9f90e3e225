"""A job's state where the pages read it: the status file beside the store (what the job is doing, how far it
is, how it ended) and the lock file a live job holds (released by the system however the process ends)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config

try:  # POSIX: a lock the system releases when the holder dies
    import fcntl
except ImportError:  # pragma: no cover - Windows: the process id is checked instead
    fcntl = None  # type: ignore[assignment]

# What each stage is called where people read it.
STAGE_NAMES = {
    "ingest": "Reading and storing the files",
    "entities": "Finding who and what is named (actors)",
    "topics": "Finding the themes",
    "search index": "Indexing the words for search",
}
STARTING_GRACE_SECONDS = 60  # a job that said "starting" this recently and holds no lock yet is still starting
CHILDREN: list[subprocess.Popen] = []  # jobs this process started, polled so none is left a zombie


@dataclass
class JobSpec:
    """What a job does: files to add first (with the ingest options the reader chose), then the analysis."""

    profile: str = str(config.setting("profile"))
    paths: list[str] = field(default_factory=list)
    ingest: dict[str, Any] = field(default_factory=dict)  # fmt, column_map, defaults (source_type, dayfirst…)
    refit: bool = False
    topic_options: dict[str, Any] = field(default_factory=dict)
    aliases: str | None = None
    n_process: int = 0
    dask: str | None = None
    topics: bool = True
    demo: bool = False  # build the shipped demo corpus (its files, its alias list, its own choice of profile)

    @property
    def kind(self) -> str:
        if self.demo:
            return "demo corpus"
        if self.refit or self.topic_options:
            return "refit"
        return "add files and analyse" if self.paths else "analysis"

    def steps(self) -> list[str]:
        return ((["ingest"] if self.paths or self.demo else []) + ["entities"] + (["topics"] if self.topics else [])
                + ["search index"])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobSpec:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class JobState:
    """A corpus's job as the pages show it. `state`: idle (no job yet), starting, running, done, failed,
    interrupted."""

    state: str = "idle"
    job_id: int | None = None
    spec: dict[str, Any] = field(default_factory=dict)
    stage: str | None = None
    done: int = 0
    total: int | None = None
    message: str = ""
    details: str = ""
    started_at: str | None = None
    updated_at: str | None = None
    pid: int | None = None

    @property
    def running(self) -> bool:
        return self.state in ("starting", "running")

    @property
    def resumable(self) -> bool:
        return self.state in ("interrupted", "failed")

    @property
    def fraction(self) -> float:
        """How far the whole job is, 0–1: the steps done plus the share of the current one."""
        steps = JobSpec.from_dict(self.spec).steps()
        if self.state == "done":
            return 1.0
        if self.stage not in steps:
            return 0.0
        part = min(self.done / self.total, 1.0) if self.total else 0.0
        return (steps.index(self.stage) + part) / len(steps)

    def sentence(self) -> str:
        """Where the job is, in words."""
        steps = JobSpec.from_dict(self.spec).steps()
        if self.state == "starting":
            return "Starting the analysis…"
        if self.state == "running":
            name = STAGE_NAMES.get(self.stage or "", "Working")
            where = f"step {steps.index(self.stage) + 1} of {len(steps)}: " if self.stage in steps else ""
            count = f" — {self.done:,} of {self.total:,}" if self.total else ""
            return f"Analysis running, {self.fraction:.0%} ({where}{name.lower()}{count})."
        return self.message


def status_path(db: str | Path) -> Path:
    """The status file of a store's job (beside the store)."""
    path = Path(db)
    return path.with_name(path.name + ".job.json")


def lock_path(db: str | Path) -> Path:
    path = Path(db)
    return path.with_name(path.name + ".job.lock")


def log_path(db: str | Path) -> Path:
    """Where a background job writes what it prints (kept for a bug report)."""
    path = Path(db)
    return path.with_name(path.name + ".job.log")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def write_status(db: str | Path, **fields: Any) -> None:
    """Merge fields into the status file, atomically (a reader sees the old file or the new one, never half)."""
    path = status_path(db)
    current = read_status(db)
    current.update(fields, updated_at=now())
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(current, default=str), encoding="utf-8")
    os.replace(tmp, path)


def read_status(db: str | Path) -> dict[str, Any]:
    try:
        return json.loads(status_path(db).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def lock_held(db: str | Path, pid: int | None) -> bool:
    """Whether a live job holds this store's job lock."""
    for child in list(CHILDREN):  # reap the jobs this process started that have ended
        if child.poll() is not None:
            CHILDREN.remove(child)
    if fcntl is None:  # pragma: no cover
        if not pid:
            return False
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    path = lock_path(db)
    if not path.exists():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def state(db: str | Path) -> JobState:
    """The job of this store as the pages show it: from the status file, checked against the lock (a job whose
    process is gone is `interrupted`)."""
    raw = read_status(db)
    if not raw:
        return JobState()
    found = JobState(**{k: v for k, v in raw.items() if k in JobState.__dataclass_fields__})
    if found.running and not lock_held(db, found.pid):
        started = found.updated_at or found.started_at
        fresh = started and (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(started)).total_seconds() \
            < STARTING_GRACE_SECONDS
        if not (found.state == "starting" and fresh):
            name = STAGE_NAMES.get(found.stage or "", "the analysis").lower()
            found.state = "interrupted"
            found.message = (f"The analysis stopped before it finished ({name}, {found.fraction:.0%}). Nothing "
                             "half-written was kept. Resume it to carry on from the last completed step.")
    return found
