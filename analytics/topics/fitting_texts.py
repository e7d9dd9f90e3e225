"""The texts a theme fit is made on: what each document says without a post's furniture, each said once.

Volume and themes count different things. Every stored document counts for volume (a retweet is one more post
carrying the theme); the theme model reads each text once, so that a post retweeted 300 times does not become a
theme of its own, and it reads words, not furniture:

1. each document's theme text (`post_text.theme_text`: no RT prefix, links, @handles or entity fragments;
   hashtags as words), embedded and counted in its place; the stored text is unchanged;
2. retweets and forwards whose original is stored (`doc_copies`), and near-copies ingest linked to an earlier
   document (`duplicate_of`: syndicated articles, bots' repeats), are not fitted: they take their original's
   theme;
3. documents whose theme texts are the same once case and spacing are ignored (the same post again, a retweet
   without its original, a bot's repeat with another link), or that begin another's when cut short with "…",
   are fitted once, by the smallest id;
4. theme texts of fewer than `min_fit_words` words are not fitted ("so true 😂"): they are assigned afterwards to
   the nearest theme like new documents, or stay outliers when no theme is near.

`FittingTexts` keeps each document's representative, so the fit's answer for the representative is given to
every document it stands for.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import schema as s
from ..embeddings import EmbeddingBackend, passage_vectors
from ..post_text import THEME_TEXT_VERSION, theme_text
from .params import Progress

_WORD = re.compile(r"\w+")
_CUT = re.compile(r"\s*…\s*$")


def fit_key(text: str) -> str:
    """What makes two theme texts the same post: case, spacing and a cut-off "…" at the end ignored."""
    return " ".join(_CUT.sub("", text).casefold().split())


def _root(doc: str, rep_of: dict[str, str]) -> str:
    """The end of a chain of representatives (a copy of a copy of …); a loop stops at its smallest id."""
    seen = [doc]
    while rep_of.get(doc, doc) != doc:
        doc = rep_of[doc]
        if doc in seen:
            return min(seen)
        seen.append(doc)
    return doc


def word_count(text: str) -> int:
    """Words of a theme text (letters or digits; emoji and punctuation are no words)."""
    return len(_WORD.findall(text))


@dataclass
class FittingTexts:
    """Documents (id order), the document standing for each in the fit, and whether that representative is fitted
    or assigned afterwards."""

    frame: pd.DataFrame  # id, representative, fitted (bool, on representatives), words

    @property
    def fitted(self) -> pd.DataFrame:
        """The representatives fitted on (id), in id order."""
        return self.frame.loc[self.frame["fitted"], ["id"]].reset_index(drop=True)

    @property
    def assigned_after(self) -> pd.DataFrame:
        """Representatives too short to fit on, assigned to the nearest theme afterwards (id), in id order."""
        reps = self.frame[(self.frame["id"] == self.frame["representative"]) & ~self.frame["fitted"]]
        return reps[["id"]].reset_index(drop=True)

    def spread(self, assignments: pd.DataFrame) -> pd.DataFrame:
        """The representatives' assignments (doc_id, topic_id, probability) given to every document they stand
        for; documents whose representative has none are left out."""
        members = self.frame[["id", "representative"]].rename(columns={"id": "doc_id"})
        out = members.merge(assignments, left_on="representative", right_on="doc_id", suffixes=("", "_rep"))
        return out.drop(columns=["representative", "doc_id_rep"])[list(assignments.columns)]

    def representative_rows(self) -> np.ndarray:
        """For each document (id order), the row of its representative (the same order)."""
        return pd.Index(self.frame["id"]).get_indexer(self.frame["representative"])

    def counts(self) -> dict[str, int]:
        """What was fitted and what was not, for the run's record."""
        reps = self.frame["id"] == self.frame["representative"]
        return {"fitted_texts": int(self.frame["fitted"].sum()),
                "repeats_fitted_once": int((~reps).sum()),
                "short_assigned_after": int((reps & ~self.frame["fitted"]).sum())}


