"""Settings declared once (name, default, help); the CLI, the app's sidebar and the README reuse them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPORA_DIR = PROJECT_ROOT / "corpora"
DEMO_CORPUS_DIR = CORPORA_DIR / "is-online"
DEFAULT_ALIASES = CORPORA_DIR / "aliases.csv"
DATA_DIR = Path(os.environ.get("NARRATIVE_DATA", "data"))
DEFAULT_DB = DATA_DIR / "narrative.duckdb"


@dataclass(frozen=True)
class Setting:
    """One user-facing setting."""

    name: str
    default: object
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("db", str(DEFAULT_DB), "DuckDB store file (env NARRATIVE_DB)."),
        Setting("profile", "quality", "quality: MiniLM passage embeddings + statistical NER with the alias list; "
                "quality-int8: the same with MiniLM run by ONNX Runtime with int8 weights (faster, nearly the same "
                "vectors); fast: static embeddings distilled from MiniLM + alias-list entities only."),
        Setting("min_topic_size", 0, "Smallest topic; 0 scales it to the corpus size."),
        Setting("nr_topics", 0, "Reduce to this many topics after fitting; 0 keeps what the model finds."),
        Setting("seed", 42, "Random seed for UMAP and the clusterer: the same input gives the same topics."),
        Setting("granularity", "month", "Period of the timeline: day, week, month, quarter or year."),
        Setting("n_process", 0, "spaCy worker processes for entity extraction; 0 chooses from the cores, the "
                "memory and the number of documents."),
        Setting("batch_size", 64, "Documents per spaCy / embedding batch."),
        Setting("max_upload_mb", 200, "Largest upload the app accepts."),
        Setting("near_duplicate_threshold", 0.85, "Jaccard similarity above which two texts are near-duplicates."),
    ]
}


def default_db_path() -> Path:
    """The store to use when none is named: $NARRATIVE_DB, else data/narrative.duckdb."""
    return Path(os.environ.get("NARRATIVE_DB", str(SETTINGS["db"].default)))
