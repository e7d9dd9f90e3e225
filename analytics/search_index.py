"""The word index behind the search: which documents hold each term, written by the analysis, asked by a search
before it reads any text.

A search for a word matches it anywhere in a title or text, any case ("migra" finds "immigration"); over a million
documents reading every text for that costs more than half a second. The index stores each document's terms (what
lies between spaces, tabs and line breaks, as written). A query word becomes a term pattern (`term_pattern`) that
any term holding one of the word's matches must match: the word's own pattern, as no match of a word crosses a
space. The search then reads only the documents listed under the terms that pattern matches, and checks each with
the exact pattern as before: what it finds is unchanged. Documents stored after the last analysis are not indexed
yet and are always read.

Entry point: `run_search_index(con)`, incremental like the entity stage: only documents this version of the index
has not processed are read, a batch per transaction (the `processed` table marks them).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import Any

import duckdb

from . import store

STAGE = "search_index"
VERSION = "terms-v1"
BATCH_SIZE = 20_000
# A word whose index postings reach this share of the stored documents is searched by reading every text: the
# candidates would be most documents, and the index's lookup and join would only add to the scan.
MAX_SHARE = 0.5


def run_search_index(con: duckdb.DuckDBPyConnection, progress: Callable[[int, int | None], None] | None = None,
                     batch_size: int = BATCH_SIZE) -> dict[str, Any]:
    """Index the terms of every document this version of the index has not processed yet; returns the documents
    indexed now, the seconds taken, and the index's size afterwards (`index`: documents, terms, rows, pairs)."""
    start = time.perf_counter()
    todo = store.unprocessed_documents(con, STAGE, [VERSION])
    if progress:
        progress(0, len(todo))
    for first in range(0, len(todo), batch_size):
        batch = todo[first:first + batch_size]
        with store.transaction(con):
            store.index_words(con, batch, STAGE, VERSION)
        if progress:
            progress(first + len(batch), len(todo))
    return {"documents": len(todo), "seconds": round(time.perf_counter() - start, 3), "index": store.index_size(con)}


def term_pattern(word: str, aliases: Iterable[tuple[str, str]] = ()) -> str | None:
    """The pattern (RE2) over the index's terms for one query word, as `languages.substring_pattern` matches it
    over texts: every term holding a match of the word matches it. None when the word is only whitespace.

    A term is whatever lies between spaces, tabs and line breaks, so a match of a word without whitespace lies in
    one term, and the word's own pattern serves. An alias spelling of several words (Arabic script) is looked up
    by its longest word: its pattern is a stretch of the spelling's whole pattern that matches no whitespace."""
    from .languages import has_arabic
    from .languages.search import arabic_word_pattern, normalise_arabic, spellings

    if not has_arabic(word):
        parts = word.split()
        return "(?i)" + re.escape(max(parts, key=len)) if parts else None
    alternatives = []
    for spelling in spellings(word, aliases):
        parts = normalise_arabic(spelling).split()
        if not parts:
            return None
        alternatives.append(arabic_word_pattern(max(parts, key=len)))
    return "(?i)(?:" + "|".join(alternatives) + ")"


def term_patterns(query: str, aliases: Iterable[tuple[str, str]] = ()) -> list[str | None]:
    """`term_pattern` of each word of the query."""
    aliases = list(aliases)
    return [term_pattern(word, aliases) for word in query.split()]
