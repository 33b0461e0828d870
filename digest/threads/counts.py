"""Corpus counts of stories (the open stored threads'), kept from one grouping call to the
next: an ingest adds a thousand stories and closes a few hundred threads, so only those are
counted in and out, instead of every open story being counted again on every call.

Counting only; what the counts mean is digest.threads.corpus's (Corpus).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from digest.threads.similarity import Features

#: A story's key (the same key, the same features) and its features.
Keyed = tuple[Hashable, "Features"]


class Counts(Protocol):
    """What a set of stories counts: documents, document frequencies, casing evidence."""

    documents: int
    df: Counter[str]
    capitalized: Counter[str]
    lowered: Counter[str]


def count_in(counts: Counts, stories: Sequence[Features]) -> None:
    """Add `stories` to `counts`."""
    counts.documents += len(stories)
    counts.df.update(chain.from_iterable(f.weights.keys() for f in stories))
    counts.capitalized.update(chain.from_iterable(f.capitalized for f in stories))
    counts.lowered.update(chain.from_iterable(f.lowered for f in stories))


class Kept:
    """Documents, document frequencies and casing counts of exactly the stories last asked for."""

    def __init__(self) -> None:
        self.documents = 0
        self.df: Counter[str] = Counter()
        self.capitalized: Counter[str] = Counter()
        self.lowered: Counter[str] = Counter()
        #: Story key -> how many times it is counted, and its features.
        self._counted: Counter[Hashable] = Counter()
        self._features: dict[Hashable, Features] = {}

    def _clear(self) -> None:
        self.documents = 0
        self.df, self.capitalized, self.lowered = Counter(), Counter(), Counter()
        self._counted = Counter()

    def become(self, stories: Sequence[Keyed]) -> None:
        """Count exactly `stories`: one key always names the same features."""
        want = Counter(key for key, _ in stories)
        features = dict(stories)
        if len(want) == len(stories) and len(self._counted) == self._counted.total():
            # No story twice, now or before (the rule): set differences, in C.
            gone = dict.fromkeys(self._counted.keys() - want.keys(), 1)
            new = dict.fromkeys(want.keys() - self._counted.keys(), 1)
        else:
            gone, new = self._counted - want, want - self._counted
        if sum(gone.values()) + sum(new.values()) >= len(stories):
            self._clear()  # mostly new: counting afresh is cheaper
            gone, new = {}, want
        self._take([self._features[key] for key, n in gone.items() for _ in range(n)])
        count_in(self, [features[key] for key, n in new.items() for _ in range(n)])
        self._counted, self._features = want, features

    def _take(self, stories: Sequence[Features]) -> None:
        self.documents -= len(stories)
        _subtract(self.df, chain.from_iterable(f.weights.keys() for f in stories))
        _subtract(self.capitalized, chain.from_iterable(f.capitalized for f in stories))
        _subtract(self.lowered, chain.from_iterable(f.lowered for f in stories))


def _subtract(counts: Counter[str], terms: Iterable[str]) -> None:
    """Take `terms` out of `counts`, dropping terms that reach 0 (so closed threads' words
    do not pile up)."""
    for term, n in Counter(terms).items():
        left = counts[term] - n
        if left:
            counts[term] = left
        else:
            del counts[term]
