"""Continuing stored threads: each cluster of new stories joins the open thread it continues,
or opens one. Candidate threads come from an inverted index over their terms, never from all
threads; a stored thread becomes vectors only when it is a candidate.

How new stories group among themselves is digest.threads.clustering's.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from operator import itemgetter
from typing import Protocol

from digest.models import Story, Thread
from digest.threads import recency
from digest.threads.corpus import Corpus
from digest.threads.growing import Growing, centroid_cosine, gap_days
from digest.threads.growing import damping as damping_between
from digest.threads.similarity import (
    MAX_TERMS,
    Features,
    Vector,
    dot,
    heaviest,
    near_duplicate,
    text_features,
)

#: How far the best single story-to-story link counts next to the centroids' cosine.
LINK_WEIGHT = 0.5
#: Query terms used to find candidate threads, postings read per term (newest first), and
#: candidates kept; among a few threads every term asks.
QUERY_TERMS = 8
FEW_THREADS = 100
POSTINGS_PER_TERM = 150
MAX_CANDIDATES = 10
#: Candidates, closest centroids first, whose stories are compared one by one.
LINK_CANDIDATES = 3
#: Heaviest terms of a stored story that put its thread in the index.
INDEXED_TERMS = 24
#: Stored members a new story is compared with one by one (the newest).
LINK_MEMBERS = 30
#: Cosine above which two stories are checked for being copies of one article.
DUPLICATE_CHECK = 0.5


class Semantic(Protocol):
    """Sentence embeddings (digest.threads.semantic.Meaning), when enabled."""

    def between(self, a: Sequence[str], b: Sequence[str]) -> float: ...


Member = tuple[Story, Vector, Features]


class Linker:
    """The open stored threads, indexed by their terms; `link` finds the one a cluster continues."""

    def __init__(self, corpus: Corpus, semantic: Semantic | None = None) -> None:
        self.corpus = corpus
        self.semantic = semantic
        self.threads: list[Growing] = []
        self.postings: dict[str, list[int]] = {}

    def adopt(self, thread: Thread) -> None:
        """Index a stored thread; its stories count in the corpus from now on."""
        first = thread.stories[0].published if thread.stories else thread.opened
        growing = Growing(thread.id, thread.opened, thread.updated, [], [], [], first, new=False)
        growing.latest = max((s.published for s in thread.stories), default=first)
        growing.earliest = first
        texts = tuple((s.title, s.dek, s.text) for s in thread.stories)
        features, terms, growing.evidence = _stored(texts)
        self.corpus.add_kept(texts, features)
        # Vectors wait until the thread is a candidate (most open threads never are).
        growing.pending = list(zip(thread.stories, features, strict=True))
        index = len(self.threads)
        self.threads.append(growing)
        postings = self.postings
        for term in terms:
            found = postings.get(term)
            if found is None:
                postings[term] = [index]
            else:
                found.append(index)

    def link(self, cluster: Growing, threshold: float, fresh: float) -> Growing | None:
        """The stored thread this cluster continues, if any scores its bar or more: `fresh`
        for a thread whose coverage reaches the cluster's (the bar clustering sets within one
        ingest: a batch boundary must not make merging easier), falling to `threshold` as the
        gap grows (`recency.fade`), where the damping already asks for more in common."""
        span = (cluster.earliest or cluster.latest, cluster.latest)
        near = []
        for index in self._candidates(cluster.centroid):
            thread = self.threads[index]
            damping = damping_between(*span, thread, cluster.evidence)
            bar = threshold + (fresh - threshold) * recency.fade(gap_days(*span, thread))
            if damping >= bar:  # else no similarity could reach it: never made vectors
                centroid = centroid_cosine(cluster, self._ready(index)) * damping
                near.append((centroid, index, damping, bar))
        best, best_margin = None, 0.0
        # Story-to-story links are read for the closest centroids only: they cost the most.
        for centroid, index, damping, bar in sorted(near, reverse=True)[:LINK_CANDIDATES]:
            thread = self.threads[index]
            margin = self._score(cluster, thread, centroid, damping) - bar
            if margin >= best_margin:
                best, best_margin = thread, margin
        return best

    def _score(self, cluster: Growing, thread: Growing, centroid: float, damping: float) -> float:
        if centroid <= 0:
            return 0.0
        links = [_best_link(thread, vector) for vector in cluster.vectors]
        link = sum(links) / len(links) * damping
        score = LINK_WEIGHT * link + (1 - LINK_WEIGHT) * centroid
        if self.semantic:
            ids = [s.id for s in cluster.stories]
            meaning = self.semantic.between(ids, [s.id for s in thread.stories])
            # Meaning adds to what the words say across days, never takes from it.
            score = max(score, semantic_blend(score, meaning * damping))
        return score

    def _candidates(self, vector: Mapping[str, float]) -> list[int]:
        shared: dict[int, float] = {}
        asked = len(vector) if len(self.threads) <= FEW_THREADS else QUERY_TERMS
        for term in heaviest(vector, asked):
            weight = vector[term]
            found = self.postings.get(term, [])[-POSTINGS_PER_TERM:]
            if not shared:  # as adding to 0.0 (a thread is posted once per term), in C
                shared = dict.fromkeys(found, weight)
                continue
            get = shared.get
            for index in found:
                shared[index] = get(index, 0.0) + weight
        return [i for i, _ in heapq.nlargest(MAX_CANDIDATES, shared.items(), key=itemgetter(1))]

    def _ready(self, index: int) -> Growing:
        growing = self.threads[index]
        if growing.pending:
            pending, growing.pending = growing.pending, []
            growing.load(pending, [self.corpus.vector(features) for _, features in pending])
        return growing


def join(thread: Growing, members: Sequence[Member], now: dt.datetime) -> None:
    """Add new stories to a thread; a copy of one of its stories becomes a source of it."""
    for story, vector, features in members:
        twin = _twin(thread, vector, features)
        if twin >= 0:
            original = thread.stories[twin]
            urls = {ref.url for ref in original.all_sources()}
            extra = tuple(ref for ref in story.all_sources() if ref.url not in urls)
            thread.stories[twin] = replace(original, sources=original.all_sources() + extra)
        else:
            thread.add(story, vector, features)
    thread.updated = max(thread.updated, now)
    thread.changed = True


#: Weight of the embedding cosine in a blended score, the cosine counted as 0 at
#: SEMANTIC_FLOOR (semantic extra only).
SEMANTIC_WEIGHT = 0.5
SEMANTIC_FLOOR = 0.3


def semantic_blend(words: float, meaning: float) -> float:
    """A similarity of words blended with an embedding cosine (rescaled above its floor)."""
    meaning = max(0.0, meaning - SEMANTIC_FLOOR) / (1 - SEMANTIC_FLOOR)
    return (1 - SEMANTIC_WEIGHT) * words + SEMANTIC_WEIGHT * meaning


def _twin(thread: Growing, vector: Vector, features: Features) -> int:
    link, member = _best_link_member(thread, vector)
    if link >= DUPLICATE_CHECK and near_duplicate(features, thread.features[member]):
        return member
    return -1


@lru_cache(maxsize=16384)
def _stored(
    texts: tuple[tuple[str, str, str], ...],
) -> tuple[tuple[Features, ...], tuple[str, ...], float]:
    """A stored thread's story features, index terms and evidence (what its fullest story
    says), from its stories' title, dek and text: kept between calls, as an open thread
    rarely changes."""
    features = tuple(text_features(*text) for text in texts)
    terms = (t for f in features for t in f.terms[:INDEXED_TERMS])
    evidence = max((recency.evidence(min(len(f.terms), MAX_TERMS)) for f in features), default=0.0)
    return features, tuple(dict.fromkeys(terms)), evidence


def _best_link(growing: Growing, vector: Vector) -> float:
    return _best_link_member(growing, vector)[0]


def _best_link_member(growing: Growing, vector: Vector) -> tuple[float, int]:
    start = max(0, len(growing.vectors) - LINK_MEMBERS)
    best, member = 0.0, -1
    for i in range(start, len(growing.vectors)):
        similarity = dot(vector, growing.vectors[i])
        if similarity > best:
            best, member = similarity, i
    return best, member
