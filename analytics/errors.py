"""One family of domain errors. The library raises them; the CLI prints one line, the app shows st.error.

Every message says what went wrong, where (file, row) and what to do about it.
"""

from __future__ import annotations


class NarrativeError(Exception):
    """Base class: anything the user can fix (bad input, missing model, wrong option)."""

    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint

    def user_message(self) -> str:
        """The one line shown to a person: the cause, then the fix."""
        text = str(self)
        return f"{text} — {self.hint}" if self.hint else text


class InputError(NarrativeError):
    """An input file cannot be read at all (not one bad row: a whole file)."""

    def __init__(self, path: str, reason: str, hint: str = "") -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}", hint)


class RecordRejected(NarrativeError):
    """One input record cannot become a document; it is stored in `rejects` with this reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class StoreBusyError(NarrativeError):
    """Another process holds the DuckDB write lock (one writer at a time)."""

    hint = "an analysis is in progress in another process; wait for it to finish and try again"


class ModelUnavailableError(NarrativeError):
    """A model package is missing or its files do not match the pinned checksums."""


class UnsafeArchiveError(NarrativeError):
    """An uploaded archive tries to write outside its folder, is too big, or holds links."""
