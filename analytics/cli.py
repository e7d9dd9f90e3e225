"""The `narrative` command: a thin layer over the library. Library errors become one clean line with the fix."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import click

from . import config, store
from .errors import NarrativeError

DB_OPTION = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: str(config.default_db_path()),
    show_default="data/narrative.duckdb or $NARRATIVE_DB",
    help=config.SETTINGS["db"].help,
)


def friendly_errors(func):
    """Turn a NarrativeError into `Error: <cause> — <fix>` and exit 1, without a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NarrativeError as exc:
            raise click.ClickException(exc.user_message()) from exc

    return wrapper


class TqdmProgress:
    """One tqdm bar per pipeline stage, created when the stage reports for the first time."""

    def __init__(self) -> None:
        self.bars: dict = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            unit = "file" if stage == "ingest" else "doc"  # ingest counts input files; later stages documents
            bar = self.bars[stage] = tqdm(total=total, desc=f"{stage:>9}", unit=unit, file=sys.stderr)
        if total is not None and bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


@click.group()
@click.version_option(package_name="narrative-timeline")
def main() -> None:
    """Narrative Timeline: how propaganda themes and media coverage shift over time."""


def _parse_map(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r}: use FIELD=COLUMN, e.g. text=Body", param_hint="--map")
        field, column = pair.split("=", 1)
        mapping[field.strip()] = column.strip()
    return mapping


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "tsv", "json", "jsonl", "parquet", "feed", "folder",
                                                    "txt", "html", "md"]), help="Override detection by suffix.")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Column mapping, e.g. --map text=Body --map date=Published.")
@click.option("--source", help="Source (outlet or account) for records that name none.")
@click.option("--source-type", type=click.Choice(["news", "statement", "propaganda", "social", "research", "other"]),
              help="Source type for records that name none.")
@DB_OPTION
@friendly_errors
def ingest(paths: tuple[Path, ...], fmt: str | None, maps: tuple[str, ...], source: str | None,
           source_type: str | None, db: Path) -> None:
    """Read, clean, deduplicate and store documents from files or folders."""
    from .pipeline import ingest_paths

    defaults = {k: v for k, v in {"source": source, "source_type": source_type}.items() if v}
    bar = TqdmProgress()
    try:
        report = ingest_paths(db, list(paths), progress=bar, fmt=fmt, column_map=_parse_map(maps) or None,
                              defaults=defaults or None)
    finally:
        bar.close()
    click.echo(
        f"read {report.read}, stored {report.stored} (of which near-duplicates {report.near_duplicates}, "
        f"undated {report.undated}), duplicates {report.duplicates}, already stored {report.already_stored}, "
        f"rejected {report.rejected}  → {db}"
    )
    if report.undated:
        click.echo(f"  {report.undated} documents have no date (none in a field, the file name or the text's "
                   "dateline); the timeline leaves them out and `narrative status` counts them")
    for reason, n in sorted(report.rejects_by_reason.items(), key=lambda kv: -kv[1]):
        click.echo(f"  rejected {n:>6}  {reason}")
    if report.rejected:
        click.echo(f"  every reject with its file and row: narrative rejects --db {db}")


