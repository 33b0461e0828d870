"""What narrows the quantity a figure measures, beyond its words: the measure it gives
("core", "real", "premarket"), the names in its phrase ("California", "iPhone"), the thing a bare
number counts ("24 people"), and whether it is a market quote taken during the day.
Used by `digest.summary.figures.compare` to keep apart figures that only look alike.
"""

from __future__ import annotations

import re

from digest.summary.figures.labels import SPEAKER, TIME, measured_phrase, noun_run, proper
from digest.text.terms import terms

# Words that make a figure another measure of the same thing: core prices are not all
# prices, real growth not nominal growth, adjusted earnings not earnings, a first estimate not
# its revision. One side naming such a measure and the other not is two quantities.
_MEASURE = re.compile(
    r"\b(?:core|real(?! estate)|nominal|(?:seasonally|inflation)[- ]adjusted|adjusted|"
    r"unadjusted|non-adjusted|median|net|gross(?! domestic product)|diluted|underlying|"
    r"preliminary|provisional|flash|revised|annuali[sz]ed|pre-tax|after-tax|organic|"
    r"same-store|like-for-like|comparable(?= (?:sales|store))|trimmed|super-?core|"
    r"pre-?market|after-hours|extended trading|intraday|at one point|as (?:much|high|low) as|"
    r"youth|long-term|part-time|full-time|"
    # a price per share is not a deal's total, a value with debt not one without, a fall from
    # a peak not a day's fall
    r"a share|per share|apiece|including debt|excluding debt|enterprise value|equity value|"
    r"from (?:its|their|the|a) (?:peak|high|low|record|top)|year[- ]to[- ]date)\b",
    re.IGNORECASE,
)
# Market quotes move all day: outlets writing an hour apart see different prices, and neither
# is wrong, unless both give where the market closed or settled.
_QUOTE = re.compile(
    r"\b(?:shares|stocks?|share price|futures|yields?|bitcoin|ether|crude|index|indexes|"
    r"indices|nasdaq|dow|s&p|nikkei|ftse|dax|stoxx|hang seng|kospi|gold|silver|copper|oil|"
    r"brent|wti|dollar|euro|yen|yuan|sterling|treasuries|bonds?|"
    # progress through a day: a fire's containment, votes counted
    r"contained|containment|counted|reporting|without power|outages?)\b"
    r"|\btrad(?:ed|ing)\s+(?:at|up|down|higher|lower|flat|around|near)\b"
    r"|\bin (?:\w+ )?trading\b",
    re.IGNORECASE,
)
_SETTLED = re.compile(r"\b(?:clos(?:e|ed|ing)|ended|settled|finished)\b", re.IGNORECASE)
# Things counted in a bare number ("at least 24 people", "250,000 jobs", "25 basis points"):
# the noun is the figure's unit, one modifier ("more", "confirmed") may stand between.
COUNTED = re.compile(
    r"\s+(?P<noun>(?:(?:more|other|new|additional|confirmed|reported)\s+)?(?:people|persons|"
    r"deaths|dead|fatalities|victims|casualties|injured|injuries|wounded|jobs|workers|employees|"
    r"votes|seats|delegates|migrants|refugees|troops|soldiers|civilians|children|passengers|"
    r"students|patients|hostages|prisoners|arrests|cases|homes|houses|buildings|barrels|"
    r"vehicles|cars|units|residents|members|customers|users|subscribers|flights|points|"
    r"basis points))\b",
    re.IGNORECASE,
)
_SPEAKS = re.compile(r"[’']?s?\s+(?:said|says|reported|reports|announced|told)\b")
# "German", "Chinese", "British", "California": a word opening a sentence that reads as a
# people's or a place's name.
_DEMONYM = re.compile(r"^[A-Z][a-z]{2,}(?:ian|an|ese|ish|i|ia)$")


_SAME_MEASURE = {"a-share": "per-share", "apiece": "per-share"}  # "$25 a share" is "$25 per share"


def measures(sentence: str) -> frozenset[str]:
    """The measure words of `sentence` ("core", "seasonally-adjusted", "as-much-as")."""
    found = (w.lower().replace(" ", "-") for w in _MEASURE.findall(sentence))
    return frozenset(_SAME_MEASURE.get(w, w) for w in found)


def live_quote(sentence: str) -> bool:
    """Whether `sentence` gives a market quote during the day, not a close or a statistic."""
    return bool(_QUOTE.search(sentence)) and not _SETTLED.search(sentence)


def sentence_names(sentence: str, text: str) -> frozenset[str]:
    """Terms of every name in `sentence`, its speaker's too ("Intel said it will cut ..."),
    the opening word only when it reads as a name (see `names`)."""
    return _named(sentence.split(), sentence, text)


def names(before: str, after: str, sentence: str, text: str) -> frozenset[str]:
    """Terms of the names in the phrase a figure measures ("California", "iPhone", "German"):
    the words before the verb in "<phrase> rose to 5%", else the words from the last verb to
    the figure and the noun after it ("the $2 trillion infrastructure bill"). A capitalized
    word opening the sentence counts when it reads as a people's or place's name, or `text`
    capitalizes it mid-sentence too. Dates do not."""
    _, phrase, subject = measured_phrase(SPEAKER.sub("", before))
    if not subject:  # "on the $2 trillion infrastructure bill": the noun after the figure too
        phrase += noun_run(after.split()).split()
    return _named(phrase, sentence, text)


def _named(phrase: list[str], sentence: str, text: str) -> frozenset[str]:
    found = set()
    for token in phrase:
        word = re.sub(r"[’']s$", "", token.strip('.,;:"“”‘’'))
        if not re.search("[A-Z]", word) or TIME.fullmatch(word) or not terms(word):
            continue
        opening = sentence.lstrip("\"“‘'").startswith(word)
        speaker = _SPEAKS.match(sentence.lstrip("\"“‘'")[len(word) :])  # "Intel said ..."
        if opening and not (
            _DEMONYM.search(word) or proper(word, text) or word.isupper() or speaker
        ):
            continue  # "Voter" of "Voter turnout": a name only if the story writes it as one
        found.update(terms(word))
    return frozenset(found)
