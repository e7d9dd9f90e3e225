"""Commands that show what a store holds: findings, report, app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click

from .. import config
from .base import DB_OPTION, filter_options, friendly_errors, main, open_corpus, setting_option


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path), default="report.html")
@setting_option("--granularity", "granularity")
@filter_options
@DB_OPTION
@friendly_errors
def report(out: Path, granularity: str, filters: object, db: Path) -> None:
    """Write the findings of the store as one self-contained HTML page."""
    from ..report import write_report

    write_report(open_corpus(db), out, granularity, filters)
    click.echo(f"wrote {out}")


@main.command(context_settings={"ignore_unknown_options": True})
@DB_OPTION
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def app(db: Path, streamlit_args: tuple[str, ...]) -> None:
    """Open the Streamlit app on the store (built from the demo corpus on first run). Extra arguments go to
    `streamlit run` (e.g. --server.port 8600)."""
    from ..app.server import command_line_options, entry_script

    env = dict(os.environ, NARRATIVE_DB=str(db.resolve()),
               NARRATIVE_DATA=str(Path(os.environ.get("NARRATIVE_DATA", config.DATA_DIR)).resolve()))
    cmd = [sys.executable, "-m", "streamlit", "run", str(entry_script()), *command_line_options(),
           *streamlit_args]
    raise SystemExit(subprocess.call(cmd, env=env))



@main.command("findings")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per test.")
@setting_option("--granularity", "granularity")
@click.option("--significant-only", is_flag=True, help="Print only the significant findings.")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="A source (outlet, account) to compare with the others and in lead-lag; repeat for more.")
@setting_option("--correction", "correction")
@setting_option("--alpha", "alpha")
@filter_options
@DB_OPTION
@friendly_errors
def findings_command(as_json: bool, granularity: str, significant_only: bool, sources: tuple[str, ...],
                     correction: str, alpha: float, filters: object, db: Path) -> None:
    """Every hypothesis tested (shifts, bursts, emerging/fading, event impact, lead-lag, share of voice) about every
    theme, actor and framing lexicon's frame, each with its counts, p-value and q-value after one correction over
    all of them (split by family of question); significant ones first. The same call as the app's pages and the
    report."""
    from ..findings import FindingsSettings, correction_words

    settings = FindingsSettings(sources=sources, correction=correction, alpha=alpha)
    found = open_corpus(db).findings(granularity, filters, settings)
    shown = found.significant if significant_only else found.tested
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in shown], ensure_ascii=False, indent=1))
        return
    click.echo(f"{len(found)} hypotheses tested by {granularity}, {len(found.significant)} significant (q < "
               f"{alpha}, {correction_words(correction)}).")
    for f in shown:
        mark = "*" if f.significant else " "
        click.echo(f"{mark} [{f.kind}] {f.sentence}  ({_documents(len(f.doc_ids))}; p = {f.p_value:.2g}; {f.test})")


def _documents(n: int) -> str:
    return "1 document" if n == 1 else f"{n} documents"
