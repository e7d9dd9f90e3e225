"""What an analysis stored, as sorted rows: two ways of running the same analysis (on Dask, beside the theme fit,
one stage after the other) are compared by these."""

from __future__ import annotations

from analytics import store


def analysis_rows(con) -> dict:
    """Mentions, processed marks and the current fit's themes of a store, each as sorted rows."""
    run = store.topic_run_id(con)
    return {
        "entities": sorted(con.execute("SELECT doc_id, start_char, end_char, sent_start, canonical_id, label "
                                       "FROM entities").fetchall()),
        "processed": sorted(con.execute("SELECT doc_id, version FROM processed").fetchall()),
        "doc_topics": sorted(con.execute("SELECT doc_id, topic_id FROM doc_topics WHERE run_id = ?", [run])
                             .fetchall()),
    }
