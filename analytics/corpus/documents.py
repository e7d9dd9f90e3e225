"""The documents behind every number: lists under the filters, the documents behind a point, search, keyword in
context, one document for reading, a theme's representative documents."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import schema as s
from .. import search_index, store, timeline
from ..entities.extraction import STAGE, found_by_aliases_only
from ..errors import UNKNOWN_DOCUMENT
from ..filters import Filters
from .base import CorpusBase


@dataclass(frozen=True)
class Reading:
    """One document for the reading view: its record (text and metadata included), its entity mentions in text
    order, and its themes (share of its passages, labelled)."""

    record: dict[str, Any]
    mentions: pd.DataFrame
    themes: pd.DataFrame
    # True when its actors were found from the alias list alone (a language without a name recogniser, or the fast
    # profile): names not on the list are not found in it. None before the entity stage has read it.
    aliases_only: bool | None = None


class DocumentQueries(CorpusBase):
    """Lists of documents; every list has id, date, date_precision, source, source_type, title, language, url,
    words and the document's theme (topic_id and its label)."""

    def _list(self, filters: Filters | None, include_undated: bool = False, words: tuple[list[str], list] = ([], []),
              **where: Any) -> pd.DataFrame:
        """`words`: the search's exact patterns and the index's term patterns (store.words_scope)."""
        with self._read() as con:
            run_id = self._run_id(con)
            scope = store.scope(filters, run_id, dated=not include_undated)
            with store.words_scope(con, scope, words[0], words[1], search_index.MAX_SHARE) as scope:
                docs = store.document_list(con, scope, run_id=run_id, with_theme=True,
                                           openings="columns" not in where, **where)
        docs[s.TOPIC_ID] = docs[s.TOPIC_ID].astype("Int64")
        docs["theme"] = docs[s.TOPIC_ID].map(self.labels()).astype(object).where(docs[s.TOPIC_ID].notna(), "")
        return docs

    def documents(self, filters: Filters | None = None, include_undated: bool = False,
                  limit: int | None = None) -> pd.DataFrame:
        """The documents under the filters, by date (undated ones too with `include_undated`; they are never
        out of a date range)."""
        return self._list(filters, include_undated, limit=limit)

    def documents_behind(self, filters: Filters | None = None, *, period: Any = None, granularity: str | None = None,
                         themes: Iterable[int] | None = None, actors: Iterable[str] | None = None,
                         every_actor: bool = False, actor_key: str = s.CANONICAL_ID,
                         ids: Iterable[str] | None = None, limit: int | None = None) -> pd.DataFrame:
        """The documents behind a point of a chart or a row of a table: under the filters, in the period starting
        at `period` (of `granularity`), in these themes (ids; -1 the outliers), naming any of these actors (all of
        them with `every_actor`; canonical ids, or names with actor_key="canonical_name"), among these `ids` (the
        evidence of a finding). No text, except `opening`: the start of the text of a document without a title."""
        span = timeline.period_bounds(period, granularity or "day") if period is not None else None
        return self._list(filters, period=span, themes=themes, actors=actors, every_actor=every_actor,
                          actor_key=actor_key, doc_ids=None if ids is None else list(ids), limit=limit)

    def count_behind(self, filters: Filters | None = None, *, period: Any = None, granularity: str | None = None,
                     themes: Iterable[int] | None = None, actors: Iterable[str] | None = None,
                     every_actor: bool = False, actor_key: str = s.CANONICAL_ID,
                     ids: Iterable[str] | None = None) -> int:
        """How many documents documents_behind lists with the same arguments: a page that shows the first rows
        (documents_behind with `limit`) says how many there are, without reading them all (170,000 documents name
        one agency in a million)."""
        span = timeline.period_bounds(period, granularity or "day") if period is not None else None
        with self._read() as con:
            run_id = self._run_id(con)
            return store.listed_count(con, store.scope(filters, run_id), period=span, themes=themes, run_id=run_id,
                                      actors=actors, every_actor=every_actor, actor_key=actor_key,
                                      doc_ids=None if ids is None else list(ids))

    def documents_to_cite(self, filters: Filters | None = None, **behind: Any) -> pd.DataFrame:
        """The documents behind a figure (documents_behind's arguments: period, granularity, themes, actors, ids…)
        as an export lists them: title, date, source, source type, url, theme, language, an excerpt (the text's
        first ~300 characters, cut at a word) and a citation (the record's own `cites`/`citation` when it has one,
        else author, title, source, date and URL), and the id."""
        span = behind.pop("period", None)
        granularity = behind.pop("granularity", None)
        if span is not None:
            behind["period"] = timeline.period_bounds(span, granularity or "day")
        if behind.get("ids") is not None:
            behind["doc_ids"] = list(behind.pop("ids"))
        behind.pop("ids", None)
        docs = self._list(filters, columns=store.DOC_CITE_COLUMNS, **behind)
        out = pd.DataFrame({
            "title": docs[s.TITLE].fillna(""), "date": docs[s.DATE].dt.strftime("%Y-%m-%d").fillna(""),
            "source": docs[s.SOURCE].fillna(""), "source type": docs[s.SOURCE_TYPE].fillna(""),
            "url": docs[s.URL].fillna(""), "theme": docs["theme"], "language": docs[s.LANGUAGE].fillna(""),
            "excerpt": [_excerpt(t) for t in docs["text_start"].fillna("")],
            "citation": [_citation(r) for r in docs.to_dict("records")], "id": docs[s.ID]})
        return out.reset_index(drop=True)

    def search(self, query: str, filters: Filters | None = None, include_undated: bool = True,
               limit: int = 500) -> pd.DataFrame:
        """Documents under the filters whose title or text contains every word of `query` (case-insensitive). An
        Arabic-script word is found however its varied letters are written, with proclitics joined to it, and in
        the alias list's other spellings of the same name (تلغرام also finds وتلغرام and بتيليغرام)."""
        from ..languages import has_arabic, substring_pattern

        aliases = self.alias_spellings() if has_arabic(query) else ()
        words = ([substring_pattern(w, aliases) for w in query.split()], search_index.term_patterns(query, aliases))
        return self._list(filters, include_undated, words=words, limit=limit)

    def keyword_in_context(self, term: str, doc_ids: Iterable[str]) -> pd.DataFrame:
        """Every sentence of these documents that holds `term` (whole word, any case): doc_id, date, source,
        language, sentence and the match's offsets. An Arabic-script term is also found with a proclitic joined
        to it, with its varied letters, and in the alias list's other spellings of the same name (the match
        covers the proclitic)."""
        from ..languages import has_arabic, word_pattern

        aliases = self.alias_spellings() if has_arabic(term) else ()
        with self._read() as con:
            texts = store.texts(con, store.scope(dated=False), doc_ids=list(doc_ids))
        return timeline.keyword_in_context(texts, term, pattern=word_pattern(term, aliases))

    def concordance(self, term: str, doc_ids: Iterable[str], width: int = 60) -> pd.DataFrame:
        """Keyword in context, Voyant's form: every occurrence of `term` (whole words, any case; a phrase with any
        spacing) in these documents, with `width` characters either side: doc_id, date, source, source_type,
        language, left, keyword, right, position; by date, then document, then position. An Arabic-script term
        is found as `keyword_in_context` finds it."""
        from ..languages import has_arabic, word_pattern

        pattern = word_pattern(term, self.alias_spellings()) if has_arabic(term) else None
        with self._read() as con:
            texts = store.texts_with_types(con, store.scope(dated=False), doc_ids=list(doc_ids))
        rows = timeline.concordance(texts, term, width, pattern=pattern)
        return rows.sort_values([s.DATE, s.DOC_ID, "position"], na_position="last", ignore_index=True)

    def document(self, doc_id: str) -> Reading:
        """One document with its mentions and themes; a catalogued error when the corpus has no such id."""
        with self._read() as con:
            record = store.document(con, doc_id)
            if record is None:
                raise UNKNOWN_DOCUMENT.error(doc_id=doc_id)
            mentions = store.document_entities(con, doc_id)
            passes = store.processed_versions(con, doc_id, STAGE)
            mentions_version = store.document_mentions_version(con, doc_id)
            run_id = self._run_id(con)
            themes = store.document_topics(con, doc_id, run_id) if run_id is not None else pd.DataFrame(
                columns=[s.TOPIC_ID, "weight"])
        themes.insert(1, s.LABEL, themes[s.TOPIC_ID].map(self.labels()))
        return Reading(record, mentions, themes, found_by_aliases_only(passes, mentions_version))

    def representative_documents(self, topic_id: int, n: int = 8) -> pd.DataFrame:
        """The documents closest to a theme's centre (highest probability), merges applied."""
        with self._read() as con:
            run_id = self._run_id(con)
            if run_id is None:
                return pd.DataFrame(columns=[s.ID, s.DATE, s.SOURCE, s.SOURCE_TYPE, s.TITLE, s.PROBABILITY])
            return store.representative_documents(con, run_id, int(topic_id), n=n)


