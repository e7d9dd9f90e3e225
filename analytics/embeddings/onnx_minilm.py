"""all-MiniLM-L6-v2 on ONNX Runtime with int8 weights: the transformer vectors at several times the speed.

Set-up (`narrative models`) exports the pinned MiniLM once: torch's ONNX exporter writes the BERT graph
(opset 17, dynamic batch and length), ONNX Runtime's dynamic quantisation stores the weights of its matrix
products as int8, one scale per output channel (activations are quantised on the fly, so no calibration data
is needed). Per-tensor scales gave a mean cosine of 0.951 with the unquantised vectors on news passages (min
0.87); per-channel scales 0.994 (min 0.98): measured on UK news passages, see docs/SCALING.md. Both steps are
deterministic: two exports from the same files with the same library versions give the same bytes (test). The
export's sha256 is written beside it in `narrative.sha256.json`, with the source model's pinned sha256 and the
library versions, and checked at every load; the source is checked against its pin before it is exported.

Encoding: texts are tokenized once (Rust, every core), sorted by length and cut into batches by a token budget,
so a tweet is never padded to the length of an article; a batch's vectors are the mean of its token states over
the attention mask, normalised, as sentence-transformers' Pooling + Normalize modules do. ONNX Runtime quantises
activations with one scale per batch, so a text's vector moves a little with its batch-mates (cosine ≥ 0.98,
about as far as int8 is from the plain model; test): the topic stage embeds documents in id order, so the same
corpus gives the same vectors, and cached vectors are reused rather than recomputed.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from ..errors import ONNX_CHECKSUM, ONNX_FOREIGN_SOURCE, ONNX_NOT_EXPORTED, ONNX_RUNTIME_MISSING
from .base import BackendBase, sha256_of
from .minilm import MINILM_SHA256, minilm_path
from .passages import PASSAGE_WORDS

ONNX_PACKAGE_LINE = "pip install onnxruntime==1.31.1 onnx==1.23.2"
MODEL_FILE = "model.int8.onnx"
RECORD_FILE = "narrative.sha256.json"
# The window of the model in word pieces: sentence-transformers' max_seq_length for this model.
MAX_TOKENS = 256
# Word pieces per batch (rows × padded length): measured on news passages and posts, 8k–16k keeps the matrix
# products large enough for the int8 kernels without a long batch's attention costing more than it saves.
BATCH_TOKENS = 8192
# The libraries whose versions decide the exported bytes; recorded beside the export.
EXPORT_LIBRARIES = ("torch", "onnx", "onnxruntime", "transformers")
# The export's sha256 with the versions the project pins (two exports compared byte for byte, and again on a
# second machine of the same kind): a record naming these versions must also name this digest.
KNOWN_EXPORTS = {  # keys: sorted (library, version) pairs
    (("onnx", "1.23.2"), ("onnxruntime", "1.31.1"), ("torch", "2.13.0+cpu"), ("transformers", "5.24.0")):
        "258f869d975ffed0b1d03901c53b553fb36f68c70d6a1f56945aab78627f1b53",
}


def onnx_model_dir() -> Path:
    """Where the exported model is cached ($NARRATIVE_MODELS, else ~/.cache/narrative-timeline)."""
    root = Path(os.environ.get("NARRATIVE_MODELS", Path.home() / ".cache" / "narrative-timeline"))
    return root / f"minilm-onnx-int8-{MINILM_SHA256[:12]}"


def _versions() -> dict[str, str]:
    out = {}
    for name in EXPORT_LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _require_onnx() -> None:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        raise ONNX_RUNTIME_MISSING.error() from exc


def activation_matmuls(model_path: Path) -> list[str]:
    """Names of the matrix products between two activations (attention's query·key and weights·value): they
    have no weights to store as int8, and quantising their inputs on the fly costs agreement for little speed."""
    import onnx

    model = onnx.load(str(model_path))
    weights = {init.name for init in model.graph.initializer}
    return [node.name for node in model.graph.node
            if node.op_type == "MatMul" and not any(name in weights for name in node.input)]


def export_onnx_model(target: Path | None = None) -> Path:
    """Export the pinned MiniLM to ONNX, quantise its weights to int8, save with its checksum record; returns
    the folder. About 10 s on two cores; nothing is downloaded."""
    _require_onnx()
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    target = target or onnx_model_dir()
    source = minilm_path()  # checks the source weights against their pin
    bert = AutoModel.from_pretrained(str(source)).eval()

    class LastHiddenState(torch.nn.Module):
        """The encoder with positional inputs and one output: what the exporter traces."""

        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN201 - traced
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]}
    example = torch.ones(2, 16, dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "model.onnx"
        partial = Path(tmp) / MODEL_FILE
        with torch.inference_mode():
            # The TorchScript exporter: deterministic bytes, no onnxscript needed (dynamo=False).
            torch.onnx.export(LastHiddenState(bert), (example, torch.ones_like(example), torch.zeros_like(example)),
                              str(plain), input_names=names, output_names=["last_hidden_state"], dynamic_axes=axes,
                              opset_version=17, do_constant_folding=True, dynamo=False)
        quantize_dynamic(str(plain), str(partial), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                         nodes_to_exclude=activation_matmuls(plain), per_channel=True, reduce_range=False,
                         # shape inference cannot type every MatMul output of the traced graph; they are float
                         extra_options={"DefaultTensorType": 1})
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / "tokenizer.json", target / "tokenizer.json")
        shutil.move(str(partial), target / MODEL_FILE)
    record = {MODEL_FILE: sha256_of(target / MODEL_FILE), "tokenizer.json": sha256_of(target / "tokenizer.json"),
              "source_sha256": MINILM_SHA256, "libraries": _versions()}
    # Written last: a folder without its record is an unfinished export and is exported again.
    (target / RECORD_FILE).write_text(json.dumps(record, indent=2))
    return target


def verified_onnx_dir(export: bool = True) -> Path:
    """The exported model's folder after checking its files against the record written at export (and that the
    record is of the pinned source model); exports first when there is none and `export` is true."""
    folder = onnx_model_dir()
    record_path = folder / RECORD_FILE
    if not record_path.is_file():
        if not export:
            raise ONNX_NOT_EXPORTED.error(path=folder)
        export_onnx_model(folder)
    record = json.loads(record_path.read_text())
    if record.get("source_sha256") != MINILM_SHA256:
        raise ONNX_FOREIGN_SOURCE.error(path=folder)
    known = KNOWN_EXPORTS.get(tuple(sorted(record.get("libraries", {}).items())))
    if known is not None and record.get(MODEL_FILE) != known:
        raise ONNX_CHECKSUM.error(path=folder / MODEL_FILE, folder=folder,
                                  why="it differs from the known export with the same libraries")
    for name in (MODEL_FILE, "tokenizer.json"):
        path = folder / name
        if not path.is_file() or sha256_of(path) != record.get(name):
            raise ONNX_CHECKSUM.error(path=path, folder=folder, why="changed since the export")
    return folder


def token_batches(lengths: list[int], budget: int = BATCH_TOKENS) -> list[np.ndarray]:
    """Indexes of the texts in batches of similar length: sorted by length, each batch as many rows as fit the
    budget of word pieces once padded to its longest row (at least one row)."""
    order = np.argsort(np.asarray(lengths, dtype=np.int64), kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    for end in range(1, len(order) + 1):
        # sorted ascending: the batch's longest row is its last one
        if end - start > 1 and (end - start) * lengths[order[end - 1]] > budget:
            batches.append(order[start:end - 1])
            start = end - 1
    if start < len(order):
        batches.append(order[start:])
    return batches


@dataclass
class OnnxMiniLMBackend(BackendBase):
    """all-MiniLM-L6-v2 exported to ONNX with int8 weights, on ONNX Runtime's CPU provider."""

    name: str = "all-MiniLM-L6-v2-onnx-int8@gt-0.1.0"
    dimension: int = 384
    passage_words: int = PASSAGE_WORDS
    # the same model as the quality profile's MiniLM, so the same threshold (measured on the demo corpus)
    zeroshot_similarity: float = 0.5
    # Large calls from the topic stage: the sort by length then works over many passages at once.
    texts_per_call: int = 4096
    batch_tokens: int = BATCH_TOKENS
    max_tokens: int = MAX_TOKENS
    threads: int = 0  # 0: ONNX Runtime's default (one per core)
    _session: object = field(default=None, repr=False)
    _tokenizer: object = field(default=None, repr=False)

    def worker_factory(self) -> Callable[[], OnnxMiniLMBackend]:
        """A Dask worker checks and loads the same exported files (export them there with `narrative models`)."""
        return functools.partial(OnnxMiniLMBackend, batch_tokens=self.batch_tokens, max_tokens=self.max_tokens)

    def session(self):
        """The ONNX Runtime session and the tokenizer, loaded once after the files are checked."""
        if self._session is None:
            _require_onnx()
            import onnxruntime as ort
            from tokenizers import Tokenizer

            folder = verified_onnx_dir()
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            if self.threads:
                options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            # Idle threads sleep instead of spinning: on a shared machine or beside spaCy's processes a spinning
            # thread takes the core another process needs (measured: docs/SCALING.md).
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.enable_truncation(self.max_tokens)
            self._tokenizer = tokenizer
            self._session = ort.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        return self._session

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        session = self.session()
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        for rows in token_batches(lengths, self.batch_tokens):
            width = max(lengths[r] for r in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for k, r in enumerate(rows):
                ids[k, :lengths[r]] = encodings[r].ids
                mask[k, :lengths[r]] = 1
            states = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                        "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.where(norms == 0, 1, norms)
        return out
