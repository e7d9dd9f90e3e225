"""Entities: who and what each document names, normalised to canonical actors.

Pipeline: spaCy's en_core_web_sm 3.8.0 (pinned PyPI package, files checked against pinned sha256) with an
EntityRuler fed by the alias list placed before the statistical NER, so curated aliases win; then a small
component that keeps the bare capitalised "IS" only where the context says it is the group. Documents in another
language are matched against the alias list on that language's tokenizer, without a model, and marked so.

Entry point: `run_entities(con, aliases_path)`, incremental: only documents not yet processed by this pipeline
version are read; each batch is written in one transaction. Editing the alias list re-normalises stored
mentions (`renormalise`) without running the model again.

One module per concern: `model` (the pinned model and its checksums), `aliases` (the alias list), `components`
(spaCy components), `pipeline` (building the pipelines), `extraction` (mention rows), `writer` (the batch
writer), `stage` (the stage), `renormalise` (alias-list edits), `evaluation` (the gold-set scores).
"""

from .aliases import (
    ALIAS_TYPES,
    AliasTable,
    alias_key,
    ambiguous_aliases,
    case_config,
    exact_case_keys,
    load_aliases,
    ruler_patterns,
)
from .components import ALIAS_VERBS, IS_AFTER, IS_BEFORE, RULER_CONFIG
from .evaluation import evaluate, read_gold_set
from .extraction import (
    ALIASES_ONLY,
    ENTITY_COLUMNS,
    MODEL_LABELS,
    STAGE,
    extract_batch,
    extract_entities,
    found_by_aliases_only,
    mention_columns,
    mention_table,
)
from .model import CHECKSUMS_FILE, MODEL_PACKAGE, model_dir
from .pipeline import PIPELINE_VARIANT, Pipelines, alias_only_pipeline, build_pipeline, cached_pipeline
from .renormalise import renormalise
from .stage import CHUNK_DOCS, document_batches, pending_count, pending_documents, run_entities
from .writer import BatchWriter, write_batch

__all__ = [
    "ALIASES_ONLY",
    "ALIAS_TYPES",
    "ALIAS_VERBS",
    "CHECKSUMS_FILE",
    "CHUNK_DOCS",
    "ENTITY_COLUMNS",
    "IS_AFTER",
    "IS_BEFORE",
    "MODEL_LABELS",
    "MODEL_PACKAGE",
    "PIPELINE_VARIANT",
    "RULER_CONFIG",
    "STAGE",
    "AliasTable",
    "BatchWriter",
    "Pipelines",
    "alias_key",
    "alias_only_pipeline",
    "ambiguous_aliases",
    "build_pipeline",
    "cached_pipeline",
    "case_config",
    "document_batches",
    "evaluate",
    "exact_case_keys",
    "extract_batch",
    "extract_entities",
    "found_by_aliases_only",
    "load_aliases",
    "mention_columns",
    "mention_table",
    "model_dir",
    "pending_count",
    "pending_documents",
    "read_gold_set",
    "renormalise",
    "ruler_patterns",
    "run_entities",
    "write_batch",
]
