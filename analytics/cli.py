"""The `narrative` command: a thin layer over the library. Options take their defaults, choices and help from
`config.SETTINGS`; library errors become one clean line with the fix."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import config
from . import schema as s
from .errors import NarrativeError

DB_OPTION = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: str(config.default_db_path()),
    show_default="data/narrative.duckdb or $NARRATIVE_DB",
    help=config.SETTINGS["db"].help,
)


def setting_option(flag: str, name: str, **extra: Any) -> Callable:
    """A click option whose default, help and choices are the setting's."""
    setting = config.SETTINGS[name]
    kwargs: dict[str, Any] = {"default": setting.default, "show_default": True, "help": setting.help}
    if setting.choices:
        kwargs["type"] = click.Choice(list(setting.choices))
    elif setting.default is not None:
        kwargs["type"] = type(setting.default)
    return click.option(flag, name, **{**kwargs, **extra})


def friendly_errors(func: Callable) -> Callable:
    """Turn a NarrativeError into `Error: <cause> — <fix> (code)` and exit 1, without a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
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


def _corpus(db: Path) -> Any:
    from .corpus import Corpus

    return Corpus.open(db)


@click.group()
@click.version_option(package_name="narrative-timeline")
def main() -> None:
    """Narrative Timeline: how propaganda themes and media coverage shift over time."""


def _format_names() -> list[str]:
    from .ingest.readers import format_names

    return format_names()


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
@click.option("--format", "fmt", type=click.Choice(_format_names()), help="Read every file in this format instead "
              "of detecting it from the file's content and name (platform exports are recognised without it).")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Column mapping, e.g. --map text=Body --map date=Published.")
@click.option("--source", help="Source (outlet or account) for records that name none.")
@click.option("--source-type", type=click.Choice(list(s.SOURCE_TYPES)),
              help="Source type for records that name none (posts of a platform export are 'social' unless set).")
@click.option("--dayfirst", is_flag=True, help="Read numeric dates day first: 03/04/2016 is 3 April (a corpus.toml "
              "can say dayfirst = true).")
@DB_OPTION
@friendly_errors
def ingest(paths: tuple[Path, ...], fmt: str | None, maps: tuple[str, ...], source: str | None,
           source_type: str | None, dayfirst: bool, db: Path) -> None:
    """Read, clean, deduplicate and store documents from files or folders."""
    from .pipeline import ingest_paths

    defaults = {k: v for k, v in {"source": source, "source_type": source_type,
                                  "dayfirst": "true" if dayfirst else None}.items() if v}
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
    for file in report.files:
        if file.encoding and file.encoding not in ("utf-8", "utf-8-sig"):
            click.echo(f"  {file.file}: read as {file.encoding} (confidence {file.encoding_confidence:.2f})")


@main.command()
@DB_OPTION
@friendly_errors
def status(db: Path) -> None:
    """Counts by source, source type, language and year."""
    corpus = _corpus(db)
    click.echo(f"store {db}: " + ", ".join(f"{k} {v}" for k, v in corpus.counts().items()))
    for name, frame in corpus.breakdowns().items():
        click.echo(f"\nby {name}:")
        click.echo(frame.to_string(index=False))
    for kind, run in corpus.last_runs().items():
        counts = {k: v for k, v in (run["counts"] or {}).items() if k != "files"}
        click.echo(f"\nlast {kind} run #{run['run_id']} at {run['finished_at']}: {json.dumps(counts)}")
        for f in (run["counts"] or {}).get("files", []):
            if f.get("encoding") not in (None, "utf-8", "utf-8-sig"):
                click.echo(f"  {f['file']}: read as {f['encoding']} (confidence {f['encoding_confidence']:.2f})")


@main.command()
@DB_OPTION
@click.option("--limit", default=50, show_default=True, help="Rejects listed; export them all to see the rest.")
@friendly_errors
def rejects(db: Path, limit: int) -> None:
    """List rejected input records: file, row and reason."""
    frame = _corpus(db).rejects()
    if frame.empty:
        click.echo("no rejects")
        return
    click.echo(frame[["input_file", "input_row", "reason"]].head(limit).to_string(index=False))
    if len(frame) > limit:
        click.echo(f"… {len(frame) - limit} more; export them with: narrative export rejects rejects.csv")


def _exportable() -> list[str]:
    from .store import EXPORTABLE_TABLES

    return list(EXPORTABLE_TABLES)


@main.command()
@click.argument("table", type=click.Choice(_exportable()))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@DB_OPTION
@friendly_errors
def export(table: str, out: Path, db: Path) -> None:
    """Export a table to Parquet or CSV (by the file suffix)."""
    _corpus(db).export(table, out)
    click.echo(f"wrote {out}")


@main.command()
@DB_OPTION
@friendly_errors
def migrate(db: Path) -> None:
    """Bring a store written by an older version up to this version's schema (keeps everything stored)."""
    from .store import migrate_store

    before, after = migrate_store(db)
    click.echo(f"{db}: schema version {before} → {after}" if before != after else
               f"{db}: already at schema version {after}")


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
@friendly_errors
def analyze(db: Path, profile: str, aliases: Path | None, n_process: int, no_topics: bool, refit: bool,
            seed_words: Path | None, zero_shot: Path | None, zero_shot_similarity: float, min_topic_size: int,
            dask: str | None) -> None:
    """Extract entities and fit (or update) the topic model for stored documents."""
    from .pipeline import analyze as run_analysis
    from .topics import known_theme_options

    options: dict = {}
    if seed_words:
        options.update(known_theme_options(seed_words, "guided"))
    if zero_shot:
        options.update(known_theme_options(zero_shot, "zero-shot", zero_shot_similarity))
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
    embeddings.StaticBackend().model()
    click.echo(f"static model: {embeddings.static_model_dir()} (distilled from the MiniLM above; checksum checked)")


