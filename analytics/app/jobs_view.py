"""The analysis job of a corpus on screen: its progress while it runs (refreshed every two seconds, whatever page
the reader is on), how it ended, and the "Run / resume analysis" control.

The job runs in a process of its own (`analytics.jobs`); this module only reads its status file and starts it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from .. import config, jobs
from ..errors import NarrativeError
from .reading import escape_markdown

REFRESH_SECONDS = 2.0


def job_progress(db: Path) -> None:
    """While the job runs: a bar and a sentence, refreshed; when it ends, the whole page is drawn again."""

    @st.fragment(run_every=REFRESH_SECONDS)
    def live() -> None:
        found = jobs.state(db)
        if not found.running:
            st.rerun()  # the job ended: draw the page again, now from the store
        st.progress(found.fraction, text=escape_markdown(found.sentence()))
        st.caption("The analysis runs on its own: you can change page, reload or close this tab; it goes on. "
                   "The pages of this corpus open when it is done.")

    live()


def job_outcome(db: Path) -> jobs.JobState:
    """How the last job ended (done, failed, interrupted), said once; the state."""
    found = jobs.state(db)
    if found.state == "done" and found.message:
        st.success(escape_markdown(found.message))
    elif found.state in ("failed", "interrupted"):
        st.warning(escape_markdown(found.message))
        if found.details:
            with st.expander("Technical details"):
                st.code(found.details, language=None)
    return found


def run_or_resume(db: Path, key: str = "job") -> None:
    """The control that starts the analysis of a corpus, or resumes an interrupted one."""
    found = jobs.state(db)
    if found.running:
        return
    profiles = list(config.SETTINGS["profile"].choices)
    last = (found.spec or {}).get("profile")
    if found.resumable:
        label = "Resume analysis"
        help_text = "Carries on from the last completed step (documents already analysed are not done again)."
    else:
        label = "Run analysis"
        help_text = "Finds actors and themes for documents not analysed yet (nothing is done twice)."
    cols = st.columns([2, 3])
    profile = cols[1].radio("Analysis profile", profiles, horizontal=True, key=f"{key}_profile",
                            index=profiles.index(last) if last in profiles else 0,
                            help=config.SETTINGS["profile"].help, disabled=found.resumable)
    if cols[0].button(label, key=f"{key}_run", type="primary", help=help_text):
        try:
            if found.resumable:
                jobs.resume(db)
            else:
                jobs.start(db, jobs.JobSpec(profile=profile))
        except NarrativeError as exc:
            st.error(exc.user_message())
            return
        st.rerun()
