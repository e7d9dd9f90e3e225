"""The alias list: curated names of actors, read and checked, and turned into the ruler's patterns."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ALIAS_LIST_HEADER, ALIAS_LIST_MISSING, ALIAS_LIST_ROW
from ..languages import match_forms

ALIAS_TYPES = ("GROUP", "HACKTIVIST", "MEDIA_OUTLET", "PLATFORM", "AGENCY", "ORG", "PERSON", "GPE", "LOC", "NORP",
               "EVENT")


_KEY_SPACES = re.compile(r"[\s\-‐‑–—_]+")


def alias_key(text: str) -> str:
    """Lookup form of a name: case-folded, hyphens as spaces, without a leading article or a possessive."""
    key = text.strip().casefold()
    key = re.sub(r"(’s|'s|’|')$", "", key)
    key = re.sub(r"^(the|a|an)\s+", "", key)
    return _KEY_SPACES.sub(" ", key).strip()


@dataclass(frozen=True)
class AliasTable:
    """The alias list: one row per alias, with its canonical id, name, type and match mode."""

    frame: pd.DataFrame
    digest: str

    def active_from(self) -> dict[str, pd.Timestamp]:
        """canonical_id → the first day it existed, for the actors whose rows say so (the earliest their rows
        give): a platform cannot be named before it was launched, so "a telegram" in a speech of 1902 is a
        message, not the app. A year or a month stands for its first day, so a real mention is never lost."""
        if "active_from" not in self.frame:
            return {}
        given = self.frame[self.frame["active_from"] != ""]
        return {cid: min(_first_day(v) for v in group["active_from"])
                for cid, group in given.groupby("canonical_id")}

    def lookup(self) -> dict[str, tuple[str, str, str]]:
        """alias_key → (canonical_id, canonical_name, type), for names the model finds on its own.

        Context-only aliases ("IS") are left out: a bare acronym is never taken as the group without context.
        """
        table: dict[str, tuple[str, str, str]] = {}
        for row in self.frame.itertuples(index=False):
            if row.match != "ctx":
                table.setdefault(alias_key(row.alias), (row.canonical_id, row.canonical_name, row.type))
        return table


def load_aliases(path: Path | str) -> AliasTable:
    """Read and check the alias list; a bad row names its line and the problem."""
    path = Path(path)
    if not path.is_file():
        raise ALIAS_LIST_MISSING.error(path=str(path))
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        needed = {"canonical_id", "canonical_name", "type", "alias"}
        if not reader.fieldnames or not needed <= set(reader.fieldnames):
            raise ALIAS_LIST_HEADER.error(path=str(path), needed=", ".join(sorted(needed)))
        rows = []
        owner: dict[str, str] = {}
        for line, row in enumerate(reader, 2):
            alias = (row.get("alias") or "").strip()
            cid = (row.get("canonical_id") or "").strip()
            match = (row.get("match") or "ci").strip() or "ci"
            kind = (row.get("type") or "").strip().upper()
            problem = _row_problem(alias, cid, match, kind)
            if problem:
                raise ALIAS_LIST_ROW.error(path=str(path), line=line, reason=problem)
            key = alias if match != "ci" else alias.casefold()
            if owner.setdefault(key, cid) != cid:
                raise ALIAS_LIST_ROW.error(path=str(path), line=line,
                                          reason=f"alias {alias!r} already belongs to {owner[key]!r}")
            active_from = (row.get("active_from") or "").strip()
            if active_from and _first_day(active_from) is None:
                raise ALIAS_LIST_ROW.error(path=str(path), line=line, reason=f"active_from {active_from!r} is not a "
                                          "year, a year-month or a date (2013, 2013-08, 2013-08-14)")
            rows.append({"canonical_id": cid, "canonical_name": (row.get("canonical_name") or cid).strip(),
                         "type": kind, "alias": alias, "match": match,
                         "language": (row.get("language") or "und").strip() or "und", "active_from": active_from})
    frame = pd.DataFrame(rows)
    if "active_from" in frame and not frame["active_from"].any():
        frame = frame.drop(columns="active_from")  # a list without the column keeps the digest it always had
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()[:16]
    return AliasTable(frame, digest)


def _first_day(text: str) -> pd.Timestamp | None:
    """The first day of a year (2013), a month (2013-08) or a date (2013-08-14); None when it is none of them."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return None
    try:
        return pd.Timestamp(text + ("-01-01" if len(text) == 4 else "-01" if len(text) == 7 else ""))
    except ValueError:
        return None


def _row_problem(alias: str, cid: str, match: str, kind: str) -> str:
    """What is wrong with one row of the alias list ("" when nothing)."""
    if not alias or not cid:
        return "alias and canonical_id must not be empty"
    if match not in ("ci", "cs", "ctx"):
        return f"match must be ci, cs or ctx, not {match!r}"
    if kind not in ALIAS_TYPES:
        return f"type {kind!r} is not one of {', '.join(ALIAS_TYPES)}"
    if alias.casefold() == "is" and (match != "ctx" or alias != "IS"):
        return "the word 'is' can only be an alias as 'IS' with match ctx (it is an ordinary English word)"
    return ""


def ambiguous_aliases(aliases: AliasTable) -> list[str]:
    """Case-sensitive one-word aliases written like ordinary words (Riot, Signal, Anonymous, Element): at the
    start of a sentence they are read as names only when a verb follows."""
    rows = aliases.frame[(aliases.frame["match"] == "cs") & ~aliases.frame["alias"].str.contains(r"[\s.\d]")]
    return sorted(a for a in rows["alias"] if a[:1].isupper() and a[1:].islower() and len(a) > 2)


def ruler_patterns(aliases: AliasTable, make_doc: Callable[[str], Any]) -> list[dict[str, Any]]:
    """EntityRuler token patterns: LOWER for case-insensitive aliases, ORTH for case-sensitive ones.

    Context-only aliases ("IS") get no pattern: the is_context component decides them.
    """
    patterns = []
    for row in aliases.frame.itertuples(index=False):
        if row.match == "ctx":
            continue
        # Phrase patterns, matched by the ruler's PhraseMatcher on LOWER: many times faster than token patterns.
        # Case-sensitive aliases are matched the same way and then checked for their exact case by the
        # alias_case component that follows the ruler.
        patterns.append({"label": row.type, "pattern": row.alias, "id": row.canonical_id})
    return patterns


def case_config(aliases: AliasTable) -> dict[str, list[list[str]]]:
    """The alias_case component's configuration."""
    ci, cs = exact_case_keys(aliases)
    return {"ci": ci, "cs": cs}


def exact_case_keys(aliases: AliasTable) -> tuple[list[list[str]], list[list[str]]]:
    """(canonical id, alias) pairs: in matching form for ci aliases (case-folded, Arabic letters normalised:
    languages/matching.py), exact for cs ones (JSON-friendly lists)."""
    frame = aliases.frame[aliases.frame["match"] != "ctx"]
    ci = [[c, f] for c, a, m in zip(frame["canonical_id"], frame["alias"], frame["match"], strict=True)
          if m == "ci" for f in match_forms(a)]
    cs = [[c, a] for c, a, m in zip(frame["canonical_id"], frame["alias"], frame["match"], strict=True) if m == "cs"]
    return ci, cs
