"""The grouping engine behind digest.threads.group: threads growing one story at a time.

Each story joins its best candidate thread (centroid and best single link, damped by the
publication gap) or opens one; candidates come from an inverted index over thread terms,
never from all pairs. Stored threads become vectors only when they are candidates.
With the semantic extra, embedding cosine blends into the score and adds candidates.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from operator import itemgetter
from typing import Protocol

from digest.models import Story, Thread
from digest.threads import recency
from digest.threads.growing import (
    Growing,
    centroid_cosine,
    damping,
    first_key,
    gap_days,
    thread_id,
)
from digest.threads.similarity import (
    MAX_TERMS,
    Corpus,
    Features,
    Vector,
    dot,
    near_duplicate,
    story_features,
    text_features,
)

#: How far the best single link counts next to the thread's centroid.
LINK_WEIGHT = 0.5
#: Query terms used to find candidate threads, and postings read per term (newest first).
QUERY_TERMS = 6
FEW_THREADS = 100
POSTINGS_PER_TERM = 150
MAX_CANDIDATES = 10
#: Candidates over about a day away kept, the ones sharing most: turning far threads into
#: vectors is most of what a long horizon costs, and few of them are ever the best.
FAR_CANDIDATES = 3
FAR_DAYS = 1.0
#: Heaviest terms of a stored story that put its thread in the index.
INDEXED_TERMS = 24
#: Candidates scored against their members (the rest only against the centroid).
LINK_CANDIDATES = 4
LINK_MEMBERS = 30
#: Centroid cosine at which two threads of one call are one event split by arrival order;
#: a lone story needs less: it opened a thread only because its few words missed at arrival.
MERGE_THRESHOLD = 0.2
LONE_MERGE_THRESHOLD = 0.15
#: Bound on the rounds of folding (they end when no thread grows, after two or three).
MERGE_ROUNDS = 8
#: Weight of the embedding cosine in a blended score, the cosine counted as 0 at SEMANTIC_FLOOR,
#: and threads fetched by embedding on top of the index's candidates (semantic extra only).
SEMANTIC_WEIGHT = 0.7
SEMANTIC_FLOOR = 0.3
SEMANTIC_CANDIDATES = 8
#: Cosine above which two stories are checked for being copies of one article.
DUPLICATE_CHECK = 0.5


class Semantic(Protocol):
    """Sentence embeddings per thread (digest.threads.semantic.ThreadVectors), when enabled."""

    def add(self, thread: int, story_id: str) -> None: ...
    def similarity(self, story_id: str, thread: int) -> float: ...
    def nearest(self, story_id: str, count: int) -> list[int]: ...


class Grouper:
    """Online grouping: each story joins its best candidate thread or opens one."""

    def __init__(
        self,
        corpus: Corpus,
        threshold: float,
        now: dt.datetime,
        semantic: Semantic | None = None,
    ) -> None:
        self.corpus = corpus
        self.semantic = semantic
        self.threshold = threshold
        self.now = now
        self.threads: list[Growing] = []
        self.postings: dict[str, list[int]] = {}
        self.indexed: list[set[str]] = []
        #: Threads absorbed so far (they stay in the postings).
        self.folds = 0

    def adopt(self, thread: Thread) -> None:
        first = thread.stories[0].published if thread.stories else thread.opened
        growing = Growing(thread.id, thread.opened, thread.updated, [], [], [], first, new=False)
        self._index_new(growing)
        growing.latest = max((s.published for s in thread.stories), default=first)
        growing.earliest = first
        features, terms = _stored(tuple((s.title, s.dek, s.text) for s in thread.stories))
        self.corpus.add_all(features)
        # Vectors wait until the thread is a candidate (most open threads never are).
        growing.pending = list(zip(thread.stories, features, strict=True))
        growing.evidence = max(
            (recency.evidence(min(len(f.logged), MAX_TERMS)) for f in features), default=0.0
        )
        index = len(self.threads) - 1
        if self.semantic:
            for story in thread.stories:
                self.semantic.add(index, story.id)
        self.indexed[index] = set(terms)  # `terms` holds no repeats
        postings = self.postings
        for term in terms:
            postings.setdefault(term, []).append(index)

    def _ready(self, index: int) -> Growing:
        growing = self.threads[index]
        if growing.pending:
            pending, growing.pending = growing.pending, []
            growing.load(pending, [self.corpus.vector(features) for _, features in pending])
        return growing

    def place(self, story: Story) -> None:
        features = story_features(story)
        vector = self.corpus.vector(features)
        best, score, twin = self._best_thread(story, vector, features)
        if twin is not None:
            self._merge_copy(best, twin, story)
        elif best >= 0 and score >= self.threshold:
            self._add(best, story, vector, features)
            self._touch(best)
        else:
            opened = story.first_seen or self.now
            growing = Growing(thread_id(story.id), opened, self.now, [], [], [], story.published)
            self._index_new(growing)
            self._add(len(self.threads) - 1, story, vector, features)
            self._touch(len(self.threads) - 1)

    def _touch(self, index: int) -> None:
        self.threads[index].updated = max(self.threads[index].updated, self.now)
        self.threads[index].changed = True

    def _best_thread(
        self, story: Story, vector: Vector, features: Features
    ) -> tuple[int, float, int | None]:
        """(thread index, score, index of a member this story copies) of the best candidate."""
        when = story.published
        damped = {
            i: damping(when, when, self.threads[i], recency.evidence(len(vector)))
            for i in self._candidates(vector, story.id, when)
        }
        # A thread too far in time cannot reach the threshold: it is never turned into vectors.
        near = [i for i, damping in damped.items() if damping >= self.threshold]
        scored = sorted(
            ((self._ready(i).centroid_similarity(vector), i) for i in near), reverse=True
        )
        best, best_score = -1, 0.0
        for rank, (centroid, index) in enumerate(scored):
            growing = self.threads[index]
            link, member = (0.0, -1) if rank >= LINK_CANDIDATES else _best_link(growing, vector)
            if link >= DUPLICATE_CHECK and near_duplicate(features, growing.features[member]):
                return index, 1.0, member
            score = max(centroid, LINK_WEIGHT * link + (1 - LINK_WEIGHT) * centroid)
            score *= damped[index]
            if self.semantic:
                # Stories on one subject read alike for weeks: meaning fades with time and no
                # floor. A story that plainly continues an older thread still joins it on its
                # words, when merge_fragments folds it in (the words keep the floor there).
                meaning = self.semantic.similarity(story.id, index)
                meaning = max(0.0, meaning - SEMANTIC_FLOOR) / (1 - SEMANTIC_FLOOR)
                fade = recency.fade(gap_days(when, when, growing))
                score = (1 - SEMANTIC_WEIGHT) * score + SEMANTIC_WEIGHT * meaning * fade
            if score > best_score:
                best, best_score = index, score
        return best, best_score, None

    def _candidates(
        self,
        vector: Mapping[str, float],
        story_id: str = "",
        when: dt.datetime | None = None,
        eligible: Callable[[int], bool] | None = None,
    ) -> list[int]:
        """The threads sharing the most weight of this vector's heaviest terms (and meaning),
        among those `eligible` allows (absorbed threads never are).

        With `when`, only the FAR_CANDIDATES threads sharing most are kept among those more
        than about a day from it.
        """
        shared: dict[int, float] = {}
        # Among a few threads every term asks: IDF from a handful of stories weighs least the
        # words they all share ("strike"), and a follow-up's heaviest words may all be new.
        asked = len(vector) if len(self.threads) <= FEW_THREADS else QUERY_TERMS
        for term in heapq.nlargest(asked, vector, key=vector.__getitem__):
            weight = vector[term]
            for index in self.postings.get(term, ())[-POSTINGS_PER_TERM:]:
                shared[index] = shared.get(index, 0.0) + weight
        threads = self.threads
        pairs: Iterable[tuple[int, float]] = shared.items()
        if eligible or self.folds:
            # Filtered before the cut: threads that cannot take part leave room for others.
            pairs = [
                (i, w)
                for i, w in pairs
                if not threads[i].absorbed and (eligible is None or eligible(i))
            ]
        top = heapq.nlargest(MAX_CANDIDATES, pairs, key=itemgetter(1))
        if when:
            far = [i for i, _ in top if gap_days(when, when, self.threads[i]) > FAR_DAYS]
            dropped = set(far[FAR_CANDIDATES:])
            top = [(i, w) for i, w in top if i not in dropped]
        best = [i for i, _ in top]
        if self.semantic and story_id:
            near = self.semantic.nearest(story_id, SEMANTIC_CANDIDATES)
            best += [i for i in near if i not in shared and not threads[i].absorbed]
        return best

    def merge_fragments(self) -> None:
        """Heal splits the one-pass order made: fold a new thread into a close neighbour.

        A fold moves the keeper's centroid, so two of this call's threads that missed each
        other may meet now: threads that grew look again, among this call's threads only, until
        none grows. Stored threads are offered once: a grown fragment's centroid reads like its
        subject and would pull in that subject's coverage from days before.
        """
        seekers = [index for index, growing in enumerate(self.threads) if growing.new]
        for round_ in range(MERGE_ROUNDS):
            grown = set()
            for index in seekers:
                if self.threads[index].absorbed:
                    continue
                target = self._merge_target(index, stored=round_ == 0)
                if target >= 0:
                    grown.add(self._absorb(target, index))
            seekers = sorted(
                i for i in grown if self.threads[i].new and not self.threads[i].absorbed
            )
            if not seekers:
                break

    def _merge_target(self, index: int, *, stored: bool) -> int:
        """The thread `index` should fold into, or -1; `stored=False` skips stored threads."""
        growing = self.threads[index]
        lone = len(growing.stories) == 1
        target, score = -1, LONE_MERGE_THRESHOLD if lone else MERGE_THRESHOLD
        start = growing.earliest or growing.latest
        threads = self.threads
        for other in self._candidates(
            growing.centroid,
            when=growing.latest,
            eligible=lambda i: i != index and (stored or threads[i].new),
        ):
            candidate = threads[other]
            if damping(start, growing.latest, candidate, growing.evidence) < score:
                continue
            similarity = centroid_cosine(growing, self._ready(other))
            if similarity >= score:
                target, score = other, similarity
        return target

    def _absorb(self, keeper: int, index: int) -> int:
        """Fold thread `index` into `keeper`, or the other way when both are new and `index`
        started first (a stored thread always keeps); the index of the thread that kept."""
        growing = self._ready(index)
        if self.threads[keeper].new and first_key(self.threads[keeper]) > first_key(growing):
            keeper, index = index, keeper
            growing = self.threads[index]
        for story, vector, features in zip(
            growing.stories, growing.vectors, growing.features, strict=True
        ):
            self._add(keeper, story, vector, features)
        growing.absorbed = True
        self.folds += 1
        self._touch(keeper)
        return keeper

    def _index_new(self, growing: Growing) -> None:
        self.threads.append(growing)
        self.indexed.append(set())

    def _add(self, index: int, story: Story, vector: Vector, features: Features) -> None:
        self._ready(index).add(story, vector, features)
        if self.semantic:
            self.semantic.add(index, story.id)
        self._index_terms(index, vector)

    def _index_terms(self, index: int, terms: Iterable[str]) -> None:
        seen = self.indexed[index]
        for term in terms:
            if term not in seen:
                seen.add(term)
                self.postings.setdefault(term, []).append(index)

    def _merge_copy(self, index: int, member: int, copy: Story) -> None:
        growing = self.threads[index]
        original = growing.stories[member]
        urls = {ref.url for ref in original.all_sources()}
        extra = tuple(ref for ref in copy.all_sources() if ref.url not in urls)
        growing.stories[member] = replace(original, sources=original.all_sources() + extra)
        self._touch(index)


@lru_cache(maxsize=16384)
def _stored(
    texts: tuple[tuple[str, str, str], ...],
) -> tuple[tuple[Features, ...], tuple[str, ...]]:
    """A stored thread's story features and index terms, from its stories' title, dek and
    text: kept between calls, as an open thread rarely changes."""
    features = tuple(text_features(*text) for text in texts)
    terms = (t for f in features for t, _ in f.logged[:INDEXED_TERMS])
    return features, tuple(dict.fromkeys(terms))


def _best_link(growing: Growing, vector: Vector) -> tuple[float, int]:
    start = max(0, len(growing.vectors) - LINK_MEMBERS)
    best, member = 0.0, -1
    for i in range(start, len(growing.vectors)):
        similarity = dot(vector, growing.vectors[i])
        if similarity > best:
            best, member = similarity, i
    return best, member
