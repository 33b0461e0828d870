"""Figures read out of a story: each number with a unit (%, $, €, £, "million homes", "24
people", an earthquake's magnitude), the content words, names and measure words of its clause,
whether it is an intraday market price, and a short name for the quantity when one is clean.
`digest.summary.figures.compare` compares them; this module decides nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from digest.models import Story
from digest.summary.figures.quantities import NUMBER, SCALE, read
from digest.text.lexicon import APPROXIMATE, COUNTED_NOUNS, words
from digest.text.sentences import story_sentences
from digest.text.terms import terms

# A figure's clause ends at punctuation or a conjunction.
_BOUNDARY = re.compile(r"[,;:()—–]|\s(?:and|but|while|whereas|although|because|which|as)\s")
_OBJECT = re.compile(r"^\s*of\s+(?P<obj>[^,;:.()—–]+)")
_ANAPHOR = re.compile(r"\b(?:these|those|such)\s+(?P<noun>[a-z]+s)\b")
# "a magnitude 7.1 quake", "7.1-magnitude", "measuring 7.6 magnitude", "7.6 on the Richter scale"
_MAGNITUDE = re.compile(
    r"\bmagnitude[- ](?:of )?(?P<a>\d\.\d)\b|\b(?P<b>\d\.\d)[- ]magnitude\b"
    r"|\b(?P<c>\d\.\d) on the Richter scale",
    re.IGNORECASE,
)
# Where the object a share is of ends: a conjunction, a verb ("of voters backed it") or a
# preposition ("of the vote in May").
_OBJECT_END = re.compile(
    r"\s(?:and|but|which|who|that|is|are|was|were|has|have|had|will|[a-z]{3,}ed|"
    r"on|in|at|after|before|since|during)\b"
)
_QUAKE = re.compile(r"\b(?:earthquake|quake|tremor|temblor)\b", re.IGNORECASE)
# A word without its possessive ending: "Tesla’s" is "Tesla", "U.S." is "U.S" (then "US").
_WORD = re.compile(r"[A-Za-z0-9][\w.&-]*\w|[A-Za-z]")
# Words that make a figure another measure of a thing (core prices are not all prices, real
# growth not nominal, premarket moves not the session's): the financial press's usual
# qualifiers of prices, growth, sales and earnings.
_MEASURES = words(
    "core headline real nominal adjusted seasonally-adjusted inflation-adjusted unadjusted "
    "median net underlying preliminary revised annualized annualised diluted pretax pre-tax "
    "same-store same-restaurant comparable like-for-like premarket pre-market after-hours"
)
# Market prices move all day: two outlets writing hours apart see two prices, and neither is
# wrong, unless both give where the market closed or settled.
_QUOTE = re.compile(
    r"\b(?:shares|stocks?|index|indexes|futures|yields?|bitcoin|ether|crude|oil|brent|gold|"
    r"dollar|euro|yen|bonds?|nasdaq|dow|s&p)\b|\btrading\b",
    re.IGNORECASE,
)
_SETTLED = re.compile(r"\b(?:clos(?:e|ed|ing)|ended|settled|finished)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One figure in one sentence, with the words that say what it measures."""

    value: float
    #: The precision it is stated at: 1 for "60%", 0.1 for "0.3%", 1e12 for "$1 trillion",
    #: 100 for a rough "nearly 500".
    step: float
    shown: str
    #: "%", a currency ("$", "€", "£"), "magnitude", or the counted noun ("people", "homes").
    unit: str
    #: "about", "more than", ... (`digest.text.lexicon.QUALIFIERS`), or "".
    qualifier: str
    #: The content words of the figure's clause.
    context: frozenset[str]
    #: Names and measure words of the figure's clause ("tesla", "california", "core"): each
    #: narrows what is measured.
    names: frozenset[str]
    #: A short clean name for the quantity, or "" when none can be found.
    quantity: str
    #: Every word of the sentence, lower-cased, to see whether it names the other's too.
    said: frozenset[str]
    #: A market price taken during the day ("shares rose 3%"), not a close.
    live: bool
    story: Story


def mentions(story: Story) -> list[Mention]:
    """Every comparable figure in the story's sentences."""
    sentences = story_sentences(story.text)
    resolved = [_resolve(s, sentences[max(0, i - 2) : i]) for i, s in enumerate(sentences)]
    return [m for sentence in resolved for m in sentence_mentions(sentence, story)]


@lru_cache(maxsize=4096)
def sentence_mentions(sentence: str, story: Story) -> tuple[Mention, ...]:
    """The sentence's figures, each with the words of its clause: the text between the
    boundaries (a comma, "and", "which", ...) either side of it. The sentence's own words are
    read once for all its figures."""
    numbers = _numbers(sentence)
    if not numbers:
        return ()
    bounds = [(m.start(), m.end()) for m in _BOUNDARY.finditer(sentence)]
    said = frozenset(_key(w) for w in _WORD.findall(sentence))
    live = bool(_QUOTE.search(sentence)) and not _SETTLED.search(sentence)
    found = []
    for begin, end, value, step, shown, unit, qualifier in numbers:
        start = max((e for _, e in bounds if e <= begin), default=0)
        stop = min((s for s, _ in bounds if s >= end), default=len(sentence))
        before, after = sentence[start:begin], sentence[end:stop]
        clause = f"{before} {after}"  # the figure itself left out
        context, names = frozenset(terms(clause)), _narrowing(clause)
        label = _label(before, after, unit, sentence)
        found.append(
            Mention(value, step, shown, unit, qualifier, context, names, label, said, live, story)
        )
    return tuple(found)


