"""Corpus: add your own corpus (upload, ingest, analyse with progress), see what was rejected and why, switch."""

from __future__ import annotations

import streamlit as st

from analytics import Corpus, config, pipeline
from analytics import schema as s
from analytics.app.progress import progress_bars
from analytics.app.reading import escape_markdown
from analytics.app.state import clear_caches, corpus_or_stop, current_name
from analytics.errors import UPLOAD_NO_FILES, NarrativeError
from analytics.uploads import corpus_slug, save_upload

MAX_MB = int(config.setting("max_upload_mb"))

st.title("Corpus")
corpus = corpus_or_stop(need_documents=False)
st.markdown(f"Current corpus: **{escape_markdown(current_name())}** (`{corpus.path}`)")
counts = corpus.counts()
c = st.columns(4)
c[0].metric("Documents", counts["documents"])
c[1].metric("Exact duplicates", counts["duplicates"])
c[2].metric("Rejected records", counts["rejects"])
c[3].metric("Entity mentions", counts["entities"])
tables = corpus.breakdowns()
with st.expander("Breakdown by source type, language, year"):
    for name in ("source_type", "language", "year", "date_precision"):
        st.dataframe(tables[name], hide_index=True)
rejects = corpus.rejects()
if not rejects.empty:
    with st.expander(f"Rejected records ({len(rejects)}): file, row and reason"):
        st.dataframe(rejects[["input_file", "input_row", "reason", "preview"]], hide_index=True, width="stretch")

st.header("Add a corpus")
st.caption(f"CSV, TSV, JSON, JSONL, Parquet, TXT, MD, HTML, RSS/Atom, or a .zip of them; up to {MAX_MB} MB. "
           "Files stay on this machine, in their corpus's own folder.")
with st.form("upload"):
    name = st.text_input("Name of the new corpus", placeholder="e.g. telegram-posts-2019")
    files = st.file_uploader("Files", accept_multiple_files=True,
                             type=["csv", "tsv", "json", "jsonl", "ndjson", "parquet", "txt", "md", "html", "htm",
                                   "xml", "rss", "atom", "zip"])
    source_type = st.selectbox("Source type of records that name none", list(s.SOURCE_TYPES))
    profile = st.radio("Analysis", list(config.SETTINGS["profile"].choices), horizontal=True,
                       help=config.SETTINGS["profile"].help)
    submitted = st.form_submit_button("Ingest and analyse")
if submitted:
    try:
        slug = corpus_slug(name)
        if not files:
            raise UPLOAD_NO_FILES.error()
        target_db, folder = config.added_corpus(slug)
        paths = []
        for upload in files:
            paths += save_upload(upload.name, upload.getvalue(), folder, MAX_MB * 1024 * 1024)
        progress = progress_bars()
        # one process: forking the Streamlit server (its threads, its sockets) for worker processes is not safe
        report = pipeline.ingest_paths(target_db, [folder], progress=progress, workers=1,
                                       defaults={"source_type": source_type, "source": slug})
        st.success(f"Read {report.read}, stored {report.stored}, duplicates {report.duplicates}, "
                   f"rejected {report.rejected}.")
        minimum = int(config.setting("min_documents_for_themes"))
        n_docs = Corpus.open(target_db).counts()["documents"]
        if n_docs >= minimum:
            results = pipeline.analyze(target_db, profile=profile, progress=progress)
            st.success(f"Analysed: {results.get('topics', {}).get('topics', '?')} themes.")
        else:
            pipeline.analyze(target_db, profile=profile, progress=progress, topics=False)
            st.warning(f"{n_docs} documents: actors extracted, but themes need at least {minimum} documents.")
        clear_caches()
        st.query_params["corpus"] = slug
        st.link_button("Open it", f"./?corpus={slug}")
    except NarrativeError as exc:
        st.error(exc.user_message())
