"""Figures that disagree: two sources giving different values for the same quantity.

Precision first: a flag needs the same unit, strongly overlapping wording around both numbers,
the same "of ..." object when either has one, the same subject (no name or content word on each
side that the other lacks), no conflicting dates, values apart beyond rounding, and neither source
stating the other's value too. Lists ("0.3% and 0.5%, respectively") are never compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from digest.models import Citation, Disagreement, Figure, Story
from digest.sentences import looks_like_prose, story_sentences
from digest.terms import STOP_WORDS, terms, words

_QUALIFIER = (
    r"(?P<q>(?:around|about|nearly|roughly|almost|approximately|some|over|more than|"
    r"less than|under|at least|up to)\s+)?"
)
_NUMBER = re.compile(
    _QUALIFIER + r"(?P<cur>\$\s?)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?P<unit>\s?%|\s(?:percent|per cent)\b|\s(?:million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_SCALE = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
_BOUNDARY = re.compile(r"[,;:()—–]|\s(?:and|but|while|whereas|although|because|which|as)\s")
_OBJECT = re.compile(r"^\s*of\s+(?P<obj>[^,;:.()—–]+)")
# Where an "of ..." object ends: a conjunction or a verb ("... of voters backed it").
_OBJECT_END = re.compile(
    r"\s(?:and|but|while|because|which|who|that|is|are|was|were|has|have|had|will|would|"
    r"goes|go|went|[a-z]{3,}ed)\b"
)
_TIME = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b(?:19|20)\d{2}\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"\b(?:last|this|next) (?:year|month|week|quarter)\b",
    re.IGNORECASE,
)
_ANAPHOR = re.compile(r"\b(?:these|those|such)\s+(?P<noun>[a-z]+s)\b")
_UPPER = {"more than", "over", "at least"}  # the true value is above the figure
_LOWER = {"less than", "under", "up to"}  # ... below it
_NOISE = words(
    """
    around about nearly roughly almost approximately some
    """
)
# Who reports a figure is not what it measures: "Officials said", "Statistics show that".
_SPEAKER = re.compile(
    r"^.*\b(?:said|says|say|reported|reports|estimated|estimates|showed|shows|show|found|"
    r"finds|told\s+\w+)\s+(?:that\s+)?",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"\b(?:its|their|his|her)\b", re.IGNORECASE)
# Verbs that state a level, not which quantity it is ("mines"/"produces" 60% of supply) are
# ignored when subjects are compared; directions are kept apart ("rose" is not "fell").
_VERB_CLASSES = {
    "": """is are was were be been stood stands stand totaled totals reached reaches hit hits
        remained remains held holds came comes amounted produces produced produce mines mined
        makes made accounts accounted controls controlled supplies supplied represents owns""",
    "up": """rose rise rises risen climbed climbs grew grow grows increased increases jumped
        jumps gained gains surged soared raised raises raise hiked""",
    "down": """fell fall falls fallen dropped drops declined declines decreased slipped slid
        plunged tumbled sank cut cuts lowered lost shrank""",
}
_VERB_CLASS = {t: c for c, ws in _VERB_CLASSES.items() for w in ws.split() for t in terms(w)}
# Words that are verbs when a label is cut out of the words before a figure.
_VERBS = frozenset(" ".join(_VERB_CLASSES.values()).split()) | words(
    """
    will would could has have had buy buys bought sell sells sold pay pays paid spend spends
    spent cost costs value values set sets put puts expect expects go goes went
    """
)
_PREPOSITIONS = words(
    """
    to at by of for from with in on into over under than throughout per without across among
    after before during since through
    """
)
_LINKS = words("the of in on for and")  # the only small words a label may hold


@dataclass(frozen=True)
class Mention:
    """One figure in one sentence, with the words that say what it measures."""

    value: float
    #: The precision it is stated at: 1 for "60%", 0.1 for "0.3%", 1e12 for "$1 trillion".
    step: float
    shown: str
    unit: str
    qualifier: str
    context: frozenset[str]
    obj: frozenset[str]
    #: What the figure belongs to: the words before it (not who reports it), the "of ..."
    #: object and names after it; verbs that only state a level are left out.
    subject: frozenset[str]
    #: A short clean name for the quantity, or "" when none can be found.
    quantity: str
    times: frozenset[str]
    story: Story


def _resolve(obj: str, previous: Sequence[str]) -> str:
    """Replace "these elements" by the phrase an earlier sentence used ("rare earth elements")."""
    match = _ANAPHOR.search(obj)
    if not match:
        return obj
    noun = match.group("noun")
    for sentence in reversed(previous):
        found = re.search(rf"((?:[A-Za-z-]+\s){{1,3}}){noun}\b", sentence)
        if found:
            words = found.group(1).split()
            while words and not terms(words[0]):
                words.pop(0)
            if words:
                return obj[: match.start()] + " ".join(words) + f" {noun}" + obj[match.end() :]
    return obj


def _unit(match: re.Match[str], after: str) -> tuple[str, float] | None:
    """(unit, multiplier) of a number, or None when it is a bare number we do not compare."""
    raw = (match.group("unit") or "").strip().lower()
    if raw in {"%", "percent", "per cent"}:
        return "%", 1.0
    scale = _SCALE.get(raw, 1.0)
    if match.group("cur"):
        return "$", scale
    if raw in _SCALE:
        noun = re.match(r"\s*([a-z]+)", after)
        return (terms(noun.group(1))[0], scale) if noun and terms(noun.group(1)) else None
    return None


def mentions(story: Story) -> list[Mention]:
    """Every comparable figure in the story's prose sentences."""
    found: list[Mention] = []
    sentences = [s for _, _, s in story_sentences(story.text)]
    for i, sentence in enumerate(sentences):
        if not looks_like_prose(sentence) or "respectively" in sentence:
            continue
        found.extend(_sentence_mentions(sentence, sentences[max(0, i - 2) : i], story))
    return found


