"""Tools of the browser tests: a real Streamlit server on 127.0.0.1, screenshots, waiting for the app."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`streamlit run app.py` on a free port of 127.0.0.1 with its own store and data folder."""

    def __init__(self, db: Path, data_dir: Path, startup_seconds: float = 60) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, NARRATIVE_DB=str(db), NARRATIVE_DATA=str(data_dir), HF_HUB_OFFLINE="1")
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(data_dir / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + startup_seconds
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not answer on {self.url}; see {data_dir / 'server.log'}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()




def shot(page, name: str) -> Path:
    """Save a screenshot of the whole page under tests/artifacts/ for people to look at. Streamlit scrolls inside
    its own container, so the viewport is stretched to the page's height for the picture, then put back."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                           " return m ? m.scrollHeight : document.body.scrollHeight; }")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 40, 12_000))})
    page.wait_for_timeout(800)  # charts redraw at the new size
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def no_exception(page) -> None:
    """No Streamlit exception box and no traceback text anywhere on the page."""
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Traceback (most recent call last)").count() == 0


def click_row(page, grid, row: int) -> None:
    """Click the selection box of a row (0 = the first under the header) of an st.dataframe."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    x, y = box["x"] + 14, box["y"] + 35 + 17 + row * 35
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def script_done(page, timeout: float = 90_000) -> None:
    """Wait until Streamlit has finished running the script and no element of an older run is shown."""
    page.wait_for_function(
        "() => document.querySelector('[data-test-script-state=\"notRunning\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')", timeout=timeout)


def open_row(page, grid, row: int, shown, tries: int = 3) -> None:
    """Click a row's selection box until `shown` (a locator) appears: a click that lands while the script reruns
    is lost with the old table, so it is repeated once the run has ended."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        script_done(page)
        if shown.is_visible():  # the last click did land; a second one would clear the selection
            return
        click_row(page, grid, row)
        try:
            shown.wait_for(timeout=15_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise


def download(page, button, tries: int = 3, each: float = 45_000) -> Path:
    """Click a download button and return the downloaded file. The file is made on the click; a click that lands
    while the page reruns (a background result arriving redraws it) is lost with the old button, so once the run has
    ended it is clicked again, as a person would."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        script_done(page)
        button.wait_for(timeout=30_000)
        try:
            with page.expect_download(timeout=each) as info:
                button.click()
            return Path(info.value.path())
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def wait_for_app(page, text: str, timeout: float = 90_000) -> None:
    """Wait until the page shows `text` and Streamlit has finished running the script."""
    page.get_by_text(text).first.wait_for(timeout=timeout)
    # Streamlit's app root says whether the script runs (data-test-script-state); while a rerun runs, the elements
    # of the run before are also marked stale.
    script_done(page, timeout)


def choose(page, key: str, option: str, tries: int = 4) -> None:
    """Open the select box with widget key `key` and pick `option`. A click that lands while Streamlit redraws the
    page can leave the list closed; the click is then repeated."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(tries):
        page.locator(f".st-key-{key}").click()
        try:
            page.get_by_role("option", name=option).click(timeout=15_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"the list {key!r} never offered {option!r}")
