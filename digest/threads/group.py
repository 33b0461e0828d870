"""Group stories into threads by event, continue open threads across days, rank threads.

Each call clusters its new stories among themselves (digest.threads.clustering), then links
each cluster to the open thread it continues, if any (digest.threads.linking); near-duplicate
copies become one story with several sources. Pure functions of their inputs and `now`: no
clock, no store (see store/threads.py for persistence).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from digest.config import ThreadSettings
from digest.models import Story, Thread
from digest.threads import recency
from digest.threads.clustering import (
    Centroids,
    attach_strays,
    average_link,
    gap_hours,
    similarity_graph,
)
from digest.threads.corpus import Corpus
from digest.threads.growing import Growing, by_time, thread_id
from digest.threads.linking import Linker, Member, join, semantic_blend
from digest.threads.similarity import dot, story_features

if TYPE_CHECKING:
    from digest.threads.semantic import Meaning

#: Mean similarity at which two clusters of new stories are one event, when
#: settings.threshold is 0.
DEFAULT_THRESHOLD = 0.25
#: Two clusters of reports merge only when most stories of each have a pair scoring
#: PARTNER_FACTOR times the bar with the other (`clustering.average_link`).
PARTNER_FACTOR = 1.1
#: A story left alone joins the cluster it scores highest with from STRAY_FLOOR, when that
#: beats its next-best cluster STRAY_RATIO times over (`clustering.attach_strays`).
STRAY_FLOOR = 0.12
STRAY_RATIO = 1.5
#: What a cluster needs to continue a stored thread a day or more before it (`_link_threshold`);
#: a thread whose coverage reaches the cluster's needs the clustering bar (Linker.link).
LINK_THRESHOLD = 0.15
HEADLINE_LINK_THRESHOLD = 0.3
#: How far a headline-only story lifts its cluster's mean pair score towards the cosine of
#: the two clusters' centroids (a story with a lead paragraph: not at all): many rewrites of
#: one headline share a word or two pair by pair, yet their centroids read alike.
HEADLINE_LIFT = 1.5


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
    meaning = None
    if settings.semantic:
        from digest.threads.semantic import Meaning  # the optional extra, loaded on demand

        meaning = Meaning([s for t in live for s in t.stories] + batch, settings.model)
    corpus = Corpus()
    linker = Linker(corpus, meaning)
    for thread in live:
        linker.adopt(thread)  # adds its stories to the corpus
    features = [story_features(story) for story in batch]
    corpus.add_all(features)
    members = list(zip(batch, [corpus.vector(f) for f in features], features, strict=True))
    changed: dict[str, Growing] = {}
    threshold = settings.threshold or DEFAULT_THRESHOLD
    for cluster in _clusters(members, threshold, meaning):
        piece = _piece(cluster, now)
        bar = _link_threshold(cluster)
        home = linker.link(piece, bar, max(bar, threshold)) or piece
        if home is not piece:
            join(home, list(zip(piece.stories, piece.vectors, piece.features, strict=True)), now)
        changed[home.id] = home
    return closed + [thread.freeze() for thread in changed.values()]


def _link_threshold(cluster: Sequence[Member]) -> float:
    """What a cluster needs to continue a stored thread: LINK_THRESHOLD for reports with text,
    up to HEADLINE_LINK_THRESHOLD for headlines alone. A headline says little, and two days'
    headlines on one subject (a game's launch, a recall) are as often two stories as one
    (measured on UCI's headline stream); a report's text tells a development apart."""
    bare = sum(1 for story, _, _ in cluster if _headline_only(story)) / len(cluster)
    return LINK_THRESHOLD + (HEADLINE_LINK_THRESHOLD - LINK_THRESHOLD) * bare


def _headline_only(story: Story) -> bool:
    text = story.text.strip()
    return not text or text == story.title.strip()


def _clusters(
    members: Sequence[Member], threshold: float, meaning: Meaning | None
) -> list[list[Member]]:
    """The new stories clustered among themselves: average-link over their similarity, damped
    by the hours between them (and blended with their meaning, with the semantic extra)."""
    stories = [story for story, _, _ in members]
    vectors = [vector for _, vector, _ in members]

    def score(a: int, b: int, cosine: float) -> float:
        if meaning:
            cosine = semantic_blend(cosine, meaning.pair(stories[a].id, stories[b].id))
        return cosine * recency.pair_damping(gap_hours(stories[a].published, stories[b].published))

    edges = similarity_graph(vectors, score)
    if meaning:
        for a, b in meaning.neighbours([s.id for s in stories]):
            if (a, b) not in edges:
                edges[a, b] = score(a, b, dot(vectors[a], vectors[b]))
    lift = [HEADLINE_LIFT * (1 - recency.evidence(len(vector))) for vector in vectors]
    hours = [s.published.timestamp() / 3600 for s in stories]
    centroids = Centroids(vectors, hours, recency.pair_damping)
    groups = average_link(
        len(members), edges, threshold, lift, centroids, PARTNER_FACTOR * threshold
    )
    groups = attach_strays(groups, edges, STRAY_FLOOR, STRAY_RATIO)
    return [[members[i] for i in group] for group in groups]


def _piece(cluster: Sequence[Member], now: dt.datetime) -> Growing:
    """A cluster as a new thread, named after its first story (copies folded as sources)."""
    first = cluster[0][0]
    piece = Growing(thread_id(first.id), first.first_seen or now, now, [], [], [], first.published)
    join(piece, cluster, now)
    return piece


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
