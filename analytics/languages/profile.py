"""Which embedding profile suits a corpus: the multilingual one when a tenth or more of it is not in English."""

from __future__ import annotations

from collections.abc import Mapping

NON_ENGLISH_SHARE = 0.10
_UNDETERMINED = {"", "und", "xx", "zxx", "mul", None}


def non_english_share(language_counts: Mapping[str | None, int]) -> float:
    """Share of the documents with a known language that are not in English (0 when none is known), from the
    number of documents per language (`store.language_counts`: one GROUP BY, not a row per document)."""
    known = {lang: n for lang, n in language_counts.items() if lang not in _UNDETERMINED}
    total = sum(known.values())
    return (total - known.get("en", 0)) / total if total else 0.0


def profile_advice(share: float, profile: str) -> str | None:
    """One line advising the multilingual profile when `share` (`non_english_share`), a tenth or more of the
    documents, are not in English and another profile built the themes; None otherwise."""
    if profile == "multilingual":
        return None
    if share < NON_ENGLISH_SHARE:
        return None
    return (f"note: {share:.0%} of the documents are not in English; the {profile} profile groups them by "
            "language rather than by meaning. For themes across languages run: narrative analyze --profile "
            "multilingual --refit")
