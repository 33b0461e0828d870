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
from dataclasses import dataclass
from functools import lru_cache

from digest.figure_labels import PREPOSITIONS, SPEAKER, TIME, VERB_CLASS, is_verb, label
from digest.figure_scope import COUNTED, live_quote, measures, names, sentence_names
from digest.models import Citation, Disagreement, Figure, Story
from digest.numbers import BOUNDARY, NUMBER, SCALE, read
from digest.sentences import english, looks_like_prose, story_sentences
from digest.terms import terms, words

_OBJECT = re.compile(r"^\s*of\s+(?P<obj>[^,;:.()—–]+)")
# Where an "of ..." object ends: a conjunction or a verb ("... of voters backed it").
_OBJECT_END = re.compile(
    r"\s(?:and|but|while|because|which|who|that|is|are|was|were|has|have|had|will|would|"
    r"goes|go|went|[a-z]{3,}ed)\b"
)
# Words that set the period or moment a figure is for, beside the dates of `TIME`.
_PERIOD = words(
    """
    now currently previously formerly earlier later before after since until first second
    third fourth quarter half year month week day decade annual annually monthly weekly daily
    yearly today yesterday tonight initially originally
    """
)
# Dates and periods, which say when rather than what.
_DATED = frozenset(
    terms(
        "monday tuesday wednesday thursday friday saturday sunday january february march "
        "april may june july august september october november december last month week year "
        "quarter today yesterday earlier"
    )
)
# A figure someone aims at, expects or proposes is not a measured one.
_TARGET = re.compile(
    r"\b(?:aim|target|plan|goal|pledge|promise|propose|intend|seek|hope|want|forecast|"
    r"project|expect)(?:s|ed|ing)?\b|\b(?:would|could|might|should)\b",
    re.IGNORECASE,
)
# A figure for one group of people ("for Black workers", "among adults under 30") is not the
# figure for everyone, nor for another group: the group is part of what is measured.
_GROUP = re.compile(
    r"\b(?:for|among)\s+((?:[\w’'-]+\s+){0,3}?(?:people|persons|workers|employees|women|men|"
    r"adults|children|kids|teens|teenagers|students|voters|residents|households|families|"
    r"consumers|patients|citizens|immigrants|seniors|retirees|veterans|borrowers|renters|"
    r"homeowners|taxpayers|users|customers|members|drivers|graduates|girls|boys))\b",
    re.IGNORECASE,
)
_MOMENTS_APART = dt.timedelta(hours=1)
_ANAPHOR = re.compile(r"\b(?:these|those|such)\s+(?P<noun>[a-z]+s)\b")
_APPROXIMATE = {"around", "about", "nearly", "roughly", "almost", "approximately", "some"}
_UPPER = {"more than", "over", "at least"}  # the true value is above the figure
_LOWER = {"less than", "under", "up to"}  # ... below it
_NOISE = frozenset(terms("around about nearly roughly almost approximately some agreed agree"))
_POSSESSIVE = re.compile(r"\b(?:its|their|his|her|it|they|he|she)\b", re.IGNORECASE)
_MAX_NAMED = 3  # outlets named for one value; more are counted ("A, B and 23 more")


@dataclass(frozen=True)
class Mention:
    """One figure in one sentence, with the words that say what it measures."""

    value: float
    #: The precision it is stated at: 1 for "60%", 0.1 for "0.3%", 1e12 for "$1 trillion".
    step: float
    shown: str
    unit: str
    qualifier: str
    context: frozenset[str]
    obj: frozenset[str]
    #: What the figure belongs to: the words before it (not who reports it), the "of ..."
    #: object and the words after it; verbs that only state a level are left out.
    subject: frozenset[str]
    #: Nouns joined to what is measured ("schools and roads"): a sum is not one of its parts.
    parts: frozenset[str]
    #: A short clean name for the quantity, or "" when none can be found.
    quantity: str
    #: Dates in the sentence and period words in the figure's clause ("first", "quarter").
    times: frozenset[str]
    #: A goal, plan, forecast or hypothetical ("aims to cut emissions by 50%").
    target: bool
    #: The group of people the sentence gives a figure for ("for Black workers"), if any.
    group: frozenset[str]
    #: Which measure of the quantity the sentence gives ("core", "real", "revised"), if any.
    measure: frozenset[str]
    #: A market quote taken during the day ("shares rose 3%"), not a close or a statistic, or a
    #: count, which grows all day (a toll, customers without power, seats declared).
    live: bool
    #: Names in what the figure belongs to ("California", "iPhone", "German"): a place, product
    #: or maker that narrows the quantity.
    names: frozenset[str]
    #: Every term of the sentence, to see whether it names the other side's narrowing too.
    said: frozenset[str]
    #: A count of things ("24 people", "225,000 jobs"): compared only word for word.
    counted: bool
    #: Every name in the sentence, the speaker's too ("Intel said it will cut ...").
    everyone: frozenset[str]
    #: The first words after the figure, small ones too ("members voted on/for ...").
    tail: tuple[str, ...]
    story: Story


