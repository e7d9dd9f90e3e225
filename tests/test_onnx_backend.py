"""The int8 ONNX MiniLM backend: batches by length, files checked at load, vectors that agree with the plain
model, a deterministic export; and the chooser of spaCy's process count."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from analytics.embeddings import MINILM_SHA256, sha256_of
from analytics.embeddings import onnx_minilm as ob
from analytics.errors import ModelUnavailableError
from analytics.scale import MIN_DOCS_PER_PROCESS, PROCESS_MEMORY_BYTES, entity_processes

GiB = 1024**3


# -- length-bucketed batches ------------------------------------------------------------------------


def test_token_batches_cover_every_text_once_within_the_budget():
    rng = random.Random(42)
    lengths = [rng.choice([rng.randint(5, 40), rng.randint(150, 256)]) for _ in range(1000)]
    batches = ob.token_batches(lengths, budget=4096)
    seen = np.concatenate(batches)
    assert sorted(seen.tolist()) == list(range(1000))
    for rows in batches:
        widths = [lengths[r] for r in rows]
        assert len(rows) == 1 or len(rows) * max(widths) <= 4096
    # posts are batched with posts: no batch mixes a 40-piece post with a 150-piece article unless it has to
    mixed = [rows for rows in batches if min(lengths[r] for r in rows) <= 40 < 150 <= max(lengths[r] for r in rows)]
    assert len(mixed) <= 1  # at most the one batch where the sorted lengths cross over
    padded = sum(len(rows) * max(lengths[r] for r in rows) for rows in batches)
    assert padded < 1.1 * sum(lengths)  # next to no padding; one batch of 64 in input order pads to ~256 each


def test_token_batches_edge_cases():
    assert ob.token_batches([]) == []
    one = ob.token_batches([300], budget=100)  # longer than the budget: still a batch of its own
    assert [b.tolist() for b in one] == [[0]]


# -- files checked at load ---------------------------------------------------------------------------


@pytest.fixture
def fake_export(tmp_path, monkeypatch):
    """A folder laid out as an export, with a record of its files (no model is loaded by these tests)."""
    monkeypatch.setenv("NARRATIVE_MODELS", str(tmp_path))
    folder = ob.onnx_model_dir()
    folder.mkdir(parents=True)
    (folder / ob.MODEL_FILE).write_bytes(b"not really a model")
    (folder / "tokenizer.json").write_text("{}")
    record = {ob.MODEL_FILE: sha256_of(folder / ob.MODEL_FILE), "tokenizer.json": sha256_of(folder / "tokenizer.json"),
              "source_sha256": MINILM_SHA256, "libraries": {"torch": "0.0-test"}}
    (folder / ob.RECORD_FILE).write_text(json.dumps(record))
    return folder, record


def test_recorded_files_are_accepted(fake_export):
    folder, _ = fake_export
    assert ob.verified_onnx_dir(export=False) == folder


def test_a_changed_model_file_is_refused(fake_export):
    folder, _ = fake_export
    (folder / ob.MODEL_FILE).write_bytes(b"not really a model, changed")
    with pytest.raises(ModelUnavailableError, match="does not match the one recorded"):
        ob.verified_onnx_dir(export=False)


def test_an_export_of_another_source_model_is_refused(fake_export):
    folder, record = fake_export
    (folder / ob.RECORD_FILE).write_text(json.dumps(record | {"source_sha256": "0" * 64}))
    with pytest.raises(ModelUnavailableError, match="another MiniLM"):
        ob.verified_onnx_dir(export=False)


def test_a_record_naming_the_pinned_libraries_must_name_the_known_digest(fake_export):
    folder, record = fake_export
    pinned = dict(next(iter(ob.KNOWN_EXPORTS)))
    (folder / ob.RECORD_FILE).write_text(json.dumps(record | {"libraries": pinned}))
    with pytest.raises(ModelUnavailableError, match="known export"):
        ob.verified_onnx_dir(export=False)


def test_no_export_and_no_permission_to_export_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATIVE_MODELS", str(tmp_path))
    with pytest.raises(ModelUnavailableError, match="not been exported") as caught:
        ob.verified_onnx_dir(export=False)
    assert "narrative models" in caught.value.user_message()


# -- spaCy's process count ---------------------------------------------------------------------------


def test_entity_processes_from_cores_size_and_memory():
    big = 64 * GiB
    assert entity_processes(100_000, "fast", cores=8, memory_bytes=big) == 1  # no model: never fork
    assert entity_processes(0, "quality", cores=8, memory_bytes=big) == 1
    assert entity_processes(MIN_DOCS_PER_PROCESS - 1, "quality", cores=8, memory_bytes=big) == 1
    assert entity_processes(2 * MIN_DOCS_PER_PROCESS, "quality", cores=8, memory_bytes=big) == 2
    assert entity_processes(100_000, "quality", cores=2, memory_bytes=big) == 2
    assert entity_processes(100_000, "quality", cores=8, memory_bytes=big) == 8
    assert entity_processes(100_000, "quality", cores=8, memory_bytes=3 * PROCESS_MEMORY_BYTES) == 3
    assert entity_processes(100_000, "quality", cores=8, memory_bytes=PROCESS_MEMORY_BYTES // 2) == 1
    assert entity_processes(100_000, "quality-int8", cores=4, memory_bytes=big) == 4


def test_entity_processes_reads_this_machine():
    n = entity_processes(10**7, "quality")
    assert 1 <= n <= (len(__import__("os").sched_getaffinity(0)))


# -- the real model (slow) ---------------------------------------------------------------------------

TEXTS = [
    "Telegram removed dozens of channels that spread Islamic State propaganda, Europol said on Friday.",
    "The Bank of England held interest rates at 0.5 per cent as inflation fell below its target.",
    "Flood warnings were issued along the River Severn after two days of heavy rain.",
    "@user12 this is a short post about football #3",
    " ".join(["Researchers examined how supporters shared videos across platforms after each takedown."] * 12),
    "Ministers argued about net migration figures before the election, and Ukip voters were polled.",
]


@pytest.mark.slow
def test_int8_vectors_agree_with_the_plain_model():
    from analytics.embeddings import MiniLMBackend

    plain = MiniLMBackend().encode(TEXTS)
    fast = ob.OnnxMiniLMBackend().encode(TEXTS)
    assert fast.dtype == np.float32 and fast.shape == plain.shape
    assert np.allclose(np.linalg.norm(fast, axis=1), 1, atol=1e-5)
    cos = (plain * fast).sum(axis=1)
    assert cos.min() > 0.97, cos
    # the nearest neighbour of each text is the same in both spaces
    assert ((plain @ plain.T - 2 * np.eye(len(TEXTS))).argmax(1) == (fast @ fast.T - 2 * np.eye(len(TEXTS))).argmax(1)
            ).all()


@pytest.mark.slow
def test_a_text_alone_or_batched_with_long_ones_stays_within_the_quantisation_error():
    """Activations are quantised with one scale per batch, so batch-mates move a vector a little (measured: cosine
    0.984–0.998 between a text alone and batched, as far as int8 is from the plain model); padding itself must
    not, and the same batches give the same bytes."""
    backend = ob.OnnxMiniLMBackend(batch_tokens=100_000)  # one batch: the post is padded to the long text
    batched = backend.encode(TEXTS)
    alone = np.vstack([backend.encode([t]) for t in TEXTS])
    assert ((batched * alone).sum(axis=1) > 0.98).all()
    assert np.array_equal(batched, backend.encode(TEXTS))  # deterministic for the same input
    plain = ob.OnnxMiniLMBackend(batch_tokens=100_000)
    plain.session()
    assert np.array_equal(plain.encode(TEXTS), batched)  # a fresh session: the same vectors


@pytest.mark.slow
def test_export_is_deterministic_and_matches_the_known_digest(tmp_path):
    first = ob.export_onnx_model(tmp_path / "a")
    second = ob.export_onnx_model(tmp_path / "b")
    digest = sha256_of(first / ob.MODEL_FILE)
    assert digest == sha256_of(second / ob.MODEL_FILE)
    record = json.loads((first / ob.RECORD_FILE).read_text())
    known = ob.KNOWN_EXPORTS.get(tuple(sorted(record["libraries"].items())))
    if known is not None:  # with the pinned library versions, the same bytes as on the machine that pinned it
        assert digest == known
