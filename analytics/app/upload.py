"""Adding documents from the Corpus page, in two steps, before anything is stored:

1. choose a name and the files (any format the ingest readers know, or a .zip of them); they are saved in the
   corpus's own folder;
2. check how they will be read: the format found (and how sure), the encoding, a preview of the first records as
   they would be stored, which column is the date, text, source and title (asked when the reader is unsure), what
   kind of documents they are (propaganda gets the content warning), whether dates are written day first; then
   "Store and analyse" starts the corpus's background job (`analytics.jobs`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import config, glossary, jobs
from .. import schema as s
from ..errors import UPLOAD_NO_FILES, UPLOAD_NO_SOURCE_TYPE, NarrativeError
from ..ingest import readers
from ..ingest.preview import Preview, preview
from ..uploads import ALLOWED_SUFFIXES, corpus_slug, save_upload
from .reading import escape_markdown
from .state import clear_caches, corpus_stores, switch_corpus

MAX_MB = int(config.setting("max_upload_mb"))
UPLOAD_TYPES = sorted({suffix.lstrip(".") for suffix in ALLOWED_SUFFIXES} - {"toml"} | {"zip"})
MAPPED_FIELDS = {s.DATE: "date", s.TEXT: "text", s.SOURCE: "source (outlet or account)", s.TITLE: "title"}
AUTOMATIC = "(found automatically)"
PREVIEWED_FILES = 3
_STATE = "upload_in_review"


def _choose_files() -> None:
    """Step 1: the corpus's name and its files, saved in its folder."""
    st.caption(f"Accepted: {', '.join(UPLOAD_TYPES)} — including Telegram, X/Twitter (tweets.js), CrowdTangle, "
               f"4CAT, Zeeschuimer, GDELT and Media Cloud exports — or a .zip of them; up to {MAX_MB} MB. Files stay "
               "on this machine, in their corpus's own folder. Nothing is stored until you have checked the preview.")
    with st.form("upload"):
        name = st.text_input("Name of the corpus", placeholder="e.g. telegram-posts-2019",
                             help="A new name makes a new corpus; the name of an existing one adds the files to it.")
        files = st.file_uploader("Files", accept_multiple_files=True, type=UPLOAD_TYPES)
        submitted = st.form_submit_button("Upload and preview")
    if not submitted:
        return
    slug = corpus_slug(name)
    if not files:
        raise UPLOAD_NO_FILES.error()
    folder = config.added_corpus(slug)[1]
    paths: list[str] = []
    for upload in files:
        paths += [str(p) for p in save_upload(upload.name, upload.getvalue(), folder, MAX_MB * 1024 * 1024)]
    st.session_state[_STATE] = {"slug": slug, "paths": paths}
    st.rerun()


def _preview_table(found: Preview, source_type: str | None) -> None:
    rows = found.rows.copy()
    if rows.empty:
        st.caption("No record of this file could be read (see the reasons below).")
        return
    rows[s.DATE] = pd.to_datetime(rows[s.DATE]).dt.strftime("%Y-%m-%d %H:%M").fillna("no date")
    rows[s.TEXT] = rows[s.TEXT].str.slice(0, 160)
    if source_type:
        rows[s.SOURCE_TYPE] = source_type
    elif not found.mapping.get(s.SOURCE_TYPE):  # the file does not say it: not "news" before anyone chose it
        rows[s.SOURCE_TYPE] = None
    if source_type == "propaganda" and st.session_state.get("content_warning", True):
        rows[[s.TITLE, s.TEXT]] = "[propaganda: hidden while the content warning is on]"
    rows[s.SOURCE_TYPE] = [glossary.source_type_name(t) if t else "(choose above)" for t in rows[s.SOURCE_TYPE]]
    rows[s.LANGUAGE] = rows[s.LANGUAGE].map(glossary.language_name)
    st.dataframe(rows, hide_index=True, width="stretch")


