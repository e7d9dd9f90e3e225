"""How findings are tested, in plain words: the text the About page and the README show."""

from __future__ import annotations

HOW_FINDINGS_ARE_TESTED = """\
Every finding the tool prints is a test of a stated "nothing happened" hypothesis on counts of documents: how many
documents are about a theme, an actor or a frame (the documents using a framing lexicon's words), out of how
many documents there are in the same periods. A finding never
rests on an average of percentages, and it always lists the documents behind it.

- **Shift** — a theme's or actor's share changes at one point and stays changed. Every possible split of the
  timeline is tried; the strongest is tested by comparing the pooled counts before it with those after it
  ("9 of 120 documents before, 41 of 130 after"). Because the strongest of many splits was picked, its p-value is
  multiplied by the number of splits tried. A split needs at least 2 periods and 20 documents on each side, and
  the subject at least 8 documents in all. Up to three shifts per subject (one, then one more in each half).
- **Burst** — a short stretch in which a subject is far more present than usual, then falls back. Kleinberg's
  burst model proposes the stretch; the documents inside are compared with all other periods, and the p-value is
  multiplied by the number of stretches the model could have picked.
- **Emerging / fading** — the subject's share in the latest periods (4 by default) against the same number just
  before.
- **Event impact** — the subject's share in the 90 days after an event against the 90 days before it. Events
  less than 30 days apart are tested once, together: their before and after windows hold nearly the same
  documents, and two tests would count one chance fluctuation twice.
- **Lead and lag** — whether a subject rises in one source type (or source) some periods before it rises in
  another. Shares drift by themselves (attention comes in waves), and two unrelated drifting series look related
  far too often; so each series' own momentum is removed first (an autoregressive model fitted on the leading
  series, "pre-whitening"), and only then is the correlation at lags 1 to 4 measured. Moving together in the same
  period is not called a lead.
- **Share of voice** — whether one source type (or a chosen source) gives a subject a larger or smaller share of
  its documents than the others, compared period by period (Cochran–Mantel–Haenszel), so that writing mostly in a
  busy year does not count as favouring a subject. An actor's own documents are left out of its comparison
  (Europol's statements name Europol; an outlet names itself), so an outlet or agency "taking a larger share" of
  the documents it writes itself is never reported.

Assumptions, plainly: documents are counted once each; within a period, documents are treated as separate pieces
of evidence. Coverage comes in waves, so each subject's period-to-period jumpiness beyond chance is measured, and
every test on that subject is widened by it (it is never narrowed). Lead and lag assume that once each series'
momentum is removed what is left has no memory. Share of voice treats documents within a period as independent.

The correction: one run tests many hypotheses at once (every theme, actor, kind, event and pair), and some would
pass by luck. All of them are corrected together, in three families of questions: did a subject's share change
over time (shifts, bursts, emerging and fading, event impact), does one source type move first (lead and lag),
does one source type give a subject more room than the others (share of voice). Within each family a
Benjamini–Hochberg correction turns each p-value into a q-value, and the 5 % is split evenly between the families
tested, so each family's q-value is multiplied by their number (3 when all are tested). Among the findings called
significant, the expected share of false ones stays at most 5 %. Why the split: when coverage really moves, a
corpus holds dozens of true changes over time, and one correction over everything would loosen its threshold
with them until a lead or a share-of-voice difference that chance made passes beside them. Split, a family with
nothing to find gives a false finding in at most about 1 run in 60 (5 % ÷ 3), whatever the other families find.
A finding is called significant only when its q-value is below 0.05 and its evidence minimum is met (hypotheses
below the minimum are not tested at all, so they do not dilute the others). The Benjamini–Yekutieli correction,
valid however the tests depend on each other and more cautious, is a setting (`correction = by`) used the same
way; it is not the default because most of these tests are positively related (they share documents), where
Benjamini–Hochberg is known to hold.

What the tool prints as "not significant" is not evidence that nothing changed: only that these documents cannot
tell a change from chance.
"""


NAMES = {"bh": "Benjamini–Hochberg", "by": "Benjamini–Yekutieli"}


def correction_words(correction: str) -> str:
    """How the q-values of a run were made, in a few words for captions ("one Benjamini–Hochberg correction over
    all of them, …")."""
    return (f"one {NAMES[correction]} correction over all of them, its error rate split evenly between changes "
            "over time, lead and lag, and share of voice")
