"""The shipped demo corpus, events and alias list have the shape the issue asks for."""

from __future__ import annotations

import csv
import json
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
DEMO = CORPORA / "is-online"
KEYS = {"doc_id", "date", "date_precision", "source", "source_type", "title", "text", "author", "url", "cites",
        "attribution", "theme", "language"}
THEMES = {"caliphate_statebuilding", "twitter_accounts", "recruitment_foreign_fighters", "hacktivists_opisis",
          "account_suspensions", "telegram_shift", "attack_claims", "territorial_loss_endurance",
          "industry_cooperation", "christchurch_platform_pressure", "baghuz_baghdadi", "europol_telegram_migration"}


@pytest.fixture(scope="module")
def documents() -> list[dict]:
    manifest = tomllib.loads((DEMO / "corpus.toml").read_text())
    rows = []
    for pattern in manifest["documents"]:
        for path in sorted(DEMO.glob(pattern)):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    row = json.loads(line)
                    row["_where"] = f"{path.name}:{n}"
                    rows.append(row)
    return rows


def test_documents_have_every_field_and_valid_values(documents):
    assert len(documents) >= 300
    for row in documents:
        where = row.pop("_where")
        assert set(row) == KEYS, where
        assert row["source_type"] in {"news", "statement", "propaganda", "research", "other"}, where
        assert row["date_precision"] in {"day", "month", "year"}, where
        assert date(2014, 1, 1) <= date.fromisoformat(row["date"]) <= date(2020, 12, 31), where
        assert 60 <= len(row["text"].split()) <= 200, (where, len(row["text"].split()))
        assert row["cites"].strip() and row["attribution"].strip() and row["title"].strip(), where
        assert row["theme"] in THEMES, where
        assert row["url"] == "" or row["url"].startswith("https://") or row["url"].startswith("http://"), where


def test_ids_are_unique(documents):
    ids = Counter(r["doc_id"] for r in documents)
    assert [i for i, n in ids.items() if n > 1] == []


def test_coverage_of_years_sources_types_and_themes(documents):
    years = Counter(r["date"][:4] for r in documents)
    assert set(years) == {str(y) for y in range(2014, 2021)}
    assert all(n >= 15 for n in years.values()), years
    assert len({r["source"] for r in documents}) >= 25
    assert len({r["source_type"] for r in documents}) >= 4
    themes = Counter(r["theme"] for r in documents)
    assert len(themes) >= 8 and all(n >= 10 for n in themes.values()), themes


def test_events_parse_and_cover_the_period():
    with open(DEMO / "events.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 40
    assert set(rows[0]) == {"date", "date_precision", "label", "description", "kind"}
    kinds = {"attack", "military", "platform", "policy", "hacktivism", "propaganda", "leadership"}
    for row in rows:
        assert date(2014, 1, 1) <= date.fromisoformat(row["date"]) <= date(2020, 12, 31)
        assert row["kind"] in kinds and 0 < len(row["label"]) <= 40 and row["description"]
    assert len({r["date"][:4] for r in rows}) == 7


def test_alias_list_parses_and_is_consistent():
    with open(CORPORA / "aliases.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 150
    owner: dict[str, str] = {}
    for row in rows:
        assert row["match"] in {"ci", "cs", "ctx"}
        key = row["alias"] if row["match"] != "ci" else row["alias"].casefold()
        assert owner.setdefault(key, row["canonical_id"]) == row["canonical_id"], row["alias"]
    names = {r["canonical_id"]: r["canonical_name"] for r in rows}
    aliases = {(r["canonical_id"], r["alias"]) for r in rows}
    assert all((cid, name) in aliases for cid, name in names.items())
    assert "is" not in {r["alias"] for r in rows}
    group = {r["alias"] for r in rows if r["canonical_id"] == "islamic_state"}
    assert {"ISIS", "ISIL", "Daesh", "Islamic State", "داعش"} <= group
    platforms = {r["canonical_name"] for r in rows if r["type"] == "PLATFORM"}
    assert {"Twitter", "Telegram", "TamTam", "Rocket.Chat", "Threema"} <= platforms


def test_endurance_framing_rises_from_2017(documents):
    """The chronology carries the shift from victory to endurance framing after the 2017 territorial losses; the
    shipped framing lexicon's documents, tested by the findings engine by year, show it as a significant shift in
    2017 (one correction over both frames' tests)."""
    import pandas as pd

    from analytics import findings, timeline

    docs = pd.DataFrame({"id": [r["doc_id"] for r in documents], "date": pd.to_datetime([r["date"] for r in documents]),
                         "text": [r["text"] for r in documents], "source": "s", "source_type": "news"})
    frames = timeline.frame_items(docs, timeline.read_lexicon(CORPORA / "framing.csv"))
    items = frames.assign(subject_type="frame", subject=frames["frame"], subject_id=frames["frame"])
    found = findings.run(docs, items, granularity="year", settings=findings.FindingsSettings(kinds=("shift",)))
    endurance = [f for f in found if f.subject == "endurance and attrition" and f.significant]
    assert endurance and endurance[0].period == "2017-01-01" and endurance[0].effect > 0.1
    assert endurance[0].before_count / endurance[0].before_total < 0.1 < endurance[0].after_share
