"""Figures that disagree: two sources giving different values for the same quantity.

Precision first: a flag needs the same unit, strongly overlapping wording around both numbers,
the same "of ..." object when either has one, the same subject (no name or content word on each
side that the other lacks, words after the figure included), the same dates and periods ("in the
first quarter", "from a year earlier", "now"), both values measured or both targets ("aims to
cut"), the same measure ("core", "real", "adjusted", "premarket" on both sides or neither),
values apart beyond rounding, and neither source stating the other's value too. Market quotes
taken during the day by stories an hour or more apart are two moments, not a dispute. Lists
("0.3% and 0.5%, respectively") are never compared. Names for quantities: `figure_labels`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

from digest.models import Citation, Disagreement, Figure, Story
from digest.summary.figures.mentions import Mention, mentions, sentence_mentions
from digest.summary.figures.quantities import numbers
from digest.text.terms import terms

# Dates and periods, which say when rather than what.
_DATED = frozenset(
    terms(
        "monday tuesday wednesday thursday friday saturday sunday january february march "
        "april may june july august september october november december last month week year "
        "quarter today yesterday earlier"
    )
)
_MOMENTS_APART = dt.timedelta(hours=1)
_CITED = re.compile(
    r",\s+(?:according to [^,]+|[^,]{0,60}\b(?:said|says|reported|showed|shows|found))"
    r"\s*[.!?]?$"
)
_NAMED_FIRST = re.compile(r"[’']s\b|\s+(?:shares|stock|stocks|said|says|Inc|Corp|Co)\b")
_APPROXIMATE = {"around", "about", "nearly", "roughly", "almost", "approximately", "some"}
_UPPER = {"more than", "over", "at least"}  # the true value is above the figure
_LOWER = {"less than", "under", "up to"}  # ... below it
_MAX_NAMED = 3  # outlets named for one value; more are counted ("A, B and 23 more")


def same_facts(a: str, b: str, story_a: Story, story_b: Story) -> bool | None:
    """What the figures of sentences `a` and `b` say about repeating each other: True when
    they give the same value for the same thing ("Bitcoin rose 5% to $67,000" and "Bitcoin
    climbed to $67,000"), however differently worded; False when their figures are for
    different quantities ("Prices rose 2.4%", "Core prices rose 2.8%"), however alike the
    wording; None when the figures do not tell."""
    ours, theirs = sentence_mentions(a, story_a), sentence_mentions(b, story_b)
    pairs = [(m, n) for m in ours for n in theirs if m.unit == n.unit]
    names_a, names_b = _capitalized(a), _capitalized(b)
    if names_a - names_b and names_b - names_a:
        # "Apple shares fell 3.5%", "Microsoft shares fell 3.5%": two facts (at the price of
        # keeping "Shares of the iPhone maker fell 3.5%" beside Apple's)
        return False if pairs else None
    if any(m.value == n.value and _restated(m, n) for m, n in pairs):
        return True
    shared = _telling(a) & _telling(b)
    if shared - {m.value for m, n in pairs if m.value == n.value}:
        return True  # "payrolls rose by 139,000" and "employers added 139,000 jobs"
    if pairs and all(_told_apart(m, n) for m, n in pairs):
        return False
    return None


@lru_cache(maxsize=4096)
def _capitalized(text: str) -> frozenset[str]:
    """The names a sentence gives, who it cites left out; its first word only when it reads
    as a company's or a speaker's name ("Apple shares", "Intel said"), not "Nonfarm
    payrolls"."""
    text = _CITED.sub("", text)
    found = re.findall(r"\b[A-Z][\w'’.&-]*\w", text)
    if found and text.startswith(found[0]) and not _NAMED_FIRST.match(text[len(found[0]) :]):
        found = found[1:]
    return frozenset(w.lower() for w in found if terms(w)) - _DATED


@lru_cache(maxsize=4096)
def _telling(text: str) -> frozenset[float]:
    """The numbers of `text` precise enough to identify a fact ("139,000", "4.25"), not a
    round one ("600", "1,700", "3.5"), a day of the month or a year."""
    return frozenset(
        v
        for v in numbers(text)
        if len(f"{v:g}".replace(".", "").strip("0")) >= 3
        and not (v.is_integer() and 1900 <= v <= 2100)
    )


def _restated(a: Mention, b: Mention) -> bool:
    """Whether two mentions of one value, worded apart, are one fact: nothing sets them apart
    (measure, group, names on both sides, "of ..." object) and their words overlap somewhat."""
    return (
        a.measure == b.measure
        and a.group == b.group
        and not (a.names - b.said and b.names - a.said)
        and not (a.obj - b.obj and b.obj - a.obj)  # 60% of mining, 60% of processing
        and _jaccard(a.subject, b.subject) >= 0.3
    )


def _told_apart(a: Mention, b: Mention) -> bool:
    """Whether the wording says two figures measure different things (another measure, group,
    place or subject), not merely that it cannot tell (a date on one side only)."""
    return (
        a.measure != b.measure
        or a.group != b.group
        or bool(a.names - b.said or b.names - a.said)
        or bool(a.subject - b.subject - _DATED and b.subject - a.subject - _DATED)
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _consistent(a: Mention, b: Mention) -> bool:
    """Whether the two values can both be true: equal after rounding, or bounded that way."""
    low, high = (a, b) if a.value <= b.value else (b, a)
    if high.value - low.value <= max(low.step, high.step) / 2 * (1 + 1e-9):
        return True
    for rough, other in ((a, b), (b, a)):  # "about 1,200" vs 1,220, "nearly 40%" vs 38%
        if rough.qualifier in _APPROXIMATE and abs(rough.value - other.value) <= max(
            0.02 * rough.value, _round_step(rough.value) / 2
        ):
            return True  # but exact 48.9 and 49.4 differ
    return low.qualifier in _UPPER or high.qualifier in _LOWER


def _round_step(value: float) -> float:
    """What a round figure is rounded to: 10 for "40", 100 for "1,200", 1 for "38"."""
    digits = str(int(value)) if value.is_integer() else ""
    zeros = len(digits) - len(digits.rstrip("0"))
    return 10.0**zeros if digits and zeros < len(digits) else 0.0


def _similar(a: Mention, b: Mention) -> bool:
    """Whether two mentions, from any sources, measure the same thing."""
    if a.unit != b.unit or a.target != b.target or a.parts != b.parts:
        return False
    if (a.obj or b.obj) and _jaccard(a.obj, b.obj) < 0.6:
        return False
    if a.times != b.times:
        return False  # a date or period on one side only may be another one
    if a.group != b.group:
        return False  # Black workers' unemployment rate is not the overall rate
    if a.measure != b.measure:
        return False  # core inflation is not inflation, real growth not nominal growth
    if a.names - b.said or b.names - a.said:
        return False  # California's jobless rate is not the nation's, iPhone sales not Apple's
    if a.subject - b.subject and b.subject - a.subject:
        return False  # "Tesla shares" and "Ford shares", "mining" and "processing"
    if (a.counted or b.counted) and not _same_count(a, b):
        return False
    return len(a.context & b.context) >= 3 and _jaccard(a.context, b.context) >= 0.5


def _same_count(a: Mention, b: Mention) -> bool:
    """Counts are told apart by small words ("votes against", "voted on"), speakers ("Intel
    said it will cut"), opening clauses ("In Texas, the storms killed", "In overtime") and
    places anywhere: two compare only with the same words before the figure and right after
    it, and no name on either side that the other lacks."""
    return (
        a.lead == b.lead
        and a.subject == b.subject
        and a.tail == b.tail
        # names, a named source at the end too: ADP's count and "the government's" may be
        # two measures, so a name on one side only sets a count apart
        and not a.everyone - b.said
        and not b.everyone - a.said
    )


def same_quantity(a: Mention, b: Mention) -> bool:
    """Whether two sources' mentions measure the same thing (see the module's rules)."""
    return a.story.source != b.story.source and _similar(a, b) and not _moments_apart(a, b)


def _moments_apart(a: Mention, b: Mention) -> bool:
    """Two market quotes taken during the day by stories published an hour or more apart."""
    return a.live and b.live and abs(a.story.published - b.story.published) >= _MOMENTS_APART


def _states(source: str, m: Mention, pool: Sequence[Mention]) -> bool:
    """Whether `source` itself states a value consistent with `m` for the same quantity."""
    return any(n.story.source == source and _similar(n, m) and _consistent(n, m) for n in pool)


def _disputed(a: Mention, b: Mention, pool: Sequence[Mention]) -> bool:
    return (
        same_quantity(a, b)
        and not _consistent(a, b)
        and not _states(b.story.source, a, pool)
        and not _states(a.story.source, b, pool)
    )


def find_disagreements(stories: Sequence[Story]) -> tuple[Disagreement, ...]:
    """One Disagreement per quantity on which two sources of the thread give different values;
    each value is shown once, with the outlets that state it."""
    pool = [m for story in stories for m in mentions(story)]
    result: list[Disagreement] = []
    flagged: set[int] = set()
    for i in range(len(pool)):
        if i in flagged:
            continue
        group = _gather(i, pool, flagged)
        if len(group) > 1:
            figures = tuple(Figure(ms[0].shown, _cite(ms)) for ms in _by_value(group))
            quantity = next((m.quantity for m in group if m.quantity), "")
            result.append(Disagreement(quantity, figures))
    return tuple(result)


def _gather(i: int, pool: Sequence[Mention], flagged: set[int]) -> list[Mention]:
    """`pool[i]`, one mention per other source that disputes it and, when any does, one per
    source that agrees with it; the indexes taken are added to `flagged`."""
    a, group, taken = pool[i], [pool[i]], []
    for j, b in enumerate(pool):
        if j > i and j not in flagged and _new_source(b, group) and _disputed(a, b, pool):
            group.append(b)
            taken.append(j)
    disputing = group[1:]
    for j, b in enumerate(pool):
        if (
            disputing
            and j != i
            and j not in flagged
            and _new_source(b, group)
            and same_quantity(a, b)
            and _consistent(a, b)
            and not any(_states(b.story.source, other, pool) for other in disputing)
        ):
            group.append(b)
            taken.append(j)
    flagged.update(taken)
    return group


def _new_source(m: Mention, group: Sequence[Mention]) -> bool:
    return all(m.story.source != g.story.source for g in group)


def _by_value(group: Sequence[Mention]) -> list[list[Mention]]:
    """The group's mentions, those stating the same value together, in order of appearance."""
    values: list[list[Mention]] = []
    for m in group:
        same = next((v for v in values if _consistent(v[0], m)), None)
        if same is None:
            values.append([m])
        else:
            same.append(m)
    return values


def _cite(stated: Sequence[Mention]) -> Citation:
    """The first story's citation, named by up to `_MAX_NAMED` outlets ("A, B and 23 more")."""
    story, names = stated[0].story, [m.story.source for m in stated]
    if len(names) > _MAX_NAMED:
        names = [*names[: _MAX_NAMED - 1], f"{len(names) - _MAX_NAMED + 1} more"]
    shown = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return Citation(story.id, shown, story.url)
