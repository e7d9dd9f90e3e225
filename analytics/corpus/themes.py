"""The Theme explorer's questions: what a merge would give (sizes, words) before it is made, which merges to
suggest and which to hold back (with the reason), which sources carry a theme (with minimum counts), and a theme's
language mix."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import schema as s
from .. import store, timeline
from ..filters import Filters
from ..topics.labels import combined_words
from .counts import CountQueries

# The merge check. A theme's leading actors are those named in at least LEADING_SHARE of its documents, leaving out
# actors named in more than EVERYWHERE of the whole corpus (the Islamic State in a corpus about it says nothing
# about one theme); its main actor is the most named of them that is not a place or a nationality (Syria is the
# setting of half the corpus). A pair is held back when both themes have a main actor, they differ, and neither
# is a leading actor of the other theme: a theme about a leader and one about a news agency stay apart.
LEADING_SHARE = 0.20
EVERYWHERE = 0.50
SETTINGS_NOT_ACTORS = ("GPE", "LOC", "NORP")
MIN_SOURCE_DOCUMENTS = 3  # "sources that carry it": a source needs this many of the theme's documents


@dataclass(frozen=True)
class MergePreview:
    """What merging one theme into another gives: each one's documents under the filters, together, and the
    merged theme's distinctive words (an estimate from both themes' words, weighted by size)."""

    from_label: str
    into_label: str
    from_documents: int
    into_documents: int
    together: int
    words: list[tuple[str, float]]


def _main_actor(leading: pd.DataFrame) -> tuple[str, str] | None:
    """A theme's main actor (id, name): its most named leading actor that is not a place or a nationality."""
    actors = leading[~leading[s.LABEL].isin(SETTINGS_NOT_ACTORS)].sort_values("share", ascending=False, kind="stable")
    return None if actors.empty else (actors[s.CANONICAL_ID].iloc[0], actors[s.CANONICAL_NAME].iloc[0])


