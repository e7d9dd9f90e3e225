"""One tested hypothesis: what was compared, the counts with their denominators, the test, p and q, the evidence."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

# The keys the issue fixes for `narrative findings --json`; the rest of a Finding follows them.
JSON_KEYS = ("kind", "subject", "subject_type", "period", "leader", "follower", "lag", "effect", "n_documents",
             "p_value", "q_value", "significant", "test", "doc_ids")
# What a finding can be about: a theme (topic id), an actor (canonical id), or a frame of the corpus's framing
# lexicon (the documents using its words; its name is its id).
SUBJECT_TYPES = ("theme", "actor", "frame")


@dataclass(frozen=True)
class Finding:
    """One hypothesis tested on counts with their denominators.

    A comparison of two groups of documents (shift, burst, emerging/fading, event impact, share of voice) keeps
    `before_count` of `before_total` documents against `after_count` of `after_total`; `before_label` and
    `after_label` say what the two groups are ("before 2016 Q3", "in news"). `effect` is the difference of the two
    shares (after minus before), except for lead_lag, where it is the correlation at the lag after each series'
    own momentum is removed. `n_documents` counts the documents the test compared; `doc_ids` are those of them
    about the subject (the evidence). `q_value` and `significant` are filled by the run's one correction.
    """

    kind: str
    subject: str
    subject_type: str
    subject_id: str
    test: str
    p_value: float
    effect: float
    effect_name: str
    n_documents: int
    doc_ids: tuple[str, ...]
    granularity: str
    period: str | None = None
    period_end: str | None = None
    leader: str | None = None
    follower: str | None = None
    lag: int | None = None
    before_count: int | None = None
    before_total: int | None = None
    after_count: int | None = None
    after_total: int | None = None
    before_label: str = ""
    after_label: str = ""
    dispersion: float = 1.0
    q_value: float = math.nan
    significant: bool = False
    details: dict = field(default_factory=dict)

    @property
    def before_share(self) -> float | None:
        """Share of the first group's documents about the subject."""
        return _share(self.before_count, self.before_total)

    @property
    def after_share(self) -> float | None:
        """Share of the second group's documents about the subject."""
        return _share(self.after_count, self.after_total)

    @property
    def sentence(self) -> str:
        """The finding in one plain sentence with its counts and q-value."""
        from .sentences import sentence

        return sentence(self)

    def to_dict(self) -> dict:
        """The JSON object: the issue's keys first, then the counts and labels a sentence needs, and the sentence
        the pages and the report print."""
        data = asdict(self)
        data["sentence"] = self.sentence
        data["doc_ids"] = list(self.doc_ids)
        for key in ("p_value", "q_value", "effect", "dispersion"):
            value = data[key]
            data[key] = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
        data["significant"] = bool(self.significant)
        ordered = {key: data.pop(key) for key in JSON_KEYS}
        return ordered | data


def _share(count: int | None, total: int | None) -> float | None:
    if count is None or not total:
        return None
    return count / total
