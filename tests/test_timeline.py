"""Timeline analytics on data with planted, known answers."""

from __future__ import annotations

import numpy as np
import oracles
import pandas as pd
import pytest
from scipy.stats import binomtest

from analytics import timeline as tl


def _docs(dates, **cols):
    n = len(dates)
    return pd.DataFrame({"id": [f"d{i}" for i in range(n)], "date": pd.to_datetime(dates), **cols})


def test_wilson_matches_reference_computation():
    for k, n in [(0, 10), (3, 10), (10, 10), (45, 200), (1, 3)]:
        low, high = tl.wilson_interval(k, n)
        ref = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert float(low) == pytest.approx(ref.low, abs=1e-6)
        assert float(high) == pytest.approx(ref.high, abs=1e-6)


def test_shares_sum_to_one_per_period_with_denominators_and_flags():
    dates = ["2019-01-05"] * 6 + ["2019-02-10"] * 2 + ["2019-04-03"] * 8 + ["2019-05-02"]
    docs = _docs(dates)
    assign = pd.DataFrame({"doc_id": docs["id"], "topic_id": [0, 0, 1, 1, 1, -1, 0, 1, 0, 0, 0, 0, 1, 1, -1, 0, 1]})
    table = tl.shares(docs, assign, "month")
    sums = table.groupby("period")["share"].sum()
    filled = table.drop_duplicates("period").set_index("period")["total"]
    assert filled.to_dict() == {pd.Timestamp("2019-01-01"): 6, pd.Timestamp("2019-02-01"): 2,
                                pd.Timestamp("2019-03-01"): 0, pd.Timestamp("2019-04-01"): 8,
                                pd.Timestamp("2019-05-01"): 1}
    assert np.allclose(sums[filled > 0], 1.0)
    flags = table.drop_duplicates("period").set_index("period")
    assert flags.loc["2019-02-01", "thin"] and not flags.loc["2019-04-01", "thin"]
    assert flags.loc["2019-03-01", "incomplete"]  # a gap in collection
    assert flags.loc["2019-05-01", "incomplete"]  # the last month ends on the 2nd
    jan = table[(table.period == "2019-01-01") & (table.topic_id == 1)].iloc[0]
    assert (jan["count"], jan["total"]) == (3, 6) and jan["ci_low"] < 0.5 < jan["ci_high"]
    outliers = tl.outlier_share(docs, assign, "month").set_index("period")
    assert outliers.loc["2019-01-01", "share"] == pytest.approx(1 / 6)


def test_undated_documents_are_skipped_and_counted():
    docs = _docs(["2019-01-01", None, "2019-01-03"])
    assert tl.undated_count(docs) == 1
    assert tl.volume(docs, "month")["count"].sum() == 2


def test_platform_shares_show_the_migration():
    dates = ["2015-01-10"] * 4 + ["2017-01-10"] * 4 + ["2019-12-10"] * 4
    docs = _docs(dates)
    platforms = ["twitter"] * 3 + ["telegram"] + ["telegram"] * 3 + ["twitter"] + ["tamtam"] * 3 + ["telegram"]
    mentions = pd.DataFrame({"doc_id": docs["id"], "canonical_id": platforms, "canonical_name": platforms,
                             "label": "PLATFORM", "sent_start": 0})
    table = oracles.platform_shares(docs, mentions, "year")
    table = table[table["platform_total"] > 0]
    leader = table.sort_values("platform_share").groupby("period").tail(1).set_index("period")["canonical_id"]
    assert leader.to_dict() == {pd.Timestamp("2015-01-01"): "twitter", pd.Timestamp("2017-01-01"): "telegram",
                                pd.Timestamp("2019-01-01"): "tamtam"}
    assert np.allclose(table.groupby("period")["platform_share"].sum(), 1.0)


def test_share_of_voice_lift_marks_the_outlet_that_carries_a_theme():
    docs = _docs(["2019-01-01"] * 20, source=["A"] * 10 + ["B"] * 10)
    assign = pd.DataFrame({"doc_id": docs["id"], "topic_id": [0] * 9 + [1] + [1] * 9 + [0]})
    sov = tl.share_of_voice(docs, assign).set_index(["source", "topic_id"])
    assert sov.loc[("A", 0), "count"] == 9
    assert sov.loc[("A", 0), "lift"] == pytest.approx(9 / 5)
    assert sov.loc[("A", 0), "residual"] > 0 > sov.loc[("B", 0), "residual"]


def test_cooccurrence_counts_and_pmi():
    docs = _docs(["2019-01-01"] * 4)
    mentions = pd.DataFrame({
        "doc_id": ["d0", "d0", "d1", "d1", "d2", "d3"],
        "canonical_id": ["is", "telegram", "is", "telegram", "is", "europol"],
        "canonical_name": ["IS", "Telegram", "IS", "Telegram", "IS", "Europol"],
        "label": "X", "sent_start": 0,
    })
    pairs = oracles.cooccurrence(docs, mentions, min_count=1)
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert (row["a"], row["b"], row["count"]) == ("is", "telegram", 2)
    assert row["pmi"] == pytest.approx(np.log((2 / 4) / ((3 / 4) * (2 / 4))))


