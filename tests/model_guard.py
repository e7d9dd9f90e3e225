"""The guard of the quick set: what a model load raises in a test that is neither slow nor e2e."""

from __future__ import annotations

from collections.abc import Callable


class ModelLoadedInQuickTest(AssertionError):
    """A test outside the slow and e2e markers tried to load a model."""


def refuse(what: str) -> Callable:
    """A stand-in for a model loader that fails the test, naming the model."""

    def refused(*args, **kwargs):
        raise ModelLoadedInQuickTest(f"{what} was loaded by a quick test: mark the test @pytest.mark.slow")

    return refused
