"""Uploads: files and zip archives from the app, written only inside the corpus's own folder.

Refused with a clear message: names with `..` or absolute paths, symlinks, archives that expand too much (a zip
bomb), more files or bytes than the limits. Nothing is written outside `dest`.
"""

from __future__ import annotations

import re
import stat
import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath

from .errors import (
    UPLOAD_BOMB,
    UPLOAD_FILE_TYPE,
    UPLOAD_LINK,
    UPLOAD_NAME,
    UPLOAD_NOT_ZIP,
    UPLOAD_PATH_ESCAPES,
    UPLOAD_SIZE_LIE,
    UPLOAD_TOO_LARGE,
    UPLOAD_TOO_MANY_FILES,
)

ALLOWED_SUFFIXES = {".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".parquet", ".txt", ".md", ".html", ".htm", ".js",
                    ".xml", ".rss", ".atom", ".toml"}
MAX_FILES = 20_000
MAX_RATIO = 100  # uncompressed / compressed; text compresses ~5-10x, a bomb ~1000x


def corpus_slug(name: str) -> str:
    """A safe folder and store name from what the user typed."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]
    if not slug or slug == "demo":
        raise UPLOAD_NAME.error(name=name)
    return slug


def _safe_member_path(name: str, dest: Path) -> Path:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or any(part in ("..", "") for part in pure.parts) or re.match(r"^[A-Za-z]:", name):
        raise UPLOAD_PATH_ESCAPES.error(name=name)
    target = (dest / Path(*pure.parts)).resolve()
    if dest.resolve() not in target.parents:
        raise UPLOAD_PATH_ESCAPES.error(name=name)
    return target


def extract_zip(data: bytes, dest: Path, max_bytes: int) -> list[Path]:
    """Extract an archive's supported files into dest after checking every member first (all or nothing)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UPLOAD_NOT_ZIP.error() from exc
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_FILES:
        raise UPLOAD_TOO_MANY_FILES.error(count=len(members), limit=MAX_FILES)
    total = sum(m.file_size for m in members)
    if total > max_bytes:
        raise UPLOAD_TOO_LARGE.error(name="the archive", size=total, limit=max_bytes)
    if total > MAX_RATIO * max(len(data), 1):
        ratio = total / max(len(data), 1)
        raise UPLOAD_BOMB.error(ratio=ratio, limit=MAX_RATIO)
    plan = []
    for m in members:
        if stat.S_ISLNK(m.external_attr >> 16):
            raise UPLOAD_LINK.error(name=m.filename)
        target = _safe_member_path(m.filename, dest)
        if target.suffix.lower() in ALLOWED_SUFFIXES:
            plan.append((m, target))
    written = []
    for m, target in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(m) as src:
            payload = src.read(m.file_size + 1)
        if len(payload) > m.file_size:  # the header lied about the size
            raise UPLOAD_SIZE_LIE.error(name=m.filename)
        target.write_bytes(payload)
        written.append(target)
    return written


def save_upload(name: str, data: bytes, dest: Path, max_bytes: int) -> list[Path]:
    """Write one uploaded file (or the files of an uploaded zip) into dest; returns the files written."""
    if len(data) > max_bytes:
        raise UPLOAD_TOO_LARGE.error(name=name, size=len(data), limit=max_bytes)
    dest.mkdir(parents=True, exist_ok=True)
    base = PurePosixPath(name.replace("\\", "/")).name
    if Path(base).suffix.lower() == ".zip":
        return extract_zip(data, dest, max_bytes)
    if Path(base).suffix.lower() not in ALLOWED_SUFFIXES:
        raise UPLOAD_FILE_TYPE.error(name=name, allowed=", ".join(sorted(ALLOWED_SUFFIXES - {".toml"})))
    target = _safe_member_path(base, dest)
    target.write_bytes(data)
    return [target]
