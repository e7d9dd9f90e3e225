"""Keyword in context on a phone: the same rows as the wide table, the keyword first in sight with a short context
either side (the characters next to the keyword kept), propaganda context still hidden."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from apptest_pages import open_at
from apptest_store import XSS_ID, build_app_store

from analytics.app.kwic import HIDDEN_CONTEXT, PHONE_CONTEXT, PHONE_HIDDEN_CONTEXT, phone_view

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_phone_view_keeps_the_characters_next_to_the_keyword():
    view = pd.DataFrame({"left": ["short left ", "a long left context that runs on and on before the "],
                         "keyword": ["Telegram", "Telegram"],
                         "right": [" channel", " channel that was named in a long sentence after it"]})
    phone = phone_view(view)
    assert phone["left"].tolist()[0] == "short left " and phone["right"].tolist()[0] == " channel"
    left, right = phone["left"].iloc[1], phone["right"].iloc[1]
    assert left.startswith("…") and view["left"].iloc[1].endswith(left[1:]) and len(left) <= PHONE_CONTEXT + 1
    assert right.endswith("…") and view["right"].iloc[1].startswith(right[:-1]) and len(right) <= PHONE_CONTEXT + 1
    hidden = phone_view(view.assign(right=[HIDDEN_CONTEXT, " x"]))
    assert hidden["right"].iloc[0] == PHONE_HIDDEN_CONTEXT


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    return build_app_store(tmp_path_factory.mktemp("kwic") / "app.duckdb")


def test_the_documents_page_has_a_wide_and_a_phone_table_of_the_same_rows(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("NARRATIVE_DB", str(app_db))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))
    at = open_at("documents", {"q": "telegram"})
    assert not at.exception, [e.value for e in at.exception]
    wide, phone = [d.value for d in at.dataframe if "keyword" in d.value.columns][:2]
    assert len(wide) == len(phone) > 3
    assert phone["id"].tolist() == wide["id"].tolist() and phone["keyword"].tolist() == wide["keyword"].tolist()
    for short, whole in zip(phone["left"], wide["left"], strict=True):
        assert whole.endswith(short.removeprefix("…"))
    assert set(phone.loc[phone["id"] == XSS_ID, "right"]) == {PHONE_HIDDEN_CONTEXT}
    rules = " ".join(h.proto.body for h in at.get("html"))
    assert ".st-key-kwic_phone" in rules and "max-width" in rules


def test_right_to_left_rows_put_the_text_before_the_keyword_on_its_right():
    """An Arabic reader reads right to left: the text before the keyword belongs in the right column, the text
    after it in the left one (cut, on a phone, at the end away from the keyword). Latin rows stay as they were."""
    from analytics.app.kwic import LRM, PDI, RLI, in_reading_order, isolated, right_to_left

    rows = pd.DataFrame({"left": ["…قال الباحثون إن القنوات انتقلت إلى", "researchers said the channels moved to"],
                         "keyword": ["تيليغرام", "Telegram"],
                         "right": ["بعد حملة الحذف الواسعة في نوفمبر…", "after the November takedowns…"]})
    rtl = rows["keyword"].map(right_to_left)
    assert rtl.tolist() == [True, False] and right_to_left("…" + "تيليغرام") and not right_to_left("[propaganda]")
    shown = in_reading_order(rows, rtl)
    assert shown.loc[0, "right"] == rows.loc[0, "left"] and shown.loc[0, "left"] == rows.loc[0, "right"]
    assert shown.loc[1].tolist() == rows.loc[1].tolist()
    phone = phone_view(shown, context=10, rtl=rtl)
    assert phone.loc[0, "left"] == "بعد حملة ا…"  # the text after the keyword, kept from its start
    assert phone.loc[0, "right"] == "…انتقلت إلى"  # the text before it, kept up to the keyword
    wrapped = isolated(shown, rtl)
    assert wrapped.loc[0, "left"] == RLI + shown.loc[0, "left"] + PDI and wrapped.loc[1, "left"] == rows.loc[1, "left"]
    # the right column starts left to right, so the table keeps it against the keyword rather than aligned right
    assert wrapped.loc[0, "right"] == LRM + RLI + shown.loc[0, "right"] + PDI
    assert wrapped.loc[1, "right"] == rows.loc[1, "right"]
