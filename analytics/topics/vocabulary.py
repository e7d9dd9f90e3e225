"""Words a theme may be named by: stop words of every language of the corpus, the chatter of posts, the pieces of
links and entities, and usernames kept out of the themes' vocabularies.

Themes are found from the document vectors; these words only decide how a theme is named and described
(c-TF-IDF words, labels, key phrases). A label such as "Gt, know & http" or "في, من & على" says nothing about
what the theme's posts say, so what cannot name a theme is kept out of the count:

- English stop words (scikit-learn's list, spaCy's, and a few news words: `params.EXTRA_STOP_WORDS`);
- for every other language with documents in the corpus, spaCy's stop words of that language;
- the filler of conversational posts ("lol", "don", "know", "think", "gonna");
- pieces of links and names of HTML entities (`post_text.FURNITURE_WORDS`), should any survive the theme text;
- account handles that cannot be ordinary words (they hold a digit or an underscore: "sparksofirhabi5",
  "spicylatte123"); a handle that is also a word ("europol") stays a word.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..languages.words import ThemeVocabulary
from ..post_text import FURNITURE_WORDS
from .params import EXTRA_STOP_WORDS

# Conversational filler of posts: contraction pieces the tokenizer leaves ("don" of "don't"), interjections,
# and verbs of chatter that head no theme ("Don, know & think" was a theme of a troll corpus).
CHAT_WORDS = frozenset({
    "don", "doesn", "didn", "isn", "wasn", "aren", "weren", "couldn", "wouldn", "shouldn", "won", "haven", "hasn",
    "ll", "ve", "re", "dont", "doesnt", "didnt", "cant", "wont", "isnt", "thats", "youre", "theyre", "ive", "im",
    "lol", "lmao", "omg", "haha", "hahaha", "wow", "yeah", "yes", "ok", "okay", "oh", "pls", "plz", "thx", "u", "ur",
    "know", "think", "want", "got", "get", "getting", "going", "gonna", "wanna", "gotta", "let", "lets",
})


def language_stop_words(language: str) -> frozenset[str]:
    """Stop words of a language (ISO 639-1 code), case-folded, as written and in the matching form the
    multilingual word counter uses (languages/words.py); none when spaCy has no list for it."""
    from ..languages.words import spacy_stop_words, stop_words

    written = frozenset(w.casefold() for w in spacy_stop_words(language))
    if not written:  # spaCy has no list for this code
        return frozenset()
    return written | stop_words(language)


def handle_words(handles: Iterable[str]) -> frozenset[str]:
    """Account handles that cannot be ordinary words (a digit or an underscore in them), case-folded."""
    return frozenset(h.casefold().lstrip("@") for h in handles if any(c.isdigit() or c == "_" for c in h))


def theme_stop_words(languages: Iterable[str] = (), handles: Iterable[str] = ()) -> frozenset[str]:
    """Every word kept out of theme vocabularies for a corpus with documents in these languages and these handles
    (see the module's doc); English always."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = set(ENGLISH_STOP_WORDS) | set(EXTRA_STOP_WORDS) | CHAT_WORDS | FURNITURE_WORDS
    for language in {"en", *(lang for lang in languages if lang and lang != "und")}:
        words |= language_stop_words(language)
    # spaCy writes contractions with their apostrophe ("n't", "'s"): the vectorizer never sees those tokens
    return frozenset(w for w in words | handle_words(handles) if "'" not in w and "’" not in w)


def without_words(vocabulary: ThemeVocabulary, words: frozenset[str]) -> ThemeVocabulary:
    """A multilingual corpus's vocabulary (languages/words.py) with these words (case-folded) dropped as well,
    whether written so or counted as so."""
    if not words:
        return vocabulary
    counted = {w: "" if w.casefold() in words or to.casefold() in words else to
               for w, to in vocabulary.counted_as.items()}
    return ThemeVocabulary(counted, vocabulary.languages)
