"""`narrative report`: the findings of the current store as one self-contained HTML page.

Charts are embedded as PNG images; every table row names the documents behind its figure. All corpus text is
escaped (html.escape) before it reaches the page; the page carries no script.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import pandas as pd

from . import charts, findings, store, timeline
from . import schema as s


def _img(chart) -> str:
    png = charts.export_bytes(chart, "png", scale=1.5)
    return f'<img alt="chart" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def _ids(ids, limit: int = 12) -> str:
    ids = list(ids)
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


def build_report(con, granularity: str = "quarter") -> str:
    """The HTML page for the store behind `con`."""
    docs = store.timeline_documents(con)
    run_id = store.topic_run_id(con)
    assign = store.doc_topic_table(con, run_id) if run_id else pd.DataFrame(columns=[s.DOC_ID, s.TOPIC_ID])
    topics = store.topic_table(con, run_id) if run_id else pd.DataFrame(columns=[s.TOPIC_ID, "label"])
    labels = {int(t): str(lbl) for t, lbl in zip(topics[s.TOPIC_ID], topics["label"], strict=True)}
    mentions = store.doc_actors(con)  # one row per document and actor with its mention count
    events = store.events(con)
    run = store.last_run(con, "topics") or {}
    name = store.get_meta(con, "corpus_name") or "corpus"
    dated = timeline.dated(docs)
    parts = [f"<h1>Narrative Timeline report: {html.escape(name)}</h1>",
             f"<p>{len(docs):,} documents ({len(dated):,} dated, {timeline.undated_count(docs)} without a date), "
             f"{docs[s.SOURCE].nunique()} sources, "
             + (f"{dated[s.DATE].min():%Y-%m-%d} to {dated[s.DATE].max():%Y-%m-%d}. " if len(dated) else "")
             + f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.</p>"]

    if not assign.empty:
        table = timeline.shares(docs, assign, granularity)
        keep = assign[assign[s.TOPIC_ID] != -1][s.TOPIC_ID].value_counts().index[:8].tolist()
        parts.append("<h2>Themes over time</h2>")
        parts.append(_img(charts.themes_chart(charts.label_topics(table, labels, keep=keep), events=events,
                                              selectable=False)))
        shifts = findings.largest_theme_shifts(docs, assign, labels, granularity=granularity, top=8)
        parts.append("<h2>The largest shifts</h2>")
        if shifts.empty:
            parts.append("<p>No change point in any theme's share.</p>")
        else:
            parts.append(_table(shifts[["sentence", "doc_ids"]].rename(columns={"doc_ids": "documents"})))
        sizes = assign[s.TOPIC_ID].value_counts()
        theme_rows = pd.DataFrame({
            "theme": [labels.get(int(t), "outliers") for t in sizes.index],
            "documents": [assign[assign[s.TOPIC_ID] == t][s.DOC_ID].tolist() for t in sizes.index],
            "size": sizes.to_numpy()})
        parts.append("<h2>Themes</h2>" + _table(theme_rows))
        out = timeline.outlier_share(docs, assign, "year")
        parts.append("<p>Documents in no theme (outliers) per year: " + ", ".join(
            f"{p.year}: {sh:.0%} of {n}" for p, sh, n in zip(out[s.PERIOD], out[s.SHARE], out[s.TOTAL], strict=True))
            + f". Outlier strategy: {html.escape(str(run.get('counts', {}).get('outlier_strategy')))}.</p>")

    if not mentions.empty:
        plat = timeline.platform_shares(docs, mentions, "year")
        if not plat.empty:
            leaders = findings.platform_leaders(plat)
            parts.append("<h2>Platforms named</h2>")
            parts.append(f"<p>Most-named platform by year: {html.escape(findings.migration_sentence(leaders))}.</p>")
            top = plat.groupby(s.CANONICAL_ID)["mentions"].sum().sort_values(ascending=False).index[:8]
            parts.append(_img(charts.platform_chart(plat[plat[s.CANONICAL_ID].isin(top)], events)))
            evidence = []
            for r in leaders.itertuples():
                ids = mentions[(mentions[s.CANONICAL_ID] == r.canonical_id)][s.DOC_ID]
                year_ids = docs[docs[s.ID].isin(ids) & (docs[s.DATE].dt.year == r.period.year)][s.ID].tolist()
                evidence.append({"year": r.period.year, "platform": r.canonical_name, "mentions": r.mentions,
                                 "of all platform mentions": r.platform_share, "documents": year_ids})
            parts.append(_table(pd.DataFrame(evidence), {"of all platform mentions": ".0%"}))
            newcomers = findings.platform_newcomers(plat)
            if not newcomers.empty:
                rows = []
                for r in newcomers.itertuples():
                    ids = set(mentions[mentions[s.CANONICAL_ID] == r.canonical_id][s.DOC_ID])
                    rows.append({"first named": r.period.year, "platform": r.canonical_name,
                                 "share of platform mentions that year": r.platform_share,
                                 "mentions in all": r.total_mentions,
                                 "documents": docs[docs[s.ID].isin(ids)].sort_values(s.DATE)[s.ID].tolist()})
                parts.append("<h3>Platforms first named after the first year</h3>" + _table(
                    pd.DataFrame(rows), {"share of platform mentions that year": ".0%"}))
        pairs = timeline.pmi_table(timeline.pair_counts(*store.actor_incidence(con, None, "document", "year"),
                                                        min_count=3))
        if not pairs.empty:
            top_pairs = pairs.groupby(s.PERIOD).head(3)
            rows = []
            for r in top_pairs.itertuples():
                a_docs = set(mentions[mentions[s.CANONICAL_ID] == r.a][s.DOC_ID])
                b_docs = set(mentions[mentions[s.CANONICAL_ID] == r.b][s.DOC_ID])
                in_year = set(docs[docs[s.DATE].dt.year == r.period.year][s.ID])
                rows.append({"year": r.period.year, "pair": f"{r.a_name} + {r.b_name}", "documents together": r.count,
                             "PMI": r.pmi, "documents": sorted(a_docs & b_docs & in_year)})
            parts.append("<h2>Who is named together, by year</h2>" + _table(pd.DataFrame(rows), {"PMI": ".2f"}))

    lexicon_path = store.get_meta(con, "framing_path")
    if lexicon_path and Path(lexicon_path).is_file():
        texts = store.documents(con, columns=[s.ID, s.DATE, s.TEXT])
        parts += _framing_section(texts, timeline.read_lexicon(lexicon_path), lexicon_path)

    if not events.empty and not assign.empty:
        items = docs[[s.ID, s.DATE]].merge(assign, left_on=s.ID, right_on=s.DOC_ID)
        impact = timeline.event_impact(items, events, s.TOPIC_ID, window_days=90, top=2)
        if not impact.empty:
            impact["theme"] = impact[s.TOPIC_ID].map(lambda t: labels.get(int(t), "outliers"))
            impact["documents"] = [
                items[(items[s.TOPIC_ID] == r.topic_id) & (items[s.DATE] >= r.event_date)
                      & (items[s.DATE] < r.event_date + pd.Timedelta(days=90))][s.ID].tolist()
                for r in impact.itertuples()]
            parts.append("<h2>What changed after each event (90 days after vs before)</h2>")
            parts.append(_table(impact[["event_date", "event", "theme", "before", "after", "log_odds_ratio",
                                        "p_value", "documents"]],
                                {"log_odds_ratio": ".2f", "p_value": ".3f"}))

    parts.append("<h2>Method</h2><p>Themes: BERTopic over passage embeddings; parameters "
                 f"<code>{html.escape(str(run.get('params')))}</code>; counts "
                 f"<code>{html.escape(str(run.get('counts')))}</code>. Shares carry 95 % Wilson intervals in the "
                 "app; change points by PELT (ruptures); event impact by log odds ratio with a two-proportion "
                 "z-test. Every table names its documents' ids: open "
                 "them in the app's Documents page (<code>?doc=ID</code>).</p>")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.45;color:#222}"
             "table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ccc;padding:4px;"
             "vertical-align:top}img{max-width:100%}code{font-size:.85em}")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(name)} — report</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")


def _framing_section(docs: pd.DataFrame, lexicon: dict[str, list[str]], path: str) -> list[str]:
    """Framing words per year: a dictionary measure with the documents behind every share."""
    table = timeline.lexicon_shares(docs, lexicon, "year")
    if table.empty:
        return []
    parts = [f"<h2>Framing words by year</h2><p>Share of each year's documents using at least one word of each "
             f"frame (lexicon <code>{html.escape(Path(path).name)}</code>; whole words, case-insensitive).</p>"]
    for frame, rows in table.groupby("frame"):
        rows = rows.sort_values(s.PERIOD)
        points = timeline.change_points(rows[s.SHARE].reset_index(drop=True), min_size=2)
        if points:
            k = points[0]
            before, after = rows[s.SHARE].iloc[:k].mean(), rows[s.SHARE].iloc[k:].mean()
            sentence = (f"“{frame}”: {before:.0%} of documents a year before {rows[s.PERIOD].iloc[k].year}, "
                        f"{after:.0%} from then on (change point by PELT).")
        else:
            sentence = f"“{frame}”: no change point in its yearly share."
        parts.append(f"<p>{html.escape(sentence)}</p>")
    view = table.assign(year=table[s.PERIOD].dt.year, documents=table["doc_ids"])
    parts.append(_table(view[["year", "frame", s.COUNT, s.TOTAL, s.SHARE, "documents"]], {s.SHARE: ".0%"}))
    return parts


def write_report(con, out: Path, granularity: str = "quarter") -> Path:
    """Write the report page to `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(con, granularity), encoding="utf-8")
    return out
