"""The `narrative` command: a thin layer over the library. Options take their defaults, choices and help from
`config.SETTINGS`; library errors become one clean line with the fix. One module per family of commands."""

from . import (  # noqa: F401 - importing registers the commands
    amplification_commands,
    analysis_commands,
    corpus_commands,
    output_commands,
)
from .base import main

__all__ = ["main"]
