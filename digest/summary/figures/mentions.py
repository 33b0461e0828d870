"""Figures read out of a story: each number with a unit (%, $, "million homes", "24 people", an
earthquake's magnitude), the content words, names and measure words of its clause, whether it
is an intraday market price, and a short name for the quantity when one is clean.
`digest.summary.figures.compare` compares them; this module decides nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from digest.models import Story
from digest.summary.figures.quantities import BOUNDARY, NUMBER, SCALE, read
from digest.text.lexicon import COUNTED_NOUNS
from digest.text.sentences import story_sentences
from digest.text.terms import terms

_OBJECT = re.compile(r"^\s*of\s+(?P<obj>[^,;:.()—–]+)")
_ANAPHOR = re.compile(r"\b(?:these|those|such)\s+(?P<noun>[a-z]+s)\b")
# "a magnitude 7.1 quake", "7.1-magnitude", "measuring 7.6 magnitude", "7.6 on the Richter scale"
_MAGNITUDE = re.compile(
    r"\bmagnitude[- ](?:of )?(?P<a>\d\.\d)\b|\b(?P<b>\d\.\d)[- ]magnitude\b"
    r"|\b(?P<c>\d\.\d) on the Richter scale",
    re.IGNORECASE,
)
# Where the object a share is of ends: a conjunction or a verb ("of voters backed it").
_OBJECT_END = re.compile(
    r"\s(?:and|but|which|who|that|is|are|was|were|has|have|had|will|[a-z]{3,}ed)\b"
)
_QUAKE = re.compile(r"\b(?:earthquake|quake|tremor|temblor)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9][\w’'.&-]*[\w]|[A-Za-z]")
# Words that make a figure another measure of a thing (core prices are not all prices, real
# growth not nominal, premarket moves not the session's): the financial press's usual
# qualifiers of prices, growth, sales and earnings.
_MEASURE = re.compile(
    r"\b(?:core|headline|real(?! estate)|nominal|(?:seasonally[- ]|inflation[- ])?adjusted|"
    r"unadjusted|median|net|underlying|preliminary|revised|annuali[sz]ed|diluted|pre-?tax|"
    r"same-(?:store|restaurant)|comparable|like-for-like|pre-?market|after-hours)\b",
    re.IGNORECASE,
)
# Market prices move all day: two outlets writing hours apart see two prices, and neither is
# wrong, unless both give where the market closed or settled.
_QUOTE = re.compile(
    r"\b(?:shares|stocks?|index|indexes|futures|yields?|bitcoin|ether|crude|oil|brent|gold|"
    r"dollar|euro|yen|bonds?|nasdaq|dow|s&p)\b|\btrading\b",
    re.IGNORECASE,
)
_SETTLED = re.compile(r"\b(?:clos(?:e|ed|ing)|ended|settled|finished)\b", re.IGNORECASE)
# A sentence's first word is a name when a possessive or a market noun follows ("Tesla
# shares", "California's rate"), not when it merely opens the sentence ("Officials said").
_NAMED_FIRST = re.compile(r"\s+(?:shares|stock|stocks)\b")


@dataclass(frozen=True)
class Mention:
    """One figure in one sentence, with the words that say what it measures."""

    value: float
    #: The precision it is stated at: 1 for "60%", 0.1 for "0.3%", 1e12 for "$1 trillion".
    step: float
    shown: str
    #: "%", "$", "magnitude", or the counted noun ("people", "homes").
    unit: str
    qualifier: str
    #: The content words of the figure's clause and of its "of ..." object.
    context: frozenset[str]
    #: A short clean name for the quantity, or "" when none can be found.
    quantity: str
    #: How many numbers like "7.6" a sentence about a magnitude gives ("7.6 and 7.5": two).
    magnitudes: int
    #: Names and measure words of the figure's clause ("tesla", "california", "core"): each
    #: narrows what is measured.
    names: frozenset[str]
    #: Every word of the sentence, lower-cased, to see whether it names the other's too.
    said: frozenset[str]
    #: A market price taken during the day ("shares rose 3%"), not a close.
    live: bool
    story: Story


def mentions(story: Story) -> list[Mention]:
    """Every comparable figure in the story's sentences; an "of these ..." object is read with
    the noun an earlier sentence gave ("these elements" after "rare earth elements")."""
    found: list[Mention] = []
    sentences = [s for _, _, s in story_sentences(story.text)]
    for i, sentence in enumerate(sentences):
        found.extend(_sentence_mentions(sentence, sentences[max(0, i - 2) : i], story))
    return found


@lru_cache(maxsize=4096)
def sentence_mentions(sentence: str, story: Story) -> tuple[Mention, ...]:
    """The sentence's mentions, read without the sentences before it."""
    return tuple(_sentence_mentions(sentence, (), story))


def _sentence_mentions(sentence: str, previous: Sequence[str], story: Story) -> list[Mention]:
    bounds = [(m.start(), m.end()) for m in BOUNDARY.finditer(sentence)]
    quakes = list(_MAGNITUDE.finditer(sentence))
    magnitudes = len(re.findall(r"(?<![\d.])\d\.\d(?![\d.])", sentence)) if quakes else 0
    result = []
    for m in NUMBER.finditer(sentence):
        unit, scale = _unit(m, sentence[m.end() :]) or ("", 1.0)
        if unit:
            value, decimals = read(m.group("num"))
            span = (m.start(), m.end(), m.group(0).strip(), (m.group("q") or "").strip().lower())
            result.append((span, unit, value * scale, scale * 10.0**-decimals))  # 0.1 for "2.4"
    for q in quakes:
        group = next(g for g in ("a", "b", "c") if q.group(g))
        span = (q.start(group), q.end(group), q.group(group), "")
        result.append((span, "magnitude", float(q.group(group)), 0.1))
    return [
        _mention(sentence, bounds, span, unit, value, step, previous, magnitudes, story)
        for span, unit, value, step in result
    ]


