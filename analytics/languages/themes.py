"""Themes seen language by language: which languages each theme's documents are in, and its words in each.

A theme that spans languages has one label, but a reader of one language wants its words in that language, and
everyone wants to see how much of the theme each language carries. These functions give the app both, from the
same documents and assignments the timeline counts (DataFrames in, DataFrames out); the Corpus reads them from
its store (`Corpus.theme_languages`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .words import ThemeVocabulary, theme_vocabulary

UNDETERMINED = "und"


def _joined(docs: pd.DataFrame, doc_topics: pd.DataFrame) -> pd.DataFrame:
    """Documents (id, language[, text]) with their topic; documents without a topic are left out."""
    frame = doc_topics[["doc_id", "topic_id"]].merge(docs.rename(columns={"id": "doc_id"}), on="doc_id")
    frame["language"] = frame["language"].fillna(UNDETERMINED).replace("", UNDETERMINED)
    return frame


def language_mix(docs: pd.DataFrame, doc_topics: pd.DataFrame) -> pd.DataFrame:
    """Documents per theme and language: topic_id, language, documents, share (of the theme's documents).

    docs: id, language; doc_topics: doc_id, topic_id (outliers are topic -1 and are counted like any theme).
    Rows are sorted by theme, then by documents (most first); the shares of one theme sum to 1."""
    frame = _joined(docs, doc_topics)
    return mix_shares(frame.groupby(["topic_id", "language"]).size().rename("documents").reset_index())


def mix_shares(counts: pd.DataFrame) -> pd.DataFrame:
    """Documents per theme and language (topic_id, language, documents) with each language's share of its
    theme's documents; sorted by theme, then by documents (most first) and language."""
    counts = counts.assign(share=counts["documents"] / counts.groupby("topic_id")["documents"].transform("sum"))
    return counts.sort_values(["topic_id", "documents", "language"], ascending=[True, False, True],
                              ignore_index=True)


def words_of_fit(texts: list[str], languages: list[str], topics: np.ndarray, vocabulary: ThemeVocabulary,
                 n: int = 10, min_documents: int = 2) -> dict[int, dict[str, dict]]:
    """A fit's themes' top words in each of their languages, as stored with the fit: topic → language →
    {"documents": n, "words": [...]} (theme_words_by_language on the fitted documents; outliers left out)."""
    ids = [str(i) for i in range(len(texts))]
    table = theme_words_by_language(pd.DataFrame({"id": ids, "text": texts, "language": languages}),
                                    pd.DataFrame({"doc_id": ids, "topic_id": np.asarray(topics, dtype=int)}),
                                    n=n, min_documents=min_documents, vocabulary=vocabulary)
    out: dict[int, dict[str, dict]] = {}
    for row in table.itertuples(index=False):
        out.setdefault(int(row.topic_id), {})[row.language] = {"documents": int(row.documents),
                                                                "words": list(row.words)}
    return out


def theme_words_by_language(docs: pd.DataFrame, doc_topics: pd.DataFrame, n: int = 10, min_documents: int = 2,
                            vocabulary: ThemeVocabulary | None = None) -> pd.DataFrame:
    """Each theme's top words in each of its languages: topic_id, language, documents, words (list, best first).

    docs: id, text, language; doc_topics: doc_id, topic_id. Within one language, a theme's words are weighted
    by class-based TF-IDF against the other themes' documents in that language (BERTopic's c-TF-IDF), after the
    language's stop words are dropped and each word is counted as the commonest form of its stem
    (`theme_vocabulary`). A theme gets a row for a language only where it has `min_documents` documents in it;
    outliers (topic -1) get none."""
    from sklearn.feature_extraction.text import CountVectorizer

    frame = _joined(docs, doc_topics)
    vocabulary = vocabulary or theme_vocabulary(frame["text"].tolist(), frame["language"].tolist())
    rows = []
    for lang, part in frame.groupby("language", sort=True):
        part = part[part["topic_id"] != -1]
        sizes = part["topic_id"].value_counts()
        if not (sizes >= min_documents).any():
            continue
        ids = sorted(sizes.index)
        joined = [" ".join(vocabulary.text(t) for t in part.loc[part["topic_id"] == i, "text"]) for i in ids]
        counter = CountVectorizer(token_pattern=r"\S+", lowercase=False)
        try:
            counts = counter.fit_transform(joined)
        except ValueError:  # no word at all in this language
            continue
        weights = class_tfidf(counts)
        words = counter.get_feature_names_out()
        for row, topic in enumerate(ids):
            if sizes[topic] < min_documents:
                continue
            order = np.argsort(-weights[row], kind="stable")[:n]
            rows.append({"topic_id": int(topic), "language": lang, "documents": int(sizes[topic]),
                         "words": [str(words[i]) for i in order if weights[row, i] > 0]})
    out = pd.DataFrame(rows, columns=["topic_id", "language", "documents", "words"])
    return out.sort_values(["topic_id", "documents", "language"], ascending=[True, False, True], ignore_index=True)


def class_tfidf(counts: Any) -> np.ndarray:
    """BERTopic's class-based TF-IDF as its fit uses it (`ClassTfidfTransformer(reduce_frequent_words=True)`),
    computed here so that the app weighs a theme's words without importing BERTopic (2–5 s on the first visit to
    the explorer of a multilingual corpus): each class's word counts as shares of the class (l1), square-rooted,
    times log(1 + the classes' average word count / the word's count over every class). Tested equal to
    BERTopic's."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    matrix = sparse.csr_matrix(counts, dtype=np.float64)
    df = np.asarray(matrix.sum(axis=0)).ravel()
    idf = np.log(int(matrix.sum(axis=1).mean()) / df + 1)
    shares = normalize(matrix, axis=1, norm="l1")
    shares.data = np.sqrt(shares.data)
    return np.asarray((shares @ sparse.diags(idf)).todense())
