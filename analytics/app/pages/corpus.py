"""Corpus: what the corpus holds and what was rejected; its analysis (progress while it runs, how it ended, run
or resume it); adding documents (upload, preview, column mapping, source type) — each step in plain words."""

from __future__ import annotations

import streamlit as st

from analytics import glossary, jobs
from analytics.app.jobs_view import job_outcome, job_progress, run_or_resume
from analytics.app.reading import escape_markdown
from analytics.app.state import corpus_or_stop, current_db, current_name, store_outdated, update_control
from analytics.app.upload import add_documents

st.title("Corpus")
db = current_db()
st.markdown(f"Current corpus: **{escape_markdown(current_name())}** (`{db}`)")

if jobs.state(db).running:
    st.header("Analysis")
    job_progress(db)
elif db.exists() and store_outdated(db):  # updated here, and a new corpus can still be added below
    st.header("Update")
    update_control(db)
elif db.exists():
    corpus = corpus_or_stop(need_documents=False)
    counts = corpus.counts()
    c = st.columns(4)
    c[0].metric("Documents", f"{counts['documents']:,}")
    c[1].metric("Exact duplicates", f"{counts['duplicates']:,}", help="Records already read once (not stored again).")
    c[2].metric("Rejected records", f"{counts['rejects']:,}", help="Records that could not become documents; each "
                "with its file, row and reason below.")
    c[3].metric("Actor mentions", f"{counts['entities']:,}")
    tables = corpus.breakdowns()
    with st.expander("What the corpus holds: by source type, language, year, date precision, platform"):
        for name in ("source_type", "language", "year", "date_precision", "platform and source type"):
            if name in tables:
                st.caption(name.replace("_", " "))
                table = tables[name].copy()
                if "source_type" in table:
                    table["source_type"] = table["source_type"].map(glossary.source_type_name)
                if "language" in table:
                    table["language"] = table["language"].map(glossary.language_name)
                st.dataframe(table, hide_index=True)
    rejects = corpus.rejects()
    if not rejects.empty:
        with st.expander(f"Rejected records ({len(rejects):,}): file, row and reason"):
            st.dataframe(rejects[["input_file", "input_row", "reason", "preview"]].rename(
                columns={"input_file": "file", "input_row": "row"}), hide_index=True, width="stretch")

    st.header("Analysis")
    job_outcome(db)
    pending = corpus.analysis_pending()
    if not counts["documents"]:
        st.caption("No documents yet: add some below.")
    elif any(pending.values()):
        missing = [f"{pending[key]:,} document(s) {what}" for key, what in
                   (("without_actors", "have no actors yet"), ("without_theme", "have no theme yet")) if pending[key]]
        st.info(" and ".join(missing) + ": run the analysis to include them.")
    else:
        st.caption(f"Every one of the {counts['documents']:,} documents has been analysed (actors and theme). "
                   "Running the analysis again does only what is new.")
    run_or_resume(db)
    history = corpus.jobs(limit=10)
    if not history.empty:
        with st.expander("Earlier analyses of this corpus"):
            st.dataframe(history[["job_id", "kind", "status", "started_at", "finished_at", "message"]].rename(
                columns={"job_id": "number", "started_at": "started", "finished_at": "ended"}),
                hide_index=True, width="stretch")
elif jobs.state(db).resumable:  # a new corpus whose first job stopped before it stored anything
    st.header("Analysis")
    job_outcome(db)
    run_or_resume(db)

st.header("Add documents")
add_documents()
