"""Agreement between two analysed stores of the same documents (e.g. the plain and the int8 quality profile):
NMI between their themes, the cosine between their passage vectors, and, where the documents carry a known
theme (the demo corpus's `theme` field, or a planted corpus's labels file), each fit's NMI with it.

    python -m benchmarks.agreement PLAIN.duckdb INT8.duckdb [--labels corpus.labels.csv]

The noise floor to read the NMI against: `--refit-seed 43` fits store A's own vectors again with another seed
(in a copy) and prints the NMI between A's two fits — what a change of seed alone does.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score


def fit_of(con) -> pd.DataFrame:
    """doc_id → topic_id of the store's current fit."""
    from analytics import store

    return store.doc_topic_table(con, store.topic_run_id(con))[["doc_id", "topic_id"]].set_index("doc_id")


def known_themes(con, labels: Path | None) -> pd.Series | None:
    """The written or planted theme of each document, where known."""
    from analytics import store

    if labels is not None:  # keyed by the CSV's id, which the store keeps as the external id
        planted = pd.read_csv(labels, usecols=["id", "theme"]).set_index("id")["theme"]
        ids = store.documents(con, columns=["id", "external_id"])
        return pd.Series(ids["external_id"].map(planted).to_numpy(), index=ids["id"]).dropna()

    docs = store.documents(con, columns=["id", "metadata"])
    themes = docs["metadata"].map(lambda m: json.loads(m or "{}").get("theme"))
    return pd.Series(themes.to_numpy(), index=docs["id"]) if themes.notna().all() else None


def vector_cosines(con_a, con_b) -> np.ndarray:
    """Cosine between the two stores' vectors of the same passages (matched by document and passage number)."""
    from analytics import store

    def vectors(con) -> pd.DataFrame:
        model = store.last_run(con, "topics")["params"]["backend"]
        from analytics.embeddings import get_backend

        name = get_backend(model).name
        ids = store.documents(con, columns=["id"])["id"].tolist()
        return store.cached_embeddings(con, name, ids).set_index(["doc_id", "passage"])["vector"]

    a, b = vectors(con_a), vectors(con_b)
    common = a.index.intersection(b.index)
    va = np.vstack([np.asarray(v, dtype=np.float64) for v in a.loc[common]])
    vb = np.vstack([np.asarray(v, dtype=np.float64) for v in b.loc[common]])
    va /= np.linalg.norm(va, axis=1, keepdims=True)
    vb /= np.linalg.norm(vb, axis=1, keepdims=True)
    return (va * vb).sum(axis=1)


def refit_nmi(path: Path, seed: int) -> float:
    """NMI between a store's fit and a fit of the same vectors with another seed (in a copy of the store)."""
    from analytics import store, topics

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.duckdb"
        shutil.copy(path, copy)
        with store.opened(copy) as con:
            before = fit_of(con)
            backend = store.last_run(con, "topics")["params"]["backend"]
            topics.run_topics(con, refit=True, params=topics.TopicParams(backend=backend, seed=seed))
            after = fit_of(con)
    joined = before.join(after, lsuffix="_a", rsuffix="_b", how="inner")
    return float(normalized_mutual_info_score(joined["topic_id_a"], joined["topic_id_b"]))


def compare(path_a: Path, path_b: Path, labels: Path | None = None) -> dict:
    """The agreement figures of two stores."""
    from analytics import store

    with store.opened(path_a, read_only=True) as con_a, store.opened(path_b, read_only=True) as con_b:
        fit_a, fit_b = fit_of(con_a), fit_of(con_b)
        joined = fit_a.join(fit_b, lsuffix="_a", rsuffix="_b", how="inner")
        cos = vector_cosines(con_a, con_b)
        truth = known_themes(con_a, labels)
        out = {"documents": len(joined),
               "topics_a": int(fit_a["topic_id"][fit_a["topic_id"] >= 0].nunique()),
               "topics_b": int(fit_b["topic_id"][fit_b["topic_id"] >= 0].nunique()),
               "outliers_a": round(float((fit_a["topic_id"] == -1).mean()), 4),
               "outliers_b": round(float((fit_b["topic_id"] == -1).mean()), 4),
               "nmi_a_b": round(float(normalized_mutual_info_score(joined["topic_id_a"], joined["topic_id_b"])), 4),
               "passages_compared": len(cos),
               "cosine_mean": round(float(cos.mean()), 4) if len(cos) else None,
               "cosine_p05": round(float(np.quantile(cos, 0.05)), 4) if len(cos) else None,
               "cosine_min": round(float(cos.min()), 4) if len(cos) else None}
        if truth is not None:
            for side, fit in (("a", fit_a), ("b", fit_b)):
                both = fit.join(truth.rename("theme"), how="inner")
                out[f"nmi_{side}_known_themes"] = round(float(normalized_mutual_info_score(both["theme"],
                                                                                           both["topic_id"])), 4)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store_a", type=Path)
    parser.add_argument("store_b", type=Path)
    parser.add_argument("--labels", type=Path, help="planted labels (benchmarks.planted_corpus writes them)")
    parser.add_argument("--refit-seed", type=int, help="also fit store A's vectors with this seed: the noise floor")
    args = parser.parse_args()
    figures = compare(args.store_a, args.store_b, args.labels)
    if args.refit_seed is not None:
        figures[f"nmi_a_vs_a_seed_{args.refit_seed}"] = round(refit_nmi(args.store_a, args.refit_seed), 4)
    for key, value in figures.items():
        print(f"{key:<28} {value}")


if __name__ == "__main__":
    main()
