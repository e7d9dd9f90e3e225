"""What decides a fit (TopicParams, recorded in `runs`) and what a fit gives back (TopicFit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..embeddings import BACKENDS

OUTLIER_TARGET = 0.10  # share of documents we allow to stay outliers after reassignment
MATCH_THRESHOLD = 0.80  # centroid cosine above which a new topic is "the same" as a previous one
ASSIGN_MIN_SIMILARITY = 0.25  # below this a new document is an outlier of the existing fit
EXTRA_STOP_WORDS = ["said", "says", "say", "also", "would", "could", "one", "two", "new", "mr", "ms", "year",
                    "years", "people", "told", "like", "just", "according", "including", "however"]

Progress = Callable[[int, int | None], None]

# Cosine between a theme's name and a document's vector above which the document belongs to a named theme, per
# shipped backend (each backend carries its own: EmbeddingBackend.zeroshot_similarity).
ZEROSHOT_MIN_SIMILARITY = {name: cls.zeroshot_similarity for name, cls in BACKENDS.items()}


# The embedding backend of each profile; a backend name (minilm, static, tfidf) is also accepted as a profile.
PROFILE_BACKENDS = {"quality": "minilm", "fast": "static"}


@dataclass
class TopicParams:
    """Everything that decides a fit; recorded in `runs`."""

    backend: str = "minilm"
    seed: int = 42
    min_topic_size: int = 0  # 0: scaled to the corpus
    nr_topics: int = 0  # 0: as found
    n_gram_range: tuple[int, int] = (1, 1)
    outlier_target: float = OUTLIER_TARGET
    umap_neighbors: int = 15
    umap_components: int = 5
    # Above this many documents the model is fitted on a seeded sample and the rest are assigned to the nearest
    # topic centroid (BERTopic's advice for large corpora: fit on a subset, transform the rest).
    fit_sample: int = 20_000
    # Guided topics: lists of seed words for themes the user knows (BERTopic's seed_topic_list).
    seed_topics: list[list[str]] = field(default_factory=list)
    # Zero-shot topics: themes the user names; documents close enough to a name form that theme
    # (BERTopic's zeroshot_topic_list), the rest are clustered as usual.
    zeroshot_topics: list[str] = field(default_factory=list)
    zeroshot_words: list[list[str]] = field(default_factory=list)  # a named theme's seed words, embedded with it
    zeroshot_min_similarity: float = 0.0  # 0: the backend's default (ZEROSHOT_MIN_SIMILARITY)
    merge_suggestions: int = 10  # pairs of topics from the hierarchy offered for merging

    def scaled_min_topic_size(self, n_docs: int) -> int:
        """Smallest topic: about 0.4 % of the corpus, at least 5 documents."""
        return self.min_topic_size or max(5, round(n_docs * 0.004))


@dataclass
class TopicFit:
    """A fitted model's output in plain tables (internal BERTopic ids, before identity matching)."""

    assignments: pd.DataFrame  # doc_id, topic, probability
    topics: pd.DataFrame  # topic, label, words (list of [word, weight]), centroid
    weights: pd.DataFrame  # doc_id, topic, weight (from passages)
    outliers_before: float
    outliers_after: float
    reassign_threshold: float | None
    min_topic_size: int
    model: Any = field(default=None, repr=False)
    merge_suggestions: list[dict] = field(default_factory=list)  # this fit's ids: topics [a, b], distance


def _params_record(params: TopicParams) -> dict:
    record = dict(params.__dict__)
    record["n_gram_range"] = list(params.n_gram_range)
    return record


def _params_from_record(record: dict) -> dict:
    fields = TopicParams.__dataclass_fields__
    out = {k: v for k, v in record.items() if k in fields}
    if "n_gram_range" in out:
        out["n_gram_range"] = tuple(out["n_gram_range"])
    return out
