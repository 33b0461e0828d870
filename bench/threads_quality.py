"""Threading quality on labelled news: B-cubed precision, recall and F1 against gold clusters.

Feeds labelled news through `group_threads` the way editions do: one batch per day (each
story's own date), open threads carried from batch to batch. Four sets, each on one line:

- `allsides`: ../shared/data/allsides with its real dates (events days apart);
- `allsides-day`: the same events on one day, the digest's real input: each event at a random
  minute of one 14-hour day, its stories within 3 hours after (seeded: runs repeat);
- `ecbplus`: ../shared/data/ecbplus, two events of one kind per topic (two quakes), every
  document at a random minute of 10 hours; title = first sentence (a spaced-out URL skipped);
- `uci`: ../shared/data/uci headlines over 36 hours, with their timestamps;
- `neus-day`: ../shared/data/neus/val.jsonl (3 outlets' title + lead per event) placed on one
  day like `allsides-day`: a held-out check, no setting was tuned on it.

    .venv/bin/python bench/threads_quality.py [--threshold T] [--jitter-hours H] [--semantic]
        [--halves N] [--split-minutes M] [--seed S]
        [--only allsides|allsides-day|ecbplus|uci|neus-day]

`--jitter-hours` moves each story by a random 0..H hours: both datasets stamp every story of a
cluster with the same instant, which a method must not lean on.

`--halves N` also scores N random halves of the gold clusters (each half grouped on its own):
the spread says how far a figure may move on other data of the same kind.

`--split-minutes M` is a diagnosis, not a method: it also scores our threads cut at M-minute
boundaries of the stories' timestamps. On UCI every gold story was crawled within a minute, and
the same subject crawled hours later is another gold story: the precision this recovers is
what merging same-subject stories of different hours costs, the rest is our own mistakes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from digest.config import ThreadSettings
from digest.errors import DigestError
from digest.models import SourceRef, Story, Thread
from digest.threads.group import group_threads

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def allsides() -> tuple[list[Story], dict[str, str]]:
    stories, gold = [], {}
    for line in (DATA / "allsides" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        published = dt.datetime.fromisoformat(row["date"]).astimezone(dt.UTC)
        stories.append(
            _story(row["article_id"], row["title"], row["text"], row["outlet"], published)
        )
        gold[row["article_id"]] = row["cluster_id"]
    return stories, gold


def allsides_day(seed: int) -> tuple[list[Story], dict[str, str]]:
    """AllSides with every event at a random minute of one 14-hour day, its stories within
    3 hours after: no time signal tells events apart, only what the stories say."""
    stories, gold = allsides()
    rng = random.Random(seed)
    starts = {c: rng.uniform(0, 14 * 60) for c in sorted(set(gold.values()))}
    placed = [_at(story, starts[gold[story.id]] + rng.uniform(0, 180)) for story in stories]
    return placed, gold


def ecbplus(seed: int) -> tuple[list[Story], dict[str, str]]:
    """ECB+ documents, each at a random minute of 10 hours (the corpus has no dates)."""
    rng = random.Random(seed)
    stories, gold = [], {}
    for line in (DATA / "ecbplus" / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        sentences = [s for s in row["sentences"] if s.strip()]
        if sentences and _SPACED_URL.match(sentences[0]):
            sentences = sentences[1:]
        title, text = sentences[0], " ".join(sentences[1:])
        ident = f"ecb-{row['doc_id']}"
        story = _story(ident, title, text, f"ecb-{row['doc_id']}", DAY_START)
        stories.append(_at(story, rng.uniform(0, 10 * 60)))
        gold[ident] = row["cluster_id"]
    return stories, gold


#: The ecbplus subtopic often opens with its page's URL, spaced out: "http: / / www. cbs ...".
_SPACED_URL = re.compile(r"\s*(https?\s*:\s*/|www\s*\.)", re.IGNORECASE)
#: The day one-day sets are placed on (a date no set holds, so nothing lines up by chance).
DAY_START = dt.datetime(2030, 6, 10, 8, 0, tzinfo=dt.UTC)


def _at(story: Story, minutes: float) -> Story:
    return replace(story, published=DAY_START + dt.timedelta(minutes=minutes))


def neus_day(seed: int) -> tuple[list[Story], dict[str, str]]:
    """NeuS validation events on one day, as `allsides_day` places AllSides."""
    rng = random.Random(seed)
    stories, gold = [], {}
    for line in (DATA / "neus" / "val.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        start = rng.uniform(0, 14 * 60)
        for k, document in enumerate(row["documents"]):
            ident = f"{row['id']}-{k}"
            story = _story(ident, document["title"], document.get("text", ""), f"o{k}", DAY_START)
            stories.append(_at(story, start + rng.uniform(0, 180)))
            gold[ident] = row["id"]
    return stories, gold


def uci() -> tuple[list[Story], dict[str, str]]:
    stories, gold = [], {}
    for line in (DATA / "uci" / "headlines.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        published = dt.datetime.fromtimestamp(row["timestamp_ms"] / 1000, dt.UTC)
        ident = f"uci-{row['id']}"
        stories.append(_story(ident, row["title"], "", row["publisher"], published))
        gold[ident] = row["story_id"]
    return stories, gold


def _story(ident: str, title: str, text: str, outlet: str, published: dt.datetime) -> Story:
    url = f"https://bench.invalid/{ident}"  # unique per article: maps merged copies back
    return Story(ident, title, url, outlet, published, text, sources=(SourceRef(outlet, url),))


def replay(stories: list[Story], settings: ThreadSettings) -> list[Thread]:
    """Daily batches in date order, carrying open threads as the store would."""
    days: dict[dt.date, list[Story]] = defaultdict(list)
    for story in stories:
        days[story.published.date()].append(story)
    open_threads: dict[str, Thread] = {}
    done: list[Thread] = []
    for day in sorted(days):
        now = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
        for thread in group_threads(days[day], list(open_threads.values()), now, settings):
            open_threads.pop(thread.id, None)
            if thread.closed:
                done.append(thread)
            else:
                open_threads[thread.id] = thread
    return done + list(open_threads.values())


def assignments(threads: Iterable[Thread]) -> dict[str, str]:
    """article id -> thread id, counting every source of a merged story."""
    result = {}
    for thread in threads:
        for story in thread.stories:
            for ref in story.all_sources():
                result[ref.url.rsplit("/", 1)[-1]] = thread.id
    return result


def split_by_time(threads: Iterable[Thread], minutes: float) -> dict[str, str]:
    """article id -> (thread, time slot): every thread cut at `minutes` boundaries."""
    result = {}
    for thread in threads:
        for story in thread.stories:
            slot = int(story.published.timestamp() // (60 * minutes))
            for ref in story.all_sources():
                result[ref.url.rsplit("/", 1)[-1]] = f"{thread.id}@{slot}"
    return result


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    pred_size = Counter(predicted.values())
    gold_size = Counter(gold.values())
    both = Counter((predicted[i], gold[i]) for i in gold)
    precision = sum(both[(predicted[i], gold[i])] / pred_size[predicted[i]] for i in gold) / len(
        gold
    )
    recall = sum(both[(predicted[i], gold[i])] / gold_size[gold[i]] for i in gold) / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def _half(stories: list[Story], gold: dict[str, str], settings: ThreadSettings, seed: int) -> float:
    clusters = sorted(set(gold.values()))
    keep = set(random.Random(seed).sample(clusters, len(clusters) // 2))
    half = [story for story in stories if gold[story.id] in keep]
    return bcubed(assignments(replay(half, settings)), {s.id: gold[s.id] for s in half})[2]


def jitter(stories: list[Story], hours: float, seed: int = 7) -> Iterator[Story]:
    rng = random.Random(seed)
    for story in stories:
        yield Story(
            **{
                **story.__dict__,
                "published": story.published + dt.timedelta(hours=rng.uniform(0, hours)),
            }
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.0)
    parser.add_argument("--jitter-hours", type=float, default=0.0)
    parser.add_argument("--semantic", action="store_true")
    parser.add_argument("--model", default="")
    parser.add_argument(
        "--only", choices=["allsides", "allsides-day", "ecbplus", "uci", "neus-day"]
    )
    parser.add_argument("--seed", type=int, default=1, help="placement of the one-day sets")
    parser.add_argument("--split-minutes", type=float, default=0.0)
    parser.add_argument("--halves", type=int, default=0)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no labelled data at {DATA}: this bench needs ../shared/data", file=sys.stderr)
        return 1
    settings = ThreadSettings.model_validate(
        {"threshold": args.threshold, "semantic": args.semantic, "model": args.model}
    )
    sets: dict[str, Callable[[], tuple[list[Story], dict[str, str]]]] = {
        "allsides": allsides,
        "allsides-day": lambda: allsides_day(args.seed),
        "ecbplus": lambda: ecbplus(args.seed),
        "uci": uci,
        "neus-day": lambda: neus_day(args.seed),
    }
    for name, load in sets.items():
        if args.only and args.only != name:
            continue
        stories, gold = load()
        if args.jitter_hours:
            stories = list(jitter(stories, args.jitter_hours))
        start = time.perf_counter()
        try:
            threads = replay(stories, settings)
        except DigestError as error:
            print(error, file=sys.stderr)
            return 1
        seconds = time.perf_counter() - start
        p, r, f = bcubed(assignments(threads), gold)
        merged = sum(len(s.all_sources()) - 1 for t in threads for s in t.stories)
        print(
            f"{name:12s} stories={len(stories):5d} threads={len(threads):5d} "
            f"merged_copies={merged:4d}  B3 P={p:.3f} R={r:.3f} F1={f:.3f}  ({seconds:.1f}s)"
        )
        if args.halves:
            scores = [_half(stories, gold, settings, seed) for seed in range(args.halves)]
            print(
                f"{'':12s} {args.halves} random halves of the clusters: F1 mean "
                f"{sum(scores) / len(scores):.3f}, min {min(scores):.3f}, max {max(scores):.3f}"
            )
        if args.split_minutes:
            p, r, f = bcubed(split_by_time(threads, args.split_minutes), gold)
            print(
                f"{'':12s} cut at {args.split_minutes:g}-minute boundaries: "
                f"P={p:.3f} R={r:.3f} F1={f:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
