"""The Corpus itself: opening a store read-only, what it holds (size, themes, labels, events, filter choices) and its
bookkeeping (counts, rejects, runs, exports, the methods note)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import duckdb
import numpy as np
import pandas as pd

from .. import config, store, timeline
from .. import schema as s
from ..filters import Filters
from ..topics.labels import combined_words

EVENT_WEEKS = 4  # an event's importance: the documents dated in this many weeks from it


@dataclass(frozen=True)
class Summary:
    """The store's size, and how many dated documents the filters let through."""

    documents: int
    dated: int
    undated: int
    sources: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    themes: int  # themes of the current fit, merges applied (outliers not counted)
    in_scope: int  # dated documents under the filters


@dataclass(frozen=True)
class FilterOptions:
    """What a reader can filter on: the values present in the store, its dates, and the first granularity."""

    sources: list[str]
    source_types: list[str]
    languages: list[str]
    first: dt.date | None
    last: dt.date | None
    granularity: str
    undated: int
    granularities: tuple[str, ...] = s.GRANULARITIES  # those not mostly thin (timeline.offered_granularities)


_EVERY_KEPT: list[KeptFrames] = []


def forget_kept() -> None:
    """Drop every frame kept in this process (a benchmark times each question as a new filter would ask it)."""
    for kept in _EVERY_KEPT:
        kept.clear()


class KeptFrames:
    """The last `size` frames read for a key, kept in this process (a key names the store version, so an
    analysis or an edit is never answered from an older read). Frames are handed out as shallow copies: pandas'
    copy-on-write keeps the kept one as it was, whatever the caller does with its copy."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._frames: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()
        _EVERY_KEPT.append(self)

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()

    def get(self, key: tuple, read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """The frame kept for `key`, else `read()`'s (then kept)."""
        with self._lock:
            frame = self._frames.get(key)
            if frame is not None:
                self._frames.move_to_end(key)
        if frame is None:
            frame = read()
            with self._lock:
                self._frames[key] = frame
                while len(self._frames) > self.size:
                    self._frames.popitem(last=False)
        return frame.copy(deep=False)


