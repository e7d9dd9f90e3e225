"""Languages and scripts: Arabic orthography and proclitics for matching aliases and for search, per-language stop
words and stems for theme words, each theme's languages, and which embedding profile suits a corpus.

Nothing here translates or recognises names with a statistical model: no such model for Arabic is installable
offline here. Documents in languages without a spaCy model are matched against the alias list only.
"""

from .arabic import has_arabic, normalise_arabic, split_proclitic
from .matching import ROMANISED, RULER_CONFIG_NORM, match_form, match_forms, people_keys, use_script_matching
from .profile import NON_ENGLISH_SHARE, non_english_share, profile_advice
from .search import arabic_word_pattern, lexicon_term_pattern, spellings, substring_pattern, word_pattern
from .themes import language_mix, mix_shares, theme_words_by_language, words_of_fit
from .words import ThemeVocabulary, is_multilingual, stemmer, stop_words, theme_vocabulary, tokens

__all__ = [
    "NON_ENGLISH_SHARE", "ROMANISED", "RULER_CONFIG_NORM", "ThemeVocabulary", "arabic_word_pattern", "has_arabic",
    "is_multilingual", "language_mix", "lexicon_term_pattern", "match_form", "match_forms", "mix_shares",
    "non_english_share", "normalise_arabic", "people_keys", "profile_advice", "spellings", "split_proclitic",
    "stemmer", "stop_words", "substring_pattern", "theme_vocabulary", "theme_words_by_language", "tokens",
    "use_script_matching", "word_pattern", "words_of_fit",
]
