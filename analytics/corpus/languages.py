"""Themes across languages: each theme's language mix, its top words in each language, its label beside the other
languages' words, and which analysis profile built the themes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import schema as s
from .. import store
from ..filters import Filters
from .base import CorpusBase


@dataclass(frozen=True)
class ThemeProfile:
    """Which analysis profile built the current themes, with what embedding model, and why it suits the corpus."""

    profile: str  # quality, quality-int8, fast, multilingual (or the backend's name for a backend of one's own)
    backend: str  # the embedding backend recorded with the fit (minilm, minilm-int8, static, tfidf, e5, …)
    model: str  # the backend's model, named for a reader (all-MiniLM-L6-v2, multilingual-e5-small, …)
    non_english_share: float  # of the stored documents whose language is known
    sentence: str  # the two above in plain words, for the app and the report
    advice: str | None  # the multilingual profile advised (a tenth or more not in English and another profile)


class LanguageQueries(CorpusBase):
    """Languages of the themes."""

    def theme_languages(self, filters: Filters | None = None) -> pd.DataFrame:
        """Each theme's language mix under the filters: topic_id, label, language, documents, share (of the
        theme's dated documents; a theme's shares sum to 1), themes by id, languages most documents first. Merges
        are applied; the outliers (-1) are a theme of their own. A document without a language counts as
        "unknown"."""
        from ..languages import mix_shares

        columns = [s.TOPIC_ID, s.LABEL, s.LANGUAGE, "documents", s.SHARE]
        with self._read() as con:
            run_id = self._run_id(con)
            if run_id is None:
                return pd.DataFrame(columns=columns)
            counts = store.theme_counts(con, run_id, store.scope(filters, run_id), by=s.LANGUAGE)
        table = mix_shares(counts.rename(columns={s.COUNT: "documents"}))
        table.insert(1, s.LABEL, table[s.TOPIC_ID].map(self.labels()))
        return table[columns]

    def theme_words_by_language(self, n: int = 10, min_documents: int = 2) -> pd.DataFrame:
        """Each theme's top words in each language it has at least `min_documents` documents in: topic_id,
        label, language, documents, words (best first, spelled as the documents spell them; that language's stop
        words left out, one word per stem). A fit of a corpus in several languages keeps them (counted at the
        fit, over the documents it was fitted on); for any other fit they are counted now over the theme's dated
        documents (up to 300 per theme and language)."""
        from ..languages import theme_words_by_language

        columns = [s.TOPIC_ID, s.LABEL, s.LANGUAGE, "documents", "words"]
        themes = self.themes()
        if themes.empty:
            return pd.DataFrame(columns=columns)
        kept = {int(t): w.get("by_language") for t, w in zip(themes[s.TOPIC_ID], themes["words"], strict=True)}
        if any(kept.values()):
            rows = [{s.TOPIC_ID: t, s.LANGUAGE: lang, "documents": int(v["documents"]), "words": v["words"][:n]}
                    for t, by_language in kept.items() for lang, v in (by_language or {}).items()
                    if int(v["documents"]) >= min_documents]
            table = pd.DataFrame(rows, columns=[s.TOPIC_ID, s.LANGUAGE, "documents", "words"])
        else:
            with self._read() as con:
                run_id = self._run_id(con)
                texts = store.theme_texts(con, run_id, store.scope(run_id=run_id))
            table = theme_words_by_language(texts[[s.ID, s.TEXT, s.LANGUAGE]],
                                            texts[[s.ID, s.TOPIC_ID]].rename(columns={s.ID: s.DOC_ID}), n=n,
                                            min_documents=min_documents)
        table = table.sort_values([s.TOPIC_ID, "documents", s.LANGUAGE], ascending=[True, False, True],
                                  ignore_index=True)
        table.insert(1, s.LABEL, table[s.TOPIC_ID].map(self.labels()))
        return table[columns]

    def theme_labels_across_languages(self, n: int = 5) -> pd.DataFrame:
        """The label of every theme as shown (your name where you gave one; else made from its words in the
        label language, `label_language`, where it has documents in it), and beside it its top `n` words in each
        of its other languages: topic_id, label, label_language (the language of the label's words; None when
        you named it or they come from several languages), other_languages (dict: language → words, most
        documents first; empty for a theme of one language)."""
        themes = self.themes()
        words = self.theme_words_by_language(n=n)
        rows = []
        for row in themes.itertuples(index=False):
            label_language = None if row.custom_label else row.words.get("label_language")
            own = words[words[s.TOPIC_ID] == row.topic_id]
            others = {lang: list(w) for lang, w in zip(own[s.LANGUAGE], own["words"], strict=True)
                      if lang != label_language}
            if label_language is None and len(own) == 1:
                others = {}  # a theme of one language: its label already is its words
            rows.append({s.TOPIC_ID: row.topic_id, s.LABEL: row.label, "label_language": label_language,
                         "other_languages": others})
        return pd.DataFrame(rows, columns=[s.TOPIC_ID, s.LABEL, "label_language", "other_languages"])

    def theme_profile(self) -> ThemeProfile | None:
        """Which profile built the current themes (None before the first fit), and the share of the documents
        that are not in English."""
        from ..embeddings import BACKENDS
        from ..languages import non_english_share, profile_advice
        from ..topics import PROFILE_BACKENDS

        run = self.run()
        if run is None:
            return None
        backend = str(run["params"].get("backend", "minilm"))
        profile = {b: p for p, b in PROFILE_BACKENDS.items()}.get(backend, backend)
        with self._read() as con:
            share = non_english_share(store.language_counts(con))
        model = BACKENDS[backend].name if backend in BACKENDS else backend
        sentence = (f"Themes built with the {profile} profile ({model}); {share:.0%} of the documents with a known "
                    "language are not in English.")
        return ThemeProfile(profile, backend, model, round(share, 4), sentence, profile_advice(share, profile))
