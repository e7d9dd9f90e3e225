"""Header and trailer blocks of news-database exports (Factiva, Nexis): furniture, not article text.

An article exported from such a database starts with a block of short lines — section, headline, byline, "812 words",
the date, the outlet's name and codes, the language, a copyright line — and ends with a "document <id>" line, a
timestamp or another copyright line. Left in, every article of an outlet shares those words, and a topic model finds
"copyright, rights & reserved" as a theme. The block is recognised by its shape (a word-count line followed, within a
few lines, by a copyright line), so ordinary text is left untouched.
"""

from __future__ import annotations

import re

_WORD_COUNT = re.compile(r"^\d[\d,]*\s+words$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(©|\bcopyright\b|\ball rights reserved\b|^\(?c\)? \d{4}\b)", re.IGNORECASE)
_DOCUMENT_ID = re.compile(r"^document\s+[a-z0-9]{12,}$", re.IGNORECASE)
_TIMESTAMP = re.compile(r"^(timestamp|\d{1,2} [a-z]+ \d{4}( \d{3,4})?)$", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+(.{3,80})$", re.IGNORECASE)

HEADER_SEARCH_LINES = 16  # the word-count line is this near the top
COPYRIGHT_AFTER_COUNT = 12  # and the copyright line this soon after it
TRAILER_MAX_WORDS = 15  # a closing copyright line is short; a sentence mentioning copyright is not furniture


def strip_furniture(text: str) -> tuple[str, dict[str, object]]:
    """The article text without a news-database header and trailer, and what was found in them (word count,
    byline, lines removed). Text without such a header comes back unchanged with an empty dict."""
    lines = text.split("\n")
    count_at = next((i for i, line in enumerate(lines[:HEADER_SEARCH_LINES]) if _WORD_COUNT.match(line.strip())),
                    None)
    if count_at is None:
        return text, {}
    window = lines[count_at + 1: count_at + 1 + COPYRIGHT_AFTER_COUNT]
    copyright_at = next((count_at + 1 + i for i, line in enumerate(window) if _COPYRIGHT.search(line)), None)
    if copyright_at is None:
        return text, {}
    header, body = lines[: copyright_at + 1], lines[copyright_at + 1:]
    trailer = 0
    while body:
        last = body[-1].strip()
        if not last or _DOCUMENT_ID.match(last) or _TIMESTAMP.match(last) or (
                _COPYRIGHT.search(last) and len(last.split()) <= TRAILER_MAX_WORDS):
            body.pop()
            trailer += 1
            continue
        break
    found: dict[str, object] = {"header_lines": len(header), "trailer_lines": trailer,
                                "words_stated": int(re.sub(r"\D", "", lines[count_at]))}
    byline = next((m.group(1).strip() for line in header if (m := _BYLINE.match(line.strip()))), None)
    if byline:
        found["byline"] = byline
    return "\n".join(body).strip(), found