def _sentence_mentions(sentence: str, previous: Sequence[str], story: Story) -> list[Mention]:
    bounds = [0, *(m.end() for m in _BOUNDARY.finditer(sentence)), len(sentence)]
    result = []
    matches = [m for m in _NUMBER.finditer(sentence) if _unit(m, sentence[m.end() :])]
    for m in matches:
        start = max(b for b in bounds if b <= m.start())
        end = min((b for b in bounds if b > m.end()), default=len(sentence))
        if sum(start <= o.start() < end for o in matches) > 1:
            continue  # several figures in one clause: which is which is unclear
        unit, scale = _unit(m, sentence[m.end() :]) or ("", 1.0)
        obj_match = _OBJECT.match(sentence[m.end() :])
        obj = _resolve(obj_match.group("obj"), previous) if obj_match else ""
        obj = _OBJECT_END.split(obj)[0].strip()
        clause = sentence[start:end].replace(m.group(0), " ") + " " + obj
        before, after = sentence[start : m.start()], sentence[m.end() : end]
        result.append(
            Mention(
                value=float(m.group("num").replace(",", "")) * scale,
                step=scale * 10 ** -len(m.group("num").partition(".")[2]),
                shown=m.group(0).strip(),
                unit=unit,
                qualifier=(m.group("q") or "").strip().lower(),
                context=frozenset(terms(clause)) - _NOISE,
                obj=frozenset(terms(obj)),
                subject=_subject(before, obj, after),
                quantity=_label(before, obj, after, unit),
                times=frozenset(t.lower() for t in _TIME.findall(sentence)),
                story=story,
            )
        )
    return result


def _subject(before: str, obj: str, after: str) -> frozenset[str]:
    """The words that say whose figure it is; see `Mention.subject`."""
    speaker = _SPEAKER.match(before)
    own = before[speaker.end() :] if speaker else before
    if speaker and _POSSESSIVE.search(own):
        own = before  # "Tesla said its revenue rose": the speaker owns the figure
    names = " ".join(re.findall(r"\b[A-Z][\w’'-]*", after))
    found = {_VERB_CLASS.get(t, t) for t in terms(own)} | set(terms(f"{obj} {names}"))
    return frozenset(found - _NOISE - {""})


def _label(before: str, obj: str, after: str, unit: str) -> str:
    """A short name for the quantity ("the benchmark rate"), or "" when none is clean."""
    before = _SPEAKER.sub("", before)
    if unit == "%" and obj:
        owner = re.search(r"([A-Z][\w’'-]+)\s+[a-z]+s(?:\s+for)?\s*$", before)
        described = re.split(r"\s(?:on|in|at|after|before|since|during)\s", obj)[0]
        described = re.sub(r"^(?:the|a|an|its|their|his|her)\s+", "", described)
        if not re.match(r"(?:every|each|all)\b", described):
            described = f"the {described}"
        label = f"{owner.group(1)}’s" if owner else "the"
        return _clean(f"{label} share of {described}")
    named = _noun_run(after.split())
    if unit not in {"%", "$"}:  # a count: "2 million homes"
        return _clean(f"the number of {named}")
    if unit == "$" and named:  # "$1.2 trillion infrastructure bill"
        return _clean(f"the {named}")
    tokens = before.split()
    preposition = tokens.pop().lower() if tokens and tokens[-1].lower() in _PREPOSITIONS else ""
    if tokens and _is_verb(tokens[-1]):  # "The unemployment rate rose to 4.2%"
        while tokens and _is_verb(tokens[-1]):
            tokens.pop()
    else:  # "cut its benchmark rate to 4.25%": the phrase after the last verb
        verbs = [i for i, token in enumerate(tokens) if _is_verb(token)]
        tokens = tokens[verbs[-1] + 1 :] if verbs else tokens
    label = re.sub(r"^(?:the|a|an|its|their|his|her)\s+", "the ", " ".join(tokens), flags=re.I)
    if preposition == "for" and unit == "$" and label:
        label = f"the price of {label}"
    return _clean(label)


