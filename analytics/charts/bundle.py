"""Everything a journalist needs to publish a figure, in one ZIP: the image (PNG at print resolution and SVG), the
data behind it (CSV in UTF-8 with a byte-order mark, so Excel reads Arabic and accents), the documents behind it
(title, date, source, URL, theme, language, an excerpt and a citation), and the methods note in words (with the
same note as JSON beside it, for a machine)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from typing import Any

import altair as alt
import pandas as pd

from .export import Caption, export_bytes
from .tables import readable_data

DOCUMENT_COLUMNS = ["title", "date", "source", "source type", "url", "theme", "language", "excerpt", "citation", "id"]


def slug(name: str) -> str:
    """A file name from a figure's name: 'Themes over time' → 'themes-over-time'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "figure"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Excel then reads non-Latin text correctly)."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def methods_in_words(note: dict[str, Any]) -> str:
    """The methods note (Corpus.methods_note) as paragraphs a reader can follow."""
    run = note.get("topic_run") or {}
    params = note.get("topic_parameters") or {}
    counts = note.get("topic_counts") or {}
    filters = note.get("filters") or {}
    lines = [f"Methods note: {note.get('figure', 'figure')}", ""]
    lines.append(f"Corpus: {note.get('corpus')} ({note.get('documents_in_store', 0):,} documents in the store "
                 f"{note.get('store')}). Exported {note.get('exported_at')}.")
    if run.get("run_id") is not None:
        lines.append("")
        lines.append(f"Themes: topic model run {run.get('run_id')}, finished {run.get('finished_at')}. Documents "
                     "(or their passages) were turned into vectors by a small language model and grouped by "
                     "closeness (BERTopic: UMAP, then HDBSCAN); each group is a theme, labelled by its most "
                     "distinctive words. Documents close to no theme stay unassigned (outliers).")
        if params:
            lines.append("Settings of the fit: " + "; ".join(f"{k} = {v}" for k, v in sorted(params.items())) + ".")
        if counts:
            shown = {k: v for k, v in counts.items() if not isinstance(v, dict | list)}
            lines.append("Result of the fit: " + "; ".join(f"{k} = {v}" for k, v in sorted(shown.items())) + ".")
    lines.append("")
    lines.append("Shares: a theme's share of a period is its documents divided by all dated documents of the period "
                 "under the filters, unassigned ones included; each comes with a 95 % Wilson interval from the same "
                 "counts. With smoothing, neighbouring periods are pooled: their documents are counted together, "
                 "so a smoothed share and its interval rest on the same whole numbers. A period with no documents "
                 "is left empty (a gap), never drawn as 0 %; periods with fewer than five documents are flagged.")
    if filters:
        chosen = {k: v for k, v in filters.items() if v not in (None, [], "")}
        lines.append("")
        lines.append("Filters: " + ("; ".join(f"{k} = {v}" for k, v in chosen.items()) if chosen else "none")
                     + ".")
    versions = note.get("library_versions") or {}
    if versions:
        lines.append("")
        lines.append("Software: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) + ".")
    lines.append("")
    lines.append("The counts describe this corpus, not the world: what was collected shapes what the figure shows. "
                 "Open the documents behind any number before drawing a conclusion from it.")
    return "\n".join(lines) + "\n"


def figure_zip(chart: alt.TopLevelMixin, words: Caption, data: pd.DataFrame, documents: pd.DataFrame | None,
               note: dict[str, Any], name: str, granularity: str | None = None) -> bytes:
    """The ZIP of a figure: <name>.png, <name>.svg, <name>-data.csv, <name>-documents.csv, methods.txt,
    methods.json and README.txt (what each file is)."""
    base = slug(name)
    files = {
        f"{base}.png": export_bytes(chart, "png", words=words),
        f"{base}.svg": export_bytes(chart, "svg", words=words),
        f"{base}-data.csv": csv_bytes(readable_data(data, granularity)),
        "methods.txt": methods_in_words(note).encode("utf-8"),
        "methods.json": json.dumps(note, indent=2, ensure_ascii=False, default=str).encode("utf-8"),
    }
    if documents is not None:
        files[f"{base}-documents.csv"] = csv_bytes(documents)
    readme = [f"{words.title}", words.subtitle, words.footer, "",
              f"{base}.png  the figure, {words.date:%Y-%m-%d}, at 300 pixels per inch",
              f"{base}.svg  the same figure as vector graphics (for print and editing)",
              f"{base}-data.csv  the numbers drawn (UTF-8; opens in Excel)"]
    if documents is not None:
        readme.append(f"{base}-documents.csv  the {len(documents):,} documents behind the figure, with citations")
    readme += ["methods.txt  how the numbers were made, in words", "methods.json  the same, for a machine"]
    files["README.txt"] = ("\n".join(readme) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    stamp = dt.datetime.now().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, content in files.items():
            info = zipfile.ZipInfo(f"{base}/{file_name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
