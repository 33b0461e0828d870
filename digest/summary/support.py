"""Whether evidence bears a sentence out: its content words, every number with its unit, every
name, the direction of every change; no link, no email address, no word to the reader.

One check for every summarizer that writes its own words (plug-ins, the language model) and for
`bench/grounding.py`. Pure: it sees a sentence and the texts it cites, not threads or stories.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digest.summary.figures.labels import VERB_CLASS
from digest.summary.figures.quantities import NUMBER, SCALE, directions, numbers, read
from digest.text.sentences import TITLES, split_sentences
from digest.text.terms import STOP_WORDS, cjk_pairs, has_cjk, terms, words

#: Share of a sentence's content words its evidence must contain when it cites whole stories.
LENIENT = 0.5
#: ... when it cites sentences (the language model): a paraphrase keeps most of its words.
STRICT = 0.75
_LINK = re.compile(r"https?://|www\.|\b[\w.-]+\.(?:com|org|net|io|co|xyz|info|biz|ly)\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
# Words a news sentence never says to its reader: an instruction smuggled in through a feed.
_TO_READER = re.compile(
    r"\b(?:you|your|yours|yourself|readers?|subscribers?|click|visit|sign up|buy now|"
    r"(?:should|must) (?:buy|sell|invest|click|visit|subscribe|send))\b",
    re.IGNORECASE,
)
_CAPITALIZED = re.compile(r"(?<![\w’'])[A-Z][\w’'.&-]*")
# Title words before a name ("Commerce Secretary", "Vice Premier") are described, not named.
_NOT_NAMES = TITLES | words(
    "secretary minister president chancellor premier vice governor senator representative "
    "mayor judge justice chief executive director commissioner ambassador general spokesman "
    "spokeswoman spokesperson deputy leader speaker officials official mr mrs ms dr"
)
# Short forms a sentence may use for a name its source writes out.
_ALIASES = {
    "us": ("united states", "america"),
    "u.s": ("united states", "america"),
    "uk": ("united kingdom", "britain"),
    "u.k": ("united kingdom", "britain"),
    "eu": ("european union",),
    "un": ("united nations",),
    "u.n": ("united nations",),
}
_WAYS = {"up", "down"}
#: Content words two sentences must share for one to be the other's close evidence.
_CLOSE = 0.5


def unsupported(claim: str, evidence: Sequence[str], share: float = LENIENT) -> str:
    """Why `evidence` does not bear `claim` out, in a few words ("gives 15", "names Paris");
    "" when it does. A sentence in another script than its evidence (a translation) cannot be
    checked for words or names; its numbers still are."""
    text = " ".join(evidence)
    if _LINK.search(claim) or _EMAIL.search(claim):
        return "has a link or an email address"
    if _TO_READER.search(claim):
        return "speaks to the reader"
    missing = _missing_numbers(claim, text)
    if missing:
        return f"gives {missing}"
    turned = _turned(claim, evidence)
    if turned:
        return turned
    ours, theirs = word_keys(claim), word_keys(text)
    if _latin(ours) != _latin(theirs):
        return ""
    unnamed = _missing_names(claim, text)
    if unnamed:
        return f"names {unnamed}"
    if ours and len(ours & theirs) < share * len(ours):
        return "says what"
    return ""


def _missing_numbers(claim: str, text: str) -> str:
    """The first number of `claim` its evidence does not give with the same unit ("15%"); one
    to ten may be spelled out ("five"). "1,200" is "1200", "$1.2 billion" is "1,200 million"."""
    given = {n for n in numbers(claim) if not (n.is_integer() and n <= 10)}
    stated = numbers(text)
    if given - stated:
        return ", ".join(f"{n:g}" for n in sorted(given - stated))
    ours, theirs = figures(claim), figures(text)
    for figure in sorted(ours - theirs):
        value, percent = figure
        if value in {v for v, _ in theirs} or not (value.is_integer() and value <= 10):
            return f"{value:g}{'%' if percent else ''}"
    return ""


def figures(text: str) -> set[tuple[float, bool]]:
    """(value, is a percentage) of every figure, scaled: "$1.2 billion" is 1.2e9."""
    found = set()
    for match in NUMBER.finditer(text):
        unit = (match.group("unit") or "").strip().lower()
        value = read(match.group("num"))[0] * SCALE.get(unit, 1.0)
        found.add((round(value, 6), unit in {"%", "percent", "per cent"}))
    return found


def _turned(claim: str, evidence: Sequence[str]) -> str:
    """How `claim` turns a change its evidence states the other way: "fell 5%" citing "rose
    5%", or "exports fell" where the closest evidence only says they rose."""
    text = " ".join(evidence)
    stated: dict[float, set[str]] = {}
    for value, ways in directions(text).items():
        stated.setdefault(value, set()).update(ways)
    for value, ways in directions(claim).items():
        if ways and stated.get(value) and not ways & stated[value]:
            return f"says {value:g} went {'/'.join(sorted(ways))}"
    ours = _ways(claim)
    close = _closest(claim, evidence)
    theirs = set().union(*(_ways(s) for s in close)) if close else set()
    flipped = sorted(way for way in ours if theirs and way not in theirs)
    return f"says it went {flipped[0]}" if flipped else ""


