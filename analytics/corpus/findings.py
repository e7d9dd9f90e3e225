"""What changed: the findings (largest theme shifts, the platform migration), event impact and framing — with the
documents behind each. `findings()` is the one place the findings engine is called: swap it here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import findings as engine
from .. import schema as s
from .. import store, timeline
from ..config import setting
from ..filters import Filters
from .counts import CountQueries
from .documents import DocumentQueries


@dataclass(frozen=True)
class Findings:
    """The findings of one corpus under one set of filters, each row with its evidence (`doc_ids`).

    shifts: sentence, topic_id, period, before, after, change, doc_ids (largest first);
    platform_leaders: per period the most-named platform (period, canonical_id, canonical_name, mentions,
    platform_total, platform_share, doc_ids); platform_newcomers: platforms first named after the first period
    (period, canonical_id, canonical_name, mentions, platform_share, total_mentions, doc_ids); migration: the
    leaders in one sentence ('Twitter (2014–2015) → Telegram (2016–2019)').
    """

    granularity: str
    shifts: pd.DataFrame
    platform_leaders: pd.DataFrame = field(default_factory=pd.DataFrame)
    platform_newcomers: pd.DataFrame = field(default_factory=pd.DataFrame)
    migration: str = ""


@dataclass(frozen=True)
class Framing:
    """A framing lexicon counted per period: the share of documents using each frame's words (with the ids), and
    per frame its change point in words."""

    lexicon: str
    table: pd.DataFrame
    changes: pd.DataFrame


class FindingQueries(CountQueries, DocumentQueries):
    """Findings with their evidence."""

    def findings(self, granularity: str | None = None, filters: Filters | None = None, top: int | None = None,
                 platform_granularity: str = "year") -> Findings:
        """The largest shifts of theme shares (at most `top`) and the platform migration, under the filters."""
        granularity = timeline.check_granularity(granularity or str(setting("granularity")))
        top = top or int(setting("top_themes"))
        with self._read() as con:
            run_id = self._run_id(con)
            items = store.assignments(con, run_id, store.scope(filters, run_id)) if run_id is not None else None
        shifts = pd.DataFrame(columns=["sentence", s.TOPIC_ID, s.PERIOD, "before", "after", "change", "doc_ids"])
        if items is not None and not items.empty:
            documents = items[[s.ID, s.DATE, s.SOURCE, s.SOURCE_TYPE]]
            shifts = engine.largest_theme_shifts(documents, items[[s.DOC_ID, s.TOPIC_ID]], self.labels(),
                                                 granularity=granularity, top=top)
        platforms = self.platform_shares(platform_granularity, filters)
        if platforms.empty:
            return Findings(granularity, shifts)
        leaders = engine.platform_leaders(platforms)
        newcomers = engine.platform_newcomers(platforms)
        leaders["doc_ids"] = [self._ids(filters, period=p, granularity=platform_granularity, actors=[a])
                              for p, a in zip(leaders[s.PERIOD], leaders[s.CANONICAL_ID], strict=True)]
        newcomers["doc_ids"] = [self._ids(filters, actors=[a]) for a in newcomers[s.CANONICAL_ID]]
        return Findings(granularity, shifts, leaders, newcomers,
                        engine.migration_sentence(leaders, platform_granularity))

    def _ids(self, filters: Filters | None, **where: object) -> list[str]:
        return self.documents_behind(filters, **where)[s.ID].tolist()

    def event_impact(self, filters: Filters | None = None, window_days: int | None = None,
                     top: int = 2) -> pd.DataFrame:
        """For each event, the themes whose document share changed most in `window_days` after it against the same
        span before: event_date, event, topic_id, theme, before, after, shares, log odds ratio, p-value, and the
        theme's documents in the window after (doc_ids)."""
        window_days = window_days or int(setting("event_window_days"))
        with self._read() as con:
            run_id = self._run_id(con)
            events = store.events(con)
            items = store.assignments(con, run_id, store.scope(filters, run_id)) if run_id is not None else None
        if items is None or items.empty or events.empty:
            return pd.DataFrame(columns=["event_date", "event", s.TOPIC_ID, "theme", "doc_ids"])
        impact = timeline.event_impact(items, events, s.TOPIC_ID, window_days=window_days, top=top)
        if impact.empty:
            return impact
        impact.insert(3, "theme", impact[s.TOPIC_ID].map(self.labels()))
        window = pd.Timedelta(days=window_days)
        impact["doc_ids"] = [items[(items[s.TOPIC_ID] == r.topic_id) & (items[s.DATE] >= r.event_date)
                                   & (items[s.DATE] < r.event_date + window)][s.ID].tolist()
                             for r in impact.itertuples()]
        return impact

    def framing(self, granularity: str = "year", filters: Filters | None = None) -> Framing | None:
        """The corpus's framing lexicon (named in its manifest) counted per period; None when it has none."""
        timeline.check_granularity(granularity)
        with self._read() as con:
            path = store.get_meta(con, "framing_path")
            if not path or not Path(path).is_file():
                return None
            texts = store.texts(con, store.scope(filters, self._run_id(con)))
        table = timeline.lexicon_shares(texts, timeline.read_lexicon(path), granularity)
        if table.empty:
            return None
        return Framing(Path(path).name, table, timeline.framing_changes(table))
