"""What every page shares: the corpus in use, cached loads from the store, the filters (kept in the URL),
chart export, the document list and the reading view. Pages call the library through these and draw.

Corpus text is untrusted: it is only ever given to Streamlit as plain text (st.text, st.dataframe, st.caption,
markdown with every special character escaped); no page uses unsafe_allow_html.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import charts, config, store, timeline
from analytics import schema as s
from analytics.errors import NarrativeError, StoreBusyError

GRANULARITIES = ["week", "month", "quarter", "year"]
ACTOR_OPTIONS = 300  # actors offered in the pickers, by number of documents naming them


# -- the corpus in use -----------------------------------------------------------------------------


def corpus_stores() -> dict[str, Path]:
    """Stores the app can switch between: the default store and every store under data/corpora/."""
    found = {"demo": config.default_db_path()}
    corpora_dir = config.DATA_DIR / "corpora"
    if corpora_dir.is_dir():
        for path in sorted(corpora_dir.glob("*.duckdb")):
            found[path.stem] = path
    return found


def current_db() -> Path:
    """The store of the corpus chosen in the sidebar (or the URL)."""
    stores = corpus_stores()
    name = st.query_params.get("corpus", "demo")
    return stores.get(name, stores["demo"])


def store_version(db: Path) -> str:
    """Changes whenever the store file changes, so cached loads refresh after an analysis."""
    try:
        stat = db.stat()
        wal = db.with_suffix(db.suffix + ".wal")
        extra = wal.stat().st_mtime_ns if wal.exists() else 0
        return f"{stat.st_mtime_ns}-{stat.st_size}-{extra}"
    except FileNotFoundError:
        return "missing"


@dataclass
class Corpus:
    """Everything a page needs, loaded once per store version."""

    documents: pd.DataFrame
    assignments: pd.DataFrame
    topics: pd.DataFrame
    actors: pd.DataFrame  # the most-named actors (store.actor_totals); mentions are counted in the store per page
    events: pd.DataFrame
    run: dict | None
    name: str | None

    @property
    def labels(self) -> dict[int, str]:
        """Topic id → the label shown (the user's own where they renamed it); a label two themes share gets the
        theme's id appended, because the charts tell themes apart by label."""
        labels = {int(t): str(lbl) for t, lbl in zip(self.topics[s.TOPIC_ID], self.topics["label"], strict=True)}
        seen = pd.Series(list(labels.values())).value_counts()
        return {t: (f"{lbl} (#{t})" if seen[lbl] > 1 else lbl) for t, lbl in labels.items()}


@st.cache_data(show_spinner="Loading the corpus…", max_entries=8)
def load_corpus(db: str, version: str) -> Corpus:  # noqa: ARG001 - version is the cache key
    """Read the frames the pages use from the store (read-only, closed straight after)."""
    with store.opened(db, read_only=True) as con:
        run_id = store.topic_run_id(con)
        topics = store.topic_table(con, run_id) if run_id else pd.DataFrame(
            columns=[s.TOPIC_ID, "label", "auto_label", "custom_label", "words", "size", "merged_into"])
        topics = topics.drop(columns=["centroid"], errors="ignore")
        return Corpus(
            documents=store.timeline_documents(con),
            assignments=store.doc_topic_table(con, run_id) if run_id else pd.DataFrame(columns=[s.DOC_ID, s.TOPIC_ID]),
            topics=topics,
            actors=store.actor_totals(con, top=ACTOR_OPTIONS),
            events=store.events(con),
            run=store.last_run(con, "topics"),
            name=store.get_meta(con, "corpus_name"),
        )


def corpus_or_stop() -> Corpus:
    """The loaded corpus; a clear message and st.stop() when there is none or the store is busy."""
    db = current_db()
    try:
        corpus = load_corpus(str(db), store_version(db))
    except StoreBusyError:
        st.warning("An analysis is writing to this corpus right now. The page will show it when it is done.")
        st.stop()
    except NarrativeError as exc:
        st.error(exc.user_message())
        st.stop()
    if corpus.documents.empty:
        st.info("This corpus holds no documents yet. Add some on the **Corpus** page.")
        st.stop()
    return corpus


def with_store(write: bool = False):
    """Open the current store (for edits: labels, merges)."""
    return store.opened(current_db(), read_only=not write)


def clear_caches() -> None:
    """After an edit, reload from the store."""
    load_corpus.clear()


# -- filters (in the URL so a link reproduces the view) --------------------------------------------


@dataclass
class Filters:
    """The sidebar's filters."""

    start: dt.date
    end: dt.date
    sources: list[str]
    source_types: list[str]
    languages: list[str]
    actor: str | None
    granularity: str


def _param_list(name: str) -> list[str]:
    value = st.query_params.get(name, "")
    return [v for v in value.split("|") if v] if value else []


def _set_param(name: str, value) -> None:
    if value in (None, "", []):
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = "|".join(value) if isinstance(value, list) else str(value)


def sidebar_filters(corpus: Corpus) -> Filters:
    """Draw the filters in the sidebar, read and write them in the URL."""
    docs = corpus.documents
    dated = docs[docs[s.DATE].notna()]
    lo = dated[s.DATE].min().date() if not dated.empty else dt.date(2000, 1, 1)
    hi = dated[s.DATE].max().date() if not dated.empty else dt.date.today()
    with st.sidebar:
        st.subheader("Filters")
        default_gran = timeline.default_granularity(dated[s.DATE])
        gran = st.query_params.get("gran", default_gran)
        gran = st.selectbox("Granularity", GRANULARITIES, index=GRANULARITIES.index(gran) if gran in GRANULARITIES
                            else 1, key="f_gran", help=f"Default for this corpus: {default_gran} (the finest period "
                            "whose median period holds at least 8 documents).")
        start = _date_param("from", lo, lo, hi)
        end = _date_param("to", hi, lo, hi)
        picked = st.slider("Period", min_value=lo, max_value=hi, value=(start, end), key="f_dates",
                           format="YYYY-MM-DD") if lo < hi else (lo, hi)
        sources = st.multiselect("Source", sorted(docs[s.SOURCE].dropna().unique()),
                                 default=[v for v in _param_list("source") if v in set(docs[s.SOURCE])], key="f_src")
        types = st.multiselect("Source type", sorted(docs[s.SOURCE_TYPE].dropna().unique()),
                               default=[v for v in _param_list("stype") if v in set(docs[s.SOURCE_TYPE])],
                               key="f_stype")
        langs = st.multiselect("Language", sorted(docs[s.LANGUAGE].dropna().unique()),
                               default=[v for v in _param_list("lang") if v in set(docs[s.LANGUAGE].dropna())],
                               key="f_lang")
        actors = actor_options(corpus)
        actor_param = st.query_params.get("actor")
        actor_names = ["(any)"] + list(actors.values())
        current = actors.get(actor_param, "(any)") if actor_param else "(any)"
        actor_name = st.selectbox("Names the actor", actor_names, index=actor_names.index(current), key="f_actor")
        actor = next((k for k, v in actors.items() if v == actor_name), None)
        undated = timeline.undated_count(docs)
        if undated:
            st.caption(f"{undated} document(s) have no date: they are searchable but not on the timeline.")
    _set_param("gran", gran if gran != default_gran else None)
    _set_param("from", picked[0].isoformat() if picked[0] != lo else None)
    _set_param("to", picked[1].isoformat() if picked[1] != hi else None)
    _set_param("source", sources)
    _set_param("stype", types)
    _set_param("lang", langs)
    _set_param("actor", actor)
    return Filters(picked[0], picked[1], sources, types, langs, actor, gran)


def _date_param(name: str, default: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    try:
        value = dt.date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return default
    return min(max(value, lo), hi)


def actor_options(corpus: Corpus, top: int = ACTOR_OPTIONS) -> dict[str, str]:
    """Canonical actors by number of documents naming them: id → name."""
    actors = corpus.actors.head(top)
    return dict(zip(actors[s.CANONICAL_ID], actors[s.CANONICAL_NAME], strict=True))


def apply_filters(corpus: Corpus, f: Filters, dated_only: bool = True) -> pd.DataFrame:
    """The documents that pass the filters."""
    docs = corpus.documents
    mask = pd.Series(True, index=docs.index)
    if dated_only or f.start or f.end:
        in_range = docs[s.DATE].between(pd.Timestamp(f.start), pd.Timestamp(f.end) + pd.Timedelta(days=1),
                                        inclusive="left")
        mask &= in_range if dated_only else (in_range | docs[s.DATE].isna())
    if f.sources:
        mask &= docs[s.SOURCE].isin(f.sources)
    if f.source_types:
        mask &= docs[s.SOURCE_TYPE].isin(f.source_types)
    if f.languages:
        mask &= docs[s.LANGUAGE].isin(f.languages)
    if f.actor:
        mask &= docs[s.ID].isin(actor_doc_ids([f.actor]))
    return docs[mask]


# -- actors: counted in the store over the page's documents (the mentions themselves are never all loaded) -----


def _ids_key(ids: pd.Series) -> str:
    """A short cache key for a set of document ids (what the filters let through)."""
    return f"{len(ids)}-{int(pd.util.hash_pandas_object(ids, index=False).sum())}"


@st.cache_data(show_spinner=False, max_entries=64)
def _actor_query(db: str, version: str, query: str, key: str, args: tuple, _ids: pd.Series | None) -> object:  # noqa: ARG001 - version and key are the cache key
    """One actor query of the store over the documents `_ids` (all when None), cached per store version and
    id set: a click or a radio button re-runs the page without counting again."""
    with store.opened(db, read_only=True) as con:
        if query == "periods":
            return store.actor_period_counts(con, args[0], _ids, labels=args[1])
        if query == "totals":
            return store.actor_totals(con, _ids, top=args[0])
        if query == "documents":
            return store.actor_documents(con, list(args[0]), _ids, by=args[1])
        if query == "pairs":
            return timeline.pair_counts(*store.actor_incidence(con, _ids, unit=args[0]), min_count=args[1])
    raise ValueError(query)


@st.cache_data(show_spinner=False, max_entries=8)
def _document_counts(db: str, version: str) -> tuple[int, int]:  # noqa: ARG001 - version is the cache key
    with store.opened(db, read_only=True) as con:
        return store.dated_count(con), store.counts(con)["documents"]


def _actor_call(query: str, args: tuple, docs: pd.DataFrame | None):
    db = current_db()
    version = store_version(db)
    # When `docs` holds every document the query can count — every dated one for the per-period counts and the
    # pairs (they skip undated documents), every one for the others — the store needs no id list and counts
    # without probing 100k ids: the default filters.
    if docs is not None:
        dated, total = _document_counts(str(db), version)
        n_dated = int(docs[s.DATE].notna().sum())
        if n_dated == dated and (query in ("periods", "pairs") or len(docs) == total):
            docs = None
    ids = None if docs is None else docs[s.ID]
    key = "all" if ids is None else _ids_key(ids)
    return _actor_query(str(db), version, query, key, args, ids)


def actor_counts(docs: pd.DataFrame, granularity: str, labels: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Per period and actor over these documents: mentions, documents naming it, documents in the period, share."""
    counts = _actor_call("periods", (granularity, labels), docs)
    return timeline.actor_period_table(docs, counts, granularity)


def actor_totals(docs: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Actors named in these documents, most documents first: canonical_id, name, label, documents, mentions."""
    return _actor_call("totals", (top,), docs)


def actor_doc_ids(actors: list[str], docs: pd.DataFrame | None = None, by: str = s.CANONICAL_ID) -> list[str]:
    """Ids of the documents (of `docs`, or the whole corpus) naming any of these actors (ids, or names with by)."""
    return _actor_call("documents", (tuple(actors), by), docs)


def actor_pairs(docs: pd.DataFrame, unit: str = "document", min_count: int = 2) -> pd.DataFrame:
    """Actors named together in these documents (or their sentences), with counts and PMI."""
    return timeline.pmi_table(_actor_call("pairs", (unit, min_count), docs))


def content_warning_on() -> bool:
    """Whether documents of source type 'propaganda' stay collapsed until the reader opens them."""
    return st.session_state.get("content_warning", True)


# -- export ----------------------------------------------------------------------------------------


def methods_note(corpus: Corpus, f: Filters | None, what: str) -> str:
    """The reproducibility record that goes with an exported chart: corpus hash, versions, seeds, parameters."""
    run = corpus.run or {}
    record = {
        "chart": what,
        "corpus": corpus.name or current_db().stem,
        "store": str(current_db()),
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "documents_in_store": int(len(corpus.documents)),
        "topic_run": {k: run.get(k) for k in ("run_id", "finished_at")},
        "topic_parameters": run.get("params"),
        "topic_counts": run.get("counts"),
        "library_versions": run.get("versions"),
        "filters": None if f is None else {
            "from": f.start.isoformat(), "to": f.end.isoformat(), "sources": f.sources,
            "source_types": f.source_types, "languages": f.languages, "actor": f.actor,
            "granularity": f.granularity},
    }
    return json.dumps(record, indent=2, default=str)


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def export_buttons(chart, data: pd.DataFrame, doc_ids: list[str] | None, corpus: Corpus, f: Filters | None,
                   name: str) -> None:
    """PNG, SVG, the data behind the chart as CSV, the documents behind it, and the methods note."""
    with st.expander("Export this chart, its data and its documents"):
        cols = st.columns(5)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        # The files are made when a button is clicked (a callable), not on every rerun: rendering a chart to PNG and
        # SVG costs ~0.2 s each, and a page draws several charts.
        for col, fmt, mime in ((cols[0], "png", "image/png"), (cols[1], "svg", "image/svg+xml")):
            col.download_button(f"{fmt.upper()}", partial(charts.export_bytes, chart, fmt), file_name=f"{slug}.{fmt}",
                                mime=mime, key=f"{slug}-{fmt}")
        cols[2].download_button("Data (CSV)", partial(_csv_bytes, data), file_name=f"{slug}-data.csv",
                                mime="text/csv", key=f"{slug}-csv")
        if doc_ids is not None:
            docs = corpus.documents[corpus.documents[s.ID].isin(doc_ids)]
            cols[3].download_button("Documents (CSV)", partial(_csv_bytes, docs), file_name=f"{slug}-documents.csv",
                                    mime="text/csv", key=f"{slug}-docs")
        cols[4].download_button("Methods note", methods_note(corpus, f, name).encode(),
                                file_name=f"{slug}-methods.json", mime="application/json", key=f"{slug}-methods")


# -- selections ------------------------------------------------------------------------------------


def selected_points(event, name: str = "pick") -> list[dict]:
    """The points a reader clicked in an Altair chart (Streamlit's selection state), as a list of dicts."""
    if not event:
        return []
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    value = selection.get(name) if selection else None
    if not value:
        return []
    if isinstance(value, dict):  # some Streamlit versions: {field: [values]}
        keys = list(value)
        return [dict(zip(keys, vals, strict=False)) for vals in zip(*[value[k] for k in keys], strict=False)]
    return list(value)


def to_timestamp(value) -> pd.Timestamp:
    """A Vega-Lite time value (epoch ms or ISO string) as a Timestamp."""
    if isinstance(value, int | float):
        return pd.Timestamp(value, unit="ms")
    return pd.Timestamp(value)


# -- documents -------------------------------------------------------------------------------------


def document_table(docs: pd.DataFrame, key: str, corpus: Corpus, height: int = 320) -> str | None:
    """A selectable list of documents (date, source, type, title); returns the id of the row clicked."""
    if docs.empty:
        st.caption("No documents.")
        return None
    view = docs[[s.ID, s.DATE, s.SOURCE, s.SOURCE_TYPE, s.TITLE]].copy()
    view[s.DATE] = view[s.DATE].dt.strftime("%Y-%m-%d").fillna("no date")
    labels = corpus.labels
    topic_of = corpus.assignments.set_index(s.DOC_ID)[s.TOPIC_ID] if not corpus.assignments.empty else pd.Series()
    view["theme"] = view[s.ID].map(topic_of).map(lambda t: "" if pd.isna(t) else (
        charts.OUTLIER_LABEL if t == -1 else labels.get(int(t), str(t))))
    if content_warning_on():
        view[s.TITLE] = view[s.TITLE].where(view[s.SOURCE_TYPE] != "propaganda",
                                            "[propaganda source: open to read]")
    event = st.dataframe(view, key=key, hide_index=True, width="stretch", height=height,
                         on_select="rerun", selection_mode="single-row",
                         column_config={s.ID: st.column_config.TextColumn("id", width="small")})
    rows = event.selection.rows if event and event.selection else []
    if rows:
        return str(view.iloc[rows[0]][s.ID])
    return None


def escape_markdown(text: str) -> str:
    """Text made inert for st.markdown: HTML-escaped, then every Markdown control character backslashed."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~>$])", r"\\\1", text)


def highlighted_markdown(text: str, mentions: pd.DataFrame) -> str:
    """The document's text, escaped, with each entity mention bolded and tagged with its actor type."""
    parts, pos = [], 0
    for m in mentions.sort_values(s.START_CHAR).itertuples():
        if m.start_char < pos:
            continue
        parts.append(escape_markdown(text[pos:m.start_char]))
        label = re.sub(r"[^A-Z_]", "", str(m.label).upper())  # a type name only; nothing else in the backticks
        parts.append(f"**{escape_markdown(text[m.start_char:m.end_char])}** `{label}`")
        pos = m.end_char
    parts.append(escape_markdown(text[pos:]))
    return "".join(parts).replace("\n", "  \n")


def reading_view(doc_id: str, corpus: Corpus) -> None:
    """One document: metadata, themes, actors, and the text with actors highlighted (escaped)."""
    with with_store() as con:
        doc = store.document(con, doc_id)
        if doc is None:
            st.warning(f"Document {doc_id} is not in this corpus.")
            return
        ents = store.document_entities(con, doc_id)
        run_id = store.topic_run_id(con)
        weights = store.document_topics(con, doc_id, run_id) if run_id else pd.DataFrame()
    st.query_params["doc"] = doc_id
    title = doc.get(s.TITLE) or "(untitled)"
    st.markdown(f"#### {escape_markdown(str(title))}")
    date = doc[s.DATE].strftime("%Y-%m-%d") if pd.notna(doc[s.DATE]) else "no date"
    st.caption(f"{date} ({doc[s.DATE_PRECISION]}, from {doc[s.DATE_ORIGIN]}) · {doc.get(s.SOURCE) or 'unknown source'}"
               f" · {doc[s.SOURCE_TYPE]} · {doc.get(s.LANGUAGE) or '?'} · {doc.get(s.WORDS) or 0} words · id {doc_id}")
    if doc.get(s.URL):
        st.markdown(f"Original: [{escape_markdown(doc[s.URL])}]({doc[s.URL].replace(')', '%29')})"
                    if str(doc[s.URL]).startswith(("http://", "https://")) else f"Original: `{doc[s.URL]}`")
    if not weights.empty:
        labels = corpus.labels
        st.caption("Themes (share of its passages): " + "; ".join(
            f"{charts.OUTLIER_LABEL if t == -1 else labels.get(int(t), t)} {w:.0%}"
            for t, w in zip(weights[s.TOPIC_ID], weights["weight"], strict=True)))
    if not ents.empty:
        actors = ents.drop_duplicates(s.CANONICAL_ID)
        st.caption("Actors: " + ", ".join(f"{n} ({lbl})" for n, lbl in zip(actors[s.CANONICAL_NAME],
                                                                          actors[s.LABEL], strict=True)))
    body = lambda: st.markdown(highlighted_markdown(doc[s.TEXT], ents))  # noqa: E731
    if doc[s.SOURCE_TYPE] == "propaganda" and content_warning_on():
        with st.expander("Content warning: this document describes extremist propaganda. Open to read."):
            body()
    else:
        body()
    meta = doc.get("metadata") or {}
    if meta:
        with st.expander("Metadata"):
            st.json(meta)
