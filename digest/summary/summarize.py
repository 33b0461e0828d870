"""Thread -> Summary: headline, dek, attributed sentences and figures that disagree.

The built-in `ExtractiveSummarizer` and the registry (`digest.summarizers` entry points)
that finds it and any plug-in. Every summarizer's output is checked for attribution here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Protocol, runtime_checkable

from digest.errors import ConfigError, DigestError
from digest.models import Citation, Disagreement, Sentence, Story, Summary, Thread
from digest.plugins import broken_plugins, load_plugins
from digest.summary import extractive as ex
from digest.summary.figures.compare import find_disagreements, same_facts
from digest.summary.figures.quantities import directions, numbers
from digest.summary.headline import HEADLINE_CHARS, choose_dek, choose_headline, shorten
from digest.summary.leadin import lead_in_for
from digest.text.sentences import story_sentences
from digest.text.terms import STOP_WORDS, cjk_pairs, has_cjk

ENTRY_POINT_GROUP = "digest.summarizers"
# A dateline or a bullet before a sentence: "LONDON (Reuters) - ", "WASHINGTON (AP) — ", "• ".
_LEAD_MARK = re.compile(r"^(?:[A-Z][A-Z .,'-]{1,40}(?:\s*\([^)]{1,30}\))?\s+[-–—]\s+|[•·*▪-]\s+)")
#: Share of a plug-in sentence's content words its cited stories must contain.
SUPPORTED = 0.5
log = logging.getLogger(__name__)


@runtime_checkable
class Summarizer(Protocol):
    """Turns a thread into a summary whose every sentence cites a story of the thread."""

    def summarize(
        self,
        thread: Thread,
        *,
        known_story_ids: frozenset[str] = frozenset(),
        budget_words: int = 100,
    ) -> Summary: ...


class ExtractiveSummarizer:
    """Picks sentences the sources wrote (offline, deterministic): central across sources,
    early in their article, not redundant; leads with what readers have not seen yet."""

    def summarize(
        self,
        thread: Thread,
        *,
        known_story_ids: frozenset[str] = frozenset(),
        budget_words: int = 100,
    ) -> Summary:
        if not thread.stories:
            return Summary("", "", ())
        fresh = [s for s in thread.stories if s.id not in known_story_ids]
        known = [s for s in thread.stories if s.id in known_story_ids]
        if not fresh:  # nothing new: summarize the whole thread rather than say nothing
            fresh, known = list(thread.stories), []
        weighed = ex.weigh(ex.candidates(fresh), ex.candidates(known))
        fresh_ids = {s.id for s in fresh}
        pool = [c for c in weighed if c.story.id in fresh_ids]
        sent = [c for c in weighed if c.story.id not in fresh_ids]
        centre = ex.centroid(pool, [s.title for s in fresh], sent)
        headline = choose_headline(fresh, centre) or choose_headline(thread.stories, centre)
        # A headline that is a source's opening sentence is not said twice.
        pool = [c for c in pool if _plain(c.text) != _plain(headline)]
        # A name the headline or an earlier edition gave in full is introduced.
        named = ex.full_names(headline).union(*(c.full_names for c in sent))
        chosen = ex.in_reading_order(
            ex.select(pool, centre, budget_words, sent, named, _same_facts), named
        )
        texts = [c.text for c in chosen]
        if known:  # a developing thread: the dek says what the newest stories add
            dek = choose_dek(
                sorted(fresh, key=lambda s: s.published, reverse=True), headline, texts
            )
        else:
            dek = choose_dek(_by_headline(thread.stories, headline), headline, texts)
        sentences = tuple(_attribute(c, thread.stories) for c in chosen)
        return Summary(
            headline or shorten(texts[0] if texts else thread.stories[0].title, HEADLINE_CHARS),
            dek,
            sentences,
            _news(find_disagreements(thread.stories), {s.id for s in known}),
        )


def _same_facts(a: ex.Candidate, b: ex.Candidate) -> bool | None:
    return same_facts(a.text, b.text, a.story, b.story)


def _plain(text: str) -> str:
    return normalize(text).rstrip(" .!")


def _news(
    disagreements: Sequence[Disagreement], known_story_ids: set[str]
) -> tuple[Disagreement, ...]:
    """The disagreements a fresh story takes part in: one readers were shown is not repeated."""
    return tuple(
        d
        for d in disagreements
        if any(f.citation.story_id not in known_story_ids for f in d.figures)
    )


def _by_headline(stories: Sequence[Story], headline: str) -> list[Story]:
    """The stories, the one whose title became the headline first."""
    return sorted(stories, key=lambda s: not s.title.startswith(headline[:30]))


def _attribute(candidate: ex.Candidate, stories: Sequence[Story]) -> Sentence:
    """The sentence with a citation for every story (and outlet) whose text contains it."""
    needle = normalize(candidate.text)
    holders = [candidate.story] + [
        s for s in stories if s.id != candidate.story.id and needle in _whole_sentences(s.text)
    ]
    # One citation per outlet and URL: the same article through two feeds is cited once.
    citations = tuple(
        dict.fromkeys(
            Citation(story.id, ref.name, ref.url)
            for story in holders
            for ref in story.all_sources()
        )
    )
    return Sentence(candidate.text, citations, lead_in_for(candidate.text))


@lru_cache(maxsize=1024)
def _whole_sentences(text: str) -> frozenset[str]:
    """The sentences `text` writes, normalized, as a summary would quote them: opener repaired
    ("However, shares rose" gives "Shares rose"), a dateline or bullet before them cut ("LONDON
    (Reuters) - ", "• "). "Shares rose 3%." is not one of "Ford shares rose 3%."."""
    found = set()
    for *_, sentence in story_sentences(text):
        found.add(normalize(ex.repair_opener(sentence)))
        lead = _LEAD_MARK.match(sentence)
        if lead:
            found.add(normalize(ex.repair_opener(sentence[lead.end() :])))
    return frozenset(found)


def normalize(text: str) -> str:
    """Case-folded, single-spaced, straight-quoted text, for "does the source contain it"."""
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
    return " ".join(text.translate(table).casefold().split())


def check_summary(summary: Summary, thread: Thread, name: str) -> Summary:
    """Raise DigestError unless every sentence cites at least one story of the thread."""
    if not isinstance(summary, Summary):
        raise DigestError(f"summarizer {name!r} returned {type(summary).__name__}, not Summary")
    story_ids = {s.id for s in thread.stories}
    for number, sentence in enumerate(summary.sentences, 1):
        if not sentence.citations:
            raise DigestError(
                f"summarizer {name!r}: sentence {number} of thread {thread.id} cites no source"
            )
        strangers = [c.story_id for c in sentence.citations if c.story_id not in story_ids]
        if strangers:
            raise DigestError(
                f"summarizer {name!r}: sentence {number} of thread {thread.id} cites "
                f"{strangers[0]!r}, which is not a story of the thread"
            )
    return _supported(summary, thread, name)


def _supported(summary: Summary, thread: Thread, name: str) -> Summary:
    """The summary without sentences its sources do not bear out: a number (past ten) none of
    the stories it cites gives, or fewer than half of its content words (by their first four
    letters, so "rates" meets "rate") in them. A paraphrase keeps its facts' words; an invented
    sentence does not. A sentence in another script than its sources (a translation) cannot be
    checked for words and stays. Each one dropped is logged with why and what it cited."""
    by_id = {s.id: s for s in thread.stories}
    read: dict[str, tuple[set[str], dict[float, set[str]]]] = {}  # story id -> words, numbers
    kept = []
    for number, sentence in enumerate(summary.sentences, 1):
        words, given = _word_keys(sentence.text), _numbers(sentence.text)
        found: set[str] = set()
        stated: dict[float, set[str]] = {}  # number -> the ways the sources say it moved
        for story_id in {c.story_id for c in sentence.citations}:
            if story_id not in read:
                story = by_id[story_id]
                text = f"{story.title} {story.dek} {story.text}"
                read[story_id] = (_word_keys(text), directions(text))
            found |= read[story_id][0]
            for value, ways in read[story_id][1].items():
                stated.setdefault(value, set()).update(ways)
        same_script = _latin(words) == _latin(found)
        turned = [
            (n, ways) for n, ways in directions(sentence.text).items()
            if n in stated and ways and stated[n] and not ways & stated[n]
        ]  # fmt: skip
        if given - stated.keys():  # a figure its sources do not give: the worst thing to invent
            why = f"gives {', '.join(f'{n:g}' for n in sorted(given - stated.keys()))}, which"
        elif turned:  # "fell 5%" citing "rose 5%"
            n, ways = turned[0]
            why = f"says {n:g} went {'/'.join(sorted(ways))}, which"
        elif same_script and words and len(words & found) < SUPPORTED * len(words):
            why = "says what"
        else:
            kept.append(sentence)
            continue
        log.warning(
            "summarizer %r: dropped sentence %d of thread %s, which %s %s does not bear out: %r",
            name,
            number,
            thread.id,
            why,
            ", ".join(sorted({c.source for c in sentence.citations})),
            sentence.text[:120],
        )
    return (
        replace(summary, sentences=tuple(kept)) if len(kept) < len(summary.sentences) else summary
    )


def _numbers(text: str) -> set[float]:
    """The numbers `text` states, read as figures are ("2,4" is 2.4), but not one to ten,
    which a source may spell out ("five")."""
    return {n for n in numbers(text) if not (n.is_integer() and n <= 10)}


def _word_keys(text: str) -> set[str]:
    """Content words cut to four letters (stems disagree: "rate"/"rates"), CJK pairs whole."""
    return {w if not w.isascii() and len(w) == 2 else w[:4] for w in _content_words(text)}


def _content_words(text: str) -> list[str]:
    raw = re.findall(r"[^\W_]+", text.lower())
    return [p for w in raw for p in (cjk_pairs(w) if has_cjk(w) else [w]) if p not in STOP_WORDS]


def _latin(keys: set[str]) -> bool:
    """Whether most of these words are in Latin letters."""
    latin = sum(1 for k in keys if not has_cjk(k))
    return latin * 2 >= len(keys)


class CheckedSummarizer:
    """Wraps a summarizer so that its output is checked for attribution."""

    def __init__(self, name: str, inner: Summarizer) -> None:
        self.name = name
        self.inner = inner

    def summarize(
        self,
        thread: Thread,
        *,
        known_story_ids: frozenset[str] = frozenset(),
        budget_words: int = 100,
    ) -> Summary:
        summary = self.inner.summarize(
            thread, known_story_ids=known_story_ids, budget_words=budget_words
        )
        return check_summary(summary, thread, self.name)


def available_summarizers() -> dict[str, Summarizer]:
    """Every summarizer that loads, by name (the built-in is registered the same way)."""
    return load_plugins(ENTRY_POINT_GROUP, {"extractive": ExtractiveSummarizer}, Summarizer)


def load_summarizer(name: str) -> Summarizer:
    """The summarizer registered as `name`, its output checked; ConfigError if unknown."""
    found = available_summarizers()
    if name in found:
        return CheckedSummarizer(name, found[name])
    broken = broken_plugins().get((ENTRY_POINT_GROUP, name))
    if broken:
        raise DigestError(f"summarizer {name!r} could not be loaded: {broken}")
    names = ", ".join(sorted(found))
    raise ConfigError(
        [f"Config value 'summary.summarizer': unknown summarizer {name!r} (available: {names})"]
    )
