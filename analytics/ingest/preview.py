"""What ingesting a file would do, before anything is stored: the format detected and how sure detection is, the
encoding, which input column feeds each document field, what the reader is unsure of, and the first records as
they would be stored (or why they would be rejected). The app's upload page shows this and asks for a column
mapping when the reader is unsure; `preview(path, column_map=...)` shows the effect of the user's choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd

from .. import schema as s
from ..errors import RecordRejected
from . import loaders, readers, textfiles
from .loaders import FileNote, Problem, RawRecord
from .records import INFERRED_TYPE, resolve_columns, to_document

# Fields a document needs to be useful; a generic file without a column for one of them is worth a question.
NEEDED_FIELDS = (s.TEXT, s.DATE, s.SOURCE)
PREVIEW_COLUMNS = [s.DATE, s.SOURCE, s.SOURCE_TYPE, s.AUTHOR, s.LANGUAGE, s.TITLE, s.TEXT, s.URL]


@dataclass
class Preview:
    """The dry run of one file."""

    file: str
    format: str
    description: str
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    encoding: str | None = None
    encoding_confidence: float | None = None
    platform: str | None = None
    # document field -> the input column (generic files) or what the reader takes it from (platform exports)
    mapping: dict[str, str] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)  # the input's own column names, for a mapping form
    unsure: list[str] = field(default_factory=list)  # plain-words reasons to ask the user
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # the first records as they would be stored
    rejected: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def needs_mapping(self) -> bool:
        return bool(self.unsure)


def preview(path: Path | str, *, rows: int = 5, fmt: str | None = None, column_map: dict[str, str] | None = None,
            defaults: dict[str, str] | None = None) -> Preview:
    """A dry run of the first `rows` records of one file (nothing is stored)."""
    path = Path(path)
    found = readers.detect(path, fmt)
    if found is None:
        return Preview(str(path), "?", "a file type nothing reads", 0.0,
                       unsure=[f"{path.suffix or 'no suffix'} files are not read; choose a format"])
    reader = found.reader
    out = Preview(str(path), found.format, reader.description if reader else f"{found.format} text file",
                  found.confidence, list(found.alternatives), platform=reader.platform if reader else None)
    if found.format in loaders.TEXT_FORMATS:
        items: list[Any] = [textfiles.load_text_file(path, None, found.format)]
    else:
        items = list(islice(readers.records(path, found.format), rows + 1))
    merged = {**(reader.defaults if reader else {}), **(defaults or {})}
    docs = []
    for item in items:
        if isinstance(item, FileNote):
            out.encoding, out.encoding_confidence = item.encoding, item.encoding_confidence
            continue
        if isinstance(item, Problem):
            # readers write "row N: reason" for the CLI's list; the preview keeps the row beside the reason
            out.rejected.append((item.row, item.reason.removeprefix(f"row {item.row}: ")))
            continue
        if isinstance(item, RawRecord) and item.kind in ("html", "scraped"):
            out.encoding = item.extra.get("encoding", out.encoding)
            out.encoding_confidence = item.extra.get("encoding_confidence", out.encoding_confidence)
        mapping = resolve_columns(list(item.fields), column_map)
        if not out.columns and item.kind == "table":
            out.columns = list(item.fields)
            out.mapping = {k: v for k, v in mapping.items() if not k.startswith("_")}
            if mapping.get(INFERRED_TYPE):
                out.mapping[s.SOURCE_TYPE] = f"{mapping[INFERRED_TYPE]} (the columns are a post export's)"
        try:
            docs.append(to_document(item, mapping, merged))
        except RecordRejected as exc:
            out.rejected.append((item.row, exc.reason))
    if reader and reader.fields and not out.mapping:
        out.mapping = dict(reader.fields)
    out.rows = pd.DataFrame(docs[:rows], columns=s.DOCUMENT_COLUMNS)[PREVIEW_COLUMNS] if docs else \
        pd.DataFrame(columns=PREVIEW_COLUMNS)
    out.unsure = _doubts(out, found, docs)
    return out


def _doubts(out: Preview, found: readers.Detection, docs: list[dict[str, Any]]) -> list[str]:
    doubts = []
    generic = not (found.reader and found.reader.fields)  # read by its suffix; its columns are found by name
    if found.confidence < readers.SURE and not generic:
        doubts.append(f"the format was guessed from the file name only ({out.format})")
    close = [name for name, score in found.alternatives if score >= found.confidence - 0.05 and score >= readers.SURE]
    if close:
        doubts.append(f"it could also be read as {', '.join(close)}")
    if out.columns and generic:
        for needed in NEEDED_FIELDS:
            if needed not in out.mapping:
                doubts.append(f"no column was recognised as the {needed}")
    if out.encoding_confidence is not None and out.encoding_confidence < 0.5:
        doubts.append(f"the text encoding was guessed ({out.encoding}, confidence {out.encoding_confidence:.2f})")
    if docs and all(d[s.DATE] is None for d in docs):
        doubts.append("none of the first records has a date")
    return doubts
