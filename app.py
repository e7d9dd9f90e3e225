"""Narrative Timeline — the Streamlit app's frame: page config, corpus choice, first-run build, navigation.

Run with `make app` or `narrative app`. Pages live in app_pages/ and only call the `analytics` library and draw.
"""

from __future__ import annotations

import streamlit as st

from analytics import pipeline
from app_pages import ui


def build_demo_with_progress() -> None:
    """First run: build the demo corpus's store, showing each stage's progress."""
    st.title("Narrative Timeline")
    st.info("First run: building the demo corpus (ingest, actors, themes). This takes a minute or two, once.")
    bars: dict[str, st.delta_generator.DeltaGenerator] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        bar = bars.get(stage) or bars.setdefault(stage, st.progress(0.0, text=stage))
        share = min(done / total, 1.0) if total else 0.0
        bar.progress(share, text=f"{stage}: {done}/{total if total else '?'}")

    pipeline.build_demo(ui.corpus_stores()["demo"], progress=progress)
    ui.clear_caches()
    st.rerun()


def main() -> None:
    """Choose the corpus (building the demo on first run) and run the selected page."""
    st.set_page_config(page_title="Narrative Timeline", page_icon=":material/timeline:", layout="wide")
    stores = ui.corpus_stores()
    if ui.current_db() == stores["demo"] and not pipeline.store_is_ready(stores["demo"]):
        build_demo_with_progress()

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

    pages = [
        st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("app_pages/themes.py", title="Themes timeline", icon=":material/stacked_line_chart:",
                url_path="themes"),
        st.Page("app_pages/explorer.py", title="Theme explorer", icon=":material/manage_search:", url_path="explorer"),
        st.Page("app_pages/actors.py", title="Actors", icon=":material/groups:", url_path="actors"),
        st.Page("app_pages/sources.py", title="Sources", icon=":material/newspaper:", url_path="sources"),
        st.Page("app_pages/documents.py", title="Documents", icon=":material/description:", url_path="documents"),
        st.Page("app_pages/corpus.py", title="Corpus", icon=":material/upload_file:", url_path="corpus"),
        st.Page("app_pages/about.py", title="About the method", icon=":material/menu_book:", url_path="about"),
    ]
    st.navigation(pages).run()


# Streamlit runs this file as __main__. The guard keeps it inert when a worker process started with
# multiprocessing's "spawn" (Dask's LocalCluster) re-imports the parent's main module as __mp_main__.
if __name__ == "__main__":
    main()
