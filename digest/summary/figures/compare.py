"""Figures compared: two sources giving different values for the same quantity, and two
sentences saying one fact twice.

Two figures measure the same quantity when they share a unit and at least three content words
of their clauses, half of all, and neither clause has a name or measure word the other sentence
never says (Tesla's shares are not Ford's, core prices not all prices); two quakes' magnitudes,
when they are within 0.2 of each other. Intraday market prices from stories an hour or more
apart are two moments, not one quantity. They disagree when their values are apart beyond the
precision they are stated at ("60%" vs "70%", 7.6 vs 7.7; "nearly $500 billion" is rounded to
the hundred billion) and no bound allows both ("more than 200" agrees with 249).
bench/rules_quality.py measures these rules on labelled pairs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from digest.models import Citation, Disagreement, Figure, Story
from digest.summary.figures.mentions import Mention, mentions, sentence_mentions
from digest.text.lexicon import LOWER_BOUNDS, STOP_WORDS, UPPER_BOUNDS

_SHARED_WORDS = 3
_OVERLAP = 0.5
_QUAKE_SPREAD = 0.2  # agencies' readings of one quake differ by a tenth or two
_MOMENTS_APART = dt.timedelta(hours=1)  # a price an hour later is another price
_MAX_NAMED = 3  # outlets named for one value; more are counted ("A, B and 23 more")


def same_facts(a: str, b: str, story_a: Story, story_b: Story) -> bool | None:
    """What the figures of sentences `a` and `b` say about repeating each other: True when
    they give the same value for the same quantity, or the same telling figures however
    worded ("Shares of Nvidia fell 3% in after-hours trading" / "Nvidia shares dropped 3%
    after the bell"); False when their figures of one unit are all for other quantities;
    None when the figures do not tell."""
    ours, theirs = sentence_mentions(a, story_a), sentence_mentions(b, story_b)
    if _restated(ours, theirs) and not (_strangers(a, story_b) and _strangers(b, story_a)):
        return True
    pairs = [(m, n) for m in ours for n in theirs if m.unit == n.unit]
    alike = [(m, n) for m, n in pairs if _similar(m, n)]
    if any(_consistent(m, n) for m, n in alike):
        return True
    return False if pairs and not alike else None


def _restated(ours: Sequence[Mention], theirs: Sequence[Mention]) -> bool:
    """Whether two sentences give the same telling figures: percentages and sums of money (a
    thousand or more); not a bare count, which many things share."""
    telling = [
        {(m.value, m.unit) for m in ms if m.unit == "%" or (m.unit in "$€£" and m.value >= 1000)}
        for ms in (ours, theirs)
    ]
    return bool(telling[0]) and telling[0] == telling[1]


def _strangers(sentence: str, other: Story) -> set[str]:
    """Capitalized words of `sentence` that the other story never writes ("Apple" of a
    sentence about Apple, beside a story about Microsoft)."""
    words = set(re.findall(r"[\w&-]+", f"{other.title} {other.text}".lower()))
    names = {n.lower() for n in re.findall(r"\b[A-Z][\w&-]*", sentence)} - STOP_WORDS
    return {n for n in names if n not in words}


def _similar(a: Mention, b: Mention) -> bool:
    """Whether two mentions, from any sources, measure the same thing."""
    if a.unit != b.unit:
        return False
    if a.unit == "magnitude":
        return abs(a.value - b.value) <= _QUAKE_SPREAD
    if a.names - b.said or b.names - a.said:
        return False  # Tesla's shares are not Ford's, core prices not all prices
    shared = len(a.context & b.context)
    return shared >= _SHARED_WORDS and shared >= _OVERLAP * len(a.context | b.context)


def _consistent(a: Mention, b: Mention) -> bool:
    """Whether the two values can both be true: equal at their stated precision (a rough
    "nearly $500 billion" and $484 billion too) or bounded that way ("more than 200" and 249)."""
    low, high = (a, b) if a.value <= b.value else (b, a)
    if high.value - low.value <= max(low.step, high.step) / 2 * (1 + 1e-9):
        return True
    return low.qualifier in UPPER_BOUNDS or high.qualifier in LOWER_BOUNDS


def _same_quantity(a: Mention, b: Mention) -> bool:
    """Whether two sources' mentions measure the same thing: not two market prices taken
    during the day by stories an hour or more apart, which are two moments."""
    apart = abs(a.story.published - b.story.published) >= _MOMENTS_APART
    return a.story.source != b.story.source and _similar(a, b) and not (a.live and b.live and apart)


def find_disagreements(stories: Sequence[Story]) -> tuple[Disagreement, ...]:
    """One Disagreement per quantity on which two sources of the thread give different values:
    each mention, in order, with one mention of the same quantity per other source (one that
    disputes it when the source has one). A mention shown in a flag is not read again."""
    pool = [m for story in stories for m in mentions(story)]
    result: list[Disagreement] = []
    taken: set[int] = set()
    for i, a in enumerate(pool):
        if i in taken:
            continue
        same = [j for j, b in enumerate(pool) if j not in taken and _same_quantity(a, b)]
        chosen = {a.story.source: i}
        for j in sorted(same, key=lambda j: _consistent(a, pool[j])):  # disputes first
            chosen.setdefault(pool[j].story.source, j)
        if not all(_consistent(a, pool[j]) for j in chosen.values()):
            taken.update(chosen.values())
            result.append(_disagreement([pool[j] for j in chosen.values()]))
    return tuple(result)


def _disagreement(group: Sequence[Mention]) -> Disagreement:
    """The group's values in order of appearance, each with the outlets that state it."""
    values: list[list[Mention]] = []
    for m in group:
        same = next((v for v in values if _consistent(v[0], m)), None)
        if same is None:
            values.append([m])
        else:
            same.append(m)
    quantity = next((m.quantity for m in group if m.quantity), "")
    return Disagreement(quantity, tuple(Figure(v[0].shown, _cite(v)) for v in values))


def _cite(stated: Sequence[Mention]) -> Citation:
    """The first story's citation, named by up to `_MAX_NAMED` outlets ("A, B and 23 more")."""
    story, names = stated[0].story, [m.story.source for m in stated]
    if len(names) > _MAX_NAMED:
        names = [*names[: _MAX_NAMED - 1], f"{len(names) - _MAX_NAMED + 1} more"]
    shown = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return Citation(story.id, shown, story.url)
