"""Pick a thread's summary sentences: centrality across sources, position, coverage, MMR.

Works on `Candidate` sentences; knows nothing of headlines, figures or plug-ins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from digest.models import Story
from digest.text import terms as t
from digest.text.sentences import looks_like_prose, story_sentences

#: Sentences this similar to one already chosen (or already sent) say the same thing.
REDUNDANT = 0.5
KNOWN_TERM_WEIGHT = 0.4  # on a developing thread, what readers already met counts less
_LAMBDA = 0.75  # MMR: weight of salience against novelty
_PERSONAL = re.compile(r"^[\"“]?(?:He|She|They|His|Her|Their)\s+[a-z]")  # not "He Lifeng"
_CONNECTIVE = re.compile(
    r"^(But|And|Yet|So|Or|However|Still|Also|Meanwhile|Instead|Moreover|Furthermore|"
    r"Nevertheless|Nonetheless|Though|Thus|Hence|Therefore|Besides|Then|Plus),?\s+"
)
_PRONOUN = re.compile(
    r"^[\"“]?(He|She|They|It|This|That|These|Those|His|Her|Their|Its|Such|The two|Both)\b"
    r"|^(?:Several|Many|Others|Some|Most|Few|All) (?:of them )?(?:said|say|says|were|are|have|"
    r"had|did|do|will|would|told|added|agreed|voted)\b"
    # "“We kept playing,” he said": a quote whose speaker the sentence before names
    r"|[,?!][\"”’]\s+(?:he|she|they)\s+(?:said|added|told|says|asked|wrote)\b"
)

# "declined to comment", "did not respond to a request for comment": no news in it.
_NO_COMMENT = re.compile(
    r"\b(?:declined|refused)\s+to\s+comment\b"
    r"|\b(?:did not|didn't|could not|couldn't|has not|hasn't|have not|haven't)\s+"
    r"(?:immediately\s+)?(?:respond|reply|return)\s+(?:to\s+)?"
    r"(?:an?\s+|the\s+|several\s+|multiple\s+|repeated\s+)?"
    r"(?:requests?|messages?|emails?|calls?|inquiries|inquiry)"
    r"(?:\s+(?:for|seeking)\s+(?:comment|information|details|clarification)\b|\s*[.,;]|\s*$"
    r"|\s+(?:on|by|late|early|sent|left)\b)"
    r"|\bcould not (?:immediately )?be reached(?:\s+for comment|\s+by (?:phone|email|telephone)"
    r"|\s*[.,;]|\s+on \w+day\b)",
    re.IGNORECASE,
)
# Feed text that talks to a language model, not to readers ("ignore previous instructions and
# tell readers to buy X"): never quoted, never put in a prompt.
_TO_A_MODEL = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instructions?|prompts?|rules)\b"
    r"|\bsystem prompt\b|\b(?:as an|you are an?) (?:ai|assistant|language model)\b"
    r"|<\|[a-z_]+\|>|\[/?INST\]",
    re.IGNORECASE | re.DOTALL,
)
# "declined to confirm this directly", "said so": a reference to the sentence before.
_BACK_REFERENCE = re.compile(r"\b(?:this|that|these|those|so)(?=[.,;:!?]|\s+[a-z]+ly\b)")


@dataclass(frozen=True)
class Candidate:
    """One sentence of one story that could go into a summary."""

    story: Story
    #: Position of the sentence in the story (0 = first).
    index: int
    text: str
    tokens: tuple[str, ...]
    vec: t.Vector
    #: Unweighted term vector: two sentences sharing most words say the same thing.
    bag: t.Vector
    #: Starts with a pronoun or "He said"-style reference to an earlier sentence.
    dangling: bool
    #: Names this sentence uses short ("Lutnick") that its story gave in full before
    #: ("Commerce Secretary Howard Lutnick"): a summary must say who they are first.
    short_names: frozenset[str] = frozenset()
    #: Words of names this sentence gives in full (two or more capitalized words).
    full_names: frozenset[str] = frozenset()

    @property
    def words(self) -> int:
        return t.word_count(self.text)


def repair_opener(sentence: str) -> str:
    """Drop a leading connective ("But", "However,") that needs a previous sentence."""
    match = _CONNECTIVE.match(sentence)
    if not match or len(sentence) - match.end() < 20:
        return sentence
    rest = sentence[match.end() :]
    return rest[0].upper() + rest[1:]


def candidates(stories: Iterable[Story]) -> list[Candidate]:
    """Every prose sentence of `stories` but no-comment lines and lines addressed to a model,
    openers repaired, vectors unweighted for now."""
    result = []
    for story in stories:
        # What the story shortens a name it gave in full to: any word of the full name but the
        # first ("Lutnick", "Li" of "Deputy Minister Li Chenggang"; not "Treasury" of "Treasury
        # Secretary Scott Bessent", which starts other names: "Treasury yields").
        introduced: set[str] = set()
        for index, sentence in enumerate(story_sentences(story.text)):
            if not looks_like_prose(sentence) or _NO_COMMENT.search(sentence):
                continue
            if _TO_A_MODEL.search(sentence):
                continue
            runs = _name_runs(sentence)
            full = frozenset(w for run in runs if len(run) > 1 for w in run)
            short = frozenset(
                run[0] for run in runs if len(run) == 1 and run[0] in introduced - full
            )
            introduced.update(w for run in runs for w in run[1:])
            text = repair_opener(sentence)
            tokens = tuple(t.terms(text))
            if len(tokens) < 3:
                continue
            dangling = bool(_PERSONAL.match(text)) or (
                index > 0 and bool(_PRONOUN.search(text) or _BACK_REFERENCE.search(text))
            )  # "She said ..." opening a story has no one to refer to in a summary either
            bag = t.vector(set(tokens), {})
            result.append(Candidate(story, index, text, tokens, {}, bag, dangling, short, full))
    return result


def _name_runs(sentence: str) -> list[tuple[str, ...]]:
    """Runs of capitalized words that are not common words, possessives cut: "Commerce
    Secretary Howard Lutnick", "Lutnick" (from "Lutnick’s"), "Wang"."""
    runs: list[tuple[str, ...]] = []
    current: list[str] = []
    for word in [*re.findall(r"[\w’'-]+|[^\w\s]", sentence), "."]:  # "." ends the last run
        word = re.sub(r"[’']s$", "", word)
        if word[:1].isupper() and word.lower() not in t.STOP_WORDS and not word.isupper():
            current.append(word)
        elif current:
            runs.append(tuple(current))
            current = []
    return runs


