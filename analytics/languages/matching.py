"""The alias matcher across scripts: what the entity stage's spaCy pipelines need so that Arabic-script aliases
are found however the letters are written and whatever proclitics are joined to them.

- `match_form(text)`: the form two spellings of one alias share (case-folded; Arabic letters normalised).
- `use_script_matching(nlp, aliases)`: wraps the pipeline's tokenizer so that a proclitic joined to an alias's word
  becomes a token of its own (و|تيليغرام, ب|الرقة) and every Arabic-script token's NORM is its matching form;
  the entity ruler then matches on NORM (`RULER_CONFIG_NORM`).
- the `romanised_names` component: Arabic-script names that no alias matched, linked to a listed person when the
  romaniser's Latin spelling of the name is one of that person's aliases (`romanise.py`); such mentions carry
  `ROMANISED` as their span's kb_id, so the entity stage records their origin as romanised.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .arabic import has_arabic, normalise_arabic, split_proclitic

RULER_CONFIG_NORM = {"validate": False, "phrase_matcher_attr": "NORM"}
ROMANISED = "romanised"
MIN_KNOWN_LETTERS = 3  # alias words shorter than this are never split off a longer token (في, من)


def match_form(text: str) -> str:
    """The form two spellings of one alias share: case-folded, Arabic letters normalised (normalise_arabic)."""
    return normalise_arabic(text.casefold())


def match_forms(alias: str) -> list[str]:
    """The matching forms a found alias may show: its match_form, and for an Arabic alias that begins with the
    article the form written after the proclitic ل, whose alef is dropped (للقاعدة: ل + لقاعدة)."""
    form = match_form(alias)
    if form.startswith("ال") and has_arabic(form[:2]):
        return [form, form[1:]]
    return [form]


class ProcliticTokenizer:
    """A spaCy tokenizer that splits known proclitics off Arabic-script tokens and sets their NORM.

    Text without Arabic script goes through the wrapped tokenizer untouched. Otherwise a token whose remainder
    after a proclitic chain is a word of an alias (`known`, in matching form) becomes two tokens, with no space
    between them, so character offsets are the text's own; every Arabic-script token's NORM is its matching form.
    """

    def __init__(self, tokenizer: Any, known: set[str]) -> None:
        self.tokenizer = tokenizer
        self.known = known

    def __call__(self, text: str) -> Any:
        doc = self.tokenizer(text)
        if not has_arabic(text):
            return doc
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        norms: list[str | None] = []
        for token in doc:
            word, space = token.text, bool(token.whitespace_)
            if not has_arabic(word) and len(word) > 2 and word[-1] == "." and word[:-1].isalpha():
                # spaCy's Arabic rules leave a full stop on a Latin word ("Facebook."): split it off
                words += [word[:-1], "."]
                spaces += [False, space]
                norms += [None, None]
                continue
            if not has_arabic(word):
                words.append(word)
                spaces.append(space)
                norms.append(None)
                continue
            split = split_proclitic(word, self.known)
            if split is None:
                words.append(word)
                spaces.append(space)
                norms.append(normalise_arabic(word))
            else:
                at, rest = split
                words += [word[:at], word[at:]]
                spaces += [False, space]
                norms += [normalise_arabic(word[:at]), rest]
        out = Doc(doc.vocab, words=words, spaces=spaces) if len(words) != len(doc) else doc
        for token, norm in zip(out, norms, strict=True):
            if norm is not None:
                token.norm_ = norm
        return out

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Any]:  # noqa: ARG002 - spaCy's
        """Tokenize a stream of texts (the interface spaCy's Language.pipe may call)."""
        for text in texts:
            yield self(text)


def known_alias_words(aliases: Iterable[str], tokenizer: Any) -> set[str]:
    """Matching forms of the Arabic-script words of the aliases, as the tokenizer cuts them."""
    known = set()
    for alias in aliases:
        if has_arabic(alias):
            for token in tokenizer(alias):
                norm = normalise_arabic(token.text)
                if has_arabic(norm) and len(norm) >= MIN_KNOWN_LETTERS:
                    known.add(norm)
    return known


def use_script_matching(nlp: Any, aliases: Iterable[str]) -> None:
    """Wrap `nlp`'s tokenizer in a ProcliticTokenizer for these aliases (call before the ruler's patterns are
    added: they are tokenized by the same tokenizer). The ruler must then match on NORM (RULER_CONFIG_NORM)."""
    if isinstance(nlp.tokenizer, ProcliticTokenizer):
        return
    nlp.tokenizer = ProcliticTokenizer(nlp.tokenizer, known_alias_words(aliases, nlp.tokenizer))


def people_keys(rows: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, str]]:
    """consonant_key → (canonical id, label) for Latin-script PERSON aliases (alias, canonical id, type); a key
    two people share is left out (it could be either)."""
    from .romanise import MIN_KEY, consonant_key

    keys: dict[str, tuple[str, str]] = {}
    clashes: set[str] = set()
    for alias, cid, kind in rows:
        if kind != "PERSON" or has_arabic(alias):
            continue
        key = consonant_key(alias)
        if len(key) < MIN_KEY:
            continue
        if keys.setdefault(key, (cid, kind))[0] != cid:
            clashes.add(key)
    return {k: v for k, v in keys.items() if k not in clashes}


def register_components() -> None:
    """Register the `romanised_names` spaCy factory (once per process)."""
    from spacy.language import Language
    from spacy.tokens import Span

    if "romanised_names" in Language.factories:
        return

    @Language.factory("romanised_names", default_config={"people": []})
    def make_romanised_names(nlp, name, people):  # noqa: ANN001, ARG001 - spaCy's factory signature
        from ..entities.components import doc_text

        table = {key: (cid, label) for key, cid, label in people}

        def romanised_names(doc):  # noqa: ANN001
            """Arabic-script names no alias matched, linked to a listed person by their Latin spelling."""
            if not table or not has_arabic(doc_text(doc)):
                return doc
            from .romanise import is_name_word, link_names

            taken = {t.i for ent in doc.ents for t in ent}
            new = []
            run: list[int] = []
            for token in [*doc, None]:
                if (token is not None and token.i not in taken and has_arabic(token.text)
                        and is_name_word(token.text)):
                    run.append(token.i)
                    continue
                if run:
                    for a, b, cid, label in link_names([doc[i].text for i in run], table):
                        span = Span(doc, run[a], run[b - 1] + 1, label=label, kb_id=ROMANISED)
                        span.id_ = cid
                        new.append(span)
                    run = []
            if new:
                doc.ents = sorted([*doc.ents, *new], key=lambda s: s.start)
            return doc

        return romanised_names
