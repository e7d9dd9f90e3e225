"""The corpus in use and its answers, cached: which store the sidebar (or the URL) chose, and a Corpus whose
costly questions are answered once per store version and set of arguments (st.cache_data keyed by the store
file's stamp, so an analysis or an edit shows at once)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from .. import config, jobs
from ..corpus import Corpus
from ..corpus.findings import Findings
from ..errors import STORE_MISSING, NarrativeError, StoreBusyError, StoreOutdatedError
from ..filters import Filters
from ..findings import FindingsSettings
from ..ingest.inputs import read_manifest
from ..store import migrate_store
from . import findings_queue

F = TypeVar("F", bound=Callable[..., Any])
APP_RETRIES = 6  # a store another process writes is waited for about 1.5 s, then the page says so


def corpus_stores() -> dict[str, Path]:
    """Stores the app can switch between: the default store and every store under data/corpora/."""
    found = {"demo": config.default_db_path()}
    corpora_dir = config.added_corpus("any")[0].parent
    if corpora_dir.is_dir():
        for path in sorted(corpora_dir.glob("*.duckdb")):
            found[path.stem] = path
        for status in sorted(corpora_dir.glob("*.duckdb.job.json")):  # a new corpus whose job has not begun writing
            path = status.with_name(status.name.removesuffix(".job.json"))
            found.setdefault(path.stem, path)
    return found


def is_demo(corpus: Corpus) -> bool:
    """Whether the store holds the demo corpus (read by its manifest: the demo's name)."""
    return corpus.name() == read_manifest(config.DEMO_CORPUS_DIR).name


def corpus_label(key: str, path: Path) -> str:
    """How the sidebar names a corpus: the default store as "demo" while it holds the demo corpus (or nothing
    yet), else by its own name (`narrative app --db mine.duckdb` shows the reader's corpus under its name)."""
    if key != "demo" or not path.exists():
        return key
    try:
        corpus = CachedCorpus(path)  # its name is cached per store version: no open on every rerun
        return key if is_demo(corpus) else corpus.name()
    except NarrativeError:
        return key


def current_name() -> str:
    """The name of the corpus chosen in the sidebar (or the URL, or earlier in this session)."""
    from . import url_state

    name = st.session_state.get("corpus_pick") or url_state.value("corpus", "demo", str)
    return name if name in corpus_stores() else "demo"


def switch_corpus(name: str) -> None:
    """Show this corpus from the next run on (the sidebar's picker takes it before it is drawn)."""
    st.session_state["_switch_corpus"] = name


def current_db() -> Path:
    """The store of the corpus chosen in the sidebar (or the URL)."""
    return corpus_stores()[current_name()]


def _cached(method: F) -> F:
    """`method` of Corpus answered through st.cache_data, keyed by the store's path and stamp and the arguments."""

    def ask(db: str, stamp: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ARG001 - the stamp is the cache key
        corpus = Corpus(db)
        corpus.retries = APP_RETRIES
        return method(corpus, *args, **kwargs)

    ask.__qualname__ = ask.__name__ = f"corpus_{method.__name__}"  # one cache per method
    cached = st.cache_data(show_spinner=False, max_entries=64)(ask)

    @functools.wraps(method)
    def call(self: Corpus, *args: Any, **kwargs: Any) -> Any:
        return cached(str(self.path), self.stamp(), *args, **kwargs)

    return call  # type: ignore[return-value]


class CachedCorpus(Corpus):
    """The Corpus the pages ask: the same methods, the costly ones cached. A store another process writes is
    waited for briefly (a page says so rather than hang)."""

    retries = APP_RETRIES

    name = _cached(Corpus.name)
    run = _cached(Corpus.run)
    themes = _cached(Corpus.themes)
    labels = _cached(Corpus.labels)
    summary = _cached(Corpus.summary)
    filter_options = _cached(Corpus.filter_options)
    events = _cached(Corpus.events)
    volume = _cached(Corpus.volume)
    theme_sizes = _cached(Corpus.theme_sizes)
    theme_shares = _cached(Corpus.theme_shares)
    actors = _cached(Corpus.actors)
    actor_counts = _cached(Corpus.actor_counts)
    leading_actors = _cached(Corpus.leading_actors)
    platform_shares = _cached(Corpus.platform_shares)
    actor_pairs = _cached(Corpus.actor_pairs)
    share_of_voice = _cached(Corpus.share_of_voice)
    documents = _cached(Corpus.documents)
    documents_behind = _cached(Corpus.documents_behind)
    count_behind = _cached(Corpus.count_behind)
    search = _cached(Corpus.search)
    counts = _cached(Corpus.counts)
    term_over_time = _cached(Corpus.term_over_time)
    concordance = _cached(Corpus.concordance)
    merge_candidates = _cached(Corpus.merge_candidates)
    merge_suggestions = _cached(Corpus.merge_suggestions)
    theme_sources = _cached(Corpus.theme_sources)
    theme_languages = _cached(Corpus.theme_languages)
    theme_words_by_language = _cached(Corpus.theme_words_by_language)
    theme_profile = _cached(Corpus.theme_profile)
    representative_documents = _cached(Corpus.representative_documents)
    posts_in_view = _cached(Corpus.posts_in_view)
    cascades = _cached(Corpus.cascades)
    coordination = _cached(Corpus.coordination)
    trace_trends = _cached(Corpus.trace_trends)

    def findings(self, granularity: str | None = None, filters: Filters | None = None,
                 settings: FindingsSettings | None = None) -> Findings:
        """Corpus.findings, tested once per store version, granularity and filters in the background and shared
        (frozen; at 100,000 documents some 50 MB of evidence that a copy per ask would cost): see findings_queue.
        Other settings than the defaults are tested here, every time."""
        if settings is not None:
            return Corpus.findings(self, granularity, filters, settings)
        return findings_queue.result(self.path, self.stamp(), granularity, filters)

    def findings_ready(self, granularity: str, filters: Filters, wait_until: float | None = None
                       ) -> Findings | None:
        """The findings if they are done by `wait_until` (time.monotonic()), else None (still being tested)."""
        return findings_queue.ready(self.path, self.stamp(), granularity, filters, wait_until)


def corpus_or_stop(need_documents: bool = True) -> CachedCorpus:
    """The corpus in use; while its analysis runs, the job's progress instead (and st.stop()); a clear message and
    st.stop() when there is none, it is busy or needs migrating."""
    from .jobs_view import job_progress

    db = current_db()
    if jobs.state(db).running:
        st.title(current_name())
        job_progress(db)
        st.stop()
    try:
        corpus = CachedCorpus.open(db)
        empty = corpus.counts()["documents"] == 0
    except StoreBusyError:
        st.warning("Another program is writing to this corpus right now (an analysis started from the command "
                   "line?). Reload this page in a minute.")
        st.stop()
    except StoreOutdatedError:
        st.title(current_name())
        update_control(db)
        st.stop()
    except NarrativeError as exc:
        if exc.code == STORE_MISSING.code and not need_documents:
            return CachedCorpus(db)  # a corpus being created: the Corpus page draws what it can
        st.error(exc.user_message())
        st.stop()
    if need_documents and empty:
        st.info("This corpus holds no documents yet. Add some on the **Corpus** page.")
        st.stop()
    return corpus


def store_outdated(db: Path) -> bool:
    """Whether the corpus at `db` was stored by an older version of this program (it needs updating first)."""
    try:
        CachedCorpus.open(db, retries=1)
    except StoreOutdatedError:
        return True
    except NarrativeError:
        return False
    return False


def update_control(db: Path) -> None:
    """A corpus stored by an older version: what that means and one button that updates it in place. The update
    (`narrative migrate`) only adds what the new version keeps; nothing stored is changed or lost."""
    st.warning("This corpus was stored by an older version of Narrative Timeline. Update it once to read it "
               "here: nothing stored is lost, and it takes a few seconds (a minute for a very large corpus). "
               f"From the command line it is `narrative migrate --db {db}`.")
    if not st.button("Update this corpus", key="update_store", type="primary"):
        return
    try:
        with st.spinner("Updating the corpus…"):
            migrate_store(db)
    except NarrativeError as exc:
        st.error(exc.user_message())
        return
    clear_caches()
    st.rerun()


def clear_caches() -> None:
    """After an edit or an analysis, ask the store again (its stamp changes too; this frees the memory)."""
    st.cache_data.clear()
    findings_queue.forget()


def content_warning_on() -> bool:
    """Whether documents of source type 'propaganda' stay collapsed until the reader opens them."""
    return st.session_state.get("content_warning", True)
