"""Posts in the entity pipeline: @mentions and #hashtags as actors, links and retweet prefixes never entities,
known places never people.

Rules come before the statistical model, as the alias list does (the model was trained on news, not posts):

- `post_furniture` (after the alias ruler, before `ner`): every @mention becomes an ACCOUNT actor (its canonical
  name the handle, case-folded: `@ramiallolah`), every #hashtag a HASHTAG actor (`#islamicstate`); the hashtag's
  words (`hashtag_words`: #IslamicState → "Islamic State") are matched against the alias list, and a match is a
  second mention of the same characters, of the listed actor (origin `hashtag+alias`), kept in
  `doc.spans["post_aliases"]` because entities cannot overlap. An `RT @user:` prefix, links and leftover HTML
  entity fragments are marked as outside any entity, so neither the ruler nor the model reads "RT @user" as a
  person. The retweeted account is a `retweet_of` trace (ingest), not a mention.
- `post_guard` (after `ner`): the model's entities that overlap what post_furniture marked as outside are dropped
  (spaCy's model does not keep to preset "outside" tokens); a model PERSON (or ORG, NORP) made of listed places
  (type GPE or LOC) and lower-case words ("Aleppo tonight") becomes the place. A listed place the model reads
  exactly is already the place: the alias ruler runs first, and a model span whose words are an alias takes the
  alias's actor and type.

The canonical ids are `account:<handle>` and `hashtag:<tag>` (case-folded), as the traces of the same posts
(`doc_traces`) name them. The origin of each rule mention rides in the span's `kb_id` and is stored as is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..ingest.social import HASHTAG, MENTION, RETWEET_PREFIX, URL
from ..post_text import BARE_SHORT_LINK, ENTITY_FRAGMENT, hashtag_words
from .aliases import AliasTable, alias_key, ambiguous_aliases
from .components import doc_text

ACCOUNT, HASHTAG_LABEL = "ACCOUNT", "HASHTAG"
POST_ALIASES = "post_aliases"  # doc.spans key of the alias mentions a hashtag's words spell
POST_OUTSIDE = "post_outside"  # doc.spans key of what is never an entity: RT prefixes, links, entity fragments
ORIGIN_ACCOUNT, ORIGIN_HASHTAG, ORIGIN_HASHTAG_ALIAS = "account", "hashtag", "hashtag+alias"
POST_ORIGINS = (ORIGIN_ACCOUNT, ORIGIN_HASHTAG, ORIGIN_HASHTAG_ALIAS)
PLACE_TYPES = ("GPE", "LOC")
# Model labels a listed place overrides: a city read as a person, an organisation or a people.
PLACE_OVERRIDES = ("PERSON", "ORG", "NORP")
# The statistical model's labels kept on posts (source type `social`): those whose mentions were right at least
# POST_MODEL_PRECISION of the time on the posts gold set with every label kept (`narrative entities-eval`, its
# second table): GPE 0.87 of 23, NORP 0.89 of 9; not PERSON 0.67 of 15 ("Khilafah", "Kilis", "Brexit",
# "Messenger"), ORG 0.54 of 13, LOC 0 of 2, EVENT none. On news the same model reads PERSON at 0.94. A person or
# organisation on the alias list is found on posts all the same (the list comes first).
POST_MODEL_PRECISION = 0.8
MODEL_LABELS_ON_POSTS = frozenset({"GPE", "NORP"})
# Shortest alias looked for inside a longer hashtag (#StopISIS → ISIS); shorter ones must be the whole tag.
MIN_INNER_ALIAS = 4


def account_id(handle: str) -> str:
    """The canonical id of an account: `account:` and the handle without `@`, case-folded."""
    return "account:" + handle.lstrip("@").casefold()


def hashtag_id(tag: str) -> str:
    """The canonical id of a hashtag: `hashtag:` and the tag without `#`, case-folded."""
    return "hashtag:" + tag.lstrip("#").casefold()


def post_actor_name(canonical_id: str) -> str | None:
    """The name shown for an account or hashtag actor (`@handle`, `#tag`); None for any other id."""
    kind, _, value = canonical_id.partition(":")
    prefix = {"account": "@", "hashtag": "#"}.get(kind)
    return prefix + value if prefix else None


def hashtag_alias_rows(aliases: AliasTable) -> list[list[str]]:
    """The alias list as the post_furniture component's configuration: [key, canonical id, type, alias, match]
    for every alias but the context-only ones ("IS")."""
    frame = aliases.frame[aliases.frame["match"] != "ctx"]
    return [[alias_key(a), c, t, a, m] for a, c, t, m in zip(frame["alias"], frame["canonical_id"], frame["type"],
                                                              frame["match"], strict=True)]


def place_rows(aliases: AliasTable) -> list[list[str]]:
    """The places of the alias list (GPE, LOC) as the post_guard component's configuration: [key, id, type]."""
    frame = aliases.frame[aliases.frame["type"].isin(PLACE_TYPES) & (aliases.frame["match"] != "ctx")]
    return [[alias_key(a), c, t] for a, c, t in zip(frame["alias"], frame["canonical_id"], frame["type"],
                                                    strict=True)]


