"""How good are the themes? Coherence and diversity for our fit, bare BERTopic and an LDA baseline.

- Coherence: mean NPMI of each topic's top-10 words over binary document co-occurrence in the same corpus
  (English stop words removed, words in at least 5 documents); a pair that never co-occurs scores -1.
- Diversity: unique words among all topics' top-10 over their total.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import numpy as np
import pandas as pd

from . import store
from .topics import TopicParams, document_matrix, passage_vectors, top_words

TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w\-\.]*[^\W_]\b"


class CooccurrenceIndex:
    """Binary document-word matrix of a corpus, for NPMI."""

    def __init__(self, texts: list[str], min_df: int = 5) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        vectorizer = CountVectorizer(stop_words="english", min_df=min_df, binary=True, token_pattern=TOKEN_PATTERN)
        self.matrix = vectorizer.fit_transform(texts).tocsc().astype(np.float64)
        self.vocab = vectorizer.vocabulary_
        self.n_docs = len(texts)

    def npmi(self, a: str, b: str) -> float | None:
        """NPMI of two words; None when either is not in the vocabulary."""
        ia, ib = self.vocab.get(a), self.vocab.get(b)
        if ia is None or ib is None:
            return None
        col_a, col_b = self.matrix[:, ia], self.matrix[:, ib]
        p_a = col_a.sum() / self.n_docs
        p_b = col_b.sum() / self.n_docs
        p_ab = col_a.multiply(col_b).sum() / self.n_docs
        if p_ab == 0:
            return -1.0
        if p_ab == 1:
            return 1.0
        return float(np.log(p_ab / (p_a * p_b)) / -np.log(p_ab))

    def topic_coherence(self, words: list[str]) -> float | None:
        """Mean NPMI over the pairs of a topic's words that are in the vocabulary (unigrams of n-grams)."""
        unigrams = list(dict.fromkeys(w for phrase in words for w in phrase.lower().split()))[:10]
        scores = [s for a, b in itertools.combinations(unigrams, 2) if (s := self.npmi(a, b)) is not None]
        return float(np.mean(scores)) if scores else None


def diversity(topics: list[list[str]]) -> float:
    """Unique words over all words in the topics' top-10 lists."""
    words = [w for t in topics for w in t[:10]]
    return len(set(words)) / len(words) if words else 0.0


def score(topics: list[list[str]], index: CooccurrenceIndex) -> dict[str, float]:
    """Coherence (mean NPMI) and diversity of a set of topics."""
    per_topic = [c for t in topics if (c := index.topic_coherence(t)) is not None]
    return {"topics": len(topics), "npmi": round(float(np.mean(per_topic)), 4) if per_topic else float("nan"),
            "diversity": round(diversity(topics), 4)}


def bare_bertopic_topics(texts: list[str], embeddings: np.ndarray) -> tuple[list[list[str]], float]:
    """BERTopic with default settings on the same document vectors: topic words and outlier share."""
    from bertopic import BERTopic

    model = BERTopic()
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    words = [[w for w, _ in model.get_topic(t)] for t in sorted(set(topics)) if t != -1]
    return words, float(np.mean(np.asarray(topics) == -1))


def lda_topics(texts: list[str], k: int = 50, seed: int = 42) -> list[list[str]]:
    """scikit-learn LDA with k topics on a stop-worded count matrix: top-10 words per topic."""
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(stop_words="english", min_df=5, max_df=0.5, token_pattern=TOKEN_PATTERN)
    counts = vectorizer.fit_transform(texts)
    lda = LatentDirichletAllocation(n_components=k, random_state=seed, learning_method="online", max_iter=10)
    lda.fit(counts)
    vocab = np.array(vectorizer.get_feature_names_out())
    return [vocab[np.argsort(row)[::-1][:10]].tolist() for row in lda.components_]


def compare(con, *, lda_k: int = 50, with_baselines: bool = True) -> pd.DataFrame:
    """One row per method: topics, outlier share, NPMI coherence, diversity, seconds."""
    corpus = store.corpus_texts(con)
    texts = corpus["text"].tolist()
    index = CooccurrenceIndex(texts)
    rows: list[dict[str, Any]] = []
    run = store.last_run(con, "topics")
    if run is None:
        raise ValueError("no topic fit in this store; run `narrative analyze` first")
    ours = store.topic_table(con, int(run["run_id"]))
    our_words = [top_words(w) for w in ours["words"]]
    rows.append({"method": f"ours ({run['params'].get('backend')})", **score(our_words, index),
                 "outliers": run["counts"].get("outliers")})
    if with_baselines:
        params = TopicParams(**{k: v for k, v in run["params"].items() if k in TopicParams.__dataclass_fields__})
        from .embeddings import get_backend

        backend = get_backend(params.backend)
        passages = passage_vectors(con, corpus.rename(columns={"id": "id"}), backend)
        matrix = document_matrix(passages, corpus["id"].tolist())
        t = time.time()
        words, outliers = bare_bertopic_topics(texts, matrix)
        rows.append({"method": "bare BERTopic (defaults, same vectors)", **score(words, index),
                     "outliers": round(outliers, 4), "seconds": round(time.time() - t, 1)})
        t = time.time()
        rows.append({"method": f"LDA (k={lda_k})", **score(lda_topics(texts, k=lda_k), index), "outliers": 0.0,
                     "seconds": round(time.time() - t, 1)})
    return pd.DataFrame(rows)