#: Where a figure stands in its sentence, then value, step, shown, unit and qualifier.
_Number = tuple[int, int, float, float, str, str, str]


def _numbers(sentence: str) -> list[_Number]:
    """Every number with a unit we compare, and a quake's magnitude ("a magnitude 7.1 quake")
    when the sentence gives one number like it: of "the 7.6 and 7.5 magnitude quakes", the
    words do not say which quake is which."""
    found = []
    for m in NUMBER.finditer(sentence):
        unit, scale = _unit(m, sentence[m.end() :]) or ("", 1.0)
        if unit:
            value, decimals = read(m.group("num"))
            step = scale * 10.0**-decimals  # 0.1 for "2.4"
            qualifier = (m.group("q") or "").strip().lower()
            if qualifier in APPROXIMATE:  # "nearly 500" is rounded to the hundred, "40" to ten
                digits = re.sub(r"\D", "", m.group("num"))
                step *= 10.0 ** min(len(digits) - len(digits.rstrip("0")), len(digits) - 1)
            shown = m.group(0).strip()
            found.append((m.start(), m.end(), value * scale, step, shown, unit, qualifier))
    q = _MAGNITUDE.search(sentence)
    if q and len(re.findall(r"(?<![\d.])\d\.\d(?![\d.])", sentence)) == 1:
        g = q.lastgroup or ""
        found.append((q.start(g), q.end(g), float(q[g]), 0.1, q[g], "magnitude", ""))
    return found


def _narrowing(clause: str) -> frozenset[str]:
    """The names and measure words of a figure's clause, the figure and its qualifier left
    out ("Nearly 24" names no one): its capitalized words, the sentence's first too ("Tesla
    shares", "Miller is averaging"), and words such as "core"."""
    words = _WORD.findall(clause)
    return frozenset(_key(w) for w in words if w[0].isupper() or w.lower() in _MEASURES)


def _key(word: str) -> str:
    """ "U.S." and "US", "Core" and "core" alike."""
    return word.replace(".", "").lower()


def _unit(match: re.Match[str], after: str) -> tuple[str, float] | None:
    """(unit, multiplier) of a number, or None when it is a bare number we do not compare."""
    raw = (match.group("unit") or "").strip().lower()
    if raw in {"%", "percent", "per cent"}:
        return "%", 1.0
    scale = SCALE.get(raw, 1.0)
    if match.group("cur"):
        return match.group("cur").strip(), scale  # "$", "€" or "£"
    noun = re.match(r"\s*([a-z]+)\b", after)  # "2 million homes", "24 people"
    if not noun or not (raw in SCALE or noun[1] in COUNTED_NOUNS):
        return None
    stem = terms(noun[1])
    return (stem[0], scale) if stem else None


def _resolve(sentence: str, previous: Sequence[str]) -> str:
    """The sentence with "these elements" read as an earlier sentence named them ("rare earth
    elements"), so that its figures' words say what they measure."""
    anaphor = _ANAPHOR.search(sentence)
    if not anaphor:
        return sentence
    for earlier in reversed(previous):
        found = re.search(rf"((?:[A-Za-z-]+\s){{1,3}}){anaphor['noun']}\b", earlier)
        named = [w for w in found.group(1).split() if terms(w)] if found else []
        if named:
            resolved = f"{' '.join(named)} {anaphor['noun']}"
            return sentence[: anaphor.start()] + resolved + sentence[anaphor.end() :]
    return sentence


def _label(before: str, after: str, unit: str, sentence: str) -> str:
    """A short name for the quantity: "China’s share of the global supply of rare earths"
    for "China mines 60% of the global supply of rare earths", "the quake’s magnitude";
    "" when there is no clean one (the flag is then worded neutrally)."""
    if unit == "magnitude":
        quake = _QUAKE.search(sentence)
        return f"the {quake.group(0).lower()}’s magnitude" if quake else "the magnitude"
    obj = _OBJECT.match(after)
    if unit != "%" or not obj:
        return ""
    owner = re.search(r"([A-Z][\w’'-]+)\s+[a-z]+s(?:\s+for)?\s*$", before)
    described = _OBJECT_END.split(obj["obj"].strip())[0]
    described = re.sub(r"^(?:the|a|an|its|their)\s+", "", described, flags=re.IGNORECASE)
    name = f"{owner.group(1) + '’s' if owner else 'the'} share of the {described}"
    return name if len(name.split()) <= 12 and not re.search(r"[\d\"“”]", name) else ""
