"""The word index: which documents hold each term of their title or text, so a search reads the texts of the
documents that may match instead of every text (analytics/search_index.py writes it and says how it is read).

A term is what lies between two ASCII spaces, tabs or line breaks, kept as written (no case folding, punctuation
kept): splitting there is four times cheaper than finding runs of letters with a regular expression, and a query
word, which holds none of those characters, lies within one term wherever a text holds it. A search pattern is then
run over the distinct terms with the same case-insensitive semantics it has over the texts. Documents are integer
codes (search_docs), so a term's postings are a list of small integers per indexing batch.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa

from .scope import Scope

# A document's terms: its title and text split at ASCII spaces, tabs and line breaks (other whitespace, such as a
# no-break space, stays inside a term: a longer term still holds every word written in it).
_TERMS = ("unnest(string_split(replace(replace(replace(coalesce(d.title, '') || ' ' || d.text, chr(10), ' '), "
          "chr(9), ' '), chr(13), ' '), ' '))")
# Term ids handed to the postings' scan as constants (a filter DuckDB pushes into the scan) up to this many;
# more are looked up with a subquery over the vocabulary.
_CONSTANT_TERMS = 2000


def index_words(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str], stage: str, version: str) -> int:
    """Index the terms of these documents (title and text) and mark them processed by `stage` at `version`.

    Call inside a transaction: the codes, terms, postings and processed marks of a batch commit together, so a
    crash leaves either the batch indexed and marked or neither. A document indexed before (another version)
    gets a new code; its old postings then name no document and are never read back. Returns documents indexed."""
    ids = list(dict.fromkeys(doc_ids))
    if not ids:
        return 0
    con.execute("DELETE FROM search_docs WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
    first = int(con.execute("SELECT coalesce(max(doc_code), -1) + 1 FROM search_docs").fetchall()[0][0])
    codes = pd.DataFrame({"doc_code": range(first, first + len(ids)), "doc_id": ids})
    codes["doc_code"] = codes["doc_code"].astype("int32")
    con.register("_index_codes", codes)
    try:
        con.execute("INSERT INTO search_docs SELECT doc_code, doc_id FROM _index_codes")
        # Each term of the batch once, with the documents holding it (grouped before the vocabulary is joined:
        # tens of thousands of terms to look up rather than a million (term, document) pairs).
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _index_terms AS SELECT term, count(*) AS size, "
            "list(doc_code ORDER BY doc_code) AS docs FROM ("
            f"SELECT DISTINCT c.doc_code, {_TERMS} AS term FROM documents d JOIN _index_codes c ON c.doc_id = d.id"
            ") WHERE term <> '' GROUP BY term")
        con.execute(
            "INSERT INTO search_terms SELECT (SELECT coalesce(max(term_id), -1) FROM search_terms) + "
            "row_number() OVER (ORDER BY term), term FROM _index_terms n "
            "WHERE NOT EXISTS (SELECT 1 FROM search_terms t WHERE t.term = n.term)")
        con.execute("INSERT INTO search_postings SELECT t.term_id, n.size, n.docs "
                    "FROM _index_terms n JOIN search_terms t USING (term) ORDER BY t.term_id")
        con.execute("INSERT INTO processed SELECT doc_id, ?, ? FROM _index_codes", [stage, version])
        con.execute("DROP TABLE _index_terms")
    finally:
        con.unregister("_index_codes")
    return len(ids)


def index_size(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of the index's tables and the (term, document) pairs its postings hold."""
    docs, terms, rows, pairs = con.execute(
        "SELECT (SELECT count(*) FROM search_docs), (SELECT count(*) FROM search_terms), "
        "(SELECT count(*) FROM search_postings), (SELECT coalesce(sum(size), 0) FROM search_postings)"
    ).fetchall()[0]
    return {"documents": int(docs), "terms": int(terms), "posting_rows": int(rows), "pairs": int(pairs)}


def word_candidates(con: duckdb.DuckDBPyConnection, term_patterns: Iterable[str | None],
                    max_share: float, scope_size: int | None = None) -> pa.Table | None:
    """The ids (`doc_id`) of the documents that may hold every word: for each query word's term pattern (RE2
    over the index's terms; None: that word cannot be looked up), the documents the index lists under a matching
    term, and every document not indexed yet. None when the index cannot narrow the search: no document
    indexed, no word looked up, or each word's postings reach `max_share` of the `scope_size` documents the
    search is over (default: every stored document). Reading those texts through the index then costs more than
    reading the scope's: at a million documents, "telegram" (in 12 % of them) took 0.47 s of CPU through the
    index against 1.16 s by reading every text, but 0.33 s against 0.30 s within one source type (10 % of them).

    A superset of the matches: the caller still checks each candidate's title and text with the exact pattern
    (`words_scope` skips that check where the index's answer is already exact).
    """
    found = _look_up(con, term_patterns, max_share, scope_size)
    if found is None:
        return None
    return found.indexed if found.unindexed is None else pa.concat_tables([found.indexed, found.unindexed])


