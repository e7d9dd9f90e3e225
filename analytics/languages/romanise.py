"""Arabic-script person names linked to the alias list through their common Latin spellings.

The alias list names most people in Latin script. An Arabic text may write a listed person in a spelling the list
does not have (أبي بكر البغدادي, ابو محمد العدنانى). arabic-name-romanizer==0.2.0 (MIT, pinned, offline) gives the
common Latin spellings of an Arabic name from a dictionary of attested spellings; when one of them is a listed
alias of a person, the name is that person. Only the dictionary is used (its neural fallback is not loaded), and
its file is checked by sha256 before it is opened.

Latin spellings of one Arabic name differ in their vowels and in French or English habits (Abou Moussab
al-Zarqaoui, Abu Musab al-Zarqawi), so names are compared by `consonant_key`: articles dropped, vowels and the
half-vowels w and y dropped, a few digraphs folded, doubled letters made single. It is loose on purpose and so
only used for people, for names of at least four such consonants, and for runs of words the dictionary knows as
names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..errors import ROMANISER_CHECKSUM, ROMANISER_MISSING

ROMANISER_VERSION = "0.2.0"
INDEX_SHA256 = "d475ffa773e08a8bbe79a0ccd48d79336a84b25bda76a6a38fd53089392c8be0"  # resources/names.sqlite3
CANDIDATES = 5  # Latin spellings compared per name
MIN_KEY = 4  # consonants a name's key must have to be compared at all
MAX_RUN = 5  # words in one name

_ARTICLES = {"al", "el", "ul", "an", "ad", "ar", "as", "ash", "at", "az", "ad-din"}
_FOLDS = [("ou", "u"), ("dj", "j"), ("ch", "sh"), ("q", "k"), ("c", "k"), ("ph", "f"), ("'", ""), ("’", "")]


def consonant_key(name: str) -> str:
    """A loose key of a Latin-script name: 'Abu Musab al-Zarqawi' and 'Abou Moussab Al-Zarqaoui' → 'bmsbzrk'."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for a, b in _FOLDS:
        text = text.replace(a, b)
    words = [w for w in re.split(r"[\s\-]+", text) if w and w not in _ARTICLES]
    letters = re.sub(r"[^a-z]", "", "".join(words))
    skeleton = re.sub(r"[aeiouwy]", "", letters.replace("sh", "S").replace("kh", "K").replace("gh", "G")
                      .replace("th", "T").replace("dh", "D"))
    return re.sub(r"(.)\1+", r"\1", skeleton)


def romaniser_index() -> Path:
    """The romaniser's dictionary file, after checking its sha256."""
    try:
        import arabic_name_romanizer
    except ImportError as exc:
        raise ROMANISER_MISSING.error() from exc
    from ..embeddings import sha256_of

    path = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
    if not path.is_file() or sha256_of(path) != INDEX_SHA256:
        raise ROMANISER_CHECKSUM.error(path=path, pinned=ROMANISER_VERSION)
    return path


@lru_cache(maxsize=1)
def _romaniser():
    """The dictionary-only transliterator, opened once per process."""
    from arabic_name_romanizer import Transliterator

    return Transliterator(index_path=romaniser_index(), auto_load_model=False)


@lru_cache(maxsize=200_000)
def is_name_word(word: str) -> bool:
    """True when the romaniser's dictionary knows the word as (part of) a personal name, or it is a name
    particle (أبو, بن, عبد)."""
    from arabic_name_romanizer.normalize import PARTICLES, lookup_key

    if word in PARTICLES:
        return True
    index = _romaniser().index
    return bool(index and index.lookup_unit(lookup_key(word)))


# "Abu" (father of) is written أبي after a preposition and أبا as an object; the name is the same. The romaniser
# knows the nominative form best.
_KUNYA_CASES = {"أبي": "أبو", "ابي": "أبو", "أبا": "أبو", "ابا": "أبو"}


@lru_cache(maxsize=50_000)
def latin_spellings(name: str) -> tuple[str, ...]:
    """Common Latin spellings of an Arabic-script name, most likely first."""
    name = " ".join(_KUNYA_CASES.get(word, word) for word in name.split())
    return tuple(c.text for c in _romaniser().transliterate(name, top_k=CANDIDATES))


def link_names(words: list[str], people: dict[str, tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    """Runs of `words` (Arabic-script words the dictionary knows as names) whose Latin spellings include a
    listed person's, longest first and not overlapping: (first word, end word, canonical id, label). `people`
    maps consonant_key(alias) → (canonical id, label)."""
    n = len(words)
    for length in range(min(n, MAX_RUN), 0, -1):
        for start in range(0, n - length + 1):
            for spelling in latin_spellings(" ".join(words[start:start + length])):
                key = consonant_key(spelling)
                if len(key) >= MIN_KEY and key in people:
                    end = start + length
                    right = [(a + end, b + end, c, t) for a, b, c, t in link_names(words[end:], people)]
                    return [*link_names(words[:start], people), (start, end, *people[key]), *right]
    return []
