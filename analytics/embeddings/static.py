"""Static embeddings distilled from the pinned MiniLM (model2vec's recipe): the fast profile's vectors."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import STATIC_CHECKSUM
from .base import BackendBase, sha256_of
from .minilm import MINILM_SHA256, minilm_path
from .passages import PASSAGE_WORDS

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
class StaticBackend(BackendBase):
    """model2vec static embeddings distilled from the pinned MiniLM: the fast profile's vectors."""

    name: str = f"static-minilm-{STATIC_DIMS}@gt-0.1.0"
    dimension: int = STATIC_DIMS
    passage_words: int = PASSAGE_WORDS
    zeroshot_similarity: float = 0.65
    # Large batches: model2vec tokenizes batches of 10,000 texts or more in several processes.
    texts_per_call: int = 20_000
    _model: object = field(default=None, repr=False)

    def worker_factory(self) -> Callable[[], StaticBackend]:
        """A worker loads the cached static model (distilling it there first if it has none)."""
        return StaticBackend

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
                raise STATIC_CHECKSUM.error(path=folder)
            self._model = StaticModel.from_pretrained(str(folder))
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors for the texts."""
        vectors = np.asarray(self.model().encode(texts, batch_size=1024, show_progress_bar=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)
