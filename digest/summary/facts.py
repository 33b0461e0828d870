"""One fact once: two sentences that give the same telling figure for the same thing, however
worded ("Shares of Nvidia fell 3% in after-hours trading" / "Nvidia shares dropped 3% after the
bell"). Adds to `figures.compare.same_facts`, which needs alike wording around the figure.
"""

from __future__ import annotations

import re
from functools import lru_cache

from digest.models import Story
from digest.summary.figures.compare import same_facts
from digest.summary.support import figures
from digest.text.terms import STOP_WORDS

_NAME = re.compile(r"\b[A-Z][\w&-]*")


def same_fact(a: str, b: str, story_a: Story, story_b: Story) -> bool | None:
    """True when `b` says again what `a` says (`restated`, or the same value for the same
    quantity by `figures.compare.same_facts`); False for figures of different quantities;
    None when the figures do not tell."""
    if restated(a, b, story_a, story_b):
        return True
    return same_facts(a, b, story_a, story_b)


def restated(a: str, b: str, story_a: Story, story_b: Story) -> bool:
    """Whether `b` says again what `a` says: the same telling figures (a percentage or a sum of
    money; not a bare count, which many things share), and no name in either that the other's
    story never gives ("Apple" / "Microsoft")."""
    ours = _telling(a)
    if not ours or ours != _telling(b):
        return False
    return not (_strangers(a, story_b) and _strangers(b, story_a))


@lru_cache(maxsize=4096)
def _telling(text: str) -> frozenset[tuple[float, bool]]:
    money = "$" in text or "€" in text or "£" in text
    return frozenset((v, pct) for v, pct in figures(text) if pct or (money and v >= 1000))


def _strangers(sentence: str, other: Story) -> set[str]:
    """Capitalized words of `sentence` that the other story never writes."""
    words = set(re.findall(r"[\w&-]+", f"{other.title} {other.text}".lower()))
    names = {n.lower() for n in _NAME.findall(sentence)} - STOP_WORDS
    return {n for n in names if n not in words}
