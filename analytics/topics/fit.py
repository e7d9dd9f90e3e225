"""One BERTopic fit over precomputed document vectors: outliers reassigned, named themes found, merges suggested."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..embeddings import EmbeddingBackend
from ..errors import TOO_FEW_FOR_THEMES
from ..languages import is_multilingual, theme_vocabulary, words_of_fit
from .labels import auto_label, key_phrases, phrase_label
from .params import EXTRA_STOP_WORDS, MIN_DOCUMENTS, ZEROSHOT_MIN_SIMILARITY, TopicFit, TopicParams
from .vocabulary import without_words


def backend_embedder(backend: EmbeddingBackend) -> Any:
    """Our backend as a BERTopic embedder, so its representation models (MMR) and a loaded model embed with it."""
    from ..loading import topic_libraries

    class Embedder(topic_libraries()["BaseEmbedder"]):
        def embed(self, documents, verbose=False):  # noqa: ANN001, ANN202, ARG002 - BERTopic's signature
            return backend.encode(list(documents))

    return Embedder()


def fit_topics(
    texts: list[str], doc_ids: list[str], doc_matrix: np.ndarray, backend: EmbeddingBackend, params: TopicParams,
    languages: list[str] | None = None, extra_stop_words: frozenset[str] = frozenset(),
) -> TopicFit:
    """Fit BERTopic on documents already sorted by id, with precomputed vectors; outliers reassigned.

    With the documents' `languages`, a corpus in several languages has its words counted per language (stop
    words, stems: analytics/languages/words.py); labels and key phrases still quote the documents.
    `extra_stop_words`: more words that never name a theme (posts' filler, link pieces, usernames:
    topics/vocabulary.py)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    from ..loading import topic_libraries

    libraries = topic_libraries()  # imported once, numba's compiled code from its cache
    BERTopic, UMAP, HDBSCAN = libraries["BERTopic"], libraries["UMAP"], libraries["HDBSCAN"]  # noqa: N806
    MaximalMarginalRelevance = libraries["MaximalMarginalRelevance"]  # noqa: N806
    ClassTfidfTransformer = libraries["ClassTfidfTransformer"]  # noqa: N806

    n = len(texts)
    if n < MIN_DOCUMENTS:
        raise TOO_FEW_FOR_THEMES.error(n=n, minimum=MIN_DOCUMENTS)
    min_size = params.scaled_min_topic_size(n)
    stop_words = sorted(set(ENGLISH_STOP_WORDS) | set(EXTRA_STOP_WORDS) | extra_stop_words)
    vectorizer = CountVectorizer(stop_words=stop_words, ngram_range=tuple(params.n_gram_range),
                                 min_df=params.vocabulary_min_df or (2 if n >= 50 else 1),
                                 token_pattern=r"(?u)\b[^\W\d_][\w\-\.]*[^\W_]\b")
    # Several languages: BERTopic counts the words that matter in each document's own language, each as the
    # commonest form of its stem (a plain string per document, so the saved model holds no custom code).
    counted, phrase_stop_words, vocabulary = texts, frozenset(), None
    if languages is not None and is_multilingual(languages):
        # [posts] filler, link pieces and usernames are the vocabulary's stop words too, so neither the counts nor
        # the words per language (labels) hold them
        vocabulary = without_words(theme_vocabulary(texts, languages), extra_stop_words)
        counted = [vocabulary.text(t) for t in texts]
        phrase_stop_words = vocabulary.stop_words
        # min_df 1: BERTopic fits the vectorizer on one text per topic, and a theme of one language has words no
        # other theme uses (min_df 2 left a theme of Arabic documents without a single word)
        vectorizer = CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=tuple(params.n_gram_range))
    umap_model = UMAP(n_neighbors=min(params.umap_neighbors, n - 1), n_components=params.umap_components,
                      min_dist=0.0, metric="cosine", random_state=params.seed, low_memory=True)
    hdbscan_model = HDBSCAN(min_cluster_size=min_size, min_samples=max(2, min_size // 2), metric="euclidean",
                            cluster_selection_method="eom", prediction_data=True)
    model = BERTopic(
        embedding_model=backend_embedder(backend),
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
        zeroshot_min_similarity=zeroshot_threshold(params, backend),
    )
    # Guided modelling nudges the vectors it is given towards the seeds: give it a copy, ours stay the documents'.
    try:
        topics, _ = model.fit_transform(counted, embeddings=doc_matrix.copy())
    except ValueError as exc:
        if "no terms remain" not in str(exc):
            raise
        # BERTopic fits the vectorizer on one text per theme, so min_df counts themes: when the fit finds one theme,
        # or themes that share no word, min_df 2 leaves no word at all. Then every word counts (same seed, same fit).
        model.vectorizer_model.set_params(min_df=1)
        topics, _ = model.fit_transform(counted, embeddings=doc_matrix.copy())
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
        model.update_topics(counted, topics=topics.tolist(), vectorizer_model=vectorizer,
                            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
                            representation_model={"MMR": MaximalMarginalRelevance(diversity=0.3, top_n_words=10)})
    after = float(np.mean(topics == -1))

    centroids = _centroids(doc_matrix, topics)
    sims = np.zeros(n)
    for t, c in centroids.items():
        mask = topics == t
        sims[mask] = doc_matrix[mask] @ c
    assignments = pd.DataFrame({"doc_id": doc_ids, "topic": topics.astype(int), "probability": sims.round(4)})
    phrases = key_phrases(texts, topics, extra_stop_words=phrase_stop_words | extra_stop_words)
    # Several languages: each theme's top words in each of its languages, kept with the fit (the app shows them
    # beside the label), and the label made from the label language's words where the theme has some.
    by_language = words_of_fit(texts, languages, topics, vocabulary) if vocabulary is not None else {}
    rows = []
    for t in sorted(set(topics.tolist())):
        if t == -1:
            continue
        words = [(w, float(v)) for w, v in (model.get_topic(t) or []) if w]
        mmr = [w for w, _ in (model.topic_aspects_.get("MMR", {}).get(t) or []) if w]
        # The label comes from the c-TF-IDF words: MMR's picks depend on how well the backend embeds single words,
        # which TF-IDF vectors do poorly.
        members = np.flatnonzero(topics == t)
        label_words, label_language = [w for w, _ in words] or mmr, _one_language(languages, members)
        own = by_language.get(int(t), {}).get(params.label_language)
        if own and own["words"]:
            label_words, label_language = own["words"], params.label_language
            members = [i for i in members if languages[i] == params.label_language]
        member_texts = [texts[i] for i in members]
        others = {p for other, found in phrases.items() if other != t for p in found}
        label = (named.get(int(t)) or phrase_label(phrases.get(int(t), []), label_words, others, member_texts)
                 or auto_label(label_words, member_texts))
        rows.append({"topic": int(t), "label": label, "words": words, "mmr": mmr, "centroid": centroids[t],
                     "named": named.get(int(t)), "phrases": phrases.get(int(t), []),
                     "by_language": by_language.get(int(t), {}), "label_language": label_language})
    topic_rows = pd.DataFrame(rows, columns=["topic", "label", "words", "mmr", "centroid", "named", "phrases",
                                             "by_language", "label_language"])
    suggestions = merge_suggestions(model, params.merge_suggestions)
    return TopicFit(assignments, topic_rows, pd.DataFrame(), before, after, threshold, min_size, model, suggestions)


def _one_language(languages: list[str] | None, members: np.ndarray) -> str | None:
    """The language of all of a theme's documents, when they share one (None: several, or not known)."""
    if languages is None:
        return None
    found = {languages[i] for i in members}
    return found.pop() if len(found) == 1 else None


def zeroshot_threshold(params: TopicParams, backend: EmbeddingBackend | None = None) -> float:
    """The similarity a document needs to join a named theme: the user's, else the backend's default."""
    if params.zeroshot_min_similarity:
        return params.zeroshot_min_similarity
    return backend.zeroshot_similarity if backend is not None else ZEROSHOT_MIN_SIMILARITY.get(params.backend, 0.5)


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
        members = topics[(best >= zeroshot_threshold(params, backend)) & (nearest == z) & (topics != -1)]
        if len(members):
            out.setdefault(int(np.bincount(members).argmax()), name)
    return out


def merge_suggestions(model: Any, limit: int) -> list[dict]:
    """Pairs of topics that BERTopic's topic hierarchy joins first (the closest c-TF-IDF representations): the
    merges a reader should look at. Only pairs of two leaf topics are offered, closest first.

    The hierarchy's linkage is computed as `BERTopic.hierarchical_topics` computes it (its distance, linkage and
    tie-breaking); the names it gives each merged branch, one c-TF-IDF over the corpus per merge (~1 CPU-s on
    2,700 articles), are not computed, since no pair offered here needs them."""
    n_topics = len([t for t in model.get_topics() if t != -1])
    if limit <= 0 or n_topics < 3:
        return []
    from bertopic._utils import get_unique_distances, select_topic_representation, validate_distance_matrix
    from scipy.cluster import hierarchy as sch
    from sklearn.metrics.pairwise import cosine_similarity

    representation = select_topic_representation(model.c_tf_idf_, model.topic_embeddings_, use_ctfidf=True)[0]
    representation = representation[model._outliers:]
    distances = validate_distance_matrix(1 - cosine_similarity(representation), representation.shape[0])
    linkage = sch.linkage(distances, "ward", optimal_ordering=True)
    if len(linkage[:, 2]) != len(np.unique(linkage[:, 2])):  # BERTopic's tie-break, so the order is its own
        linkage[:, 2] = get_unique_distances(linkage[:, 2])
    tree = pd.DataFrame({"Child_Left_ID": linkage[:, 0].astype(int), "Child_Right_ID": linkage[:, 1].astype(int),
                         "Distance": linkage[:, 2]})
    # BERTopic lists the merges last first; the sort below then meets equal distances in that order
    tree = tree.iloc[::-1]
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
    return passage_votes(passages["doc_id"].to_numpy(), np.vstack(passages["vector"].to_list()), centroids)


def passage_votes(doc_ids: np.ndarray, vectors: np.ndarray, centroids: dict[int, np.ndarray]) -> pd.DataFrame:
    """Each document's share of passages nearest to each topic (doc_id, topic, weight), from passage vectors and
    the document of each; every passage of a document must be given in the same call."""
    if not centroids or not len(doc_ids):
        return pd.DataFrame(columns=["doc_id", "topic", "weight"])
    ids = np.array(sorted(centroids))
    matrix = np.vstack([centroids[t] for t in ids])
    nearest = ids[np.argmax(np.asarray(vectors, dtype=np.float64) @ matrix.T, axis=1)]
    votes = pd.DataFrame({"doc_id": doc_ids, "topic": nearest})
    weights = votes.groupby(["doc_id", "topic"]).size().rename("n").reset_index()
    weights["weight"] = weights["n"] / weights.groupby("doc_id")["n"].transform("sum")
    return weights.drop(columns="n")
