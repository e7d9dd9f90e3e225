"""spaCy components of the entity pipeline: the alias-case check, the ambiguous-word guard, the bare-"IS" rule."""

from __future__ import annotations

import re
from typing import Any

from ..languages import match_form

RULER_CONFIG = {"validate": False, "phrase_matcher_attr": "LOWER"}

# Words around a bare "IS" that say it is the group ("IS fighters", "the IS group", "IS claimed").
IS_AFTER = {
    "group", "fighters", "fighter", "militants", "militant", "supporters", "supporter", "propaganda", "media",
    "members", "member", "claimed", "claims", "claim", "said", "says", "released", "published", "lost", "took",
    "seized", "leader", "leaders", "leadership", "channels", "channel", "accounts", "account", "content", "videos",
    "video", "magazine", "recruits", "recruiters", "recruitment", "attack", "attacks", "cells", "cell", "affiliate",
    "affiliates", "territory", "caliphate", "'s", "’s", "-linked", "-affiliated", "-inspired", "sympathisers",
    "sympathizers", "jihadists", "official", "officials", "spokesman", "ideology", "network", "networks", "'",
    "online", "bots", "outlets", "messaging", "has", "had", "was", "and", "in", "on", "after", "from", "remnants",
    "prisoners", "families", "wives", "detainees", "insurgency", "still", "also", "continued", "used", "uses",
}
# After a sentence-initial ambiguous alias, words that show it is the name ("Anonymous said", "Riot was").
ALIAS_VERBS = {
    "is", "was", "has", "had", "said", "says", "declared", "announced", "published", "removed", "released",
    "claimed", "launched", "added", "banned", "blocked", "suspended", "deleted", "became", "offers", "offered",
    "hosts", "hosted", "and", "or", "also", "later", "then", "responded", "denied", "confirmed", "posted",
    "leaked", "targeted", "hacked", "took", "did", "does", "will", "would", "could", "can",
}
IS_BEFORE = {"the", "The", "pro", "pro-", "anti", "anti-", "ex", "former", "against", "by", "of", "to", "with",
             "for", "as", "(", "from", "and", "that", "joined", "join", "fight", "fighting", "defeat", "defeating",
             "between"}


_BARE_IS = re.compile(r"(?<!\w)IS(?!\w)")

# The text a document was made from, kept in its user_data by the caller that has it (entities/extraction.py):
# spaCy's doc.text rebuilds the string from the tokens, one Python object per word, on every call — on news
# articles that was a third of the fast profile's entity stage.
TEXT_KEY = "narrative:text"


def doc_text(doc: Any) -> str:
    """The document's text: the string kept with it when there is one, else spaCy's doc.text (the same string)."""
    text = doc.user_data.get(TEXT_KEY)
    return text if text is not None else doc.text


def doc_with_text(nlp: Any, text: str) -> Any:
    """The pipeline's tokenised Doc for `text` (what nlp.pipe would make from it), with the text kept."""
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text
    return doc


def _register_components() -> None:
    from spacy.language import Language
    from spacy.tokens import Span
    from spacy.util import filter_spans

    if "is_context" in Language.factories:
        return
    from ..languages.matching import register_components

    register_components()  # romanised_names: Arabic-script names linked to listed people

    @Language.factory("alias_case", default_config={"ci": [], "cs": []})
    def make_alias_case(nlp, name, ci, cs):  # noqa: ANN001, ARG001 - spaCy's factory signature
        ci_keys = {tuple(k) for k in ci}
        cs_keys = {tuple(k) for k in cs}

        def alias_case(doc):  # noqa: ANN001
            """Keep a ruler match only when it is a case-insensitive alias, or a case-sensitive one in its case
            ("Riot" the app, not "riot")."""
            ents = list(doc.ents)
            keep = [e for e in ents if not e.ent_id_ or (e.ent_id_, match_form(e.text)) in ci_keys
                    or (e.ent_id_, e.text) in cs_keys]
            if len(keep) != len(ents):
                doc.ents = keep
            return doc

        return alias_case

    @Language.factory("ambiguous_alias_guard", default_config={"words": []})
    def make_guard(nlp, name, words):  # noqa: ANN001, ARG001 - spaCy's factory signature
        ambiguous = set(words)

        def guard(doc):  # noqa: ANN001
            """Drop a sentence-initial alias that is also an ordinary word ("Signal flares", "Riot police")
            unless a verb or a possessive follows it ("Anonymous declared", "Signal's")."""
            keep = []
            for ent in doc.ents:
                token = ent[0]
                if (len(ent) == 1 and token.text in ambiguous and token.is_sent_start
                        and token.i + 1 < len(doc)):
                    nxt = doc[token.i + 1]
                    if nxt.is_alpha and nxt.is_lower and nxt.lower_ not in ALIAS_VERBS:
                        continue
                keep.append(ent)
            if len(keep) != len(doc.ents):
                doc.ents = keep
            return doc

        return guard

    @Language.component("is_context")
    def is_context(doc):  # noqa: ANN001 - spaCy's component signature
        """Tag a bare capitalised "IS" as the group only where its neighbours say so."""
        text = doc_text(doc)
        if "IS" not in text:
            return doc
        new = []
        taken = {t.i for ent in doc.ents for t in ent}
        candidates = [doc.char_span(m.start(), m.end()) for m in _BARE_IS.finditer(text)]
        for token in (span[0] for span in candidates if span is not None and len(span) == 1):
            if token.i in taken:
                continue
            try:
                sent = token.sent
            except ValueError:  # no sentence boundaries in this pipeline: a window around the token
                sent = doc[max(0, token.i - 10): token.i + 10]
            letters = [t for t in sent if t.is_alpha]
            if letters and sum(t.is_upper for t in letters) / len(letters) > 0.6:
                continue  # a shouted headline: "THIS IS WHY" is the verb
            after = doc[token.i + 1] if token.i + 1 < len(doc) else None
            before = doc[token.i - 1] if token.i > 0 else None
            cue_after = after is not None and (after.lower_ in IS_AFTER or after.text in ("-", ")"))
            cue_before = before is not None and before.text in IS_BEFORE
            if after is not None and after.lower_ in {"this", "that", "it", "there", "he", "she", "they", "not"}:
                continue  # "IS THIS…", "IS IT…": a question or the verb
            if cue_after or cue_before:
                span = Span(doc, token.i, token.i + 1, label="GROUP")
                span.id_ = "islamic_state"
                new.append(span)
        if new:
            doc.ents = filter_spans(list(doc.ents) + new)
        return doc
