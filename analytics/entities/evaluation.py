"""Precision, recall and F1 of the entity stage against hand-annotated documents."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import GOLD_SET_UNREADABLE
from .extraction import MODEL_LABELS, _mention_rows
from .pipeline import Pipelines
from .posts import MODEL_LABELS_ON_POSTS

MODEL_ORIGINS = ("model", "model+alias")  # mentions the statistical model found (the alias list may name them)


def read_gold_set(path: Path | str) -> list[dict[str, Any]]:
    """Hand-annotated documents, one JSON object per line (id, text, language, source_type, mentions with start,
    end, label and canonical_id); a line that is not one names its number."""
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


def _prf(t: int, p: int, n: int) -> dict[str, float]:
    precision = t / (t + p) if t + p else 0.0
    recall = t / (t + n) if t + n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "support": t + n}


def _gold_key(canonical_id: str, label: str) -> str:
    """How a found mention is compared with the gold set: by its canonical id when that names one actor (the
    alias list's, an account's, a hashtag's), by its label when the model named it (`person:…`)."""
    if ":" not in canonical_id or canonical_id.startswith(("account:", "hashtag:")):
        return canonical_id
    return label


def evaluate(pipes: Pipelines, gold: Iterable[dict[str, Any]], model_labels: Iterable[str] | None = None,
             ) -> dict[str, Any]:
    """Precision, recall and F1 against hand-annotated documents: a mention counts when its span and its
    canonical id (or, for names outside the alias list, its label) agree. Overall, per label, and for the
    mentions the statistical model found (`model`: per label, the share of its mentions that were right, and the
    share of the names not on the alias list — which only the model can find — that it found).

    The model's labels kept on a document are the stage's own (fewer on posts: `source_type` social); give
    `model_labels` to keep those on every document instead (what measuring the model on posts needs)."""
    lookup = pipes.aliases.lookup()
    known_ids = set(pipes.aliases.frame["canonical_id"])
    forced = frozenset(model_labels) if model_labels is not None else None

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    canonical = Counter()  # mentions of alias-list actors only: tp, fp, fn
    # the model's own mentions by label: right, wrong; names not on the alias list, and how many it found
    model = {"tp": Counter(), "fp": Counter(), "unlisted": Counter(), "unlisted_found": Counter()}
    errors = []
    from ..ingest.clean import detect_language

    for item in gold:
        nlp, _ = pipes.for_language(item.get("language") or detect_language(item["text"]))
        doc = nlp(item["text"])
        labels = forced or (MODEL_LABELS_ON_POSTS if item.get("source_type") == "social" else MODEL_LABELS)
        rows = _mention_rows(doc, item["id"], lookup, "", False, labels)
        found = {(m["start_char"], m["end_char"], _gold_key(m["canonical_id"], m["label"])): m for m in rows}
        wanted = {(m["start"], m["end"], m.get("canonical_id") or m["label"]): m["label"] for m in item["mentions"]}
        for key, label in wanted.items():
            (tp if key in found else fn)[label] += 1
            if key in found and found[key]["origin"] in MODEL_ORIGINS:
                model["tp"][label] += 1
            if key[2] not in known_ids:  # a name only the model can find (not on the alias list)
                model["unlisted"][label] += 1
                model["unlisted_found"][label] += key in found and found[key]["origin"] in MODEL_ORIGINS
            if key[2] in known_ids:
                canonical["tp" if key in found else "fn"] += 1
            if key not in found:
                errors.append({"id": item["id"], "missed": item["text"][key[0]:key[1]], "want": key[2]})
        for key, m in found.items():
            if key not in wanted:
                fp[m["label"]] += 1
                canonical["fp"] += key[2] in known_ids
                if m["origin"] in MODEL_ORIGINS:
                    model["fp"][m["label"]] += 1
                errors.append({"id": item["id"], "spurious": item["text"][key[0]:key[1]], "got": key[2]})

    labels = sorted(set(tp) | set(fp) | set(fn))
    model_labels_seen = sorted(set(model["tp"]) | set(model["fp"]) | (set(model["unlisted"]) & set(MODEL_LABELS)))
    return {"overall": _prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
            "canonical": _prf(canonical["tp"], canonical["fp"], canonical["fn"]),
            "by_label": {lab: _prf(tp[lab], fp[lab], fn[lab]) for lab in labels},
            "model": {lab: {"precision": _prf(model["tp"][lab], model["fp"][lab], 0)["precision"],
                            "mentions": model["tp"][lab] + model["fp"][lab],
                            "recall_unlisted": _prf(model["unlisted_found"][lab], 0,
                                                    model["unlisted"][lab] - model["unlisted_found"][lab])["recall"],
                            "unlisted": model["unlisted"][lab]} for lab in model_labels_seen},
            "errors": errors}
