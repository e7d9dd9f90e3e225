"""How good are the themes? Coherence and diversity for our fit, bare BERTopic and an LDA baseline.

- Coherence: mean NPMI of each topic's top-10 words over binary document co-occurrence in the same corpus
  (English stop words removed, words in at least 5 documents); a pair that never co-occurs scores -1.
- Diversity: unique words among all topics' top-10 over their total.

Two readings of "stop words removed", both printed. `npmi` takes each method's top-10 words as it returns them and
drops stop words while scoring; bare BERTopic's default vectorizer keeps stop words, so its top-10 is mostly "the",
"and", "of" and its score rests on the one or two content words left (`words_scored` shows it). `npmi_content`
removes stop words and words under the document floor first and scores the first ten that remain, the same ten
words for every method. Bare BERTopic's UMAP is unseeded, so its figures change from run to run: it is run with
several seeds and the mean and range are printed.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import numpy as np
import pandas as pd

from . import store
from .config import setting
from .errors import NO_THEMES_YET
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

    def content_words(self, words: list[str], n: int = 10) -> list[str]:
        """The first n of a ranked word list that can be scored (not stop words, in enough documents)."""
        unigrams = dict.fromkeys(w for phrase in words for w in phrase.lower().split())
        return [w for w in unigrams if w in self.vocab][:n]

    def topic_coherence(self, words: list[str]) -> float | None:
        """Mean NPMI over the pairs of a topic's top-10 words that are in the vocabulary (unigrams of n-grams)."""
        unigrams = list(dict.fromkeys(w for phrase in words for w in phrase.lower().split()))[:10]
        scores = [s for a, b in itertools.combinations(unigrams, 2) if (s := self.npmi(a, b)) is not None]
        return float(np.mean(scores)) if scores else None


def diversity(topics: list[list[str]]) -> float:
    """Unique words over all words in the topics' top-10 lists."""
    words = [w for t in topics for w in t[:10]]
    return len(set(words)) / len(words) if words else 0.0


def _mean(values: list[float]) -> float:
    return round(float(np.mean(values)), 4) if values else float("nan")


def score(topics: list[list[str]], index: CooccurrenceIndex) -> dict[str, float]:
    """Coherence (mean NPMI, both readings), diversity and the words each topic had scored, for ranked word lists."""
    top10 = [t[:10] for t in topics]
    content = [index.content_words(t) for t in topics]
    scored = [sum(w in index.vocab for w in dict.fromkeys(x for p in t for x in p.lower().split())) for t in top10]
    return {"topics": len(topics),
            "npmi": _mean([c for t in top10 if (c := index.topic_coherence(t)) is not None]),
            "npmi_content": _mean([c for t in content if (c := index.topic_coherence(t)) is not None]),
            "words_scored": round(float(np.mean(scored)), 1) if scored else 0.0,
            "diversity": round(diversity(top10), 4), "diversity_content": round(diversity(content), 4)}


def bare_bertopic_topics(texts: list[str], embeddings: np.ndarray, seed: int | None = None,
                         n_words: int = 30) -> tuple[list[list[str]], float]:
    """BERTopic with default settings on the same document vectors: ranked topic words and outlier share.

    `seed` fixes UMAP's random_state (BERTopic's default UMAP otherwise) so a run can be repeated; `n_words` only
    lengthens the ranked list (the ranking is c-TF-IDF's either way) so the content-word reading has words to use.
    """
    from bertopic import BERTopic

    umap_model = None
    if seed is not None:
        from umap import UMAP

        umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    model = BERTopic(umap_model=umap_model, top_n_words=n_words)
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    words = [[w for w, _ in model.get_topic(t)] for t in sorted(set(topics)) if t != -1]
    return words, float(np.mean(np.asarray(topics) == -1))


def lda_topics(texts: list[str], k: int = 50, seed: int = int(setting("seed"))) -> list[list[str]]:
    """scikit-learn LDA with k topics on a stop-worded count matrix: top-10 words per topic."""
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(stop_words="english", min_df=5, max_df=0.5, token_pattern=TOKEN_PATTERN)
    counts = vectorizer.fit_transform(texts)
    lda = LatentDirichletAllocation(n_components=k, random_state=seed, learning_method="online", max_iter=10)
    lda.fit(counts)
    vocab = np.array(vectorizer.get_feature_names_out())
    return [vocab[np.argsort(row)[::-1][:10]].tolist() for row in lda.components_]


def _summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Mean of repeated runs, with the range of the coherence figures."""
    out: dict[str, Any] = {k: round(float(np.mean([r[k] for r in runs])), 4) for k in runs[0]}
    out["topics"] = round(out["topics"], 1)
    for key in ("npmi", "npmi_content"):
        values = [r[key] for r in runs]
        out[f"{key}_range"] = f"{min(values):.3f}–{max(values):.3f}"
    return out


def compare(con, *, lda_k: int = 50, with_baselines: bool = True, bare_runs: int = 3) -> pd.DataFrame:
    """One row per method: topics, outlier share, NPMI coherence (both readings), diversity, seconds."""
    corpus = store.corpus_texts(con)
    texts = corpus["text"].tolist()
    index = CooccurrenceIndex(texts)
    rows: list[dict[str, Any]] = []
    run = store.last_run(con, "topics")
    if run is None:
        raise NO_THEMES_YET.error(path="this store")
    ours = store.topic_table(con, int(run["run_id"]))
    our_words = [top_words(w, n=20) for w in ours["words"]]  # ranked; score() cuts each reading at ten
    rows.append({"method": f"ours ({run['params'].get('backend')})", **score(our_words, index),
                 "outliers": run["counts"].get("outliers")})
    if with_baselines:
        params = TopicParams(**{k: v for k, v in run["params"].items() if k in TopicParams.__dataclass_fields__})
        from .embeddings import get_backend

        backend = get_backend(params.backend)
        passages = passage_vectors(con, corpus.rename(columns={"id": "id"}), backend)
        matrix = document_matrix(passages, corpus["id"].tolist())
        t = time.time()
        runs = []
        for seed in range(bare_runs):
            words, outliers = bare_bertopic_topics(texts, matrix, seed=seed)
            runs.append({**score(words, index), "outliers": round(outliers, 4)})
        rows.append({"method": f"bare BERTopic (defaults, same vectors; mean of {bare_runs} UMAP seeds)",
                     **_summarise(runs), "seconds": round((time.time() - t) / bare_runs, 1)})
        t = time.time()
        rows.append({"method": f"LDA (k={lda_k})", **score(lda_topics(texts, k=lda_k), index), "outliers": 0.0,
                     "seconds": round(time.time() - t, 1)})
    return pd.DataFrame(rows)
