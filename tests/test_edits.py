"""Edits of a shared store: logged with their time, undone exactly (a merge's followers included), refused when a
later edit changed the same theme; a refit undone makes the fit before it current again. Also the rule that
turns a key phrase into a theme's label."""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_store import build_app_store, store_fit

from analytics import Corpus, edits, store
from analytics.errors import EDIT_ALREADY_UNDONE, EDIT_SUPERSEDED, UNKNOWN_EDIT, UsageError
from analytics.topics.labels import phrase_label


@pytest.fixture
def db(tmp_path):
    return build_app_store(tmp_path / "edits.duckdb")


def merges(db) -> dict[int, int]:
    with store.opened(db, read_only=True) as con:
        return dict(con.execute("SELECT from_topic_id, into_topic_id FROM topic_merges").fetchall())


def test_a_rename_is_logged_and_undone(db):
    corpus = Corpus.open(db)
    before = corpus.labels()[0]
    edit_id = edits.rename_theme(db, 0, "Platform takedowns")
    assert corpus.labels()[0] == "Platform takedowns"
    log = corpus.edit_history()
    assert log.loc[0, "kind"] == "rename" and log.loc[0, "summary"] == f"Renamed “{before}” to “Platform takedowns”"
    assert pd.notna(log.loc[0, "edited_at"]) and pd.isna(log.loc[0, "undone_at"])
    assert edits.undo(db, edit_id) == f"Undone: Renamed “{before}” to “Platform takedowns”."
    assert corpus.labels()[0] == before
    assert pd.notna(corpus.edit_history().loc[0, "undone_at"])
    with pytest.raises(UsageError) as err:
        edits.undo(db, edit_id)
    assert err.value.code == EDIT_ALREADY_UNDONE.code


def test_an_edit_changed_again_later_is_not_undone_behind_the_later_ones_back(db):
    first = edits.rename_theme(db, 1, "Battles")
    second = edits.rename_theme(db, 1, "The battle for Mosul")
    with pytest.raises(UsageError) as err:
        edits.undo(db, first)
    assert err.value.code == EDIT_SUPERSEDED.code and "renamed again" in str(err.value)
    edits.undo(db, second)
    edits.undo(db, first)
    assert Corpus.open(db).labels()[1] == "Mosul, Raqqa & offensive"
    with pytest.raises(UsageError) as err:
        edits.undo(db, 999)
    assert err.value.code == UNKNOWN_EDIT.code


def test_undoing_a_merge_restores_every_merge_it_moved(db):
    edits.merge_themes(db, 3, 2)  # economy into hackers
    assert merges(db) == {3: 2}
    second = edits.merge_themes(db, 2, 1)  # hackers (carrying economy) into battle
    assert merges(db) == {2: 1, 3: 1}
    sizes = Corpus.open(db).theme_sizes().set_index("topic_id")["documents"]
    assert set(sizes.index) == {0, 1}
    edits.undo(db, second)
    assert merges(db) == {3: 2}
    assert set(Corpus.open(db).theme_sizes()["topic_id"]) == {0, 1, 2}


def test_the_pairs_of_themes_most_alike_are_counted_while_both_themes_are_live(db):
    """The Explorer's fold names how many pairs the fit found most alike without checking them (the check reads
    every theme's leading actors): the same pairs merge_suggestions checks, gone once one of them is merged."""
    corpus = Corpus.open(db)
    assert corpus.merge_candidates() == len(corpus.merge_suggestions()) == 1  # battle (1) and economy (3)
    edits.merge_themes(db, 3, 2)  # economy into hackers: the pair battle–economy is no longer two live themes
    assert corpus.merge_candidates() == len(corpus.merge_suggestions()) == 0
    edits.undo(db, corpus.edit_history().loc[0, "edit_id"])
    assert corpus.merge_candidates() == 1


def test_undoing_a_refit_makes_the_fit_before_it_current(db):
    corpus = Corpus.open(db)
    first = corpus.run()["run_id"]
    with store.opened(db) as con:
        assign = store.doc_topic_table(con, first)[["doc_id", "topic_id"]]
        assign["topic_id"] = assign["topic_id"].where(assign["topic_id"] != 3, 2)  # a fit with economy folded in
        second = store_fit(con, assign, {0: "a", 1: "b", 2: "c"})
        edit_id = edits.log_refit(con, first, second, "Refitted the themes (fast profile): 3 themes")
    assert corpus.run()["run_id"] == second and corpus.summary().themes == 3
    assert edits.undo(db, edit_id).startswith("Undone: Refitted")
    assert corpus.run()["run_id"] == first and corpus.summary().themes == 4


def test_a_key_phrase_becomes_the_label_only_where_it_reads_better():
    words = ["referral", "europol", "unit", "eu", "internet", "action", "day", "content", "removal", "flagged"]
    texts = ["The EU Internet Referral Unit flagged content."] * 3
    # holds the most distinctive word and two more top words, no other theme has it: the phrase, spelled as written
    assert phrase_label(["action day", "eu internet referral"], words, set(), texts) == "EU Internet Referral"
    # a phrase without the theme's most distinctive word is a side detail: the word list stays
    assert phrase_label(["action day"], words, set()) is None
    # a phrase another theme also has names neither
    assert phrase_label(["eu internet referral"], words, {"eu internet referral"}) is None
    # a clause, not a name
    assert phrase_label(["referral unit had flagged"], words, set()) is None
    # only one distinctive word in it: not enough
    assert phrase_label(["referral programme"], words, set()) is None
