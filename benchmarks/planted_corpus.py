"""A benchmark corpus with known structure at any size: documents written from planted themes.

Each document is mostly one theme, in one of two shapes: posts (8–60 words, one to five sentences, all of their
theme) and news articles (250–900 words, whose sentences draw their content words from their theme with
probability `PRIMARY_SHARE`, else from one secondary theme). Theme shares change over time in planted ways
(`SHIFTS`): one theme grows, one fades, one bursts in one quarter, one appears only from 2017.
The vocabularies are real English words of distinct news beats, so any embedding model can tell the themes
apart, and the function words make every document read as English to the language detector.

Streaming: document i is generated from its own seeded random stream (seed, i), so any slice of the corpus can be
made without the rest, in any order or on any number of processes, and a million documents never sit in memory.

    python -m benchmarks.planted_corpus 10000 corpus.csv      # writes corpus.csv and corpus.labels.csv
"""

from __future__ import annotations

import csv
import io
import math
import os
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

PRIMARY_SHARE = 0.85  # share of a document's sentences written from its own theme
POST_SHARE = 0.5  # share of documents that are posts (the rest are news articles)
START, END = date(2014, 1, 1), date(2020, 12, 31)
SPAN_DAYS = (END - START).days + 1


@dataclass(frozen=True)
class Theme:
    """A news beat: the content words its sentences are written with."""

    name: str
    nouns: tuple[str, ...]
    verbs: tuple[str, ...]  # past tense
    adjectives: tuple[str, ...]
    names: tuple[str, ...]  # people, organisations and places of the beat


def _theme(name: str, nouns: str, verbs: str, adjectives: str, names: str) -> Theme:
    return Theme(name, tuple(nouns.split()), tuple(verbs.split()), tuple(adjectives.split()),
                 tuple(n.replace("_", " ") for n in names.split()))


