"""Arabic script for matching: one spelling for the letters writers vary, and the proclitics written onto words.

Arabic writers (and keyboards) vary: hamza on or under alef or none (أ إ آ ٱ ا), alef maqsura or ya at a word's end
(ى ي), ta marbuta or ha (ة ه), diacritics (fatha, damma, kasra, shadda, sukun, tanwin) mostly left out, tatweel
(ـ) stretching a word for layout; Persian and Urdu texts use their own forms of kaf, ya and ha. `normalise_arabic`
maps each group to one letter: the text is for matching, never for showing.

Short words are written joined to the next one: و and ف (and), ب (with, in), ك (like), ل (for, to), and the
article ال; they combine (وبال = "and in the"), and ل + ال is written لل. So "and Telegram" is وتيليغرام and "in
Raqqa" is بالرقة. Whether a word starts with a proclitic cannot be told from its letters alone (فيسبوك starts with
ف, بغداد with ب), so `split_proclitic` strips one only when what remains is a word it is told to look for (an
alias's word).
"""

from __future__ import annotations

import re
from collections.abc import Container

# Arabic-script letters and marks: Arabic, Arabic Supplement, Arabic Extended-A, presentation forms.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) and tatweel: dropped.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # alef with hamza above / below, madda, wasla
    "ى": "ي",  # alef maqsura
    "ة": "ه",  # ta marbuta
    "ی": "ي", "ے": "ي", "ې": "ي",  # Persian / Urdu / Pashto ya
    "ک": "ك",  # Persian / Urdu kaf
    "ہ": "ه", "ە": "ه", "ۀ": "ه", "ھ": "ه",  # Urdu / Kurdish ha
})

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ك", "ل")
ARTICLE = "ال"
MIN_STEM = 2  # letters that must remain after a proclitic is stripped


def has_arabic(text: str) -> bool:
    """True when the text holds at least one Arabic-script character."""
    return not text.isascii() and _ARABIC.search(text) is not None


def strip_marks(text: str) -> str:
    """The text without Arabic diacritics and tatweel (letters unchanged)."""
    return _MARKS.sub("", text) if has_arabic(text) else text


def normalise_arabic(text: str) -> str:
    """The matching form of Arabic-script text: no diacritics or tatweel, one letter for each varied group.
    Characters of other scripts are left as they are."""
    if not has_arabic(text):
        return text
    return _MARKS.sub("", text).translate(_LETTERS)


def _proclitic_chains() -> list[str]:
    """Every written proclitic chain, shortest first: و, ب, ال, وب, بال, لل (ل + ال), وبال, ولل, ..."""
    chains = set()
    for conj in ("", *CONJUNCTIONS):
        for prep in ("", *PREPOSITIONS):
            for art in ("", ARTICLE):
                if prep == "ل" and art:
                    chains.add(conj + "لل")  # ل + ال: the article's alef is not written
                else:
                    chains.add(conj + prep + art)
    chains.discard("")
    return sorted(chains, key=lambda c: (len(c), c))


PROCLITIC_CHAINS = _proclitic_chains()


def split_proclitic(token: str, known: Container[str]) -> tuple[int, str] | None:
    """Where a proclitic chain ends in `token` and the matching form of the word after it, when that word (or
    the word with its article, for ل + ال) is in `known` (matching forms); None when the token is itself known,
    or no chain leaves a known word. The shortest chain wins, so an alias written with its article keeps it:
    بالرقة → (1, "الرقه"), not (3, "رقه").

    The offset counts characters of `token` as written (diacritics included)."""
    norm = normalise_arabic(token)
    if norm in known or len(norm) <= MIN_STEM:
        return None
    return _split(token, norm, known)


def proclitic_remainder(word: str, known: Container[str], min_letters: int = 3) -> str:
    """The word (matching form) without its proclitics when what remains is in `known` and has at least
    `min_letters` letters, even if the word itself is known too (والتنظيم → التنظيم when both are words of the
    corpus); else the word itself."""
    split = _split(word, word, known)
    return split[1] if split and len(split[1]) >= min_letters else word


def _split(token: str, norm: str, known: Container[str]) -> tuple[int, str] | None:
    """split_proclitic's search, for a token and its matching form."""
    for chain in PROCLITIC_CHAINS:
        if not norm.startswith(chain) or len(norm) - len(chain) < MIN_STEM:
            continue
        rest = norm[len(chain):]
        if rest in known:
            return _written_offset(token, len(chain)), rest
        if chain.endswith("لل") and ARTICLE + rest in known:  # للرقة: ل + (ا)لرقة; the written rest is لرقة
            return _written_offset(token, len(chain) - 1), ARTICLE + rest
    return None


def _written_offset(token: str, letters: int) -> int:
    """Index in `token` just after its first `letters` letters, skipping diacritics and tatweel."""
    seen = 0
    for i, ch in enumerate(token):
        if _MARKS.match(ch):
            continue
        if seen == letters:
            return i
        seen += 1
    return len(token)
