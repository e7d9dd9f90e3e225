"""Commands that fill and look after a store: ingest, status, rejects, export, migrate, demo."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import schema as s
from .base import DB_OPTION, TqdmProgress, friendly_errors, main, open_corpus, setting_option


def _format_names() -> list[str]:
    from ..ingest.readers import format_names

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
@setting_option("--commit-every", "ingest_commit_records")
@DB_OPTION
@friendly_errors
def ingest(paths: tuple[Path, ...], fmt: str | None, maps: tuple[str, ...], source: str | None,
           source_type: str | None, dayfirst: bool, ingest_commit_records: int, db: Path) -> None:
    """Read, clean, deduplicate and store documents from files or folders."""
    from ..pipeline import ingest_paths

    defaults = {k: v for k, v in {"source": source, "source_type": source_type,
                                  "dayfirst": "true" if dayfirst else None}.items() if v}
    bar = TqdmProgress()
    try:
        report = ingest_paths(db, list(paths), progress=bar, fmt=fmt, column_map=_parse_map(maps) or None,
                              defaults=defaults or None, commit_every=ingest_commit_records)
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
    corpus = open_corpus(db)
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
    built = corpus.theme_profile()
    if built is not None:
        click.echo(f"\n{built.sentence}")
        if built.advice:
            click.echo(built.advice)


@main.command()
@DB_OPTION
@click.option("--limit", default=50, show_default=True, help="Rejects listed; export them all to see the rest.")
@friendly_errors
def rejects(db: Path, limit: int) -> None:
    """List rejected input records: file, row and reason."""
    frame = open_corpus(db).rejects()
    if frame.empty:
        click.echo("no rejects")
        return
    click.echo(frame[["input_file", "input_row", "reason"]].head(limit).to_string(index=False))
    if len(frame) > limit:
        click.echo(f"… {len(frame) - limit} more; export them with: narrative export rejects rejects.csv")


def _exportable() -> list[str]:
    from ..store import EXPORTABLE_TABLES

    return list(EXPORTABLE_TABLES)


@main.command()
@click.argument("table", type=click.Choice(_exportable()))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@DB_OPTION
@friendly_errors
def export(table: str, out: Path, db: Path) -> None:
    """Export a table to Parquet or CSV (by the file suffix)."""
    open_corpus(db).export(table, out)
    click.echo(f"wrote {out}")


@main.command()
@DB_OPTION
@friendly_errors
def migrate(db: Path) -> None:
    """Bring a store written by an older version up to this version's schema (keeps everything stored)."""
    from ..store import migrate_store

    before, after = migrate_store(db)
    click.echo(f"{db}: schema version {before} → {after}" if before != after else
               f"{db}: already at schema version {after}")


@main.command()
@DB_OPTION
@friendly_errors
def demo(db: Path) -> None:
    """Build the store of the shipped demo corpus (ingest + analyse); a no-op when it is done."""
    from ..pipeline import build_demo

    bar = TqdmProgress()
    try:
        results = build_demo(db, progress=bar)
    finally:
        bar.close()
    report = results.pop("ingest")
    profile = results.pop("profile")
    click.echo(f"demo corpus: read {report.read}, stored {report.stored}, duplicates {report.duplicates}, "
               f"rejected {report.rejected}")
    click.echo(f"themes built with the {profile} profile"
               + (" (a tenth or more of the documents are not in English)" if profile == "multilingual" else ""))
    for stage, summary in results.items():
        click.echo(f"{stage}: {json.dumps(summary, default=str)}")
