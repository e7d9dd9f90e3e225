"""The Streamlit app, installed with the library: a frame (`frame.main`) and one thin file per page in `pages/`.

Pages ask `Corpus` (through `state`, which caches its answers per store version) and draw with `charts`; they
group, roll and count nothing themselves. Helpers by concern: `state` (the corpus in use and its cached answers),
`sidebar` (the filters, kept in the URL), `reading` (document lists and the reading view), `export` (chart, data,
documents and methods-note downloads), `progress` (progress bars of a running analysis), `server` (how
`narrative app` serves it).
"""
