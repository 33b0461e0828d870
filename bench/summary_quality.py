"""ROUGE of thread summaries on labelled events: AllSides roundups and the NeuS validation split.

Builds Story/Thread objects and calls the configured summarizer, exactly as editions do, at a
100-word budget; prints ROUGE-1/2/L F1 (rouge-score, stemming on). Usage:
    .venv/bin/python bench/summary_quality.py [--summarizer NAME] [--limit N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from rouge_score import rouge_scorer

from digest.models import Story, Thread
from digest.summarize import Summarizer, load_summarizer

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def allsides_events() -> Iterator[tuple[Thread, str]]:
    """(thread, reference summary) per AllSides cluster."""
    articles: dict[str, list[Story]] = {}
    for line in (DATA / "allsides" / "articles.jsonl").open(encoding="utf-8"):
        a = json.loads(line)
        published = dt.datetime.fromisoformat(a["date"]).astimezone(dt.UTC)
        text = "\n\n".join(a.get("paragraphs") or [a["text"]])
        story = Story(a["article_id"], a["title"], a["url"], a["outlet"], published, text)
        articles.setdefault(a["cluster_id"], []).append(story)
    for line in (DATA / "allsides" / "clusters.jsonl").open(encoding="utf-8"):
        c = json.loads(line)
        stories = sorted(articles.get(c["cluster_id"], []), key=lambda s: (s.published, s.id))
        if stories:
            yield _thread(c["cluster_id"], stories), c["summary"]


def neus_events() -> Iterator[tuple[Thread, str]]:
    """(thread, reference summary) per NeuS validation event; documents have no dates."""
    for line in (DATA / "neus" / "val.jsonl").open(encoding="utf-8"):
        e = json.loads(line)
        stories = [
            Story(
                f"{e['id']}-{i}",
                d["title"],
                f"https://example.org/{e['id']}/{i}",
                f"Source {i + 1}",
                EPOCH,
                d["text"],
            )
            for i, d in enumerate(e["documents"])
        ]
        yield _thread(e["id"], stories), e["reference_summary"]


def _thread(thread_id: str, stories: list[Story]) -> Thread:
    return Thread(thread_id, tuple(stories), stories[0].published, stories[-1].published)


def evaluate(
    name: str, events: Iterator[tuple[Thread, str]], summarizer: Summarizer, limit: int | None
) -> None:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    count, words, elapsed = 0, 0, 0.0
    for thread, reference in events:
        started = time.perf_counter()
        summary = summarizer.summarize(thread, budget_words=100)
        elapsed += time.perf_counter() - started
        text = " ".join(s.text for s in summary.sentences)
        words += len(text.split())
        for key, score in scorer.score(reference, text).items():
            totals[key] += score.fmeasure
        count += 1
        if limit and count >= limit:
            break
    scores = " ".join(f"{k.upper()} {100 * v / count:5.1f}" for k, v in totals.items())
    print(
        f"{name:9} {count:4} events  {scores}  avg {words / count:5.1f} words"
        f"  {1000 * elapsed / count:5.1f} ms/event"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summarizer", default="extractive")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"no evaluation data at {DATA} (it is not part of the project)")
    summarizer = load_summarizer(args.summarizer)
    evaluate("allsides", allsides_events(), summarizer, args.limit)
    evaluate("neus", neus_events(), summarizer, args.limit)


if __name__ == "__main__":
    main()
