"""Settings declared once (name, default, help, choices) and read where they are used; the CLI's options, the
app's widgets and the README's settings table take them from here. Also where the shipped data lives.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import schema as s
from .multiple_testing import ALPHA

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent  # the checkout, when running from one


def _shipped(name: str) -> Path:
    """A folder shipped with the program: inside the installed package (a wheel carries `corpora/` as
    analytics/corpora), else the checkout's top-level folder of that name."""
    installed = Path(str(resources.files(__package__))) / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


CORPORA_DIR = _shipped("corpora")
DEMO_CORPUS_DIR = CORPORA_DIR / "is-online"
DEFAULT_ALIASES = CORPORA_DIR / "aliases.csv"
KNOWN_THEMES = CORPORA_DIR / "known_themes.csv"
FRAMING_LEXICON = CORPORA_DIR / "framing.csv"
ENTITIES_GOLD = CORPORA_DIR / "entities_gold.jsonl"
ENTITIES_GOLD_POSTS = CORPORA_DIR / "entities_gold_posts.jsonl"  # tweets and channel posts
DATA_DIR = Path(os.environ.get("NARRATIVE_DATA", "data"))
DEFAULT_DB = DATA_DIR / "narrative.duckdb"


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, the help a user reads, and the values it may take (None: any)."""

    name: str
    default: object
    help: str
    choices: tuple | None = None


SETTINGS: dict[str, Setting] = {
    setting.name: setting
    for setting in [
        Setting("db", str(DEFAULT_DB), "DuckDB store file (env NARRATIVE_DB)."),
        Setting("profile", "quality", "quality: MiniLM passage embeddings + statistical NER with the alias list; "
                "quality-int8: the same with MiniLM run by ONNX Runtime with int8 weights (faster, nearly the same "
                "vectors); fast: static embeddings distilled from MiniLM + alias-list entities only; multilingual: "
                "multilingual-e5-small embeddings, so Arabic, French, English (and ~90 more languages) share themes, "
                "+ the quality profile's entities.",
                ("quality", "quality-int8", "fast", "multilingual")),
        Setting("granularity", "quarter", "Period of the report and of its findings: day, week, month, quarter or "
                "year. (The app starts at the finest period whose median period holds enough documents and that draws "
                "at most `default_periods_max` periods.)",
                s.GRANULARITIES),
        Setting("seed", 42, "Random seed of UMAP, the clusterer and the fitting sample: the same input gives the "
                "same result."),
        Setting("n_process", 0, "spaCy worker processes for entity extraction; 0 chooses from the cores, the "
                "memory and the number of documents."),
        Setting("batch_size", 64, "Documents per spaCy batch and passages per MiniLM batch."),
        Setting("near_duplicate_threshold", 0.85, "Estimated Jaccard similarity above which two texts are "
                "near-duplicates (stored, linked to their original)."),
        Setting("ingest_commit_records", 10_000, "Records ingest reads between two commits to the store: DuckDB "
                "holds what is not yet committed in memory, and a killed ingest loses at most this many records' "
                "work (the same command run again goes on from the last commit)."),
        Setting("ingest_memory_limit", "1GB", "DuckDB's memory limit while ingest writes (such as 1GB or 512MB; "
                "empty: DuckDB's default): without one, its buffer pool keeps every table block written, up to 80 % "
                "of the machine's memory."),
        Setting("min_topic_size", 0, "Smallest theme in documents; 0 scales it to the corpus (min_topic_share of "
                "the documents, at least 5)."),
        Setting("min_topic_share", 0.004, "Smallest theme as a share of the corpus when min_topic_size is 0."),
        Setting("post_min_topic_share", 0.01, "Smallest theme as a share of the texts fitted on when most of them "
                "are posts (source type social) and min_topic_size is 0: short posts otherwise split into many "
                "small themes of one message."),
        Setting("nr_topics", 0, "Reduce to this many themes after fitting; 0 keeps what the model finds."),
        Setting("fit_sample", 20_000, "Above this many documents the theme model is fitted on a seeded sample of "
                "this size and the rest are assigned to the nearest theme."),
        Setting("topic_chunk_documents", 20_000, "Documents the theme stage reads, embeds and assigns at a time; "
                "memory grows with it, not with the corpus (a million documents: about 1 GB of vectors)."),
        Setting("theme_memory_limit", "1GB", "DuckDB's memory limit while the theme stage runs (such as 1GB or "
                "512MB; empty: DuckDB's default, 80 % of the machine's memory). The stage writes every passage "
                "vector to the store; without a limit DuckDB keeps those blocks cached (about 2.5 GB for a million "
                "documents)."),
        Setting("outlier_target", 0.10, "Share of documents allowed to stay unassigned (outliers) after those close "
                "to a theme are reassigned."),
        Setting("assign_min_similarity", 0.25, "Cosine a new document needs to its nearest theme to be assigned "
                "without a refit; below it, it is an outlier. (The multilingual model's scale differs: it has its "
                "own, 0.20.)"),
        Setting("match_threshold", 0.80, "Cosine between theme centres above which a refitted theme is the same "
                "theme (keeps its id, your label and your merges). (The multilingual model's own: 0.70.)"),
        Setting("label_language", "en", "Language of a theme's label when the theme spans languages (the app's "
                "language): its label is made from its words in this language, and its top words in the others are "
                "shown beside it."),
        Setting("zero_shot_similarity", 0.0, "Cosine a document needs to join a named (zero-shot) theme; 0 uses "
                "the embedding model's own threshold."),
        Setting("min_documents_for_themes", 20, "Fewest documents a theme model is fitted on."),
        Setting("min_fit_words", 0, "Texts with fewer words than this (a post without its links, handles and "
                "retweet prefix) are not fitted on but assigned to the nearest theme afterwards."),
        Setting("thin_period_documents", 5, "A period with fewer documents than this is flagged thin: read its "
                "shares with care."),
        Setting("period_median_documents", 8, "The app's first granularity is the finest whose median period "
                "holds at least this many dated documents."),
        # BERTopic's topics_over_time bins the timestamps too (nr_bins), for the same reason: a chart of hundreds
        # of periods is noise to read and a row of points too close to click.
        Setting("default_periods_max", 120, "The app's first granularity draws at most this many periods (about "
                "ten pixels each on a wide screen); finer ones stay offered in the Period picker."),
        Setting("top_themes", 8, "Themes shown by name on every surface (overview, Themes, Sources, report); the "
                "others are drawn together as 'Other themes'."),
        Setting("top_actors", 10, "Actors listed by name in the overview and the report's tables."),
        Setting("actor_choices", 300, "Actors offered in the app's pickers, by number of documents naming them."),
        Setting("event_window_days", 90, "Event impact compares this many days after each event with the same "
                "span before it."),
        # The findings engine (analytics/findings): what is tested, the evidence each test needs, the correction.
        Setting("alpha", ALPHA, "A finding is called significant when its q-value (the false discovery rate after "
                "the correction) is below this."),
        Setting("correction", "bh", "Multiple-testing correction over every test of one findings run, applied in "
                "each family of question (changes over time, lead and lag, share of voice) with the error rate "
                "split evenly between them: bh (Benjamini–Hochberg) or by (Benjamini–Yekutieli, valid under any "
                "dependence, more cautious).",
                ("bh", "by")),
        Setting("min_subject_documents", 10, "A theme, actor or frame is tested only when at least this many dated "
                "documents are about it."),
        Setting("min_side_documents", 20, "Each side of a comparison (before and after, inside and outside a burst, "
                "the two windows, one source type and the others) must hold at least this many documents in all."),
        Setting("min_compared_subject_documents", 8, "The documents about the subject on the two sides of a "
                "comparison must add up to at least this many."),
        Setting("min_side_periods", 2, "A shift needs at least this many periods before and after it."),
        Setting("max_shifts_per_subject", 3, "At most this many shifts are looked for in one subject (one split, "
                "then one in each half while a split is clear)."),
        Setting("dispersion_half_window", 2, "Periods on each side used to judge how much a subject's share jumps "
                "from period to period beyond chance (its over-dispersion), which widens every test on that "
                "subject."),
        Setting("burst_ratio", 2.0, "Kleinberg's burst state: a share this many times the subject's usual share."),
        Setting("burst_gamma", 1.0, "Kleinberg's cost of entering a burst (higher: fewer, longer bursts)."),
        Setting("emerging_window_periods", 4, "Emerging and fading compare the last this-many periods with the "
                "this-many before."),
        Setting("event_group_days", 30, "Events less than this many days after the first of a group are tested "
                "together, as one event: their before and after windows hold nearly the same documents."),
        Setting("max_lag", 4, "Lead and lag are looked for up to this many periods."),
        Setting("max_ar_order", 3, "Largest autoregressive order fitted before lagged correlations are measured "
                "(each series' own momentum is removed first)."),
        Setting("min_lead_lag_periods", 16, "Lead and lag need at least this many periods in which both series "
                "have documents."),
        Setting("min_lead_lag_subject_documents", 10, "Lead and lag need at least this many documents about the "
                "subject in each of the two series."),
        Setting("max_upload_mb", 200, "Largest upload the app accepts."),
        # amplification and coordination (analytics/amplification; the values travel in CoordinationParams)
        Setting("coordination_window", 60,
                "Seconds: two accounts posting the same link, text or hashtag sequence this close together count as "
                "posting together."),
        Setting("null_window", 1800,
                "Seconds: the chance model lets each shared post fall anywhere within this span around when it was "
                "posted. Posting together counts as evidence only as far as it is tighter than this; keep it longer "
                "than the coordination window and about as short as news goes round."),
        Setting("min_repeats", 3,
                "Occasions two accounts must have posted together before the pair is tested at all."),
        Setting("crowd_limit", 50,
                "Accounts: when more than this many post the same item within the null window (a trending hashtag, "
                "a viral link), that moment is set aside. Being one of a crowd says nothing about any two of its "
                "members, and skipping it keeps the search fast. Groups larger than this are found only through "
                "what they post in smaller numbers."),
        Setting("coordination_kinds", "url,text,hashtags",
                "What counts as posting the same thing: url (the same link), text (the same near-identical text), "
                "hashtags (the same hashtags in the same order); also retweet_of, forward_from, quote_of, reply_to, "
                "mention, domain, hashtag (a single hashtag)."),
        Setting("min_hashtags", 1, "Hashtags a post needs for its hashtag sequence to be compared."),
        Setting("cluster_method", "components",
                "How linked accounts are grouped: components (every account reachable through significant pairs) "
                "or louvain (splits large components into communities).", ("components", "louvain")),
        Setting("coordination_fdr", ALPHA, "False discovery rate of the coordination test: the share of reported "
                "pairs of accounts allowed to be chance findings."),
        Setting("min_cascade_accounts", 2, "Accounts a link, text or hashtag needs before it is listed as a cascade."),
    ]
}


def setting(name: str) -> object:
    """The value of a setting: its declared default (the store path also reads $NARRATIVE_DB)."""
    if name == "db":
        return os.environ.get("NARRATIVE_DB", str(SETTINGS["db"].default))
    return SETTINGS[name].default


def added_corpus(slug: str) -> tuple[Path, Path]:
    """Where a corpus added in the app lives: its store and the folder of its uploaded files."""
    return DATA_DIR / "corpora" / f"{slug}.duckdb", DATA_DIR / "uploads" / slug


def default_db_path() -> Path:
    """The store to use when none is named: $NARRATIVE_DB, else data/narrative.duckdb."""
    return Path(str(setting("db")))
