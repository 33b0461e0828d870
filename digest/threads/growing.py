"""A thread while one grouping call grows it: its stories, their vectors, its centroid, and
how close in time and words another thread is to it.

No index and no decisions: which cluster continues which thread is digest.threads.linking's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from operator import mul

from digest.models import Story, Thread
from digest.threads import recency
from digest.threads.similarity import Features, Vector, dot


@dataclass
class Growing:
    """A thread while this call grows it: its stories, their vectors, its centroid."""

    id: str
    opened: dt.datetime
    updated: dt.datetime
    stories: list[Story]
    vectors: list[Vector]
    features: list[Features]
    latest: dt.datetime
    earliest: dt.datetime | None = None
    centroid: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    changed: bool = False
    #: False for threads loaded from the store: their ids are already in editions.
    new: bool = True
    #: Stored stories not yet turned into vectors: done only if the thread is a candidate.
    pending: list[tuple[Story, Features]] = field(default_factory=list)
    #: What its fullest story says (`recency.evidence`; stored ones counted on adoption).
    evidence: float = 0.0

    def add(self, story: Story, vector: Vector, features: Features) -> None:
        self.stories.append(story)
        self.vectors.append(vector)
        self.features.append(features)
        self.latest = max(self.latest, story.published)
        self.earliest = min(self.earliest or story.published, story.published)
        self.evidence = max(self.evidence, recency.evidence(len(vector)))
        for term, weight in vector.items():
            old = self.centroid.get(term, 0.0)
            self.centroid[term] = old + weight
            self.norm2 += (old + weight) ** 2 - old * old

    def load(self, pending: list[tuple[Story, Features]], vectors: list[Vector]) -> None:
        """Take a stored thread's stories at once (as `add` each, with one centroid pass)."""
        self.stories += [story for story, _ in pending]
        self.features += [features for _, features in pending]
        centroid = self.centroid
        get = centroid.get
        for vector in vectors:
            if not centroid:
                centroid.update(vector)  # as adding to 0.0: the same values, in C
                continue
            for term, weight in vector.items():
                centroid[term] = get(term, 0.0) + weight
        self.vectors += vectors
        self.norm2 = math.fsum(map(mul, centroid.values(), centroid.values()))

    def freeze(self) -> Thread:
        every = self.stories + [story for story, _ in self.pending]
        stories = tuple(sorted(every, key=lambda s: (s.published, s.id)))
        return Thread(self.id, stories, self.opened, self.updated)


def thread_id(first_story_id: str) -> str:
    """Stable: the same first story always names the same thread."""
    return "t-" + hashlib.sha1(first_story_id.encode()).hexdigest()[:12]  # noqa: S324


def by_time(story: Story) -> tuple[dt.datetime, str]:
    return (story.published, story.id)


def centroid_cosine(a: Growing, b: Growing) -> float:
    if a.norm2 <= 0 or b.norm2 <= 0:
        return 0.0
    return dot(a.centroid, b.centroid) / math.sqrt(a.norm2 * b.norm2)


def gap_days(start: dt.datetime, end: dt.datetime, growing: Growing) -> float:
    """Days between a time span and a thread's span of coverage; 0 when they overlap."""
    first = growing.earliest or growing.latest
    if end < first:
        return (first - end).total_seconds() / 86400
    return max(0.0, (start - growing.latest).total_seconds() / 86400)


def damping(start: dt.datetime, end: dt.datetime, growing: Growing, evidence: float) -> float:
    """The most any score of this span against this thread can be once the gap damps it;
    `evidence` is what the compared stories say (`recency.evidence`)."""
    stored = None if growing.new else growing.evidence
    return recency.damping(gap_days(start, end, growing), evidence, stored)
