"""Whether evidence bears a sentence out: its content words, every number with its unit, every
name, the direction of every change; no link, no email address, no word to the reader.

One check for every summarizer that writes its own words (plug-ins, the language model) and for
`bench/grounding.py`. Pure: it sees a sentence and the texts it cites, not threads or stories.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from digest.summary.figures.quantities import NUM, NUMBER, SCALE, numbers, read
from digest.text.lexicon import FALL_VERBS, RISE_VERBS, TITLES
from digest.text.sentences import split_sentences
from digest.text.terms import STOP_WORDS, cjk_pairs, has_cjk, terms, words

#: Share of a sentence's content words its evidence must contain when it cites whole stories.
LENIENT = 0.5
#: ... `strict`, when it cites sentences (the language model): a paraphrase keeps most words.
STRICT = 0.7
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
    "spokeswoman spokesperson deputy leader speaker officials official majority minority "
    "presidential"
)
# Short forms a sentence may use for a name its source writes out ("U.S." is "us").
_ALIASES = {
    "us": ("united states", "america"),
    "uk": ("united kingdom", "britain"),
    "eu": ("european union",),
    "un": ("united nations",),
}
#: Content words an evidence sentence must share with a claim to be close to it, and how many
#: of the closest are read for the way a change went.
_CLOSE_WORDS = 2
_CLOSEST = 3
#: "up" or "down" for each word of change and its stem ("increased" -> "increas").
_WAY = {
    key: way
    for way, verbs in (("up", RISE_VERBS), ("down", FALL_VERBS))
    for verb in verbs
    for key in (verb, *terms(verb))
}
# "down 5%", "2% up": a change only beside its number ("shut down" and "set up" are none).
_BY_A_NUMBER = {"up": "up", "down": "down"}
_SPELLED = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
# A verb's ending after a sentence's first word ("Ford recalled", "Intel shares"): the word is
# its subject, a name.
_VERB_END = re.compile(r"[a-z]{3,}(?:ed|es)$")
_SUBJECT_VERBS = words(
    "said says is was are were has had have will would could can won lost led leads faces "
    "faced threatens threatened reported announced"
)


def unsupported(claim: str, evidence: Sequence[str], strict: bool = False) -> str:
    """Why `evidence` does not bear `claim` out, in a few words ("gives 15", "names Paris");
    "" when it does. `strict` is for sentences that cite sentences (the language model): most
    of their words must be there, and a link, an email address or words to the reader drop
    them even when a source has them. Otherwise a sentence its evidence writes whole (a quote)
    is borne out. A sentence in another script than its evidence (a translation) cannot be
    checked for words or names; its numbers still are, and its changes against the words of
    change the evidence writes in English."""
    text = " ".join(evidence)
    if not strict and normalize(claim) in normalize(text):
        return ""
    if _LINK.search(claim) or _EMAIL.search(claim):
        return "has a link or an email address"
    if _TO_READER.search(claim):
        return "speaks to the reader"
    why = _missing_numbers(claim, text) or _turned(claim, evidence, strict)
    ours, theirs = word_keys(claim), word_keys(text)
    if why or _latin(ours) != _latin(theirs):
        return why
    few = bool(ours) and len(ours & theirs) < (STRICT if strict else LENIENT) * len(ours)
    return _missing_names(claim, text) or ("says what" if few else "")


def normalize(text: str) -> str:
    """Case-folded, single-spaced, straight-quoted text, for "does the source contain it"."""
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
    return " ".join(text.translate(table).casefold().split())


def _missing_numbers(claim: str, text: str) -> str:
    """ "gives 15": the first number of `claim` its evidence does not give with the same unit.
    One to ten may be spelled out ("five") or bare ("5 of them"); "1,200" is "1200", "$1.2
    billion" is "1,200 million"."""
    stated = [(_figure(m), (m["cur"] or "").strip()) for m in NUMBER.finditer(text)]
    theirs, values = {f for f, _ in stated}, {value for (value, _), _ in stated}
    spelled = {n for n, word in enumerate(_SPELLED, 1) if re.search(rf"\b{word}\b", text, re.I)}
    written = numbers(text) | spelled
    for match in NUMBER.finditer(claim):
        value, _ = figure = _figure(match)
        small = value.is_integer() and value <= 10 and value in written
        if figure not in theirs and not (small and value not in values):
            return f"gives {match.group('num')}"
        currencies = {c for (v, _), c in stated if v == value and c}  # "£1.2bn" beside "$1.2bn"
        if match["cur"] and currencies and match["cur"].strip() not in currencies:
            return f"gives {match.group(0).strip()}"
    # What no figure reads ("10-15", "COVID-28", "H30") is checked as a bare number: a name
    # with a number its evidence does not write is another name.
    bare = numbers(NUMBER.sub(" ", claim)) - written
    return f"gives {min(bare):g}" if bare else ""


def _figure(match: re.Match[str]) -> tuple[float, bool]:
    """(value, is a percentage) of a figure, scaled: "$1.2 billion" is 1.2e9."""
    unit = (match.group("unit") or "").strip().lower()
    value = read(match.group("num"))[0] * SCALE.get(unit, 1.0)
    return round(value, 6), unit in {"%", "percent", "per cent"}


