"""The findings on a page: one component every page calls, so the overview, Themes, Actors and Sources show the
same tested findings (`Corpus.findings` under the sidebar's filters and granularity), each as a sentence with its
counts and q-value, and the documents behind it one click away.

On a large corpus the findings of new filters take a while: the panel says they are being tested, the rest of the
page is drawn and answers clicks, and the panel fills in when the tests are done (findings_queue).

Every sentence carries corpus text (theme labels, actor names, event labels): it is shown only as table cells or
escaped Markdown, never as HTML.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import pandas as pd
import streamlit as st

from ..filters import Filters
from ..findings import Finding, correction_words
from . import findings_queue
from .folding import folded
from .reading import escape_markdown, list_and_read
from .state import CachedCorpus

FIRST_SHOWN = 10  # findings listed in full before the rest are folded away


def findings_panel(corpus: CachedCorpus, filters: Filters, granularity: str, key: str, *, heading: str = "",
                   subject_type: str | None = None, subject_ids: Iterable[str | int] | None = None,
                   kinds: Iterable[str] | None = None, migration: bool = False) -> None:
    """The significant findings of the corpus under `filters` by `granularity` (only those about these subjects,
    of these kinds, or the platform migration's), each sentence in full, a pick listing the documents behind
    one; and every
    hypothesis tested here, significant or not, folded away."""
    found = corpus.findings_ready(granularity, filters, wait_until=_deadline(corpus, granularity, filters))
    if found is None:  # still being tested (a large corpus): the page answers meanwhile, the findings come after
        if heading:
            st.subheader(heading)
        st.caption("Testing every change on these documents: the findings appear here by themselves when the tests "
                   "are done (a large corpus takes a while). The rest of the page can be used meanwhile.")
        _show_when_tested(corpus, granularity, filters)
        return
    ids = None if subject_ids is None else [str(i) for i in subject_ids]
    kinds = None if kinds is None else tuple(kinds)
    shown = found.migration if migration else found.about(subject_type, ids, kinds)
    if heading:
        st.subheader(heading)
    st.caption(f"{len(found)} hypotheses tested by {granularity} on the documents under these filters, "
               f"{len(found.significant)} significant (q < {found.settings.alpha} after "
               f"{correction_words(found.settings.correction)}; see **About**). "
               + (f"{len(shown)} of them here; pick one below to list the documents behind it." if shown else
                  "None of them here: no change in these documents can be told from chance."))
    if shown:
        # Sentences in full (a table cell would cut them), then one pick opens the documents behind a finding.
        # The strongest first (smallest q); past the first few the rest are folded, so a corpus with dozens of
        # real changes (two centuries of speeches) does not bury the page under them.
        st.markdown(finding_list(shown[:FIRST_SHOWN]))
        if len(shown) > FIRST_SHOWN:
            with st.expander(f"{len(shown) - FIRST_SHOWN} more findings (weaker evidence, still significant)"):
                st.markdown(finding_list(shown[FIRST_SHOWN:]))
        picked = st.selectbox("The documents behind a finding", range(len(shown)), index=None,
                              key=f"{key}_finding_pick",
                              format_func=lambda i: short(shown[i].sentence),
                              placeholder="Choose a finding to list its documents")
        if picked is not None:
            finding = shown[picked]
            st.markdown(f"**The {len(finding.doc_ids)} documents behind:** {escape_markdown(finding.sentence)}")
            list_and_read(corpus.documents_behind(filters, ids=tuple(finding.doc_ids)), key=f"{key}_finding_docs",
                          corpus=corpus, height=240)
    everything = () if migration else found.about(subject_type, ids, kinds, significant=False)
    if len(everything) > len(shown):
        box = folded(f"Every hypothesis tested here ({len(everything)}), significant or not", f"{key}_everything")
        if box is not None:
            box.dataframe(finding_table(everything, verdict=True), hide_index=True, width="stretch", height=240)


def _deadline(corpus: CachedCorpus, granularity: str, filters: Filters) -> float:
    """Until when this page waits for these findings (findings_queue.wait_for its documents), counted from the
    first panel that asked, so a page with two panels waits once."""
    key = f"_findings_wait_{hash((str(corpus.path), corpus.stamp(), granularity, filters))}"
    if key not in st.session_state:
        st.session_state[key] = time.monotonic() + findings_queue.wait_for(corpus.summary(filters).in_scope)
    return st.session_state[key]


@st.fragment(run_every=1.0)
def _show_when_tested(corpus: CachedCorpus, granularity: str, filters: Filters) -> None:
    """Asks every second whether the findings are done; when they are, the page is drawn again with them."""
    if corpus.findings_ready(granularity, filters) is not None:
        st.rerun()


def finding_list(found: Iterable[Finding]) -> str:
    """Findings as escaped Markdown bullets: the sentence (its counts and q-value), its kind, its documents."""
    return "\n".join(f"- {escape_markdown(f.sentence)} ({f.kind.replace('_', ' ')}; {len(f.doc_ids)} documents)"
                     for f in found)


def short(sentence: str, length: int = 110) -> str:
    """A sentence cut to fit a picker."""
    return sentence if len(sentence) <= length else sentence[:length - 1].rstrip() + "…"


def finding_table(found: Iterable[Finding], verdict: bool = False) -> pd.DataFrame:
    """Findings as rows a reader scans: the sentence (with its counts and q-value), its kind, its documents (and
    with `verdict`, whether it is significant)."""
    found = list(found)
    table = pd.DataFrame({"finding": [f.sentence for f in found], "kind": [f.kind.replace("_", " ") for f in found],
                          "documents": [len(f.doc_ids) for f in found]}, columns=["finding", "kind", "documents"])
    if verdict:
        table["significant"] = [f.significant for f in found]
    return table
