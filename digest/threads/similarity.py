"""What threading compares: a story's weighted terms, and how alike two vectors are.

Titles count above deks and leads, leads above bodies; names (words the stream writes
capitalized mid-sentence) and numbers count extra (digest.threads.corpus weighs them by the
stories at hand). Pure functions, no I/O; nothing here knows about threads.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple, cast

from digest.models import Story
from digest.text.terms import CJK, CJK_RUN, STOP_WORDS, cjk_pairs, has_cjk, stem
from digest.text.terms import Vector as Vector  # re-exported: the one vector type

#: How much each part of a story counts, per word. Bodies matter least: they wander.
TITLE_WEIGHT = 3.0
DEK_WEIGHT = 2.0
LEAD_WEIGHT = 1.0
BODY_WEIGHT = 0.35
LEAD_WORDS = 70
BODY_WORDS = 400
#: Extra weight for a term the stream always writes capitalized (a name), and for numbers.
ENTITY_BOOST = 1.0
NUMBER_BOOST = 1.3
#: Terms kept per story vector: the heaviest ones carry the event.
MAX_TERMS = 48
#: Documents assumed to lack every term, so IDF stays sane on a handful of stories.
PRIOR_DOCUMENTS = 20
#: Index terms are stems cut to this many letters: "Russian"/"Russia", "regulators"/"regulate"
#: meet, which short reworded headlines need; longer words rarely collide at six letters.
STEM_LETTERS = 6
#: Leading words compared when checking two stories for being copies of one article.
NEAR_DUPLICATE_WORDS = 300

_WORD = re.compile(r"\$?\d[\d,.]*%?|[^\W\d_][\w'’&-]*", re.UNICODE)
_CJK_SPLIT = re.compile(f"[{CJK}]+|[^{CJK}]+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?:;])[\"'”’)]*\s+|\n+")


@dataclass(frozen=True)
class Features:
    """A story's terms with their field-weighted counts and how the text cased them."""

    #: term -> summed field weight of its occurrences.
    weights: Mapping[str, float]
    #: Terms seen capitalized mid-sentence in sentence-case text (evidence of a name).
    capitalized: frozenset[str]
    #: Terms seen lower-case mid-sentence (evidence of an ordinary word).
    lowered: frozenset[str]
    #: Every word, lower-cased and unstemmed, for near-duplicate checks.
    words: tuple[str, ...]
    #: Terms heaviest first, and their log-scaled weights: what vectors are made of.
    terms: tuple[str, ...] = ()
    logs: tuple[float, ...] = ()


def story_features(story: Story) -> Features:
    return text_features(story.title, story.dek, story.text)


@lru_cache(maxsize=32768)
def text_features(title: str, dek: str, text: str) -> Features:
    # Cached because open threads are re-read on every call; the result depends only on text.
    weights: dict[str, float] = {}
    caps: set[str] = set()
    lows: set[str] = set()
    words: list[str] = []
    body = text.split()
    if dek and body[: len(dek.split())] == dek.split():
        body = body[len(dek.split()) :]  # some sources repeat the dek as the first paragraph
    parts = (
        (title, TITLE_WEIGHT),
        (dek, DEK_WEIGHT),
        (" ".join(body[:LEAD_WORDS]), LEAD_WEIGHT),
        (" ".join(body[LEAD_WORDS:BODY_WORDS]), BODY_WEIGHT),
    )
    for part, weight in parts:
        _read(part, weight, weights, caps, lows, words)
    logged = sorted(((t, math.log1p(w)) for t, w in weights.items()), key=lambda tw: -tw[1])
    return Features(
        weights,
        frozenset(caps),
        frozenset(lows),
        tuple(words[:NEAR_DUPLICATE_WORDS]),
        tuple(term for term, _ in logged),
        tuple(log for _, log in logged),
    )


def _read(
    text: str,
    weight: float,
    weights: dict[str, float],
    caps: set[str],
    lows: set[str],
    words: list[str],
) -> None:
    """Add `text`'s terms at `weight`, and the casing evidence of each: mid-sentence capitals
    in sentence-case text say "name", lower case says "word"; sentence starts and Title Case
    headlines say nothing."""
    known = _WORDS
    for sentence in _SENTENCE_BREAK.split(text):
        raw = _WORD.findall(sentence)
        if not raw:
            continue
        found = list(map(known.get, raw))
        if None in found:
            infos = [info or _learn(word) for info, word in zip(found, raw, strict=True)]
        else:
            infos = cast(list[_Word], found)
        title_case = _is_title_case(infos)
        for position, (lower, term, _, _, _, acronym, capital, cjk) in enumerate(infos):
            if cjk is not None:  # no spaces: character pairs stand for words
                words += cjk
                for pair in cjk:
                    weights[pair] = weights.get(pair, 0.0) + weight
                continue
            words.append(lower)
            if acronym and not title_case:  # an acronym: kept whole, a name
                weights[lower] = weights.get(lower, 0.0) + weight
                caps.add(lower)
            elif term:
                weights[term] = weights.get(term, 0.0) + weight
                if position and not title_case and term[0] != "#":
                    (caps if capital else lows).add(term)


