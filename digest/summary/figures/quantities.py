"""Numbers read out of news text: their value and stated precision ("1,200", decimal commas
"2,4", "0.25"), the figure pattern with its qualifier, currency and unit, and which way a
number moved ("rose 5%", "3% lower"). Shared by `compare` and the plug-in check.
"""

from __future__ import annotations

import re

from digest.summary.figures.labels import VERB_CLASS
from digest.text.terms import terms

BOUNDARY = re.compile(r"[,;:()—–]|\s(?:and|but|while|whereas|although|because|which|as)\s")
_QUALIFIER = (
    r"(?P<q>(?:around|about|nearly|roughly|almost|approximately|some|over|more than|"
    r"less than|under|at least|up to)\s+)?"
)
# "1,200" groups thousands; "2,4" and "12,5" (one or two digits after the comma) are decimal
# commas; a number is never read from the middle of another one.
# A comma and a space after a number ends it ("left with 121, officials said").
NUM = r"\d{1,3}(?:,\d{3})+(?!,?\d)|\d{1,3},\d{1,2}(?!,?\d)|\d+(?:\.\d+)?(?!,?\d)"
NUMBER = re.compile(
    _QUALIFIER + r"(?P<cur>\$\s?)?(?<![\d.,])(?<!\d[-–])(?<![-−–]\s)(?<![-−])(?<![A-Za-z])"
    rf"(?P<num>{NUM})"
    r"(?P<unit>\s?%|\s(?:percent|per cent)\b|\s(?:million|billion|trillion)\b)?",
    re.IGNORECASE,
)
# (Above: the end of a range, "10-15%", a signed number, "−5%", and a model, "A320", are never
# compared.)
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
SCALE = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
_WAYS = {"up": "up", "higher": "up", "down": "down", "lower": "down"}  # "5% lower"


def numbers(text: str) -> set[float]:
    """The value of every number `text` writes ("1,200", "2,4", "0.25"), read as figures are."""
    return {read(n)[0] for n in re.findall(NUM, text)}


def directions(text: str) -> dict[float, set[str]]:
    """Which way each change in `text` went: "up" for "rose 5%" or "5% higher", "down" for
    "fell by 5%" or "5% lower". A level ("fell to 2.4%", "down from 2.7%") has no direction:
    prices can rise 2.4% while inflation falls to 2.4%."""
    found: dict[float, set[str]] = {}
    for match in re.finditer(NUM, text):
        before = text[: match.start()].removesuffix("$").split()[-2:]
        if before and before[-1].lower() == "by":
            before = before[:-1]
        verb = before[-1].lower().strip(",") if before else ""
        after = text[match.end() :].lstrip("% ").split()[:1]
        ways = {
            VERB_CLASS.get(next(iter(terms(verb)), ""), ""),
            *(_WAYS.get(w.lower().strip(".,;:"), "") for w in after),
        }
        found.setdefault(read(match.group())[0], set()).update(ways & {"up", "down"})
    return found


def read(num: str) -> tuple[float, int]:
    """The value of "1,200", "2,4" (a decimal comma) or "0.25", and its number of decimals."""
    if _DECIMAL_COMMA.fullmatch(num):
        whole, _, fraction = num.partition(",")
        return float(f"{whole}.{fraction}"), len(fraction)
    return float(num.replace(",", "")), len(num.partition(".")[2])