def _mention(
    sentence: str,
    bounds: list[tuple[int, int]],
    span: tuple[int, int, str, str],
    unit: str,
    value: float,
    step: float,
    previous: Sequence[str],
    magnitudes: int,
    story: Story,
) -> Mention:
    begin, finish, shown, qualifier = span
    start = max((e for _, e in bounds if e <= begin), default=0)  # the figure's clause
    end = min((s for s, _ in bounds if s >= finish), default=len(sentence))
    obj = _object(sentence[finish:end], previous)
    before, after = sentence[start:begin], sentence[finish:end]
    return Mention(
        value=value,
        step=step,
        shown=shown,
        unit=unit,
        qualifier=qualifier,
        context=frozenset(terms(f"{before} {after} {obj}")),
        quantity=label(before, obj, unit, sentence),
        magnitudes=magnitudes,
        names=narrowing(sentence, start, end),
        said=_said(sentence),
        live=bool(_QUOTE.search(sentence)) and not _SETTLED.search(sentence),
        story=story,
    )


def narrowing(sentence: str, start: int, end: int) -> frozenset[str]:
    """The names and measure words of the clause `sentence[start:end]` of a figure. The
    sentence's first capital tells nothing unless a possessive or "shares" follows; in a
    headline whose words are nearly all capitalized, no capital does."""
    clause = sentence[start:end]
    found = set(_measures(clause))
    if _title_case(sentence):
        return frozenset(found)
    for token in _WORD.finditer(clause):
        word = token.group()
        if not word[0].isupper():
            continue
        named = word.endswith(("'s", "’s")) or _NAMED_FIRST.match(clause[token.end() :])
        if start + token.start() == len(sentence) - len(sentence.lstrip("\"“‘' ")) and not named:
            continue
        found.add(_key(word))
    return frozenset(found)


def _measures(text: str) -> list[str]:
    """The measure words of `text`, one key each ("expected" and "expecting": "expect")."""
    return [re.sub(r"(?:s|ed|ing|ations?)$", "", m.lower()) for m in _MEASURE.findall(text)]


@lru_cache(maxsize=4096)
def _said(sentence: str) -> frozenset[str]:
    """The keys of every word of the sentence (read once for all its figures)."""
    return frozenset(_key(w) for w in _WORD.findall(sentence))


@lru_cache(maxsize=4096)
def _title_case(sentence: str) -> bool:
    long_words = [w for w in _WORD.findall(sentence) if len(w) > 3 and w.isalpha()]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) > 0.6 * len(long_words)


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    """ "U.S." and "US", "Tesla’s" and "Tesla", "Core" and "core" alike."""
    return re.sub(r"[’']s$", "", word).replace(".", "").lower()


def _unit(match: re.Match[str], after: str) -> tuple[str, float] | None:
    """(unit, multiplier) of a number, or None when it is a bare number we do not compare."""
    raw = (match.group("unit") or "").strip().lower()
    if raw in {"%", "percent", "per cent"}:
        return "%", 1.0
    scale = SCALE.get(raw, 1.0)
    if match.group("cur"):
        return "$", scale
    noun = re.match(r"\s*([a-z]+)\b", after)
    if raw in SCALE:  # "2 million homes"
        return (terms(noun.group(1))[0], scale) if noun and terms(noun.group(1)) else None
    return (noun.group(1), 1.0) if noun and noun.group(1) in COUNTED_NOUNS else None


def _object(tail: str, previous: Sequence[str]) -> str:
    """The "of ..." object at the start of `tail`, "these elements" read as an earlier
    sentence named them ("rare earth elements")."""
    match = _OBJECT.match(tail)
    if not match:
        return ""
    obj = match.group("obj").strip()
    anaphor = _ANAPHOR.search(obj)
    if not anaphor:
        return obj
    noun = anaphor.group("noun")
    for sentence in reversed(previous):
        found = re.search(rf"((?:[A-Za-z-]+\s){{1,3}}){noun}\b", sentence)
        named = [w for w in found.group(1).split() if terms(w)] if found else []
        if named:
            return f"{obj[: anaphor.start()]}{' '.join(named)} {noun}{obj[anaphor.end() :]}"
    return obj


def label(before: str, obj: str, unit: str, sentence: str) -> str:
    """A short name for the quantity: "China’s share of the global supply of rare earths"
    for "China mines 60% of the global supply of rare earths", "the quake’s magnitude";
    "" when there is no clean one (the flag is then worded neutrally)."""
    if unit == "magnitude":
        quake = _QUAKE.search(sentence)
        return f"the {quake.group(0).lower()}’s magnitude" if quake else "the magnitude"
    if unit != "%" or not obj:
        return ""
    owner = re.search(r"([A-Z][\w’'-]+)\s+[a-z]+s(?:\s+for)?\s*$", before)
    described = re.split(r"\s(?:on|in|at|after|before|since|during)\s", _OBJECT_END.split(obj)[0])[
        0
    ]
    described = re.sub(r"^(?:the|a|an|its|their)\s+", "", described, flags=re.IGNORECASE)
    name = f"{owner.group(1) + '’s' if owner else 'the'} share of the {described}"
    return name if len(name.split()) <= 12 and not re.search(r"[\d\"“”]", name) else ""
