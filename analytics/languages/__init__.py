"""Languages and scripts: Arabic orthography and proclitics for matching aliases, per-language stop words and
stems for theme words, each theme's languages, and which embedding profile suits a corpus.

Nothing here translates or recognises names with a statistical model: no such model for Arabic is installable
offline here. Documents in languages without a spaCy model are matched against the alias list only.
"""

from .arabic import has_arabic, normalise_arabic, split_proclitic
from .matching import ROMANISED, RULER_CONFIG_NORM, match_form, match_forms, people_keys, use_script_matching
from .profile import NON_ENGLISH_SHARE, non_english_share, profile_advice
from .themes import language_mix, theme_words_by_language
from .words import ThemeVocabulary, is_multilingual, stemmer, stop_words, theme_vocabulary, tokens

__all__ = [
    "NON_ENGLISH_SHARE", "ROMANISED", "RULER_CONFIG_NORM", "ThemeVocabulary", "has_arabic", "is_multilingual",
    "language_mix", "match_form", "match_forms", "non_english_share", "normalise_arabic", "people_keys",
    "profile_advice", "split_proclitic", "stemmer", "stop_words", "theme_vocabulary",
    "theme_words_by_language", "tokens", "use_script_matching",
]
