"""ROUGE of thread summaries on labelled events: AllSides roundups and the NeuS validation split.

Builds Story/Thread objects and calls the configured summarizer, exactly as editions do, at a
100-word budget; prints ROUGE-1/2/L F1 (rouge-score, stemming on) and ROUGE-1 precision/recall
(under- or over-filling shows there). `--oracle` also prints a greedy ROUGE oracle over the
summarizer's candidate sentences and over every raw sentence, i.e. what the filters lose. Usage:
    .venv/bin/python bench/summary_quality.py [--summarizer NAME] [--limit N] [--oracle]
With `--summarizer llm --base-url URL --model NAME` it scores a language model (each summary
checked as in editions; a thread whose sentences fail the check scores its extractive summary).
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

from digest.config import LlmSettings, SummarySettings
from digest.models import Story, Thread
from digest.summary import extractive as ex
from digest.summary.summarize import Summarizer, load_summarizer
from digest.text.sentences import story_sentences

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
    precision, recall = 0.0, 0.0
    count, words, elapsed = 0, 0, 0.0
    written: dict[str, int] = {}  # summarizer -> threads it wrote (the llm falls back)
    dropped = 0
    for thread, reference in events:
        started = time.perf_counter()
        summary = summarizer.summarize(thread, budget_words=100)
        elapsed += time.perf_counter() - started
        text = " ".join(s.text for s in summary.sentences)
        words += len(text.split())
        written[summary.written_by] = written.get(summary.written_by, 0) + 1
        dropped += summary.dropped
        scores = scorer.score(reference, text)
        for key, score in scores.items():
            totals[key] += score.fmeasure
        precision += scores["rouge1"].precision
        recall += scores["rouge1"].recall
        count += 1
        if limit and count >= limit:
            break
    scores = " ".join(f"{k.upper()} {100 * v / count:5.1f}" for k, v in totals.items())
    print(
        f"{name:9} {count:4} events  {scores}  avg {words / count:5.1f} words"
        f"  {1000 * elapsed / count:5.1f} ms/event  (R1 P {100 * precision / count:4.1f}"
        f" R {100 * recall / count:4.1f})"
    )
    if set(written) != {"extractive"}:  # a summarizer that can fall back: who wrote what
        who = ", ".join(f"{n} by {name or '?'}" for name, n in sorted(written.items()))
        print(f"{'':9} written: {who}; {dropped} sentences dropped by the check")


def oracle(name: str, events: Iterator[tuple[Thread, str]], limit: int | None) -> None:
    """Greedy ROUGE-1+2 oracle at 100 words: over the extractive candidates, then over every
    sentence the splitter finds (truncated "..." ones included)."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    totals = {"candidates": [0.0, 0.0], "raw sentences": [0.0, 0.0]}
    count = 0
    for thread, reference in events:
        pools = {
            "candidates": [c.text for c in ex.candidates(thread.stories)],
            "raw sentences": [s for st in thread.stories for s in story_sentences(st.text)],
        }
        for label, pool in pools.items():
            r1, r2 = _greedy_oracle(scorer, reference, pool)
            totals[label][0] += r1
            totals[label][1] += r2
        count += 1
        if limit and count >= limit:
            break
    for label, (r1, r2) in totals.items():
        r1, r2 = 100 * r1 / count, 100 * r2 / count
        print(f"{name:9} oracle over {label:13} R1 {r1:5.1f} R2 {r2:5.1f}")


def _greedy_oracle(
    scorer: rouge_scorer.RougeScorer, reference: str, pool: list[str]
) -> tuple[float, float]:
    """Add the sentence that most raises ROUGE-1+2 F1 while it fits 100 words and helps."""
    chosen: list[str] = []
    used, best, best_pair = 0, 0.0, (0.0, 0.0)
    while True:
        pick = None
        for sentence in pool:
            if sentence in chosen or used + len(sentence.split()) > 100:
                continue
            scores = scorer.score(reference, " ".join([*chosen, sentence]))
            pair = (scores["rouge1"].fmeasure, scores["rouge2"].fmeasure)
            if sum(pair) > best:
                pick, best, best_pair = sentence, sum(pair), pair
        if pick is None:
            return best_pair
        chosen.append(pick)
        used += len(pick.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summarizer", default="extractive", help='"extractive", "llm", ...')
    parser.add_argument("--base-url", default=LlmSettings().base_url, help="llm: the API")
    parser.add_argument("--model", default=LlmSettings().model, help="llm: the model name")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--oracle", action="store_true", help="also print candidate oracles")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"no evaluation data at {DATA} (it is not part of the project)")
    llm = LlmSettings(base_url=args.base_url, model=args.model)
    summarizer = load_summarizer(args.summarizer, SummarySettings(llm=llm))
    evaluate("allsides", allsides_events(), summarizer, args.limit)
    evaluate("neus", neus_events(), summarizer, args.limit)
    if args.oracle:
        oracle("allsides", allsides_events(), args.limit)
        oracle("neus", neus_events(), args.limit)


if __name__ == "__main__":
    main()
