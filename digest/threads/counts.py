"""Corpus counts of groups of stories (each an open stored thread), kept from one grouping call
to the next: an ingest changes a few hundred of the thousands of open threads, so their counts
are taken out and put back instead of every open story being counted again on every call.

Counting only; what the counts mean is digest.threads.similarity's (Corpus).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digest.threads.similarity import Features

Group = tuple[Hashable, Sequence["Features"]]


class Kept:
    """Documents, document frequencies and casing counts of exactly the groups last asked for."""

    def __init__(self) -> None:
        self.documents = 0
        self.df: Counter[str] = Counter()
        self.capitalized: Counter[str] = Counter()
        self.lowered: Counter[str] = Counter()
        #: Key -> how many times it is counted, and its stories' features.
        self._counted: Counter[Hashable] = Counter()
        self._features: dict[Hashable, Sequence[Features]] = {}

    def _clear(self) -> None:
        self.documents = 0
        self.df, self.capitalized, self.lowered = Counter(), Counter(), Counter()

    def become(self, groups: Sequence[Group]) -> None:
        """Count exactly `groups`: one key always names the same stories' features."""
        want = Counter(key for key, _ in groups)
        features = dict(groups)
        gone, new = self._counted - want, want - self._counted
        if gone.total() + new.total() >= len(groups):
            self._clear()  # mostly new: counting afresh is cheaper
            gone, new = Counter(), want
        self._take([f for key, n in gone.items() for _ in range(n) for f in self._features[key]])
        self._add([f for key, n in new.items() for _ in range(n) for f in features[key]])
        self._counted, self._features = want, features

    def _add(self, stories: Sequence[Features]) -> None:
        self.documents += len(stories)
        self.df.update(chain.from_iterable(f.weights.keys() for f in stories))
        self.capitalized.update(chain.from_iterable(f.capitalized for f in stories))
        self.lowered.update(chain.from_iterable(f.lowered for f in stories))

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
