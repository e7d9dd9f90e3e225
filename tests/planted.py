"""Planted corpora: documents whose right answer (their theme) is known exactly."""

from __future__ import annotations

import hashlib
import random

import pandas as pd

from analytics import store

# Four themes with their own vocabularies; documents mix theme words with common filler words, so the right
# answer (which document belongs to which theme) is known exactly.
PLANTED_THEMES = {
    "takedown": "telegram channels bots removed europol suspended accounts moderation platform purge banned "
    "takedown referral removal deleted".split(),
    "battle": "mosul raqqa offensive coalition airstrikes territory fighters front recaptured siege army "
    "militia artillery retreat".split(),
    "hackers": "anonymous ghostsec ctrlsec hacktivists ddos leaked list defaced websites operation opisis "
    "volunteers hackers vigilantes".split(),
    "economy": "oil revenue taxes smuggling currency budget salaries prices markets trade finance extortion "
    "income banks".split(),
}
FILLER = "the a of and to in on for with that this was were by from as at report week group said".split()


def planted_corpus(n_per_theme: int = 40, seed: int = 42, start: str = "2016-01-01") -> pd.DataFrame:
    """Documents with a known theme each: id, date, source, source_type, text, theme."""
    rng = random.Random(seed)
    rows = []
    for theme, words in PLANTED_THEMES.items():
        for i in range(n_per_theme):
            tokens = [rng.choice(words) if rng.random() < 0.7 else rng.choice(FILLER) for _ in range(60)]
            text = " ".join(tokens).capitalize() + "."
            rows.append({
                "id": hashlib.sha256(f"{theme}{i}{text}".encode()).hexdigest()[:16],
                "date": pd.Timestamp(start) + pd.Timedelta(days=rng.randrange(0, 365)),
                "source": rng.choice(["Outlet A", "Outlet B", "Outlet C"]),
                "source_type": rng.choice(["news", "statement"]),
                "text": text,
                "theme": theme,
            })
    return pd.DataFrame(rows)


def store_documents(con, frame: pd.DataFrame) -> None:
    """Write planted documents straight into the store (the ingest stage has its own tests)."""
    docs = frame.drop(columns=["theme"], errors="ignore").assign(
        date_precision="day", date_origin="field", language="en", words=frame["text"].str.split().str.len()
    )
    store.insert_frame(con, "documents", docs)
