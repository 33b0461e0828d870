"""Batch clustering of one ingest's new stories: a sparse similarity graph, then average-link.

Pairs come from an inverted index over each story's heaviest terms (terms too common to tell
events apart are not walked), never from all pairs. Knows vectors, times and a pair score; nothing
here knows about stored threads (digest.threads.linking continues those).
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import itemgetter, mul

from digest.threads.similarity import Vector, dot, heaviest

#: Stories a term may index before it stops proposing pairs: a word that common (a weekday,
#: "president" in a day of politics) weighs little and would make the graph all-pairs.
MAX_POSTINGS = 400
#: A story's heaviest terms that look for its partners, and partners kept per story.
QUERY_TERMS = 12
NEIGHBOURS = 25
#: Pairs scoring below this are left out of the graph (counted as 0 in averages).
EDGE_FLOOR = 0.02

#: Share of each side's stories that need a close partner across for two clusters of reports to
#: merge, and the lift under which that is asked (headline rewrites meet on centroids instead).
PARTNERED = 0.75
COVERED_BELOW_LIFT = 0.5

Edges = dict[tuple[int, int], float]
PairScore = Callable[[int, int, float], float]


def similarity_graph(vectors: Sequence[Vector], score: PairScore) -> Edges:
    """(i, j) with i < j -> score(i, j, cosine) for each story's NEIGHBOURS likeliest partners
    among the stories before it: those sharing most weight on its QUERY_TERMS heaviest terms
    that are rare enough to be indexed. The cosine then counts every shared term."""
    postings: dict[str, tuple[list[int], list[float]]] = {}
    for index, vector in enumerate(vectors):
        for term, weight in vector.items():
            found = postings.get(term)
            if found is None:
                found = postings[term] = ([], [])
            found[0].append(index)
            found[1].append(weight)
    edges: Edges = {}
    for index, vector in enumerate(vectors):
        shared = _shared(index, vector, postings)
        # The NEIGHBOURS heaviest, as heapq.nlargest (faster on a few dozen).
        for other, _ in sorted(shared.items(), key=itemgetter(1), reverse=True)[:NEIGHBOURS]:
            value = score(other, index, dot(vectors[other], vector))
            if value > EDGE_FLOOR:
                edges[other, index] = value
    return edges


def _shared(
    index: int, vector: Vector, postings: dict[str, tuple[list[int], list[float]]]
) -> dict[int, float]:
    """Story -> the weight it shares with story `index` on the heaviest terms of `index`, for
    the stories before it. Each pair is proposed by its later story: postings are in order."""
    shared: dict[int, float] | None = None
    for term in heaviest(vector, QUERY_TERMS):
        others, weights = postings[term]
        if len(others) > MAX_POSTINGS:
            continue
        weight = vector[term]
        before = bisect_left(others, index)
        if shared is None:  # as adding to 0.0: the same values, in C
            products = map(mul, repeat(weight), weights[:before])
            shared = dict(zip(others[:before], products, strict=True))
            continue
        get = shared.get
        for other, theirs in zip(others[:before], weights[:before], strict=True):
            shared[other] = get(other, 0.0) + weight * theirs
    return shared or {}


def average_link(
    size: int,
    edges: Edges,
    threshold: float,
    lift: Sequence[float] = (),
    centroids: Centroids | None = None,
    partners: float = 0.0,
) -> list[list[int]]:
    """Clusters of 0..size-1: the two clusters scoring highest merge while that score reaches
    `threshold`. A pair of clusters scores the mean of its pair scores (a pair missing from
    `edges` scores 0), lifted towards the cosine of their centroids by the smaller of the
    two clusters' mean `lift` (0 for all: plain average-link). Where that lift is under
    COVERED_BELOW_LIFT, the pair scores decide, and they must be carried by most members
    (`_covered`: PARTNERED of each side with a pair scoring `partners` or more across; 0: not
    asked). Each cluster lists its members in order; clusters come in order of their first
    member."""
    members: dict[int, list[int]] = {i: [i] for i in range(size)}
    links: dict[int, dict[int, float]] = {i: {} for i in range(size)}
    for (a, b), value in edges.items():
        links[a][b] = links[b][a] = value
    # Story to story, as `links` starts (it then sums pairs cluster to cluster).
    across = {i: dict(row) for i, row in links.items()} if partners else {}
    heap = [(-value, a, b) for (a, b), value in edges.items() if value >= threshold]
    heapq.heapify(heap)
    lifts = {i: lift[i] for i in range(size)} if lift else {}

    def score(a: int, b: int) -> float:
        mean = links[a][b] / (len(members[a]) * len(members[b]))
        if not lifts or centroids is None:
            return mean
        weight = min(lifts[a], lifts[b])
        if mean + weight * (1 - mean) < threshold:
            return mean  # no cosine could lift it that far: spare computing one
        return mean + weight * max(0.0, centroids.cosine(a, b) - mean)

    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in links[a]:
            continue
        if abs(score(a, b) + negative) > 1e-12:
            continue  # stale: one side grew since this entry was pushed
        if (
            across
            and (not lifts or min(lifts[a], lifts[b]) < COVERED_BELOW_LIFT)
            and not _covered(members[a], members[b], across, partners)
        ):
            continue  # joined through a few of their stories: a roundup of two events
        if lifts:
            total = len(members[a]) + len(members[b])
            lifts[a] = (lifts[a] * len(members[a]) + lifts.pop(b) * len(members[b])) / total
        if centroids is not None:
            centroids.merge(a, b)
        _merge(members, links, a, b)
        for other in links[a]:
            value = score(a, other)
            if value >= threshold:
                heapq.heappush(heap, (-value, a, other))
    return sorted((sorted(group) for group in members.values()), key=lambda g: g[0])


def _covered(
    one: list[int], other: list[int], across: dict[int, dict[int, float]], bar: float
) -> bool:
    """Whether PARTNERED of each cluster's stories have a pair scoring `bar` or more with the
    other cluster: two groups of reports joined only through a story or two that covers both
    (a day's roundup, a commentary on a saga) are two events. Two single stories are their
    own pair: the bar already spoke."""
    if len(one) == 1 and len(other) == 1:
        return True
    for side, far in ((one, set(other)), (other, set(one))):
        partnered = sum(
            1 for i in side if any(v >= bar and j in far for j, v in across.get(i, {}).items())
        )
        if partnered < PARTNERED * len(side):
            return False
    return True


class Centroids:
    """Per cluster, the sum of its members' vectors and their mean time: what `average_link`
    lifts a pair of clusters towards."""

    def __init__(
        self, vectors: Sequence[Vector], hours: Sequence[float], damping: Callable[[float], float]
    ) -> None:
        self.sums = {i: dict(v) for i, v in enumerate(vectors)}
        self.norms = {i: 1.0 for i in range(len(vectors))}
        self.hours = {i: (h, 1) for i, h in enumerate(hours)}
        self.damping = damping

    def cosine(self, a: int, b: int) -> float:
        norms = self.norms[a] * self.norms[b]
        if norms <= 0:
            return 0.0
        (ha, na), (hb, nb) = self.hours[a], self.hours[b]
        return dot(self.sums[a], self.sums[b]) / norms * self.damping(abs(ha / na - hb / nb))

    def merge(self, keep: int, gone: int) -> None:
        total = self.sums[keep]
        for term, weight in self.sums.pop(gone).items():
            total[term] = total.get(term, 0.0) + weight
        self.norms[keep] = math.sqrt(math.fsum(map(mul, total.values(), total.values())))
        self.norms.pop(gone)
        (hk, nk), (hg, ng) = self.hours[keep], self.hours.pop(gone)
        self.hours[keep] = (hk + hg, nk + ng)


def _merge(
    members: dict[int, list[int]], links: dict[int, dict[int, float]], keep: int, gone: int
) -> None:
    members[keep] += members.pop(gone)
    row = links[keep]
    for other, total in links.pop(gone).items():
        if other == keep:
            continue
        del links[other][gone]
        row[other] = links[other][keep] = row.get(other, 0.0) + total
    row.pop(gone, None)


def gap_hours(a: dt.datetime, b: dt.datetime) -> float:
    return abs((a - b).total_seconds()) / 3600


def attach_strays(
    groups: list[list[int]], edges: Edges, floor: float, ratio: float
) -> list[list[int]]:
    """Each story average-link left alone joins the cluster it scores highest with (the mean
    of its pair scores with the members) when that reaches `floor` and beats its next-best
    cluster `ratio` times over; else it stays alone. A commentary on an event shares fewer
    words with each report than reports share among themselves, yet on a quiet day only one
    cluster is near it; on a busy one it sits between several and is left alone."""
    home = {i: k for k, group in enumerate(groups) if len(group) > 1 for i in group}
    strays = {group[0]: k for k, group in enumerate(groups) if len(group) == 1}
    totals: dict[int, dict[int, float]] = {}
    for (a, b), value in edges.items():
        for stray, other in ((a, b), (b, a)):
            if stray in strays and other in home:
                near = totals.setdefault(stray, {})
                near[home[other]] = near.get(home[other], 0.0) + value
    joined = {k: list(group) for k, group in enumerate(groups)}
    for stray, near in totals.items():
        means = sorted(((total / len(groups[k]), k) for k, total in near.items()), reverse=True)
        best, k = means[0]
        runner_up = means[1][0] if len(means) > 1 else 0.0
        if best >= floor and best >= ratio * runner_up:
            joined[k].append(stray)
            del joined[strays[stray]]
    return sorted((sorted(group) for group in joined.values()), key=lambda g: g[0])