def _is_verb(token: str) -> bool:
    word = token.lower().strip(",.")
    return word in _VERBS or (word.endswith("ed") and len(word) > 4)


def _noun_run(tokens: Sequence[str]) -> str:
    """The leading content words ("infrastructure bill" of "infrastructure bill was ...")."""
    run = []
    for token in tokens:
        word = token.strip(".,")
        if not terms(word) or _is_verb(word) or word.lower() in _PREPOSITIONS:
            break
        run.append(word)
    return " ".join(run)


def _clean(label: str) -> str:
    """The label if it reads as a short noun phrase, else "" (the flag is then worded neutrally)."""
    tokens = label.split()
    lowered = [t.lower() for t in tokens]
    if not 1 <= len(tokens) <= 10 or re.search(r"[\d,;:()\[\]—–.!?\"“”]", label):
        return ""
    if _TIME.search(label) or re.search(r"(?:’s|'s|\b\w)$|['’](?:re|ll|ve|d)\b|n['’]t\b", label):
        return ""  # a date in it, or it ends in a possessive or a stray letter ("U" of "U.S.")
    head = lowered[1:] if lowered[0] == "the" else lowered
    if not head or (head == lowered and len(head) < 2 and not tokens[0][0].isupper()):
        return ""  # a lone lower-case word ("send", "rate") is more often a fragment
    inner, ends = lowered[1:-1], {head[0], head[-1]}
    if any((t in STOP_WORDS and t not in _LINKS) or _is_verb(t) for t in inner):
        return ""
    if any(t in STOP_WORDS or _is_verb(t) or t.endswith(("ing", "ly")) for t in ends):
        return ""
    return label


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _consistent(a: Mention, b: Mention) -> bool:
    """Whether the two values can both be true: equal after rounding, or bounded that way."""
    low, high = (a, b) if a.value <= b.value else (b, a)
    if high.value - low.value <= max(low.step, high.step) / 2 or high.value <= low.value * 1.02:
        return True
    return low.qualifier in _UPPER or high.qualifier in _LOWER


def _similar(a: Mention, b: Mention) -> bool:
    """Whether two mentions, from any sources, measure the same thing."""
    if a.unit != b.unit:
        return False
    if (a.obj or b.obj) and _jaccard(a.obj, b.obj) < 0.6:
        return False
    if a.times and b.times and a.times != b.times:
        return False
    if a.subject - b.subject and b.subject - a.subject:
        return False  # "Tesla shares" and "Ford shares", "mining" and "processing"
    return len(a.context & b.context) >= 3 and _jaccard(a.context, b.context) >= 0.5


def same_quantity(a: Mention, b: Mention) -> bool:
    """Whether two sources' mentions measure the same thing (see the module's rules)."""
    return a.story.source != b.story.source and _similar(a, b)


def _states(source: str, m: Mention, pool: Sequence[Mention]) -> bool:
    """Whether `source` itself states a value consistent with `m` for the same quantity."""
    return any(n.story.source == source and _similar(n, m) and _consistent(n, m) for n in pool)


def _disputed(a: Mention, b: Mention, pool: Sequence[Mention]) -> bool:
    return (
        same_quantity(a, b)
        and not _consistent(a, b)
        and not _states(b.story.source, a, pool)
        and not _states(a.story.source, b, pool)
    )


def find_disagreements(stories: Sequence[Story]) -> tuple[Disagreement, ...]:
    """One Disagreement per quantity on which two sources of the thread give different values."""
    pool = [m for story in stories for m in mentions(story)]
    result: list[Disagreement] = []
    flagged: set[int] = set()
    for i, a in enumerate(pool):
        if i in flagged:
            continue
        group = [a]
        for j in range(i + 1, len(pool)):
            b = pool[j]
            if (
                j not in flagged
                and all(b.story.source != g.story.source for g in group)
                and _disputed(a, b, pool)
            ):
                group.append(b)
                flagged.add(j)
        if len(group) > 1:
            figures = tuple(Figure(m.shown, _cite(m.story)) for m in group)
            quantity = next((m.quantity for m in group if m.quantity), "")
            result.append(Disagreement(quantity, figures))
    return tuple(result)


def _cite(story: Story) -> Citation:
    return Citation(story.id, story.source, story.url)
