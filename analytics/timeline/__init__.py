"""Timeline analytics: counts with their denominators, shares and intervals — descriptive tables; every claim
about them is a tested finding (`analytics.findings`). Plain functions over DataFrames; no Streamlit, no SQL.

Inputs are tidy frames that `store` produces:
- documents: id, date, source, source_type, language (one row per document; undated documents are dropped here
  and counted by `undated_count`);
- assignments: doc_id, topic_id (one per document; -1 is the outlier topic);
- mentions: doc_id, canonical_id, canonical_name, label, sent_start (one per entity mention).

Every share comes with its denominator (documents in the period) and a Wilson interval, and every period says
whether it is thin (few documents) or incomplete (a partial first or last period, or a gap in collection).

One module per concern: `periods`, `intervals`, `shares` (themes), `actors`, `text`.
"""

from .actors import (
    actor_period_table,
    actor_share_table,
    named_pairs,
    named_share_table,
    pair_code_counts,
    pair_counts,
    platform_share_table,
    pmi_table,
    unit_numbers,
)
from .intervals import wilson_interval
from .periods import (
    MIN_DOCS_PER_PERIOD,
    all_periods,
    at_least,
    check_granularity,
    complete_periods,
    dated,
    default_granularity,
    offered_granularities,
    period_bounds,
    period_flags,
    period_start,
    undated_count,
    volume,
)
from .shares import (
    compare_groups,
    fold_themes,
    outlier_share,
    pooled,
    share_of_voice,
    share_table,
    shares,
    theme_counts,
    voice_table,
)
from .text import (
    ANY_LANGUAGE,
    concordance,
    frame_items,
    frame_languages,
    keyword_in_context,
    lexicon_shares,
    read_lexicon,
)

__all__ = [
    "ANY_LANGUAGE",
    "MIN_DOCS_PER_PERIOD",
    "actor_period_table",
    "actor_share_table",
    "named_share_table",
    "all_periods",
    "at_least",
    "check_granularity",
    "compare_groups",
    "complete_periods",
    "dated",
    "default_granularity",
    "offered_granularities",
    "fold_themes",
    "frame_items",
    "frame_languages",
    "concordance",
    "keyword_in_context",
    "lexicon_shares",
    "outlier_share",
    "named_pairs",
    "pair_code_counts",
    "unit_numbers",
    "pair_counts",
    "period_bounds",
    "period_flags",
    "period_start",
    "platform_share_table",
    "pmi_table",
    "pooled",
    "read_lexicon",
    "share_of_voice",
    "share_table",
    "shares",
    "theme_counts",
    "undated_count",
    "voice_table",
    "volume",
    "wilson_interval",
]
