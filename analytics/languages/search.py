"""Finding a word in text whatever its spelling: search and keyword in context across Arabic orthography,
proclitics and the alias list's spellings of one name.

A reader who searches for تلغرام wants وتلغرام ("and Telegram") and بتيليغرام ("on Telegram", another common
spelling) too. Three things make that work for Arabic-script words, and none of them touches other scripts (an
English search is matched exactly as before):

- letters writers vary (hamza forms of alef, alef maqsura and ya, ta marbuta and ha, Persian kaf and ya) match one
  another, and diacritics or tatweel may sit between any two letters (`arabic_word_pattern`);
- the alias list's other Arabic-script spellings of the same actor are looked for as well (`spellings`): تلغرام is
  an alias of Telegram, so تيليغرام and تيليجرام are found too;
- in keyword in context, which matches whole words, a proclitic chain (و ف ب ك ل, the article ال, and ل + ال
  written لل) may be joined to the front of the word (`word_pattern`). The store's search matches substrings, so
  the proclitics need nothing there (`substring_pattern`).

Patterns are written so that both Python's `re` and DuckDB's RE2 read them: literal letters in classes, no
look-around in the store's patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .arabic import _LETTERS, PROCLITIC_CHAINS, has_arabic, normalise_arabic, split_proclitic
from .matching import match_form

# Diacritics (harakat, tanwin, shadda, sukun, superscript alef) and tatweel, as literal characters in a class.
_OPTIONAL_MARKS = "[\u064b-\u065f\u0670\u0640]*"
# Each letter of the matching form → every letter written for it (the inverse of normalise_arabic's table).
_VARIANTS: dict[str, set[str]] = {}
for _written, _norm in _LETTERS.items():  # str.maketrans's table: code point → letter
    _VARIANTS.setdefault(_norm, {_norm}).add(chr(_written))


def arabic_word_pattern(word: str) -> str:
    """A regular expression (re and RE2) matching an Arabic-script word or phrase however its varied letters are
    written, with or without diacritics and tatweel; spaces match any run of whitespace."""
    parts = []
    for ch in normalise_arabic(word):
        if ch.isspace():
            parts.append(r"\s+")
        elif ch in _VARIANTS:
            parts.append("[" + "".join(sorted(_VARIANTS[ch])) + "]" + _OPTIONAL_MARKS)
        elif has_arabic(ch):
            parts.append(re.escape(ch) + _OPTIONAL_MARKS)
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _alias_keys(aliases: Iterable[tuple[str, str]]) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """(matching form of an Arabic-script alias, and of it without its article → canonical ids; canonical id →
    its Arabic-script aliases as written)."""
    ids: dict[str, set[str]] = {}
    spelt: dict[str, list[str]] = {}
    for cid, alias in aliases:
        if not has_arabic(alias):
            continue
        form = match_form(alias)
        for key in (form, form[2:] if form.startswith("ال") and len(form) > 4 else None):
            if key:
                ids.setdefault(key, set()).add(cid)
        spelt.setdefault(cid, []).append(alias)
    return ids, spelt


def spellings(term: str, aliases: Iterable[tuple[str, str]] = ()) -> list[str]:
    """What a search for `term` looks for: the term itself and, when it is an Arabic-script spelling of a listed
    actor (with or without its article or a proclitic), that actor's other Arabic-script aliases. `aliases` are
    (canonical id, alias) pairs. Any other term (every Latin-script one) is looked for as it is."""
    term = term.strip()
    if not has_arabic(term):
        return [term]
    ids, spelt = _alias_keys(aliases)
    key = match_form(term)
    found = ids.get(key)
    if found is None and " " not in key:
        split = split_proclitic(term, ids)
        found = ids.get(split[1]) if split else None
    out = [term]
    for cid in sorted(found or ()):
        out += [a for a in spelt[cid] if match_form(a) not in {match_form(o) for o in out}]
    return out


def substring_pattern(term: str, aliases: Iterable[tuple[str, str]] = ()) -> str:
    """The store's search pattern (RE2) for one query word: case-insensitive, exactly the word for Latin script
    (as the search has always matched), every spelling with its varied letters for Arabic script. Substrings:
    a proclitic before the word does not stop a match."""
    if not has_arabic(term):
        return "(?i)" + re.escape(term)
    return "(?i)(?:" + "|".join(arabic_word_pattern(s) for s in spellings(term, aliases)) + ")"


def word_pattern(term: str, aliases: Iterable[tuple[str, str]] = ()) -> re.Pattern[str]:
    """Keyword in context's pattern: the term as a whole word, any case. For Arabic script, every spelling with
    its varied letters and optionally a proclitic chain joined before it (وتلغرام, بالرقة, للرقة); the match
    covers the proclitic too."""
    if not has_arabic(term):
        return re.compile(rf"(?i)(?<!\w){re.escape(term)}(?!\w)")
    chains = "|".join(sorted(PROCLITIC_CHAINS, key=len, reverse=True))
    forms = []
    for spelling in spellings(term, aliases):
        forms.append(f"(?:{chains})?{arabic_word_pattern(spelling)}")
        norm = normalise_arabic(spelling)
        if norm.startswith("ال"):  # ل + ال is written لل: the article's alef is dropped (للرقة)
            forms.append(f"(?:[وف])?ل{arabic_word_pattern(norm[1:])}")
    return re.compile(rf"(?i)(?<!\w)(?:{'|'.join(forms)})(?!\w)")


def lexicon_term_pattern(term: str) -> str:
    """A framing lexicon term as a regular expression (re; compiled case-insensitive): a whole word or phrase,
    not inside a hyphenated word, as the lexicon has always been matched; an Arabic-script term also with its
    varied letters and a proclitic chain joined before it (والخلافة, بالصبر, للخلافة)."""
    if not has_arabic(term):
        return rf"(?<![\w-]){re.escape(term)}(?![\w-])"
    return word_pattern(term).pattern.removeprefix("(?i)")
