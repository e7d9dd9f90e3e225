"""A corpus of posts with known themes and the furniture real posts carry, written here for measuring themes on
short text.

Posts are written from eight planted themes (platform takedowns, battlefield claims, recruitment appeals, attack
news, immigration anger, police violence, elections, hashtag games), each with its own words, hashtags and
sentence frames, by accounts that mostly keep to one theme, like the account categories of a troll operation or
the channels of a movement. Around them, what made bare BERTopic fail on real posts:

- t.co links (random ids) on many posts, and HTML entities escaped once or twice (`&amp;`, `&gt;`, `&amp;gt;`);
- @mentions and `RT @user:` retweets (a quarter of the corpus repeats an earlier post, some cut short with "…");
- a family of bot accounts whose names differ by a digit (sparksofirhabi3, sparksofirhabi4, …) that post and
  mention each other, and accounts whose names are hashtag-like (PatriotMom1776);
- hashtag games in camel case (#ThingsYouCantSayAtWork) and theme hashtags glued to the text;
- lengths as on X: a fifth of posts are 3–6 words ("So true 😂 #OneWordOffMovieQuotes"), most 8–30;
- a little French and Arabic (about 6 % and 4 %) in four of the themes;
- near-copies: the same text posted again by another account with a different link.

Every post's theme is recorded (`theme` column of the labels file) and so is whether it is a copy. Seeded with
`random.Random(seed)`: the same arguments give the same bytes.

    python -m benchmarks.planted_posts 3000 posts.csv     # writes posts.csv and posts.labels.csv
"""

from __future__ import annotations

import csv
import random
import string
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

START = datetime(2015, 3, 1)
SPAN_HOURS = 24 * 540
SHORT_SHARE = 0.2  # posts of 3–6 words
RETWEET_SHARE = 0.25  # posts that are "RT @user: …" copies of an earlier post
NEAR_COPY_SHARE = 0.04  # the same text posted again by another account with another link
LINK_SHARE = 0.45
MENTION_SHARE = 0.3
ENTITY_SHARE = 0.12  # posts with an HTML entity left escaped (&amp; &gt; &lt; &quot;), some twice
FRENCH_SHARE = 0.06
ARABIC_SHARE = 0.04


@dataclass(frozen=True)
class PostTheme:
    """A theme of posts: the words its sentences are written with, its hashtags and its sentence frames."""

    name: str
    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    extras: tuple[str, ...]  # short phrases added to a frame: places, times, reasons
    hashtags: tuple[str, ...]
    frames: tuple[str, ...]  # {s} subject, {v} verb, {o} object, {x} extra
    reactions: tuple[str, ...]  # what a short post says besides a hashtag
    french: tuple[str, ...] = ()
    arabic: tuple[str, ...] = ()


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("|") if p.strip())