class ThemeQueries(CountQueries):
    """Merges, their suggestions, the sources and languages of a theme."""

    def merge_preview(self, from_topic_id: int, into_topic_id: int, filters: Filters | None = None) -> MergePreview:
        """What merging `from_topic_id` into `into_topic_id` would give (nothing is changed)."""
        themes = self.themes().set_index(s.TOPIC_ID)
        sizes = self.theme_sizes(filters).set_index(s.TOPIC_ID)["documents"]
        a, b = int(from_topic_id), int(into_topic_id)
        n_a, n_b = int(sizes.get(a, 0)), int(sizes.get(b, 0))
        words = combined_words([(themes.loc[t, "words"].get("ctfidf", []), max(int(themes.loc[t, "size"]), 1))
                                for t in (a, b) if t in themes.index])
        labels = self.labels()
        return MergePreview(labels.get(a, str(a)), labels.get(b, str(b)), n_a, n_b, n_a + n_b, words)

    def _leading_actors(self) -> dict[int, pd.DataFrame]:
        """Each theme's leading actors (see LEADING_SHARE), most named first."""
        # Only the counts that can pass are read (at a million documents the whole tables took two seconds): an
        # actor leading in any theme is named in at least LEADING_SHARE of the smallest one, and a common one in
        # more than EVERYWHERE of the dated documents (floors: bounds below the exact tests made here). The themes'
        # sizes come from the same pass over the documents and their themes.
        with self._read() as con:
            run_id = self._run_id(con)
            if run_id is None:
                return {}
            where = store.scope(None, run_id)
            sizes, counts = store.theme_sizes_and_actor_counts(con, run_id, where, LEADING_SHARE)
            dated = store.summary(con, where)["in_scope"]
            everywhere = store.actor_totals(con, where, more_than=int(EVERYWHERE * max(dated, 1)))
        sizes = sizes.set_index(s.TOPIC_ID)["documents"]
        common = set(everywhere.loc[everywhere["documents"] > EVERYWHERE * max(dated, 1), s.CANONICAL_ID])
        counts = counts[~counts[s.CANONICAL_ID].isin(common)]
        counts = counts.assign(share=counts["documents"] / counts[s.TOPIC_ID].map(sizes).clip(lower=1))
        leading = counts[counts["share"] >= LEADING_SHARE]
        return {int(t): part for t, part in leading.groupby(s.TOPIC_ID)}

    def merge_candidates(self) -> int:
        """How many pairs of live themes the fit found most alike, before each is checked (merge_suggestions checks
        them, which reads every theme's leading actors: a count to show without that cost)."""
        return len(self._merge_pairs(self.themes()))

    def _merge_pairs(self, themes: pd.DataFrame) -> list[dict]:
        """The fit's closest pairs of themes (topics [a, b], distance) whose themes are both still live."""
        live = set(themes.loc[themes["live"], s.TOPIC_ID].astype(int))
        return [m for m in ((self.run() or {}).get("counts", {}).get("merge_suggestions") or [])
                if set(m["topics"]) <= live]

    def merge_suggestions(self) -> pd.DataFrame:
        """The fit's suggested merges (BERTopic's hierarchy: the closest pairs of themes by their words), most
        alike first, each checked (see the rule above LEADING_SHARE): `suggested` is False, with the `reason`,
        when their main actors differ and neither is much named in the other theme. Columns: from_topic_id,
        into_topic_id (the larger theme), from_label, into_label, similarity, suggested, reason."""
        columns = ["from_topic_id", "into_topic_id", "from_label", "into_label", "similarity", "suggested", "reason"]
        themes = self.themes()
        pairs = self._merge_pairs(themes)
        if not pairs:
            return pd.DataFrame(columns=columns)
        sizes = dict(zip(themes[s.TOPIC_ID].astype(int), themes["size"], strict=True))
        # the labels shown, from the themes' table just read (labels() would read it again)
        labels = dict(zip(themes[s.TOPIC_ID].astype(int), themes[s.LABEL], strict=True))
        leading = self._leading_actors()
        rows = []
        for pair in pairs:
            a, b = (int(t) for t in pair["topics"])
            small, big = (a, b) if sizes.get(a, 0) < sizes.get(b, 0) else (b, a)
            mine, theirs = leading.get(small), leading.get(big)
            suggested, reason = True, "no main actor to compare in one of them"
            if mine is not None and theirs is not None:
                main = [_main_actor(mine), _main_actor(theirs)]
                if main[0] is not None and main[1] is not None:
                    if main[0][0] == main[1][0] or main[0][0] in set(theirs[s.CANONICAL_ID]) or \
                            main[1][0] in set(mine[s.CANONICAL_ID]):
                        reason = f"both name {main[0][1]}" if main[0][0] in set(theirs[s.CANONICAL_ID]) else \
                            f"both name {main[1][1]}"
                    else:
                        suggested = False
                        reason = (f"held back: one is about {main[0][1]}, the other about {main[1][1]}, and "
                                  "neither is much named in the other")
            rows.append({"from_topic_id": small, "into_topic_id": big, "from_label": labels.get(small, str(small)),
                         "into_label": labels.get(big, str(big)), "similarity": round(1 - float(pair["distance"]), 3),
                         "suggested": suggested, "reason": reason})
        table = pd.DataFrame(rows, columns=columns)
        return table.sort_values(["suggested", "similarity"], ascending=[False, False], ignore_index=True)

    def theme_sources(self, topic_id: int, filters: Filters | None = None,
                      min_documents: int = MIN_SOURCE_DOCUMENTS) -> pd.DataFrame:
        """The sources that carry a theme: each source with at least `min_documents` of the theme's documents
        under the filters (no source with 0 or 1 document, no lift from one document), with its documents in all,
        the theme's share of them and the lift (times as often as all sources carry it). Most documents first:
        source, documents, source_total, share, lift."""
        columns = ["source", "documents", "source_total", s.SHARE, "lift"]
        with self._read() as con:
            run_id = self._run_id(con)
            if run_id is None:
                return pd.DataFrame(columns=columns)
            counts = store.theme_counts(con, run_id, store.scope(filters, run_id), by=s.SOURCE)
        if counts.empty:
            return pd.DataFrame(columns=columns)
        table = timeline.voice_table(counts, s.SOURCE)
        table = table[(table[s.TOPIC_ID] == int(topic_id)) & (table[s.COUNT] >= min_documents)]
        table = table.rename(columns={s.COUNT: "documents"})[columns]
        return table.sort_values(["documents", "source"], ascending=[False, True], ignore_index=True)