@main.command()
@DB_OPTION
@friendly_errors
def status(db: Path) -> None:
    """Counts by source, source type, language and year."""
    with store.opened(db, read_only=True) as con:
        counts = store.counts(con)
        click.echo(f"store {db}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        for name, frame in store.status_tables(con).items():
            click.echo(f"\nby {name}:")
            click.echo(frame.to_string(index=False))
        for kind in ("ingest", "entities", "topics"):
            run = store.last_run(con, kind)
            if run:
                click.echo(f"\nlast {kind} run #{run['run_id']} at {run['finished_at']}: {json.dumps(run['counts'])}")


@main.command()
@DB_OPTION
@click.option("--limit", default=50, show_default=True)
@friendly_errors
def rejects(db: Path, limit: int) -> None:
    """List rejected input records: file, row and reason."""
    with store.opened(db, read_only=True) as con:
        frame = store.rejects(con)
    if frame.empty:
        click.echo("no rejects")
        return
    click.echo(frame[["input_file", "input_row", "reason"]].head(limit).to_string(index=False))
    if len(frame) > limit:
        click.echo(f"… {len(frame) - limit} more; export them with: narrative export rejects rejects.csv")


@main.command()
@click.argument("table", type=click.Choice(store.EXPORTABLE_TABLES))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@DB_OPTION
@friendly_errors
def export(table: str, out: Path, db: Path) -> None:
    """Export a table to Parquet or CSV (by the file suffix)."""
    with store.opened(db, read_only=True) as con:
        store.export_table(con, table, out)
    click.echo(f"wrote {out}")


@main.command()
@DB_OPTION
@click.option("--profile", type=click.Choice(["quality", "quality-int8", "fast"]), default="quality", show_default=True,
              help=config.SETTINGS["profile"].help)
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Alias list (default: the corpus's own, else corpora/aliases.csv).")
@click.option("--n-process", default=0, show_default=True, help=config.SETTINGS["n_process"].help)
@click.option("--no-topics", is_flag=True, help="Only extract entities.")
@click.option("--refit", is_flag=True, help="Fit the topic model again on all documents (labels and merges you "
              "made are kept where a theme matches the previous fit).")
@click.option("--seed-words", "seed_words", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Guided topics: CSV with columns theme, seed_words (';'-separated), e.g. "
              "corpora/known_themes.csv. Implies --refit.")
@click.option("--zero-shot", "zero_shot", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Zero-shot topics: the same CSV; each named theme collects the documents close to its name, "
              "the rest are clustered. Implies --refit.")
@click.option("--zero-shot-similarity", type=float, default=0.0,
              help="Cosine a document needs to join a named theme (default: per embedding model).")
@click.option("--min-topic-size", type=int, default=0, help="Smallest theme in documents (default: 0.4 %% of the "
              "corpus, at least 5). Implies --refit.")
@click.option("--dask", metavar="ADDRESS", help="Run entity extraction and embedding on a Dask cluster "
              "(scheduler address, e.g. tcp://10.0.0.5:8786, or 'local' for local worker processes).")
@friendly_errors
def analyze(db: Path, profile: str, aliases: Path | None, n_process: int, no_topics: bool, refit: bool,
            seed_words: Path | None, zero_shot: Path | None, zero_shot_similarity: float, min_topic_size: int,
            dask: str | None) -> None:
    """Extract entities and fit (or update) the topic model for stored documents."""
    from .pipeline import analyze as run_analysis
    from .topics import read_theme_list

    options: dict = {}
    if seed_words:
        options["seed_topics"] = [words for _, words in read_theme_list(seed_words) if words]
    if zero_shot:
        themes = read_theme_list(zero_shot)
        options["zeroshot_topics"] = [name for name, _ in themes]
        options["zeroshot_words"] = [words for _, words in themes]
        options["zeroshot_min_similarity"] = zero_shot_similarity
    if min_topic_size:
        options["min_topic_size"] = min_topic_size
    bar = TqdmProgress()
    try:
        results = run_analysis(db, profile=profile, aliases_path=aliases, n_process=n_process, progress=bar,
                               topics=not no_topics, dask=dask, refit=refit, topic_options=options)
    finally:
        bar.close()
    for stage, summary in results.items():
        click.echo(f"{stage}: {json.dumps(summary, default=str)}")


@main.command()
@friendly_errors
def models() -> None:
    """Check the pinned models (sha256) and distil the fast profile's static model if it is not cached."""
    from . import embeddings, entities

    click.echo(f"spaCy model: {entities.model_dir()} (every pinned file's sha256 matches)")
    click.echo(f"MiniLM: {embeddings.minilm_path()} (model.safetensors sha256 {embeddings.MINILM_SHA256[:12]}…)")
    backend = embeddings.StaticBackend()
    backend.model()
    click.echo(f"static model: {embeddings.static_model_dir()} (distilled from the MiniLM above; checksum checked)")
    from .onnx_backend import verified_onnx_dir

    click.echo(f"int8 ONNX model: {verified_onnx_dir()} (exported from the MiniLM above; checksum checked)")


@main.command("entities-eval")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=lambda: str(config.PROJECT_ROOT / "tests" / "data" / "entities_gold.jsonl"),
              show_default="tests/data/entities_gold.jsonl", help="Hand-annotated documents (JSON Lines).")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=lambda: str(config.DEFAULT_ALIASES), show_default="corpora/aliases.csv")
@click.option("--errors", "show_errors", is_flag=True, help="Also list every missed and spurious mention.")
@friendly_errors
def entities_eval(gold: Path, aliases: Path, show_errors: bool) -> None:
    """Precision, recall and F1 of the entity stage per type against a hand-annotated gold set."""
    from . import entities

    items = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    pipes = entities.build_pipeline(entities.load_aliases(aliases))
    result = entities.evaluate(pipes, items)
    click.echo(f"gold set {gold}: {len(items)} documents; pipeline {pipes.version}")
    click.echo(f"{'type':<14}{'precision':>10}{'recall':>8}{'f1':>7}{'support':>9}")
    for label, m in [*result["by_label"].items(), ("ALL", result["overall"]), ("CANONICAL", result["canonical"])]:
        click.echo(f"{label:<14}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}{m['support']:>9}")
    if show_errors:
        for err in result["errors"]:
            click.echo(json.dumps(err, ensure_ascii=False))


@main.command()
@DB_OPTION
@friendly_errors
def demo(db: Path) -> None:
    """Build the store of the shipped demo corpus (ingest + analyse); a no-op when it is done."""
    from .pipeline import build_demo

    bar = TqdmProgress()
    try:
        results = build_demo(db, progress=bar)
    finally:
        bar.close()
    report = results.pop("ingest")
    click.echo(f"demo corpus: read {report.read}, stored {report.stored}, duplicates {report.duplicates}, "
               f"rejected {report.rejected}")
    for stage, summary in results.items():
        click.echo(f"{stage}: {json.dumps(summary, default=str)}")


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path), default="report.html")
@click.option("--granularity", type=click.Choice(["month", "quarter", "year"]), default="quarter", show_default=True)
@DB_OPTION
@friendly_errors
def report(out: Path, granularity: str, db: Path) -> None:
    """Write the findings of the store as one self-contained HTML page."""
    from .report import write_report

    with store.opened(db, read_only=True) as con:
        write_report(con, out, granularity)
    click.echo(f"wrote {out}")


def pd_options():
    """Print wide tables whole."""
    import pandas as pd

    return pd.option_context("display.width", 200, "display.max_columns", 20)


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
    from .topic_quality import compare

    with store.opened(db) as con:
        table = compare(con, lda_k=lda_k, with_baselines=not no_baselines, bare_runs=bare_runs)
    with pd_options():
        click.echo(table.to_string(index=False))


@main.command(context_settings={"ignore_unknown_options": True})
@DB_OPTION
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def app(db: Path, streamlit_args: tuple[str, ...]) -> None:
    """Open the Streamlit app on the store (built from the demo corpus on first run)."""
    env = dict(os.environ, NARRATIVE_DB=str(db.resolve()))  # the app runs from the project folder
    app_file = config.PROJECT_ROOT / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_file), *streamlit_args]
    raise SystemExit(subprocess.call(cmd, env=env, cwd=config.PROJECT_ROOT))


if __name__ == "__main__":
    main()
