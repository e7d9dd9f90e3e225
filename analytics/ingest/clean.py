"""Cleaning: HTML to main text, line-level boilerplate removal for scraped pages, Unicode normalisation and
language detection. Plain functions over strings; the corpus-level part (lines repeated across files) takes the
list of texts of one folder."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

from . import languages

# Lines that are page furniture, not article text. Each pattern is matched against one whole line.
_FURNITURE = [
    r".*\bminus plus$",                                  # collapsible section menus ("Topstory minus plus")
    r".*\b(add|pin) .{0,40}to (your )?home ?screen.*",   # mobile web-app banners
    r".*\btap to bring up your browser menu.*",
    r"(can'?t|cannot) connect right now.*",
    r"got it!?",
    r"(subscribe|sign up|register)( here| now| today| to (our|the) .{0,40})?[.!]?",
    r".*\bsubscribe here\.?$",
    r"follow .{1,60} on (twitter|facebook|instagram)\b.*",
    r"(share|tweet|email|print|comments?|react now|reply|like|save)( this( article| story)?)?( on \w+)?[.:!]?",
    r"(share|click) (on|to share on) .{0,30}",
    r"•?\s*get to the point",
    r"latest stories from .{1,40}",
    r"(related|recommended|more) (articles|stories|from .{1,40}|on this story)[.:]?",
    r"read more[.:]?( .{0,60})?",
    r"advertisement|sponsored( content)?|promoted stories",
    r"(all rights reserved|copyright|©).*",
    r".*\b(all rights reserved|may not be (re)?published, broadcast).*",
    r"e-?mail: .*",
    r".*\[email protected\].*",
    r"(i?jobs?( job)? widget|ijobs general|apply now|job (listings|search))",
    r"recruitment genius: .*",
    r"£?\d[\d,.]* ?(-|to) ?£?\d[\d,.]* per (annum|hour|year).*",
    r"(skip to (main )?content|jump to navigation|toggle navigation|main menu|menu|search|close|home)",
    r"we use cookies.*|.*\baccept (all )?cookies\b.*|cookie (policy|settings)",
    r"have you tried .{0,40}(apps?|edition)\?",
    r"day in a page",
    r"retry",
]
_FURNITURE_RE = re.compile("^(?:" + "|".join(_FURNITURE) + ")$", re.IGNORECASE)
# Navigation bars scraped without spaces: "Artificial IntelligenceCryptocurrencyMetaverse…".
_GLUED_WORDS = re.compile(r"[a-z][A-Z][a-z]")
# Template tokens left by CMSs ("{mosads}") and zero-width characters.
_TEMPLATE_TOKEN = re.compile(r"\{[a-z_]{2,30}\}")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_DATE_ONLY = re.compile(
    r"^(?:\w+day,? )?(?:\w{3,9}\.? \d{1,2},? \d{4}|\d{1,2} \w{3,9}\.? \d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:,? (?:at )?\d{1,2}[:.]\d{2}(?: ?[AP]M)?(?: [A-Z]{2,4})?)?$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\u00a0]+")
_HTML_TAG = re.compile(r"<(p|div|br|span|a|b|i|em|strong|ul|li|h[1-6]|script|style|iframe|img|table)\b", re.I)

# A line is prose when it is long enough and ends like a sentence; the body of an article is a run of them.
PROSE_MIN_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…\"”’')\]]$")


def normalise(text: str) -> str:
    """NFC, no zero-width characters or template tokens, single spaces, Unix line ends, trimmed lines."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.isascii():  # isascii is a flag lookup; zero-width characters are never ASCII
        text = _ZERO_WIDTH.sub("", text)
    if "{" in text:
        text = _TEMPLATE_TOKEN.sub("", text)
    # One pass over the whole text rather than one per line: the spaces class never matches a line end.
    lines = [line.strip() for line in _SPACES.sub(" ", text).split("\n")]
    out: list[str] = []
    for line in lines:  # collapse runs of blank lines to one
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def looks_like_html(text: str) -> bool:
    """True when a field holds markup rather than text."""
    return bool(_HTML_TAG.search(text[:5000]))


