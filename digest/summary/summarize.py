"""Thread -> Summary: headline, dek, attributed sentences and figures that disagree.

The built-in `ExtractiveSummarizer` and the registry (`digest.summarizers` entry points)
that finds it and any plug-in. Every summarizer's output is checked for attribution here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from digest.config import SummarySettings
from digest.errors import ConfigError, DigestError
from digest.models import Citation, Disagreement, Sentence, Story, Summary, Thread
from digest.plugins import broken_plugins, load_plugins
from digest.summary import extractive as ex
from digest.summary.figures.compare import find_disagreements, same_facts
from digest.summary.headline import HEADLINE_CHARS, choose_dek, choose_headline, shorten
from digest.summary.leadin import lead_in_for
from digest.summary.support import normalize, unsupported
from digest.text.sentences import story_sentences

if TYPE_CHECKING:
    from digest.summary.llm import ResponseCache

ENTRY_POINT_GROUP = "digest.summarizers"
# A dateline or a bullet before a sentence: "LONDON (Reuters) - ", "WASHINGTON (AP) — ", "• ".
_LEAD_MARK = re.compile(r"^(?:[A-Z][A-Z .,'-]{1,40}(?:\s*\([^)]{1,30}\))?\s+[-–—]\s+|[•·*▪-]\s+)")
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


def fresh_and_known(thread: Thread, known_ids: frozenset[str]) -> tuple[list[Story], list[Story]]:
    """The thread's stories readers have not seen and those they have; when none is new, all
    count as new (the whole thread is summarized rather than nothing said)."""
    fresh = [s for s in thread.stories if s.id not in known_ids]
    if not fresh:
        return list(thread.stories), []
    return fresh, [s for s in thread.stories if s.id in known_ids]


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
        fresh, known = fresh_and_known(thread, known_story_ids)
        weighed = ex.weigh(ex.candidates(fresh), ex.candidates(known))
        fresh_ids = {s.id for s in fresh}
        pool = [c for c in weighed if c.story.id in fresh_ids]
        sent = [c for c in weighed if c.story.id not in fresh_ids]
        centre = ex.centroid(pool, [s.title for s in fresh], sent)
        headline = choose_headline(fresh, centre) or choose_headline(thread.stories, centre)
        # A headline that is a source's opening sentence is not said twice.
        pool = [c for c in pool if _plain(c.text) != _plain(headline)]
        # A name an earlier edition gave in full is introduced.
        named = frozenset().union(*(c.full_names for c in sent))
        chosen = ex.in_reading_order(ex.select(pool, centre, budget_words, sent, named, same_facts))
        texts = [c.text for c in chosen]
        # On a developing thread, the dek says what the newest stories add.
        newest = sorted(fresh, key=lambda s: s.published, reverse=True) if known else fresh
        dek = choose_dek(newest, headline, texts)
        sentences = tuple(_attribute(c, thread.stories) for c in chosen)
        return Summary(
            headline or shorten(texts[0] if texts else thread.stories[0].title, HEADLINE_CHARS),
            dek,
            sentences,
            _news(find_disagreements(thread.stories), {s.id for s in known}),
            written_by="extractive",
        )


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


def _attribute(candidate: ex.Candidate, stories: Sequence[Story]) -> Sentence:
    """The sentence with a citation for every story (and outlet) whose text contains it."""
    needle = normalize(candidate.text)
    holders = [candidate.story] + [
        s for s in stories if s.id != candidate.story.id and needle in _whole_sentences(s.text)
    ]
    return Sentence(candidate.text, citations_for(holders), lead_in_for(candidate.text))


def citations_for(stories: Sequence[Story]) -> tuple[Citation, ...]:
    """One citation per outlet and URL of `stories`: the same article through two feeds is
    cited once."""
    return tuple(
        dict.fromkeys(
            Citation(story.id, ref.name, ref.url)
            for story in stories
            for ref in story.all_sources()
        )
    )


@lru_cache(maxsize=1024)
def _whole_sentences(text: str) -> frozenset[str]:
    """The sentences `text` writes, normalized, as a summary would quote them: opener repaired
    ("However, shares rose" gives "Shares rose"), a dateline or bullet before them cut ("LONDON
    (Reuters) - ", "• "). "Shares rose 3%." is not one of "Ford shares rose 3%."."""
    found = set()
    for sentence in story_sentences(text):
        found.add(normalize(ex.repair_opener(sentence)))
        lead = _LEAD_MARK.match(sentence)
        if lead:
            found.add(normalize(ex.repair_opener(sentence[lead.end() :])))
    return frozenset(found)


def check_summary(summary: Summary, thread: Thread, name: str) -> Summary:
    """The summary without sentences the stories they cite do not bear out (`support`): a
    paraphrase keeps its facts' words; an invented sentence does not. Each one dropped is
    logged with why and what it cited. DigestError for a sentence that cites no story of the
    thread: a summarizer that cannot attribute is broken, not wrong once."""
    if not isinstance(summary, Summary):
        raise DigestError(f"summarizer {name!r} returned {type(summary).__name__}, not Summary")
    by_id = {s.id: s for s in thread.stories}
    kept = []
    for number, sentence in enumerate(summary.sentences, 1):
        where = f"summarizer {name!r}: sentence {number} of thread {thread.id}"
        if not sentence.citations:
            raise DigestError(f"{where} cites no source")
        strangers = [c.story_id for c in sentence.citations if c.story_id not in by_id]
        if strangers:
            raise DigestError(f"{where} cites {strangers[0]!r}, which is not a story of the thread")
        cited = [by_id[c.story_id] for c in sentence.citations]
        evidence = list(dict.fromkeys(f"{s.source}: {s.title} {s.dek} {s.text}" for s in cited))
        why = unsupported(sentence.text, evidence)
        if why:
            cited_by = sorted({c.source for c in sentence.citations})
            log_dropped(name, thread.id, number, why, cited_by, sentence.text)
        else:
            kept.append(sentence)
    dropped = len(summary.sentences) - len(kept)
    return replace(summary, sentences=tuple(kept), dropped=summary.dropped + dropped)


def log_dropped(
    name: str, thread_id: str, number: int, why: str, cited: Sequence[str], text: str
) -> None:
    """One warning line per sentence a check drops: which, why, what it cited, what it said."""
    log.warning(
        "summarizer %r: dropped sentence %d of thread %s, which %s (cited: %s): %r",
        name,
        number,
        thread_id,
        why,
        ", ".join(cited) or "nothing",
        text[:160],
    )


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
        checked = check_summary(summary, thread, self.name)
        return replace(checked, written_by=checked.written_by or self.name)

    def prepare(self, jobs: Sequence[tuple[Thread, frozenset[str]]], budget_words: int) -> None:
        """Lets a summarizer that calls out (the language model) ask about every thread at once."""
        prepare = getattr(self.inner, "prepare", None)
        if callable(prepare):
            prepare(jobs, budget_words)


def available_summarizers() -> dict[str, Summarizer]:
    """Every summarizer that loads, by name (the built-ins are registered the same way; the
    language model's is listed with its defaults, `load_summarizer` sets it up from the config)."""
    builtins: dict[str, Callable[[], Summarizer]] = {
        "extractive": ExtractiveSummarizer,
        "llm": _llm,
    }
    return load_plugins(ENTRY_POINT_GROUP, builtins, Summarizer)


def _llm(settings: SummarySettings | None = None, cache: ResponseCache | None = None) -> Summarizer:
    from digest.summary.llm import LlmSummarizer  # its HTTP client only when used

    return LlmSummarizer((settings or SummarySettings()).llm, cache)


def load_summarizer(
    name: str, settings: SummarySettings | None = None, cache: ResponseCache | None = None
) -> CheckedSummarizer:
    """The summarizer registered as `name`, its output checked; ConfigError if unknown. The
    language model's is set up from `settings.llm` and keeps its answers in `cache`."""
    if name == "llm":
        return CheckedSummarizer(name, _llm(settings, cache))
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
