"""Deduplication: exact duplicates by content hash, near-duplicates (wire copies, light edits) by MinHash/LSH.

Exact duplicates are not stored twice; they are listed in `duplicates` with the id they repeat. Near-duplicates
are stored (an outlet carrying a wire story is itself a fact about coverage) and linked to their original.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
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
    """An LSH index over stored originals; `resolve` answers, for documents in order, the most similar original
    above the threshold (adding those that have none as originals).

    The bands and rows are datasketch's MinHashLSH's for the threshold (8 bands of 16 values at 0.85), and the
    candidates the same: the originals sharing all values of at least one band with the document. It is held
    compactly: per band, the sorted 64-bit digests of the originals' band values with their ordinals (12 bytes a
    band), the ids as 16 bytes each, and the signatures in a temporary file, read back only for candidates. About
    120 bytes a document in memory, where datasketch's dicts of band keys and sets took 4.1 kB (3.9 GB at 1M).
    A digest shared by chance is not a candidate: the band's values are compared before the similarity.
    """

    ID_BYTES = 16  # document ids are 16 hex characters (document_id)
    RECENT = 65_536  # originals in the small tier before it is merged into the large one

    def __init__(self, threshold: float = 0.85) -> None:
        self.threshold = threshold
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.bands, self.rows = lsh.b, lsh.r
        # Two sorted tiers per band (digests and the original of each): new originals go into the small recent
        # tier, merged into the large one when it reaches RECENT; inserting each chunk into a million-row array
        # would copy it every time (0.15 CPU s a chunk at 1M).
        self._tiers = [_Tier(self.bands), _Tier(self.bands)]
        self._ids = bytearray()
        self._signatures = tempfile.TemporaryFile(prefix="narrative-minhashes-")  # noqa: SIM115 (closed in close())
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def close(self) -> None:
        """Remove the temporary file of signatures."""
        self._signatures.close()

    def __enter__(self) -> NearDuplicateIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _band_digests(self, signatures: np.ndarray) -> np.ndarray:
        """A 64-bit digest of each band's values, documents × bands (MurmurHash3's 64-bit mixing of each value,
        folded in order)."""
        banded = self.bands * self.rows  # datasketch's bands may leave the last values out
        values = signatures[:, :banded].reshape(len(signatures), self.bands, self.rows).astype(np.uint64)
        digest = np.full(values.shape[:2], np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i in range(self.rows):
                digest = _fmix64((digest ^ values[:, :, i]) * np.uint64(0xFF51AFD7ED558CCD))
        return digest

    def _id(self, ordinal: int) -> str:
        return self._ids[ordinal * self.ID_BYTES:(ordinal + 1) * self.ID_BYTES].decode("ascii")

    def _read_signature(self, ordinal: int) -> np.ndarray:
        width = NUM_PERM * 8
        data = os.pread(self._signatures.fileno(), width, ordinal * width)
        return np.frombuffer(data, dtype=np.uint64)

    def load(self, doc_ids: list[str], signatures: np.ndarray) -> None:
        """Add stored originals without looking for their near-duplicates (rebuilding the index from the store)."""
        self._append(doc_ids, np.asarray(signatures, dtype=np.uint64).reshape(-1, NUM_PERM))

    def _append(self, doc_ids: list[str], signatures: np.ndarray) -> None:
        if not doc_ids:
            return
        encoded = b"".join(doc_id.encode("ascii") for doc_id in doc_ids)
        if len(encoded) != self.ID_BYTES * len(doc_ids):
            raise ValueError(f"document ids must be {self.ID_BYTES} ASCII characters")
        self._signatures.seek(0, os.SEEK_END)
        self._signatures.write(np.ascontiguousarray(signatures, dtype=np.uint64).tobytes())
        self._signatures.flush()
        ordinals = np.arange(self._count, self._count + len(doc_ids), dtype=np.int32)
        digests = self._band_digests(signatures)
        large, recent = self._tiers
        recent.insert(digests, ordinals)
        if len(recent) >= self.RECENT:
            large.insert_tier(recent)
            self._tiers[1] = _Tier(self.bands)
        self._ids += encoded
        self._count += len(doc_ids)

    def resolve(self, doc_ids: list[str], signatures: np.ndarray) -> list[tuple[str, float] | None]:
        """For each document in order: (original id, similarity) of its most similar original at or above the
        threshold (ties: the smaller id), or None, and then it is an original for the documents after it."""
        signatures = np.asarray(signatures, dtype=np.uint64).reshape(-1, NUM_PERM)
        digests = self._band_digests(signatures)
        stored: list[set[int]] = [set() for _ in doc_ids]
        for tier in self._tiers:
            tier.candidates(digests, stored)
        fresh: dict[tuple[int, int], list[int]] = {}  # (band, digest) -> rows of this call found to be originals
        originals: list[int] = []
        out: list[tuple[str, float] | None] = []
        for row in range(len(doc_ids)):
            signature = signatures[row]
            candidates = [(self._id(o), self._read_signature(o)) for o in sorted(stored[row])]
            seen_rows = {r for band in range(self.bands) for r in fresh.get((band, int(digests[row, band])), ())}
            candidates += [(doc_ids[r], signatures[r]) for r in sorted(seen_rows)]
            best = self._best(signature, candidates)
            out.append(best)
            if best is None:
                originals.append(row)
                for band in range(self.bands):
                    fresh.setdefault((band, int(digests[row, band])), []).append(row)
        self._append([doc_ids[r] for r in originals], signatures[originals])
        return out

    def _best(self, signature: np.ndarray, candidates: list[tuple[str, np.ndarray]]) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        for candidate, values in candidates:
            if not self._share_a_band(signature, values):
                continue  # its digest matched by chance: not a candidate of the LSH
            similarity = float(np.count_nonzero(signature == values)) / NUM_PERM
            if similarity >= self.threshold and (best is None or similarity > best[1] or
                                                 (similarity == best[1] and candidate < best[0])):
                best = (candidate, similarity)
        return best

    def _share_a_band(self, a: np.ndarray, b: np.ndarray) -> bool:
        banded = self.bands * self.rows
        return bool((a[:banded] == b[:banded]).reshape(self.bands, self.rows).all(axis=1).any())


class _Tier:
    """Per band, sorted band digests and the ordinal of the original each came from."""

    def __init__(self, bands: int) -> None:
        self.digests = [np.empty(0, dtype=np.uint64) for _ in range(bands)]
        self.ordinals = [np.empty(0, dtype=np.int32) for _ in range(bands)]

    def __len__(self) -> int:
        return len(self.digests[0])

    def insert(self, digests: np.ndarray, ordinals: np.ndarray) -> None:
        """Add originals: `digests` is originals × bands."""
        for band in range(len(self.digests)):
            order = np.argsort(digests[:, band], kind="stable")
            self._merge(band, digests[order, band], ordinals[order])

    def insert_tier(self, other: _Tier) -> None:
        for band in range(len(self.digests)):
            self._merge(band, other.digests[band], other.ordinals[band])

    def _merge(self, band: int, digests: np.ndarray, ordinals: np.ndarray) -> None:
        at = np.searchsorted(self.digests[band], digests, side="right")
        self.digests[band] = np.insert(self.digests[band], at, digests)
        self.ordinals[band] = np.insert(self.ordinals[band], at, ordinals)

    def candidates(self, digests: np.ndarray, found: list[set[int]]) -> None:
        """Add to found[row] the originals sharing a band digest with document `row` (digests: documents × bands)."""
        for band in range(len(self.digests)):
            left = np.searchsorted(self.digests[band], digests[:, band], side="left")
            right = np.searchsorted(self.digests[band], digests[:, band], side="right")
            for row in np.flatnonzero(right > left):
                found[row].update(self.ordinals[band][left[row]:right[row]].tolist())


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))