def html_to_text(html: str, *, whole_page: bool) -> str:
    """Main text of an HTML page (trafilatura) or the text of an HTML fragment (a feed summary, a CSV cell).

    Scripts, styles and iframes are dropped with their content; nothing of the markup survives into the text.
    """
    if whole_page:
        import trafilatura

        extracted = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
        if extracted and len(extracted.split()) >= 20:
            return normalise(extracted)
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except Exception:  # not parseable as HTML at all: strip anything tag-like
        return normalise(re.sub(r"<[^>]{0,2000}>", " ", html))
    for bad in root.xpath("//script|//style|//iframe|//noscript|//template|//object|//embed"):
        bad.drop_tree()
    for block in root.xpath("//p|//div|//br|//li|//h1|//h2|//h3|//h4|//tr"):
        block.tail = "\n" + (block.tail or "")
    return normalise(root.text_content())


def html_title(html: str) -> str:
    """The page title of an HTML document, or ''."""
    import trafilatura

    meta = trafilatura.extract_metadata(html)
    return (meta.title or "") if meta else ""


def is_prose(line: str) -> bool:
    """A line of running text: enough words and a sentence ending."""
    return len(line.split()) >= PROSE_MIN_WORDS and bool(_SENTENCE_END.search(line))


def is_furniture(line: str, corpus_repeats: frozenset[str] = frozenset()) -> bool:
    """A line of page furniture: menus, banners, share buttons, job ads, copyright, date-only lines."""
    stripped = line.strip()
    if not stripped:
        return False
    if _FURNITURE_RE.match(stripped) or _DATE_ONLY.match(stripped):
        return True
    if len(_GLUED_WORDS.findall(stripped)) >= 3 and len(stripped.split()) <= 12:
        return True
    return stripped.casefold() in corpus_repeats


def repeated_lines(texts: list[str], min_docs: int = 3, share: float = 0.3, max_words: int = 25) -> frozenset[str]:
    """Short lines that recur in many texts of one folder: a site's navigation, footer and teasers.

    A line counts when it is in at least `min_docs` texts and in at least `share` of them, and is short
    (long repeated passages are syndicated text, which deduplication handles, not boilerplate).
    """
    if len(texts) < min_docs:
        return frozenset()
    seen: Counter[str] = Counter()
    for text in texts:
        seen.update({line.strip().casefold() for line in text.splitlines()
                     if line.strip() and len(line.split()) <= max_words})
    floor = max(min_docs, int(share * len(texts)))
    return frozenset(line for line, n in seen.items() if n >= floor)


def clean_scraped(text: str, corpus_repeats: frozenset[str] = frozenset()) -> tuple[str, str]:
    """Main text and a title guess from a scraped plain-text page.

    Furniture lines go wherever they are. Around the body (the first to the last prose line) the head keeps
    short lines that could be a headline or standfirst, and the tail keeps only prose: what follows the last
    paragraph on a scraped page is teasers, job ads and menus.
    """
    lines = [line for line in normalise(text).split("\n")]
    kept: list[str] = []
    seen_short: set[str] = set()
    for line in lines:
        if is_furniture(line, corpus_repeats):
            continue
        key = line.casefold()
        if line and len(line.split()) < PROSE_MIN_WORDS:
            if key in seen_short:  # a banner or headline repeated on the page
                continue
            seen_short.add(key)
        kept.append(line)
    prose_at = [i for i, line in enumerate(kept) if is_prose(line)]
    if not prose_at:
        body = kept
        head: list[str] = []
    else:
        first, last = prose_at[0], prose_at[-1]
        head = [line for line in kept[:first] if line]
        body = kept[first:last + 1]
        # The article ends at its last prose paragraph unless a link-list follows it closely: find the first
        # run of three non-prose lines after the body's first half and cut there.
        body = _cut_teaser_run(body)
    title = next((line for line in head if 3 <= len(line.split()) <= 25), "")
    text_lines = head + body if head else body
    return normalise("\n".join(text_lines)), title


def _cut_teaser_run(body: list[str], run_length: int = 3, mass: float = 0.6) -> list[str]:
    """Cut a link list (a run of `run_length` non-prose lines) that follows most of the article's prose.

    Most of the prose (by words) must come before the run, so a short list inside an article is kept.
    """
    total = sum(len(line.split()) for line in body if is_prose(line))
    before = 0
    run, start = 0, None
    for i, line in enumerate(body):
        if not line:
            continue
        if is_prose(line):
            before += len(line.split())
            run, start = 0, None
            continue
        run += 1
        start = i if start is None else start
        if run >= run_length and total and before >= mass * total:
            return body[:start]
    return body


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or 'und' (languages.detect: short posts judged on their words)."""
    return languages.detect(text)


def language_identifier() -> Any:
    """The language identifier, loaded once per process (languages.identifier)."""
    return languages.identifier()
