"""Mentions of an actor in a document dated before the actor existed are not mentions of it.

The alias list may say when an actor began (`active_from`: a platform's launch). In a speech of 1902 "a telegram"
is a message and the "Signal Service" a branch of the army, not the apps: matched by the list, they would draw
Telegram and Signal a century before they were launched. Such a match is dropped; a name the statistical model
found goes back to the model's own reading (as when its alias is removed from the list). Undated documents keep
every mention: nothing says they are older.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema as s
from .. import store
from .extraction import MODEL_LABELS, model_id


def without_anachronisms(mentions: pd.DataFrame, dates: Mapping[str, pd.Timestamp] | pd.Series,
                         active_from: Mapping[str, pd.Timestamp]) -> pd.DataFrame:
    """`mentions` (rows of the entities table) without the ones of an actor dated before it existed: `dates`
    maps each document id to its date (missing or NaT: undated), `active_from` each actor to its first day."""
    if mentions.empty or not active_from:
        return mentions
    begins = mentions[s.CANONICAL_ID].map(active_from)
    dated = pd.to_datetime(mentions[s.DOC_ID].map(dates), errors="coerce")
    early = (begins.notna() & dated.notna() & (dated < begins)).to_numpy(dtype=bool)
    if not early.any():
        return mentions
    out = mentions.copy()
    model = early & (out[s.ORIGIN] == "model+alias").to_numpy()
    if model.any():  # the model found a name there: its own reading, as without the alias
        labels = [label if label in MODEL_LABELS else "ORG" for label in out.loc[model, s.LABEL]]
        texts = out.loc[model, s.TEXT]
        out.loc[model, s.LABEL] = labels
        out.loc[model, s.CANONICAL_ID] = [model_id(label, t) for label, t in zip(labels, texts, strict=True)]
        out.loc[model, s.CANONICAL_NAME] = [t.strip() for t in texts]
        out.loc[model, s.ORIGIN] = "model"
    return out[~(early & ~model)].reset_index(drop=True)


def in_their_time(con: duckdb.DuckDBPyConnection, mentions: pa.Table,
                  active_from: Mapping[str, pd.Timestamp]) -> pa.Table:
    """A batch's mention rows (as the entity stage writes them) without anachronisms; the dates of its documents
    are read from the store only when one of its mentions is of an actor with a first day."""
    if not active_from or not mentions.num_rows:
        return mentions
    dated_actors = pa.array(list(active_from), pa.string())
    if not pc.any(pc.is_in(mentions[s.CANONICAL_ID], value_set=dated_actors)).as_py():
        return mentions
    frame = mentions.to_pandas()
    dates = store.documents(con, columns=[s.ID, s.DATE], ids=frame[s.DOC_ID].unique())
    kept = without_anachronisms(frame, dict(zip(dates[s.ID], dates[s.DATE], strict=True)), active_from)
    return pa.Table.from_pandas(kept, schema=mentions.schema, preserve_index=False)
