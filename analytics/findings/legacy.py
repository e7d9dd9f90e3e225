"""`largest_theme_shifts` for the overview page and the report until they ask `Corpus.findings` instead.

It used to print PELT change points on raw shares with no test ("fell from 33 % to 3 % … 2 → 1 documents"). Now it
returns only theme shifts the engine calls significant, in the old columns, so those callers print tested claims
without being edited. Its family of tests is the themes' shifts alone (the callers have no actors or events), so
its q-values can differ from a full `narrative findings` run: the lead replaces the callers at merge.
"""

from __future__ import annotations

import pandas as pd

from .. import schema as s
from .engine import run
from .loader import assignment_items
from .sentences import sentence
from .settings import FindingsSettings

COLUMNS = ["sentence", s.TOPIC_ID, "period", "before", "after", "change", "q_value", "doc_ids"]


def largest_theme_shifts(documents: pd.DataFrame, assignments: pd.DataFrame, labels: dict[int, str],
                         granularity: str = "quarter", top: int = 5, window: int | None = None) -> pd.DataFrame:
    """The significant shifts of theme shares, largest change first, as sentences with their documents.

    `window` is accepted for the old signature and ignored: a shift now compares all periods before with all after.
    """
    found = run(documents, assignment_items(assignments, labels), granularity=granularity,
                settings=FindingsSettings(kinds=("shift",)))
    rows = [{"sentence": sentence(f), s.TOPIC_ID: int(f.subject_id), "period": pd.Timestamp(f.period),
             "before": f.before_share, "after": f.after_share, "change": f.effect, "q_value": f.q_value,
             "doc_ids": list(f.doc_ids)} for f in found if f.significant]
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.reindex(out["change"].abs().sort_values(ascending=False).index).head(top).reset_index(drop=True)
