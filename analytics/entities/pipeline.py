"""The spaCy pipelines: the English one (statistical NER or alias-only) and alias-only ones for other languages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..languages import RULER_CONFIG_NORM, people_keys, use_script_matching
from .aliases import AliasTable, ambiguous_aliases, case_config, ruler_patterns
from .components import RULER_CONFIG, _register_components
from .model import model_dir
from .posts import add_post_components

# Bumped when the pipeline's output changes for the same model and alias list, so stored documents are processed
# again: v2 matches Arabic-script aliases with their proclitics and spelling variants (languages/matching.py);
# v3 reads posts: @mentions and #hashtags as actors, RT prefixes and links never entities (entities/posts.py).
PIPELINE_VARIANT = "v3"


@dataclass
class Pipelines:
    """The English pipeline and, built on demand, alias-only pipelines for other languages."""

    english: Any
    aliases: AliasTable
    profile: str
    version: str
    _others: dict[str, Any]

    def for_language(self, lang: str) -> tuple[Any, bool]:
        """The pipeline for a language and whether it is alias-only."""
        if lang in ("en", "und", "", None):
            return self.english, self.profile == "fast"
        if lang not in self._others:
            from ..loading import spacy_module

            spacy = spacy_module()
            try:
                nlp = spacy.blank(lang)
            except Exception:  # spaCy has no tokenizer for this code: the multilingual one
                nlp = spacy.blank("xx")
            self._others[lang] = alias_only_pipeline(nlp, self.aliases)
        return self._others[lang], True


def alias_only_pipeline(nlp: Any, aliases: AliasTable) -> Any:
    """A blank pipeline's components for matching the alias list without a model (other languages; re-normalising).

    Arabic script: proclitics split off alias words and letters normalised (the ruler matches on NORM), and
    Arabic-script names linked to listed people by their romanisation (romanised_names; languages/matching.py)."""
    _register_components()
    nlp.add_pipe("sentencizer")
    use_script_matching(nlp, aliases.frame["alias"])
    ruler = nlp.add_pipe("entity_ruler", config=RULER_CONFIG_NORM)
    ruler.add_patterns(ruler_patterns(aliases, nlp.make_doc))
    nlp.add_pipe("alias_case", config=case_config(aliases))
    add_post_components(nlp, aliases)  # [posts] @mentions, #hashtags, links: entities/posts.py
    people = people_keys(zip(aliases.frame["alias"], aliases.frame["canonical_id"], aliases.frame["type"],
                             strict=True))
    nlp.add_pipe("romanised_names", config={"people": [[k, c, t] for k, (c, t) in sorted(people.items())]})
    nlp.add_pipe("ambiguous_alias_guard", config={"words": ambiguous_aliases(aliases)})
    nlp.add_pipe("is_context")
    return nlp


def build_pipeline(aliases: AliasTable, profile: str = "quality", nlp: Any = None) -> Pipelines:
    """The English pipeline: quality = ruler + statistical NER + senter; fast = ruler only (no model inference).

    `nlp`: a spaCy pipeline of your own to build on instead of the pinned model (its NER, if any, runs after the
    alias ruler; a sentencizer is added when it has no sentence boundaries); its version says it is custom.
    """
    from ..loading import spacy_module

    spacy = spacy_module()  # imported without torch, which no pipeline here uses
    _register_components()
    if nlp is not None:
        if not {"senter", "parser", "sentencizer"} & set(nlp.pipe_names):
            nlp.add_pipe("sentencizer")
        before = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe("entity_ruler", config=RULER_CONFIG, **before)
        variant = "custom"
    elif profile == "fast":
        nlp = spacy.load(model_dir(), exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer",
                                               "ner", "senter"])
        nlp.add_pipe("sentencizer")
        ruler = nlp.add_pipe("entity_ruler", config=RULER_CONFIG)
        variant = PIPELINE_VARIANT
    else:
        nlp = spacy.load(model_dir(), exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
        nlp.enable_pipe("senter")
        # Before "ner": the model then labels only what the curated aliases left untouched.
        ruler = nlp.add_pipe("entity_ruler", before="ner", config=RULER_CONFIG)
        variant = PIPELINE_VARIANT
    ruler.add_patterns(ruler_patterns(aliases, nlp.make_doc))
    nlp.add_pipe("alias_case", after="entity_ruler", config=case_config(aliases))
    add_post_components(nlp, aliases)  # [posts] @mentions, #hashtags, links; listed places over the model's PERSON
    # Last but one: it judges the ruler's and the model's readings alike.
    nlp.add_pipe("ambiguous_alias_guard", config={"words": ambiguous_aliases(aliases)})
    nlp.add_pipe("is_context")
    return Pipelines(nlp, aliases, profile, _version(nlp.meta, profile, variant), {})


def _version(meta: dict, profile: str, variant: str) -> str:
    # The same spaCy pipeline serves the quality, quality-int8 and multilingual profiles (they differ in their
    # embeddings only): one version.
    return f"{meta['name']}-{meta['version']}/{'fast' if profile == 'fast' else 'quality'}/{variant}"


def pipeline_version(profile: str) -> str:
    """The version `build_pipeline` gives the pinned model's pipeline of this profile, read from the model's
    meta.json without importing spaCy: a driver whose batches are extracted in other processes needs no more."""
    meta = json.loads((model_dir() / "meta.json").read_text(encoding="utf-8"))
    return _version(meta, profile, PIPELINE_VARIANT)


# One pipeline per process and (alias list, profile): built once, whether the process is this one or a Dask worker.
_PIPELINES: dict[tuple[str, str], Pipelines] = {}


def cached_pipeline(aliases: AliasTable, profile: str, nlp: Any = None) -> Pipelines:
    """The pipeline for this alias list and profile, built on first use in this process (on `nlp` when given:
    a pipeline of your own replaces the cached one in this process)."""
    key = (aliases.digest, profile)
    if key not in _PIPELINES or nlp is not None:
        _PIPELINES.clear()  # an edited alias list replaces the old pipeline rather than piling up models
        _PIPELINES[key] = build_pipeline(aliases, profile, nlp)
    return _PIPELINES[key]
