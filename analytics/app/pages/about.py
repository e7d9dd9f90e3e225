"""About the method: for teachers and readers — prose first, this corpus's methods note in words, the full record
folded away."""

from __future__ import annotations

import json

import streamlit as st

from analytics import glossary
from analytics.app.folding import folded
from analytics.app.reading import escape_markdown
from analytics.app.state import corpus_or_stop
from analytics.config import setting
from analytics.findings import HOW_FINDINGS_ARE_TESTED
from analytics.post_text import HOW_POSTS_ARE_READ

st.title("About the method")
st.markdown(f"""
**What a theme is here.** Each document (or each passage of a long one) is turned into a list of numbers by a small
language model, so that texts about similar things get similar numbers. Documents are then grouped by how close
they are: each group is a *theme*. Nobody told the program what the themes are; it found groups of similar
documents. Documents close to no group stay *unassigned*; their share is shown too.

**How themes are named.** For each theme the program finds its *{glossary.term('ctfidf').name}*: words frequent in
its documents and rare in the others'. The automatic name joins three of them, or uses a key phrase instead where
one reads better (a two- or three-word phrase used by at least 15 % of the theme's documents that holds the
theme's most distinctive word). A name is a summary for people, not a finding: rename a theme on the **Theme
explorer** once you have read its documents, and merge themes that are the same to you. Every rename, merge and
refit is logged and can be undone there, because everyone who opens this corpus sees them.

**What the numbers can say.** A theme's *share* in a period is the share of that period's dated documents placed in
it. Every share comes with its denominator (how many documents the period has) and a 95 % interval: with ten
documents in a quarter, a share of 30 % could just as well be 11 % or 60 %. Periods with fewer than
{setting('thin_period_documents')} documents are drawn hollow and called *thin*; the first and last periods of the
collection, when only partly covered, and periods without any documents are called *incomplete*. A period with no
documents is a gap in the line, never a share of 0 %. *Smoothing* pools neighbouring periods: their documents are
counted together ("9 of 120 documents, pooled over 3 quarters"), so a smoothed share and its interval rest on the
same counts.

**What they cannot say.** The counts describe *this collection*, not the world: if it holds more articles from one
outlet or one year, the timeline shows that. A theme's share can rise because the theme grew or because the others
shrank. Actors are found by a statistical model plus a curated list of names and their spellings (so “ISIS”,
“ISIL”, “Daesh” and “داعش” count as one actor); the model makes mistakes, which the reading view lets you check.

**Named together.** On the **Actors** page, two actors are *{glossary.term('pmi').name}* when they appear in the
same documents (or sentences) more often than if each were named independently of the other.

**Reproducibility.** Each analysis records its settings, random seeds, library versions and a fingerprint of the
collection. Every chart's export includes this *methods note*, the data behind the chart and the list of documents
behind it.
""")
st.markdown(HOW_POSTS_ARE_READ)
st.markdown("""
**The demo corpus** is a chronology of the Islamic State's online propaganda and the response to it, 2014–2020,
written for this tool: each document is a short summary, in our own words, of a real, dated public report, with its
citation. Documents of source type *propaganda* describe what IS outlets published; they never reproduce it, and
they stay closed (title, actors and text) while the content warning in the sidebar is on.
""")

st.subheader("How findings are tested")
st.markdown(HOW_FINDINGS_ARE_TESTED)
corpus = corpus_or_stop()
run = corpus.run()
if run:
    note = corpus.methods_note("current analysis", None, None)
    params, counts, versions = note["topic_parameters"] or {}, note["topic_counts"] or {}, note["library_versions"]
    st.subheader("This corpus's analysis")
    built = corpus.theme_profile()
    backend = f"the {built.profile} profile ({built.model})" if built else str(params.get("backend"))
    lines = [
        f"Corpus: {note['corpus']} — {note['documents_in_store']:,} documents stored.",
        f"Themes fitted on {counts.get('fitted_on', counts.get('documents', '?')):,} documents with {backend}: "
        f"{counts.get('topics', '?')} themes, {counts.get('outliers', 0):.0%} of documents left unassigned.",
        (f"Smallest theme allowed: {counts['min_topic_size']} documents. " if counts.get("min_topic_size") else "")
        + (f"Random seed: {params['seed']} (the same input gives the same themes)." if "seed" in params else
           "The random seed was not recorded."),
        f"Finished: {str(note['topic_run'].get('finished_at', '?'))[:16]} (analysis number {run['run_id']}).",
    ]
    if versions:
        lines.append("Libraries: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".")
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))
    # Made only when opened: a code block loads the browser's syntax highlighter, which took a fresh tab of this
    # page 0.2 s on this project's test machine even with the section closed (RESULTS, session 14).
    if box := folded("The full methods note (as exported with every chart)", key="about_note_open"):
        box.code(json.dumps(note, indent=2, default=str, ensure_ascii=False), language="json")
