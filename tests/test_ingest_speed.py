"""The fast paths of ingest give what the libraries give: py3langid's answers from the numpy byte walk, and
datasketch's MinHash values from the vectorised MinHash."""

from __future__ import annotations

import random
import zlib

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from analytics.ingest import clean, dedup, fastlangid

SHORT_TEXTS = {
    "fr": "Le gouvernement français a annoncé mardi de nouvelles mesures contre le terrorisme.",
    "de": "Die Bundesregierung hat am Dienstag neue Maßnahmen gegen den Terrorismus angekündigt.",
    "ar": "أعلنت الحكومة يوم الثلاثاء عن إجراءات جديدة لمكافحة الإرهاب في البلاد",
    "ru": "Правительство во вторник объявило о новых мерах по борьбе с терроризмом.",
    "es": "El gobierno anunció el martes nuevas medidas contra el terrorismo en el país.",
    "en": "The government announced new measures against terrorism on Tuesday morning.",
}


def _texts() -> list[str]:
    rng = random.Random(3)
    base = list(SHORT_TEXTS.values()) + ["", "a", "12345 67890", "!!!! ???", "SHOUTING IN CAPITALS HERE NOW",
                                         "bad surrogate \ud800 here", "x " * 700]
    words = " ".join(base).split()
    mixed = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 400))) for _ in range(200)]
    return base + mixed


def test_fast_language_identifier_answers_as_py3langid():
    reference = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    fast = fastlangid.load()
    assert isinstance(fast, fastlangid.FastIdentifier)
    for text in _texts():
        assert fast.classify(text[:1000]) == reference.classify(text[:1000]), text[:60]


@pytest.mark.parametrize("lang", sorted(SHORT_TEXTS))
def test_short_texts_in_other_languages_are_identified(lang):
    assert clean.detect_language(SHORT_TEXTS[lang]) == lang


def _reference_minhash(text: str) -> LeanMinHash:
    words = dedup._WORD.findall(text.casefold())
    shingles = {" ".join(words)} if len(words) <= 5 else {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}
    m = MinHash(num_perm=dedup.NUM_PERM, seed=1, scheme=dedup.SCHEME, hashfunc=zlib.crc32)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return LeanMinHash(m)


def test_vectorised_minhash_equals_datasketch():
    for text in _texts() + ["one two three four five", "one two three four five six", "Straße STRASSE ß"]:
        ours, theirs = dedup.minhash(text), _reference_minhash(text)
        assert ours.hashvalues.dtype == theirs.hashvalues.dtype
        assert np.array_equal(ours.hashvalues, theirs.hashvalues), text[:60]
        assert dedup.signature_bytes(ours) == dedup.signature_bytes(theirs)
        assert ours.jaccard(theirs) == 1.0