THEMES: tuple[PostTheme, ...] = (
    PostTheme(
        "takedowns",
        _split("Twitter|Telegram|the platform|Facebook|YouTube|the moderators|their trust and safety team"),
        _split("suspended|removed|banned|deleted|took down|blocked|purged|shut down"),
        _split("hundreds of accounts|the whole channel|another batch of accounts|our brothers' accounts|"
               "the backup channels|every new account|the archive links|the supporters' groups"),
        _split("again overnight|within an hour|for terms of service violations|after the mass reports|"
               "without any warning|for the third time this week|under the new policy"),
        _split("TwitterKurds|SuspensionWave|ReportISIS|BanThemAll|Telegram"),
        _split("{s} {v} {o} {x}|{s} just {v} {o}|Report them: {s} {v} {o} {x}|{o} {v} {x}, new account incoming|"
               "Can't believe {s} {v} {o} {x}|{s} {v} {o}. Follow the backup account|"
               "Day 40 on my new account after {s} {v} {o}"),
        _split("suspended again|account number 47|follow my backup|new account, same me|they banned me again|"
               "reported and gone"),
        _split("Twitter a encore suspendu des centaines de comptes|La chaîne Telegram a été supprimée cette nuit|"
               "Nouveau compte après la suspension, suivez-nous|Les modérateurs ont bloqué tous nos comptes"),
        _split("تويتر يحذف مئات الحسابات مرة أخرى|تم حذف قناة التلغرام الليلة|حساب جديد بعد الحظر تابعونا|"
               "حظروا كل حسابات الإخوة"),
    ),
    PostTheme(
        "battlefield",
        _split("the mujahideen|coalition jets|Iraqi forces|the army|Kurdish fighters|the brothers|regime troops"),
        _split("advanced on|shelled|retook|stormed|destroyed|besieged|withdrew from|pounded"),
        _split("the villages east of Mosul|three tanks near Raqqa|the airport road in Palmyra|the western bank|"
               "a convoy outside Aleppo|the checkpoint at Deir ez-Zor|the old city|the oil fields"),
        _split("at dawn|after heavy airstrikes|despite the losses|in a fierce battle|under cover of night|"
               "for the second day"),
        _split("Mosul|Raqqa|Palmyra|BattleForMosul|Aleppo"),
        _split("{s} {v} {o} {x}|Breaking: {s} {v} {o}|Reports that {s} {v} {o} {x}|{s} have {v} {o}|"
               "Footage shows {s} {v} {o} {x}|Heavy fighting as {s} {v} {o}"),
        _split("fierce fighting tonight|airstrikes all night|the front is holding|tanks burning on the road|"
               "the siege continues"),
        _split("Les combattants ont repris les villages à l'est de Mossoul|Des frappes aériennes toute la nuit "
               "sur Raqqa|L'armée avance vers Palmyre à l'aube"),
        _split("المجاهدون يتقدمون نحو الموصل|قصف عنيف على الرقة الليلة|تدمير ثلاث دبابات قرب تدمر|"
               "اشتباكات عنيفة في حلب"),
    ),
    PostTheme(
        "recruitment",
        _split("brothers|sisters|the young men|every true believer|our families|the migrants to the land"),
        _split("should make hijrah to|are welcomed in|find honour in|are needed in|will be rewarded in|"
               "are waiting in"),
        _split("the land of the caliphate|the new state|a life of dignity|the ranks of the soldiers|"
               "the cities of the khilafah|a home among the believers"),
        _split("leave the land of disbelief|do not delay|your reward is certain|the doors are still open|"
               "answer the call|the journey is easier than you think"),
        _split("Hijrah|Khilafah|AnswerTheCall|JoinTheRanks"),
        _split("{s} {v} {o}, {x}|O {s}, {x}: {o} awaits|{s} {v} {o}. {x}|{x}. {s} {v} {o}|"
               "Message to {s}: {x}, {o} is calling"),
        _split("answer the call|make hijrah now|the doors are open|do not delay, brothers|the reward awaits"),
        _split("Frères, faites la hijra vers la terre du califat|Ne tardez pas, les portes sont encore ouvertes|"
               "Une vie de dignité vous attend parmi les croyants"),
        _split("يا إخوة هاجروا إلى أرض الخلافة|لا تتأخروا فالأبواب مفتوحة|حياة العزة تنتظركم"),
    ),
    PostTheme(
        "attack_news",
        _split("police|witnesses|officials|paramedics|the prosecutor|local media|the interior ministry"),
        _split("say|confirm|report|have named|are treating|have arrested|are questioning"),
        _split("the suspect in the station shooting|at least twelve injured after the explosion|"
               "a man near the concert hall|the victims of the market attack|two people over the stabbing|"
               "a vehicle driven into the crowd"),
        _split("motive still unclear|area sealed off|more to follow|the attacker was shot dead|"
               "counter-terrorism officers are leading the inquiry|avoid the city centre"),
        _split("Breaking|PrayFor|StaySafe|Manchester|Brussels"),
        _split("{s} {v} {o}, {x}|Update: {s} {v} {o}. {x}|{s} {v} {o} - {x}|Latest: {x} as {s} {v} {o}|"
               "{x}. {s} {v} {o}"),
        _split("terrible news tonight|stay safe everyone|thoughts with the victims|avoid the area|"
               "awful scenes downtown"),
        _split("La police confirme douze blessés après l'explosion|Le suspect de l'attaque a été arrêté, "
               "motif encore inconnu|Évitez le centre-ville, périmètre bouclé"),
        _split("الشرطة تؤكد إصابة اثني عشر شخصا في الانفجار|اعتقال المشتبه به في الهجوم"),
    ),
    PostTheme(
        "immigration",
        _split("illegal aliens|the open borders crowd|our government|the migrant caravan|sanctuary cities|"
               "politicians in Washington"),
        _split("are flooding|keep ignoring|will bankrupt|just invaded|refuse to protect|are laughing at"),
        _split("the southern border|hardworking taxpayers|our veterans|American jobs|our communities|"
               "the immigration laws"),
        _split("build the wall now|deport them all|enough is enough|wake up America|secure the border first|"
               "not one more dollar"),
        _split("BuildTheWall|StopTheInvasion|IllegalAliens|AmericaFirst|SecureTheBorder"),
        _split("{s} {v} {o}. {x}!|{s} {v} {o} and nobody cares. {x}|Why are {s} allowed to keep ignoring "
               "{o}? {x}|{x}! {s} {v} {o}|Fact: {s} {v} {o}. {x}"),
        _split("build the wall|deport them all|secure the border|enough is enough|wake up America"),
    ),
    PostTheme(
        "police_violence",
        _split("another cop|the officer|police in Baltimore|the department|a white officer|the grand jury"),
        _split("shot|choked|beat|killed|tased|walked free after killing"),
        _split("an unarmed black man|a teenager at a traffic stop|a father in front of his kids|"
               "a young woman in her own home|a man selling cigarettes|a boy with a toy gun"),
        _split("no justice no peace|say his name|release the bodycam footage|the system is rigged|"
               "protest tonight downtown|we will not be silenced"),
        _split("BlackLivesMatter|SayHisName|NoJusticeNoPeace|PoliceBrutality|Ferguson"),
        _split("{s} {v} {o}. {x}|{s} {v} {o} and got paid leave. {x}|Again: {s} {v} {o}. {x}|"
               "{x}. {s} {v} {o}|When will it stop? {s} {v} {o}"),
        _split("say his name|no justice no peace|release the footage|march tonight|enough killing"),
    ),
    PostTheme(
        "elections",
        _split("the candidate|early voters|the new poll|the campaign|the debate moderator|turnout in Ohio|"
               "swing state voters"),
        _split("shows a lead in|broke records in|lied about|is surging in|ignored questions on|decided"),
        _split("the presidential race|the swing states|the primary ballot|the first debate|"
               "the absentee ballots|the polling stations"),
        _split("go vote tomorrow|polls close at eight|register before Friday|the race is tight|"
               "every vote counts|watch the debate tonight"),
        _split("Election2016|Debates|GoVote|Vote|SuperTuesday"),
        _split("{s} {v} {o}, {x}|Poll update: {s} {v} {o}. {x}|{s} {v} {o} - {x}|{x}! {s} {v} {o}|"
               "Tonight {s} {v} {o}. {x}"),
        _split("go vote|polls close soon|just voted|watch the debate|every vote counts"),
    ),
    PostTheme(
        "hashtag_games",
        _split("my boss|my cat|my grandmother|the intern|my dentist|my ex|the waiter"),
        _split("would never|secretly wants to|accidentally|always pretends to|refuses to|once tried to"),
        _split("eat the office plants|win an award for napping|sing karaoke at a funeral|"
               "microwave fish at work|reply all to the whole company|wear pyjamas to the meeting"),
        _split("lol|I'm done|no regrets|true story|can't stop laughing|send help"),
        _split("ThingsYouCantSayAtWork|MyEmmyNominationWouldBe|OneWordOffMovieQuotes|HowToLoseYourJob"),
        _split("#{h} {s} {v} {o} {x}|{s} {v} {o} #{h}|#{h}: {s} {v} {o}|#{h} when {s} {v} {o}, {x}"),
        _split("so true|I'm crying|this one|nailed it|best one yet"),
    ),
)
THEME_NAMES = tuple(t.name for t in THEMES)

