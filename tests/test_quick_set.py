"""The quick set loads no model: the guard in conftest refuses every model load outside slow and e2e tests."""

from __future__ import annotations

import pytest
from model_guard import ModelLoadedInQuickTest

from analytics import embeddings, entities


def test_the_guard_refuses_every_model_in_a_quick_test():
    aliases = entities.load_aliases(entities.model.CHECKSUMS_FILE.parent.parent.parent / "corpora" / "aliases.csv")
    for load in (lambda: entities.build_pipeline(aliases, "fast"), lambda: entities.build_pipeline(aliases),
                 lambda: embeddings.MiniLMBackend().encode(["a text"]),
                 lambda: embeddings.StaticBackend().encode(["a text"])):
        with pytest.raises(ModelLoadedInQuickTest):
            load()


def test_an_alias_only_pipeline_on_a_blank_english_nlp_needs_no_model():
    import spacy

    aliases = entities.load_aliases(entities.model.CHECKSUMS_FILE.parent.parent.parent / "corpora" / "aliases.csv")
    pipes = entities.build_pipeline(aliases, "fast", nlp=spacy.blank("en"))
    doc = pipes.english("Supporters moved from Telegram to TamTam after Europol's action against ISIS.")
    assert {e.ent_id_ for e in doc.ents} >= {"telegram", "tamtam", "europol", "islamic_state"}
    assert pipes.version.endswith("/fast/custom")
