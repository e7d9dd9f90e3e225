"""Opening the app in Streamlit's AppTest at one page, the way a shared link opens it: one script run, straight at
the page (not the Overview first and then the page: that ran every Overview query again for each page a test
opened)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = "analytics/app/pages"


def open_at(page: str, params: dict[str, str] | None = None, timeout: float = 120,
            unfold: Iterable[str] = ()) -> AppTest:
    """The app opened at `page` (a file name in analytics/app/pages without .py) with URL query `params`, and the
    folded sections whose keys are in `unfold` opened (their content is made only when open: analytics/app/folding)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key in unfold:
        at.session_state[key] = True
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(f"{PAGES}/{page}.py")
    return at.run()
