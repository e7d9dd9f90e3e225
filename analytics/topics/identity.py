"""Identity across refits: a theme keeps its id (and the user's label and merges) when it matches the previous fit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .params import MATCH_THRESHOLD


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


def _centroids_in_space(doc_topics: pd.DataFrame, rows_of: Callable[[Any], np.ndarray], matrix: np.ndarray,
                        topic_ids: list[int]) -> list[np.ndarray]:
    """Unit mean vector, in this model's space, of the documents each topic held: `matrix` holds the documents'
    unit vectors, `rows_of(ids)` their rows (-1: not there)."""
    out = []
    for topic_id in topic_ids:
        rows = rows_of(doc_topics.loc[doc_topics["topic_id"] == topic_id, "doc_id"])
        rows = rows[rows >= 0]
        c = matrix[rows].astype(np.float64).mean(axis=0) if len(rows) else np.zeros(matrix.shape[1])
        out.append(c / (np.linalg.norm(c) or 1))
    return out
