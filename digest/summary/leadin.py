"""Bold lead-ins ("Markets:") for summary sentences whose topic is unmistakable.

Deliberately modest: only a few topics, recognized from words the sentence itself uses.
"""

from __future__ import annotations

import re

_MARKETS = re.compile(
    r"\b(S&P 500|Nasdaq|Dow Jones|Dow|stocks?|stock (market|index(es)?)|equities|"
    r"Treasury yields?|bond yields?|bitcoin|crypto(currency)? prices|oil prices|"
    r"(US|U\.S\.|Asian|European|global) markets)\b"
)
_MOVE = re.compile(
    r"\b(up|down|rose|fell|gain(ed|s)?|los(t|s|ses)|climbed|slipped|jumped|dropped|rall(y|ied)|"
    r"higher|lower|muted|flat|reacted)\b|\d%"
)


def lead_in_for(sentence: str) -> str:
    """`Markets:` for a sentence about prices moving; "" when the topic is not that clear."""
    if _MARKETS.search(sentence) and _MOVE.search(sentence):
        return "Markets:"
    return ""
