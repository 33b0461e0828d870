"""Names for the quantity a figure measures ("the benchmark rate"), and the word lists they share
with `compare`. Only wording: which figures disagree is decided in `compare`.

A name reads as a short noun phrase led by a lower-case word or a proper noun, or it is "" and the
flag is worded neutrally.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digest.text.terms import STOP_WORDS, terms, words

TIME = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b(?:19|20)\d{2}\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"\b(?:last|this|next) (?:year|month|week|quarter)\b|"
    r"\b(?:january|february|march|april|june|july|august|september|october|november|december)\b|"
    r"\b(?:in|since|by|until|through|from) may\b|"
    # a time of day: turnout "by 2 p.m." or "at noon" is not the final one
    r"\b\d{1,2}(?::\d{2})?\s?[ap]\.m\.?|\b(?:noon|midday|midnight|morning|afternoon|evening)\b",
    re.IGNORECASE,
)
# Who reports a figure is not what it measures: "Officials said", "Statistics show that".
SPEAKER = re.compile(
    r"^.*\b(?:said|says|say|reported|reports|estimated|estimates|showed|shows|show|found|"
    r"finds|told\s+\w+)\s+(?:that\s+)?",
    re.IGNORECASE,
)
# Verbs that state a level, not which quantity it is ("mines"/"produces" 60% of supply) are
# ignored when subjects are compared; directions are kept apart ("rose" is not "fell"), and
# paying for a thing and buying it for a sum name the same price.
VERB_CLASSES = {
    "": """is are was were be been stood stands stand totaled totals reached reaches hit hits
        remained remains held holds came comes amounted produces produced produce mines mined
        makes made accounts accounted controls controlled supplies supplied represents owns
        goes go went""",
    "up": """rose rise rises risen climbed climbs grew grow grows increased increases jumped
        jumps gained gains surged soared raised raises raise hiked""",
    "down": """fell fall falls fallen dropped drops declined declines decreased slipped slid
        plunged tumbled sank cut cuts lowered lost shrank""",
    "buy": """pay pays paid buy buys bought acquire acquires acquired purchase purchases
        purchased""",
}
_STATES = frozenset(VERB_CLASSES[""].split()) | frozenset(
    " ".join(VERB_CLASSES[c] for c in ("up", "down")).split()
)
VERB_CLASS = {t: c for c, ws in VERB_CLASSES.items() for w in ws.split() for t in terms(w)}
# A word after one of these is a bare verb ("will impose tariffs"), not part of a name.
_MODALS = words("will would could can might must shall should to")
# Words that are verbs when a label is cut out of the words before a figure.
_VERBS = (
    frozenset(" ".join(VERB_CLASSES.values()).split())
    | _MODALS
    | words(
        """
    has have had sell sells sold spend spends spent cost costs value values set sets put puts
    expect expects
    """
    )
)
PREPOSITIONS = words(
    """
    to at by of for from with in on into over under than throughout per without across among
    after before during since through
    """
)
# What was done to the things counted, named in a count's label ("the number of people killed").
_COUNT_VERBS = words(
    """
    killed injured wounded arrested detained evacuated displaced rescued added cut lost hired
    fired
    """
)
_LINKS = words("the of in on for and")  # the only small words a label may hold
_ARTICLE = re.compile(r"^(?:the|a|an|its|their|his|her)\s+", re.IGNORECASE)


def label(before: str, obj: str, after: str, unit: str, text: str) -> str:
    """A short name for the quantity ("the benchmark rate"), or "" when none is clean.

    `before`/`after` are the words of the figure's clause, `obj` its "of ..." object, `text`
    the story (to tell a proper noun from a capitalised first word of a sentence).
    """
    before = SPEAKER.sub("", before)
    if unit == "%" and obj:
        owner = re.search(r"([A-Z][\w’'-]+)\s+[a-z]+s(?:\s+for)?\s*$", before)
        described = re.split(r"\s(?:on|in|at|after|before|since|during)\s", obj)[0]
        described = _ARTICLE.sub("", described)
        if not re.match(r"(?:every|each|all)\b", described):
            described = f"the {described}"
        owner_name = f"{owner.group(1)}’s" if owner else "the"
        return _clean(f"{owner_name} share of {described}", text)
    named = noun_run(after.split())
    if unit not in {"%", "$"}:  # a count: "2 million homes", "24 people"
        counted = after.split()[: len(unit.split())]
        if [w.lower() for w in counted] == unit.split():
            named = " ".join(counted)  # "points", not "points lower"
        return _count_label(before, named, after, text)
    if unit == "$" and named:  # "$1.2 trillion infrastructure bill"
        return _clean(f"the {named}", text)
    preposition, tokens, subject = measured_phrase(before)
    last = before.split()[-1].lower().strip(",") if before.split() else ""
    if subject and not preposition and last not in _STATES:
        return ""  # "The jury awarded $10 million": the jury is who, not what is measured
    name = _ARTICLE.sub("the ", " ".join(tokens))
    if preposition == "for" and unit == "$" and name:
        name = f"the price of {name}"
    elif preposition == "of" and name:  # "tariffs of 25% on steel imports"
        place = re.match(r"\s*(on|for|in)\s+(.*)", after)
        run = noun_run(place.group(2).split()) if place else ""
        name = f"{name} {place.group(1)} {run}" if place and run else name
    return _clean(name, text)


def _count_label(before: str, named: str, after: str, text: str) -> str:
    """ "The death toll" (rose to 24 people), "the number of people killed" (killed 24 people,
    24 people were killed), else "the number of people"."""
    preposition, tokens, subject = measured_phrase(before)
    if subject and preposition in {"to", "at"}:  # "The death toll ... rose to 24 people"
        head = noun_run(_ARTICLE.sub("", " ".join(tokens)).split())
        if head and (phrase := _clean(f"the {head}", text)):
            return phrase
    if named == "basis points" and tokens and not subject:  # "cut its key rate by 25 basis points"
        change = {"up": "rise in", "down": "cut to"}.get(_verb_class(before), "change in")
        return _clean(_ARTICLE.sub("the ", " ".join(tokens)), text) and (
            f"the {change} {_ARTICLE.sub('the ', ' '.join(tokens))}"
        )
    done_to = "|".join(sorted(_COUNT_VERBS))
    verb = re.search(rf"\b({done_to})\s*$", before)
    passive = re.match(
        rf"\s*{re.escape(named)}\s+(?:were|was|have been|had been)\s+({done_to})\b", after
    )
    done = verb.group(1) if verb else passive.group(1) if passive else ""
    name = _clean(f"the number of {named}", text)
    return f"{name} {done}" if name and done else name


def _verb_class(before: str) -> str:
    """ "up", "down", "buy" or "" for the last verb of `before` that has a class."""
    classes = [VERB_CLASS[t] for t in terms(before) if VERB_CLASS.get(t)]
    return classes[-1] if classes else ""


def measured_phrase(before: str) -> tuple[str, list[str], bool]:
    """The words before a figure that say what it measures: (the preposition just before the
    figure, the phrase, whether the phrase is the sentence's subject). "The unemployment rate
    rose to 4.2%": ("to", the words before the verb, True). "cut its benchmark rate to 4.25%":
    ("to", the words after the last verb, False)."""
    tokens = before.split()
    preposition = tokens.pop().lower() if tokens and tokens[-1].lower() in PREPOSITIONS else ""
    if tokens and is_verb(tokens[-1]):
        while tokens and is_verb(tokens[-1]):
            tokens.pop()
        return preposition, tokens, True
    verbs = [i for i, token in enumerate(tokens) if is_verb(token)]
    if verbs:
        modal = tokens[verbs[-1]].lower() in _MODALS  # "will impose tariffs of 25%"
        tokens = tokens[verbs[-1] + 1 + modal :]
    return preposition, tokens, False


def proper(word: str, text: str) -> bool:
    """Whether `text` capitalizes `word` mid-sentence: a proper noun, not a sentence's first
    word."""
    return re.search(rf"[^\s.!?\"“”]\s+{re.escape(word)}\b", text) is not None


def is_verb(token: str) -> bool:
    word = token.lower().strip(",.")
    return word in _VERBS or (word.endswith("ed") and len(word) > 4)


def noun_run(tokens: Sequence[str]) -> str:
    """The leading content words ("infrastructure bill" of "infrastructure bill was ...")."""
    run = []
    for token in tokens:
        word = token.strip(".,")
        if not terms(word) or is_verb(word) or word.lower() in PREPOSITIONS:
            break
        run.append(word)
    return " ".join(run)


def _clean(name: str, text: str) -> str:
    """The name if it reads as a short noun phrase, else ""."""
    tokens = name.split()
    lowered = [t.lower() for t in tokens]
    if not 1 <= len(tokens) <= 10 or re.search(r"[\d,;:()\[\]—–.!?\"“”]", name):
        return ""
    if TIME.search(name) or re.search(r"(?:’s|'s|\b\w)$|['’](?:re|ll|ve|d)\b|n['’]t\b", name):
        return ""  # a date in it, or it ends in a possessive or a stray letter ("U" of "U.S.")
    head = lowered[1:] if lowered[0] == "the" else lowered
    if not head or (head == lowered and len(head) < 2 and not tokens[0][0].isupper()):
        return ""  # a lone lower-case word ("send", "rate") is more often a fragment
    inner, ends = lowered[1:-1], {head[0], head[-1]}
    if any((t in STOP_WORDS and t not in _LINKS) or is_verb(t) for t in inner):
        return ""
    if any(t in STOP_WORDS or is_verb(t) or t.endswith(("ing", "ly")) for t in ends):
        return ""
    if tokens[0][0].isupper() and not re.search(r"[’']s$|^[A-Z]{2,}$", tokens[0]):
        first = _case(tokens[0], text)  # "Consumer prices" or "Tesla shares"?
        return f"{first} {' '.join(tokens[1:])}".strip() if first else ""
    return name


def _case(word: str, text: str) -> str | None:
    """`word` as a name uses it: kept when the text capitalises it mid-sentence (a proper noun),
    lower-cased when the text also writes it so, None when the text does not tell."""
    if proper(word, text):
        return word
    if re.search(rf"\b{re.escape(word.lower())}\b", text):
        return word.lower()
    return None
