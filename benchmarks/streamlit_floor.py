"""Streamlit's own floor on this machine: how long a fresh browser tab takes to draw a page that holds no data of
ours, from the request to every chart and table drawn (the same wait as `app_speed`'s fresh tab).

The app's fresh-tab figures (`app_speed`) hold two things: Streamlit's frontend (some 3 MB of JavaScript to load
and run before a script starts, then the code of each kind of element the page uses, loaded on demand: the chart
library, the data grid, the code highlighter) and the app's own work (the page's script, the findings tested in
the background, the numbers sent). This benchmark measures the first alone, on pages built up the way the app's
pages are: a title and a paragraph; the app's frame (a navigation of nine pages with icons, a sidebar with a
select box and a toggle); one Altair stacked-area chart (84 periods × 10 series, no data of ours); one small table;
a closed expander holding a code block. The difference between a page of `app_speed` and the floor of the same
elements is what the app itself costs.

Each run starts a new `streamlit run` on a page file written here, opens it once (so the server has imported
Streamlit and Altair, as the app's server has drawn its About page), then times a fresh browser context (empty
cache) at 1440 × 1000 px. The variants are interleaved so a slow moment of the machine falls on all of them.

    python -m benchmarks.streamlit_floor --runs 7
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.app_speed import CHROMIUM, CHROMIUM_ARGS, REPO, _wait_idle

# variant → the parts of the page it draws (see PAGE)
VARIANTS = {
    "plain": "",
    "frame": "frame",
    "frame+chart": "frame,chart",
    "frame+chart+table": "frame,chart,table",
    "frame+code": "frame,code",
}
END = "Page drawn to its end"  # the page's last paragraph

PAGE = '''
import json
import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.set_page_config(page_title="Streamlit floor", layout="wide")
parts = set(st.query_params.get("parts", "").split(","))


def body():
    st.title("A page without data")
    st.markdown("A paragraph of plain words. " * 30)
    if "chart" in parts:
        periods = pd.date_range("2014-01-01", periods=84, freq="MS")
        shares = np.random.default_rng(0).random((84, 10))
        data = pd.DataFrame([(p, f"Theme {k}", shares[i, k]) for i, p in enumerate(periods) for k in range(10)],
                            columns=["period", "theme", "share"])
        st.altair_chart(alt.Chart(data).mark_area().encode(
            x="period:T", y=alt.Y("share:Q", stack="normalize"), color="theme:N",
            tooltip=["period:T", "theme:N", "share:Q"]), use_container_width=True)
    if "table" in parts:
        st.dataframe(pd.DataFrame({"theme": [f"Theme {k}" for k in range(5)], "documents": range(5)}))
    if "code" in parts:
        with st.expander("A closed section"):
            st.code(json.dumps({f"key {i}": list(range(5)) for i in range(60)}, indent=2), language="json")
    st.markdown("@END@")


if "frame" in parts:
    icons = ["dashboard", "stacked_line_chart", "manage_search", "groups", "newspaper", "hub", "description",
             "upload_file", "menu_book"]
    pages = [st.Page(body, title="Overview", icon=":material/dashboard:", url_path="overview", default=True)]
    pages += [st.Page(lambda: st.write("another page"), title=f"Page {i}", icon=f":material/{icons[i]}:",
                      url_path=f"page{i}") for i in range(1, 9)]
    page = st.navigation(pages)
    with st.sidebar:
        st.selectbox("Corpus", ["demo", "mine"], help="A choice, as the app's frame has.")
        st.toggle("Content warning", value=True, help="A toggle, as the app's frame has.")
    page.run()
else:
    body()
'''.replace("@END@", END)


def _serve(page: Path) -> tuple[subprocess.Popen, str]:
    sys.path.insert(0, str(REPO / "tests" / "e2e"))
    from browser_tools import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(page), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not answer")


def _open(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.get_by_text(END).wait_for(timeout=60_000)
    _wait_idle(page)
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "streamlit_floor.json")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    found: dict[str, list[float]] = {v: [] for v in args.variants}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_file = Path(tmp) / "floor.py"
        page_file.write_text(PAGE)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(args.runs):
            for variant in args.variants if run % 2 == 0 else args.variants[::-1]:
                proc, url = _serve(page_file)
                try:
                    _open(browser, url)  # the server imports Streamlit's elements and Altair once
                    time.sleep(2)
                    found[variant].append(_open(browser, f"{url}/?parts={VARIANTS[variant]}"))
                finally:
                    proc.terminate()
                    proc.wait(timeout=10)
                print(f"run {run + 1} {variant}: {found[variant][-1]:.2f} s", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"runs": found}, indent=1))
    print(f"\n{'page':<20} {'fresh tab s (median, min–max)':>32}")
    for variant, seconds in found.items():
        print(f"{variant:<20} {statistics.median(seconds):>14.2f} ({min(seconds):.2f}–{max(seconds):.2f})")


if __name__ == "__main__":
    main()