def _resolve(obj: str, previous: Sequence[str]) -> str:
    """Replace "these elements" by the phrase an earlier sentence used ("rare earth elements")."""
    match = _ANAPHOR.search(obj)
    if not match:
        return obj
    noun = match.group("noun")
    for sentence in reversed(previous):
        found = re.search(rf"((?:[A-Za-z-]+\s){{1,3}}){noun}\b", sentence)
        if found:
            words = found.group(1).split()
            while words and not terms(words[0]):
                words.pop(0)
            if words:
                return obj[: match.start()] + " ".join(words) + f" {noun}" + obj[match.end() :]
    return obj


def _unit(match: re.Match[str], after: str) -> tuple[str, float] | None:
    """(unit, multiplier) of a number, or None when it is a bare number we do not compare."""
    raw = (match.group("unit") or "").strip().lower()
    if raw in {"%", "percent", "per cent"}:
        return "%", 1.0
    scale = SCALE.get(raw, 1.0)
    if match.group("cur"):
        return "$", scale
    if raw in SCALE:
        noun = re.match(r"\s*([a-z]+)", after)
        return (terms(noun.group(1))[0], scale) if noun and terms(noun.group(1)) else None
    counted = COUNTED.match(after)  # "24 people", "24 new cases"; a bare "24" is not compared
    return (" ".join(counted.group("noun").lower().split()), 1.0) if counted else None


def mentions(story: Story) -> list[Mention]:
    """Every comparable figure in the story's prose sentences."""
    found: list[Mention] = []
    sentences = [s for _, _, s in story_sentences(story.text)]
    for i, sentence in enumerate(sentences):
        if not looks_like_prose(sentence) or not english(sentence) or "respectively" in sentence:
            continue  # the wording rules below are English ones
        found.extend(_sentence_mentions(sentence, sentences[max(0, i - 2) : i], story))
    return found


