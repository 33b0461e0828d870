"""Group stories into threads by event, continue open threads across days, rank threads.

Near-duplicate copies collapse into one story with several sources first. Candidate threads
come from an inverted index over their terms, never from comparing every pair. Pure functions
of their inputs and `now`: no clock, no store (see store/threads.py for persistence).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from digest.config import ThreadSettings
from digest.models import Story, Thread
from digest.threads.grouping import Grouper
from digest.threads.growing import by_time
from digest.threads.similarity import Corpus, story_features

#: Similarity a story needs to join a thread, when settings.threshold is 0.
DEFAULT_THRESHOLD = 0.2


def group_threads(
    stories: Sequence[Story],
    open_threads: Sequence[Thread],
    now: dt.datetime,
    settings: ThreadSettings,
) -> list[Thread]:
    """Place a batch of new stories into the open threads or new ones.

    Returns every thread created or changed, with all its stories (oldest first);
    open threads quiet past the horizon come back closed and take no new stories.
    """
    with _no_cyclic_gc():
        return _group(stories, open_threads, now, settings)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Grouping makes many small containers and no cycles: GC passes over them cost ~20%."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _group(
    stories: Sequence[Story],
    open_threads: Sequence[Thread],
    now: dt.datetime,
    settings: ThreadSettings,
) -> list[Thread]:
    live = [t for t in open_threads if not _is_stale(t, now, settings)]
    closed = [replace(t, closed=True) for t in open_threads if _is_stale(t, now, settings)]
    known = {s.id for t in live for s in t.stories}
    batch = sorted({s.id: s for s in stories if s.id not in known}.values(), key=by_time)
    semantic = None
    if settings.semantic:
        from digest.threads.semantic import (  # the optional extra, loaded on demand
            ThreadVectors,
            embed,
        )

        every = [s for t in live for s in t.stories] + batch
        semantic = ThreadVectors(embed(every, settings.model))
    corpus = Corpus()
    grouper = Grouper(corpus, settings.threshold or DEFAULT_THRESHOLD, now, semantic)
    for thread in live:
        grouper.adopt(thread)  # adds its stories to the corpus
    corpus.add_all(story_features(story) for story in batch)
    for story in batch:
        grouper.place(story)
    grouper.merge_fragments()
    return closed + [g.freeze() for g in grouper.threads if g.changed and not g.absorbed]


def close_stale(
    threads: Sequence[Thread], now: dt.datetime, settings: ThreadSettings
) -> list[Thread]:
    """The open threads with no news for longer than the horizon, now closed."""
    return [
        replace(t, closed=True) for t in threads if not t.closed and _is_stale(t, now, settings)
    ]


def _is_stale(thread: Thread, now: dt.datetime, settings: ThreadSettings) -> bool:
    return now - thread.updated > dt.timedelta(days=settings.horizon_days)


def rank_threads(
    threads: Sequence[Thread], *, weights: Mapping[str, float], now: dt.datetime
) -> list[Thread]:
    """Most distinct outlets first (times the heaviest feed's weight), then fresher first.

    Freshness only breaks ties: a three-outlet thread from yesterday leads a two-outlet one
    from this morning.
    """
    return sorted(
        threads,
        key=lambda t: (
            -_outlets(t) * _weight(t, weights),
            -_freshness(t, now),
            -t.updated.timestamp(),
            t.id,
        ),
    )


def _outlets(thread: Thread) -> int:
    return max(len({ref.name for story in thread.stories for ref in story.all_sources()}), 1)


def _weight(thread: Thread, weights: Mapping[str, float]) -> float:
    refs = [ref for story in thread.stories for ref in story.all_sources()]
    feeds = {ref.feed for ref in refs} | {story.feed for story in thread.stories}
    return max((weights.get(feed, 1.0) for feed in feeds if feed), default=1.0)


def _freshness(thread: Thread, now: dt.datetime) -> float:
    latest = max((s.published for s in thread.stories), default=thread.updated)
    return 1 / (1 + max(0.0, (now - latest).total_seconds() / 86400))
