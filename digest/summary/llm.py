"""The language-model summarizer (`summary.summarizer = "llm"`): asks an OpenAI-compatible server
to rewrite a thread's sentences as prose, then keeps only what the cited sentences bear out.

Falls back, thread by thread, to the extractive summary: when the call fails, times out or
answers malformed JSON, or when fewer than two sentences survive the check. Never the store:
answers are kept through the `ResponseCache` it is given.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Protocol

import httpx

from digest.config import LlmSettings
from digest.models import Sentence, Story, Summary, Thread
from digest.summary.figures.compare import same_facts
from digest.summary.headline import DEK_CHARS, HEADLINE_CHARS
from digest.summary.leadin import lead_in_for
from digest.summary.llm_client import (
    Answer,
    LlmError,
    SourceLine,
    cache_key,
    call,
    prompt,
    read_answer,
    source_lines,
)
from digest.summary.summarize import (
    ExtractiveSummarizer,
    citations_for,
    fresh_and_known,
    log_dropped,
)
from digest.summary.support import unsupported
from digest.text.terms import word_count

NAME = "llm"
#: Sentences that must survive the check for the model's summary to be used.
MIN_SENTENCES = 2
log = logging.getLogger(__name__)


class ResponseCache(Protocol):
    """Where answers are kept by request key (the store's `LlmCache`)."""

    def get(self, key: str) -> tuple[str, int] | None: ...

    def put(self, key: str, model: str, content: str, tokens: int) -> None: ...


Reply = tuple[str, int] | LlmError  # (content, tokens) or why there is none


class LlmSummarizer:
    """Prose from a language model, each sentence checked against the sentences it cites."""

    def __init__(self, settings: LlmSettings, cache: ResponseCache | None = None) -> None:
        self.settings = settings
        self.cache = cache
        self.extractive = ExtractiveSummarizer()
        self._replies: dict[str, Reply] = {}
        self._schema = True  # until the server rejects `response_format`

    def prepare(self, jobs: Sequence[tuple[Thread, frozenset[str]]], budget_words: int) -> None:
        """Ask about every thread at once, `concurrency` calls under way; cached answers are
        not asked again. `summarize` then reads the replies."""
        asks = {}
        for thread, known in jobs:
            messages = prompt(source_lines(fresh_and_known(thread, known)[0]), budget_words)
            key = cache_key(self.settings, messages)
            if key not in self._replies and not self._cached(key):
                asks[key] = messages
        if not asks:
            return
        workers = min(self.settings.concurrency, len(asks))
        with httpx.Client() as client, ThreadPoolExecutor(workers) as pool:
            futures = {key: pool.submit(self._ask, client, m) for key, m in asks.items()}
            for key, future in futures.items():
                self._keep(key, future.result())

    def summarize(
        self,
        thread: Thread,
        *,
        known_story_ids: frozenset[str] = frozenset(),
        budget_words: int = 100,
    ) -> Summary:
        fallback = replace(
            self.extractive.summarize(
                thread, known_story_ids=known_story_ids, budget_words=budget_words
            ),
            written_by="extractive",
        )
        lines = source_lines(fresh_and_known(thread, known_story_ids)[0])
        if len(lines) < MIN_SENTENCES:
            return fallback
        messages = prompt(lines, budget_words)
        key = cache_key(self.settings, messages)
        if key not in self._replies and not self._cached(key):
            with httpx.Client() as client:
                self._keep(key, self._ask(client, messages))
        reply = self._replies[key]
        try:
            if isinstance(reply, LlmError):
                raise reply
            answer = read_answer(*reply)
        except LlmError as e:
            log.warning("llm: thread %s: %s; its extractive summary is used", thread.id, e)
            return fallback
        return checked(thread, lines, answer, fallback, budget_words)

    def _cached(self, key: str) -> bool:
        found = self.cache.get(key) if self.cache else None
        if found:
            self._replies[key] = found
        return found is not None

    def _ask(self, client: httpx.Client, messages: list[dict[str, str]]) -> Reply:
        try:
            content, tokens, self._schema = call(client, self.settings, messages, self._schema)
        except LlmError as e:
            return e
        return content, tokens

    def _keep(self, key: str, reply: Reply) -> None:
        self._replies[key] = reply
        if self.cache and not isinstance(reply, LlmError):  # a failure is asked again next time
            self.cache.put(key, self.settings.model, *reply)


def checked(
    thread: Thread, lines: Sequence[SourceLine], answer: Answer, fallback: Summary, budget: int
) -> Summary:
    """The model's summary with only the sentences their cited lines bear out, within the word
    budget; the extractive one when fewer than two survive. A headline or dek the lines do not
    bear out is the extractive one."""
    by_id = {line.id: line for line in lines}
    kept: list[tuple[Sentence, Story]] = []
    dropped, used = 0, 0
    for number, (text, cited) in enumerate(answer.sentences, 1):
        why = _unsupported(text, cited, by_id)
        if why:
            dropped += 1
            named = [f"{c} ({by_id[c].story.source})" if c in by_id else c for c in cited]
            log_dropped(NAME, thread.id, number, why, named, text)
            continue
        stories = list({by_id[c].story.id: by_id[c].story for c in cited}.values())
        if any(same_facts(s.text, text, story, stories[0]) for s, story in kept):
            continue  # one fact once, however the model worded it again
        if used + word_count(text) > budget:
            break
        used += word_count(text)
        kept.append((Sentence(text, citations_for(stories), lead_in_for(text)), stories[0]))
    if len(kept) < MIN_SENTENCES:
        log.warning(
            "llm: thread %s: %d sentence(s) bore the check out; its extractive summary is used",
            thread.id,
            len(kept),
        )
        return replace(fallback, dropped=dropped, tokens=answer.tokens)
    everything = [line.text for line in lines]
    return replace(
        fallback,
        headline=_line_or(answer.headline, fallback.headline, everything, HEADLINE_CHARS),
        dek=_line_or(answer.dek, fallback.dek, everything, DEK_CHARS),
        sentences=tuple(sentence for sentence, _ in kept),
        written_by=NAME,
        dropped=dropped,
        tokens=answer.tokens,
    )


def _unsupported(text: str, cited: Sequence[str], by_id: dict[str, SourceLine]) -> str:
    """Why a sentence of the model's fails: its citations, or `support.unsupported`."""
    strangers = [c for c in cited if c not in by_id]
    if strangers:
        return f"cites {strangers[0]!r}, no source line"
    if not cited:
        return "cites nothing"
    # The outlet is evidence too: "..., Blockworks said" citing a line of Blockworks.
    evidence = [f"{by_id[c].story.source}: {by_id[c].text}" for c in cited]
    return unsupported(text, evidence, strict=True)


def _line_or(line: str, fallback: str, evidence: list[str], limit: int) -> str:
    """The model's headline or dek when it fits and the sources bear it out, else `fallback`."""
    if not line or len(line) > limit or unsupported(line, evidence, strict=True):
        return fallback
    return line
