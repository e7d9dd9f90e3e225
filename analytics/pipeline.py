"""The numbered recipe: ingest → entities → topics. Each step is one call into its stage module.

`progress(stage, done, total)` is how the CLI draws a bar and the app an st.progress; it holds no state here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import config, store

Progress = Callable[[str, int, int | None], None]



def _quiet(stage: str, done: int, total: int | None) -> None:
    """Default progress callback: say nothing."""


def ingest_paths(db: str | Path, paths: list[Path], progress: Progress = _quiet, **options: Any) -> Any:
    """Step 1: read, clean, deduplicate and store documents; returns the ingest report."""
    from .ingest import ingest

    options.setdefault("near_duplicate_threshold", float(config.setting("near_duplicate_threshold")))
    with store.opened(db) as con:
        return ingest(paths, con, progress=lambda d, t: progress("ingest", d, t), **options)


def analyze(
    db: str | Path,
    *,
    profile: str = "quality",
    aliases_path: Path | None = None,
    n_process: int = 0,
    progress: Progress = _quiet,
    topics: bool = True,
    dask: str | None = None,
    refit: bool = False,
    topic_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Steps 2–4: entities for documents not yet processed, the topic model (fit or assign), the word index.

    With `dask` (a scheduler address, or "local"), entity extraction and passage embedding run on the cluster's
    workers; the store is written here only, so the results are those of a local run. `refit` fits the topic model
    again on purpose; `topic_options` are TopicParams fields (seed_topics, zeroshot_topics, min_topic_size, ...),
    which also force a refit.
    """
    from . import entities as entity_stage
    from .scale import entities_beside_themes, executor

    results: dict[str, Any] = {}
    with store.opened(db) as con, executor(dask) as mapper:
        aliases = aliases_path or Path(store.get_meta(con, "aliases_path") or config.DEFAULT_ALIASES)

        def themes(report: Progress) -> dict[str, Any]:
            # 3. topics: fit when there is no model yet or the user asks; otherwise assign new documents.
            from . import topics as topic_stage

            params = None
            if topic_options:
                params = topic_stage.TopicParams(
                    backend=topic_stage.PROFILE_BACKENDS.get(profile, profile), **topic_options)
            return topic_stage.run_topics(
                con, profile=profile, progress=lambda d, t: report("topics", d, t), mapper=mapper,
                refit=refit or bool(topic_options), params=params, model_dir=model_dir(db),
            )

        # 2. entities: incremental, only documents not yet processed by this pipeline version.
        if topics and not mapper.remote and entities_beside_themes(entity_stage.pending_count(con, profile),
                                                                   profile, n_process):
            results.update(_entities_beside_themes(con, aliases, profile, progress, themes))
        else:
            results["entities"] = entity_stage.run_entities(
                con, aliases, profile=profile, n_process=n_process,
                progress=lambda d, t: progress("entities", d, t), mapper=mapper,
            )
            if topics:
                results["topics"] = themes(progress)
        # 4. the word index the search asks: incremental, only documents it has not indexed yet.
        from .search_index import run_search_index

        results["search_index"] = run_search_index(con, progress=lambda d, t: progress("search index", d, t))
    return results


def _entities_beside_themes(con: Any, aliases: Path, profile: str, progress: Progress,
                            themes: Callable[[Progress], dict[str, Any]]) -> dict[str, Any]:
    """Entities extracted in a process of their own (written by a thread of this one, on a cursor of its own)
    while this thread fits the themes: the two stages share nothing, and the fit leaves the second core idle.

    The extraction begins once the passages are embedded (the theme stage's progress reaches its total), because
    the embeddings use both cores: begun at once, on UK news (2,772 articles, fast profile) it slowed them as
    much as it saved (27.3–30.2 s against 29.2 s one stage after the other). Same batches, same writes, same
    results as one stage after the other. Should the worker process die, the documents it had not done are
    extracted here after the themes (the stage is incremental)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures import wait as wait_for
    from concurrent.futures.process import BrokenProcessPool

    from . import entities as entity_stage
    from .scale import ProcessMap

    lock = threading.Lock()
    embedded = threading.Event()

    def report(stage: str, done: int, total: int | None) -> None:  # two stages report: one at a time
        if stage == "topics" and total is not None and done >= total:
            embedded.set()
        with lock:
            progress(stage, done, total)

    def extract(cursor: Any, worker: ProcessMap) -> dict[str, Any]:
        embedded.wait()
        return entity_stage.run_entities(cursor, aliases, profile=profile, n_process=1,
                                         progress=lambda d, t: report("entities", d, t), mapper=worker)

    cursor = con.cursor()
    try:
        with ProcessMap(1) as worker, ThreadPoolExecutor(1, thread_name_prefix="entities") as thread:
            extracted = thread.submit(extract, cursor, worker)
            try:
                found = themes(report)
            except BaseException:
                embedded.set()
                wait_for([extracted])  # one writer at a time leaves the store; the themes' error is the one raised
                raise
            embedded.set()  # a theme stage that had nothing to embed
            try:
                entities = {**extracted.result(), "beside_themes": True}
            except BrokenProcessPool:
                entities = None
    finally:
        cursor.close()
    if entities is None:
        entities = {**entity_stage.run_entities(con, aliases, profile=profile, n_process=1,
                                                progress=lambda d, t: progress("entities", d, t)),
                    "beside_themes": False}
    return {"entities": entities, "topics": found}


def model_dir(db: str | Path) -> Path:
    """Where the fitted topic model is saved (safetensors): a folder beside the store, named after it."""
    from .topics import saved_model_dir

    return saved_model_dir(db)


def build_demo(db: str | Path, progress: Progress = _quiet) -> dict[str, Any]:
    """Ingest the shipped demo corpus (a no-op when already stored) and analyse it, with the multilingual profile
    when a tenth or more of it is not in English (its Arabic and French documents make it so). The results say
    which profile built the themes (`profile`)."""
    report = ingest_paths(db, [config.DEMO_CORPUS_DIR], progress=progress)
    profile = suggested_profile(db)
    # a store built by an earlier version (English themes only) is refitted rather than given the new documents:
    # placing Arabic and French documents in an English-only fit would put them in the wrong themes
    from .corpus import Corpus

    built = Corpus.open(db).theme_profile() if store_is_ready(db) else None
    results = analyze(db, aliases_path=config.DEFAULT_ALIASES, progress=progress, profile=profile,
                      refit=built is not None and built.profile != profile)
    results["ingest"] = report
    results["profile"] = profile
    return results


def suggested_profile(db: str | Path, default: str = "quality") -> str:
    """The multilingual profile when a tenth or more of the stored documents are not in English, else `default`."""
    return "multilingual" if profile_advice(db, default) else default


def profile_advice(db: str | Path, profile: str) -> str | None:
    """One line advising the multilingual profile when a tenth or more of the stored documents are not in English
    and `profile` is another one; None otherwise."""
    from .languages import non_english_share
    from .languages import profile_advice as advice

    with store.opened(db, read_only=True) as con:
        return advice(non_english_share(store.language_counts(con)), profile)


def store_is_ready(db: str | Path) -> bool:
    """True when the store exists and holds an analysed corpus (documents and a topic run)."""
    return store.has_finished_run(db, "topics")
