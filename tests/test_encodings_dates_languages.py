"""Legacy encodings, dates in other languages and forms, language names and short-post language detection, on
inputs whose right answer is known."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from analytics import store
from analytics.cli import main
from analytics.errors import RecordRejected
from analytics.ingest import encoding, ingest, languages
from analytics.ingest.dates import parse_date
from benchmarks.short_posts import posts

ARABIC = "أعلنت الدولة الإسلامية قيام الخلافة في بيان نشرته مؤسسة الفرقان على الإنترنت، وتناقلته الحسابات المؤيدة"
RUSSIAN = "Исламское государство потеряло десятки каналов в Телеграме после операции Европола в ноябре"
TURKISH = "Darbe girişiminin ardından sosyal medyada yüzlerce hesap kapatıldı ve çağrılar yapıldı"


def _csv(text: str, source: str) -> str:
    return f"date,text,source\n2019-11-22,\"{text}\",{source}\n"


@pytest.mark.parametrize(("codec", "text", "source", "language"), [
    ("cp1256", ARABIC, "الفرقان", "ar"),
    ("cp1251", RUSSIAN, "РИА", "ru"),
    ("cp1254", TURKISH, "Hürriyet", "tr"),
    ("utf-16", RUSSIAN, "РИА", "ru"),  # with a byte-order mark
    ("utf-16-le", TURKISH, "Hürriyet", "tr"),  # without one
])
def test_legacy_encodings_decode_correctly(tmp_path, fresh_db, codec, text, source, language):
    path = tmp_path / f"{codec}.csv"
    path.write_bytes(_csv(text, source).encode(codec))
    report = ingest([path], fresh_db)
    assert report.stored == 1
    row = store.documents(fresh_db, columns=["text", "source", "language"]).iloc[0]
    assert (row["text"], row["source"], row["language"]) == (text, source, language)
    file_report = report.files[0]
    assert file_report.encoding.replace("_", "-").startswith(codec.split("-le")[0].replace("_", "-"))
    assert file_report.encoding_confidence > 0


def test_arabic_text_file_in_windows_1256(tmp_path, fresh_db):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2015-06-29_bayan.txt").write_bytes((ARABIC + "\n").encode("cp1256"))
    ingest([folder], fresh_db)
    row = store.documents(fresh_db, columns=["text", "language", "metadata"]).iloc[0]
    assert row["text"] == ARABIC and row["language"] == "ar"
    assert json.loads(row["metadata"])["encoding"] == "cp1256"


def test_the_encoding_guess_says_how_sure_it_is():
    sure = encoding.decode(RUSSIAN.encode("cp1251"), "x")
    assert (sure.text, sure.encoding) == (RUSSIAN, "cp1251") and sure.confidence == 1.0
    western = encoding.decode("Déjà vu, naïve café".encode("latin-1"), "x")
    assert western.text == "Déjà vu, naïve café" and western.confidence < 0.5  # several codecs read it alike
    assert encoding.decode(b"plain", "x") == encoding.Decoded("plain", "utf-8", 1.0)


@pytest.mark.parametrize(("raw", "kwargs", "expected"), [
    ("12 mars 2016", {}, (datetime(2016, 3, 12), "day")),
    ("mars 2016", {"language": "fr"}, (datetime(2016, 3, 1), "month")),
    ("22 ноября 2019", {}, (datetime(2019, 11, 22), "day")),
    ("22 نوفمبر 2019", {"language": "ar"}, (datetime(2019, 11, 22), "day")),
    ("٢٢ نوفمبر ٢٠١٩", {}, (datetime(2019, 11, 22), "day")),
    ("٢٠١٩-١١-٢٢", {}, (datetime(2019, 11, 22), "day")),
    ("۲۰۱۹/۱۱/۲۲", {}, (datetime(2019, 11, 22), "day")),
    ("03/04/2016", {}, (datetime(2016, 3, 4), "day")),
    ("03/04/2016", {"dayfirst": True}, (datetime(2016, 4, 3), "day")),
    ("2019-11-22 14:03:11 EST", {}, (datetime(2019, 11, 22, 19, 3, 11), "day")),
    ("2019-11-22 14:03:11 +0300", {}, (datetime(2019, 11, 22, 11, 3, 11), "day")),
    ("Fri Nov 22 14:03:11 +0000 2019", {}, (datetime(2019, 11, 22, 14, 3, 11), "day")),
    ("22 Nov 2019 09:00 PST", {}, (datetime(2019, 11, 22, 17, 0), "day")),
    ("2019-11-22T14:03:11.000Z", {}, (datetime(2019, 11, 22, 14, 3, 11), "day")),
    ("20191125T103000Z", {}, (datetime(2019, 11, 25, 10, 30), "day")),
    ("20191125103000", {}, (datetime(2019, 11, 25, 10, 30), "day")),
])
def test_dates_in_other_languages_and_forms(raw, kwargs, expected):
    assert parse_date(raw, **kwargs) == expected


@pytest.mark.parametrize(("raw", "reason"), [
    ("yesterday", "not understood"), ("il y a 3 jours", "not understood"), ("12 mars", "not understood"),
    ("2019-11-22 14:03 XYZ", "time zone"),
])
def test_relative_dates_and_unknown_zones_are_rejected(raw, reason):
    with pytest.raises(RecordRejected) as err:
        parse_date(raw)
    assert reason in err.value.reason


def test_dayfirst_flag_and_corpus_setting(tmp_path):
    path = tmp_path / "fr.csv"
    path.write_text("date,text,source\n03/04/2016,Le gouvernement a annoncé de nouvelles mesures.,Le Monde\n",
                    encoding="utf-8")
    for args in ([], ["--dayfirst"]):
        db = tmp_path / f"s{len(args)}.duckdb"
        result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(db), *args])
        assert result.exit_code == 0, result.output
        with store.opened(db, read_only=True) as con:
            date = store.documents(con, columns=["date"])["date"].iloc[0]
        assert date == (pd.Timestamp("2016-04-03") if args else pd.Timestamp("2016-03-04"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "corpus.toml").write_text('name = "fr"\ndocuments = ["*.csv"]\n[defaults]\ndayfirst = true\n')
    (corpus / "fr.csv").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with store.opened(tmp_path / "c.duckdb") as con:
        ingest([corpus], con)
        assert store.documents(con, columns=["date"])["date"].iloc[0] == pd.Timestamp("2016-04-03")


def test_month_names_in_other_languages_are_stored(tmp_path, fresh_db):
    path = tmp_path / "dates.csv"
    path.write_text("date,text,source\n"
                    "12 mars 2016,Le gouvernement français a annoncé mardi de nouvelles mesures.,A\n"
                    "22 ноября 2019,Правительство объявило о новых мерах по борьбе с терроризмом.,B\n"
                    "22 نوفمبر 2019,أعلنت الحكومة يوم الثلاثاء عن إجراءات جديدة لمكافحة الإرهاب,C\n", encoding="utf-8")
    report = ingest([path], fresh_db)
    assert (report.stored, report.rejected) == (3, 0)
    dates = store.documents(fresh_db, columns=["source", "date"]).set_index("source")["date"]
    assert dates.to_dict() == {"A": pd.Timestamp("2016-03-12"), "B": pd.Timestamp("2019-11-22"),
                               "C": pd.Timestamp("2019-11-22")}


@pytest.mark.parametrize(("given", "code"), [
    ("English", "en"), ("english", "en"), ("ARABIC", "ar"), ("en-GB", "en"), ("fra", "fr"), ("Русский", "ru"),
    ("pt-BR", "pt"), ("und", "und"), ("qme", "und"), ("in", "id"), ("Klingon", None),
])
def test_language_names_become_iso_codes(given, code):
    assert languages.iso639_1(given) == code


def test_short_posts_in_eight_languages_are_identified():
    data = posts(40, seed=7)  # a draw held out from the one the thresholds were chosen on
    answers = [(lang, languages.detect(text)) for lang, text in data]
    accuracy = sum(got == lang for lang, got in answers) / len(answers)
    undetermined = sum(got == "und" for _, got in answers) / len(answers)
    assert accuracy >= 0.95 and undetermined <= 0.03, (accuracy, undetermined)
    for lang in {lang for lang, _ in data}:
        right = sum(got == lang for want, got in answers if want == lang)
        assert right >= 36, (lang, right)  # at least 90 % in every language


def test_short_arabic_read_as_a_dialect_is_arabic():
    """Three-word openings of paragraphs written in Modern Standard Arabic for the multilingual checks: the
    identifier reads them as Egyptian (arz) or Moroccan (ary) Arabic; the store gets the ISO 639-1 code."""
    assert languages.identifier().classify("يخشى مسؤولو الصحة")[0] == "arz"
    assert languages.identifier().classify("مع انحسار المياه")[0] == "ary"
    for text in ("يخشى مسؤولو الصحة", "مع انحسار المياه", "كشف تقرير الشفافية", "يؤوي مخيم الهول في شمال"):
        assert languages.detect(text) == "ar", text
    assert languages.iso639_1("arz") == "ar" and languages.iso639_1("ary") == "ar"


def test_text_without_words_stays_undetermined():
    for text in ("https://t.co/abc123 #2019", "@someone @other", "RT @x: 12345 !!!", "ok"):
        assert languages.detect(text) == "und"


def test_ingest_names_files_not_read_as_utf8_and_the_run_keeps_the_guess(tmp_path):
    path = tmp_path / "ru.csv"
    path.write_bytes(_csv(RUSSIAN, "РИА").encode("cp1251"))
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 0 and "ru.csv: read as cp1251 (confidence 1.00)" in result.output
    with store.opened(db, read_only=True) as con:
        files = store.last_run(con, "ingest")["counts"]["files"]
    assert [(f["encoding"], f["encoding_confidence"]) for f in files] == [("cp1251", 1.0)]
    status = CliRunner().invoke(main, ["status", "--db", str(db)])
    assert "ru.csv: read as cp1251 (confidence 1.00)" in status.output and '"files"' not in status.output


def test_ingest_and_status_name_a_text_file_not_read_as_utf8(tmp_path):
    """A text file's guess is shown like a data file's (it is also in its document's metadata); text files read
    as UTF-8 are not listed in the run, so a folder of many stays a short record."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2015-06-29_bayan.txt").write_bytes((ARABIC + "\n").encode("cp1256"))
    (folder / "2015-06-30_note.txt").write_text("Plain English note about the same statement.\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0 and "2015-06-29_bayan.txt: read as cp1256" in result.output
    assert "note.txt: read as" not in result.output
    with store.opened(db, read_only=True) as con:
        files = store.last_run(con, "ingest")["counts"]["files"]
    assert [(Path(f["file"]).name, f["encoding"]) for f in files] == [("2015-06-29_bayan.txt", "cp1256")]
    status = CliRunner().invoke(main, ["status", "--db", str(db)])
    assert "2015-06-29_bayan.txt: read as cp1256" in status.output


def test_a_dateline_in_another_language_at_the_top_of_a_text_file(tmp_path, fresh_db):
    """A text file's date found at its top is read in the text's language, as a date field is: French, Russian and
    Arabic month names, Arabic-Indic digits. A day and month without a year, or a date deep in the body, is not a
    dateline."""
    folder = tmp_path / "in"
    folder.mkdir()
    body = {
        "fr": "Le gouvernement a annoncé de nouvelles mesures contre la propagande en ligne et les réseaux.",
        "ru": "Власти заблокировали десятки каналов, которые распространяли экстремистские материалы.",
        "ar": "أعلنت السلطات اليوم إغلاق عشرات القنوات التي تنشر الدعاية المتطرفة على شبكة الإنترنت.",
    }
    (folder / "fr.txt").write_text(f"Publié le 12 mars 2016 à 10h00\n\n{body['fr']}\n", encoding="utf-8")
    (folder / "ru.txt").write_text(f"22 ноября 2019\n\n{body['ru']}\n", encoding="utf-8")
    (folder / "ar.txt").write_text(f"٢٢ نوفمبر ٢٠١٩\n\n{body['ar']}\n", encoding="utf-8")
    (folder / "fr_no_year.txt").write_text(f"Le 13 novembre, à Paris\n\n{body['fr']} Encore.\n", encoding="utf-8")
    deep = "\n".join(f"Paragraphe {i} : {body['fr']}" for i in range(15))
    (folder / "fr_deep.txt").write_text(f"{deep}\nMis à jour le 14 mars 2016\n", encoding="utf-8")
    ingest([folder], fresh_db)
    rows = store.documents(fresh_db, columns=["input_file", "date", "date_origin"])
    found = {Path(f).stem: (d, o) for f, d, o in zip(rows["input_file"], rows["date"], rows["date_origin"],
                                                      strict=True)}
    assert found["fr"] == (pd.Timestamp("2016-03-12"), "text")
    assert found["ru"] == (pd.Timestamp("2019-11-22"), "text")
    assert found["ar"] == (pd.Timestamp("2019-11-22"), "text")
    assert found["fr_no_year"][1] == "none" and found["fr_deep"][1] == "none"
