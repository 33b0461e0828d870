"""The corpus statistics that weigh a story's terms: document frequencies and casing evidence
of the stories at hand, IDF, and the unit vectors threading compares.

Open stored threads' stories are counted through the counts kept from the last grouping call
(digest.threads.counts), so only the stories that changed are counted again.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from itertools import repeat
from operator import mul, truediv

from digest.threads.counts import Kept, Keyed, count_in
from digest.threads.similarity import (
    ENTITY_BOOST,
    MAX_TERMS,
    NUMBER_BOOST,
    PRIOR_DOCUMENTS,
    Features,
    Vector,
)


@dataclass
class Corpus:
    """Document frequencies and casing evidence of the stories seen so far."""

    documents: int = 0
    df: Counter[str] = field(default_factory=Counter)
    capitalized: Counter[str] = field(default_factory=Counter)
    lowered: Counter[str] = field(default_factory=Counter)
    #: Per-term IDF x boost, memoized once the corpus is complete (see `vector`).
    _factors: dict[str, float] = field(default_factory=dict)
    #: Stories added with `add_kept`, counted when the corpus is first read.
    _kept: list[Keyed] = field(default_factory=list)

    def add_all(self, features: Iterable[Features]) -> None:
        """Count stories in."""
        self._factors = {}
        count_in(self, list(features))

    def add_kept(self, keys: Iterable[Hashable], features: Iterable[Features]) -> None:
        """`add_all` for stories likely added again on the next grouping call (open stored
        threads'), each named by a key (the same key, the same features). Counted through the
        counts kept from the last call, where only the stories that changed are."""
        self._factors = {}
        self._kept += zip(keys, features, strict=True)

    def _settle(self) -> None:
        """Count in the groups added since the corpus was last read."""
        kept, self._kept = self._kept, []
        with _KEPT_LOCK:
            _KEPT.become(kept)
            self.documents += _KEPT.documents
            self.df = _merged(_KEPT.df, self.df)
            self.capitalized = _merged(_KEPT.capitalized, self.capitalized)
            self.lowered = _merged(_KEPT.lowered, self.lowered)

    def vector(self, features: Features) -> Vector:
        """A unit vector: log-scaled field weights x IDF x name and number boosts."""
        factors = self._factors
        if not isinstance(factors, _Factors):
            if self._kept:
                self._settle()
            factors = self._factors = _Factors(self._factor)
        terms = features.terms
        values = list(map(mul, features.logs, map(factors.__getitem__, terms)))
        if len(values) > MAX_TERMS:
            # Stable, as sorting (term, value) pairs by value: ties keep the heavier-logged first.
            heaviest = sorted(range(len(values)), key=values.__getitem__, reverse=True)
            terms = tuple(terms[i] for i in heaviest[:MAX_TERMS])
            values = [values[i] for i in heaviest[:MAX_TERMS]]
        norm = math.hypot(*values)
        if not norm:
            return {}
        if min(values) > 0:
            return dict(zip(terms, map(truediv, values, repeat(norm)), strict=True))
        return {t: v / norm for t, v in zip(terms, values, strict=True) if v > 0}

    def _factor(self, term: str) -> float:
        """IDF x the number boost, or x (1 + ENTITY_BOOST x how name-like the term is: 0 for
        an ordinary word, 1 for one only ever written capitalized mid-sentence). Pseudo-documents
        without the term keep a small corpus from punishing shared words."""
        idf = math.log((self.documents + PRIOR_DOCUMENTS) / (self.df[term] + 0.5))
        if term.startswith("#"):
            return idf * NUMBER_BOOST
        caps, lows = self.capitalized[term], self.lowered[term]
        return idf * (1 + ENTITY_BOOST * (caps / (caps + lows + 0.5)))


#: What stored threads counted in the last call (`Corpus.add_kept`); a lock, as the counts
#: change while a corpus reads them.
_KEPT = Kept()
_KEPT_LOCK = threading.Lock()


def _merged(kept: Counter[str], mine: Counter[str]) -> Counter[str]:
    """A copy of `kept` with `mine` added (term by term: `mine` is usually the smaller)."""
    merged = kept.copy()
    if mine:
        merged.update(mine)
    return merged


class _Factors(dict[str, float]):
    """Per-term IDF x boost of one complete corpus, each computed on first use."""

    def __init__(self, factor: Callable[[str], float]) -> None:
        super().__init__()
        self._factor = factor

    def __missing__(self, term: str) -> float:
        value = self[term] = self._factor(term)
        return value
