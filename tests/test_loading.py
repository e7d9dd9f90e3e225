"""The fast path's fixed costs (analytics/loading.py) are cut without changing a result: UMAP's distances bit for
bit, the entity components' mentions span for span, numba's cached code giving the embedding compiled code gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_post_entities import blank_pipes

from analytics import config, loading
from analytics.entities.components import TEXT_KEY, doc_text, doc_with_text
from benchmarks import planted_posts

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.flow  # imports UMAP and compiles its numba code
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_umaps_small_corpus_distances_are_scikit_learns_bit_for_bit(dtype):
    from sklearn.metrics import pairwise_distances

    loading.topic_libraries()
    import umap.umap_
    from umap.distances import cosine

    rng = np.random.default_rng(42)
    vectors = rng.normal(size=(400, 32)).astype(dtype)
    vectors[7] = vectors[3]  # a repeated document: a distance of exactly zero off the diagonal
    vectors[11] = 0  # an empty one: UMAP's cosine says 1 against anything, 0 against itself
    ours = umap.umap_.pairwise_distances(vectors, metric=cosine)
    theirs = pairwise_distances(vectors, metric=cosine)
    assert ours.dtype == theirs.dtype == dtype
    assert np.array_equal(ours, theirs)
    assert ours[7, 3] == 0 and ours[11, 0] == 1 and ours[11, 11] == 0
    # rows of another layout take the pair-by-pair loop: the same matrix again
    assert np.array_equal(umap.umap_.pairwise_distances(np.asfortranarray(vectors), metric=cosine), theirs)
    # anything else goes to scikit-learn as before
    assert np.array_equal(umap.umap_.pairwise_distances(vectors, metric="euclidean"),
                          pairwise_distances(vectors, metric="euclidean"))


def test_every_umap_and_pynndescent_function_is_cached_on_disk():
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    loading.topic_libraries()
    functions = [value for name, module in list(sys.modules.items())
                 if module is not None and name.partition(".")[0] in loading.NUMBA_LIBRARIES
                 for value in vars(module).values() if isinstance(value, Dispatcher)]
    assert len(functions) > 100  # umap's and pynndescent's module-level functions were found
    assert [f.py_func.__qualname__ for f in functions if isinstance(f._cache, NullCache)] == []
    assert loading.cache_every_numba_function(loading.NUMBA_LIBRARIES) == 0  # nothing left to turn on


def test_a_package_kept_out_cannot_be_imported_inside_the_block_only():
    name = "tabnanny"  # a standard-library module nothing here imports
    sys.modules.pop(name, None)
    with loading.kept_out((name, "json")):
        with pytest.raises(ModuleNotFoundError, match=name):
            __import__(name)
        import json as again  # already imported: never refused

        assert again is json
    assert __import__(name).__name__ == name
    assert not any(isinstance(hook, loading._KeptOut) for hook in sys.meta_path)


def test_the_numba_cache_folder_is_ours_unless_the_user_chose_one(monkeypatch, tmp_path):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("NARRATIVE_MODELS", str(tmp_path))
    assert loading.numba_cache_dir() == tmp_path / "numba-cache"
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "mine"))
    assert loading.numba_cache_dir() == tmp_path / "mine"


def _texts() -> list[str]:
    """Posts with retweet prefixes, @mentions, #hashtags, links and escaped entities, and demo articles with the
    bare 'IS' the context rule reads."""
    posts = [p["text"] for p in planted_posts.generate(400, seed=42)]
    articles = [path.read_text(encoding="utf-8") for path in
                sorted((config.DEMO_CORPUS_DIR / "documents").rglob("*"))[:80] if path.is_file()]
    return posts + articles


def _reading(doc) -> tuple:
    spans = {key: [(s.start_char, s.end_char, s.label_, s.id_, s.kb_id_) for s in group]
             for key, group in doc.spans.items()}
    return ([(e.start_char, e.end_char, e.label_, e.id_, e.kb_id_) for e in doc.ents], spans,
            [(s.start_char, s.end_char) for s in doc.sents])


def test_components_reading_the_kept_text_find_what_they_found_from_the_tokens():
    pipes = blank_pipes()
    nlp = pipes.english
    texts = _texts()
    assert any(" IS " in t for t in texts) and any("RT @" in t for t in texts) and any("#" in t for t in texts)
    plain = [_reading(doc) for doc in nlp.pipe(texts)]
    kept = [_reading(doc) for doc in nlp.pipe(doc_with_text(nlp, t) for t in texts)]
    assert kept == plain
    assert sum(len(ents) for ents, _, _ in plain) > 200  # the rules had work to do
    doc = doc_with_text(nlp, texts[0])
    assert doc_text(doc) is texts[0] and doc.user_data[TEXT_KEY] is texts[0]
    assert doc_text(nlp.make_doc(texts[1])) == texts[1]  # a Doc made elsewhere: spaCy's own text


def _child(code: str, env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO), **env})
    return json.loads(done.stdout.strip().splitlines()[-1])


# One process: the topic libraries as a fit loads them, a UMAP fit on 300 seeded unit vectors (the exact-distance
# path), and what was compiled meanwhile (numba's compile events) and what was imported.
_FIT = """
import json, sys, hashlib, numpy as np
from numba.core import event
compiled = []
class Recorder(event.Listener):
    def on_start(self, ev): pass
    def on_end(self, ev): compiled.append(str(ev.data.get("dispatcher")))
