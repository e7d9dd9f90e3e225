"""Every `narrative` command through click's CliRunner, on small stores with known content; the ones that load
models are marked slow. Options take their defaults from the settings."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from apptest_store import XSS_TITLE, build_app_store, multilingual_store
from click.testing import CliRunner

from analytics import Corpus, cli, config, store

BODY = "Telegram removed the channels after the referral action as researchers said in their weekly report."


@pytest.fixture(scope="module")
def app_store(tmp_path_factory):
    return build_app_store(tmp_path_factory.mktemp("cli") / "app.duckdb")


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args, ok: bool = True):
    result = runner.invoke(cli.main, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result


@pytest.mark.flow  # five commands in a row on one store
def test_ingest_status_rejects_export_and_migrate(runner, tmp_path):
    data = tmp_path / "posts.csv"
    data.write_text("date,source,text\n" + f"2016-01-05,Outlet A,{BODY}\n" + "yesterday,Outlet B,No date here.\n"
                    + f"2016-02-01,Outlet A,{BODY} Second.\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    out = invoke(runner, "ingest", data, "--db", db).output
    assert "read 3, stored 2" in out and "rejected 1" in out
    status = invoke(runner, "status", "--db", db).output
    assert "documents 2" in status and "Outlet A" in status and "last ingest run #" in status
    rejects = invoke(runner, "rejects", "--db", db).output
    assert "posts.csv" in rejects and "date" in rejects
    invoke(runner, "export", "documents", tmp_path / "docs.csv", "--db", db)
    assert len(pd.read_csv(tmp_path / "docs.csv")) == 2
    assert "already at schema version" in invoke(runner, "migrate", "--db", db).output
    with store.opened(db) as con:
        con.execute("DELETE FROM schema_version WHERE version = ?", [store.SCHEMA_VERSION])
    refused = invoke(runner, "status", "--db", db, ok=False).output
    assert "narrative migrate" in refused and "(E103)" in refused and "Traceback" not in refused
    assert f"{store.SCHEMA_VERSION - 1} → {store.SCHEMA_VERSION}" in invoke(runner, "migrate", "--db", db).output
    assert "documents 2" in invoke(runner, "status", "--db", db).output


def test_a_missing_store_is_one_line_with_the_fix(runner, tmp_path):
    out = invoke(runner, "report", tmp_path / "r.html", "--db", tmp_path / "none.duckdb", ok=False).output
    assert out.strip().splitlines() == [f"Error: {tmp_path / 'none.duckdb'}: no store here — run `narrative ingest "
                                        "PATH` (or `narrative demo`) first (E101)"]


@pytest.mark.flow
def test_report_holds_the_corpus_figures_and_no_script(runner, app_store, tmp_path):
    out = tmp_path / "report.html"
    invoke(runner, "report", out, "--db", app_store)
    page = out.read_text(encoding="utf-8")
    corpus = Corpus.open(app_store)
    summary = corpus.summary()
    assert f"{summary.documents:,} documents ({summary.dated:,} dated" in page
    for label in corpus.theme_sizes(top=config.setting("top_themes"))["label"]:
        assert label.replace("&", "&amp;") in page
    found = corpus.findings(config.setting("granularity"))
    assert f"{len(found)} hypotheses tested by quarter" in page  # the findings engine's run, as in the app
    assert "No finding about a platform passes the tests." in page  # 24 documents: too few for any claim
    assert "<script" not in page and XSS_TITLE not in page
    assert page.count("<img") >= 2  # themes over time, platforms
    ids = re.findall(r"<code>([0-9a-f]{16})</code>", page)
    assert ids and set(ids) <= set(corpus.documents()["id"])


def test_topic_quality_scores_our_themes(runner, app_store, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(app_store, db)
    out = invoke(runner, "topic-quality", "--no-baselines", "--db", db).output
    assert "ours (tfidf)" in out and "npmi" in out


def test_app_serves_the_installed_entry_script(runner, monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(cli.output_commands.subprocess, "call", lambda cmd, env: calls.append((cmd, env)) or 0)
    result = runner.invoke(cli.main, ["app", "--db", str(tmp_path / "s.duckdb"), "--server.port", "8642"])
    assert result.exit_code == 0
    cmd, env = calls[0]
    script = cmd[cmd.index("run") + 1]
    assert script.endswith("analytics/app/streamlit_app.py") and "--server.address=127.0.0.1" in cmd
    assert cmd[-2:] == ["--server.port", "8642"] and env["NARRATIVE_DB"] == str((tmp_path / "s.duckdb").resolve())


def test_every_option_default_is_its_setting():
    named = 0
    for command in cli.main.commands.values():
        for param in command.params:
            if param.name in config.SETTINGS:
                named += 1
                default = param.default() if callable(param.default) else param.default
                want = config.setting(param.name)
                assert default == (str(want) if param.name == "db" else want), (command.name, param.name)
                setting = config.SETTINGS[param.name]
                if setting.choices:
                    assert list(param.type.choices) == list(setting.choices), (command.name, param.name)
    assert named >= 7  # db everywhere, profile, n_process, zero-shot similarity, min topic size, granularity


@pytest.mark.slow  # loads the spaCy model and MiniLM, distils the static model when missing
def test_models_checks_the_pinned_files(runner):
    out = invoke(runner, "models").output
    assert "sha256 matches" in out and "static model:" in out


@pytest.mark.slow  # loads the spaCy model
def test_entities_eval_scores_the_gold_set(runner):
    out = invoke(runner, "entities-eval").output
    assert "gold set" in out and re.search(r"CANONICAL\s+0\.9\d\d", out)


@pytest.mark.slow  # the spaCy model and the static embeddings
def test_analyze_extracts_and_fits_with_the_fast_profile(runner, tmp_path):
    data = tmp_path / "docs.jsonl"
    from planted import planted_corpus

    docs = planted_corpus(n_per_theme=12)
    data.write_text("".join(json.dumps({"date": str(d.date()), "source": src, "text": t}) + "\n"
                            for d, src, t in zip(docs["date"], docs["source"], docs["text"], strict=True)))
    db = tmp_path / "s.duckdb"
    invoke(runner, "ingest", data, "--db", db)
    out = invoke(runner, "analyze", "--profile", "fast", "--min-topic-size", "5", "--db", db).output
    summaries = dict(re.findall(r"(entities|topics): (\{.*\})", out))  # the progress bars share the output
    assert json.loads(summaries["entities"])["documents"] == len(docs)
    assert json.loads(summaries["topics"])["action"] == "fit"


@pytest.mark.parametrize(("backend", "profile"), [("e5", "multilingual"), ("minilm", "quality")])
def test_status_says_which_profile_built_the_themes(runner, tmp_path, backend, profile):
    """A planted store two thirds of which is not in English, its themes stored as a fit by a known backend."""
    db = multilingual_store(tmp_path / "m.duckdb", backend)
    out = invoke(runner, "status", "--db", db).output
    assert f"Themes built with the {profile} profile" in out and "67% of the documents" in out
    assert ("--profile multilingual" in out) == (profile != "multilingual")


@pytest.mark.slow  # builds the demo store: the spaCy model, MiniLM, BERTopic
def test_demo_builds_and_is_a_no_op_the_second_time(runner, tmp_path):
    db = tmp_path / "demo.duckdb"
    first = invoke(runner, "demo", "--db", db).output
    written = sum(len(p.read_text(encoding="utf-8").splitlines())
                  for p in (config.DEMO_CORPUS_DIR / "documents").glob("*.jsonl"))  # one document per line
    assert f"demo corpus: read {written}, stored {written}" in first
    second = invoke(runner, "demo", "--db", db).output
    assert "stored 0" in second and '"action": "nothing new"' in second


@pytest.mark.slow  # the fast profile, then the demo's multilingual fit
def test_demo_refits_a_store_whose_themes_another_profile_built(runner, tmp_path):
    db = tmp_path / "old.duckdb"
    invoke(runner, "ingest", config.DEMO_CORPUS_DIR, "--db", db)
    invoke(runner, "analyze", "--profile", "fast", "--db", db)  # as an earlier version built it: English themes
    assert Corpus.open(db).theme_profile().profile == "fast"
    out = invoke(runner, "demo", "--db", db).output
    assert "stored 0" in out and '"action": "fit"' in out  # refitted, not the new documents placed in the old fit
    assert Corpus.open(db).theme_profile().profile == "multilingual"