def test_keyword_in_context_returns_each_sentence_with_offsets():
    docs = pd.DataFrame({"id": ["a"], "date": [pd.Timestamp("2019-01-01")], "source": ["X"],
                         "text": ["Telegram removed bots. Nothing here. Supporters left telegram for TamTam."]})
    kwic = tl.keyword_in_context(docs, "telegram")
    assert kwic["sentence"].tolist() == ["Telegram removed bots.", "Supporters left telegram for TamTam."]
    text = docs["text"][0]
    assert all(text[a:b].lower() == "telegram" for a, b in zip(kwic.match_start, kwic.match_end, strict=True))


def test_compare_groups_puts_two_outlets_on_the_same_axes():
    docs = _docs(["2019-01-01"] * 4 + ["2019-04-01"] * 4, source=["A", "A", "B", "B"] * 2)
    assign = pd.DataFrame({"doc_id": docs["id"], "topic_id": [0, 0, 1, 1, 0, 1, 1, 1]})
    table = tl.compare_groups(docs, assign, "source", "A", "B", "quarter")
    q1 = table[(table.period == "2019-01-01") & (table.topic_id == 0)].iloc[0]
    assert (q1["share_A"], q1["share_B"], q1["difference"]) == (1.0, 0.0, 1.0)


def test_default_granularity_is_the_finest_with_enough_documents():
    rng = np.random.default_rng(0)
    week_feed = pd.Series(pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 365, 2000), unit="D"))
    chronology = pd.Series(pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 7 * 365, 316), unit="D"))
    sparse = pd.Series(pd.Timestamp("1790-01-01") + pd.to_timedelta(rng.integers(0, 234 * 365, 245), unit="D"))
    assert tl.default_granularity(week_feed) == "week"  # about 38 a week
    assert tl.default_granularity(chronology) == "quarter"  # about 11 a quarter, 4 a month
    assert tl.default_granularity(sparse) == "year"
    # seven years of the same feed: 366 weeks would be a few pixels each, so months (84) come first; two years of
    # it (105 weeks) still read by week
    long_feed = pd.Series(pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 7 * 365, 14000), unit="D"))
    assert tl.default_granularity(long_feed) == "month"
    assert tl.default_granularity(long_feed, max_periods=400) == "week"
    two_years = long_feed[long_feed < pd.Timestamp("2016-01-01")]
    assert tl.default_granularity(two_years) == "week"
    assert "week" in tl.offered_granularities(long_feed)  # still offered to a reader who wants it


def test_lexicon_shares_count_documents_using_a_frames_words():
    rng = np.random.default_rng(3)
    rows = []
    for year in range(2014, 2021):
        for i in range(40):
            use = rng.random() < (0.05 if year < 2017 else 0.5)
            text = "The group lost ground; analysts noted its attrition." if use else "The group published a video."
            rows.append({"id": f"{year}-{i}", "date": pd.Timestamp(f"{year}-06-01"), "text": text})
    docs = pd.DataFrame(rows)
    table = tl.lexicon_shares(docs, {"endurance": ["attrition", "patience"]}, "year")
    assert set(table["total"]) == {40}
    for r in table.itertuples():
        expected = docs[(docs["date"].dt.year == r.period.year) & docs["text"].str.contains("attrition")]["id"]
        assert sorted(r.doc_ids) == sorted(expected) and r.count == len(expected)
    items = tl.frame_items(docs, {"endurance": ["attrition", "patience"]})
    assert sorted(items["doc_id"]) == sorted(docs.loc[docs["text"].str.contains("attrition"), "id"])
    assert (table["ci_low"] <= table["share"]).all() and (table["share"] <= table["ci_high"]).all()


def test_pair_counts_do_not_depend_on_how_units_are_numbered():
    """Units numbered three ways (small codes used as they are, sorted units by their runs, anything else hashed)
    give the same pairs: the same rows as small document codes, as large sparse keys in sorted order, shuffled."""
    rng = np.random.default_rng(7)
    units = rng.integers(0, 400, 3000)
    actors = rng.integers(0, 30, 3000)
    rows = pd.DataFrame({"period": pd.Timestamp("2020-01-01"), "unit": units, "actor": actors}).drop_duplicates(
        ["unit", "actor"])
    def pairs(units: pd.DataFrame) -> pd.DataFrame:  # in a fixed order: the order of the rows is not promised
        return tl.pair_code_counts(units, min_count=2).sort_values(["a", "b"], ignore_index=True)

    small = pairs(rows)
    assert len(small) > 20 and (small["units"] == rows["unit"].nunique()).all()
    sparse_keys = rows.assign(unit=rows["unit"] * 4294967296 + 17).sort_values("unit", kind="stable")
    shuffled = sparse_keys.sample(frac=1, random_state=3)
    for other in (sparse_keys, shuffled):
        assert tl.unit_numbers(other["unit"].to_numpy())[1] == rows["unit"].nunique()
        pd.testing.assert_frame_equal(pairs(other), small)