event.register("numba:compile", Recorder())
from analytics.loading import topic_libraries
UMAP = topic_libraries()["UMAP"]
x = np.random.default_rng(0).normal(size=(300, 24)); x /= np.linalg.norm(x, axis=1, keepdims=True)
emb = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42, low_memory=True).fit(x)
print(json.dumps({"compiled": len(compiled), "embedding": hashlib.sha256(emb.embedding_.tobytes()).hexdigest(),
                  "torch": "torch" in sys.modules, "sentence_transformers": "sentence_transformers" in sys.modules}))
"""


@pytest.mark.slow
def test_a_second_process_loads_umaps_compiled_code_and_gets_the_same_embedding(tmp_path):
    env = {"NARRATIVE_MODELS": str(tmp_path), "NUMBA_CACHE_DIR": ""}
    first = _child(_FIT, env)
    second = _child(_FIT, env)
    assert first["compiled"] > 5  # an empty cache: UMAP's functions were compiled (and written)
    assert second["compiled"] == 0  # nothing compiled again
    assert second["embedding"] == first["embedding"]  # the cached machine code computes the same layout
    assert any((tmp_path / "numba-cache").iterdir())
    # the fast profile's topic fit never imports torch or sentence-transformers
    assert not first["torch"] and not first["sentence_transformers"]


# The process that fits the themes checks the spaCy model's files (entities.model_dir) and loads the topic
# libraries; neither may import spaCy's torch or BERTopic's transformers (~3 CPU-s on UK news, fast profile).
_READY = """
import json, sys
from analytics.entities import model_dir
model_dir()
checked = {name: name in sys.modules for name in ("spacy", "torch")}
from analytics.loading import topic_libraries
topic_libraries()
print(json.dumps({"after_model_dir": checked,
                  "after_topic_libraries": {name: name in sys.modules for name in ("torch", "transformers")}}))
"""


@pytest.mark.flow  # a child process imports BERTopic and UMAP
def test_checking_the_spacy_model_and_loading_the_topic_libraries_import_neither_torch_nor_transformers():
    found = _child(_READY, {})
    assert found["after_model_dir"] == {"spacy": False, "torch": False}
    assert found["after_topic_libraries"] == {"torch": False, "transformers": False}


_INGEST_IMPORTS = """
import json, sys
import analytics.cli, analytics.ingest, analytics.pipeline
before = "analytics.corpus" in sys.modules
import analytics
from analytics import Corpus
names = {name: getattr(analytics, name).__name__ for name in analytics.__all__ if name != "__version__"}
print(json.dumps({"read_model_before": before, "corpus": Corpus.__module__, "names": names}))
"""


def test_the_package_imports_its_read_model_only_when_asked_for_it():
    found = _child(_INGEST_IMPORTS, {})
    assert found["read_model_before"] is False  # `narrative ingest` never loads the read model
    assert found["corpus"] == "analytics.corpus"
    assert found["names"]["Corpus"] == "Corpus" and found["names"]["InputError"] == "InputError"
    assert set(found["names"]) == {"Corpus", "FilterOptions", "Filters", "Findings", "Framing", "InputError",
                                   "ModelUnavailableError", "NarrativeError", "Reading", "RecordRejected",
                                   "StoreBusyError", "StoreError", "StoreOutdatedError", "Summary",
                                   "UnsafeArchiveError", "UsageError"}