THEMES: tuple[Theme, ...] = (
    _theme("floods", "flood river rainfall levee evacuation sandbag storm downpour reservoir riverbank embankment "
           "rescue boat shelter warning floodplain deluge torrent dam village",
           "inundated overflowed breached submerged evacuated swept drenched stranded",
           "waterlogged torrential swollen coastal heavy",
           "Environment_Agency Somerset_Levels Thames_Barrier Met_Office"),
    _theme("football", "striker midfielder goalkeeper transfer club stadium league manager penalty fixture season "
           "squad derby trophy referee winger contract supporters kit pitch",
           "signed scored tackled relegated promoted substituted booked equalised",
           "unbeaten prolific injured attacking defensive", "Premier_League Old_Trafford Arsenal Celtic UEFA"),
    _theme("interest rates", "inflation rate gilt borrowing bank economist sterling bond lending savings "
           "monetary policy forex treasury credit recession markets pound index committee",
           "raised lowered tightened borrowed lent priced forecast hedged",
           "monetary fiscal inflationary quarterly dovish",
           "Bank_of_England Threadneedle_Street Monetary_Policy_Committee Mark_Carney"),
    _theme("vaccine trial", "vaccine trial dose volunteer antibody placebo clinic immunity virus researcher "
           "pharmacist regulator infection laboratory booster efficacy patient nurse jab",
           "vaccinated injected dosed tested approved immunised trialled sequenced",
           "clinical randomised immune viral experimental",
           "Oxford_Vaccine_Group Medicines_Regulator Jenner_Institute NHS"),
    _theme("elections", "ballot voter candidate constituency poll campaign manifesto turnout hustings canvasser "
           "referendum party seat majority coalition debate leaflet count recount",
           "voted campaigned canvassed elected pledged reelected tallied conceded",
           "marginal electoral partisan undecided postal",
           "Electoral_Commission Westminster Downing_Street Labour Conservatives"),
    _theme("wildfires", "wildfire blaze firefighter smoke ember drought heatwave bushfire scrubland helicopter "
           "firebreak hectare evacuee forest ash tinder flames arson",
           "burned scorched torched engulfed extinguished smouldered blazed charred",
           "parched arid blazing smoky tinder-dry", "Fire_Service California Victoria Saddleworth_Moor Cal_Fire"),
    _theme("space", "rocket launch satellite orbit astronaut capsule spacewalk payload telescope mission lander "
           "spacecraft module countdown launchpad asteroid crater probe thruster",
           "launched orbited docked landed deployed splashed ignited telemetered",
           "orbital lunar reusable interplanetary robotic",
           "NASA SpaceX Cape_Canaveral European_Space_Agency Baikonur"),
    _theme("ransomware", "ransomware hacker malware encryption breach server password phishing patch firewall "
           "vulnerability botnet ransom backup network outage exploit credentials",
           "encrypted hacked decrypted patched leaked infected exploited phished",
           "malicious compromised encrypted unpatched criminal",
           "National_Cyber_Security_Centre WannaCry Europol Microsoft"),
    _theme("school exams", "exam pupil teacher grade syllabus headteacher classroom coursework revision results "
           "university admissions tutor homework invigilator curriculum marker certificate",
           "revised graded marked sat passed failed tutored enrolled",
           "academic secondary grammar vocational predicted", "Ofqual Department_for_Education UCAS GCSE"),
    _theme("housing", "house rent landlord tenant mortgage deposit estate developer planning flat eviction "
           "leasehold buyer homeowner valuation affordability terrace bungalow",
           "rented evicted built mortgaged valued renovated leased repossessed",
           "affordable residential derelict overcrowded freehold", "Help_to_Buy Rightmove Land_Registry Shelter"),
    _theme("oil prices", "crude barrel oil refinery pipeline tanker petrol diesel output cartel drilling rig "
           "shale reserves supply forecourt benchmark futures",
           "pumped refined drilled shipped slumped rallied capped exported",
           "volatile offshore crude-rich energy-hungry", "OPEC Brent Saudi_Aramco North_Sea Texas"),
    _theme("film festival", "film director actress premiere screening festival jury award cinema screenplay "
           "documentary studio audience critic trailer producer ovation",
           "premiered screened directed starred awarded nominated filmed applauded",
           "cinematic acclaimed indie feature-length arthouse", "Cannes Sundance Palme_d'Or BAFTA Venice_Lido"),
    _theme("farming", "harvest crop wheat barley farmer tractor livestock cattle sheep fertiliser pasture "
           "yield subsidy grain orchard dairy irrigation silage",
           "harvested planted grazed sowed ploughed irrigated milked fertilised",
           "arable organic rural agricultural bumper",
           "National_Farmers_Union DEFRA Common_Agricultural_Policy Lincolnshire"),
    _theme("rail strikes", "strike union train commuter signal platform timetable walkout picket conductor "
           "franchise railway depot guard overtime fare disruption",
           "struck picketed cancelled delayed balloted derailed disrupted timetabled",
           "industrial unionised cancelled strike-hit rolling", "RMT Southern_Rail Network_Rail ASLEF Waterloo"),
    _theme("online extremism", "propaganda video channel account recruiter takedown moderation forum "
           "supporter magazine caliphate jihadist message hashtag content referral",
           "posted shared removed suspended recruited radicalised banned uploaded",
           "extremist radical jihadist violent online", "Telegram Twitter Islamic_State Europol_IRU GIFCT"),
    _theme("archaeology", "excavation skeleton artefact burial tomb pottery archaeologist mosaic settlement "
           "fossil relic trench coin hoard ruin dig inscription",
           "excavated unearthed dated buried discovered catalogued restored deciphered",
           "ancient medieval neolithic roman bronze-age", "British_Museum Stonehenge Pompeii Historic_England"),
)

