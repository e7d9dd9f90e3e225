"""Share of voice: does one source type (or a chosen source) give a subject a larger or smaller share of its
documents than the others do?

Null hypothesis: within each period, the subject's share is the same in the group and in the other documents.
The Cochran–Mantel–Haenszel test compares them period by period, so a source type that wrote mostly in the years
when the subject was everywhere is not credited with favouring it. Effect: the group's share minus the others'.

An actor's own documents are left out of its comparison (on both sides): Europol's statements name Europol and The
Guardian's articles name The Guardian, so "Europol takes a larger share in statements" would only say who wrote
them. A source is the actor's own when its name starts with the actor's name ("Amaq (IS news agency)", "BBC News").
The documents behind a finding are the subject's documents on the side where it takes the larger share (in the
group for "a larger share", in the others for "a smaller share": a smaller share of 0 documents still has them).
This kind does not depend on dates beyond the periods used as strata; shuffling dates keeps it.
"""

from __future__ import annotations

import re

import numpy as np

from .. import schema as s
from .count_tests import cochran_mantel_haenszel
from .counts import CountTable
from .finding import Finding
from .settings import FindingsSettings

TEST = "Cochran–Mantel–Haenszel, one group against the others, stratified by period"


def _words(name: str) -> list[str]:
    words = re.findall(r"\w+", name.casefold())
    return words[1:] if words[:1] == ["the"] and len(words) > 1 else words


def own_sources(actor: str, sources: list[str]) -> list[str]:
    """The sources that are the actor itself: their name's words begin with the actor's ('The Guardian' and
    'Guardian'; 'BBC' and 'BBC News'; 'Amaq' and 'Amaq (IS news agency)')."""
    name = _words(actor)
    return [src for src in sources if name and _words(src)[:len(name)] == name]


def share_of_voice_findings(table: CountTable, settings: FindingsSettings) -> list[Finding]:
    """Every subject in every source type (and chosen source) against the rest."""
    types = sorted(table.docs[s.SOURCE_TYPE].unique())
    # With two source types, "news against the rest" and "the other against the rest" are one test.
    groups = [(s.SOURCE_TYPE, name) for name in (types[:1] if len(types) == 2 else types)] if len(types) > 1 else []
    groups += [(s.SOURCE, name) for name in settings.sources if name in set(table.docs[s.SOURCE])]
    sources = table.docs[s.SOURCE].to_numpy()
    all_sources = sorted(set(sources))
    out: list[Finding] = []
    for column, name in groups:
        mask = (table.docs[column] == name).to_numpy()
        shared = (*table.group_counts(mask), *table.group_counts(~mask))
        others = "in the other source types" if column == s.SOURCE_TYPE else "in the other sources"
        for j, subject in table.subjects.iterrows():
            own = own_sources(str(subject["subject"]), all_sources) if subject["subject_type"] == "actor" else []
            kept = ~np.isin(sources, own) if own else np.ones(len(sources), bool)
            k_in, n_in, k_out, n_out = (shared if not own else
                                        (*table.group_counts(mask & kept), *table.group_counts(~mask & kept)))
            ki, ni, ko, no = int(k_in[j].sum()), int(n_in.sum()), int(k_out[j].sum()), int(n_out.sum())
            if ni < settings.min_side_documents or no < settings.min_side_documents:
                continue
            if ki + ko < settings.min_compared_subject_documents:
                continue
            odds, statistic, p = cochran_mantel_haenszel(k_in[j], n_in, k_out[j], n_out)
            out.append(Finding(
                kind="share_of_voice", subject=str(subject["subject"]), subject_type=str(subject["subject_type"]),
                subject_id=str(subject["subject_id"]), test=TEST, p_value=p, effect=ki / ni - ko / no,
                effect_name="share in the group minus share in the others", n_documents=ni + no,
                doc_ids=table.evidence(j, (mask if ki / ni >= ko / no else ~mask) & kept),
                granularity=table.granularity,
                before_count=ko, before_total=no, after_count=ki, after_total=ni, before_label=others,
                after_label=f"in {name}",
                details={"group": name, "grouped_by": column, "odds_ratio": None if np.isnan(odds) else odds,
                         "cmh_statistic": statistic, "own_sources_left_out": own},
            ))
    return out