OPENERS = _split("BREAKING:|Wow.|Unbelievable.|Read this.|Thread:|This 👇|Listen up.|Just saw this.|Sad.")
CLOSERS = _split("Share!|RT if you agree|Spread the word|Thoughts?|🙏|😡|😂|🔥|💔|👀|!!!")
EMOJI = ("😂", "🙏", "😡", "🔥", "💔", "👀", "👇", "🇺🇸", "✊", "😭")
ENTITY_SNIPPETS = ("&amp;", "&gt;", "&lt;", "&quot;", "&amp;gt;", "&amp;amp;")
# Bot family: names that differ by a digit, the pattern that named three themes after usernames
BOT_FAMILY = tuple(f"sparksofirhabi{i}" for i in range(1, 7))
NAME_PARTS = _split("patriot|mom|truth|news|watch|freedom|daily|voice|eagle|sister|brother|ummah|light|"
                    "justice|real|feed|army|lion|dawn|wire|talk|nation|media|report")


@dataclass
class Account:
    handle: str
    theme: int  # the theme it posts about most
    language: str


def _handle(rng: random.Random, taken: set[str]) -> str:
    while True:
        style = rng.random()
        a, b = rng.sample(NAME_PARTS, 2)
        if style < 0.35:
            name = f"{a.capitalize()}{b.capitalize()}{rng.randint(1, 2020)}"
        elif style < 0.6:
            name = f"{a}_{b}{rng.randint(1, 99)}"
        elif style < 0.8:
            name = f"{a}{b}"
        else:
            name = f"{a.capitalize()}{b.capitalize()}"
        if name.casefold() not in taken:
            taken.add(name.casefold())
            return name