def post_component_configs(aliases: AliasTable) -> tuple[dict[str, Any], dict[str, Any]]:
    """Configurations of post_furniture and post_guard for this alias list."""
    return ({"aliases": hashtag_alias_rows(aliases), "ambiguous": ambiguous_aliases(aliases)},
            {"places": place_rows(aliases)})


class HashtagAliases:
    """Which listed actors a hashtag names: the whole tag (as written or as its words), else the longest listed
    name among its words (#StopISIS → ISIS), case-sensitive aliases in their own case."""

    def __init__(self, rows: Iterable[list[str]], ambiguous: Iterable[str]) -> None:
        self.by_key: dict[str, list[tuple[str, str, str, str]]] = {}
        for key, cid, kind, alias, match in rows:
            self.by_key.setdefault(key, []).append((cid, kind, alias, match))
        self.ambiguous = set(ambiguous)
        self.longest = max((len(k.split()) for k in self.by_key), default=1)

    def _hit(self, written: str, whole: bool) -> tuple[str, str] | None:
        for cid, kind, alias, match in self.by_key.get(alias_key(written), ()):
            if match == "cs" and alias != written:
                continue  # "Riot" the app, not "riot"
            if not whole and (alias in self.ambiguous or len(alias) < MIN_INNER_ALIAS):
                continue  # an ordinary word or a short acronym inside a longer tag is not a name
            return cid, kind
        return None

    def match(self, tag: str) -> list[tuple[str, str]]:
        """(canonical id, type) of the listed actors the tag names, without repeats."""
        words = hashtag_words(tag).split()
        for form in (tag, "#" + tag, " ".join(words)):
            hit = self._hit(form, whole=True)
            if hit:
                return [hit]
        found: list[tuple[str, str]] = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                if n == len(words):
                    continue  # the whole tag was tried above
                hit = self._hit(" ".join(words[i:i + n]), whole=False)
                if hit:
                    if hit not in found:
                        found.append(hit)
                    i += n
                    break
            else:
                i += 1
        return found


def furniture_spans(text: str) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int]]]:
    """The actors a post's furniture gives — (start, end, label, canonical id) for @mentions and #hashtags — and
    the character spans that are never part of an entity (the RT prefix, links, entity fragments)."""
    actors: list[tuple[int, int, str, str]] = []
    outside: list[tuple[int, int]] = []
    if "RT" in text:
        rt = RETWEET_PREFIX.match(text)
        if rt:
            outside.append((rt.start(), rt.end()))
    if "/" in text or "www" in text.lower():
        outside += [m.span() for m in URL.finditer(text)]
        outside += [m.span() for m in BARE_SHORT_LINK.finditer(text)]
    if "&" in text:
        outside += [m.span() for m in ENTITY_FRAGMENT.finditer(text)]

    def free(a: int) -> bool:
        return not any(x <= a < y for x, y in outside)

    if "@" in text:
        actors += [(m.start(), m.end(), ACCOUNT, account_id(m.group(1))) for m in MENTION.finditer(text)
                   if free(m.start())]
    if "#" in text:
        actors += [(m.start(), m.end(), HASHTAG_LABEL, hashtag_id(m.group(1))) for m in HASHTAG.finditer(text)
                   if free(m.start())]
    return actors, outside


def add_post_components(nlp: Any, aliases: AliasTable) -> None:
    """Add post_furniture after the alias ruler's case check and, when the pipeline has a model, post_guard after
    its `ner`."""
    register_post_components()
    furniture, guard = post_component_configs(aliases)
    nlp.add_pipe("post_furniture", after="alias_case", config=furniture)
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("post_guard", after="ner", config=guard)


