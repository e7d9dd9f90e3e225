"""What to read: paths expanded into input files (folders walked, packaged corpora's corpus.toml read, each file's
format detected), text files grouped per folder, and a corpus's events file."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, RecordRejected
from . import loaders, readers, textfiles
from .loaders import Problem

MANIFEST = "corpus.toml"


@dataclass
class InputFile:
    path: Path
    format: str
    defaults: dict[str, str] = field(default_factory=dict)
    confidence: float = 1.0


@dataclass
class Manifest:
    """A packaged corpus folder's corpus.toml: its document files, events file, alias list and defaults."""

    folder: Path
    name: str
    documents: list[Path]
    events: Path | None
    aliases: Path | None
    defaults: dict[str, str]
    framing: Path | None = None


def read_manifest(folder: Path) -> Manifest:
    """Parse a corpus.toml; names the file and the problem when it is wrong."""
    path = folder / MANIFEST
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not valid TOML ({exc})") from exc
    docs: list[Path] = []
    for pattern in data.get("documents", ["*"]):
        docs += sorted(p for p in folder.glob(pattern) if p.is_file())
    if not docs:
        raise InputError(str(path), f"its documents patterns {data.get('documents')} match no file")
    events = folder / data["events"] if data.get("events") else None
    aliases = (folder / data["aliases"]).resolve() if data.get("aliases") else None
    framing = (folder / data["framing"]).resolve() if data.get("framing") else None
    return Manifest(folder, data.get("name", folder.name), docs, events, aliases, dict(data.get("defaults", {})),
                    framing)


def expand(paths: Iterable[Path], fmt: str | None = None) -> tuple[list[InputFile], list[Problem], list[Manifest]]:
    """Input files to read (each with its detected format), problems with paths (missing, unsupported), and
    manifests found."""
    files: list[InputFile] = []
    problems: list[Problem] = []
    manifests: list[Manifest] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(str(path), "no such file or folder")
        if path.is_dir() and (path / MANIFEST).is_file():
            manifest = read_manifest(path)
            manifests.append(manifest)
            for p in manifest.documents:
                found = readers.detect(p, fmt)
                files.append(InputFile(p, found.format if found else "txt", manifest.defaults,
                                       found.confidence if found else 1.0))
            continue
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        archives = _twitter_archive_roots(candidates) if path.is_dir() else set()
        for p in candidates:
            if path.is_dir() and (any(part.startswith(".") for part in p.relative_to(path).parts)
                                  or loaders.NOT_DOCUMENTS.match(p.name) or p.name in textfiles.SIDECAR_NAMES):
                continue
            if archives and any(root in p.parents for root in archives) and \
                    not readers.twitter_archive.TWEET_FILES.match(p.name):
                continue  # an X/Twitter archive's other files (likes, messages, its viewer's pages): not posts
            if p.is_symlink():
                problems.append(Problem(str(p), None, "symbolic link: not followed"))
                continue
            found = readers.detect(p, fmt)
            if found is None:
                problems.append(Problem(str(p), None, f"unsupported file type {p.suffix or '(none)'}; "
                                        "use CSV, TSV, JSON, JSONL, Parquet, RSS/Atom, TXT, MD or HTML, or a "
                                        "platform export (see --format)"))
                continue
            files.append(InputFile(p, found.format, confidence=found.confidence))
    # A .json beside a text file of the same stem is that file's metadata, not a data file.
    text_stems = {(f.path.parent, f.path.stem) for f in files if f.format in loaders.TEXT_FORMATS}
    files = [f for f in files if not (f.format == "json" and (f.path.parent, f.path.stem) in text_stems)]
    return files, problems, manifests


def _twitter_archive_roots(candidates: list[Path]) -> set[Path]:
    """Folders that are X/Twitter archives (a data/ folder with account.js and a tweets file)."""
    roots = set()
    for p in candidates:
        if p.name == "account.js" and any(readers.twitter_archive.TWEET_FILES.match(q.name)
                                          for q in p.parent.iterdir()):
            roots.add(p.parent.parent if p.parent.name == "data" else p.parent)
    return roots


def read_events(path: Path) -> pd.DataFrame:
    """An events file (date, date_precision, label, description, kind); a bad row names its line."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"date", "label"} - set(frame.columns)
    if missing:
        raise InputError(str(path), f"events file lacks the column(s) {', '.join(sorted(missing))}")
    from .dates import parse_date

    rows = []
    for n, row in enumerate(frame.to_dict("records"), 2):
        try:
            parsed = parse_date(row["date"])
        except RecordRejected as exc:
            raise InputError(str(path), f"line {n}: {exc.reason}") from exc
        if parsed is None:
            raise InputError(str(path), f"line {n}: no date")
        rows.append({"date": parsed[0], "date_precision": row.get("date_precision") or parsed[1],
                     "label": row["label"], "description": row.get("description", ""),
                     "kind": row.get("kind", "")})
    out = pd.DataFrame(rows, columns=["date", "date_precision", "label", "description", "kind"])
    out["date"] = pd.to_datetime(out["date"])
    return out


def grouped(files: list[InputFile]) -> list[list[InputFile]]:
    """Data files one by one; text files together per folder (they share sidecars and boilerplate)."""
    groups: list[list[InputFile]] = []
    text_groups: dict[Path, list[InputFile]] = {}
    for item in files:
        if item.format in loaders.TEXT_FORMATS:
            if item.path.parent not in text_groups:
                text_groups[item.path.parent] = []
                groups.append(text_groups[item.path.parent])
            text_groups[item.path.parent].append(item)
        else:
            groups.append([item])
    return groups
