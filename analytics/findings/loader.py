"""The engine's inputs from a store: the one place to swap for `Corpus` once the read model exists."""

from __future__ import annotations

import pandas as pd

from .. import schema as s
from .. import store
from .counts import SUBJECT, SUBJECT_ID, SUBJECT_TYPE


def load_inputs(con) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(documents, items, events) of an open store: every document, its theme (outliers left out) and the actors
    it names (every canonical actor, those of the alias list included), and the event annotations."""
    documents = store.timeline_documents(con)[[s.ID, s.DATE, s.SOURCE, s.SOURCE_TYPE]]
    parts = []
    run_id = store.topic_run_id(con)
    if run_id is not None:
        assignments = store.doc_topic_table(con, run_id)
        labels = store.topic_table(con, run_id).set_index(s.TOPIC_ID)[s.LABEL]
        themes = assignments[assignments[s.TOPIC_ID] != s.OUTLIER_TOPIC]
        parts.append(pd.DataFrame({
            s.DOC_ID: themes[s.DOC_ID], SUBJECT_TYPE: "theme",
            SUBJECT: themes[s.TOPIC_ID].map(labels).fillna(themes[s.TOPIC_ID].map(lambda t: f"Theme {t}")),
            SUBJECT_ID: themes[s.TOPIC_ID].astype(str)}))
    actors = store.doc_actors(con)
    actors = actors[actors[s.CANONICAL_ID].notna()]
    if len(actors):
        parts.append(pd.DataFrame({s.DOC_ID: actors[s.DOC_ID], SUBJECT_TYPE: "actor",
                                   SUBJECT: actors[s.CANONICAL_NAME], SUBJECT_ID: actors[s.CANONICAL_ID]}))
    items = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=[s.DOC_ID, SUBJECT_TYPE, SUBJECT, SUBJECT_ID])
    return documents, items, store.events(con)


def assignment_items(assignments: pd.DataFrame, labels: dict[int, str]) -> pd.DataFrame:
    """Items of the themes alone, from (doc_id, topic_id) assignments and their labels (outliers left out)."""
    themes = assignments[assignments[s.TOPIC_ID] != s.OUTLIER_TOPIC]
    return pd.DataFrame({
        s.DOC_ID: themes[s.DOC_ID].to_numpy(), SUBJECT_TYPE: "theme",
        SUBJECT: [labels.get(int(t), f"Theme {t}") for t in themes[s.TOPIC_ID]],
        SUBJECT_ID: themes[s.TOPIC_ID].astype(str).to_numpy()})