def distinct_facts(a: str, b: str, story_a: Story, story_b: Story) -> bool:
    """Whether sentences `a` and `b` state figures for different quantities ("Prices rose
    2.4%" and "Core prices rose 2.8%"): alike in wording, they are still two facts."""
    ours, theirs = _alone(a, story_a), _alone(b, story_b)
    pairs = [(m, n) for m in ours for n in theirs if m.unit == n.unit]
    return (
        bool(pairs)
        and not {m.value for m in ours} & {m.value for m in theirs}
        and all(_told_apart(m, n) for m, n in pairs)
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


@lru_cache(maxsize=4096)
def _alone(sentence: str, story: Story) -> tuple[Mention, ...]:
    """The sentence's mentions, read without the sentences before it."""
    return tuple(_sentence_mentions(sentence, (), story))


def _sentence_mentions(sentence: str, previous: Sequence[str], story: Story) -> list[Mention]:
    bounds = [0, *(m.end() for m in BOUNDARY.finditer(sentence)), len(sentence)]
    result = []
    matches = [m for m in NUMBER.finditer(sentence) if _unit(m, sentence[m.end() :])]
    dates = frozenset(t.lower() for t in TIME.findall(sentence))
    group = frozenset(t for phrase in _GROUP.findall(sentence) for t in terms(phrase))
    measure, said = measures(sentence), frozenset(terms(sentence))
    quote, everyone = live_quote(sentence), sentence_names(sentence, story.text)
    for m in matches:
        start = max(b for b in bounds if b <= m.start())
        end = min((b for b in bounds if b > m.end()), default=len(sentence))
        if sum(start <= o.start() < end for o in matches) > 1:
            continue  # several figures in one clause: which is which is unclear
        unit, scale = _unit(m, sentence[m.end() :]) or ("", 1.0)
        obj, used = _object(sentence[m.end() :], previous)
        before, after = sentence[start : m.start()], sentence[m.end() : end]
        counted = unit not in {"%", "$"}
        if counted and re.search(r"[A-Z][\w-]*\s*$", before.removesuffix(m.group("q") or "")):
            continue  # "Flight 370 passengers", "Boeing 737 passengers": a name, not a count
        if counted and re.search(r"\d[^.;]*\sand\s+$", sentence[: m.start()]):
            continue  # "12 officers and 40 people were injured": one part of a total
        rest = sentence[m.end() + used : end]  # the words after the figure and its object
        whole = f"{before} {after} {obj}"
        value, decimals = read(m.group("num"))
        result.append(
            Mention(
                value=value * scale,
                step=scale * _step(value, decimals),
                shown=m.group(0).strip(),
                unit=unit,
                qualifier=(m.group("q") or "").strip().lower(),
                context=frozenset(terms(whole)) - _NOISE,
                obj=frozenset(terms(obj)),
                subject=_subject(before, obj, rest),
                parts=_parts(sentence[end:]) if sentence[:end].endswith(" and ") else frozenset(),
                quantity=label(before, obj, after, unit, story.text),
                times=dates | (frozenset(re.findall(r"[a-z]+", whole.lower())) & _PERIOD),
                target=bool(_TARGET.search(whole)),
                group=group,
                measure=measure,
                live=quote or counted,
                names=names(before, after, sentence, story.text),
                counted=counted,
                everyone=everyone,
                tail=tuple(after.lower().split()[:4]),
                said=said,
                story=story,
            )
        )
    return result


def _object(tail: str, previous: Sequence[str]) -> tuple[str, int]:
    """The "of ..." object at the start of `tail` and how much of `tail` it takes."""
    match = _OBJECT.match(tail)
    if not match:
        return "", 0
    obj = _OBJECT_END.split(match.group("obj"))[0]
    return _resolve(obj, previous).strip(), match.start("obj") + len(obj)


def _parts(tail: str) -> frozenset[str]:
    """The nouns that "and" joins to a figure's phrase ("... goes to schools and roads."), or
    none when a new clause follows ("... and manufactures 90% of ...")."""
    run: list[str] = []
    for token in tail.split():
        word = token.strip(".,;:")
        if run and word.lower() in PREPOSITIONS:
            break
        if not terms(word) or is_verb(word) or word.lower() in PREPOSITIONS:
            return frozenset()  # a new clause, not a noun joined to the figure's phrase
        if any(c.isdigit() for c in word):
            return frozenset()  # another figure
        run.append(word)
        if word != token:  # punctuation ends the phrase
            break
    return frozenset(terms(" ".join(run)))


def _subject(before: str, obj: str, rest: str) -> frozenset[str]:
    """The words that say whose figure it is; see `Mention.subject`."""
    speaker = SPEAKER.match(before)
    own = before[speaker.end() :] if speaker else before
    if speaker and _POSSESSIVE.search(own):
        own = before  # "Tesla said its revenue rose": the speaker owns the figure
    found = {VERB_CLASS.get(t, t) for t in terms(f"{own} {rest}")} | set(terms(obj))
    return frozenset(found - _NOISE - {""})


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _consistent(a: Mention, b: Mention) -> bool:
    """Whether the two values can both be true: equal after rounding, or bounded that way."""
    low, high = (a, b) if a.value <= b.value else (b, a)
    if high.value - low.value <= max(low.step, high.step) / 2 * (1 + 1e-9):
        return True
    if (
        a.qualifier in _APPROXIMATE or b.qualifier in _APPROXIMATE
    ) and high.value <= low.value * 1.02:
        return True  # "about 1,200" is not contradicted by 1,220; 48.9 is by 49.4
    return low.qualifier in _UPPER or high.qualifier in _LOWER


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
    said it will cut") and places in another clause ("In Haiti, 24 people ..."): two compare
    only with the same words around the figure and no name on each side the other lacks."""
    return (
        a.subject == b.subject
        and a.tail == b.tail
        and not (a.everyone - b.said and b.everyone - a.said)
    )


def _step(value: float, decimals: int) -> float:
    """The precision a number is stated at: 0.1 for "2.4", 1 for "24". A round figure of a
    thousand or more is rounded, or cut, at its last non-zero digit: "$420,000" agrees with
    "$422,800", "$55,000" with "$55,544"."""
    digits = str(int(value))
    zeros = len(digits) - len(digits.rstrip("0"))
    if decimals or value < 1000 or not zeros:
        return 10.0**-decimals
    return 2 * 10.0**zeros


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
