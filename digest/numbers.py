"""Numbers read out of news text: their value and stated precision ("1,200", decimal commas
"2,4", "0.25"), the figure pattern with its qualifier, currency and unit, and which way a
number moved ("rose 5%", "3% lower"). Shared by `digest.figures` and the plug-in check.
"""

from __future__ import annotations

import re

from digest.figure_labels import VERB_CLASS
from digest.terms import terms

BOUNDARY = re.compile(r"[,;:()—–]|\s(?:and|but|while|whereas|although|because|which|as)\s")
_QUALIFIER = (
    r"(?P<q>(?:around|about|nearly|roughly|almost|approximately|some|over|more than|"
    r"less than|under|at least|up to)\s+)?"
)
# "1,200" groups thousands; "2,4" and "12,5" (one or two digits after the comma) are decimal
# commas; a number is never read from the middle of another one.
NUM = r"\d{1,3}(?:,\d{3})+(?![,\d])|\d{1,3},\d{1,2}(?![,\d])|\d+(?:\.\d+)?(?![,\d])"
NUMBER = re.compile(
    _QUALIFIER + r"(?P<cur>\$\s?)?(?<![\d.,])(?<!\d[-–])(?<![-−–]\s)(?<![-−])"
    rf"(?P<num>{NUM})"
    r"(?P<unit>\s?%|\s(?:percent|per cent)\b|\s(?:million|billion|trillion)\b)?",
    re.IGNORECASE,
)
# (Above: the end of a range, "10-15%", and a signed number, "−5%", are never compared.)
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
SCALE = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
_WAYS = {"up": "up", "higher": "up", "down": "down", "lower": "down"}  # "5% lower"


def numbers(text: str) -> set[float]:
    """The value of every number `text` writes ("1,200", "2,4", "0.25"), read as figures are."""
    return {read(n)[0] for n in re.findall(NUM, text)}


def directions(text: str) -> dict[float, set[str]]:
    """Which way each number of `text` moved: "up" for "rose 5%", "down" for "fell 5%" or
    "5% lower"; a number with no such word before it in its clause, or after it, has none."""
    found: dict[float, set[str]] = {}
    for match in re.finditer(NUM, text):
        clause = BOUNDARY.split(text[: match.start()])[-1].split()[-4:]
        after = text[match.end() :].split()[:2]
        words = [w.lower().strip(".,;:%") for w in [*clause, *after]]
        ways = {_WAYS.get(w) or VERB_CLASS.get(next(iter(terms(w)), ""), "") for w in words}
        found.setdefault(read(match.group())[0], set()).update(ways & {"up", "down"})
    return found


def read(num: str) -> tuple[float, int]:
    """The value of "1,200", "2,4" (a decimal comma) or "0.25", and its number of decimals."""
    if _DECIMAL_COMMA.fullmatch(num):
        whole, _, fraction = num.partition(",")
        return float(f"{whole}.{fraction}"), len(fraction)
    return float(num.replace(",", "")), len(num.partition(".")[2])
