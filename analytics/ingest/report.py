"""The accounting of an ingest: what happened to each file and to the whole run (read = stored + duplicates +
already stored + rejected)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from . import loaders


@dataclass
class FileReport:
    """What happened to one input file."""

    file: str
    format: str
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    already_stored: int = 0
    rejected: int = 0
    encoding: str | None = None
    encoding_confidence: float | None = None
    platform: str | None = None


@dataclass
class IngestReport:
    """The accounting of one ingest: read = stored + duplicates + already_stored + rejected."""

    run_id: int | None = None
    read: int = 0
    stored: int = 0
    near_duplicates: int = 0
    duplicates: int = 0
    already_stored: int = 0
    rejected: int = 0
    undated: int = 0
    rejects_by_reason: Counter = field(default_factory=Counter)
    files: list[FileReport] = field(default_factory=list)
    events: int = 0
    copies_linked: int = 0

    def balanced(self) -> bool:
        return self.read == self.stored + self.duplicates + self.already_stored + self.rejected

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, "stored": self.stored, "near_duplicates": self.near_duplicates,
                "duplicates": self.duplicates, "already_stored": self.already_stored, "rejected": self.rejected,
                "undated": self.undated, "rejects_by_reason": dict(self.rejects_by_reason), "events": self.events,
                "copies_linked": self.copies_linked,
                # data files, and text files not read as UTF-8: a folder of many text files stays a short record
                "files": [{"file": f.file, "format": f.format, "platform": f.platform, "read": f.read,
                           "stored": f.stored, "encoding": f.encoding, "encoding_confidence": f.encoding_confidence}
                          for f in self.files if f.format not in loaders.TEXT_FORMATS or not _utf8(f.encoding)]}

    def checkpoint(self) -> dict[str, Any]:
        """Everything counted so far, every file's report included, for a killed run to go on from."""
        return {**self.as_dict(), "files": [asdict(f) for f in self.files]}

    @classmethod
    def from_checkpoint(cls, counts: dict[str, Any], run_id: int) -> IngestReport:
        """The report of a killed run as its last committed step left it."""
        fields = {k: counts[k] for k in ("read", "stored", "near_duplicates", "duplicates", "already_stored",
                                          "rejected", "undated", "events", "copies_linked")}
        return cls(run_id=run_id, rejects_by_reason=Counter(counts["rejects_by_reason"]),
                   files=[FileReport(**f) for f in counts["files"]], **fields)


def _utf8(encoding: str | None) -> bool:
    """True for a file read as UTF-8 (with or without a byte-order mark) or not read at all."""
    return encoding in (None, "utf-8", "utf-8-sig")
