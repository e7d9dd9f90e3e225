"""Precision, recall and F1 of the entity stage against hand-annotated documents."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import GOLD_SET_UNREADABLE
from .extraction import _mention_rows
from .pipeline import Pipelines


def read_gold_set(path: Path | str) -> list[dict[str, Any]]:
    """Hand-annotated documents, one JSON object per line (id, text, language, mentions with start, end, label
    and canonical_id); a line that is not one names its number."""
    items = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GOLD_SET_UNREADABLE.error(path=str(path), line=number, reason=exc.msg) from exc
        if not isinstance(item, dict):
            raise GOLD_SET_UNREADABLE.error(path=str(path), line=number, reason="not an object")
        items.append(item)
    return items


def evaluate(pipes: Pipelines, gold: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Precision, recall and F1 against hand-annotated documents: a mention counts when its span and its
    canonical id (or, for names outside the alias list, its label) agree. Overall and per label."""
    lookup = pipes.aliases.lookup()
    known_ids = set(pipes.aliases.frame["canonical_id"])

    def item_is_canonical(key: tuple[int, int, str]) -> bool:
        return key[2] in known_ids

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    canonical = Counter()  # mentions of alias-list actors only: tp, fp, fn
    errors = []
    from ..ingest.clean import detect_language

    for item in gold:
        nlp, _ = pipes.for_language(item.get("language") or detect_language(item["text"]))
        doc = nlp(item["text"])
        found = {(m["start_char"], m["end_char"], m["canonical_id"] if ":" not in m["canonical_id"] else m["label"])
                 : m["label"] for m in _mention_rows(doc, item["id"], lookup, "", False)}
        wanted = {(m["start"], m["end"], m.get("canonical_id") or m["label"]): m["label"] for m in item["mentions"]}
        for key, label in wanted.items():
            (tp if key in found else fn)[label] += 1
            if item_is_canonical(key):
                canonical["tp" if key in found else "fn"] += 1
            if key not in found:
                errors.append({"id": item["id"], "missed": item["text"][key[0]:key[1]], "want": key[2]})
        for key, label in found.items():
            if key not in wanted:
                fp[label] += 1
                canonical["fp"] += item_is_canonical(key)
                errors.append({"id": item["id"], "spurious": item["text"][key[0]:key[1]], "got": key[2]})

    def prf(t: int, p: int, n: int) -> dict[str, float]:
        precision = t / (t + p) if t + p else 0.0
        recall = t / (t + n) if t + n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                "support": t + n}

    labels = sorted(set(tp) | set(fp) | set(fn))
    return {"overall": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
            "canonical": prf(canonical["tp"], canonical["fp"], canonical["fn"]),
            "by_label": {lab: prf(tp[lab], fp[lab], fn[lab]) for lab in labels}, "errors": errors}
