"""What every command shares: the store option, options whose defaults come from the settings, library errors as
one clean line, progress bars, and the `narrative` group itself."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import config
from ..errors import NarrativeError

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


def filter_options(func: Callable) -> Callable:
    """Options that choose the documents, as the app's sidebar does: the command receives `filters` (a Filters)."""
    from ..filters import Filters

    @click.option("--from", "start", metavar="YYYY-MM-DD", help="Only documents dated on or after this day.")
    @click.option("--to", "end", metavar="YYYY-MM-DD", help="Only documents dated on or before this day.")
    @click.option("--source-type", "source_types", multiple=True, metavar="TYPE",
                  help="Only documents of this source type; repeat for more.")
    @click.option("--language", "languages", multiple=True, metavar="CODE",
                  help="Only documents in this language (ISO 639-1); repeat for more.")
    @click.option("--actor", metavar="CANONICAL_ID", help="Only documents naming this actor.")
    @functools.wraps(func)
    def wrapper(*args: Any, start: str | None, end: str | None, source_types: tuple[str, ...],
                languages: tuple[str, ...], actor: str | None, **kwargs: Any) -> Any:
        try:
            filters = Filters(start=start, end=end, source_types=source_types, languages=languages, actor=actor)
        except NarrativeError as exc:
            raise click.ClickException(exc.user_message()) from exc
        return func(*args, filters=filters, **kwargs)

    return wrapper


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


def open_corpus(db: Path) -> Any:
    from ..corpus import Corpus

    return Corpus.open(db)


@click.group()
@click.version_option(package_name="narrative-timeline")
def main() -> None:
    """Narrative Timeline: how propaganda themes and media coverage shift over time."""
