"""`Corpus`: one analysed corpus, read-only — the one place the app's pages, the report, the CLI and a notebook
ask for numbers, so each number has one implementation.

    from analytics import Corpus, Filters
    corpus = Corpus.open("data/narrative.duckdb")
    corpus.theme_shares("quarter", Filters(source_types=["news"]), smooth=3, top=8)

Every method that counts takes a `Filters` and returns a tidy, labelled DataFrame (or a small dataclass of them).
The class is assembled from one module per concern: `base` (the store, what it holds, bookkeeping), `counts`
(numbers over time), `documents` (the documents behind them), `findings` (what changed), `themes` (merges, their
suggestions, a theme's sources), `languages`, `amplification` (cascades, coordination, traces of posts over time),
`model` (the saved topic model).
"""

from __future__ import annotations

from typing import Any

from ..embeddings import get_backend
from ..errors import NO_SAVED_MODEL, NO_THEMES_YET
from ..filters import Filters
from .amplification import AmplificationQueries, Cascades, CoordinationFound, PostsInView, TraceTrends
from .base import CorpusBase, FilterOptions, Summary
from .counts import THEME_COLUMNS
from .documents import Reading
from .findings import FindingQueries, Findings, Framing
from .languages import LanguageQueries, ThemeProfile
from .themes import MergePreview, ThemeQueries


class Corpus(FindingQueries, ThemeQueries, AmplificationQueries, LanguageQueries):
    """An analysed corpus in its store, read-only. Open it with `Corpus.open(path)`."""

    def topic_model(self) -> Any:
        """The saved BERTopic model of the current fit, its themes labelled as the corpus shows them (the user's
        names included) and its embedding model resolvable (our backend, loaded offline from its pinned files)."""
        run = self.run()
        if run is None:
            raise NO_THEMES_YET.error(path=self.path)
        from ..topics import backend_embedder, saved_model_dir, stored_centring

        folder = saved_model_dir(self.path) / f"topics-run-{run['run_id']}"
        if not folder.is_dir():
            raise NO_SAVED_MODEL.error(path=folder)
        from bertopic import BERTopic

        backend = get_backend(run["params"].get("backend", "minilm"))
        with self._read() as con:
            centring = stored_centring(con, int(run["run_id"]))
        if centring is not None:  # a multilingual fit: new texts in the fit's space, each language's mean out
            backend = centring.queries(backend)
        model = BERTopic.load(str(folder), embedding_model=backend_embedder(backend))
        stable = {int(k): int(v) for k, v in (run["counts"].get("model_topics") or {}).items()}
        labels = self.labels()
        model.set_topic_labels({t: labels[stable[t]] for t in model.get_topics()
                                if t in stable and stable[t] in labels})
        return model


__all__ = [
    "THEME_COLUMNS",
    "Cascades",
    "CoordinationFound",
    "Corpus",
    "CorpusBase",
    "FilterOptions",
    "Filters",
    "Findings",
    "Framing",
    "MergePreview",
    "PostsInView",
    "Reading",
    "Summary",
    "TraceTrends",
    "ThemeProfile",
]
