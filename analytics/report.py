"""`narrative report`: the findings of a corpus as one self-contained HTML page.

Every figure comes from the same `Corpus` call the app's overview uses (summary, theme sizes, theme shares,
findings); charts are embedded as PNG images; every table row names the documents behind its figure. All corpus
text is escaped (html.escape) before it reaches the page; the page carries no script.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import altair as alt
import pandas as pd

from . import charts
from . import schema as s
from .config import setting
from .corpus import Corpus
from .filters import Filters

STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.45;color:#222}"
         "table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ccc;padding:4px;"
         "vertical-align:top}img{max-width:100%}code{font-size:.85em}")


def _img(chart: alt.TopLevelMixin) -> str:
    png = charts.export_bytes(chart, "png", scale=1.5)
    return f'<img alt="chart" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


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
    if run:
        parts += _themes_section(corpus, granularity, f, top, found.shifts, run)
    if not found.platform_leaders.empty:
        parts += _platform_section(corpus, f, found)
    pairs = corpus.actor_pairs(f, granularity="year", min_count=3, per_period=3)
    if not pairs.empty:
        rows = [{"year": r.period.year, "pair": f"{r.a_name} + {r.b_name}", "documents together": r.count,
                 "PMI": r.pmi, "documents": corpus.documents_behind(f, period=r.period, granularity="year",
                                                                    actors=[r.a, r.b], every_actor=True)[s.ID].tolist()}
                for r in pairs.itertuples()]
        parts.append("<h2>Who is named together, by year</h2>" + _table(pd.DataFrame(rows), {"PMI": ".2f"}))
    framing = corpus.framing("year", f)
    if framing is not None:
        parts += _framing_section(framing)
    impact = corpus.event_impact(f, top=2)
    if not impact.empty:
        window = int(setting("event_window_days"))
        parts.append(f"<h2>What changed after each event ({window} days after vs before)</h2>")
        parts.append(_table(impact[["event_date", "event", "theme", "before", "after", "log_odds_ratio", "p_value",
                                    "doc_ids"]].rename(columns={"doc_ids": "documents"}),
                            {"log_odds_ratio": ".2f", "p_value": ".3f"}))
    parts.append("<h2>Method</h2><p>Themes: BERTopic over passage embeddings; parameters "
                 f"<code>{html.escape(str(run.get('params')))}</code>; counts "
                 f"<code>{html.escape(str(run.get('counts')))}</code>. Shares carry 95 % Wilson intervals in the "
                 "app; change points by PELT (ruptures); event impact by log odds ratio with a two-proportion "
                 "z-test. Every table names its documents' ids: open them in the app's Documents page "
                 "(<code>?doc=ID</code>).</p>")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(name)} — report</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")


def _themes_section(corpus: Corpus, granularity: str, f: Filters, top: int, shifts: pd.DataFrame,
                    run: dict) -> list[str]:
    """Themes over time (the top ones by name), the largest shifts, every theme with its documents, outliers."""
    parts = ["<h2>Themes over time</h2>",
             _img(charts.themes_chart(corpus.theme_shares(granularity, f, top=top), events=corpus.events(f),
                                      selectable=False))]
    parts.append("<h2>The largest shifts</h2>")
    if shifts.empty:
        parts.append("<p>No change point in any theme's share.</p>")
    else:
        parts.append(_table(shifts[["sentence", "doc_ids"]].rename(columns={"doc_ids": "documents"})))
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


def _platform_section(corpus: Corpus, f: Filters, found: object) -> list[str]:
    """The most-named platform by year (the migration), its chart, and the platforms named later."""
    parts = ["<h2>Platforms named</h2>",
             f"<p>Most-named platform by year: {html.escape(found.migration)}.</p>",
             _img(charts.platform_chart(corpus.platform_shares("year", f, top=8), corpus.events(f)))]
    leaders = found.platform_leaders
    parts.append(_table(pd.DataFrame({
        "year": leaders[s.PERIOD].dt.year, "platform": leaders[s.CANONICAL_NAME], "mentions": leaders["mentions"],
        "of all platform mentions": leaders["platform_share"], "documents": leaders["doc_ids"]}),
        {"of all platform mentions": ".0%"}))
    newcomers = found.platform_newcomers
    if not newcomers.empty:
        parts.append("<h3>Platforms first named after the first year</h3>" + _table(pd.DataFrame({
            "first named": newcomers[s.PERIOD].dt.year, "platform": newcomers[s.CANONICAL_NAME],
            "share of platform mentions that year": newcomers["platform_share"],
            "mentions in all": newcomers["total_mentions"], "documents": newcomers["doc_ids"]}),
            {"share of platform mentions that year": ".0%"}))
    return parts


def _framing_section(framing: object) -> list[str]:
    """Framing words per year: a dictionary measure with the documents behind every share."""
    parts = ["<h2>Framing words by year</h2><p>Share of each year's documents using at least one word of each "
             f"frame (lexicon <code>{html.escape(framing.lexicon)}</code>; whole words, case-insensitive). A frame "
             "is counted over the documents in the languages it has words for (column <em>languages</em>).</p>"]
    parts += [f"<p>{html.escape(sentence)}</p>" for sentence in framing.changes["sentence"]]
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