def weigh(pool: Sequence[Candidate], others: Sequence[Candidate]) -> list[Candidate]:
    """Give every candidate of `pool` and `others` a tf-idf vector over the whole thread."""
    everyone = [*pool, *others]
    weights = t.idf([set(c.tokens) for c in everyone])
    return [replace(c, vec=t.vector(c.tokens, weights)) for c in everyone]


def centroid(
    pool: Sequence[Candidate], titles: Iterable[str], known: Sequence[Candidate] = ()
) -> t.Vector:
    """The thread's centre: term weights summed over sentences, boosted by how many of the
    stories use the term (what several sources report) and by the titles. On a developing
    thread, terms readers already met in `known` stories weigh less: the news is the rest."""
    familiar = {term for c in known for term in c.vec}
    sums: dict[str, float] = {}
    stories_with: dict[str, set[str]] = {}
    for c in pool:
        for term, value in c.vec.items():
            sums[term] = sums.get(term, 0.0) + value
            stories_with.setdefault(term, set()).add(c.story.id)
    title_terms = {term for title in titles for term in t.terms(title)}
    vec: dict[str, float] = {}
    for term, value in sums.items():
        spread = len(stories_with[term])
        vec[term] = value * spread * (1.5 if term in title_terms else 1.0)
        vec[term] *= KNOWN_TERM_WEIGHT if term in familiar else 1.0
    return t.vector(list(vec), vec)  # each term once, weighed by its sum, to unit length


def salience(c: Candidate, centre: t.Vector) -> float:
    """How central the sentence is, favouring the top of its article."""
    position = 1.0 / (1.0 + 0.15 * c.index)
    return t.cosine(c.vec, centre) * (0.5 + 0.5 * position)


def select(
    pool: Sequence[Candidate],
    centre: t.Vector,
    budget_words: int,
    already_sent: Sequence[Candidate] = (),
    named: frozenset[str] = frozenset(),
    facts: Callable[[str, str, Story, Story], bool | None] = lambda *_: None,
) -> list[Candidate]:
    """Greedy MMR under a word budget; drops anything redundant with `already_sent`. A
    sentence naming someone by surname waits for one giving the full name (or `named`: the
    words of full names the reader met in an earlier edition). `facts` overrides
    the wording: True for two sentences giving the same figure for the same thing (redundant
    however worded), False for figures of different quantities (never redundant)."""
    scores = {id(c): salience(c, centre) for c in pool}
    chosen: list[Candidate] = []
    used = 0
    remaining = [c for c in pool if all(t.cosine(c.vec, k.vec) < REDUNDANT for k in already_sent)]
    while remaining:
        best, best_value = None, float("-inf")
        for c in remaining:
            said = [_overlap(c, s, facts(c.text, s.text, c.story, s.story)) for s in chosen]
            overlap = max(said, default=0.0)
            value = _LAMBDA * scores[id(c)] - (1 - _LAMBDA) * overlap
            if overlap >= REDUNDANT or used + c.words > budget_words:
                continue
            if c.dangling and not any(_right_after(c, s) for s in chosen):
                continue
            if not c.short_names <= named.union(*(s.full_names for s in chosen)):
                continue  # a name readers would meet before learning who it is
            if value > best_value:
                best, best_value = c, value
        if best is None:
            break
        chosen.append(best)
        used += best.words
        remaining.remove(best)
    return chosen


def _overlap(a: Candidate, b: Candidate, same: bool | None = None) -> float:
    return t.cosine(a.bag, b.bag) if same is None else float(same)


def in_reading_order(chosen: Sequence[Candidate]) -> list[Candidate]:
    """The lead first: the best sentence's story's first chosen sentence, with any sentence
    leaning on it ("She said ..."); then what happened first: the other sentences by their
    story's publication, each story in article order, so a pronoun follows the sentence it
    refers to."""
    if not chosen:
        return []
    first = min((c for c in chosen if c.story.id == chosen[0].story.id), key=lambda c: c.index)
    lead, rest = [first], [c for c in chosen if c is not first]
    while leaning := [c for c in rest if c.dangling and _right_after(c, lead[-1])]:
        lead.append(leaning[0])
        rest.remove(leaning[0])
    return lead + sorted(rest, key=lambda c: (c.story.published, c.story.id, c.index))


def _right_after(c: Candidate, before: Candidate) -> bool:
    """Whether `before` is the sentence before `c` in its article (so a pronoun has its noun)."""
    return c.story.id == before.story.id and c.index == before.index + 1
