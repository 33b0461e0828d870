"""Threading at scale: a replayed synthetic stream of 1k, 10k and 100k stories.

Stories arrive about 1,000 a day, in daily batches carried over like the store does,
through the same `group_threads` editions use. Prints wall time and peak memory per size.
The stream is synthetic (invented names and words), so it needs no shared data.

    .venv/bin/python bench/threads_scale.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator

from digest.config import ThreadSettings
from digest.models import SourceRef, Story, Thread
from digest.threads.group import group_threads

PER_DAY = 1000
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "te",
    "su",
    "no",
    "vi",
    "da",
    "pe",
    "zu",
    "ho",
    "li",
    "ga",
    "mo",
    "re",
    "ta",
    "fi",
    "bu",
    "ne",
    "sa",
    "ko",
]
FILLER = [
    "the",
    "a",
    "of",
    "in",
    "on",
    "and",
    "to",
    "says",
    "after",
    "new",
    "report",
    "over",
    "amid",
    "with",
    "for",
    "as",
    "its",
]


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def stream(total: int, seed: int = 1) -> Iterator[Story]:
    """Events with their own names and words, each covered by a few outlets over a few days."""
    rng = random.Random(seed)
    vocabulary = [word(rng, rng.randint(2, 4)) for _ in range(20000)]
    outlets = [word(rng, 2).title() + " News" for _ in range(300)]
    events: list[tuple[list[str], list[str], float]] = []
    for n in range(total):
        day = n / PER_DAY
        if not events or rng.random() < 0.35:
            names = [word(rng, 3).title() for _ in range(3)]
            topic = rng.choices(
                vocabulary, weights=[1 / (i + 1) for i in range(len(vocabulary))], k=8
            )
            events.append((names, topic, day))
            events = [e for e in events if day - e[2] < 3][-400:]
        names, topic, _ = rng.choice(events[-200:])
        yield _story(rng, n, day, names, topic, rng.choice(outlets), vocabulary)


def _story(
    rng: random.Random,
    n: int,
    day: float,
    names: list[str],
    topic: list[str],
    outlet: str,
    vocabulary: list[str],
) -> Story:
    def sentence(length: int) -> str:
        picks = rng.sample(names, 2) + rng.sample(topic, 3) + [str(rng.randint(2, 99))]
        picks += [rng.choice(FILLER) for _ in range(length)] + rng.choices(vocabulary, k=3)
        rng.shuffle(picks)
        return " ".join(picks)

    published = START + dt.timedelta(days=day)
    url = f"https://{outlet.lower().replace(' ', '')}.example/{n}"
    text = ". ".join(sentence(12).capitalize() for _ in range(4)) + "."
    return Story(
        f"s{n}",
        sentence(4).capitalize(),
        url,
        outlet,
        published,
        text,
        sources=(SourceRef(outlet, url),),
    )


def replay(stories: list[Story]) -> int:
    settings = ThreadSettings.model_validate({})
    days: dict[dt.date, list[Story]] = {}
    for story in stories:
        days.setdefault(story.published.date(), []).append(story)
    open_threads: dict[str, Thread] = {}
    for day in sorted(days):
        now = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
        for thread in group_threads(days[day], list(open_threads.values()), now, settings):
            open_threads.pop(thread.id, None)
            if not thread.closed:
                open_threads[thread.id] = thread
    return len(open_threads)


def measure(size: int) -> None:
    """One size, in its own process so its peak memory is its own."""
    stories = list(stream(size))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    still_open = replay(stories)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{size} {seconds:.2f} {peak / 1024:.0f} {before / 1024:.0f} {still_open}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure(args.one)
        return 0
    timings: dict[int, float] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        timings[size] = float(out[1])
        print(
            f"{size:7d} stories: {timings[size]:6.1f} s, peak RSS {out[2]:>5s} MiB "
            f"(input alone {out[3]} MiB), {out[4]} threads open at the end",
            flush=True,
        )
    if 10000 in timings and 100000 in timings:
        print(f"time(100k) / time(10k) = {timings[100000] / timings[10000]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
