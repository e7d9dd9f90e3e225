"""MiniLM on several runtimes over the same passages, interleaved round by round: CPU seconds (what other jobs on
a shared machine inflate least), wall seconds, and the cosine of each runtime's vectors with sentence-transformers'.

    python -m benchmarks.runtimes CORPUS.csv [--documents 25] [--rounds 2]

Runtimes: sentence-transformers on torch (the baseline), the int8 ONNX export of the quality-int8 profile
(analytics.embeddings.onnx_minilm), and CTranslate2 int8 when the `ctranslate2` package is installed (converted into a
temporary folder). Passages are those the topic stage makes from the first documents of the CSV's `text` column,
plus a post-length cut of each (8–40 words), shuffled with a fixed seed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def passages_of(csv_path: Path, documents: int, seed: int = 7) -> list[str]:
    from analytics.embeddings import split_passages

    texts = pd.read_csv(csv_path)["text"].dropna().astype(str).tolist()
    random.Random(seed).shuffle(texts)
    passages = [t[a:b] for t in texts[:documents] for a, b in split_passages(t)]
    rng = random.Random(1)
    posts = [" ".join(p.split()[:rng.randint(8, 40)]) for p in passages]
    out = passages + posts
    rng.shuffle(out)
    return out


def ctranslate2_encoder(folder: Path) -> Callable[[list[str]], np.ndarray] | None:
    """CTranslate2 int8 MiniLM with the same tokenizer, batches and pooling as the ONNX backend; None without it."""
    try:
        import ctranslate2
    except ImportError:
        return None
    from tokenizers import Tokenizer

    from analytics.embeddings import minilm_path
    from analytics.embeddings.onnx_minilm import MAX_TOKENS, token_batches

    ctranslate2.converters.TransformersConverter(str(minilm_path())).convert(str(folder), quantization="int8",
                                                                              force=True)
    encoder = ctranslate2.Encoder(str(folder), device="cpu", compute_type="int8")
    tokenizer = Tokenizer.from_file(str(minilm_path() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)

    def encode(texts: list[str]) -> np.ndarray:
        encodings = tokenizer.encode_batch(texts)
        lengths = [len(e.ids) for e in encodings]
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for rows in token_batches(lengths):
            states = np.array(encoder.forward_batch([encodings[r].tokens for r in rows]).last_hidden_state)
            mask = np.zeros(states.shape[:2], dtype=np.float32)
            for k, r in enumerate(rows):
                mask[k, :lengths[r]] = 1
            pooled = (states * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[rows] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out

    return encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="a CSV with a text column")
    parser.add_argument("--documents", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from analytics.embeddings import MiniLMBackend
    from analytics.embeddings.onnx_minilm import OnnxMiniLMBackend

    passages = passages_of(args.corpus, args.documents)
    print(f"{len(passages)} passages, {sum(len(p.split()) for p in passages):,} words")
    torch_backend, int8_backend = MiniLMBackend(), OnnxMiniLMBackend()
    runtimes: dict[str, Callable[[list[str]], np.ndarray]] = {
        "sentence-transformers (torch)": torch_backend.encode, "ONNX Runtime int8 (quality-int8)": int8_backend.encode}
    with tempfile.TemporaryDirectory() as tmp:
        ct2 = ctranslate2_encoder(Path(tmp) / "ct2")
        if ct2 is not None:
            runtimes["CTranslate2 int8"] = ct2
        reference = torch_backend.encode(passages)
        for name, encode in runtimes.items():
            cos = (encode(passages) * reference).sum(axis=1)  # also the warm-up
            print(f"{name:<34} cosine with torch: mean {cos.mean():.4f}, min {cos.min():.4f}")
        cpu: dict[str, list[float]] = {name: [] for name in runtimes}
        for round_ in range(args.rounds):
            for name, encode in runtimes.items():
                load, start_cpu, start = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
                encode(passages)
                cpu[name].append(cpu_seconds() - start_cpu)
                wall = time.perf_counter() - start
                print(f"round {round_}: {name:<34} cpu {cpu[name][-1]:6.1f} s  wall {wall:6.1f} s  load {load:.1f}")
    base = min(cpu["sentence-transformers (torch)"])
    for name, values in cpu.items():
        print(f"{name:<34} CPU s min {min(values):6.1f}, median {np.median(values):6.1f}; "
              f"ratio to torch {base / min(values):.2f}")


if __name__ == "__main__":
    main()
