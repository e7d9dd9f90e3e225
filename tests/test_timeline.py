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


def test_change_point_planted_at_period_37_is_found_within_one():
    rng = np.random.default_rng(42)
    series = np.r_[rng.normal(0.10, 0.02, 37), rng.normal(0.30, 0.02, 35)]
    found = tl.change_points(pd.Series(series))
    assert len(found) == 1 and abs(found[0] - 37) <= 1


def test_flat_noisy_series_has_no_change_point():
    rng = np.random.default_rng(1)
    assert tl.change_points(pd.Series(rng.normal(0.2, 0.02, 72))) == []


def test_lag_of_two_is_found_and_significant():
    rng = np.random.default_rng(42)
    x = rng.normal(size=80)
    y = np.r_[rng.normal(size=2), x[:-2]] + rng.normal(scale=0.3, size=80)  # y follows x by 2 periods
    result = tl.lead_lag(pd.Series(x), pd.Series(y), max_lag=6, permutations=499)
    assert result["best_lag"] == 2
    assert result["r"] > 0.8
    assert result["p_value"] < 0.01


def test_shuffled_series_show_no_significant_lag_beyond_the_nominal_rate():
    rng = np.random.default_rng(7)
    p_values = []
    for _ in range(20):
        x = rng.normal(size=80)
        y = rng.permutation(np.r_[rng.normal(size=2), x[:-2]])  # the lag structure destroyed
        p_values.append(tl.lead_lag(pd.Series(x), pd.Series(y), max_lag=6, permutations=199)["p_value"])
    assert sum(p < 0.01 for p in p_values) == 0
    assert sum(p < 0.05 for p in p_values) <= 3


def test_planted_burst_is_found():
    counts = pd.Series([2, 3, 2, 2, 3, 2, 15, 18, 16, 2, 3, 2, 2, 3])
    totals = pd.Series([40] * 14)
    state = tl.bursts(counts, totals)
    assert state.tolist() == [False] * 6 + [True] * 3 + [False] * 5


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


def test_emerging_and_fading_ranks_the_planted_riser_first():
    rng = np.random.default_rng(3)
    rows = []
    for i in range(400):
        year = 2016 if i < 200 else 2018
        topic = ("telegram" if rng.random() < (0.1 if year == 2016 else 0.6) else rng.choice(["a", "b", "c"]))
        rows.append({"doc_id": f"d{i}", "date": pd.Timestamp(f"{year}-06-01"), "topic_id": topic})
    ranked = tl.emerging_and_fading(pd.DataFrame(rows), "topic_id", ("2016-01-01", "2017-01-01"),
                                    ("2018-01-01", "2019-01-01"))
    assert ranked.iloc[0]["topic_id"] == "telegram"
    assert ranked.iloc[0]["p_value"] < 1e-6
    assert (ranked.iloc[1:]["log_odds_ratio"] < 0).all()


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


def test_event_impact_names_the_theme_that_rose_after_the_event():
    rows = []
    for i in range(120):
        after = i >= 60
        day = pd.Timestamp("2019-11-22") + pd.Timedelta(days=(i - 60) // 2)
        topic = "migration" if (after and i % 3 != 0) else ("other" if i % 2 else "telegram")
        rows.append({"doc_id": f"d{i}", "date": day, "topic_id": topic})
    events = pd.DataFrame({"date": [pd.Timestamp("2019-11-22")], "label": ["Europol action"]})
    impact = tl.event_impact(pd.DataFrame(rows), events, "topic_id", window_days=30, top=3)
    assert impact.iloc[0]["topic_id"] == "migration" and impact.iloc[0]["after"] > impact.iloc[0]["before"]


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


def test_platform_newcomers_are_the_platforms_first_named_later():
    from analytics import findings

    rows = []
    for year, counts in {2014: {"twitter": 10}, 2015: {"twitter": 8, "telegram": 2},
                         2019: {"telegram": 6, "tamtam": 3, "hoop": 1}}.items():
        total = sum(counts.values())
        for cid, n in counts.items():
            rows.append({"period": pd.Timestamp(f"{year}-01-01"), "canonical_id": cid, "canonical_name": cid.title(),
                         "mentions": n, "platform_total": total, "platform_share": n / total})
    new = findings.platform_newcomers(pd.DataFrame(rows), min_mentions=2)
    assert list(new["canonical_id"]) == ["telegram", "tamtam"]
    assert list(new["period"].dt.year) == [2015, 2019]
    assert new.loc[new["canonical_id"] == "tamtam", "platform_share"].iloc[0] == 0.3


def test_default_granularity_is_the_finest_with_enough_documents():
    rng = np.random.default_rng(0)
    week_feed = pd.Series(pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 365, 2000), unit="D"))
    chronology = pd.Series(pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 7 * 365, 316), unit="D"))
    sparse = pd.Series(pd.Timestamp("1790-01-01") + pd.to_timedelta(rng.integers(0, 234 * 365, 245), unit="D"))
    assert tl.default_granularity(week_feed) == "week"  # about 38 a week
    assert tl.default_granularity(chronology) == "quarter"  # about 11 a quarter, 4 a month
    assert tl.default_granularity(sparse) == "year"


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
    shares = table.sort_values("period")["share"].reset_index(drop=True)
    assert tl.change_points(shares, min_size=2) == [3]  # 2017, the fourth year
    assert (table["ci_low"] <= table["share"]).all() and (table["share"] <= table["ci_high"]).all()