class CorpusBase:
    """A corpus in its DuckDB store, read-only. Each call opens the store, asks, and closes it again, so a writer
    in another process is never locked out for long (a busy store raises StoreBusyError after a few seconds)."""

    retries = 20  # opens tried while another process holds the store (about 15 s in all)

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @classmethod
    def open(cls, path: str | Path | None = None, retries: int | None = None) -> Self:
        """The corpus in the store at `path` (default: $NARRATIVE_DB, else data/narrative.duckdb). Raises a
        catalogued error when there is no store, or it needs `narrative migrate`; never writes. `retries`: opens
        tried while another process writes the store (1: do not wait)."""
        corpus = cls(path if path is not None else config.default_db_path())
        if retries is not None:
            corpus.retries = retries
        with corpus._read():
            pass
        return corpus

    @contextlib.contextmanager
    def _read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with store.opened(self.path, read_only=True, retries=self.retries) as con:
            yield con

    def __repr__(self) -> str:
        return f"Corpus.open({str(self.path)!r})"

    def stamp(self) -> str:
        """Changes whenever the store file changes (an analysis, an edit): a cache key for the app."""
        try:
            stat = self.path.stat()
            wal = self.path.with_suffix(self.path.suffix + ".wal")
            return f"{stat.st_mtime_ns}-{stat.st_size}-{wal.stat().st_mtime_ns if wal.exists() else 0}"
        except FileNotFoundError:
            return "missing"

    # -- what the corpus holds ----------------------------------------------------------------------------------

    def name(self) -> str:
        """The corpus's name (from its manifest), else the store's file name."""
        with self._read() as con:
            return store.get_meta(con, "corpus_name") or self.path.stem

    def run(self) -> dict[str, Any] | None:
        """The current topic fit's run: run_id, params, versions, counts (None before the first fit)."""
        with self._read() as con:
            return store.last_run(con, "topics")

    def _run_id(self, con: duckdb.DuckDBPyConnection) -> int | None:
        return store.topic_run_id(con)

    def themes(self) -> pd.DataFrame:
        """The current fit's themes, largest first: topic_id, label (as shown: the user's name where given, made
        unique), auto_label, custom_label, words (dict: ctfidf, mmr, phrases), size, merged_into, live."""
        columns = [s.TOPIC_ID, s.LABEL, "auto_label", "custom_label", "words", "size", "merged_into", "live"]
        with self._read() as con:
            run_id = self._run_id(con)
            if run_id is None:
                return pd.DataFrame(columns=columns)
            table = store.topic_table(con, run_id).drop(columns=["centroid"], errors="ignore")
        table[s.LABEL] = table[s.TOPIC_ID].map(_unique_labels(table))
        table["words"] = [json.loads(w) if w else {} for w in table["words"]]
        table["live"] = table["merged_into"].isna()
        _fold_merges(table)
        return table[columns].reset_index(drop=True)

    def labels(self) -> dict[int, str]:
        """Topic id → the label shown, for every theme of the fit, the outliers (-1) and 'Other themes' (-2)."""
        with self._read() as con:
            run_id = self._run_id(con)
            table = store.topic_table(con, run_id) if run_id is not None else pd.DataFrame(
                columns=[s.TOPIC_ID, s.LABEL])
        return {**_unique_labels(table), s.OUTLIER_TOPIC: s.OUTLIER_LABEL, s.OTHER_TOPIC: s.OTHER_LABEL}

    def summary(self, filters: Filters | None = None) -> Summary:
        """Documents stored (dated, undated), sources, first and last date, themes, and dated documents under the
        filters: the overview's and the report's opening figures."""
        with self._read() as con:
            run_id = self._run_id(con)
            numbers = store.summary(con, store.scope(filters, run_id))
            themes = 0
            if run_id is not None:
                themes = int(store.topic_table(con, run_id)["merged_into"].isna().sum())
        return Summary(themes=themes, **numbers)

    def filter_options(self) -> FilterOptions:
        """The sources, source types and languages present, the dated span and the first granularity to show."""
        with self._read() as con:
            dates = store.dates(con)
            values = {c: store.distinct_values(con, c) for c in (s.SOURCE, s.SOURCE_TYPE, s.LANGUAGE)}
            undated = store.summary(con, store.scope())["undated"]
        first = dates.min().date() if len(dates) else None
        last = dates.max().date() if len(dates) else None
        return FilterOptions(values[s.SOURCE], values[s.SOURCE_TYPE], values[s.LANGUAGE], first, last,
                             timeline.default_granularity(dates), undated,
                             tuple(timeline.offered_granularities(dates)))

    def events(self, filters: Filters | None = None) -> pd.DataFrame:
        """The event annotations (date, label, description, kind), within the filters' dates, with
        `documents_after`: the documents under the filters dated in the EVENT_WEEKS weeks from the event (how much
        the corpus writes about its time; charts label the events with most first)."""
        with self._read() as con:
            events = events_within(store.events(con), filters or Filters())
            days = store.period_counts(con, "day", store.scope(filters, self._run_id(con)))
        day = pd.to_datetime(days[s.PERIOD]).to_numpy() if len(days) else np.array([], dtype="datetime64[ns]")
        total = np.concatenate([[0], np.cumsum(days[s.COUNT].to_numpy())]) if len(days) else np.array([0])
        start = pd.to_datetime(events[s.DATE]).to_numpy()
        after = np.searchsorted(day, start + np.timedelta64(7 * EVENT_WEEKS, "D"), side="left")
        return events.assign(documents_after=(total[after] - total[np.searchsorted(day, start, side="left")]
                                              ).astype(int))

    def alias_spellings(self) -> tuple[tuple[str, str], ...]:
        """(canonical id, alias) of the alias list the last entity run used (else the corpus's own, else the
        shipped one): the spellings search and keyword in context also look for (languages/search.py)."""
        from ..entities import load_aliases

        with self._read() as con:
            run = store.last_run(con, "entities") or {}
            candidates = [run.get("params", {}).get("aliases_path"), store.get_meta(con, "aliases_path"),
                          config.DEFAULT_ALIASES]
        path = next((Path(p) for p in candidates if p and Path(p).is_file()), None)
        if path is None:
            return ()
        frame = load_aliases(path).frame
        return tuple(zip(frame["canonical_id"], frame["alias"], strict=True))

    # -- bookkeeping --------------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows of the main tables: documents, duplicates, rejects, entities, doc_topics, runs."""
        with self._read() as con:
            return store.counts(con)

    def breakdowns(self) -> dict[str, pd.DataFrame]:
        """Documents by source type, source, language, year and date precision, and by platform and source type
        (the platform a social-media export came from; "-" for files that are no platform's export)."""
        with self._read() as con:
            tables = store.status_tables(con)
            tables["platform and source type"] = store.platform_table(con)
            return tables

    def rejects(self) -> pd.DataFrame:
        """Every rejected input record: run, file, row, reason, preview."""
        with self._read() as con:
            return store.rejects(con)

    def last_runs(self) -> dict[str, dict[str, Any]]:
        """The last finished run of each stage (ingest, entities, topics) that has one."""
        with self._read() as con:
            return {kind: run for kind in ("ingest", "entities", "topics") if (run := store.last_run(con, kind))}

    def analysis_pending(self) -> dict[str, int]:
        """Documents the analysis has not reached: without_actors (no entity pass yet), without_theme (not placed
        in the current fit; every document before the first fit)."""
        with self._read() as con:
            return store.pending_analysis(con, self._run_id(con))

    def jobs(self, limit: int = 20) -> pd.DataFrame:
        """The latest analysis jobs of this corpus, newest first: job_id, kind, status, params, started_at,
        finished_at, stage, message, pid."""
        with self._read() as con:
            return store.jobs(con, limit)

    def edit_history(self, limit: int = 50) -> pd.DataFrame:
        """The readers' edits of this corpus (renames, merges, refits), newest first: edit_id, edited_at, kind,
        summary, detail, undone_at."""
        with self._read() as con:
            return store.edits(con, limit)

    def export(self, table: str, out: str | Path) -> Path:
        """Write one table to Parquet or CSV (by the file suffix); the store itself is not changed."""
        with self._read() as con:
            return store.export_table(con, table, Path(out))

    def methods_note(self, what: str, filters: Filters | None = None, granularity: str | None = None
                     ) -> dict[str, Any]:
        """The reproducibility record that goes with an exported figure: corpus, store, topic run (parameters,
        counts, library versions), filters."""
        run = self.run() or {}
        return {
            "figure": what, "corpus": self.name(), "store": str(self.path),
            "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "documents_in_store": self.counts()["documents"],
            "topic_run": {k: run.get(k) for k in ("run_id", "finished_at")},
            "topic_parameters": run.get("params"), "topic_counts": run.get("counts"),
            "library_versions": run.get("versions"),
            "filters": None if filters is None else {**filters.record(), "granularity": granularity},
        }