@main.command("entities-eval")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=lambda: str(config.ENTITIES_GOLD), show_default="corpora/entities_gold.jsonl",
              help="Hand-annotated documents (JSON Lines).")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=lambda: str(config.DEFAULT_ALIASES), show_default="corpora/aliases.csv")
@click.option("--errors", "show_errors", is_flag=True, help="Also list every missed and spurious mention.")
@friendly_errors
def entities_eval(gold: Path, aliases: Path, show_errors: bool) -> None:
    """Precision, recall and F1 of the entity stage per type against a hand-annotated gold set."""
    from . import entities

    items = entities.read_gold_set(gold)
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
@setting_option("--granularity", "granularity")
@DB_OPTION
@friendly_errors
def report(out: Path, granularity: str, db: Path) -> None:
    """Write the findings of the store as one self-contained HTML page."""
    from .report import write_report

    write_report(_corpus(db), out, granularity)
    click.echo(f"wrote {out}")


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

    from .store import opened
    from .topic_quality import compare

    with opened(db) as con:  # read-write: the embedding cache may be filled
        table = compare(con, lda_k=lda_k, with_baselines=not no_baselines, bare_runs=bare_runs)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        click.echo(table.to_string(index=False))


@main.command(context_settings={"ignore_unknown_options": True})
@DB_OPTION
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def app(db: Path, streamlit_args: tuple[str, ...]) -> None:
    """Open the Streamlit app on the store (built from the demo corpus on first run). Extra arguments go to
    `streamlit run` (e.g. --server.port 8600)."""
    from .app.server import command_line_options, entry_script

    env = dict(os.environ, NARRATIVE_DB=str(db.resolve()),
               NARRATIVE_DATA=str(Path(os.environ.get("NARRATIVE_DATA", config.DATA_DIR)).resolve()))
    cmd = [sys.executable, "-m", "streamlit", "run", str(entry_script()), *command_line_options(),
           *streamlit_args]
    raise SystemExit(subprocess.call(cmd, env=env))



@main.command("findings")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per test.")
@click.option("--granularity", type=click.Choice(["day", "week", "month", "quarter", "year"]), default="quarter",
              show_default=True, help="Period the tests count documents in.")
@click.option("--significant-only", is_flag=True, help="Print only the significant findings.")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="A source (outlet, account) to compare with the others and in lead-lag; repeat for more.")
@DB_OPTION
@friendly_errors
def findings_command(as_json: bool, granularity: str, significant_only: bool, sources: tuple[str, ...],
                     db: Path) -> None:
    """Every hypothesis tested (shifts, bursts, emerging/fading, event impact, lead-lag, share of voice), each
    with its counts, p-value and q-value after one Benjamini-Hochberg correction; significant ones first."""
    from . import findings, store

    with store.opened(db, read_only=True) as con:
        documents, items, events = findings.load_inputs(con)
    settings = findings.FindingsSettings(sources=tuple(sources))
    found = findings.run(documents, items, events, granularity=granularity, settings=settings)
    shown = findings.significant_only(found) if significant_only else found
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in shown], ensure_ascii=False, indent=1))
        return
    n_significant = sum(f.significant for f in found)
    click.echo(f"{len(found)} hypotheses tested by {granularity}, {n_significant} significant (q < "
               f"{findings.FindingsSettings().alpha}, Benjamini-Hochberg over all of them).")
    for f in shown:
        mark = "*" if f.significant else " "
        click.echo(f"{mark} [{f.kind}] {findings.sentence(f)}  ({_documents(len(f.doc_ids))}; p = {f.p_value:.2g}; "
                   f"{f.test})")


def _documents(n: int) -> str:
    return "1 document" if n == 1 else f"{n} documents"

if __name__ == "__main__":
    main()
