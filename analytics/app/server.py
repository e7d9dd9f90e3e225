"""How `narrative app` serves the installed app: the entry script inside the package and the server's options.

The same options are in the checkout's `.streamlit/config.toml` for `streamlit run app.py` (a test keeps the two
equal): served on this machine only unless the user decides otherwise, XSRF protection on, uploads capped.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..config import setting

SERVER_OPTIONS: dict[str, object] = {
    "server.address": "127.0.0.1",
    "server.port": 8501,
    "server.headless": True,
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.maxUploadSize": int(setting("max_upload_mb")),
    "browser.gatherUsageStats": False,
    "client.toolbarMode": "minimal",
    # A reader's server does not reload on source edits. Streamlit's watcher re-walks every folder under the entry
    # script after an inotify overflow (a checkout's .venv: a whole core, and the GIL, taken from the pages).
    "server.fileWatcherType": "none",
}


def entry_script() -> Path:
    """The installed app's entry script (what `streamlit run` is given)."""
    return Path(str(resources.files(__package__) / "streamlit_app.py"))


def command_line_options(overrides: dict[str, object] | None = None) -> list[str]:
    """SERVER_OPTIONS (and overrides) as `streamlit run` flags."""
    options = {**SERVER_OPTIONS, **(overrides or {})}
    return [f"--{key}={str(value).lower() if isinstance(value, bool) else value}" for key, value in options.items()]
