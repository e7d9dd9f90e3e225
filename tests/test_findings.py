"""The findings engine end to end: evidence minimums, one correction, the evidence kept, sentences, JSON, events
close together tested once, an actor's own documents left out of its share of voice, and `narrative findings`."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analytics import findings
from analytics.cli import main
from analytics.findings import calibration
from analytics.findings.engine import FAMILIES
from analytics.findings.finding import Finding
from analytics.multiple_testing import q_values_by_family


def _step_corpus(seed: int = 42, periods: int = 16, per_period: int = 60, before: float = 0.08,
                 after: float = 0.30) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quarterly documents; "Telegram" steps from `before` to `after` at the middle; "noise" stays at 0.15."""
    rng = np.random.default_rng(seed)
    starts = pd.date_range("2014-01-01", periods=periods, freq="QS")
    docs, items = [], []
    for t, start in enumerate(starts):
        for i in range(per_period):
            doc_id = f"q{t:02d}-{i:03d}"
            docs.append({"id": doc_id, "date": start + pd.Timedelta(days=int(rng.integers(0, 85))),
                         "source": f"outlet {i % 4}", "source_type": "news" if i % 2 else "social"})
            if rng.random() < (before if t < periods // 2 else after):
                items.append({"doc_id": doc_id, "subject_type": "actor", "subject": "Telegram",
                              "subject_id": "telegram"})
            if rng.random() < 0.15:
                items.append({"doc_id": doc_id, "subject_type": "theme", "subject": "noise", "subject_id": "7"})
    return pd.DataFrame(docs), pd.DataFrame(items)


def test_a_planted_step_is_a_significant_shift_with_its_counts_and_documents():
    documents, items = _step_corpus()
    found = findings.run(documents, items, granularity="quarter")
    shifts = [f for f in found if f.kind == "shift" and f.subject == "Telegram" and f.significant]
    assert shifts, "the planted step was not found"
    top = min(shifts, key=lambda f: f.q_value)
    assert top.period == "2016-01-01" and top.subject_type == "actor" and top.effect > 0.15
    ids = set(items.loc[items["subject_id"] == "telegram", "doc_id"])
    assert set(top.doc_ids) == ids  # the evidence: every Telegram document of the two sides
    assert top.before_count + top.after_count == len(ids)
    assert top.before_total + top.after_total == len(documents) == top.n_documents
    sentence = findings.sentence(top)
    assert f"{top.before_count} of {top.before_total} documents" in sentence
    assert f"{top.after_count} of {top.after_total} documents" in sentence
    assert "rose" in sentence and "2016 Q1" in sentence and "q < 0.001" in sentence


def test_q_values_come_from_one_correction_over_every_test_of_the_run():
    """One correction over every test, split by family: the Telegram step (a change over time) does not lend its
    strength to the share-of-voice and lead tests."""
    documents, items = _step_corpus()
    found = findings.run(documents, items, granularity="quarter")
    assert {f.kind for f in found} >= {"shift", "share_of_voice"}
    assert set(FAMILIES) == set(findings.FindingsSettings().kinds)
    expected = q_values_by_family([f.p_value for f in found], [FAMILIES[f.kind] for f in found], "bh")
    assert [f.q_value for f in found] == pytest.approx(list(expected))
    assert all(f.significant == (f.q_value < 0.05) for f in found)
    by = findings.run(documents, items, granularity="quarter", settings=findings.FindingsSettings(correction="by"))
    assert sum(f.significant for f in by) <= sum(f.significant for f in found)


def test_two_documents_are_never_a_finding():
    """The old overview led with a theme that 'fell from 33 % to 3 %' on 2 → 1 documents."""
    documents, items = _step_corpus()
    tiny = pd.DataFrame({"doc_id": documents["id"].iloc[[0, 1, 500]], "subject_type": "theme",
                         "subject": "Grievances", "subject_id": "3"})
    found = findings.run(documents, pd.concat([items, tiny]), granularity="quarter")
    assert not [f for f in found if f.subject == "Grievances"]


def test_null_corpus_gives_no_significant_finding_and_every_test_is_listed():
    corpus = calibration.null_corpus(3, calibration.Design(periods=36, null_subjects=8, events=4))
    found = findings.run(corpus.documents, corpus.items, corpus.events, corpus.granularity)
    assert len(found) > 30
    assert {"shift", "event_impact", "lead_lag", "share_of_voice"} <= {f.kind for f in found}
    assert not [f for f in found if f.significant]


def test_kinds_setting_limits_what_is_tested():
    documents, items = _step_corpus()
    found = findings.run(documents, items, granularity="quarter",
                         settings=findings.FindingsSettings(kinds=("shift",)))
    assert found and {f.kind for f in found} == {"shift"}
    with pytest.raises(ValueError, match="unknown findings kinds"):
        findings.FindingsSettings(kinds=("migration",))


def test_share_of_voice_with_two_source_types_is_one_test_per_subject():
    documents, items = _step_corpus()
    found = [f for f in findings.run(documents, items, granularity="quarter") if f.kind == "share_of_voice"]
    assert sorted(f.subject for f in found) == ["Telegram", "noise"]


def test_event_impact_names_the_event_and_compares_the_days_around_it():
    documents, items = _step_corpus()
    events = pd.DataFrame({"date": [pd.Timestamp("2016-01-01")], "label": ["Platform purge"]})
    found = [f for f in findings.run(documents, items, events, "quarter") if f.kind == "event_impact"]
    telegram = next(f for f in found if f.subject == "Telegram")
    assert telegram.details["event"] == "Platform purge" and telegram.period == "2016-01-01"
    day = pd.Timestamp("2016-01-01")
    window = documents[(documents["date"] >= day - pd.Timedelta(days=90)) & (documents["date"] < day)]
    assert telegram.before_total == len(window)
    assert "After “Platform purge” (1 Jan 2016), “Telegram” rose from" in findings.sentence(telegram)


def test_events_less_than_a_month_apart_are_one_test_named_together():
    """Two events 8 days apart with 90-day windows would test nearly the same documents twice (the cause of two
    false findings in one shuffled corpus): they are one test, anchored at the first, naming both."""
    documents, items = _step_corpus()
    events = pd.DataFrame({"date": pd.to_datetime(["2016-01-01", "2016-01-09", "2016-03-15"]),
                           "label": ["Platform purge", "Second purge", "Later event"]})
    found = [f for f in findings.run(documents, items, events, "quarter") if f.kind == "event_impact"]
    telegram = sorted((f for f in found if f.subject == "Telegram"), key=lambda f: f.period)
    assert [f.period for f in telegram] == ["2016-01-01", "2016-03-15"]  # 73 days apart: separate tests
    assert [e["event"] for e in telegram[0].details["events_with_it"]] == ["Second purge"]
    assert "“Platform purge” (1 Jan 2016) and “Second purge” (9 Jan 2016), tested together" in telegram[0].sentence
    from analytics.findings.windows import event_groups

    days = pd.DataFrame({"date": pd.to_datetime(["2016-01-01", "2016-01-20", "2016-02-05", "2016-02-20"])})
    assert [len(g) for g in event_groups(days, 30)] == [2, 2]  # each group anchored at its first event


def test_an_actors_own_documents_are_left_out_of_its_share_of_voice():
    """Europol's statements name Europol: without them, Europol takes no larger share in statements."""
    from analytics.findings.share_of_voice import own_sources

    assert own_sources("The Guardian", ["The Guardian", "Guardian", "Guardian Angels", "BBC"]) == [
        "The Guardian", "Guardian", "Guardian Angels"]
    assert own_sources("BBC", ["BBC News", "The BBC", "CBBC"]) == ["BBC News", "The BBC"]
    rng = np.random.default_rng(5)
    docs, items = [], []
    for t, start in enumerate(pd.date_range("2014-01-01", periods=12, freq="QS")):
        for i in range(80):
            doc_id = f"d{t:02d}{i:03d}"
            own = i < 10  # Europol's own statements, every one naming Europol
            kind = "statement" if own or i % 2 else "news"
            docs.append({"id": doc_id, "date": start + pd.Timedelta(days=int(rng.integers(0, 85))),
                         "source": "Europol" if own else f"outlet {i % 5}", "source_type": kind})
            if own or rng.random() < 0.1:
                items.append({"doc_id": doc_id, "subject_type": "actor", "subject": "Europol",
                              "subject_id": "europol"})
    found = findings.run(pd.DataFrame(docs), pd.DataFrame(items), granularity="quarter",
                         settings=findings.FindingsSettings(kinds=("share_of_voice",)))
    europol = next(f for f in found if f.subject == "Europol")
    assert europol.details["own_sources_left_out"] == ["Europol"]
    assert europol.before_total + europol.after_total == len(docs) - 120
    assert not europol.significant


def test_json_object_has_the_issue_keys_first():
    documents, items = _step_corpus()
    record = findings.run(documents, items, granularity="quarter")[0].to_dict()
    assert list(record)[:len(findings.JSON_KEYS)] == list(findings.JSON_KEYS)
    json.dumps(record)  # serialisable as it is
    assert isinstance(record["doc_ids"], list) and isinstance(record["significant"], bool)


def test_sentences_are_plain_and_say_when_a_test_is_not_significant():
    f = Finding(kind="shift", subject="Telegram", subject_type="actor", subject_id="telegram", test="t",
                p_value=0.2, effect=0.24, effect_name="", n_documents=250, doc_ids=("a",), granularity="month",
                period="2016-07-01", before_count=9, before_total=120, after_count=41, after_total=130,
                before_label="Jan 2015–Jun 2016", after_label="Jul 2016–Dec 2017", q_value=0.3, significant=False)
    text = findings.sentence(f)
    assert text == ("“Telegram” rose from 9 of 120 documents (8 %) in Jan 2015–Jun 2016 to 41 of 130 documents "
                    "(32 %) in Jul 2016–Dec 2017 (change from Jul 2016); q = 0.30, not significant.")


def test_migration_findings_pick_significant_platform_claims_in_time_order():
    documents, items = _step_corpus()
    found = findings.run(documents, items, granularity="quarter")
    picked = findings.platforms.migration_findings(found, {"telegram"})
    assert picked and all(f.significant and f.subject_id == "telegram" for f in picked)
    assert [f.period for f in picked] == sorted(f.period for f in picked)


def test_settings_are_declared_once_in_config_with_help():
    from analytics import config

    table = findings.settings_table()
    assert {name for name, _, _ in table} == set(findings.SETTING_NAMES) and len(table) >= 15
    defaults = findings.FindingsSettings()
    for name, default, help_text in table:
        assert help_text and config.SETTINGS[name].default == default == getattr(defaults, name)


def test_readme_states_how_findings_are_tested():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "## How findings are tested" in readme
    assert findings.HOW_FINDINGS_ARE_TESTED.strip() in readme


@pytest.fixture(scope="module")
def analysed_store(tmp_path_factory):
    """A real store with planted findings (tests/findings_store.py) and the ids of its Telegram documents."""
    from findings_store import build_findings_store, planted_documents

    docs = planted_documents()
    db = build_findings_store(tmp_path_factory.mktemp("findings") / "store.duckdb")
    return db, {d for d, actors in zip(docs["id"], docs["actors"], strict=True) if "telegram" in actors}


def test_narrative_findings_json_lists_every_test_with_the_issue_keys(analysed_store):
    db, telegram = analysed_store
    result = CliRunner().invoke(main, ["findings", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert records, "no hypothesis was tested on the app store"
    assert all(set(findings.JSON_KEYS) <= set(r) for r in records)
    assert all((r["q_value"] is None) or (0 <= r["q_value"] <= 1) for r in records)
    shift = next(r for r in records if r["kind"] == "shift" and r["subject"] == "Telegram")
    assert shift["significant"] and shift["period"] == "2016-01-01" and set(shift["doc_ids"]) == telegram
    assert {r["kind"] for r in records} >= {"shift", "event_impact", "share_of_voice"}
    assert {"theme", "actor", "frame"} == {r["subject_type"] for r in records}
    assert "noise" in {r["subject"] for r in records}  # themes from the topic run, outliers left out
    assert "outliers" not in {r["subject"] for r in records}


def test_narrative_findings_text_says_how_many_were_tested(analysed_store):
    db, _ = analysed_store
    result = CliRunner().invoke(main, ["findings", "--granularity", "month", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "hypotheses tested by month" in lines[0] and "significant" in lines[0]
    assert any(line.startswith("* [shift] “Telegram” rose from") for line in lines)
    assert len(lines) - 1 == int(lines[0].split()[0])  # every tested hypothesis is printed


def test_period_spans_read_plainly():
    from analytics.findings.sentences import span_name

    first, last = pd.Timestamp("2014-02-17"), pd.Timestamp("2014-05-05")
    assert span_name(first, last, "week") == "the weeks of 17 Feb 2014 to 5 May 2014"
    assert span_name(pd.Timestamp("2016-07-01"), pd.Timestamp("2017-01-01"), "quarter") == "2016 Q3–2017 Q1"
    assert span_name(first, first, "month") == "Feb 2014"