@dataclass
class _Found:
    indexed: pa.Table  # indexed documents holding a matching term for every word looked up (doc_id)
    unindexed: pa.Table | None  # documents stored since the last analysis (None: there are none)
    looked_up: list[bool]  # per word: whether the index narrowed the search for it


def _look_up(con: duckdb.DuckDBPyConnection, term_patterns: Iterable[str | None], max_share: float,
             scope_size: int | None) -> _Found | None:
    indexed, total = con.execute(
        "SELECT (SELECT count(*) FROM search_docs), (SELECT count(*) FROM documents)").fetchall()[0]
    if not indexed:
        return None
    clauses: list[str] = []
    params: list = []
    looked_up: list[bool] = []
    for pattern in term_patterns:
        looked_up.append(False)
        if pattern is None:
            continue
        terms = [r[0] for r in con.execute("SELECT term_id FROM search_terms WHERE regexp_matches(term, ?)",
                                           [pattern]).fetchall()]
        if not terms:
            clauses.append("FALSE")
            looked_up[-1] = True
            continue
        if len(terms) <= _CONSTANT_TERMS:
            term_where, term_params = f"term_id IN ({', '.join('?' * len(terms))})", terms
        else:
            term_where = "term_id IN (SELECT term_id FROM search_terms WHERE regexp_matches(term, ?))"
            term_params = [pattern]
        postings = con.execute(f"SELECT coalesce(sum(size), 0) FROM search_postings WHERE {term_where}",
                               term_params).fetchall()[0][0]
        if postings >= max_share * (total if scope_size is None else scope_size):
            continue
        clauses.append(f"doc_code IN (SELECT unnest(docs) FROM search_postings WHERE {term_where})")
        params += term_params
        looked_up[-1] = True
    if not clauses:
        return None
    found = con.sql(f"SELECT doc_id FROM search_docs WHERE {' AND '.join(clauses)}", params=params).to_arrow_table()
    unindexed = None
    if indexed < total:  # documents stored since the last analysis: the exact check reads them all
        unindexed = con.sql("SELECT id AS doc_id FROM documents WHERE id NOT IN (SELECT doc_id FROM search_docs)"
                            ).to_arrow_table()
    return _Found(found, unindexed, looked_up)


@contextlib.contextmanager
def words_scope(con: duckdb.DuckDBPyConnection, where: Scope, patterns: Iterable[str],
                term_patterns: Iterable[str | None], max_share: float) -> Iterator[Scope]:
    """The scope narrowed to documents whose title or text matches every one of `patterns` (RE2, as with_words
    matches them), for queries on `con` within the block: the texts are read only for the index's candidates
    (`word_candidates`) when it has them.

    The candidates are handed over as a registered table, not a subquery: from a subquery DuckDB built its hash
    table on the documents side, reading every text with the patterns first (no faster than no index); from a
    table of known size it builds on the candidates and skips the other documents in its scan."""
    from .queries import with_words

    patterns, term_patterns = list(patterns), list(term_patterns)
    exact = with_words(where, patterns=patterns)
    found = None
    if patterns:
        in_scope = con.execute(f"SELECT count(*) FROM documents WHERE {where.sql}", list(where.params)
                               ).fetchall()[0][0]
        found = _look_up(con, term_patterns, max_share, in_scope)
    if found is None:
        yield exact
        return
    check = exact
    if found.unindexed is None:
        # A word whose term pattern is its own pattern (any Latin-script word; an Arabic word whose spellings
        # are all single words) is answered by the index itself: each term is a run of the title or text as
        # written, without the whitespace such a pattern never matches, so a document matches exactly when one
        # of its terms does. Only the other words (spellings of several words, words too common to look up)
        # are checked in the texts: at a million documents the check of "telegram"'s 120,000 texts cost
        # ~250 ms of CPU.
        unsettled = [p for p, t, looked in zip(patterns, term_patterns, found.looked_up, strict=True)
                     if not (looked and p == t)]
        check = with_words(where, patterns=unsettled)
        candidates = found.indexed
    else:
        candidates = pa.concat_tables([found.indexed, found.unindexed])
    if not candidates.num_rows:  # no document holds a matching term: the plan over an empty table still reads texts
        yield Scope("FALSE")
        return
    name = f"_word_candidates_{uuid.uuid4().hex}"
    con.register(name, candidates)
    try:
        yield Scope(f"id IN (SELECT doc_id FROM {name}) AND {check.sql}", check.params)
    finally:
        con.unregister(name)