def accounts(rng: random.Random, n: int = 120) -> list[Account]:
    """Accounts: most keep to one theme; the bot family posts battlefield and recruitment posts."""
    taken = {h.casefold() for h in BOT_FAMILY}
    out = [Account(h, 1 if i % 2 else 2, "en") for i, h in enumerate(BOT_FAMILY)]
    while len(out) < n:
        theme = rng.randrange(len(THEMES))
        out.append(Account(_handle(rng, taken), theme, "en"))
    return out


def _tco(rng: random.Random) -> str:
    return "https://t.co/" + "".join(rng.choices(string.ascii_letters + string.digits, k=10))


def _sentence(theme: PostTheme, rng: random.Random) -> str:
    frame = rng.choice(theme.frames)
    return frame.format(s=rng.choice(theme.subjects), v=rng.choice(theme.verbs), o=rng.choice(theme.objects),
                        x=rng.choice(theme.extras), h=rng.choice(theme.hashtags))


def _body(theme: PostTheme, rng: random.Random, language: str, short: bool) -> str:
    """The words of one post, before links, mentions and escaping."""
    if language == "fr":
        return rng.choice(theme.french)
    if language == "ar":
        return rng.choice(theme.arabic)
    if short:
        words = rng.choice(theme.reactions)
        tag = rng.choice(theme.hashtags)
        return f"{words.capitalize()} {rng.choice(EMOJI)} #{tag}" if rng.random() < 0.8 else words.capitalize()
    parts = [_sentence(theme, rng)]
    if rng.random() < 0.35:
        parts.append(_sentence(theme, rng))
    text = ". ".join(p[:1].upper() + p[1:] for p in parts)
    if rng.random() < 0.3:
        text = f"{rng.choice(OPENERS)} {text}"
    if rng.random() < 0.5 and "#" not in text:
        tags = rng.sample(theme.hashtags, k=min(len(theme.hashtags), rng.choice((1, 1, 2))))
        text += " " + " ".join(f"#{t}" for t in tags)
    if rng.random() < 0.35:
        text += f" {rng.choice(CLOSERS)}"
    return text


def _escape_some(text: str, rng: random.Random) -> str:
    """An HTML entity where a scraper left one: '&' and '>' written escaped, sometimes twice."""
    snippet = rng.choice(ENTITY_SNIPPETS)
    words = text.split(" ")
    at = rng.randrange(1, len(words)) if len(words) > 1 else 1
    return " ".join([*words[:at], snippet, *words[at:]])


