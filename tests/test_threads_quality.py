"""Grouping quality on a slice of real labelled news (skipped when ../shared/data is absent).

The slice goes through `group_threads` day by day, as editions feed it; B-cubed F1 against
the editors' clusters must stay above a floor well over what all-singletons scores.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from digest.config import ThreadSettings
from digest.models import SourceRef, Story, Thread
from digest.threads.group import group_threads

# As tests/conftest.py's SHARED_DATA: the labelled data beside the project, absent for users.
SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def load(path: Path, limit: int) -> tuple[list[Story], dict[str, str]]:
    if not path.exists():
        pytest.skip(f"labelled data not present: {path}")
    stories, gold = [], {}
    for line in path.read_text(encoding="utf-8").splitlines()[:limit]:
        row = json.loads(line)
        ident = str(row.get("article_id") or row["id"])
        when = (
            dt.datetime.fromisoformat(row["date"]).astimezone(dt.UTC)
            if "article_id" in row
            else dt.datetime.fromtimestamp(row["timestamp_ms"] / 1000, dt.UTC)
        )
        outlet = row.get("outlet") or row["publisher"]
        url = f"https://sample.invalid/{ident}"
        stories.append(
            Story(ident, row["title"], url, outlet, when, row.get("text", ""),
                  sources=(SourceRef(outlet, url),))
        )  # fmt: skip
        gold[ident] = row.get("cluster_id") or row["story_id"]
    return stories, gold


def replay_daily(stories: list[Story]) -> dict[str, str]:
    """article id -> thread id, feeding one day at a time and carrying open threads."""
    settings = ThreadSettings.model_validate({})
    days: dict[dt.date, list[Story]] = defaultdict(list)
    for story in stories:
        days[story.published.date()].append(story)
    threads: dict[str, Thread] = {}
    for day in sorted(days):
        now = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
        open_threads = [t for t in threads.values() if not t.closed]
        threads.update((t.id, t) for t in group_threads(days[day], open_threads, now, settings))
    return {
        ref.url.rsplit("/", 1)[-1]: t.id
        for t in threads.values()
        for s in t.stories
        for ref in s.all_sources()
    }


def bcubed_f1(predicted: dict[str, str], gold: dict[str, str]) -> float:
    sizes_p, sizes_g = Counter(predicted.values()), Counter(gold.values())
    both = Counter((predicted[i], gold[i]) for i in gold)
    p = sum(both[predicted[i], gold[i]] / sizes_p[predicted[i]] for i in gold) / len(gold)
    r = sum(both[predicted[i], gold[i]] / sizes_g[gold[i]] for i in gold) / len(gold)
    return 2 * p * r / (p + r)


def test_allsides_events_are_grouped_across_outlets() -> None:
    stories, gold = load(SHARED_DATA / "allsides" / "articles.jsonl", 240)

    f1 = bcubed_f1(replay_daily(stories), gold)

    assert f1 >= 0.93, f"B-cubed F1 {f1:.3f} on the first 240 AllSides articles"


def test_uci_headlines_are_grouped_by_story() -> None:
    stories, gold = load(SHARED_DATA / "uci" / "headlines.jsonl", 1200)

    f1 = bcubed_f1(replay_daily(stories), gold)

    assert f1 >= 0.78, f"B-cubed F1 {f1:.3f} on the first 1200 UCI headlines"


def on_one_day(stories: list[Story], gold: dict[str, str], seed: int = 1) -> list[Story]:
    """Every event at a random minute of one 14-hour day, its stories within 3 hours after."""
    rng = random.Random(seed)
    day = dt.datetime(2030, 6, 10, 8, tzinfo=dt.UTC)
    starts = {event: rng.uniform(0, 14 * 60) for event in sorted(set(gold.values()))}
    minutes = [starts[gold[s.id]] + rng.uniform(0, 180) for s in stories]
    return [
        replace(s, published=day + dt.timedelta(minutes=m))
        for s, m in zip(stories, minutes, strict=True)
    ]


def test_allsides_events_on_one_day_stay_apart() -> None:
    # A day's news shares people, places and subjects: only what happened tells events apart.
    stories, gold = load(SHARED_DATA / "allsides" / "articles.jsonl", 400)

    f1 = bcubed_f1(replay_daily(on_one_day(stories, gold)), gold)

    assert f1 >= 0.9, f"B-cubed F1 {f1:.3f} on the first 400 AllSides articles on one day"


def test_ecbplus_two_events_of_one_kind_stay_apart() -> None:
    # ECB+ topics hold two events of one kind (two quakes); documents within 10 hours.
    path = SHARED_DATA / "ecbplus" / "documents.jsonl"
    if not path.exists():
        pytest.skip(f"labelled data not present: {path}")
    rng = random.Random(1)
    stories, gold = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        sentences = [s for s in row["sentences"] if s.strip()]
        if sentences[0].replace(" ", "").lower().startswith(("http:", "https:", "www.")):
            sentences = sentences[1:]  # the page's URL, spaced out
        when = dt.datetime(2030, 6, 10, 8, tzinfo=dt.UTC) + dt.timedelta(
            minutes=rng.uniform(0, 600)
        )
        ident = row["doc_id"]
        url = f"https://sample.invalid/{ident}"
        text = " ".join(sentences[1:])
        refs = (SourceRef(ident, url),)
        stories.append(Story(ident, sentences[0], url, ident, when, text, sources=refs))
        gold[row["doc_id"]] = row["cluster_id"]

    f1 = bcubed_f1(replay_daily(stories), gold)

    assert f1 >= 0.885, f"B-cubed F1 {f1:.3f} on ECB+"
