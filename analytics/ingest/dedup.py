"""Deduplication: exact duplicates by content hash, near-duplicates (wire copies, light edits) by MinHash/LSH.

Exact duplicates are not stored twice; they are listed in `duplicates` with the id they repeat. Near-duplicates
are stored (an outlet carrying a wire story is itself a fact about coverage) and linked to their original.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable
from functools import cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 5
# Named explicitly: stored signatures must be read back with the scheme that made them.
SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The casefolded words of a text, for its id and its shingles.

    The last answer is kept: a document's id and its MinHash are computed one after the other from the same
    text, and the word scan is a tenth of a record's cost.
    """
    global _LAST_WORDS
    if _LAST_WORDS[0] is not text:
        _LAST_WORDS = (text, _WORD.findall(text.casefold()))
    return _LAST_WORDS[1]


_LAST_WORDS: tuple[str | None, list[str]] = (None, [])


def normalised_for_hash(text: str) -> str:
    """Case- and whitespace-insensitive form of a text, so trivial re-saves hash alike."""
    return " ".join(words(text))


def document_id(text: str, source: str | None, date_iso: str | None) -> str:
    """Stable id: a hash of the normalised text, the source and the date (re-ingesting gives the same id)."""
    key = "\x1f".join([normalised_for_hash(text), (source or "").strip().casefold(), date_iso or ""])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def minhash(text: str) -> LeanMinHash:
    """MinHash of a text's word 5-shingles (whole text when it is shorter).

    The same values as datasketch's MinHash(num_perm=128, seed=1, scheme="affine32", hashfunc=crc32) fed the
    set of shingles, computed for all shingles at once in numpy: a minimum does not care about repeats, so the
    shingles need no set, and the permutations are drawn once per process rather than once per document.
    """
    found = words(text)
    if len(found) <= SHINGLE_WORDS:
        shingles: Iterable[str] = [" ".join(found)]
    else:
        shingles = map(" ".join, zip(*(found[i:] for i in range(SHINGLE_WORDS)), strict=False))
    # crc32: a stable 32-bit hash in C, several times faster than datasketch's default sha1 on every shingle
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, shingles)), dtype=np.uint32)
    a, b = _permutations()
    values = (_fmix32(hashes)[:, None] * a + b).min(axis=0)
    return LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch's affine schemes apply to each input hash first."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutation parameters (a, b) for our seed and size, as uint32 rows."""
    a, b = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=zlib.crc32).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def from_hashvalues(values: np.ndarray) -> LeanMinHash:
    """A signature computed elsewhere (a worker process) as a LeanMinHash."""
    return LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


def signature_bytes(m: LeanMinHash) -> bytes:
    """The signature as bytes for the store."""
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def from_signature_bytes(blob: bytes) -> LeanMinHash:
    """A stored signature back as a LeanMinHash."""
    return LeanMinHash(seed=1, hashvalues=np.frombuffer(blob, dtype=np.uint64), scheme=SCHEME)


class NearDuplicateIndex:
    """An LSH index over stored originals; `find` answers the most similar original above the threshold."""

    def __init__(self, threshold: float = 0.85) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._hashes: dict[str, LeanMinHash] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def add(self, doc_id: str, m: LeanMinHash) -> None:
        if doc_id not in self._hashes:
            self._lsh.insert(doc_id, m)
            self._hashes[doc_id] = m

    def find(self, m: LeanMinHash) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        for candidate in self._lsh.query(m):
            similarity = float(m.jaccard(self._hashes[candidate]))
            if similarity >= self.threshold and (best is None or similarity > best[1] or
                                                 (similarity == best[1] and candidate < best[0])):
                best = (candidate, similarity)
        return best
