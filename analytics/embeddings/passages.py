"""Cutting long documents into passages that fit an embedding model's window."""

from __future__ import annotations

import re

PASSAGE_WORDS = 180

# A sentence ends at whitespace after . ! ? … or at a blank line: (?<=[.!?…])\s+|\n{2,}, written to begin with a
# character class so that re looks for [.!?…\n] in C instead of trying the look-behind at every position (3×
# faster, the same matches). Group 1 is the whitespace after a sentence's last character; without it, the match
# is a run of blank lines.
_SENTENCE_GAP = re.compile(r"[.!?…\n](?:(?<=[.!?…])(\s+)|(?<=\n)\n+)")


def split_passages(text: str, max_words: int = PASSAGE_WORDS) -> list[tuple[int, int]]:
    """Character spans of consecutive sentence runs of at most `max_words` words (a longer sentence is cut)."""
    # Most texts are plain: printable (so the space is their only whitespace), single-spaced, with no space at
    # either end. Their words are their spaces plus one, counted in C without making a string per word.
    plain = text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "
    if plain and text.count(" ") < max_words:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    start, words, last_end, a = None, 0, 0, 0
    # Each sentence gap as (start, end); a piece runs from the end of one gap to the start of the next.
    gaps = [m.span(1) if m.lastindex else m.span() for m in _SENTENCE_GAP.finditer(text)]
    gaps.append((len(text), len(text)))
    for b, next_a in gaps:
        if plain:
            n = text.count(" ", a, b) + 1 if a < b else 0
        else:
            n = len(text[a:b].split())
        if n == 0:
            a = next_a
            continue
        if start is not None and words + n > max_words:
            spans.append((start, last_end))
            start, words = None, 0
        if n > max_words:  # one very long "sentence" (no punctuation): cut it by words
            tokens = list(re.finditer(r"\S+", text[a:b]))
            for i in range(0, len(tokens), max_words):
                chunk = tokens[i : i + max_words]
                spans.append((a + chunk[0].start(), a + chunk[-1].end()))
            a = next_a
            continue
        if start is None:
            start = a
        words += n
        last_end = b
        a = next_a
    if start is not None:
        spans.append((start, last_end))
    return spans or [(0, len(text))]


def even_chunks(items: list, most: int) -> list[list]:
    """Consecutive chunks of at most `most` items, all of (nearly) the same size.

    A short last chunk costs: model2vec tokenizes on every core only above 10,000 texts, so a remainder of a
    few thousand passages would be encoded on one core where a single call over all passages uses them all.
    """
    if not items:
        return []
    size = -(-len(items) // -(-len(items) // most))  # ceil(n / number of chunks)
    return [items[i:i + size] for i in range(0, len(items), size)]