class FitKeys:
    """What the fit needs to know of each document's theme text, gathered chunk by chunk without keeping the
    texts (a million articles' texts would not fit beside the vectors): a digest of its fit key, its words, the
    near-copy ingest linked it to, and the keys of texts cut short ("…"), which join the first full text they
    begin. Those need the full keys, which a second pass over the texts gives (`resolve_cut`) when any exist."""

    SHORTEST_CUT = 20  # characters a cut text needs to join a full text it begins

    def __init__(self) -> None:
        self._ids: list[np.ndarray] = []
        self._digests: list[np.ndarray] = []
        self._words: list[np.ndarray] = []
        self._duplicate_of: dict[str, str] = {}
        self._cut: dict[str, str] = {}  # doc id → key of a cut text long enough to join a full one
        self._joined: dict[str, str] = {}  # cut key → the full key it joins
        self._resolved = False

    def add(self, ids: list[str], theme_texts: list[str], duplicate_of: list[str | None] | None = None) -> None:
        """One chunk of documents: ids, theme texts and (optionally) the document each near-copy repeats."""
        keys = [fit_key(t) for t in theme_texts]
        for doc, text, key in zip(ids, theme_texts, keys, strict=True):
            if len(key) >= self.SHORTEST_CUT and _CUT.search(text):
                self._cut[doc] = key
        self._ids.append(np.asarray(ids, dtype=object))
        self._digests.append(np.array([_digest(k) for k in keys], dtype="S16"))
        self._words.append(np.fromiter((word_count(t) for t in theme_texts), np.int64, len(theme_texts)))
        if duplicate_of is not None:
            self._duplicate_of.update((d, o) for d, o in zip(ids, duplicate_of, strict=True) if isinstance(o, str))

    @property
    def needs_full_keys(self) -> bool:
        """Whether some cut text waits for the full texts (a second pass: `resolve_cut`)."""
        return bool(self._cut) and not self._resolved

    def resolve_cut(self, theme_text_chunks: Iterable[list[str]]) -> None:
        """Join each cut text to the first full text (in sorted order of keys) that begins with its key, reading
        every theme text once more, chunk by chunk; only the best candidate of each cut key is kept."""
        import bisect

        wanted = sorted(set(self._cut.values()))
        best: dict[str, str] = {}
        for texts in theme_text_chunks:
            full = sorted({fit_key(t) for t in texts if not _CUT.search(t)})
            for key in wanted:
                i = bisect.bisect_left(full, key)
                if i < len(full) and (key not in best or full[i] < best[key]):
                    best[key] = full[i]
        self._joined = {k: f for k, f in best.items() if f.startswith(k)}
        self._resolved = True

    def fitting_texts(self, copies: pd.DataFrame, min_fit_words: int = 0) -> FittingTexts:
        """Representatives and what is fitted. `copies`: doc_id, original_id of retweets and forwards
        (store.copies). A copy's or near-copy's representative is its original's."""
        ids = np.concatenate(self._ids) if self._ids else np.array([], dtype=object)
        digests = np.concatenate(self._digests) if self._digests else np.array([], dtype="S16")
        words = np.concatenate(self._words) if self._words else np.array([], dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        ids, digests, words = ids[order], digests[order], words[order]
        if self._joined:
            where = pd.Index(ids).get_indexer(list(self._cut))
            digests[where] = [_digest(self._joined.get(k, k)) for k in self._cut.values()]
        # documents whose keys are the same: the smallest id (first in id order) stands for them all
        _, first, inverse = np.unique(digests, return_index=True, return_inverse=True)
        first_id = ids[first[inverse.ravel()]]
        known = set(ids.tolist())
        pairs = [] if copies.empty else list(zip(copies["doc_id"], copies["original_id"], strict=True))
        pairs += list(self._duplicate_of.items())
        originals: dict[str, str] = {}
        for doc, original in pairs:
            if original in known and doc in known and original != doc:
                originals.setdefault(doc, original)
        representative = [originals.get(d, f) for d, f in zip(ids.tolist(), first_id.tolist(), strict=True)]
        # an original that is itself a copy or a repeat: follow the chain to the text that stands for them all
        rep_of = dict(zip(ids.tolist(), representative, strict=True))
        representative = [_root(r, rep_of) for r in representative]
        frame = pd.DataFrame({"id": ids, "representative": representative, "words": words})
        is_rep = frame["id"] == frame["representative"]
        frame["fitted"] = is_rep & (frame["words"] >= max(1, min_fit_words))  # a post of links alone: nothing to fit
        return FittingTexts(frame[["id", "representative", "fitted", "words"]])


def _digest(key: str) -> bytes:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def fitting_texts(corpus: pd.DataFrame, copies: pd.DataFrame, min_fit_words: int = 0) -> FittingTexts:
    """Theme texts and representatives of the documents in `corpus` (id, text, optionally duplicate_of: the
    document a near-copy repeats, as ingest found it). `copies`: doc_id, original_id of retweets and forwards
    (store.copies). A copy's or near-copy's representative is its original's. (The topic stage gathers the
    same chunk by chunk: FitKeys.)"""
    themes = [theme_text(t) for t in corpus["text"]]
    keys = FitKeys()
    keys.add(corpus["id"].tolist(), themes, corpus["duplicate_of"].tolist() if "duplicate_of" in corpus else None)
    if keys.needs_full_keys:
        keys.resolve_cut([themes])
    return keys.fitting_texts(copies, min_fit_words)


def theme_passages(con: Any, docs: pd.DataFrame, backend: EmbeddingBackend, progress: Progress | None = None,
                   mapper: Any = None, themes: list[str] | None = None) -> pd.DataFrame:
    """Passage vectors of the documents' theme texts (docs: id, text), as `passage_vectors` gives them;
    `themes`: the theme texts when the caller has made them already.

    Where the theme text is the stored text (most articles) the stored text's cached vectors serve; the others are
    cached under `<model>|theme-text-…`, so vectors of a post's full text and of its words never mix. A backend
    fitted on the corpus (TF-IDF) embeds every theme text in one call, in one space."""
    themes = themes if themes is not None else [theme_text(t) for t in docs[s.TEXT]]
    if backend.fitted_on_corpus:  # fitted on the texts it embeds (never cached): all of them in one space
        return passage_vectors(con, pd.DataFrame({s.ID: docs[s.ID].to_numpy(), s.TEXT: themes}), backend,
                               progress=progress, mapper=mapper)
    same = np.fromiter((a is b or a == b for a, b in zip(themes, docs[s.TEXT], strict=True)), bool, len(themes))
    parts = []
    if same.any():
        parts.append(passage_vectors(con, docs.loc[same, [s.ID, s.TEXT]], backend, progress=progress, mapper=mapper))
    if (~same).any():
        changed = pd.DataFrame({s.ID: docs.loc[~same, s.ID].to_numpy(), s.TEXT: [t for t, k in zip(themes, same,
                                                                                                  strict=True)
                                                                                 if not k]})
        parts.append(passage_vectors(con, changed, backend, progress=progress, mapper=mapper,
                                     cache_name=f"{backend.name}|{THEME_TEXT_VERSION}"))
    if len(parts) == 1:
        return parts[0]
    return pd.concat(parts, ignore_index=True).sort_values(["doc_id", "passage"], ignore_index=True)
