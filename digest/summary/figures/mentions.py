"""Figures read out of a story: each number with a unit (%, $, "million homes", "24 people")
and the words that say what it measures: its subject, "of ..." object, period, measure, group,
names, and whether it is a target or a live quote. `digest.summary.figures.compare` compares them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from digest.models import Story
from digest.summary.figures.labels import PREPOSITIONS, SPEAKER, TIME, VERB_CLASS, is_verb, label
from digest.summary.figures.quantities import BOUNDARY, NUMBER, SCALE, read
from digest.summary.figures.scope import COUNTED, live_quote, measures, names, sentence_names
from digest.text.sentences import english, looks_like_prose, story_sentences
from digest.text.terms import terms, words

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
_ANAPHOR = re.compile(r"\b(?:these|those|such)\s+(?P<noun>[a-z]+s)\b")
_NOISE = frozenset(terms("around about nearly roughly almost approximately some agreed agree"))
_OPENING = re.compile(r"^(?:In|At|For|Across|Among|Outside|Inside|During|Of)\b[^,]{1,50},")
_POSSESSIVE = re.compile(r"\b(?:its|their|his|her)\b", re.IGNORECASE)


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
    #: Every name in the sentence: a speaker who opens it ("Intel said it will cut ...") and
    #: a source named at its end (", according to ADP") too.
    everyone: frozenset[str]
    #: The first words after the figure, small ones too ("members voted on/for ...").
    tail: tuple[str, ...]
    #: The words of the whole sentence before the figure, speaker, opening clause and small
    #: words included ("In Texas, the storms killed", "Intel said it would cut", "Of those").
    lead: frozenset[str]
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


@lru_cache(maxsize=4096)
def sentence_mentions(sentence: str, story: Story) -> tuple[Mention, ...]:
    """The sentence's mentions, read without the sentences before it."""
    return tuple(_sentence_mentions(sentence, (), story))


def _sentence_mentions(sentence: str, previous: Sequence[str], story: Story) -> list[Mention]:
    bounds = [0, *(m.end() for m in BOUNDARY.finditer(sentence)), len(sentence)]
    result = []
    matches = [m for m in NUMBER.finditer(sentence) if _unit(m, sentence[m.end() :])]
    dates = frozenset(t.lower() for t in TIME.findall(sentence))
    group = frozenset(t for phrase in _GROUP.findall(sentence) for t in terms(phrase))
    measure, said = measures(sentence), frozenset(terms(sentence))
    quote = live_quote(sentence)
    # Who reports a count is not what it counts: ", the sheriff said", "according to AFAD".
    everyone = sentence_names(sentence, story.text)
    # "In California, the jobless rate ...", "In the first quarter, revenue ...": the opening
    # clause narrows every figure of the sentence.
    found = _OPENING.match(sentence)
    opening = found.group(0) if found else ""
    opening_names = sentence_names(opening, story.text) if opening else frozenset()
    for m in matches:
        start = max(b for b in bounds if b <= m.start())
        end = min((b for b in bounds if b > m.end()), default=len(sentence))
        unit, scale = _unit(m, sentence[m.end() :]) or ("", 1.0)
        if sum(start <= o.start() < end and _unit(o, sentence[o.end() :]) == (unit, scale)
               for o in matches) > 1:  # fmt: skip
            continue  # two figures of one unit in a clause: which is which is unclear
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
                times=dates
                | (frozenset(re.findall(r"[a-z]+", f"{whole} {opening}".lower())) & _PERIOD),
                target=bool(_TARGET.search(whole)),
                group=group,
                measure=measure,
                live=quote or counted,
                names=names(before, after, sentence, story.text) | opening_names,
                counted=counted,
                everyone=everyone,
                tail=tuple(after.lower().split()[:4]),
                lead=frozenset(re.findall(r"\w+", sentence[: m.start()].lower())),
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


def _step(value: float, decimals: int) -> float:
    """The precision a number is stated at: 0.1 for "2.4", 1 for "24". A round figure of a
    thousand or more is rounded, or cut, at its last non-zero digit: "$420,000" agrees with
    "$422,800", "$55,000" with "$55,544"."""
    digits = str(int(value))
    zeros = len(digits) - len(digits.rstrip("0"))
    if decimals or value < 1000 or not zeros:
        return 10.0**-decimals
    return 2 * 10.0**zeros
