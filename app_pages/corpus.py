"""Corpus: add your own corpus (upload, ingest, analyse with progress), see what was rejected and why, switch."""

from __future__ import annotations

import streamlit as st

from analytics import config, pipeline, store
from analytics.errors import NarrativeError
from analytics.uploads import corpus_slug, save_upload
from app_pages import ui

st.title("Corpus")
MAX_MB = int(config.SETTINGS["max_upload_mb"].default)

db = ui.current_db()
st.markdown(f"Current corpus: **{ui.escape_markdown(st.query_params.get('corpus', 'demo'))}** (`{db}`)")
try:
    with store.opened(db, read_only=True) as con:
        counts = store.counts(con)
        tables = store.status_tables(con)
        rejects = store.rejects(con)
        ingest_run = store.last_run(con, "ingest")
except NarrativeError as exc:
    st.error(exc.user_message())
    counts, tables, rejects, ingest_run = {}, {}, None, None
if counts:
    c = st.columns(4)
    c[0].metric("Documents", counts["documents"])
    c[1].metric("Exact duplicates", counts["duplicates"])
    c[2].metric("Rejected records", counts["rejects"])
    c[3].metric("Entity mentions", counts["entities"])
    with st.expander("Breakdown by source type, language, year"):
        for name in ("source_type", "language", "year", "date_precision"):
            st.dataframe(tables[name], hide_index=True)
if rejects is not None and not rejects.empty:
    with st.expander(f"Rejected records ({len(rejects)}): file, row and reason"):
        st.dataframe(rejects[["input_file", "input_row", "reason", "preview"]], hide_index=True,
                     width="stretch")

st.header("Add a corpus")
st.caption(f"CSV, TSV, JSON, JSONL, Parquet, TXT, MD, HTML, RSS/Atom, or a .zip of them; up to {MAX_MB} MB. "
           "Files stay on this machine, in their corpus's own folder.")
with st.form("upload"):
    name = st.text_input("Name of the new corpus", placeholder="e.g. telegram-posts-2019")
    files = st.file_uploader("Files", accept_multiple_files=True,
                             type=["csv", "tsv", "json", "jsonl", "ndjson", "parquet", "txt", "md", "html", "htm",
                                   "xml", "rss", "atom", "zip"])
    source_type = st.selectbox("Source type of records that name none",
                               ["news", "statement", "propaganda", "social", "research", "other"])
    profile = st.radio("Analysis", ["quality", "fast"], horizontal=True,
                       help=config.SETTINGS["profile"].help)
    submitted = st.form_submit_button("Ingest and analyse")
if submitted:
    try:
        slug = corpus_slug(name)
        if not files:
            raise NarrativeError("no files chosen", "choose one or more files to upload")
        folder = config.DATA_DIR / "uploads" / slug
        target_db = config.DATA_DIR / "corpora" / f"{slug}.duckdb"
        paths = []
        for upload in files:
            paths += save_upload(upload.name, upload.getvalue(), folder, MAX_MB * 1024 * 1024)
        bars: dict = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            bar = bars.get(stage) or bars.setdefault(stage, st.progress(0.0, text=stage))
            bar.progress(min(done / total, 1.0) if total else 0.0, text=f"{stage}: {done}/{total or '?'}")

        # one process: forking the Streamlit server (its threads, its sockets) for worker processes is not safe
        report = pipeline.ingest_paths(target_db, [folder], progress=progress, workers=1,
                                       defaults={"source_type": source_type, "source": slug})
        st.success(f"Read {report.read}, stored {report.stored}, duplicates {report.duplicates}, "
                   f"rejected {report.rejected}.")
        with store.opened(target_db) as con:
            n_docs = store.counts(con)["documents"]
        if n_docs >= 20:
            results = pipeline.analyze(target_db, profile=profile, progress=progress)
            st.success(f"Analysed: {results.get('topics', {}).get('topics', '?')} themes.")
        else:
            pipeline.analyze(target_db, profile=profile, progress=progress, topics=False)
            st.warning(f"{n_docs} documents: actors extracted, but themes need at least 20 documents.")
        ui.clear_caches()
        st.query_params["corpus"] = slug
        st.link_button("Open it", f"./?corpus={slug}")
    except NarrativeError as exc:
        st.error(exc.user_message())
