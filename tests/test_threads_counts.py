"""Open threads' counts kept between grouping calls weigh terms exactly as counting afresh."""

from __future__ import annotations

import random

from digest.threads.corpus import Corpus
from digest.threads.similarity import Features, text_features

NAMES = ["Aceh", "Matt Smith", "NASA", "Capaldi", "Tehran", "Nvidia", "ECB", "Manchin"]
WORDS = ["quake", "struck", "cast", "budget", "vote", "rates", "cut", "chips", "deaths", "rose"]


def report(rng: random.Random) -> tuple[str, str, str]:
    def sentence(length: int) -> str:
        picks = rng.sample(NAMES, 2) + rng.choices(WORDS, k=length) + [str(rng.randint(2, 99))]
        rng.shuffle(picks)
        return " ".join(picks).capitalize() + "."

    return sentence(4), "", " ".join(sentence(9) for _ in range(rng.randint(0, 4)))


def fresh(groups: list[tuple[Features, ...]], batch: list[Features]) -> Corpus:
    corpus = Corpus()
    for group in groups:
        corpus.add_all(group)
    corpus.add_all(batch)
    return corpus


def test_kept_counts_weigh_as_counting_afresh_while_threads_change_close_and_repeat() -> None:
    rng = random.Random(5)
    open_now = [tuple(report(rng) for _ in range(rng.randint(1, 4))) for _ in range(30)]
    for _ in range(12):
        # Each call: most threads as before, some closed, some grown, some new, one twice.
        rng.shuffle(open_now)
        grown = [(*texts, report(rng)) for texts in open_now[:3]]
        new = [tuple(report(rng) for _ in range(2)) for _ in range(rng.randint(0, 4))]
        open_now = [*open_now[5 : rng.randint(24, 30)], *grown, *new, open_now[-1]]
        batch = [text_features(*report(rng)) for _ in range(rng.randint(0, 8))]
        kept = Corpus()
        for texts in open_now:
            kept.add_kept(texts, [text_features(*t) for t in texts])
        kept.add_all(batch)
        counted = fresh([tuple(text_features(*t) for t in texts) for texts in open_now], batch)
        for features in batch + [text_features(*t) for texts in open_now for t in texts]:
            assert kept.vector(features) == counted.vector(features)
        assert kept.documents == counted.documents
        assert +kept.df == +counted.df
        assert +kept.capitalized == +counted.capitalized
        assert +kept.lowered == +counted.lowered
