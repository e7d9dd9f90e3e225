"""What decides a fit (TopicParams, recorded in `runs`) and what a fit gives back (TopicFit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..config import setting
from ..embeddings import BACKENDS

OUTLIER_TARGET = float(setting("outlier_target"))  # share of documents allowed to stay outliers
MATCH_THRESHOLD = float(setting("match_threshold"))  # centroid cosine: "the same" theme as before
ASSIGN_MIN_SIMILARITY = float(setting("assign_min_similarity"))  # below: a new document is an outlier
MIN_DOCUMENTS = int(setting("min_documents_for_themes"))  # fewest documents a model is fitted on
EXTRA_STOP_WORDS = ["said", "says", "say", "also", "would", "could", "one", "two", "new", "mr", "ms", "year",
                    "years", "people", "told", "like", "just", "according", "including", "however"]

Progress = Callable[[int, int | None], None]

# Cosine between a theme's name and a document's vector above which the document belongs to a named theme, per
# shipped backend (each backend carries its own: EmbeddingBackend.zeroshot_similarity).
ZEROSHOT_MIN_SIMILARITY = {name: cls.zeroshot_similarity for name, cls in BACKENDS.items()}


# The embedding backend of each profile; a backend name (minilm, static, tfidf, e5) is also accepted as a profile.
PROFILE_BACKENDS = {"quality": "minilm", "quality-int8": "minilm-int8", "fast": "static", "multilingual": "e5"}


@dataclass
class TopicParams:
    """Everything that decides a fit; recorded in `runs`."""

    backend: str = "minilm"
    seed: int = int(setting("seed"))
    min_topic_size: int = int(setting("min_topic_size"))  # 0: scaled to the corpus
    nr_topics: int = int(setting("nr_topics"))  # 0: as found
    n_gram_range: tuple[int, int] = (1, 1)
    outlier_target: float = OUTLIER_TARGET
    umap_neighbors: int = 15
    umap_components: int = 5
    # Above this many documents the model is fitted on a seeded sample and the rest are assigned to the nearest
    # topic centroid (BERTopic's advice for large corpora: fit on a subset, transform the rest).
    fit_sample: int = int(setting("fit_sample"))
    # Guided topics: lists of seed words for themes the user knows (BERTopic's seed_topic_list).
    seed_topics: list[list[str]] = field(default_factory=list)
    # Zero-shot topics: themes the user names; documents close enough to a name form that theme
    # (BERTopic's zeroshot_topic_list), the rest are clustered as usual.
    zeroshot_topics: list[str] = field(default_factory=list)
    zeroshot_words: list[list[str]] = field(default_factory=list)  # a named theme's seed words, embedded with it
    zeroshot_min_similarity: float = float(setting("zero_shot_similarity"))  # 0: the backend's own threshold
    merge_suggestions: int = 10  # pairs of topics from the hierarchy offered for merging
    # A theme spanning languages is labelled from its words in this language (where it has documents in it)
    label_language: str = str(setting("label_language"))

    def scaled_min_topic_size(self, n_docs: int) -> int:
        """Smallest topic: min_topic_share of the corpus (0.4 %), at least 5 documents."""
        return self.min_topic_size or max(5, round(n_docs * float(setting("min_topic_share"))))


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
