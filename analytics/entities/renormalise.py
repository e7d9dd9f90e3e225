"""Applying an edited alias list to the stored mentions without running the model again."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from .. import schema as s
from .. import store
from .aliases import AliasTable, alias_key
from .dating import without_anachronisms
from .extraction import ENTITY_COLUMNS, MODEL_LABELS, ROMANISED_ORIGIN, _mention_rows, model_id
from .pipeline import alias_only_pipeline
from .posts import POST_ORIGINS

# Mentions the rules give (the alias ruler, romanised names, accounts, hashtags): recomputed from the text on an
# alias-list edit.
RULE_ORIGINS = ("alias", ROMANISED_ORIGIN, *POST_ORIGINS)


def renormalise(con: duckdb.DuckDBPyConnection, aliases: AliasTable) -> int:
    """Apply an edited alias list to stored mentions without running the model.

    Every stored mention is mapped again from its text; alias matches are recomputed with the tokenizer
    alone (new aliases found, removed ones dropped), and where a new alias match overlaps a model mention
    the alias wins, as it would in the full pipeline. Returns the number of mentions changed or added.
    """
    from ..loading import spacy_module

    spacy = spacy_module()
    lookup = aliases.lookup()
    names = {v[0]: v[1] for v in lookup.values()}
    stored = store.stored_mentions(con, ENTITY_COLUMNS)
    nlp = alias_only_pipeline(spacy.blank("en"), aliases)  # [posts] with accounts and hashtags
    docs = store.documents(con, columns=[s.ID, s.TEXT, s.DATE])
    fresh: list[dict[str, Any]] = []
    for doc_id, doc in zip(docs[s.ID], nlp.pipe(docs[s.TEXT], batch_size=256), strict=True):
        fresh += _mention_rows(doc, doc_id, lookup, "", alias_only=True)
    fresh_frame = pd.DataFrame(fresh, columns=ENTITY_COLUMNS)
    kept = []
    changed = 0
    alias_spans = {(r.doc_id, r.start_char, r.end_char, r.canonical_id) for r in fresh_frame.itertuples(index=False)}
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for r in fresh_frame.itertuples(index=False):
        by_doc.setdefault(r.doc_id, []).append((r.start_char, r.end_char))
    stored_alias = {(r.doc_id, r.start_char, r.end_char, r.canonical_id): r for r in stored.itertuples(index=False)
                    if r.origin in RULE_ORIGINS}
    for r in stored.itertuples(index=False):
        if r.origin in RULE_ORIGINS:
            continue  # recomputed below from the fresh matches
        if any(a < r.end_char and r.start_char < b for a, b in by_doc.get(r.doc_id, [])):
            changed += 1  # an alias now covers this model mention
            continue
        row = r._asdict()
        row.pop("rid")
        hit = lookup.get(alias_key(r.text))
        if hit:
            new = (hit[0], hit[1], hit[2], "model+alias")
        elif r.origin == "model+alias":  # its alias was removed: back to the model's own reading
            label = r.label if r.label in MODEL_LABELS else "ORG"
            new = (model_id(label, r.text), r.text, label, "model")
        else:
            new = (r.canonical_id, r.canonical_name, r.label, r.origin)
        if new != (r.canonical_id, r.canonical_name, r.label, r.origin):
            changed += 1
        row.update(zip([s.CANONICAL_ID, s.CANONICAL_NAME, s.LABEL, s.ORIGIN], new, strict=True))
        kept.append(row)
    for r in fresh_frame.itertuples(index=False):
        old = stored_alias.get((r.doc_id, r.start_char, r.end_char, r.canonical_id))
        if old is None or (old.canonical_id, old.label) != (r.canonical_id, r.label):
            changed += 1
    changed += sum(1 for key in stored_alias if key not in alias_spans)
    versions = stored.groupby(s.DOC_ID)[s.PIPELINE_VERSION].first().to_dict() if not stored.empty else {}
    fresh_frame[s.PIPELINE_VERSION] = fresh_frame[s.DOC_ID].map(versions).fillna("")
    fresh_frame[s.CANONICAL_NAME] = [names.get(c, n) for c, n in zip(fresh_frame[s.CANONICAL_ID],
                                                                      fresh_frame[s.CANONICAL_NAME], strict=True)]
    result = pd.concat([pd.DataFrame(kept, columns=ENTITY_COLUMNS), fresh_frame], ignore_index=True)
    result = without_anachronisms(result, dict(zip(docs[s.ID], docs[s.DATE], strict=True)), aliases.active_from())
    # Sentence bounds of fresh alias mentions come from the sentencizer; keep the model's where it had them.
    with store.transaction(con):
        store.replace_mentions(con, result.sort_values([s.DOC_ID, s.START_CHAR]))  # doc_actors recounted with it
        store.set_meta(con, "aliases_digest", aliases.digest)
    return changed