def generate(n: int = 3000, seed: int = 42) -> list[dict]:
    """`n` posts: dicts with tweet_id, username, created_at, text, and the truth (theme, language, copy_of)."""
    rng = random.Random(seed)
    people = accounts(rng)
    by_theme = {t: [a for a in people if a.theme == t] for t in range(len(THEMES))}
    posts: list[dict] = []
    for i in range(n):
        tweet_id = str(700_000_000_000_000_000 + i * 7919)
        when = START + timedelta(hours=rng.randrange(SPAN_HOURS), minutes=rng.randrange(60))
        earlier = [p for p in posts[-400:] if p["created_at"] < when.isoformat() and not p["copy_of"]]
        roll = rng.random()
        if earlier and roll < RETWEET_SHARE:  # a retweet of an earlier post, by an account of the same theme
            original = rng.choice(earlier)
            theme = original["theme"]
            account = rng.choice(by_theme[THEME_NAMES.index(theme)] or people)
            text = f"RT @{original['username']}: {original['text']}"
            if len(text) > 140 and rng.random() < 0.5:
                text = text[:139].rstrip() + "…"
            posts.append({"tweet_id": tweet_id, "username": account.handle, "created_at": when.isoformat(),
                          "text": text, "theme": theme, "language": original["language"],
                          "copy_of": original["tweet_id"]})
            continue
        if earlier and roll < RETWEET_SHARE + NEAR_COPY_SHARE:  # the same words again, another link
            original = rng.choice(earlier)
            if "https://t.co/" in original["text"]:
                account = rng.choice(people)
                text = original["text"].rsplit("https://t.co/", 1)[0] + _tco(rng)
                posts.append({"tweet_id": tweet_id, "username": account.handle, "created_at": when.isoformat(),
                              "text": text, "theme": original["theme"], "language": original["language"],
                              "copy_of": original["tweet_id"]})
                continue
        theme_index = rng.randrange(len(THEMES))
        theme = THEMES[theme_index]
        own = by_theme[theme_index]
        account = rng.choice(own) if own and rng.random() < 0.85 else rng.choice(people)
        language = "en"
        lang_roll = rng.random()
        if theme.french and lang_roll < FRENCH_SHARE:
            language = "fr"
        elif theme.arabic and lang_roll < FRENCH_SHARE + ARABIC_SHARE:
            language = "ar"
        text = _body(theme, rng, language, short=rng.random() < SHORT_SHARE)
        if account.handle in BOT_FAMILY:  # the family tags each other
            others = [h for h in BOT_FAMILY if h != account.handle]
            text += " " + " ".join(f"@{h}" for h in rng.sample(others, 2))
        elif rng.random() < MENTION_SHARE:
            text = (f"@{rng.choice(people).handle} {text}" if rng.random() < 0.5
                    else f"{text} via @{rng.choice(people).handle}")
        if rng.random() < ENTITY_SHARE:
            text = _escape_some(text, rng)
        if rng.random() < LINK_SHARE:
            text += " " + _tco(rng)
        posts.append({"tweet_id": tweet_id, "username": account.handle, "created_at": when.isoformat(),
                      "text": text, "theme": theme.name, "language": language, "copy_of": ""})
    return posts


POST_COLUMNS = ["tweet_id", "username", "created_at", "text"]
LABEL_COLUMNS = ["tweet_id", "theme", "language", "copy_of"]


def write(posts: list[dict], path: Path) -> Path:
    """Write the posts as an X-style CSV (tweet_id, username, created_at, text) and their truth beside it
    (`<name>.labels.csv`: tweet_id, theme, language, copy_of); returns the labels file."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, POST_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(posts)
    labels = path.with_name(path.stem + ".labels.csv")
    with open(labels, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, LABEL_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(posts)
    return labels


def usernames(posts: list[dict]) -> set[str]:
    """Every account name of the corpus, case-folded (the posting accounts and every @mention)."""
    import re

    names = {p["username"].casefold() for p in posts}
    for p in posts:
        names.update(m.casefold() for m in re.findall(r"@(\w+)", p["text"]))
    return names


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("planted_posts.csv")
    print(write(generate(size), target))
