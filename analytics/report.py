"""`narrative report`: the findings of a corpus as one self-contained HTML page.

Every figure comes from the same `Corpus` call the app's overview uses (summary, theme sizes, theme shares,
findings: the findings engine's significant results, nothing untested); charts are embedded as PNG images; every
table row names the documents behind its figure. All corpus
text is escaped (html.escape) before it reaches the page; the page carries no script.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from pathlib import Path

import altair as alt
import pandas as pd

from . import charts
from . import schema as s
from .config import setting
from .corpus import Corpus, Findings, Framing
from .filters import Filters
from .findings import HOW_FINDINGS_ARE_TESTED, Finding, correction_words

STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.45;color:#222}"
         "table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ccc;padding:4px;"
         "vertical-align:top}img{max-width:100%}code{font-size:.85em}")


def _img(chart: alt.TopLevelMixin, description: str) -> str:
    png = charts.export_bytes(chart, "png", scale=1.5)
    return f'<img alt="{html.escape(description)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def _ids(ids: list[str], limit: int = 12) -> str:
    shown = ", ".join(f"<code>{html.escape(str(i))}</code>" for i in ids[:limit])
    more = f" … and {len(ids) - limit} more" if len(ids) > limit else ""
    return f"<details><summary>{len(ids)} documents</summary>{shown}{more}</details>"


def _table(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    formats = formats or {}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for col in frame.columns:
            value = row[col]
            if col == "documents" and isinstance(value, list):
                cells.append(f"<td>{_ids(value)}</td>")
            elif col in formats and pd.notna(value):
                cells.append(f"<td>{format(value, formats[col])}</td>")
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _period(ts: pd.Timestamp, granularity: str) -> str:
    return str(ts.year) if granularity == "year" else f"{ts:%Y-%m-%d}"


def build_report(corpus: Corpus, granularity: str | None = None, filters: Filters | None = None) -> str:
    """The HTML page for a corpus (under filters: every dated document by default)."""
    granularity = granularity or str(setting("granularity"))
    f = filters or Filters()
    name, run, top = corpus.name(), corpus.run() or {}, int(setting("top_themes"))
    summary = corpus.summary(f)
    parts = [f"<h1>Narrative Timeline report: {html.escape(name)}</h1>",
             f"<p>{summary.documents:,} documents ({summary.dated:,} dated, {summary.undated} without a date), "
             f"{summary.sources} sources, "
             + (f"{summary.first:%Y-%m-%d} to {summary.last:%Y-%m-%d}. " if summary.dated else "")
             + f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.</p>"]
    found = corpus.findings(granularity, f)
    parts += _findings_section(found)
    if run:
        parts += _themes_section(corpus, granularity, f, top, run)
    platforms = corpus.platform_shares("year", f, top=8)
    if not platforms.empty:
        parts += _platform_section(corpus, f, platforms, found)
    pairs = corpus.actor_pairs(f, granularity="year", min_count=3, per_period=3)
    if not pairs.empty:
        rows = [{"year": r.period.year, "pair": f"{r.a_name} + {r.b_name}", "documents together": r.count,
                 "PMI": r.pmi, "documents": corpus.documents_behind(f, period=r.period, granularity="year",
                                                                    actors=[r.a, r.b], every_actor=True)[s.ID].tolist()}
                for r in pairs.itertuples()]
        parts.append("<h2>Who is named together, by year</h2>" + _table(pd.DataFrame(rows), {"PMI": ".2f"}))
    framing = corpus.framing("year", f)
    if framing is not None:
        parts += _framing_section(framing, found)
    parts.append("<h2>Method</h2><p>Themes: BERTopic over passage embeddings; parameters "
                 f"<code>{html.escape(str(run.get('params')))}</code>; counts "
                 f"<code>{html.escape(str(run.get('counts')))}</code>. Shares carry 95 % Wilson intervals in the "
                 "app. Every table names its documents' ids: open them in the app's Documents page "
                 "(<code>?doc=ID</code>).</p><h3>How findings are tested</h3>" + prose_html(HOW_FINDINGS_ARE_TESTED))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(name)} — report</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")


def _findings_section(found: Findings) -> list[str]:
    """What changed: every significant finding as a sentence with its documents, and how many were tested."""
    parts = ["<h2>What changed</h2>",
             f"<p>{len(found)} hypotheses tested by {html.escape(found.granularity)} (shifts, bursts, emerging and "
             f"fading, event impact, lead and lag, share of voice, about every theme, actor and frame with enough "
             f"documents); {len(found.significant)} significant (q &lt; {found.settings.alpha}, "
             f"{html.escape(correction_words(found.settings.correction))}). <code>narrative findings</code> lists "
             "every test, significant or not."
             "</p>"]
    if not found.significant:
        parts.append("<p>No finding passes: none of the changes in these documents can be told from chance.</p>")
        return parts
    parts.append(_finding_table(found.significant))
    return parts


def _finding_table(found: tuple[Finding, ...]) -> str:
    rows = {"finding": [f.sentence for f in found], "kind": [f.kind for f in found],
            "documents": [list(f.doc_ids) for f in found]}
    return _table(pd.DataFrame(rows, columns=["finding", "kind", "documents"]))


def prose_html(text: str) -> str:
    """Plain prose with '- ' bullets and **bold** as escaped HTML paragraphs and lists."""
    out = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        if lines[0].startswith("- "):
            items, current = [], []
            for line in lines:
                if line.startswith("- ") and current:
                    items.append(" ".join(current))
                    current = []
                current.append(line.removeprefix("- ").strip())
            items.append(" ".join(current))
            out.append("<ul>" + "".join(f"<li>{_bold(i)}</li>" for i in items) + "</ul>")
        else:
            out.append(f"<p>{_bold(' '.join(line.strip() for line in lines))}</p>")
    return "".join(out)


def _bold(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(text))


def _themes_section(corpus: Corpus, granularity: str, f: Filters, top: int, run: dict) -> list[str]:
    """Themes over time (the top ones by name), every theme with its documents, outliers."""
    parts = ["<h2>Themes over time</h2>",
             _img(charts.themes_chart(corpus.theme_shares(granularity, f, top=top), events=corpus.events(f),
                                      selectable=False, granularity=granularity),
                  f"Stacked shares of the {top} largest themes per {granularity}, other themes and unassigned "
                  "documents, events marked below")]
    sizes = corpus.theme_sizes(f, top=top)
    themes = pd.DataFrame({"theme": sizes[s.LABEL],
                           "documents": [corpus.documents_behind(f, themes=[t])[s.ID].tolist()
                                         for t in sizes[s.TOPIC_ID]],
                           "size": sizes["documents"]})
    parts.append(f"<h2>The {len(themes)} largest themes</h2>" + _table(themes))
    yearly = corpus.theme_shares("year", f)
    out = yearly[yearly[s.TOPIC_ID] == s.OUTLIER_TOPIC]
    parts.append("<p>Documents in no theme (outliers) per year: " + ", ".join(
        f"{p.year}: {k} of {n}" for p, k, n in zip(out[s.PERIOD], out[s.COUNT], out[s.TOTAL], strict=True))
        + f". Outlier strategy: {html.escape(str(run.get('counts', {}).get('outlier_strategy')))}.</p>")
    return parts


def _colour_order(corpus: Corpus) -> list[str]:
    """The actors whose colours are fixed, most-named first (the app's pickers' actors: the same colours)."""
    return corpus.actors(top=int(setting("actor_choices")))[s.CANONICAL_ID].tolist()


def _platform_section(corpus: Corpus, f: Filters, platforms: pd.DataFrame, found: Findings) -> list[str]:
    """Platform mentions by year (a chart: a description), and the migration as tested findings."""
    parts = ["<h2>Platforms named</h2>",
             "<p>Each platform's share of the platform mentions per year (a description, not a finding).</p>",
             _img(charts.platform_chart(platforms, corpus.events(f), _colour_order(corpus), "year", selectable=False),
                  "Each platform's share of all platform mentions per year")]
    if found.migration:
        parts.append("<p>Where the coverage moved, as tested findings about platforms (in time order):</p>"
                     + _finding_table(found.migration))
    else:
        parts.append("<p>No finding about a platform passes the tests.</p>")
    return parts


def _framing_section(framing: Framing, found: Findings) -> list[str]:
    """Framing words per year: a dictionary measure with the documents behind every share, and its findings."""
    parts = ["<h2>Framing words by year</h2><p>Share of each year's documents using at least one word of each "
             f"frame (lexicon <code>{html.escape(framing.lexicon)}</code>; whole words, case-insensitive). A frame "
             "is counted over the documents in the languages it has words for (column <em>languages</em>).</p>"]
    tested = found.about("frame")
    parts.append(_finding_table(tested) if tested else "<p>No finding about a frame passes the tests.</p>")
    table = framing.table
    view = table.assign(year=table[s.PERIOD].dt.year, documents=table["doc_ids"])
    parts.append(_table(view[["year", "frame", "languages", s.COUNT, s.TOTAL, s.SHARE, "documents"]],
                        {s.SHARE: ".0%"}))
    return parts


def write_report(corpus: Corpus, out: str | Path, granularity: str | None = None,
                 filters: Filters | None = None) -> Path:
    """Write the report page to `out`."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(corpus, granularity, filters), encoding="utf-8")
    return out
