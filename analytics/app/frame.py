"""The app's frame: page config, the corpus choice, the first run's build of the demo, the navigation — all of it
inside the guard that shows any error as a sentence with what to do (`guard.plain_errors`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from .. import jobs, store
from ..errors import NarrativeError
from . import findings_queue, warm_up
from . import url_state as url
from .guard import plain_errors
from .state import CachedCorpus, corpus_label, corpus_stores, is_demo

PAGES_DIR = Path(__file__).resolve().parent / "pages"
# file, title, icon, url path (None: the default page)
PAGES = [
    ("overview.py", "Overview", ":material/dashboard:", None),
    ("themes.py", "Themes timeline", ":material/stacked_line_chart:", "themes"),
    ("explorer.py", "Theme explorer", ":material/manage_search:", "explorer"),
    ("actors.py", "Actors", ":material/groups:", "actors"),
    ("sources.py", "Sources", ":material/newspaper:", "sources"),
    ("amplification.py", "Amplification", ":material/hub:", "amplification"),
    ("documents.py", "Documents", ":material/description:", "documents"),
    ("corpus.py", "Corpus", ":material/upload_file:", "corpus"),
    ("about.py", "About the method", ":material/menu_book:", "about"),
]


def demo_needs_building(db: Path) -> bool:
    """The demo corpus is built on the first run: when its store does not exist yet, holds no document, or is
    the demo's own first build that did not finish (the demo's name, no themes). A store of the reader's own
    (`narrative app --db mine.duckdb` before `narrative analyze`) is never filled with the demo: its pages say to
    run the analysis. A store that cannot be opened (broken, locked by another program, of an older version) is
    left alone: the pages say what is wrong with it."""
    found = jobs.state(db)
    if found.running or found.resumable:
        return False  # running: the pages show its progress; stopped: the Corpus page offers to resume it
    if not db.exists():
        return True
    try:  # a store that cannot be read raises here; the pages say why
        # Asked through the cache (per store version): a store with an analysis is not opened again on every run
        # (opening a 100,000-document store costs some 30 ms, each rerun and each filter change).
        corpus = CachedCorpus(db)
        if corpus.run() is not None:
            return False
        return corpus.counts()["documents"] == 0 or is_demo(corpus)
    except NarrativeError:
        return False


def build_demo_in_background(db: Path) -> None:
    """First run: build the demo corpus's store as a background job (its progress shows on every page)."""
    st.info("First run: building the demo corpus (reading it, finding actors and themes). This takes a few "
            "minutes, once. Themes are built with the multilingual profile when a tenth or more of the documents "
            "are not in English (the demo has Arabic and French documents).")
    jobs.start(db, jobs.JobSpec(demo=True))


def main() -> None:
    """Choose the corpus (building the demo on first run) and run the selected page, inside the error guard."""
    st.set_page_config(page_title="Narrative Timeline", page_icon=":material/timeline:", layout="wide")
    with plain_errors():
        _frame()


def _frame() -> None:
    pages = [st.Page(PAGES_DIR / file, title=title, icon=icon, url_path=url_path, default=url_path is None)
             for file, title, icon, url_path in PAGES]
    page = st.navigation(pages)
    url.page_changed(page.url_path or "overview")
    stores = corpus_stores()
    with st.sidebar:
        names = list(stores)
        first = url.value("corpus", "demo", str)
        url.seed("corpus_pick", first if first in names else "demo")
        if (target := st.session_state.pop("_switch_corpus", None)) in names:
            st.session_state["corpus_pick"] = target
        if st.session_state["corpus_pick"] not in names:
            st.session_state["corpus_pick"] = "demo"
        choice = st.selectbox("Corpus", names, key="corpus_pick",
                              format_func=lambda key: corpus_label(key, stores[key]),
                              help="The demo corpus, or one you added on the Corpus page.")
        url.keep("corpus", choice, "demo")
        url.seed("content_warning", st.session_state.get("_warning_choice", True))
        warning = st.toggle("Content warning for propaganda sources", key="content_warning",
                            help="Documents of source type 'propaganda' (descriptions of extremist material) stay "
                            "closed, titles and actors included, until you open them.")
        st.session_state["_warning_choice"] = warning
    if choice == "demo" and demo_needs_building(stores["demo"]):
        build_demo_in_background(stores["demo"])
    # once per server process, in the background: the chart library, the pages' modules, the sidebar's choices
    warm_up.start(stores[choice])
    # the page's dozen questions find the store loaded; findings no page waits for are tested after the run
    with store.reads_kept_open(stores[choice]), findings_queue.page_run():
        page.run()
