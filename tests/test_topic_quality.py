"""The coherence measure on a corpus whose co-occurrences are known by construction."""

from __future__ import annotations

import math

import pytest

from analytics.topic_quality import CooccurrenceIndex, diversity, score

# 20 documents: "alpha" and "beta" always together (10 documents), "gamma" and "delta" always together in the other
# 10, and "omega" in 5 of the alpha documents and 5 of the gamma documents (independent of both pairs).
DOCS = (["alpha beta the omega"] * 5 + ["alpha beta the"] * 5 + ["gamma delta of omega"] * 5
        + ["gamma delta of"] * 5)


@pytest.fixture(scope="module")
def index() -> CooccurrenceIndex:
    return CooccurrenceIndex(DOCS, min_df=5)


def test_npmi_of_known_pairs(index):
    assert index.npmi("alpha", "beta") == pytest.approx(1.0)  # always together
    assert index.npmi("alpha", "gamma") == -1.0  # never together
    # p(alpha)=0.5, p(omega)=0.5, p(both)=0.25: independent, so NPMI is 0
    assert index.npmi("alpha", "omega") == pytest.approx(0.0, abs=1e-12)
    assert index.npmi("alpha", "the") is None  # a stop word is not scored
    assert index.npmi("alpha", "zeta") is None  # nor a word outside the corpus


def test_topic_scores_and_the_two_readings_of_stop_word_removal(index):
    coherent = ["alpha", "beta"]
    # Ten stop words first: as returned, only alpha/beta are scored; the content reading skips to them as well
    padded = ["the", "of", "and", "to", "in", "a", "is", "it", "on", "for", "alpha", "beta"]
    mixed = ["alpha", "gamma", "omega"]  # pairs: -1, 0, 0
    result = score([coherent, mixed], index)
    assert result["npmi"] == pytest.approx((1.0 + (-1 / 3)) / 2, abs=1e-4)
    assert result["words_scored"] == 2.5
    padded_result = score([padded], index)
    assert math.isnan(padded_result["npmi"])  # nothing scoreable among the first ten as returned
    assert padded_result["npmi_content"] == pytest.approx(1.0)
    assert padded_result["words_scored"] == 0.0
    # diversity as returned counts the stop words; over content words the two topics share nothing
    assert score([padded, ["the", "of", "gamma", "delta"]], index)["diversity_content"] == 1.0


def test_diversity_counts_unique_words():
    assert diversity([["a", "b"], ["b", "c"]]) == 0.75
    assert diversity([]) == 0.0
