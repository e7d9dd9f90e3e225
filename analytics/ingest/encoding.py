"""Text encodings: the bytes of an input file to text, with the encoding guessed and how sure the guess is.

Byte-order marks are certain; clean UTF-8 is taken as UTF-8 (a legacy file of any length almost never decodes as
UTF-8 by chance); anything else goes to charset-normalizer, which tries every codec and keeps the readings that make
the least mess, so an Arabic file in Windows-1256 or a Russian one in Windows-1251 is read as such instead of as
Western European mojibake.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..errors import InputError

# charset-normalizer reads this much of a file to guess; the whole file is then decoded with the guess.
SAMPLE_BYTES = 512 * 1024
# When several codecs read the bytes equally well (short Western text reads alike in cp1252, cp1250, cp1257),
# the most widely used one wins.
PREFERRED = ("utf_8", "cp1252", "cp1251", "cp1256", "cp1254", "cp1250", "cp1253", "cp1255", "cp1257", "iso8859_15",
             "koi8_r", "mac_cyrillic", "gb18030", "big5", "shift_jis", "euc_kr")
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Decoded:
    """A file's text, the encoding it was read with, and the confidence of that guess (0–1)."""

    text: str
    encoding: str
    confidence: float


def decode(data: bytes, path: str) -> Decoded:
    """The text of a file's bytes. Raises InputError for a binary file (NUL bytes that are not UTF-16/32).

    Confidence: 1.0 for a byte-order mark or valid UTF-8; otherwise 1 − charset-normalizer's mess ratio, divided
    by the number of codecs that read the bytes equally well (so a guess among look-alikes says it is unsure).
    """
    for bom, name in BOMS:
        if data.startswith(bom):
            text = data.decode(name, errors="replace")
            return Decoded(text.removeprefix("\ufeff"), name, 1.0)
    has_nul = b"\x00" in data[:8192]
    if not has_nul:
        try:
            return Decoded(data.decode("utf-8"), "utf-8", 1.0)
        except UnicodeDecodeError:
            pass
    if not data:
        return Decoded("", "utf-8", 1.0)
    guess = _guess(data[:SAMPLE_BYTES])
    if guess is None or (has_nul and not guess[0].startswith("utf_")):
        raise InputError(path, "binary file, not text", "give text, CSV, JSON, Parquet, HTML or feed files")
    name, confidence = guess
    text = data.decode(name, errors="replace")
    if has_nul and not _mostly_text(text):
        raise InputError(path, "binary file, not text", "give text, CSV, JSON, Parquet, HTML or feed files")
    return Decoded(text, name, confidence)


UTF8_CHECK_BYTES = 1 << 20  # block size of the pass that checks a file is UTF-8 all through


def open_utf8(path: Path) -> TextIO | None:
    """The file opened as a text stream (universal newlines kept as they are, as `io.StringIO(text, newline="")`)
    when `decode` would read it as plain UTF-8: no byte-order mark, no NUL byte in its head, and valid UTF-8 all
    through (checked block by block, nothing kept). None otherwise: other encodings are decoded whole."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
        if any(head.startswith(bom) for bom, _ in BOMS) or b"\x00" in head:
            return None
        fh.seek(0)
        checker = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := fh.read(UTF8_CHECK_BYTES):
                checker.decode(block)
            checker.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return open(path, encoding="utf-8", newline="")  # noqa: SIM115 (the caller reads it and closes it)


def _mostly_text(text: str, share: float = 0.95) -> bool:
    """True when nearly every character of a sample is printable or white space (UTF-16 text, not a binary file
    that some codec happens to accept)."""
    sample = text[:4096]
    good = sum(ch.isprintable() or ch in "\n\r\t" for ch in sample)
    return bool(sample) and good >= share * len(sample)


def _guess(sample: bytes) -> tuple[str, float] | None:
    """charset-normalizer's best codec for a sample and our confidence in it; None when nothing reads it."""
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        return None
    least_mess = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos == least_mess]
    best_coherence = max(m.coherence for m in tied)
    tied = [m for m in tied if m.coherence >= best_coherence - 1e-9]

    def rank(match: object) -> tuple[int, str]:
        name = match.encoding  # type: ignore[attr-defined]
        return (PREFERRED.index(name) if name in PREFERRED else len(PREFERRED), name)

    best = min(tied, key=rank)
    return best.encoding, round((1.0 - least_mess) / len(tied), 3)
