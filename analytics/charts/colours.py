"""Colours: one palette, fixed greys, and a colour per theme, actor or platform that stays the same in every view.

The palette starts with Okabe and Ito's blue, vermillion and bluish green and continues with colours of Paul Tol's
schemes (two of them darkened: Okabe–Ito's reddish purple and sky blue, Tol's olive), chosen so that every colour
has at least 3:1 contrast against white (WCAG's figure for graphics) and so that the colours stay apart for the
three common kinds of colour blindness (checked in the tests by simulating them). There is no yellow: #F0E442 on
white is 1.3:1.

A series' colour comes from a stable number, never from its rank in the view:
- a theme's colour is its topic id (ids are given largest first when the themes are first fitted, kept across
  refits, and a merge keeps the id of the theme merged into, so the merged theme keeps its colour);
- an actor's colour is its place among all the corpus's actors by documents naming it (the whole store, no
  filters), so Twitter has one colour on the Actors chart, the platform chart and wherever else it appears.
Two series of one view whose numbers fall on the same colour (ids twelve apart) cannot both have it: the one with
the smaller number keeps it and the other takes the next free colour, in that view only. "Other themes" and
"Unassigned" have greys of their own.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import altair as alt

from .. import schema as s

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#332288", "#882255", "#CA73A3", "#117733", "#004488", "#1D96DB",
           "#AA3377", "#939331", "#8C510A")
OTHER_GREY = "#7F7F7F"  # "Other themes", "Other platforms": 4.0:1 on white
UNASSIGNED_GREY = "#3B3B3B"  # "Unassigned (outliers)": 11.2:1 on white, darker than the other grey
FIXED = {s.OTHER_TOPIC: OTHER_GREY, s.OUTLIER_TOPIC: UNASSIGNED_GREY}
OTHER_KEY = "__other__"  # the key of "Other platforms" and other folded rows that are not one entity
SOURCE_TYPE_COLOURS = {"news": "#0072B2", "statement": "#009E73", "propaganda": "#D55E00", "research": "#882255",
                       "social": "#1D96DB", "other": OTHER_GREY}
HIGHLIGHT = "#111111"  # the outline of a selected point or cell
BACKGROUND = "#FFFFFF"


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(colour: str, against: str = BACKGROUND) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours (1 to 21)."""
    a, b = sorted((relative_luminance(colour), relative_luminance(against)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def series_colours(numbers: Mapping[Hashable, int], fixed: Mapping[Hashable, str] | None = None
                   ) -> dict[Hashable, str]:
    """Each key's colour from its stable number: PALETTE[number mod its size], unless a key with a smaller number
    in the same view already has it (then the next free colour); keys in `fixed` get their fixed colour."""
    fixed = fixed or {}
    out = {key: fixed[key] for key in numbers if key in fixed}
    taken: set[int] = set()
    for key, number in sorted(((k, n) for k, n in numbers.items() if k not in fixed), key=lambda kn: (kn[1],
                                                                                                      str(kn[0]))):
        slot = int(number) % len(PALETTE)
        for step in range(len(PALETTE)):
            if (slot + step) % len(PALETTE) not in taken:
                slot = (slot + step) % len(PALETTE)
                break
        taken.add(slot)  # with more series than colours, colours repeat (the legend and table name them all)
        out[key] = PALETTE[slot]
    return out


def theme_colours(topic_ids: Iterable[int]) -> dict[int, str]:
    """Topic id → colour: the id itself is the stable number; outliers and 'Other themes' in their greys."""
    return series_colours({int(t): int(t) for t in topic_ids}, FIXED)  # type: ignore[return-value]


def actor_colours(canonical_ids: Iterable[str], corpus_order: Sequence[str] | None = None) -> dict[str, str]:
    """Canonical id → colour: the stable number is the actor's place in `corpus_order` (every actor of the
    corpus, most-named first: `Corpus.actors()`); without it, the ids' sorted order (stable, but then an actor's
    colour depends on which others the view shows)."""
    ids = list(dict.fromkeys(canonical_ids))
    place = {a: i for i, a in enumerate(corpus_order or [])}
    unknown = sorted(a for a in ids if a not in place and a != OTHER_KEY)
    numbers = {a: place.get(a, len(place) + (unknown.index(a) if a in unknown else 0)) for a in ids}
    return series_colours(numbers, {OTHER_KEY: OTHER_GREY})  # type: ignore[return-value]


def colour_scale(colours: Mapping[Hashable, str], domain: Sequence[str], keys: Sequence[Hashable]) -> alt.Scale:
    """An Altair scale mapping each label of `domain` to the colour of its key (`keys` in the domain's order)."""
    return alt.Scale(domain=list(domain), range=[colours[k] for k in keys])
