"""Entities on texts whose mentions are known: the IS rules, variants, possessives, other languages,
incremental runs, alias edits without the model, the pinned model check and the hand-annotated gold set."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from analytics import entities, store
from analytics.entities import extraction
from analytics.entities.posts import MODEL_LABELS_ON_POSTS, POST_ALIASES, POST_ORIGINS, post_actor_name
from analytics.errors import InputError, ModelUnavailableError
from analytics.ingest import ingest

ALIASES = Path(__file__).resolve().parents[1] / "corpora" / "aliases.csv"
GOLD = Path(__file__).resolve().parents[1] / "corpora" / "entities_gold.jsonl"


@pytest.fixture(scope="module")
def pipes():
    return entities.build_pipeline(entities.load_aliases(ALIASES))


def found(pipes, text: str) -> list[tuple[str, str, str]]:
    doc = pipes.english(text)
    return [(m["text"], m["label"], m["canonical_id"])
            for m in extraction._mention_rows(doc, "d", pipes.aliases.lookup(), "v", False)]


@pytest.mark.slow  # loads the spaCy model
def test_the_word_is_is_never_the_group_but_the_acronym_in_context_is(pipes):
    text = ("It is clear what happened. Is this the end of the network? THIS IS WHY PLATFORMS ACT. "
            "IS fighters retreated from the town. The IS group claimed the attack, and pro-IS channels shared it.")
    mentions = found(pipes, text)
    group = [m for m in mentions if m[2] == "islamic_state"]
    assert [m[0] for m in group] == ["IS", "IS", "IS"]
    starts = [text.index("IS fighters"), text.index("IS group"), text.index("IS channels")]
    doc = pipes.english(text)
    rows = extraction._mention_rows(doc, "d", pipes.aliases.lookup(), "v", False)
    assert sorted(r["start_char"] for r in rows if r["canonical_id"] == "islamic_state") == starts


@pytest.mark.slow  # loads the spaCy model
def test_variants_and_possessives_normalise_to_one_actor(pipes):
    text = ("ISIS, ISIL, Daesh, Isis and the Islamic State are one group, which Arabic media call داعش. "
            "Twitter's suspensions grew. Abu Bakr al-Baghdadi spoke; later Baghdadi was killed and al-Baghdadi's "
            "successor was named.")
    mentions = found(pipes, text)
    group = [m[0] for m in mentions if m[2] == "islamic_state"]
    assert group == ["ISIS", "ISIL", "Daesh", "Isis", "Islamic State", "داعش"]
    assert ("Twitter", "PLATFORM", "twitter") in mentions
    leader = [m[0] for m in mentions if m[2] == "abu_bakr_al_baghdadi"]
    assert leader == ["Abu Bakr al-Baghdadi", "Baghdadi", "al-Baghdadi"]
    assert not any(label in {"DATE", "CARDINAL", "MONEY", "PERCENT"} for _, label, _ in mentions)


def test_alias_list_errors_name_the_line(tmp_path):
    bad = tmp_path / "aliases.csv"
    rows = [["canonical_id", "canonical_name", "type", "alias", "match", "language", "note"],
            ["twitter", "Twitter", "PLATFORM", "Twitter", "ci", "en", ""],
            ["x_corp", "X", "PLATFORM", "twitter", "ci", "en", ""]]
    with open(bad, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(InputError) as err:
        entities.load_aliases(bad)
    assert "line 3" in str(err.value) and "already belongs to 'twitter'" in str(err.value)
    rows[2] = ["islamic_state", "Islamic State", "GROUP", "is", "ci", "en", ""]
    with open(bad, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(InputError, match="line 3: the word 'is'"):
        entities.load_aliases(bad)


@pytest.mark.flow  # copies the whole pinned model to change one file
def test_a_changed_model_file_is_refused(tmp_path, monkeypatch):
    pinned = json.loads(entities.CHECKSUMS_FILE.read_text())
    pinned["sha256"]["config.cfg"] = "0" * 64  # the first file checked: the refusal comes before any other is read
    fake = tmp_path / "pins.json"
    fake.write_text(json.dumps(pinned))
    monkeypatch.setattr(entities.model, "CHECKSUMS_FILE", fake)
    with pytest.raises(ModelUnavailableError, match="does not match the pinned"):
        entities.model_dir()


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


DOCS = [
    {"date": "2019-11-25", "source": "Europol", "text": "Europol and Telegram removed channels of the Islamic State. "
     "Supporters moved to TamTam and Rocket.Chat within days, according to researchers in London."},
    {"date": "2015-11-16", "source": "Wire", "text": "Anonymous declared war on ISIS after the Paris attacks. "
     "GhostSec said it had reported thousands of Twitter accounts."},
    {"date": "2019-11-26", "source": "Le Monde", "language": "fr", "text": "Les partisans de l'État islamique ont "
     "quitté Telegram pour TamTam après l'opération menée par Europol contre Daech."},
    {"date": "2019-11-27", "source": "Arabic wire", "language": "ar",
     "text": "حذفت شركة تيليجرام قنوات تنظيم داعش بالتعاون مع اليوروبول"},
]


@pytest.mark.slow  # loads the spaCy model
def test_stage_is_incremental_and_marks_alias_only_languages(tmp_path):
    con = store.connect(tmp_path / "s.duckdb")
    inputs = tmp_path / "in"
    inputs.mkdir()
    ingest([write_jsonl(inputs / "a.jsonl", DOCS)], con)
    first = entities.run_entities(con, ALIASES)
    assert first["documents"] == 4 and first["aliases_only"] == 2
    mentions = store.mentions(con)
    docs = store.documents(con).set_index("id")
    by_source = {src: mentions[mentions["doc_id"].isin(docs.index[docs["source"] == src])] for src in docs["source"]}
    assert {"europol", "telegram", "islamic_state", "tamtam", "rocket_chat"} <= set(by_source["Europol"]["canonical_id"])
    assert {"anonymous", "islamic_state", "ghostsec", "twitter"} <= set(by_source["Wire"]["canonical_id"])
    assert {"islamic_state", "telegram", "tamtam", "europol"} <= set(by_source["Le Monde"]["canonical_id"])
    assert "islamic_state" in set(by_source["Arabic wire"]["canonical_id"])
    assert set(by_source["Le Monde"]["origin"]) == {"alias"}
    # Every mention's sentence can be cut from its document.
    for row in mentions.itertuples():
        text = docs.loc[row.doc_id, "text"]
        assert text[row.start_char:row.end_char] == row.text
        assert row.sent_start <= row.start_char and row.end_char <= row.sent_end
    versions = dict(con.execute("SELECT d.source, p.version FROM processed p JOIN documents d ON d.id = p.doc_id")
                    .fetchall())
    assert versions["Le Monde"].endswith(":aliases-only") and not versions["Europol"].endswith(":aliases-only")
    assert entities.run_entities(con, ALIASES)["documents"] == 0
    ingest([write_jsonl(inputs / "b.jsonl", [{"date": "2020-01-05", "source": "Wire", "text":
                                              "Hoop Messenger and Threema were named in a new report."}])], con)
    third = entities.run_entities(con, ALIASES)
    assert third["documents"] == 1
    assert {"hoop_messenger", "threema"} <= set(store.mentions(con)["canonical_id"])
    con.close()


@pytest.mark.slow  # loads the spaCy model
def test_editing_the_alias_list_renormalises_without_the_model(tmp_path, monkeypatch):
    con = store.connect(tmp_path / "s.duckdb")
    (tmp_path / "in").mkdir()
    ingest([write_jsonl(tmp_path / "in" / "a.jsonl", DOCS[:2])], con)
    entities.run_entities(con, ALIASES)
    before = store.mentions(con)
    assert "ghostsec" in set(before["canonical_id"])
    rows = list(csv.DictReader(open(ALIASES, encoding="utf-8")))
    edited = []
    for row in rows:
        if row["canonical_id"] == "telegram":
            row["canonical_name"] = "Telegram Messenger"
            if row["alias"] == "Telegram":
                edited.append({**row, "alias": "Telegram Messenger"})
        if row["canonical_id"] == "ghostsec":
            continue  # removed from the list
        edited.append(row)
    edited.append({**rows[0], "canonical_id": "paris_attacks", "canonical_name": "Paris attacks", "type": "EVENT",
                   "alias": "Paris attacks", "match": "ci"})
    new_path = tmp_path / "aliases.csv"
    with open(new_path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(edited)

    def no_model(*args, **kwargs):
        raise AssertionError("the model must not run when only the alias list changed")

    monkeypatch.setattr(extraction, "extract_entities", no_model)
    summary = entities.run_entities(con, new_path)
    assert summary["renormalised"] > 0 and summary["documents"] == 0
    after = store.mentions(con)
    assert set(after.loc[after["canonical_id"] == "telegram", "canonical_name"]) == {"Telegram Messenger"}
    assert "ghostsec" not in set(after["canonical_id"])
    assert "paris_attacks" in set(after["canonical_id"])
    con.close()


@pytest.mark.slow  # loads the spaCy model
def test_gold_set_precision_and_recall(pipes):
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(gold) >= 40
    result = entities.evaluate(pipes, gold)
    print(json.dumps({k: v for k, v in result.items() if k != "errors"}, indent=1))
    # Actors from the alias list are what the timeline counts: the issue asks recall >= 0.95 for them.
    assert result["canonical"]["recall"] >= 0.95, result["canonical"]
    assert result["canonical"]["precision"] >= 0.90, result["canonical"]
    for label in ("GROUP", "PLATFORM", "MEDIA_OUTLET", "AGENCY", "HACKTIVIST"):
        assert result["by_label"][label]["recall"] >= 0.9, (label, result["by_label"][label])
    assert result["overall"]["f1"] >= 0.85, result["overall"]


SEED_ACTORS = {
    "islamic_state", "anonymous", "ghostsec", "ctrlsec", "twitter", "telegram", "facebook", "instagram", "vkontakte",
    "livejournal", "tamtam", "rocket_chat", "hoop_messenger", "threema", "riot", "europol", "pavel_durov",
    "vladimir_putin", "abu_bakr_al_baghdadi", "nashir", "al_naba", "syria", "iraq", "paris",
}


@pytest.mark.slow  # loads the spaCy model
def test_seed_articles_name_the_actors_the_issue_lists(seeds_dir, tmp_path):
    con = store.connect(tmp_path / "seeds.duckdb")
    ingest([seeds_dir], con)
    entities.run_entities(con, ALIASES)
    mentions = store.mentions(con)
    assert SEED_ACTORS <= set(mentions["canonical_id"]), SEED_ACTORS - set(mentions["canonical_id"])
    group = mentions[mentions["canonical_id"] == "islamic_state"]
    assert {"ISIS", "IS", "Islamic State"} <= set(group["text"])
    assert not set(group["text"]) & {"is", "Is"}
    # "the IS’ online network": the group before a possessive apostrophe
    docs = store.documents(con).set_index("id")
    possessive = [r for r in group.itertuples() if docs.loc[r.doc_id, "text"][r.end_char:r.end_char + 1] == "’"]
    assert len(possessive) >= 5
    con.close()


def reference_rows(doc, doc_id: str, lookup: dict, version: str, alias_only: bool,
                   model_labels: frozenset[str] | set[str] = entities.MODEL_LABELS) -> list[tuple]:
    """Mention rows the way the stage built them before it was made faster (Span.text, Span.ent_id_, doc.text):
    slow and plain, kept here as the reference the stage must reproduce row for row."""
    rows = []
    try:
        sents = [(sent.start_char, sent.end_char) for sent in doc.sents]
    except ValueError:
        sents = []
    names = {v[0]: v[1] for v in lookup.values()} | {"islamic_state": "Islamic State"}
    # the alias mentions a hashtag's words spell sit beside doc.ents (they overlap the hashtag's own)
    hashtag_aliases = list(doc.spans[POST_ALIASES]) if POST_ALIASES in doc.spans else []
    for ent in list(doc.ents) + hashtag_aliases:
        start, end, text, label = ent.start_char, ent.end_char, ent.text, ent.label_
        if ent.id_:
            cid, origin = ent.id_, ent.kb_id_ or "alias"
            name = names.get(cid) or post_actor_name(cid) or text
        else:
            if label not in model_labels:
                continue
            if ent[0].lower_ in ("the", "a", "an") and len(ent) > 1:
                start, text = ent[1].idx, doc.text[ent[1].idx:end]
            if sum(ch.isalnum() for ch in text) < 2 or text.endswith("-"):
                continue
            hit = lookup.get(entities.alias_key(text))
            if hit:
                cid, name, label = hit
                origin = "model+alias"
            else:
                cid, name, origin = f"{label.lower()}:{entities.alias_key(text)}", text.strip(), "model"
        inside = [sent for sent in sents if sent[0] <= ent.start_char]
        sent_start, sent_end = inside[-1] if inside else (None, None)
        rows.append((doc_id, start, end, sent_start, sent_end, text, label, cid, name,
                     origin if not alias_only or ent.id_ else "alias", version))
    return rows


@pytest.mark.slow  # loads the spaCy model
@pytest.mark.parametrize(("profile", "files"), [("fast", None), ("quality", ["2019.jsonl", "2020.jsonl"])])
def test_stored_mentions_are_the_reference_rows_of_every_document(tmp_path, profile, files):
    """The stage (streamed reads, tuple rows, Arrow writes on a second thread) stores exactly the rows the plain
    Span-based code gives, on the demo corpus and on the other-language documents, in both profiles."""
    from analytics import config

    con = store.connect(tmp_path / "s.duckdb")
    folder = config.DEMO_CORPUS_DIR / "documents"
    (tmp_path / "in").mkdir()
    ingest([folder / f for f in files] if files else [folder], con)
    ingest([write_jsonl(tmp_path / "in" / "other.jsonl", DOCS)], con)
    summary = entities.run_entities(con, ALIASES, profile=profile)
    pipes = entities.cached_pipeline(entities.load_aliases(ALIASES), profile)
    docs = store.documents(con, columns=["id", "text", "language", "source_type"])
    assert summary["documents"] == len(docs) > 80
    expected = []
    for doc_id, text, lang, kind in docs.itertuples(index=False):
        nlp, alias_only = pipes.for_language(lang or "en")
        labels = MODEL_LABELS_ON_POSTS if kind == "social" else entities.MODEL_LABELS
        expected += reference_rows(nlp(text), doc_id, pipes.aliases.lookup(), pipes.version, alias_only, labels)
    stored = con.execute(f"SELECT {', '.join(entities.ENTITY_COLUMNS)} FROM entities").fetchall()
    assert len(expected) > 500
    origins = {row[9] for row in expected}
    rules = {"alias", *POST_ORIGINS}
    assert "alias" in origins and (origins <= rules if profile == "fast" else {"alias", "model"} <= origins), origins
    assert sorted(stored, key=repr) == sorted(expected, key=repr)
    marks = dict(con.execute("SELECT doc_id, version FROM processed WHERE stage = 'entities'").fetchall())
    assert set(marks) == set(docs["id"])
    assert sum(v.endswith(entities.ALIASES_ONLY) for v in marks.values()) == summary["aliases_only"]
    con.close()