def _fold_merges(table: pd.DataFrame) -> None:
    """A theme others were merged into counts their documents too, and its words are theirs and its own together
    (topics.labels.combined_words), so a merge shows at once; each merged theme keeps its own row."""
    fitted = dict(zip(table[s.TOPIC_ID], table["size"], strict=True))
    words = dict(zip(table[s.TOPIC_ID], table["words"], strict=True))
    for index, row in table[table["live"]].iterrows():
        merged = table.loc[table["merged_into"] == row[s.TOPIC_ID], s.TOPIC_ID].tolist()
        if not merged:
            continue
        members = [row[s.TOPIC_ID], *merged]
        table.at[index, "size"] = int(sum(fitted[m] for m in members))
        table.at[index, "words"] = {**words[row[s.TOPIC_ID]], "merged_from": [int(m) for m in merged],
                                    "ctfidf": [list(w) for w in combined_words(
                                        [(words[m].get("ctfidf", []), max(int(fitted[m]), 1)) for m in members])]}


def events_within(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The events dated within the filters' dates."""
    if filters.start:
        events = events[events[s.DATE] >= pd.Timestamp(filters.start)]
    if filters.end:
        events = events[events[s.DATE] < pd.Timestamp(filters.end) + pd.Timedelta(days=1)]
    return events.reset_index(drop=True)


def _unique_labels(topics: pd.DataFrame) -> dict[int, str]:
    """Topic id → label; a label two themes share gets the theme's id appended, as charts tell themes apart by
    label."""
    labels = {int(t): str(lbl) for t, lbl in zip(topics[s.TOPIC_ID], topics[s.LABEL], strict=True)}
    seen = pd.Series(list(labels.values()), dtype=object).value_counts()
    return {t: (f"{lbl} (#{t})" if seen[lbl] > 1 else lbl) for t, lbl in labels.items()}
