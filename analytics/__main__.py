"""`python -m analytics` is the `narrative` command."""

from .cli import main

main()