def _excerpt(text: str, limit: int = 300) -> str:
    """The text's start, cut at a word within `limit` characters, with an ellipsis when cut."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"


def _citation(doc: dict[str, Any]) -> str:
    """How to cite a document: its record's own citation when it carries one, else author, "title", source,
    date (as precise as it is known), URL."""
    meta = doc.get(s.METADATA)
    if isinstance(meta, str) and meta:
        try:
            meta = json.loads(meta)
        except ValueError:
            meta = {}
    for key in ("citation", "cites"):
        if isinstance(meta, dict) and str(meta.get(key) or "").strip():
            return str(meta[key]).strip()
    date = doc.get(s.DATE)
    precision = doc.get(s.DATE_PRECISION)
    when = ("" if date is None or pd.isna(date) else f"{date:%Y}" if precision == "year" else
            f"{date:%B %Y}" if precision == "month" else f"{date.day} {date:%B %Y}")
    title = _field(doc, s.TITLE)
    parts = [_field(doc, s.AUTHOR), f"“{title}”" if title else "", _field(doc, s.SOURCE), when, _field(doc, s.URL)]
    return ", ".join(p for p in parts if p) + "."


def _field(doc: dict[str, Any], key: str) -> str:
    """A text field of a document's row, "" when missing: a column that is missing in some rows only holds NaN
    there (not None), which would otherwise be cited as "nan"."""
    value = doc.get(key)
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()

