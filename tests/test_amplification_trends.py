"""Hashtags, domains and mentions over time: counts against every post of the period, and emerging ones tested."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from social_corpus import social_corpus

from analytics.amplification import AmplificationInputError
from analytics.amplification.trends import emerging_traces, top_per_period, trace_shares


def _rising_corpus(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four weeks of posts; #steady in 10 % of posts throughout, #rising in 2 % for three weeks then 15 %."""
    rng = np.random.default_rng(seed)
    n = 4000
    offsets = np.sort(rng.uniform(0, 28 * 86_400, n))
    posts = pd.DataFrame({"id": [f"d{i}" for i in range(n)], "source": "acc",
                          "date": pd.Timestamp("2024-04-01") + pd.to_timedelta(offsets, unit="s")})
    late = offsets >= 21 * 86_400
    rising = rng.random(n) < np.where(late, 0.15, 0.02)
    steady = rng.random(n) < 0.10
    rows = [(d, "hashtag", "#rising", 0) for d in posts["id"][rising]]
    rows += [(d, "hashtag", "#steady", 1) for d in posts["id"][steady]]
    return posts, pd.DataFrame(rows, columns=["doc_id", "kind", "value", "position"])


def test_shares_count_documents_out_of_every_post_of_the_period():
    posts, traces = _rising_corpus(1)
    table = trace_shares(posts, traces, "hashtag", granularity="week", top=None)
    weeks = posts["date"].dt.to_period("W-SUN").dt.start_time
    for row in table.itertuples(index=False):
        in_week = posts["id"][weeks == row.period]
        carriers = traces[(traces["value"] == row.value) & traces["doc_id"].isin(in_week)]
        assert row.count == carriers["doc_id"].nunique()
        assert row.total == len(in_week)
        assert row.ci_low <= row.share <= row.ci_high
    assert set(table["value"]) == {"#rising", "#steady"}


def test_top_limits_the_values_and_keeps_empty_periods():
    posts = pd.DataFrame({"id": list("abcdef"), "date": pd.to_datetime(
        ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-20", "2024-01-21", "2024-01-22"])})
    traces = pd.DataFrame({"doc_id": list("abcdef"), "kind": "domain",
                           "value": ["x.example", "x.example", "y.example", "x.example", "z.example", "y.example"]})
    table = trace_shares(posts, traces, "domain", granularity="week", top=2)
    assert set(table["value"]) == {"x.example", "y.example"}  # z has one post; y and x more
    assert len(table) == 4 * 2  # four weeks from first to last, two values each
    empty = table[table["total"] == 0]  # the week of 8 January has no posts: a gap, kept as rows
    assert empty["period"].unique().tolist() == [pd.Timestamp("2024-01-08")] and (empty["count"] == 0).all()
    top = top_per_period(posts, traces, "domain", granularity="week", n=1)
    assert top["value"].tolist() == ["x.example", "x.example", "y.example"]
    assert top["share"].tolist() == pytest.approx([2 / 3, 1 / 2, 1.0])


def test_a_rising_hashtag_is_called_emerging_with_its_documents():
    posts, traces = _rising_corpus(2)
    table = emerging_traces(posts, traces, "hashtag", split="2024-04-22").set_index("value")
    assert table.loc["#rising", "direction"] == "emerging" and table.loc["#rising", "q_value"] < 0.05
    assert table.loc["#steady", "direction"] == "none"
    late = set(posts["id"][posts["date"] >= "2024-04-22"])
    docs = table.loc["#rising", "doc_ids"]
    assert set(docs) <= late and len(docs) == table.loc["#rising", "after"]
    assert table.loc["#rising", "after_total"] == len(late)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stationary_hashtags_are_not_called_emerging(seed):
    data = social_corpus(seed, n_planted=0)
    table = emerging_traces(data.posts, data.traces, "hashtag", split="2024-03-11")
    assert len(table) > 50
    assert (table["direction"] == "none").all()


def test_a_split_outside_the_corpus_is_refused_plainly():
    posts, traces = _rising_corpus(3)
    with pytest.raises(AmplificationInputError, match="leaves no posts on one side"):
        emerging_traces(posts, traces, "hashtag", split="2030-01-01")


def test_unknown_kind_is_refused():
    posts, traces = _rising_corpus(3)
    with pytest.raises(AmplificationInputError, match="unknown trace kind 'hashtags'"):
        trace_shares(posts, traces, "hashtags")
