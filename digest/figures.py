"""Figures that disagree: two sources giving different values for the same quantity.

Precision first: a flag needs the same unit, strongly overlapping wording around both numbers,
the same "of ..." object when either has one, no conflicting dates, and values apart beyond
rounding. Numbers in lists ("0.3% and 0.5%, respectively") are never compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from digest.models import Citation, Disagreement, Figure, Story
from digest.sentences import looks_like_prose, story_sentences
from digest.terms import terms, words

_QUALIFIER = (
    r"(?P<q>(?:around|about|nearly|roughly|almost|approximately|some|over|more than|"
    r"less than|under|at least|up to)\s+)?"
)
_NUMBER = re.compile(
    _QUALIFIER + r"(?P<cur>\$\s?)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?P<unit>\s?%|\s(?:percent|per cent)\b|\s(?:million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_SCALE = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
_BOUNDARY = re.compile(r"[,;:()—–]|\s(?:and|but|while|whereas|although|because|which|as)\s")
_OBJECT = re.compile(r"^\s*of\s+(?P<obj>[^,;:.()—–]+)")
# Where an "of ..." object ends: a conjunction or a verb ("... of voters backed it").
_OBJECT_END = re.compile(
    r"\s(?:and|but|while|because|which|who|that|is|are|was|were|has|have|had|will|would|"
    r"[a-z]{3,}ed)\b"
)
_TIME = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b(?:19|20)\d{2}\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"\b(?:last|this|next) (?:year|month|week|quarter)\b",
    re.IGNORECASE,
)
_ANAPHOR = re.compile(r"\b(?:these|those|such)\s+(?P<noun>[a-z]+s)\b")
_UPPER = {"more than", "over", "at least"}  # the true value is above the figure
_LOWER = {"less than", "under", "up to"}  # ... below it
_NOISE = words(
    """
    around about nearly roughly almost approximately some
    """
)


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
    quantity: str
    #: The words around the figure, shown when there is no "of ..." phrase to name it.
    clause: str
    times: frozenset[str]
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
    scale = _SCALE.get(raw, 1.0)
    if match.group("cur"):
        return "$", scale
    if raw in _SCALE:
        noun = re.match(r"\s*([a-z]+)", after)
        return (terms(noun.group(1))[0], scale) if noun and terms(noun.group(1)) else None
    return None


def mentions(story: Story) -> list[Mention]:
    """Every comparable figure in the story's prose sentences."""
    found: list[Mention] = []
    sentences = [s for _, _, s in story_sentences(story.text)]
    for i, sentence in enumerate(sentences):
        if not looks_like_prose(sentence) or "respectively" in sentence:
            continue
        found.extend(_sentence_mentions(sentence, sentences[max(0, i - 2) : i], story))
    return found


def _sentence_mentions(sentence: str, previous: Sequence[str], story: Story) -> list[Mention]:
    bounds = [0, *(m.end() for m in _BOUNDARY.finditer(sentence)), len(sentence)]
    result = []
    matches = [m for m in _NUMBER.finditer(sentence) if _unit(m, sentence[m.end() :])]
    for m in matches:
        start = max(b for b in bounds if b <= m.start())
        end = min((b for b in bounds if b > m.end()), default=len(sentence))
        if sum(start <= o.start() < end for o in matches) > 1:
            continue  # several figures in one clause: which is which is unclear
        unit, scale = _unit(m, sentence[m.end() :]) or ("", 1.0)
        obj_match = _OBJECT.match(sentence[m.end() :])
        obj = _resolve(obj_match.group("obj"), previous) if obj_match else ""
        obj = _OBJECT_END.split(obj)[0].strip()
        clause = sentence[start:end].replace(m.group(0), " ") + " " + obj
        subject = re.search(r"([A-Z][\w’'-]+)\s+[a-z]+s\s*$", sentence[start : m.start()])
        described = re.sub(r"^(?:the|a|an)\s+", "", obj)
        if not described and unit == "$":
            noun_phrase = _OBJECT_END.split(sentence[m.end() : end])[0].strip()
            described = f"the {noun_phrase}" if noun_phrase else ""
        if unit == "%" and described:
            owner = f"{subject.group(1)}’s " if subject else ""
            described = f"{owner}share of the {described}"
        found = m.group(0).strip()
        result.append(
            Mention(
                value=float(m.group("num").replace(",", "")) * scale,
                step=scale * 10 ** -len(m.group("num").partition(".")[2]),
                shown=found,
                unit=unit,
                qualifier=(m.group("q") or "").strip().lower(),
                context=frozenset(terms(clause)) - _NOISE,
                obj=frozenset(terms(obj)),
                quantity=described,
                clause=" ".join(clause.split()),
                times=frozenset(t.lower() for t in _TIME.findall(sentence)),
                story=story,
            )
        )
    return result


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _consistent(a: Mention, b: Mention) -> bool:
    """Whether the two values can both be true: equal after rounding, or bounded that way."""
    low, high = (a, b) if a.value <= b.value else (b, a)
    if high.value - low.value <= max(low.step, high.step) / 2 or high.value <= low.value * 1.02:
        return True
    return low.qualifier in _UPPER or high.qualifier in _LOWER


def same_quantity(a: Mention, b: Mention) -> bool:
    """Whether two mentions measure the same thing (see the module's rules)."""
    if a.unit != b.unit or a.story.source == b.story.source:
        return False
    if (a.obj or b.obj) and _jaccard(a.obj, b.obj) < 0.6:
        return False
    if a.times and b.times and a.times != b.times:
        return False
    return len(a.context & b.context) >= 3 and _jaccard(a.context, b.context) >= 0.5


def find_disagreements(stories: Sequence[Story]) -> tuple[Disagreement, ...]:
    """One Disagreement per quantity on which two sources of the thread give different values."""
    all_mentions = [m for story in stories for m in mentions(story)]
    result: list[Disagreement] = []
    flagged: set[int] = set()
    for i, a in enumerate(all_mentions):
        if i in flagged:
            continue
        group = [a]
        for j in range(i + 1, len(all_mentions)):
            b = all_mentions[j]
            if (
                j not in flagged
                and same_quantity(a, b)
                and not _consistent(a, b)
                and all(b.story.source != g.story.source for g in group)
            ):
                group.append(b)
                flagged.add(j)
        if len(group) > 1:
            figures = tuple(Figure(m.shown, _cite(m.story)) for m in group)
            result.append(Disagreement(a.quantity or a.clause, figures))
    return tuple(result)


def _cite(story: Story) -> Citation:
    return Citation(story.id, story.source, story.url)
