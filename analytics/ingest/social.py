"""Traces of a post: the URLs, domains, hashtags and @mentions in its text, and what it repeats or answers
(retweet, quote, reply, forward). They stay in the stored text and are also listed, one row each, because they are
evidence: who is amplified, which sites are pushed, which tags travel together.

One entry point, `traces(text, fields)`: `text` is the document's stored text, `fields` what the platform's export
says beside it (expanded URLs for t.co links, the retweeted or forwarded account and post). URLs are normalised so
the same page counts once: https, no `www.`, no tracking parameters (utm_*, fbclid, …), no fragment; a shortened link
the export expands is replaced by its expansion.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACE_KINDS = ("url", "domain", "hashtag", "mention", "retweet_of", "reply_to", "quote_of", "forward_from")
# Kinds that make a document a copy of another post (counted for volume, fitted once for themes).
COPY_KINDS = ("retweet_of", "forward_from")

URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`{}|\\^\u200b]+", re.IGNORECASE)
# An @handle not inside an e-mail address or a word; Telegram and X handles are letters, digits and underscores.
MENTION = re.compile(r"(?<![\w@.])@(\w{1,64})")
# A #tag with at least one letter (#2019 is a number, &#39; an HTML entity).
HASHTAG = re.compile(r"(?<![\w#&])#(\w*[^\W\d_]\w*)")
RETWEET_PREFIX = re.compile(r"^\s*RT @(\w{1,64}):?\s*")
_TRAILING = ".,;:!?)]}>'\"…»”’"
# Query parameters that only track a click (campaigns, ad and share ids); they make one page look like many.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "igsh", "mc_cid", "mc_eid",
    "mkt_tok", "_hsenc", "_hsmi", "ref_src", "ref_url", "s", "t", "si", "spm", "ncid", "ocid", "cmpid", "_ga",
    "__twitter_impression", "share", "sh", "feature", "rcm", "trk", "smid", "sref", "xtor", "at_medium",
    "at_campaign", "utm",
})
_DROP_HOST_PREFIXES = ("www.", "m.", "mobile.")


@dataclass(frozen=True)
class Trace:
    """One trace of a document: its kind, value, where it starts in the stored text (None when it comes from the
    platform's fields, not the text) and, for retweets, quotes, replies and forwards, the other post's id."""

    kind: str
    value: str
    position: int | None = None
    post_id: str | None = None


def unescape(text: str) -> str:
    """HTML entities as characters (`&amp;` → `&`): X and some scrapers escape them in post text."""
    return html.unescape(text) if "&" in text else text


def normalise_url(url: str) -> str:
    """One spelling per page: https, lower-case host without `www.`/`m.`, no default port, no tracking
    parameters, no fragment, no trailing slash on a bare host. Unparseable input comes back as given."""
    raw = url.strip().rstrip(_TRAILING)
    if raw.lower().startswith("www."):
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return raw
    for prefix in _DROP_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (k.lower().startswith("utm_") or k.lower() in TRACKING_PARAMS)]
    path = parts.path if parts.path not in ("", "/") else ""
    return urlunsplit(("https", netloc, path, urlencode(query, doseq=True), ""))


def domain(url: str) -> str:
    """The site of a (normalised) URL: its host without `www.`."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def retweet_prefix(text: str) -> str | None:
    """The account an `RT @user:` text repeats (as written), else None."""
    m = RETWEET_PREFIX.match(text)
    return m.group(1) if m else None


def handle(value: str) -> str:
    """An account handle as compared: no `@`, case-folded (X and Telegram handles ignore case)."""
    return value.strip().lstrip("@").casefold()


def traces(text: str, fields: Mapping[str, Any] | None = None) -> list[Trace]:
    """Every trace of one document, in text order, then the ones only the platform's fields give.

    `fields` (all optional): `urls` — [{"url": as in the text, "expanded": the export's expansion}] or plain
    strings; `mentions`, `hashtags` — lists of handles / tags the platform recognised; `retweet_of`, `quote_of`,
    `reply_to`, `forward_from` — an account handle or name, with `<kind>_id` the other post's id.
    """
    fields = fields or {}
    expanded = _expansions(fields.get("urls"))
    out: list[Trace] = []
    seen_urls: set[str] = set()
    url_spans: list[tuple[int, int]] = []
    if "http" in text or "www." in text or "WWW." in text:  # each scan only when its marker is there at all
        for m in URL.finditer(text):
            url_spans.append((m.start(), m.end()))
            written = m.group(0).rstrip(_TRAILING)
            if len(written) < 8:
                continue
            target = expanded.get(written) or expanded.get(written.rstrip("/")) or written
            value = normalise_url(target)
            seen_urls.add(value)
            out += [Trace("url", value, m.start()), Trace("domain", domain(value), m.start())]

    def in_url(pos: int) -> bool:
        return any(a <= pos < b for a, b in url_spans)

    rt = RETWEET_PREFIX.match(text)
    if "@" in text:
        for m in MENTION.finditer(text):
            if in_url(m.start()) or (rt and m.start() == rt.start(1) - 1):
                continue  # the RT prefix's account is the retweet_of trace, not a mention
            out.append(Trace("mention", handle(m.group(1)), m.start()))
    if "#" in text:
        for m in HASHTAG.finditer(text):
            if not in_url(m.start()):
                out.append(Trace("hashtag", m.group(1).casefold(), m.start()))
    for short, long in expanded.items():  # links the export lists but the text no longer shows
        value = normalise_url(long or short)
        if value not in seen_urls and short not in text:
            seen_urls.add(value)
            out += [Trace("url", value), Trace("domain", domain(value))]
    in_text = {(t.kind, t.value) for t in out}
    if rt:
        in_text.add(("mention", handle(rt.group(1))))
    for kind, key in (("mention", "mentions"), ("hashtag", "hashtags")):
        for value in fields.get(key) or []:
            value = handle(str(value))
            if value and (kind, value) not in in_text:
                out.append(Trace(kind, value))
                in_text.add((kind, value))
    for kind in ("retweet_of", "quote_of", "reply_to", "forward_from"):
        account, post_id = fields.get(kind), fields.get(f"{kind}_id")
        position = None
        if kind == "retweet_of" and rt:
            account, position = account or rt.group(1), rt.start(1) - 1
        if account or post_id:
            value = handle(str(account)) if account and kind != "forward_from" else str(account or "").strip()
            out.append(Trace(kind, value, position, str(post_id) if post_id not in (None, "") else None))
    return sorted(out, key=lambda t: (t.position is None, t.position or 0))


def copy_of(found: list[Trace]) -> Trace | None:
    """The trace that makes a document a copy (a retweet or a forward), if any."""
    return next((t for t in found if t.kind in COPY_KINDS), None)


def bare_text(text: str) -> str:
    """The words of a post without what is not language: the RT prefix, URLs, @mentions and the `#` of hashtags.

    For language identification (and, later, themes); the stored text keeps everything.
    """
    text = RETWEET_PREFIX.sub("", text)
    text = URL.sub(" ", text)
    text = MENTION.sub(" ", text)
    text = HASHTAG.sub(lambda m: " " + _split_tag(m.group(1)) + " ", text)
    return " ".join(text.split())


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_")


def _split_tag(tag: str) -> str:
    """#IslamicState → "Islamic State"; a tag in one case or another script is kept whole."""
    return _CAMEL.sub(" ", tag)


def _expansions(urls: Any) -> dict[str, str]:
    """{URL as written in the text: its expansion} from an export's URL entities."""
    out: dict[str, str] = {}
    for item in urls or []:
        if isinstance(item, Mapping):
            short = str(item.get("url") or item.get("short") or "").strip()
            long = str(item.get("unwound_url") or item.get("expanded_url") or item.get("expanded") or
                       item.get("href") or "").strip()
            if short:
                out[short] = long or short
            elif long:
                out[long] = long
        elif isinstance(item, str) and item.strip():
            out[item.strip()] = item.strip()
    return out
