"""Which embedding profile suits a corpus: the multilingual one when a tenth or more of it is not in English."""

from __future__ import annotations

from collections.abc import Iterable

NON_ENGLISH_SHARE = 0.10
_UNDETERMINED = {"", "und", "xx", "zxx", "mul", None}


def non_english_share(languages: Iterable[str | None]) -> float:
    """Share of the documents with a known language that are not in English (0 when none is known)."""
    known = [lang for lang in languages if lang not in _UNDETERMINED]
    return sum(lang != "en" for lang in known) / len(known) if known else 0.0


def profile_advice(languages: Iterable[str | None], profile: str) -> str | None:
    """One line advising the multilingual profile when a tenth or more of the documents are not in English and
    another profile built the themes; None otherwise."""
    if profile == "multilingual":
        return None
    share = non_english_share(languages)
    if share < NON_ENGLISH_SHARE:
        return None
    return (f"note: {share:.0%} of the documents are not in English; the {profile} profile groups them by "
            "language rather than by meaning. For themes across languages run: narrative analyze --profile "
            "multilingual --refit")
