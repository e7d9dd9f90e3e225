"""Languages: what an input says ("English", "arabic", "en-GB", "eng") as an ISO 639-1 code, and the language of
a text when the input says nothing, short posts included.

Detection runs on the text's words only (no RT prefix, URLs, @handles or `#`; see social.bare_text): a tweet's
links and handles are not language and pulled short texts towards whatever language their letters resemble.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from . import social

UNDETERMINED = "und"
# Fewer letters than this and no identifier is better than a guess.
MIN_LETTERS = 10
MIN_PROBABILITY = 0.3

# English names (and a few endonyms) of the languages a corpus of this field meets, and ISO 639-2/3 codes.
_NAMES = {
    "en": ("english", "eng", "anglais", "englisch"), "ar": ("arabic", "ara", "العربية", "arabe"),
    "fr": ("french", "fra", "fre", "français", "francais"), "de": ("german", "deu", "ger", "deutsch"),
    "es": ("spanish", "spa", "español", "espanol", "castilian"), "ru": ("russian", "rus", "русский"),
    "tr": ("turkish", "tur", "türkçe", "turkce"), "ur": ("urdu", "urd", "اردو"), "fa": ("persian", "farsi", "fas",
                                                                                       "per", "فارسی"),
    "ps": ("pashto", "pushto", "pus"), "ku": ("kurdish", "kur"), "he": ("hebrew", "heb", "iw"),
    "it": ("italian", "ita", "italiano"), "pt": ("portuguese", "por", "português"), "nl": ("dutch", "nld", "dut",
                                                                                         "flemish"),
    "sv": ("swedish", "swe"), "no": ("norwegian", "nor", "nob", "nb"), "da": ("danish", "dan"),
    "fi": ("finnish", "fin"), "pl": ("polish", "pol"), "cs": ("czech", "ces", "cze"), "uk": ("ukrainian", "ukr"),
    "el": ("greek", "ell", "gre"), "hu": ("hungarian", "hun"), "ro": ("romanian", "ron", "rum"),
    "bg": ("bulgarian", "bul"), "sr": ("serbian", "srp"), "hr": ("croatian", "hrv"), "bs": ("bosnian", "bos"),
    "sq": ("albanian", "sqi", "alb"), "zh": ("chinese", "zho", "chi", "mandarin"), "ja": ("japanese", "jpn"),
    "ko": ("korean", "kor"), "hi": ("hindi", "hin"), "bn": ("bengali", "bangla", "ben"), "id": ("indonesian",
                                                                                            "ind", "in"),
    "ms": ("malay", "msa", "may"), "tl": ("tagalog", "filipino", "tgl", "fil"), "sw": ("swahili", "swa"),
    "so": ("somali", "som"), "ha": ("hausa", "hau"), "am": ("amharic", "amh"), "uz": ("uzbek", "uzb"),
    "kk": ("kazakh", "kaz"), "az": ("azerbaijani", "azeri", "aze"), "ka": ("georgian", "kat", "geo"),
    "hy": ("armenian", "hye", "arm"), "th": ("thai", "tha"), "vi": ("vietnamese", "vie"), "ta": ("tamil", "tam"),
    "ca": ("catalan", "cat"), "eu": ("basque", "eus", "baq"), "ga": ("irish", "gle"), "cy": ("welsh", "cym", "wel"),
    "la": ("latin", "lat"), "sk": ("slovak", "slk", "slo"), "sl": ("slovenian", "slovene", "slv"),
    "lt": ("lithuanian", "lit"), "lv": ("latvian", "lav"), "et": ("estonian", "est"), "mk": ("macedonian", "mkd"),
}
NAME_TO_CODE = {name: code for code, names in _NAMES.items() for name in (code, *names)}
# ISO 639-3 codes the identifier gives for varieties within an ISO 639-1 macrolanguage: a short Arabic post read as
# Egyptian (arz) or Moroccan (ary) Arabic is Arabic, or it would be a language apart in every count, filter and
# theme word list, and left out of Arabic's stop words and means.
MACROLANGUAGE = {"arz": "ar", "ary": "ar", "uzs": "uz", "wuu": "zh", "yue": "zh", "gug": "gn", "sdh": "ku"}
NAME_TO_CODE.update(MACROLANGUAGE)
# Codes platforms use for "no language" (X: und, qme media links, qht hashtags only, zxx no text, qam mentions).
NO_LANGUAGE = frozenset({"und", "unknown", "qme", "qht", "qam", "qct", "qst", "zxx", "mul", "xx", "none", ""})
_LETTER = re.compile(r"[^\W\d_]")


def iso639_1(given: Any) -> str | None:
    """The ISO 639-1 code for a language as an input names it; "und" for the codes that mean none; None when
    the name is not one we know (the caller then detects the language and keeps what was given)."""
    if given is None:
        return None
    value = str(given).strip().casefold().replace("_", "-")
    if value in NO_LANGUAGE:
        return UNDETERMINED
    if value in NAME_TO_CODE:
        return NAME_TO_CODE[value]
    base = re.split(r"[-\s(]", value, maxsplit=1)[0]  # en-GB, pt-BR, "English (UK)"
    return NAME_TO_CODE.get(base)


def detect(text: str) -> str:
    """ISO 639-1 code of a text's language, 'und' when it has too few letters or the identifier is unsure.

    A post is judged on its words (social.bare_text); a long text on its first thousand characters.
    """
    head = text[:2000]
    words = social.bare_text(head) if ("@" in head or "#" in head or "http" in head or "www." in head) else head
    words = words[:1000]
    if sum(1 for _ in islice(_LETTER.finditer(words), MIN_LETTERS)) < MIN_LETTERS:
        return UNDETERMINED
    lang, prob = identifier().classify(words)
    return MACROLANGUAGE.get(lang, lang) if prob >= MIN_PROBABILITY else UNDETERMINED


def identifier() -> Any:
    """py3langid's classifier on the package's own model file (numpy arrays), loaded once per process."""
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from .fastlangid import load

        _IDENTIFIER = load()
    return _IDENTIFIER


_IDENTIFIER = None
