"""A user's list of known themes (CSV: theme, seed_words) for guided and zero-shot fits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def known_theme_options(path: Path | str, mode: str, zero_shot_similarity: float = 0.0) -> dict[str, Any]:
    """TopicParams fields for a fit guided by a known-themes CSV: `guided` (each theme's seed words) or
    `zero-shot` (each theme's name and seed words; documents close enough to it form that theme)."""
    themes = read_theme_list(Path(path))
    if mode == "guided":
        return {"seed_topics": [words for _, words in themes if words]}
    if mode == "zero-shot":
        return {"zeroshot_topics": [name for name, _ in themes], "zeroshot_words": [words for _, words in themes],
                "zeroshot_min_similarity": zero_shot_similarity}
    raise ValueError(f"unknown known-themes mode {mode!r}")