def _review(pending: dict) -> None:
    """Step 2: how the files will be read, with the reader's choices open to change; then the job."""
    slug, paths = pending["slug"], [Path(p) for p in pending["paths"]]
    exists = slug in corpus_stores()
    st.markdown(f"**{len(paths)} file(s)** for the corpus **{escape_markdown(slug)}**"
                + (" (added to the existing corpus)." if exists else " (a new corpus)."))
    first = preview(paths[0], rows=1)
    formats = readers.format_names()
    fmt_pick = st.selectbox("Format", ["(detected for each file)", *formats], key="upload_format",
                            help=f"Detected for the first file: {first.format} ({first.description}), "
                            f"{first.confidence:.0%} sure.")
    fmt = None if fmt_pick.startswith("(") else fmt_pick
    reader_default = (readers.READERS[first.format].defaults.get("source_type")
                      if first.format in readers.READERS else None)
    inferred = first.mapping.get(s.SOURCE_TYPE, "").split(" ")[0] or None
    suggested = reader_default or (inferred if inferred in s.SOURCE_TYPES else None)
    types = list(s.SOURCE_TYPES)
    source_type = st.selectbox(
        "What are these documents?", types, index=types.index(suggested) if suggested else None,
        key="upload_source_type", format_func=glossary.source_type_name, placeholder="Choose a source type…",
        help="Used for records that do not say it themselves. Propaganda (documents that describe or carry extremist "
        "material) is kept behind the content warning everywhere in the app.")
    dayfirst = st.checkbox("Numeric dates are written day first (03/04/2016 is 3 April)", key="upload_dayfirst")
    column_map: dict[str, str] = {}
    mapped = first.columns and not (first.platform and not first.unsure)
    if mapped:
        with st.expander("Which column is which", expanded=first.needs_mapping):
            cols = st.columns(len(MAPPED_FIELDS))
            for col, (field, name) in zip(cols, MAPPED_FIELDS.items(), strict=True):
                found_as = first.mapping.get(field)
                choice = col.selectbox(name, [AUTOMATIC, *first.columns], key=f"upload_map_{field}",
                                       help=f"Found automatically: {found_as or 'none'}.")
                if choice != AUTOMATIC:
                    column_map[field] = choice
    defaults = {"source_type": source_type, "source": slug, "dayfirst": "true" if dayfirst else None}
    defaults = {k: v for k, v in defaults.items() if v}
    for path in paths[:PREVIEWED_FILES]:
        found = preview(path, rows=5, fmt=fmt, column_map=column_map or None, defaults=defaults)
        with st.container(border=True):
            encoding = (f" · encoding {found.encoding} ({found.encoding_confidence:.0%} sure)"
                        if found.encoding and found.encoding_confidence is not None else "")
            st.markdown(f"**{escape_markdown(path.name)}** — {escape_markdown(found.description)} "
                        f"({found.confidence:.0%} sure){escape_markdown(encoding)}")
            for doubt in found.unsure:
                st.warning(f"Please check: {escape_markdown(doubt)}.")
            _preview_table(found, source_type)
            for row, reason in found.rejected[:5]:
                st.caption(f"Would be rejected — {'row ' + str(row) + ': ' if row is not None else ''}"
                           f"{escape_markdown(reason)}")
    if len(paths) > PREVIEWED_FILES:
        st.caption(f"…and {len(paths) - PREVIEWED_FILES} more file(s), read the same way.")
    profiles = list(config.SETTINGS["profile"].choices)
    profile = st.radio("Analysis profile", profiles, horizontal=True, key="upload_profile",
                       help=config.SETTINGS["profile"].help)
    go, cancel = st.columns([1, 1])
    if cancel.button("Cancel", key="upload_cancel"):
        for path in paths:
            path.unlink(missing_ok=True)
        folder = config.added_corpus(slug)[1]
        if folder.is_dir() and not any(folder.iterdir()):
            shutil.rmtree(folder, ignore_errors=True)
        del st.session_state[_STATE]
        st.rerun()
    if go.button("Store and analyse", key="upload_go", type="primary"):
        if not source_type:
            raise UPLOAD_NO_SOURCE_TYPE.error(name=slug)
        db = config.added_corpus(slug)[0]
        jobs.start(db, jobs.JobSpec(profile=profile, paths=[str(p) for p in paths],
                                    ingest={"fmt": fmt, "column_map": column_map or None, "defaults": defaults}))
        del st.session_state[_STATE]
        clear_caches()
        switch_corpus(slug)
        st.rerun()


def add_documents() -> None:
    """The "Add documents" section of the Corpus page (either step); errors said in words."""
    try:
        pending = st.session_state.get(_STATE)
        if pending:
            _review(pending)
        else:
            _choose_files()
    except NarrativeError as exc:
        st.error(exc.user_message())
