"""A figure exported for publication: the image carries its title, filters and counts, source line and date; the PNG
is at print resolution; the ZIP holds the image, the data (UTF-8 with a byte-order mark, Arabic intact), the
documents behind it with excerpts and citations, and the methods note in words and as JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import pytest
from apptest_store import build_app_store

from analytics import Corpus, Filters, charts, edits, store
from analytics import schema as s
from analytics.charts import bundle

ARABIC = "الدعاية على تيليغرام"  # "propaganda on Telegram"


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    db = build_app_store(tmp_path_factory.mktemp("exports") / "app.duckdb")
    edits.rename_theme(db, 0, ARABIC)
    with store.opened(db) as con:
        first = con.execute("SELECT id FROM documents WHERE source_type = 'news' ORDER BY id LIMIT 1").fetchone()[0]
        con.execute("UPDATE documents SET metadata = ?, url = 'https://example.org/a' WHERE id = ?",
                    [json.dumps({"cites": "Example Times, 3 March 2016, \"A report\""}), first])
    return db


def svg_text(svg: bytes) -> str:
    """Every piece of text the SVG draws, joined."""
    root = ET.fromstring(svg)
    return " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))


def png_ppi(png: bytes) -> float:
    """The PNG's pixels per inch from its pHYs chunk."""
    at = png.index(b"pHYs")
    x, _, unit = struct.unpack(">IIB", png[at + 4:at + 13])
    assert unit == 1  # pixels per metre
    return x * 0.0254


def figure(corpus: Corpus, filters: Filters | None = None):
    table = corpus.theme_shares("quarter", filters, top=2)
    chart = charts.themes_chart(table, events=corpus.events(filters), granularity="quarter")
    words = charts.caption("Themes over time", corpus.name(), corpus.summary(filters).in_scope, filters, "quarter",
                           date=dt.date(2024, 5, 17))
    return table, chart, words


@pytest.mark.flow
def test_the_image_carries_title_filters_counts_source_and_date(app_db):
    corpus = Corpus.open(app_db)
    filters = Filters(source_types=["news"])
    _, chart, words = figure(corpus, filters)
    n = corpus.summary(filters).in_scope
    text = svg_text(charts.export_bytes(chart, "svg", words=words))
    assert "Themes over time" in text
    assert f"{n} documents: news sources; by quarter" in text
    assert f"Data: Planted test corpus, {n} documents; made with Narrative Timeline · 17 May 2024" in text
    assert "110%" not in text and "100%" in text
    png = charts.export_bytes(chart, "png", words=words)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and round(png_ppi(png)) == 300
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 2400 and height >= 1200  # print size: about 24 cm wide at 300 ppi


@pytest.mark.flow
def test_the_zip_holds_every_part(app_db):
    corpus = Corpus.open(app_db)
    table, chart, words = figure(corpus)
    documents = corpus.documents_to_cite()
    note = corpus.methods_note("Themes over time", None, "quarter")
    blob = charts.figure_zip(chart, words, table, documents, note, "Themes over time", "quarter")
    archive = zipfile.ZipFile(io.BytesIO(blob))
    names = {n.split("/", 1)[1] for n in archive.namelist()}
    assert names == {"themes-over-time.png", "themes-over-time.svg", "themes-over-time-data.csv",
                     "themes-over-time-documents.csv", "methods.txt", "methods.json", "README.txt"}
    read = {n.split("/", 1)[1]: archive.read(n) for n in archive.namelist()}
    assert read["themes-over-time.png"][:4] == b"\x89PNG"
    assert "Themes over time" in svg_text(read["themes-over-time.svg"])
    # The data: UTF-8 with a byte-order mark; Arabic labels survive; counts whole; shares as fractions.
    raw = read["themes-over-time-data.csv"]
    assert raw[:3] == b"\xef\xbb\xbf"
    data = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert ARABIC in set(data["theme"])
    assert list(data.columns[:3]) == ["period", "period start", "theme id"]
    assert (data["documents"] == table[s.COUNT].to_numpy()).all()
    assert data["share"].max() <= 1
    # The documents: every document under the filters, with the columns a journalist cites from.
    docs = pd.read_csv(io.BytesIO(read["themes-over-time-documents.csv"]), encoding="utf-8-sig", keep_default_na=False)
    assert list(docs.columns) == bundle.DOCUMENT_COLUMNS
    assert len(docs) == corpus.summary().in_scope
    assert docs["excerpt"].str.len().max() <= 302 and (docs["excerpt"].str.len() > 50).all()
    cited = docs[docs["citation"].str.startswith("Example Times")]
    assert len(cited) == 1 and cited["url"].iloc[0] == "https://example.org/a"
    other = docs[~docs.index.isin(cited.index)].iloc[0]
    assert other["citation"].startswith(f"“{other['title']}”, {other['source']}, ")
    assert ARABIC in set(docs["theme"])
    # The methods note in words, and the same note as JSON beside it.
    words_note = read["methods.txt"].decode("utf-8")
    assert "{" not in words_note and "Planted test corpus" in words_note and "Wilson interval" in words_note
    assert "gap" in words_note and "topic model run" in words_note
    assert json.loads(read["methods.json"]) == json.loads(json.dumps(note, default=str))
    assert "themes-over-time-documents.csv" in read["README.txt"].decode("utf-8")


def test_documents_to_cite_follow_the_point_they_are_behind(app_db):
    corpus = Corpus.open(app_db)
    behind = corpus.documents_behind(period="2016-04-01", granularity="quarter", themes=[1])
    cited = corpus.documents_to_cite(period="2016-04-01", granularity="quarter", themes=[1])
    assert list(cited["id"]) == list(behind[s.ID]) and len(cited) > 0
    some = list(behind[s.ID][:2])
    assert list(corpus.documents_to_cite(ids=some)["id"]) == sorted(some, key=list(behind[s.ID]).index)


def test_a_figure_without_filters_says_so():
    words = charts.caption("Documents per period", "Demo", 316, None, "quarter", date=dt.date(2024, 1, 2))
    assert words.subtitle == "316 documents: all dated documents; by quarter"
    assert words.footer == "Data: Demo, 316 documents; made with Narrative Timeline · 2 January 2024"


def test_an_export_keeps_its_data_while_another_thread_swaps_altairs_data_transformer(app_db):
    """A Streamlit app draws its charts with a process-wide data transformer of its own while a download runs on
    another thread; the exported figure must still carry every band, event and its source line."""
    import altair as alt

    corpus = Corpus.open(app_db)
    _, chart, words = figure(corpus)
    plain = charts.export_bytes(chart, "svg", words=words)
    alt.data_transformers.register("names_only", lambda data, **_: {"name": "elsewhere"})
    with alt.data_transformers.enable("names_only"):
        swapped = charts.export_bytes(chart, "svg", words=words)
    assert swapped == plain
    assert "Data: Planted test corpus" in svg_text(swapped)
    assert "Brussels attacks" in svg_text(swapped)  # an event of the test store, drawn from the chart's data
