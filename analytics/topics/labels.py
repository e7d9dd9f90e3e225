"""Readable names for themes: short labels from their words, key phrases, stored top words."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator

import numpy as np

from .params import EXTRA_STOP_WORDS


def _stem(word: str) -> str:
    """A crude stem, enough to keep 'claim' and 'claimed' or 'account' and 'accounts' out of one label."""
    word = word.lower()
    for suffix in ("ings", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _surface_form(word: str, texts: list[str]) -> str:
    """The word as the documents write it most often ('gifct' → 'GIFCT', 'ardern' → 'Ardern')."""
    forms: Counter[str] = Counter()
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    for text in texts[:200]:
        forms.update(pattern.findall(text))
    if not forms:
        return word
    best = forms.most_common(1)[0][0]
    # Sentence-initial capitals are not proper names: keep lower case unless the capital form dominates.
    lower = forms.get(best.lower(), 0)
    return best if best != best.lower() and forms[best] > lower else word


def auto_label(words: list[str], texts: list[str] | None = None, n: int = 3, min_coverage: float = 0.2) -> str:
    """A short readable label from a topic's top words: 'Telegram, channels & bots'.

    With the topic's documents given, a word must occur in at least `min_coverage` of them, so a surname that
    tops c-TF-IDF because a few reports cite one researcher does not name the whole theme; words are shown as
    the documents spell them.
    """
    candidates: Iterable[str] = list(words)
    if texts:
        lowered = [t.lower() for t in texts]

        def coverage(word: str) -> float:
            pattern = re.compile(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])")
            return sum(bool(pattern.search(t)) for t in lowered) / len(lowered)

        def covered_first(ranked: list[str]) -> Iterator[str]:
            # the covered words in their order, then the others: each word's coverage is read only when the
            # picking reaches it (a label's three words are usually among the first few of twenty)
            others = []
            for word in ranked:
                if coverage(word) >= min_coverage:
                    yield word
                else:
                    others.append(word)
            yield from others

        candidates = covered_first(list(words))
    picked: list[str] = []
    for word in candidates:
        stem = _stem(word)
        if any(stem == _stem(p) or stem in p.lower() or _stem(p) in word.lower() for p in picked):
            continue
        picked.append(word)
        if len(picked) == n:
            break
    if not picked:
        return "(no words)"
    if texts:
        picked = [_surface_form(w, texts) for w in picked]
    picked[0] = picked[0][:1].upper() + picked[0][1:]
    return picked[0] if len(picked) == 1 else ", ".join(picked[:-1]) + " & " + picked[-1]


_CLAUSE_WORDS = frozenset({"had", "has", "have", "was", "were", "is", "are", "be", "been", "did", "does", "will",
                           "would", "said", "says"})


def phrase_label(phrases: list[str], words: list[str], other_phrases: set[str], texts: list[str] | None = None,
                 top: int = 10) -> str | None:
    """A key phrase as the theme's label, where one reads better than a word list; None keeps the word list.

    The rule: a key phrase (each is used by at least 15 % of the theme's documents: `key_phrases` keeps no other)
    becomes the label when it holds the theme's most distinctive word and at least one more of its `top`
    c-TF-IDF words (so it says what sets the theme apart, not a side detail such as "shot dead"), and no other
    theme has it among its key phrases (a phrase two themes share names neither), and it is a name, not a clause
    (no "had", "was", "is"…: "company had suspended" stays a word list). Of several, the one holding
    most of those words wins, then the more distinctive. Each word is spelled as the documents spell it ("eu
    internet referral" → "EU internet referral").
    """
    if not phrases or not words:
        return None
    stems = [_stem(w) for w in words[:top]]
    best: tuple[int, int, str] | None = None
    for rank, phrase in enumerate(phrases):
        held = [_stem(w) for w in phrase.split()]
        if phrase in other_phrases or stems[0] not in held or _CLAUSE_WORDS & set(phrase.split()):
            continue
        score = sum(stem in stems for stem in set(held))
        if score >= 2 and (best is None or score > best[0]):
            best = (score, rank, phrase)
    if best is None:
        return None
    spelled = [_surface_form(w, texts) if texts else w for w in best[2].split()]
    spelled[0] = spelled[0][:1].upper() + spelled[0][1:]
    return " ".join(spelled)


_PHRASE_TOKEN = re.compile(r"(?u)\b[^\W\d_][\w\-\.]*[^\W_]\b")
_CLAUSE = re.compile(r"[.!?;:,()\"“”]+")


def _phrases(text: str, stop_words: frozenset[str]) -> list[str]:
    """Two- and three-word phrases inside one clause that neither start nor end with a stop word."""
    out = []
    for clause in _CLAUSE.split(text):
        words = [w.lower() for w in _PHRASE_TOKEN.findall(clause)]
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0] not in stop_words and gram[-1] not in stop_words:
                    out.append(" ".join(gram))
    return out


def key_phrases(texts: list[str], topics: np.ndarray, n: int = 5, min_coverage: float = 0.15,
                per_topic: int = 150, extra_stop_words: frozenset[str] = frozenset()) -> dict[int, list[str]]:
    """A third representation for readers: each topic's most distinctive phrases ("amaq news agency", "syrian
    democratic forces") by c-TF-IDF over phrases, kept when at least `min_coverage` of its documents use them;
    a phrase inside a longer chosen one is skipped."""
    from functools import partial

    import scipy.sparse as sp
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    ids = sorted(set(topics.tolist()) - {-1})
    # Phrases of a theme show in any fair share of its documents: up to `per_topic` of each (in corpus order,
    # so the result is reproducible), the first 3,000 characters of each, bound the cost on large corpora.
    mask = np.zeros(len(topics), dtype=bool)
    for t in ids:
        mask[np.flatnonzero(topics == t)[:per_topic]] = True
    if not ids or mask.sum() < 3:
        return {}
    stop_words = frozenset(ENGLISH_STOP_WORDS | set(EXTRA_STOP_WORDS)) | extra_stop_words  # other languages'
    vectorizer = CountVectorizer(analyzer=partial(_phrases, stop_words=stop_words), min_df=min(3, int(mask.sum())))
    try:
        counts = vectorizer.fit_transform([t[:3000] for t, m in zip(texts, mask, strict=True) if m])
    except ValueError:  # no phrase occurs often enough
        return {}
    member_topics = topics[mask]
    per_topic = sp.csr_matrix(np.vstack([np.asarray(counts[member_topics == t].sum(axis=0)) for t in ids]))
    weights = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(per_topic).toarray()
    present = (counts > 0).tocsr()
    vocab = vectorizer.get_feature_names_out()
    out: dict[int, list[str]] = {}
    for row, t in enumerate(ids):
        coverage = np.asarray(present[member_topics == t].mean(axis=0)).ravel()
        chosen: list[str] = []
        for col in np.argsort(-weights[row], kind="stable")[:40]:
            phrase = vocab[col]
            if coverage[col] < min_coverage or any(phrase in c or c in phrase for c in chosen):
                continue
            chosen.append(phrase)
            if len(chosen) == n:
                break
        out[int(t)] = chosen
    return out


def top_words(words_json: str, n: int = 10, kind: str = "ctfidf") -> list[str]:
    """Top words of a stored topic (`ctfidf` or `mmr`)."""
    data = json.loads(words_json) if words_json else {}
    items = data.get(kind) or []
    return [w[0] if isinstance(w, list | tuple) else w for w in items][:n]


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens as the vectorizer sees them (for coherence)."""
    return re.findall(r"(?u)\b[^\W\d_][\w\-\.]*[^\W_]\b", text.lower())


def combined_words(parts: list[tuple[list[tuple[str, float]], int]], n: int = 10) -> list[tuple[str, float]]:
    """The distinctive words of themes taken together (a merge): each theme's c-TF-IDF weights scaled so its first
    word weighs 1, weighted by the theme's size, summed per word; the `n` heaviest, scaled so the first weighs 1.
    An estimate until the next refit computes the merged theme's words from its documents."""
    total: dict[str, float] = {}
    for words, size in parts:
        if not words:
            continue
        top = max(float(w) for _, w in words) or 1.0
        for word, weight in words:
            total[word] = total.get(word, 0.0) + size * float(weight) / top
    ranked = sorted(total.items(), key=lambda item: (-item[1], item[0]))[:n]
    if not ranked:
        return []
    first = ranked[0][1] or 1.0
    return [(word, round(weight / first, 4)) for word, weight in ranked]
