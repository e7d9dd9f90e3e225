"""A user's list of known themes (CSV: theme, seed_words) for guided and zero-shot fits."""

from __future__ import annotations

from pathlib import Path

from ..errors import THEME_LIST_COLUMN, THEME_LIST_EMPTY, THEME_LIST_ROW, THEME_LIST_UNREADABLE


def read_theme_list(path: Path) -> list[tuple[str, list[str]]]:
    """A user's list of known themes: CSV with a `theme` column (the name, for zero-shot topics) and a
    `seed_words` column (words separated by ';', for guided topics). Errors name the file and row."""
    import csv

    rows: list[tuple[str, list[str]]] = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "theme" not in reader.fieldnames:
                raise THEME_LIST_COLUMN.error(path=str(path), found=reader.fieldnames)
            for number, row in enumerate(reader, start=2):
                name = (row.get("theme") or "").strip()
                words = [w.strip().lower() for w in (row.get("seed_words") or "").split(";") if w.strip()]
                if not name:
                    raise THEME_LIST_ROW.error(path=str(path), row=number)
                rows.append((name, words))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise THEME_LIST_UNREADABLE.error(path=str(path), reason=exc) from exc
    if not rows:
        raise THEME_LIST_EMPTY.error(path=str(path))
    return rows