def _turned(claim: str, evidence: Sequence[str], strict: bool) -> str:
    """How `claim` turns a change its evidence states the other way: "fell 5%" citing "rose
    5%", or "exports fell" where the evidence sentences closest to it say only that they rose
    (`strict`: where they do not say they fell)."""
    ours, stated = _changes(claim), _changes(" ".join(evidence))
    for value, ways in ours.items():
        if value is not None and stated.get(value) and not ways & stated[value]:
            return f"says {value:g} went {'/'.join(sorted(ways))}"
    theirs = set().union(*(_changes(s).get(None, set()) for s in _closest(claim, evidence)))
    flipped = sorted(ours.get(None, set()) - theirs) if theirs or strict else []
    return f"says it went {flipped[0]}" if flipped else ""


def _changes(text: str) -> dict[float | None, set[str]]:
    """Which way each change `text` states went, by the number it went by: "rose 5%", "fell by
    5%", "5% higher"; under None those no number follows ("exports fell"). A level ("fell to
    2.4%") is neither: prices can rise 2.4% while inflation falls to 2.4%."""
    tokens = [token.lower().strip(".,;:!?\"“”'’()") for token in text.split()]
    found: defaultdict[float | None, set[str]] = defaultdict(set)
    for i, word in enumerate(tokens):
        way = _WAY.get(word) or _WAY.get(next(iter(terms(word)), "")) or _BY_A_NUMBER.get(word)
        if not way:
            continue
        # A change follows its amount with a unit ("5% higher", "$2bn lower"; not "10 more days")
        before = _value(tokens[i - 1]) if i and re.search(r"^[$€£]|%$", tokens[i - 1]) else None
        if before is not None:
            found[before].add(way)
        after = tokens[i + 1 : i + 3]
        link = after.pop(0) if after[:1] in (["to"], ["by"]) else ""
        number = _value(after[0]) if after else None
        if number is None and word in _BY_A_NUMBER:
            continue  # "shut down", "set up"
        if number is None or link != "to":  # "fell to 2.4%" is a level
            found[number].add(way)
    return found


def _value(token: str) -> float | None:
    match = re.match(rf"[$€£]?({NUM})", token)
    return read(match.group(1))[0] if match else None


def _closest(claim: str, evidence: Sequence[str]) -> list[str]:
    """The few evidence sentences that share most of `claim`'s content words (two at least)."""
    ours = word_keys(claim)
    scored = [(len(ours & word_keys(s)), s) for text in evidence for s in split_sentences(text)]
    scored.sort(key=lambda pair: -pair[0])
    return [s for shared, s in scored[:_CLOSEST] if shared >= _CLOSE_WORDS]


def _missing_names(claim: str, text: str) -> str:
    """ "names Paris": the first name `claim` gives that `text` lacks, a capitalized word past
    the first, or a first word that reads as a subject's name ("Florida reported", "North
    Korea"). "Chinese" meets "China", "U.S." meets "United States", "Asian" meets "anti-Asian"."""
    tokens = re.findall(r"[\w’'.&-]+", text.lower())
    known = {part.strip(".") for token in tokens for part in re.split(r"[’']s?|-", token)}
    prefixes = {w[:4] for w in known if len(w) >= 4}
    lowered = " ".join(tokens)
    for match in _CAPITALIZED.finditer(claim):
        name = re.split(r"[’']", match.group())[0].strip(".").lower()
        if len(name) < 2 or name in STOP_WORDS | _NOT_NAMES | known:
            continue
        if len(name) >= 5 and name[:4] in prefixes:
            continue  # "Chinese" / "China", "Israeli" / "Israel"
        if any(alias in lowered for alias in _ALIASES.get(name.replace(".", ""), ())):
            continue
        if not _capitalized_anyway(claim, match):
            return f"names {match.group().rstrip('.')}"
    return ""


def _capitalized_anyway(claim: str, match: re.Match[str]) -> bool:
    """Whether a word is capitalized only because it opens a sentence ("Critics", "French"):
    not when the next word makes it a name, another capitalized word ("North Korea") or a verb
    it is the subject of ("Florida reported")."""
    before = claim[: match.start()].rstrip(" “\"‘'(")
    after = (claim[match.end() :].split() or [""])[0].strip(",.;:")
    opening = not before or before.endswith((".", ":", "!", "?"))
    named = after[:1].isupper() or after.lower() in _SUBJECT_VERBS or _VERB_END.match(after)
    return opening and not named


def word_keys(text: str) -> set[str]:
    """Content words cut to four letters (stems disagree: "rate"/"rates"), CJK pairs whole."""
    raw = re.findall(r"[^\W_]+", text.lower())
    content = [p for w in raw for p in (cjk_pairs(w) if has_cjk(w) else [w]) if p not in STOP_WORDS]
    return {w if not w.isascii() and len(w) == 2 else w[:4] for w in content}


def _latin(keys: set[str]) -> bool:
    """Whether most of these words are in Latin letters."""
    latin = sum(1 for k in keys if not has_cjk(k))
    return latin * 2 >= len(keys)
