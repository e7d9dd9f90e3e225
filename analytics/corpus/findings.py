"""What changed: the findings engine's tests on the documents the filters let through (every kind, themes, actors
and framing words alike, one multiple-testing correction per call), and the framing words counted per period.

`findings()` is the one place the engine is called from a store: the overview, the Themes, Actors and Sources
pages, `narrative report` and `narrative findings` all ask it, so the same filters give the same findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from .. import findings as engine
from .. import schema as s
from .. import store, timeline
from ..config import setting
from ..filters import Filters
from ..findings import Finding, FindingsSettings
from ..findings.counts import SUBJECT, SUBJECT_ID, SUBJECT_TYPE
from .base import events_within
from .counts import CountQueries
from .documents import DocumentQueries

FINDING_DOCUMENT_COLUMNS = "id, date, source, source_type"


@dataclass(frozen=True)
class Findings:
    """Every hypothesis one findings run tested on the documents under `filters`, significant or not, with the
    run's granularity and settings. `tested` is sorted significant first, by q-value; each Finding carries its
    counts, denominators, p and q, the test's name and the documents behind it (`doc_ids`). `platform_ids` are the
    canonical ids of the platforms (the alias list's PLATFORM actors) among the subjects."""

    granularity: str
    filters: Filters
    settings: FindingsSettings
    tested: tuple[Finding, ...]
    platform_ids: frozenset[str] = frozenset()

    @property
    def significant(self) -> tuple[Finding, ...]:
        """The findings whose q-value is below the run's alpha (every test met its evidence minimum)."""
        return tuple(f for f in self.tested if f.significant)

    def about(self, subject_type: str | None = None, subject_ids: Iterable[str] | None = None,
              kinds: Iterable[str] | None = None, significant: bool = True) -> tuple[Finding, ...]:
        """The findings (the significant ones unless `significant` is False) about these subjects (ids of one
        subject type: topic ids as text for themes, canonical ids for actors, names for frames) of these kinds."""
        ids = None if subject_ids is None else {str(i) for i in subject_ids}
        wanted = None if kinds is None else set(kinds)
        return tuple(f for f in (self.significant if significant else self.tested)
                     if (subject_type is None or f.subject_type == subject_type)
                     and (ids is None or f.subject_id in ids) and (wanted is None or f.kind in wanted))

    @property
    def migration(self) -> tuple[Finding, ...]:
        """The tested form of "supporters moved from one platform to another": the significant shifts, bursts and
        emerging/fading findings about platforms, in the order they happened."""
        return engine.platforms.migration_findings(list(self.tested), set(self.platform_ids))

    def frame(self, significant: bool = False) -> pd.DataFrame:
        """The findings as a tidy table, one row per test (the issue's JSON keys first, then counts, labels,
        details and the sentence)."""
        return engine.findings_frame(list(self.significant if significant else self.tested))

    def __len__(self) -> int:
        return len(self.tested)


@dataclass(frozen=True)
class Framing:
    """A framing lexicon counted per period: the share of documents using each frame's words, with their ids.
    A description: whether a frame's share changed is a finding (`Corpus.findings`, subject type "frame")."""

    lexicon: str
    table: pd.DataFrame


class FindingQueries(CountQueries, DocumentQueries):
    """Findings with their evidence."""

    def findings(self, granularity: str | None = None, filters: Filters | None = None,
                 settings: FindingsSettings | None = None) -> Findings:
        """Every hypothesis of every kind tested on the dated documents the filters let through, counted per
        `granularity` (default: the granularity setting): shifts, bursts, emerging/fading, event impact, lead and
        lag and share of voice, about every theme (outliers left out), every actor and every frame of the corpus's
        framing lexicon with enough documents; one correction over all of them (`settings`: the engine's
        settings, defaults from config.SETTINGS; `settings.sources` adds chosen sources to compare)."""
        granularity = timeline.check_granularity(granularity or str(setting("granularity")))
        f = filters or Filters()
        settings = settings or FindingsSettings()
        with self._read() as con:
            documents, items, events, platform_ids = self._finding_inputs(con, f)
        tested = engine.run(documents, items, events, granularity, settings)
        return Findings(granularity, f, settings, tuple(tested), frozenset(platform_ids))

    def finding_inputs(self, filters: Filters | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(documents, items, events) under the filters, exactly as `findings` gives them to the engine (for a
        notebook or the calibration benchmark that re-runs the engine on altered copies)."""
        with self._read() as con:
            documents, items, events, _ = self._finding_inputs(con, filters or Filters())
        return documents, items, events

    def _finding_inputs(self, con: duckdb.DuckDBPyConnection, f: Filters
                        ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, set[str]]:
        """(documents, items, events, platform ids) under the filters, as the engine takes them."""
        run_id = self._run_id(con)
        where = store.scope(f, run_id)
        documents = store.document_list(con, where, columns=FINDING_DOCUMENT_COLUMNS)
        parts = []
        if run_id is not None:
            themes = store.assignments(con, run_id, where)
            themes = themes[themes[s.TOPIC_ID] >= 0]  # outliers (-1) are no theme
            labels = self.labels()
            # named once per theme, not once per document (a Python call per row was a tenth of a second at 100k)
            names = {t: labels.get(int(t), f"Theme {t}") for t in themes[s.TOPIC_ID].unique()}
            parts.append(pd.DataFrame({
                s.DOC_ID: themes[s.DOC_ID], SUBJECT_TYPE: "theme",
                SUBJECT: themes[s.TOPIC_ID].map(names), SUBJECT_ID: themes[s.TOPIC_ID].astype(str)}))
        actors = store.doc_actors(con, where)
        actors = actors[actors[s.CANONICAL_ID].notna()]
        parts.append(pd.DataFrame({s.DOC_ID: actors[s.DOC_ID], SUBJECT_TYPE: "actor",
                                   SUBJECT: actors[s.CANONICAL_NAME], SUBJECT_ID: actors[s.CANONICAL_ID]}))
        lexicon = store.get_meta(con, "framing_path")
        if lexicon and Path(lexicon).is_file():
            frames = timeline.frame_items(store.texts(con, where), timeline.read_lexicon(lexicon))
            parts.append(pd.DataFrame({s.DOC_ID: frames[s.DOC_ID], SUBJECT_TYPE: "frame",
                                       SUBJECT: frames["frame"], SUBJECT_ID: frames["frame"]}))
        items = pd.concat(parts, ignore_index=True)
        # the platforms named in these documents (each among the actor subjects): their distinct ids, not a
        # Python string per mention
        platforms = set(actors.loc[actors[s.LABEL] == "PLATFORM", s.CANONICAL_ID].unique().tolist())
        return documents, items, events_within(store.events(con), f), platforms

    def framing(self, granularity: str = "year", filters: Filters | None = None) -> Framing | None:
        """The corpus's framing lexicon (named in its manifest) counted per period; None when it has none."""
        timeline.check_granularity(granularity)
        with self._read() as con:
            path = store.get_meta(con, "framing_path")
            if not path or not Path(path).is_file():
                return None
            texts = store.texts(con, store.scope(filters, self._run_id(con)))
        table = timeline.lexicon_shares(texts, timeline.read_lexicon(path), granularity)
        return None if table.empty else Framing(Path(path).name, table)