def _ways(text: str) -> set[str]:
    """Which ways the changes `text` states went, but for those a number follows closely:
    `directions` reads those, and "fell to 2.4%" is a level, not a change."""
    tokens = text.split()
    found = set()
    for i, token in enumerate(tokens):
        way = VERB_CLASS.get(next(iter(terms(token)), ""), "")
        if way in _WAYS and not any(c.isdigit() for w in tokens[i + 1 : i + 4] for c in w):
            found.add(way)
    return found


def _closest(claim: str, evidence: Sequence[str]) -> list[str]:
    """The evidence sentences that share most of `claim`'s content words."""
    ours = word_keys(claim)
    if not ours:
        return []
    sentences = [s for text in evidence for s in split_sentences(text)]
    return [s for s in sentences if len(ours & word_keys(s)) >= _CLOSE * len(ours)]


def _missing_names(claim: str, text: str) -> str:
    """The first name `claim` gives (a capitalized word past its first) that `text` lacks.
    "Chinese" meets "China", "U.S." meets "United States"."""
    known = {w.lower().rstrip(".") for w in re.findall(r"[\w’'.&-]+", text)}
    known |= {part for w in known for part in re.split(r"[’']s?", w) if part}
    lowered = " ".join(text.lower().split())
    prefixes = {w[:4] for w in known if len(w) >= 4}
    for match in _CAPITALIZED.finditer(claim):
        if match.start() == 0 or claim[: match.start()].rstrip().endswith((".", ":", "“", '"')):
            continue  # a sentence's first word is capitalized anyway
        name = re.sub(r"[’']s$", "", match.group()).rstrip(".").lower()
        if name in STOP_WORDS or name in _NOT_NAMES or name in known:
            continue
        if any(alias in lowered for alias in _ALIASES.get(name, ())):
            continue
        if len(name) >= 5 and name[:4] in prefixes:
            continue  # "Chinese" / "China", "Israeli" / "Israel"
        return match.group().rstrip(".")
    return ""


def word_keys(text: str) -> set[str]:
    """Content words cut to four letters (stems disagree: "rate"/"rates"), CJK pairs whole."""
    return {w if not w.isascii() and len(w) == 2 else w[:4] for w in _content_words(text)}


def _content_words(text: str) -> list[str]:
    raw = re.findall(r"[^\W_]+", text.lower())
    return [p for w in raw for p in (cjk_pairs(w) if has_cjk(w) else [w]) if p not in STOP_WORDS]


def _latin(keys: set[str]) -> bool:
    """Whether most of these words are in Latin letters."""
    latin = sum(1 for k in keys if not has_cjk(k))
    return latin * 2 >= len(keys)