def register_post_components() -> None:
    """Register post_furniture and post_guard with spaCy (once per process)."""
    from spacy.language import Language
    from spacy.tokens import Span
    from spacy.util import filter_spans

    if "post_furniture" in Language.factories:
        return

    @Language.factory("post_furniture", default_config={"aliases": [], "ambiguous": []})
    def make_post_furniture(nlp, name, aliases, ambiguous):  # noqa: ANN001, ARG001 - spaCy's factory signature
        matcher = HashtagAliases(aliases, ambiguous)

        def post_furniture(doc):  # noqa: ANN001
            """Accounts and hashtags as actors, their alias matches in doc.spans, RT prefixes and links outside."""
            text = doc_text(doc)
            if not any(mark in text for mark in ("@", "#", "RT", "/", "&", "www")):
                return doc
            found, outside = furniture_spans(text)
            if not found and not outside:
                return doc
            actors, extra, blocked = [], [], []
            for a, b, label, cid in found:
                span = doc.char_span(a, b, label=label, alignment_mode="expand")
                if span is None:
                    continue
                span.id_ = cid
                span.kb_id_ = ORIGIN_ACCOUNT if label == ACCOUNT else ORIGIN_HASHTAG
                actors.append(span)
                if label == HASHTAG_LABEL:
                    for alias_cid, kind in matcher.match(text[a + 1:b]):
                        hit = Span(doc, span.start, span.end, label=kind)
                        hit.id_ = alias_cid
                        hit.kb_id_ = ORIGIN_HASHTAG_ALIAS
                        extra.append(hit)
            for a, b in outside:
                span = doc.char_span(a, b, alignment_mode="expand")
                if span is not None:
                    blocked.append(span)
            taken = {i for span in actors + blocked for i in range(span.start, span.end)}
            kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
            actors = filter_spans(actors)
            actor_tokens = {i for span in actors for i in range(span.start, span.end)}
            doc.set_ents(kept + actors, outside=[s for s in filter_spans(blocked)
                                                 if not any(i in actor_tokens for i in range(s.start, s.end))],
                         default="unmodified")
            if extra:
                doc.spans[POST_ALIASES] = extra
            if blocked:
                doc.spans[POST_OUTSIDE] = blocked
            return doc

        return post_furniture

    @Language.factory("post_guard", default_config={"places": []})
    def make_post_guard(nlp, name, places):  # noqa: ANN001, ARG001 - spaCy's factory signature
        lookup = {key: (cid, kind) for key, cid, kind in places}
        longest = max((len(k.split()) for k in lookup), default=1)

        def post_guard(doc):  # noqa: ANN001
            """After the model: nothing it read in a retweet prefix or a link, and a listed place it read as a
            person, an organisation or a people is the place."""
            outside = doc.spans[POST_OUTSIDE] if POST_OUTSIDE in doc.spans else ()
            blocked = {i for span in outside for i in range(span.start, span.end)}
            out, changed = [], False
            for ent in doc.ents:
                if ent.id:  # the alias list's or the rules' own
                    out.append(ent)
                elif blocked and any(i in blocked for i in range(ent.start, ent.end)):
                    changed = True  # "RT @user" as a PERSON, "tonight https://t.co/… &gt" as an ORG
                elif ent.label_ in PLACE_OVERRIDES and (places_in := _places_within(doc, ent, lookup, longest)):
                    out += places_in
                    changed = True
                else:
                    out.append(ent)
            if changed:
                doc.ents = filter_spans(out)
            return doc

        return post_guard


def _places_within(doc: Any, ent: Any, lookup: dict[str, tuple[str, str]], longest: int) -> list[Any]:
    """Listed places among a model entity's words, as place spans, when the entity is nothing but places and
    lower-case words ("Aleppo tonight"); a name beside a place ("Michael Jordan") is left to the model."""
    from spacy.tokens import Span

    found = []
    i = ent.start
    while i < ent.end:
        for n in range(min(longest, ent.end - i), 0, -1):
            hit = lookup.get(alias_key(doc[i:i + n].text))
            if hit:
                span = Span(doc, i, i + n, label=hit[1])
                span.id_ = hit[0]
                span.kb_id_ = "model+alias"  # the model found it, the alias list named it
                found.append(span)
                i += n
                break
        else:
            if doc[i].is_alpha and not doc[i].is_lower:
                return []  # a capitalised word that is no listed place: a name, not a place
            i += 1
    return found