# Planted shifts of theme share over the years 2014–2020 (t runs from 0 at the start to 1 at the end).
SHIFTS = {
    "online extremism": "grows from 1x to 6x its base weight",
    "floods": "fades from 4x to 0.5x",
    "ransomware": "bursts to 8x in 2017 Q2",
    "space": "absent before 2017, base weight after",
}

GENERAL_NOUNS = ("officials", "report", "week", "government", "people", "statement", "spokesperson", "figures",
                 "council", "residents", "minister", "experts", "area", "country", "plans", "month")
TEMPLATES = (
    "The {n} {v} the {n2} near {name} on {day}.",
    "{Name} said the {a} {n} had {v} the {n2}.",
    "According to {name}, the {n} was {v} after the {n2} {v2}.",
    "{Num} {gn} {v} the {a} {n}, the {gn2} reported.",
    "A {a} {n} and a {n2} were {v} this {gn}.",
    "Critics warned that the {n} could be {v} again before the {n2}.",
    "The {gn} at {name} {v} the {n} and the {a} {n2}.",
    "It was the first time a {n} had been {v} since the {a} {n2}.",
    "{Name} {v} a {a} {n}, while the {n2} {v2}.",
    "Many {gn} asked why the {n} {v} so quickly.",
    "Later the {n2} {v} as the {a} {n} grew.",
    "The {a} {n} {v} the {gn} in {name} for {num} days.",
)
SOURCE_TYPES = ("news", "statement", "social", "research", "other")
POST_SOURCE_TYPE = "social"


def theme_weight(theme: str, day: date) -> float:
    """The planted relative weight of a theme on a day (1 for themes without a planted shift)."""
    t = (day - START).days / SPAN_DAYS
    if theme == "online extremism":
        return 1 + 5 * t
    if theme == "floods":
        return 4 - 3.5 * t
    if theme == "ransomware":
        return 8.0 if day.year == 2017 and day.month in (4, 5, 6) else 1.0
    if theme == "space":
        return 1.0 if day.year >= 2017 else 0.0
    return 1.0


def _pick_theme(rng: random.Random, day: date) -> int:
    weights = [theme_weight(t.name, day) for t in THEMES]
    return rng.choices(range(len(THEMES)), weights=weights)[0]


def _sentence(rng: random.Random, theme: Theme) -> str:
    template = rng.choice(TEMPLATES)
    name = rng.choice(theme.names)
    slots = {"n": rng.choice(theme.nouns), "n2": rng.choice(theme.nouns), "v": rng.choice(theme.verbs),
             "v2": rng.choice(theme.verbs), "a": rng.choice(theme.adjectives), "name": name, "Name": name,
             "gn": rng.choice(GENERAL_NOUNS), "gn2": rng.choice(GENERAL_NOUNS), "num": str(rng.randint(2, 90)),
             "day": rng.choice(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))}
    slots["Num"] = slots["num"]
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def _length(rng: random.Random, post: bool) -> int:
    """Target words: posts 8–60 (median ~20), articles 250–900 (median ~450), log-normal like real collections."""
    if post:
        return min(60, max(8, round(math.exp(rng.gauss(math.log(20), 0.5)))))
    return min(900, max(250, round(math.exp(rng.gauss(math.log(450), 0.35)))))


