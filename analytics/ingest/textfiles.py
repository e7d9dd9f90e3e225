"""Text files (.txt, .md, .html) as documents: one file one record, with metadata from a sidecar file in the
folder, YAML front matter or the file name, and the folder's repeated lines passed on for boilerplate removal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from . import clean, encoding
from .loaders import Problem, RawRecord, load_csv, load_json, load_jsonl, read_bytes

if TYPE_CHECKING:
    from .inputs import InputFile

SIDECAR_NAMES = ("metadata.csv", "metadata.json", "metadata.jsonl", "_metadata.csv", "_metadata.json")
SIDECAR_KEYS = ("file", "filename", "file_name", "path", "name")

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (--- … ---) as a dict, and the text after it; ({}, text) when there is none."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return {str(k): v for k, v in meta.items()}, text[m.end():]


def load_sidecar(folder: Path) -> dict[str, dict[str, Any]]:
    """Metadata for the text files of a folder, keyed by file name, from metadata.csv/.json/.jsonl."""
    out: dict[str, dict[str, Any]] = {}
    for name in SIDECAR_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        loader = load_csv if path.suffix == ".csv" else load_jsonl if path.suffix == ".jsonl" else load_json
        for record in loader(path):
            if not isinstance(record, RawRecord):
                continue
            fields = {k.strip(): v for k, v in record.fields.items()}
            key = next((fields[k] for k in SIDECAR_KEYS if fields.get(k)), None)
            if key:
                out[Path(str(key)).name] = {k: v for k, v in fields.items() if k not in SIDECAR_KEYS}
    return out


def load_text_file(path: Path, sidecar: dict[str, Any] | None, fmt: str) -> RawRecord | Problem:
    """One .txt/.md/.html file as one record; metadata from the sidecar, front matter, then the file name."""
    try:
        decoded = encoding.decode(read_bytes(path), str(path))
    except InputError as exc:
        return Problem(str(path), None, exc.reason)
    text = decoded.text
    if not text.strip():
        return Problem(str(path), None, "empty file")
    fields: dict[str, Any] = {}
    origin = "none"
    if fmt in ("txt", "md"):
        front, text = split_front_matter(text)
        if front:
            fields.update(front)
            origin = "front_matter"
    if sidecar:
        fields.update(sidecar)
        origin = "sidecar"
    fields["text"] = text
    fields.setdefault("_file_name", path.name)
    return RawRecord(str(path), None, fields, date_origin=origin,
                     kind="html" if fmt == "html" else "scraped",
                     extra={"encoding": decoded.encoding, "encoding_confidence": decoded.confidence})



def text_records(group: list[InputFile]) -> Iterator[RawRecord | Problem]:
    """Text files of one folder, with sidecar metadata and the folder's repeated lines for boilerplate."""
    folder = group[0].path.parent
    sidecar = load_sidecar(folder)
    records = []
    for item in group:
        meta = dict(sidecar.get(item.path.name, {}))
        per_file = item.path.with_suffix(".json")
        if per_file.is_file():
            for rec in load_json(per_file):
                if isinstance(rec, RawRecord):
                    meta.update(rec.fields)
                    break
        records.append(load_text_file(item.path, meta or None, item.format))
    texts = [r.fields["text"] for r in records if isinstance(r, RawRecord) and r.kind == "scraped"]
    repeats = clean.repeated_lines(texts)
    for record in records:
        if isinstance(record, RawRecord):
            record.extra["_repeats"] = repeats
        yield record
