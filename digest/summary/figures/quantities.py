"""Numbers read out of news text: their value and stated precision ("1,200", decimal commas
"2,4", "0.25"), and the figure pattern with its qualifier, currency and unit. Shared by
`mentions` and the support check.
"""

from __future__ import annotations

import re

from digest.text.lexicon import QUALIFIERS

# "1,200" groups thousands; "2,4" and "12,5" (one or two digits after the comma) are decimal
# commas; a number is never read from the middle of another one, nor after a comma and a space.
NUM = r"\d{1,3}(?:,\d{3})+(?!,?\d)|\d{1,3},\d{1,2}(?!,?\d)|\d+(?:\.\d+)?(?!,?\d)"
# The end of a range ("10-15%"), a signed number ("−5%") and a model ("A320") are not figures.
NUMBER = re.compile(
    rf"(?P<q>(?:{'|'.join(QUALIFIERS)})\s+)?(?P<cur>[$€£]\s?)?"
    r"(?<![\d.,])(?<!\d[-–])(?<![-−–]\s)(?<![-−])(?<![A-Za-z])"
    rf"(?P<num>{NUM})"
    r"(?P<unit>\s?%|\s(?:percent|per cent)\b|\s(?:million|billion|trillion)\b"
    # after a currency sign, a scale may be cut short: "$1.8B", "$2M", "$3.5mn", "$19 bln"
    r"|(?(cur)\s?(?:bn|bln|mn|mln|b|m)\b|(?!)))?",
    re.IGNORECASE,
)
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
SCALE = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
SCALE |= {"m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9}


def numbers(text: str) -> set[float]:
    """The value of every number `text` writes ("1,200", "2,4", "0.25"), read as figures are."""
    return {read(n)[0] for n in re.findall(NUM, text)}


def read(num: str) -> tuple[float, int]:
    """The value of "1,200", "2,4" (a decimal comma) or "0.25", and its number of decimals."""
    if _DECIMAL_COMMA.fullmatch(num):
        whole, _, fraction = num.partition(",")
        return float(f"{whole}.{fraction}"), len(fraction)
    return float(num.replace(",", "")), len(num.partition(".")[2])
