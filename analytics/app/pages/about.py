"""About the method: for teachers and readers."""

from __future__ import annotations

import streamlit as st

from analytics.app.export import methods_note
from analytics.app.state import corpus_or_stop
from analytics.findings import HOW_FINDINGS_ARE_TESTED
from analytics.post_text import HOW_POSTS_ARE_READ

st.title("About the method")
st.markdown("""
**What a theme is here.** Each document (or each passage of a long one) is turned into a vector by a small language
model (all-MiniLM-L6-v2) so that texts about similar things lie close together. Documents are then grouped by
closeness (UMAP to reduce the vectors, HDBSCAN to find dense groups): each group is a *theme*. Nobody told the model
what the themes are; it found groups of similar documents.

**How labels are made.** For each theme the words that are frequent in it and rare in the others are found (c-TF-IDF);
the automatic label joins its three most distinctive words. A label is a summary for humans, not a finding: rename a
theme on the **Theme explorer** when you have read its documents, and merge themes that are the same to you.

**What the numbers can say.** A theme's *share* in a month is the share of that month's dated documents assigned to
it. Every share comes with its denominator (how many documents there were) and a 95 % Wilson interval: with ten
documents in a month, a share of 30 % could just as well be 11 % or 60 %. Months with fewer than five documents and
incomplete months (at the edge of the collection, or gaps) are flagged. A month with no documents at all is a gap in
the line, not a share of 0 %. *Smoothing* pools neighbouring months: their documents are counted together ("9 of
120 documents, pooled over 3 months"), so a smoothed share and its interval rest on the same pooled counts.

**What they cannot say.** The counts describe *this corpus*, not the world: if a collection has more articles from
one outlet or one year, the timeline shows it. A rise in a theme's share can come from the theme growing or from
the others shrinking. Documents far from every theme stay *unassigned* (outliers); their share is shown too. Actors
are found by a statistical model plus a curated alias list (so “ISIS”, “ISIL”, “Daesh” and “داعش” count as one actor);
the model makes mistakes, which the reading view lets you check.

**Reproducibility.** Each analysis records its parameters, seeds, library versions and a hash of the corpus. Every
chart's export includes this *methods note*, the data behind the chart and the list of documents behind it.
""")
st.markdown(HOW_POSTS_ARE_READ)
st.markdown("""
**The demo corpus** is a chronology of the Islamic State's online propaganda and the response to it, 2014–2020,
written for this tool: each document is a short summary in our own words of a real, dated public report, with its
citation. Documents of source type *propaganda* describe what IS outlets published; they never reproduce it, and
they stay collapsed while the content warning (in the sidebar) is on.
""")
st.subheader("How findings are tested")
st.markdown(HOW_FINDINGS_ARE_TESTED)
corpus = corpus_or_stop()
if corpus.run():
    st.subheader("This corpus's analysis")
    st.code(methods_note(corpus, "current analysis", None, None), language="json")
