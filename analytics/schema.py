"""Column names and value sets, declared once. Every other module imports names from here."""

from __future__ import annotations

# documents ---------------------------------------------------------------------------------------
ID = "id"
EXTERNAL_ID = "external_id"
DATE = "date"
DATE_PRECISION = "date_precision"
DATE_ORIGIN = "date_origin"
SOURCE = "source"
SOURCE_TYPE = "source_type"
TITLE = "title"
TEXT = "text"
URL = "url"
LANGUAGE = "language"
AUTHOR = "author"
METADATA = "metadata"
INPUT_FILE = "input_file"
INPUT_ROW = "input_row"
WORDS = "words"
DUPLICATE_OF = "duplicate_of"
SIMILARITY = "similarity"

DOCUMENT_COLUMNS = [
    ID, EXTERNAL_ID, DATE, DATE_PRECISION, DATE_ORIGIN, SOURCE, SOURCE_TYPE, TITLE, TEXT, URL,
    LANGUAGE, AUTHOR, METADATA, INPUT_FILE, INPUT_ROW, WORDS, DUPLICATE_OF, SIMILARITY,
]

SOURCE_TYPES = ("news", "statement", "propaganda", "social", "research", "other")
DATE_PRECISIONS = ("day", "month", "year", "unknown")
# Where a document's date came from: a field of the record, a sidecar file, front matter, the file name,
# the text itself, or nowhere (stored without a date and skipped visibly by the timeline).
DATE_ORIGINS = ("field", "sidecar", "front_matter", "filename", "text", "none")

# rejects / duplicates ------------------------------------------------------------------------------
REASON = "reason"
PREVIEW = "preview"
ORIGINAL_ID = "original_id"
KIND = "kind"

# entities ----------------------------------------------------------------------------------------
DOC_ID = "doc_id"
START_CHAR = "start_char"
END_CHAR = "end_char"
SENT_START = "sent_start"
SENT_END = "sent_end"
LABEL = "label"
CANONICAL_ID = "canonical_id"
CANONICAL_NAME = "canonical_name"
ORIGIN = "origin"
PIPELINE_VERSION = "pipeline_version"

ACTOR_LABELS = (
    "PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT",
    "GROUP", "HACKTIVIST", "MEDIA_OUTLET", "PLATFORM", "AGENCY",
)

# topics ------------------------------------------------------------------------------------------
RUN_ID = "run_id"
TOPIC_ID = "topic_id"
PROBABILITY = "probability"
OUTLIER_TOPIC = -1

# timeline ----------------------------------------------------------------------------------------
PERIOD = "period"
COUNT = "count"
TOTAL = "total"
SHARE = "share"
CI_LOW = "ci_low"
CI_HIGH = "ci_high"
THIN = "thin"
INCOMPLETE = "incomplete"
PERIODS_POOLED = "periods_pooled"
PERIOD_FREQS = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}
GRANULARITIES = tuple(PERIOD_FREQS)  # finest first

# theme labels that are not a theme's own ------------------------------------------------------------
OTHER_TOPIC = -2  # the themes folded together when only the top ones are shown by name
OUTLIER_LABEL = "Unassigned (outliers)"
OTHER_LABEL = "Other themes"