def document(i: int, seed: int = 42, post_share: float = POST_SHARE) -> dict:
    """Document i of the corpus with this seed: id, date, source, source_type, title, text, and the planted
    theme (its name), secondary theme and kind (post or news)."""
    rng = random.Random(seed * 1_000_003 + i)
    day = START + timedelta(days=rng.randrange(SPAN_DAYS))
    primary = _pick_theme(rng, day)
    secondary = rng.choice([k for k in range(len(THEMES)) if k != primary])
    post = rng.random() < post_share
    target = _length(rng, post)
    sentences, words = [], 0
    while words < target:
        # A post is about one thing; an article strays into its secondary theme now and then.
        theme = THEMES[primary] if post or rng.random() < PRIMARY_SHARE else THEMES[secondary]
        sentence = _sentence(rng, theme)
        sentences.append(sentence)
        words += sentence.count(" ") + 1
    if post:  # posts carry a handle and a number, as real posts do; it also keeps short posts apart
        sentences.append(f"@user{rng.randrange(10**6)} #{rng.randrange(10**4)}")
    text = " ".join(sentences)
    return {"id": f"p{i:08d}", "date": day.isoformat(), "source": f"Outlet {rng.randrange(60):02d}",
            "source_type": POST_SOURCE_TYPE if post else rng.choice(SOURCE_TYPES),
            "title": sentences[0][:80], "text": text,
            "theme": THEMES[primary].name, "secondary": THEMES[secondary].name, "kind": "post" if post else "news"}


def documents(n: int, seed: int = 42, start: int = 0, post_share: float = POST_SHARE) -> Iterator[dict]:
    """Documents start … start+n-1, one at a time (post_share 0: news articles only)."""
    for i in range(start, start + n):
        yield document(i, seed, post_share)


CORPUS_COLUMNS = ("id", "date", "source", "source_type", "title", "text")
LABEL_COLUMNS = ("id", "theme", "secondary", "kind")


def labels_path(corpus: Path) -> Path:
    """Where write_csv puts the planted labels of a corpus file."""
    return corpus.with_name(corpus.stem + ".labels.csv")


CHUNK = 10_000  # documents per piece when several processes generate


def _csv_rows(n: int, seed: int, start: int, post_share: float = POST_SHARE) -> tuple[str, str]:
    """Documents start … start+n-1 as CSV text (corpus rows, label rows), without headers."""
    docs, labels = io.StringIO(), io.StringIO()
    doc_writer, label_writer = csv.writer(docs), csv.writer(labels)
    for doc in documents(n, seed, start, post_share):
        doc_writer.writerow([doc[c] for c in CORPUS_COLUMNS])
        label_writer.writerow([doc[c] for c in LABEL_COLUMNS])
    return docs.getvalue(), labels.getvalue()


def _piece(args: tuple[int, int, int, float]) -> tuple[str, str]:
    return _csv_rows(*args)


def write_csv(n: int, path: Path, seed: int = 42, start: int = 0, processes: int = 1,
              post_share: float = POST_SHARE) -> Path:
    """The corpus as CSV (what a user would ingest) and its planted labels beside it, written as generated, in
    pieces of CHUNK documents; with `processes` > 1 the pieces are made in parallel and written in order (a few
    pieces in memory at a time, so a million documents never are)."""
    pieces = [(min(CHUNK, start + n - a), seed, a, post_share) for a in range(start, start + n, CHUNK)]
    with open(path, "w", newline="", encoding="utf-8") as out, \
            open(labels_path(path), "w", newline="", encoding="utf-8") as lab:
        csv.writer(out).writerow(CORPUS_COLUMNS)
        csv.writer(lab).writerow(LABEL_COLUMNS)
        if processes > 1 and len(pieces) > 1:
            import multiprocessing

            with multiprocessing.get_context("spawn").Pool(processes) as pool:
                for docs, labels in pool.imap(_piece, pieces):  # imap: in order, a bounded number ahead
                    out.write(docs)
                    lab.write(labels)
        else:
            for piece in pieces:
                docs, labels = _piece(piece)
                out.write(docs)
                lab.write(labels)
    return path


def read_labels(corpus: Path) -> dict[str, str]:
    """Planted theme of each document id of a corpus written by write_csv."""
    with open(labels_path(corpus), newline="", encoding="utf-8") as fh:
        return {row["id"]: row["theme"] for row in csv.DictReader(fh)}


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    path = write_csv(int(sys.argv[1]), Path(sys.argv[2]), processes=os.cpu_count() or 1)
    print(f"wrote {path} and {labels_path(path)}")


if __name__ == "__main__":
    main()
