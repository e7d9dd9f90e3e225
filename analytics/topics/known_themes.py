"""A user's list of known themes (CSV: theme, seed_words) for guided and zero-shot fits."""

from __future__ import annotations

from pathlib import Path

from ..errors import NarrativeError


def read_theme_list(path: Path) -> list[tuple[str, list[str]]]:
    """A user's list of known themes: CSV with a `theme` column (the name, for zero-shot topics) and a
    `seed_words` column (words separated by ';', for guided topics). Errors name the file and row."""
    import csv

    rows: list[tuple[str, list[str]]] = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "theme" not in reader.fieldnames:
                raise NarrativeError(f"{path}: no `theme` column (found {reader.fieldnames})",
                                     "give a CSV with columns theme, seed_words")
            for number, row in enumerate(reader, start=2):
                name = (row.get("theme") or "").strip()
                words = [w.strip().lower() for w in (row.get("seed_words") or "").split(";") if w.strip()]
                if not name:
                    raise NarrativeError(f"{path}, row {number}: the theme has no name", "fill the `theme` cell")
                rows.append((name, words))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise NarrativeError(f"{path}: cannot read the theme list ({exc})", "give a UTF-8 CSV file") from exc
    if not rows:
        raise NarrativeError(f"{path}: the theme list is empty", "add one theme per row")
    return rows
