"""Mentions from spaCy documents: one row per entity with its canonical actor, as column lists and Arrow tables."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from itertools import chain
from typing import Any

import pandas as pd
import pyarrow as pa

from .. import schema as s
from ..config import setting
from ..languages import ROMANISED
from .aliases import AliasTable, alias_key
from .components import doc_with_text
from .pipeline import Pipelines, cached_pipeline
from .posts import MODEL_LABELS_ON_POSTS, POST_ALIASES, post_actor_name

BATCH_SIZE = int(setting("batch_size"))  # documents per spaCy batch, passages per MiniLM batch

STAGE = "entities"


# What the statistical model finds that counts as an actor or place; dates and numbers never do.
MODEL_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT"}
ALIASES_ONLY = "aliases-only"
ROMANISED_ORIGIN = "romanised+alias"  # an Arabic-script name whose Latin spelling is a listed person's alias


def found_by_aliases_only(versions: list[str], mentions_version: str | None = None) -> bool | None:
    """Whether a document's actors were found by matching the alias list alone, read from the entity stage's
    marks of it (`versions`, as the processed table holds them): a document in a language without a name
    recogniser is marked ALIASES_ONLY, and the fast profile never runs one. A document processed by more than one
    pipeline is judged by the pass its stored mentions came from (`mentions_version`), when it has any. None
    when no pass has processed it."""
    if mentions_version is not None:
        versions = [v for v in versions if v.split(":")[0] == mentions_version] or versions
    if not versions:
        return None
    return all(v.endswith(f":{ALIASES_ONLY}") or "/fast/" in v for v in versions)


def model_id(label: str, mention: str) -> str:
    """The canonical id of a name the model found that no alias claims: its label and its lookup form."""
    return f"{label.lower()}:{alias_key(mention)}"


ENTITY_COLUMNS = [s.DOC_ID, s.START_CHAR, s.END_CHAR, s.SENT_START, s.SENT_END, s.TEXT, s.LABEL, s.CANONICAL_ID,
                  s.CANONICAL_NAME, s.ORIGIN, s.PIPELINE_VERSION]


def _mention_rows(doc: Any, doc_id: str, lookup: dict[str, tuple[str, str, str]], version: str,
                  alias_only: bool, model_labels: frozenset[str] | set[str] = MODEL_LABELS) -> list[dict[str, Any]]:
    """Mention rows of one document as dicts (ENTITY_COLUMNS); the stage itself fills column lists."""
    columns = mention_columns()
    _add_mentions(doc, doc.text, doc_id, lookup, alias_only, columns, model_labels)
    return [dict(zip(ENTITY_COLUMNS, (*row, version), strict=True)) for row in zip(*columns, strict=True)]


def mention_columns() -> list[list[Any]]:
    """Empty column lists for _add_mentions: ENTITY_COLUMNS but the pipeline version (one value per batch)."""
    return [[] for _ in ENTITY_COLUMNS[:-1]]


def _add_mentions(doc: Any, text: str, doc_id: str, lookup: dict[str, tuple[str, str, str]], alias_only: bool,
                  columns: list[list[Any]], model_labels: frozenset[str] | set[str] = MODEL_LABELS) -> None:
    """Append one document's mention rows to `columns` (see mention_columns).

    Column lists, not a tuple per row: a quarter of a million row tuples set the garbage collector off hundreds of
    times, and its full collections walk every object of the loaded pipeline. `text` is the document's text: the
    string doc.text would give, which spaCy rebuilds token by token on every call. Entities are read by their
    hashes (label, id) and character offsets: ent.text joins tokens and ent.ent_id_ looks for the span's root,
    which together cost more than the rest of the row.
    """
    ents = doc.ents
    # [posts] the alias mentions a hashtag's words spell overlap the hashtag's own: kept beside doc.ents
    hashtag_aliases = doc.spans[POST_ALIASES] if POST_ALIASES in doc.spans else ()
    if not ents and not hashtag_aliases:
        return
    # Sentence bounds once per document (Span.sent walks the tokens each time it is asked).
    # (doc.has_annotation walks every token; asking for the sentences and catching "no sentences" does not)
    try:
        sents = [(sent.start_char, sent.end_char) for sent in doc.sents]
    except ValueError:
        sents = []
    sent_starts = [a for a, _ in sents]
    strings = doc.vocab.strings
    names = _names(lookup)
    ids, starts, ends, sent_a, sent_b, mentions, labels, cids, canonical, origins = (c.append for c in columns)
    for ent in chain(ents, hashtag_aliases):
        start, end, label = ent.start_char, ent.end_char, _string(strings, ent.label)
        # A ruler match carries the alias's canonical id on every token; Doc.ents passes it on as the span id.
        if ent.id:
            cid = _string(strings, ent.id)
            mention = text[start:end]
            name = names.get(cid) or post_actor_name(cid) or mention
            # a rule other than the ruler says which it was in the span's kb_id (entities/posts.py); an
            # Arabic-script name linked to a listed person by its romanisation says so
            rule = _string(strings, ent.kb_id) if ent.kb_id else ""
            origin = ROMANISED_ORIGIN if rule == ROMANISED else (rule or "alias")
        else:
            if label not in model_labels:
                continue
            mention = text[start:end]
            # Trim a leading article the model sometimes includes ("the Pentagon").
            if ent[0].lower_ in ("the", "a", "an") and len(ent) > 1:
                start = ent[1].idx
                mention = text[start:end]
            if sum(ch.isalnum() for ch in mention) < 2 or mention.endswith("-"):
                continue  # fragments such as "pro-" in "pro-ISIS" are not names
            hit = lookup.get(alias_key(mention))
            if hit:
                cid, name, label = hit
                origin = "model+alias"
            else:
                cid, name, origin = model_id(label, mention), mention.strip(), "model"
        k = bisect.bisect_right(sent_starts, ent.start_char) - 1
        ids(doc_id)
        starts(start)
        ends(end)
        sent_a(sents[k][0] if k >= 0 else None)
        sent_b(sents[k][1] if k >= 0 else None)
        mentions(mention)
        labels(label)
        cids(cid)
        canonical(name)
        origins(origin if not alias_only or ent.id else "alias")


# Strings of label and id hashes: a dict lookup is cheaper than asking the StringStore each time.
_STRINGS: dict[int, str] = {}


def _string(strings: Any, key: int) -> str:
    value = _STRINGS.get(key)
    if value is None:
        value = _STRINGS[key] = strings[key]
    return value


_NAMES: dict[str, Any] = {"lookup": None, "names": {}}


def _names(lookup: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """Canonical id → canonical name of the alias lookup in use (kept by reference, so a new list is noticed)."""
    if _NAMES["lookup"] is not lookup:
        names = {v[0]: v[1] for v in lookup.values()}
        names.setdefault("islamic_state", "Islamic State")
        _NAMES.update(lookup=lookup, names=names)
    return _NAMES["names"]


def extract_entities(pipes: Pipelines, docs: pd.DataFrame, columns: list[list[Any]], *, batch_size: int = BATCH_SIZE,
                     n_process: int = 1) -> Iterator[tuple[str, bool]]:
    """(doc id, alias-only?) for each document, in input order; its mention rows are appended to `columns`
    (see mention_columns) before it is yielded."""
    lookup = pipes.aliases.lookup()
    langs = docs[s.LANGUAGE].fillna("en").astype(str)
    for lang in langs.unique():
        part = docs[langs == lang]
        nlp, alias_only = pipes.for_language(lang)
        processes = n_process if nlp is pipes.english and pipes.profile != "fast" else 1
        texts = part[s.TEXT].tolist()
        # [posts] the model's labels kept on a post are those it reads reliably on short text (entities/posts.py)
        kinds = part[s.SOURCE_TYPE].tolist() if s.SOURCE_TYPE in part else [None] * len(part)
        labels = [MODEL_LABELS_ON_POSTS if kind == "social" else MODEL_LABELS for kind in kinds]
        # one process: Docs made here carry their text, so no component rebuilds it from the tokens
        inputs = texts if processes > 1 else (doc_with_text(nlp, text) for text in texts)
        for doc_id, text, kept, doc in zip(part[s.ID], texts, labels,
                                           nlp.pipe(inputs, batch_size=batch_size, n_process=processes), strict=True):
            _add_mentions(doc, text, doc_id, lookup, alias_only, columns, kept)
            yield doc_id, alias_only


def extract_batch(docs: pd.DataFrame, aliases: AliasTable, profile: str, batch_size: int = BATCH_SIZE,
                  n_process: int = 1) -> tuple[pa.Table, pa.Table]:
    """Mention rows and processed marks for one batch of documents (id, text, language), as Arrow tables with
    the columns of the entities and processed tables. Runs where it is sent: here, or on a Dask worker; it
    touches no store."""
    pipes = cached_pipeline(aliases, profile)
    columns = mention_columns()
    done: list[str] = []
    versions: list[str] = []
    marked = pipes.version + f":{ALIASES_ONLY}"
    for doc_id, alias_only in extract_entities(pipes, docs, columns, batch_size=batch_size, n_process=n_process):
        done.append(doc_id)
        versions.append(marked if alias_only and profile != "fast" else pipes.version)
    processed = pa.table({"doc_id": pa.array(done, pa.string()), "stage": pa.repeat(STAGE, len(done)),
                          "version": pa.array(versions, pa.string())})
    return mention_table(columns, pipes.version), processed


# Arrow types of the entities columns (ENTITY_COLUMNS order, the pipeline version last).
_ENTITY_TYPES = [pa.string(), pa.int32(), pa.int32(), pa.int32(), pa.int32()] + [pa.string()] * 6


def mention_table(columns: list[list[Any]], version: str) -> pa.Table:
    """Mention column lists (see mention_columns) as an Arrow table with the entities table's columns: DuckDB
    inserts it without touching a Python object, and without holding the GIL."""
    arrays = [pa.array(col, kind) for col, kind in zip(columns, _ENTITY_TYPES, strict=False)]
    arrays.append(pa.repeat(pa.scalar(version, pa.string()), len(columns[0])))
    return pa.Table.from_arrays(arrays, names=ENTITY_COLUMNS)