class _Word(NamedTuple):
    """What reading needs of one written word, worked out once per spelling."""

    lower: str
    #: Its index term ('' for a stop word).
    term: str
    #: 1 if it counts when judging a sentence's case (not a stop word, starts with a letter),
    #: and 1 if it also is all capitals, or starts with one (counted with `sum`).
    content: int
    content_upper: int
    content_capital: int
    #: Written all in capitals and longer than a letter.
    acronym: bool
    capital: bool
    #: Its terms when it holds Chinese or Japanese, else None.
    cjk: list[str] | None


def _learn(word: str) -> _Word:
    """What reading needs of a written word, memoized."""
    lower = word.lower()
    content = lower not in STOP_WORDS and word[0].isalpha()
    cjk = _cjk_terms(lower) if has_cjk(lower) else None
    term = "" if cjk is not None else _term(lower)
    upper, capital = word.isupper(), word[0].isupper()
    info = _Word(
        lower,
        term,
        int(content),
        int(content and upper),
        int(content and capital),
        upper and len(word) > 1,
        capital,
        cjk,
    )
    if len(_WORDS) >= TERM_CACHE:
        _WORDS.clear()
    _WORDS[word] = info
    return info


#: Written word -> what reading needs of it, memoized: stemming and casing checks are the
#: slowest steps and words repeat endlessly.
_WORDS: dict[str, _Word] = {}
TERM_CACHE = 200_000


def _term(lower: str) -> str:
    """A lower-cased word's index term: '#'-marked numbers, cut stems, '' for stop words."""
    if lower[0].isdigit() or lower[0] == "$":
        return "#" + lower.rstrip(".,")
    lower = lower.replace("’", "'").removesuffix("'s").replace("'", "")
    if lower in STOP_WORDS or len(lower) < 2:
        return ""
    return stem(lower)[:STEM_LETTERS]


def _cjk_terms(word: str) -> list[str]:
    """A word holding Chinese or Japanese: its character pairs, and its other parts' terms."""
    result: list[str] = []
    for piece in _CJK_SPLIT.findall(word):
        if CJK_RUN.match(piece):
            result += cjk_pairs(piece)
        elif term := _term(piece):
            result.append(term)
    return result


def _is_title_case(words: list[_Word]) -> bool:
    """Headline style ("Fed Official Says ..."): capitals there tell nothing about names."""
    content = sum(map(_CONTENT, words))
    if content < 3 or sum(map(_CONTENT_UPPER, words)) == content:
        return True
    return sum(map(_CONTENT_CAPITAL, words)) >= 0.75 * content


_CONTENT: Callable[[_Word], int] = itemgetter(2)
_CONTENT_UPPER: Callable[[_Word], int] = itemgetter(3)
_CONTENT_CAPITAL: Callable[[_Word], int] = itemgetter(4)


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    # The key intersection runs in C; the overlap is usually a handful of terms.
    return sum([a[t] * b[t] for t in a.keys() & b.keys()])


def heaviest(vector: Mapping[str, float], count: int) -> list[str]:
    """The `count` heaviest terms of `vector`, heaviest first (ties: in the vector's order).
    As heapq.nlargest, which is slower on a vector's few dozen terms."""
    return sorted(vector, key=vector.__getitem__, reverse=True)[:count]


def near_duplicate(a: Features, b: Features) -> bool:
    """Syndicated or lightly edited copies: most words, or most 3-word runs, in common."""
    short = min(len(a.words), len(b.words))
    if short == 0:
        return False
    if short < 40:
        sa, sb = set(a.words), set(b.words)
        return len(sa & sb) >= 0.8 * len(sa | sb)
    ga, gb = _shingles(a.words), _shingles(b.words)
    return len(ga & gb) >= 0.5 * len(ga | gb)


def _shingles(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    head = words[:NEAR_DUPLICATE_WORDS]
    return {head[i : i + 3] for i in range(len(head) - 2)}
