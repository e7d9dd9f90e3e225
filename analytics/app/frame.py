"""The app's frame: page config, the corpus choice, the first run's build of the demo, the navigation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from .. import pipeline
from .progress import progress_bars
from .state import clear_caches, corpus_stores, current_name

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


def build_demo_with_progress(db: Path) -> None:
    """First run: build the demo corpus's store, showing each stage's progress."""
    st.title("Narrative Timeline")
    st.info("First run: building the demo corpus (ingest, actors, themes). This takes a few minutes, once. Themes are "
            "built with the multilingual profile when a tenth or more of the documents are not in English (the demo "
            "has Arabic and French documents).")
    results = pipeline.build_demo(db, progress=progress_bars())
    # Said after the rerun that shows the corpus; a message drawn before st.rerun() would vanish.
    st.session_state["demo_built"] = (f"The demo corpus is ready. Its themes were built with the "
                                      f"{results['profile']} profile.")
    clear_caches()
    st.rerun()


def main() -> None:
    """Choose the corpus (building the demo on first run) and run the selected page."""
    st.set_page_config(page_title="Narrative Timeline", page_icon=":material/timeline:", layout="wide")
    stores = corpus_stores()
    if current_name() == "demo" and not pipeline.store_is_ready(stores["demo"]):
        build_demo_with_progress(stores["demo"])
    if built := st.session_state.pop("demo_built", None):
        st.success(built)

    with st.sidebar:
        names = list(stores)
        current = st.query_params.get("corpus", "demo")
        choice = st.selectbox("Corpus", names, index=names.index(current) if current in names else 0, key="corpus_pick",
                              help="The demo corpus, or one you added on the Corpus page.")
        if choice != current:
            st.query_params["corpus"] = choice
        if choice == "demo" and "corpus" in st.query_params:
            del st.query_params["corpus"]
        st.toggle("Content warning for propaganda sources", value=True, key="content_warning",
                  help="Documents of source type 'propaganda' stay collapsed until you open them.")

    pages = [st.Page(PAGES_DIR / file, title=title, icon=icon, url_path=url, default=url is None)
             for file, title, icon, url in PAGES]
    st.navigation(pages).run()
