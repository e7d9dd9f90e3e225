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

import re
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


def _join_cut_texts(texts: list[str], keys: list[str], shortest: int = 20) -> list[str]:
    """Keys with a text cut short ("… the last words of a retweet…") replaced by the key of a full text they
    begin (the first in sorted order), when the cut text has at least `shortest` characters."""
    import bisect

    full = sorted({k for t, k in zip(texts, keys, strict=True) if not _CUT.search(t)})
    out = []
    for text, key in zip(texts, keys, strict=True):
        if _CUT.search(text) and len(key) >= shortest:
            i = bisect.bisect_left(full, key)
            if i < len(full) and full[i].startswith(key):
                key = full[i]
        out.append(key)
    return out


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
    """Documents (id order) with their theme text, the document standing for them in the fit, and whether that
    representative is fitted or assigned afterwards."""

    frame: pd.DataFrame  # id, theme_text, representative, fitted (bool, on representatives), words

    @property
    def fitted(self) -> pd.DataFrame:
        """The representatives fitted on: id and theme_text, in id order."""
        return self.frame.loc[self.frame["fitted"], ["id", "theme_text"]].reset_index(drop=True)

    @property
    def assigned_after(self) -> pd.DataFrame:
        """Representatives too short to fit on, assigned to the nearest theme afterwards: id and theme_text."""
        reps = self.frame[(self.frame["id"] == self.frame["representative"]) & ~self.frame["fitted"]]
        return reps[["id", "theme_text"]].reset_index(drop=True)

    def spread(self, assignments: pd.DataFrame) -> pd.DataFrame:
        """The representatives' assignments (doc_id, topic_id, probability) given to every document they stand
        for; documents whose representative has none are left out."""
        members = self.frame[["id", "representative"]].rename(columns={"id": "doc_id"})
        out = members.merge(assignments, left_on="representative", right_on="doc_id", suffixes=("", "_rep"))
        return out.drop(columns=["representative", "doc_id_rep"])[list(assignments.columns)]

    def counts(self) -> dict[str, int]:
        """What was fitted and what was not, for the run's record."""
        reps = self.frame["id"] == self.frame["representative"]
        return {"fitted_texts": int(self.frame["fitted"].sum()),
                "repeats_fitted_once": int((~reps).sum()),
                "short_assigned_after": int((reps & ~self.frame["fitted"]).sum())}


def fitting_texts(corpus: pd.DataFrame, copies: pd.DataFrame, min_fit_words: int = 0) -> FittingTexts:
    """Theme texts and representatives of the documents in `corpus` (id, text, optionally duplicate_of: the
    document a near-copy repeats, as ingest found it). `copies`: doc_id, original_id of retweets and forwards
    (store.copies). A copy's or near-copy's representative is its original's."""
    frame = corpus[["id", "text"]].copy()
    frame["theme_text"] = [theme_text(t) for t in frame["text"]]
    frame["words"] = [word_count(t) for t in frame["theme_text"]]
    ids = set(frame["id"])
    pairs = [] if copies.empty else list(zip(copies["doc_id"], copies["original_id"], strict=True))
    if "duplicate_of" in corpus:
        pairs += [(d, o) for d, o in zip(corpus["id"], corpus["duplicate_of"], strict=True) if isinstance(o, str)]
    originals: dict[str, str] = {}
    for doc, original in pairs:
        if original in ids and doc in ids and original != doc:
            originals.setdefault(doc, original)
    keys = _join_cut_texts(frame["theme_text"].tolist(), frame["theme_text"].map(fit_key).tolist())
    first = frame.assign(key=keys).groupby("key", sort=False)["id"].transform("min")
    frame["representative"] = [originals.get(d, f) for d, f in zip(frame["id"], first, strict=True)]
    # an original that is itself a copy or a repeat: follow the chain to the text that stands for them all
    rep_of = dict(zip(frame["id"], frame["representative"], strict=True))
    frame["representative"] = [_root(r, rep_of) for r in frame["representative"]]
    is_rep = frame["id"] == frame["representative"]
    frame["fitted"] = is_rep & (frame["words"] >= max(1, min_fit_words))  # a post of links alone: nothing to fit
    return FittingTexts(frame.drop(columns=["text"]).sort_values("id", ignore_index=True))


def theme_passages(con: Any, docs: pd.DataFrame, backend: EmbeddingBackend, progress: Progress | None = None,
                   mapper: Any = None) -> pd.DataFrame:
    """Passage vectors of the documents' theme texts (docs: id, text), as `passage_vectors` gives them.

    Where the theme text is the stored text (most articles) the stored text's cached vectors serve; the others are
    cached under `<model>|theme-text-…`, so vectors of a post's full text and of its words never mix. A backend
    fitted on the corpus (TF-IDF) embeds every theme text in one call, in one space."""
    themes = [theme_text(t) for t in docs[s.TEXT]]
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
