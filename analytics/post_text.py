"""How the analysis reads a post's words: hashtags as words, and the text themes are fitted on.

A post's stored text stays what was posted. Two readings are made from it, the same way for every document (news
articles rarely carry any of this, so for them both readings are the text itself):

- `hashtag_words("IslamicState")` → "Islamic State": a hashtag cut into its words (camel case, digits, underscores),
  for matching the alias list and for themes;
- `theme_text(text)`: what the theme model reads — HTML entities unescaped (twice-escaped ones too), the
  `RT @user:` prefix, links, @handles and leftover entity fragments removed, hashtags replaced by their words.
  Usernames, URL pieces (`https`, `t.co`) and entity names (`gt`, `amp`) then never reach a theme's vocabulary.

`THEME_TEXT_VERSION` names this reading: vectors of a text it changes are cached under it, so a change here never
reuses vectors of the old reading.
"""

from __future__ import annotations

import html
import re

from .ingest.social import HASHTAG, MENTION, RETWEET_PREFIX, URL

THEME_TEXT_VERSION = "theme-text-1"

# Links written without a scheme, as shorteners print them ("t.co/AbC123", "bit.ly/x").
BARE_SHORT_LINK = re.compile(r"(?<![\w/.])(?:t\.co|bit\.ly|goo\.gl|ow\.ly|youtu\.be|fb\.me|dlvr\.it|ift\.tt|"
                             r"buff\.ly|tinyurl\.com|t\.me)/\S*", re.IGNORECASE)
# A link cut short by a truncated retweet ("https://t…", "http…") at the end of a post.
CUT_LINK = re.compile(r"\bhttps?:?/{0,2}[\w.]*…", re.IGNORECASE)
# What is left of an entity escaped twice after one unescape, or a fragment cut from one ("&amp", "&#39").
ENTITY_FRAGMENT = re.compile(r"&(?:#\d{1,6};?|#x[0-9a-f]{1,6};?|(?:amp|gt|lt|quot|apos|nbsp)\b;?|[a-z]{2,8};)",
                             re.IGNORECASE)
# Retweets of retweets ("RT @a: RT @b: …") and a bare "RT" before a handle without a colon.
_REPEATED_PREFIX = re.compile(r"^(?:\s*RT\s+@\w{1,64}:?\s*)+")

# A hashtag's word boundaries: lower → upper ("islamicState"), an acronym's end ("ISISNews" → "ISIS News"),
# letters ↔ digits ("Election2016"), underscores.
_TAG_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])|_+")

_SPACES = re.compile(r"[ \t]{2,}")

# Words a post's furniture leaves behind if anything slips through: pieces of links and names of entities. Kept
# out of theme vocabularies whatever the text.
FURNITURE_WORDS = frozenset({
    "http", "https", "www", "t.co", "co", "com", "html", "htm", "php", "amp", "gt", "lt", "quot", "nbsp", "apos",
    "rt", "via", "bit.ly", "ow.ly", "youtu.be", "status", "twitter.com", "pic.twitter.com", "t.me",
})


def hashtag_words(tag: str) -> str:
    """A hashtag's words: "#IslamicState" → "Islamic State", "Election2016" → "Election 2016",
    "stop_the_war" → "stop the war". A tag in one case or in a script without case stays whole."""
    return " ".join(_TAG_BOUNDARY.sub(" ", tag.lstrip("#")).split())


def unescape_fully(text: str) -> str:
    """HTML entities as characters, also when a scraper escaped them twice (`&amp;gt;` → `>`)."""
    for _ in range(3):
        if "&" not in text:
            break
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def theme_text(text: str) -> str:
    """The words of a document as the theme model reads them (see the module's doc); the stored text is unchanged."""
    if not any(mark in text for mark in ("&", "@", "#", "http", "www", "WWW", "RT", "/", "…")):
        return text  # nothing of a post's furniture: most articles
    original = text
    text = unescape_fully(text)
    text = _REPEATED_PREFIX.sub("", text)
    text = RETWEET_PREFIX.sub("", text)
    text = URL.sub(" ", text)
    text = BARE_SHORT_LINK.sub(" ", text)
    text = CUT_LINK.sub(" ", text)
    text = MENTION.sub(" ", text)
    text = ENTITY_FRAGMENT.sub(" ", text)
    text = HASHTAG.sub(lambda m: " " + hashtag_words(m.group(1)) + " ", text)
    if text == original:
        return original  # an article with a slash or an ampersand: its text as it is (its cached vectors too)
    return _SPACES.sub(" ", text).strip()


# Shown on the About page and printed in the README (a test keeps the two the same): plain words for readers.
HOW_POSTS_ARE_READ = """\
**Posts (tweets, channel posts).** A post is stored as it was posted, with HTML codes such as `&amp;` turned back
into the characters they stand for. Its links, #hashtags, @mentions and the post it retweets, quotes, answers or
forwards are kept beside it, one row each, so they can be counted and followed.

*Volume counts every post.* A retweet, a forward or the same text posted again is one more post carrying its
message: every share, count and timeline includes it.

*Themes read each text once, and only its words.* The theme model reads a post without its `RT @user:` prefix,
links and @handles, with each hashtag cut into words (#IslamicState → "Islamic State"). A retweet or forward of a
post in the corpus, and a text that repeats another, is not fitted again: it takes the theme of the post it
copies, so a message retweeted 300 times does not become a theme of its own. Words that cannot name a theme never
do: pieces of links (`https`, `t.co`), HTML codes (`gt`, `amp`), stop words of every language in the corpus, the
chatter of posts ("lol", "know", "think") and usernames.

*Actors come from mentions and hashtags first.* Every @mention is an account actor (`@handle`, in lower case),
every #hashtag a hashtag actor, and a hashtag whose words spell a name on the alias list (#IslamicState) also
counts as that actor. "RT @user" is never a person or an organisation, and a place on the alias list (Aleppo,
Palmyra) is never a person. The statistical name finder was trained on news; on posts only the kinds it reads
reliably there (countries and cities, peoples and religions) are kept, as measured on a test set of posts written
for this tool.
"""
