"""Precision and recall of the summarizer's rules on labelled sets, then ROUGE.

- splitter: sentence ends after . ! ? in the ECB+ documents of ../shared/data, whose sentences
  the corpus gives one by one (ends without a stop, titles and colons, are not counted);
- prose: tests/data/labelled/prose_sentences.json, each sentence after ingest's furniture
  filter and the summarizer's prose check;
- figures: tests/data/labelled/figure_pairs.json and figure_pairs_hard.json (alike sentences
  about different quantities, real and constructed), two sources' sentences, flagged or not;
- ROUGE: bench/summary_quality.py as it is (skipped with --no-rouge).
Usage: .venv/bin/python bench/rules_quality.py [--no-rouge] [--errors]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from digest.models import Story
from digest.sources.pagetext import is_furniture
from digest.summary.figures.compare import find_disagreements
from digest.text.sentences import looks_like_prose, split_sentences

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
LABELLED = ROOT / "tests" / "data" / "labelled"
_STOP = re.compile(r"""[.!?…]["'”’)\]]*$""")
WHEN = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
FIGURE_FILES = ("figure_pairs.json", "figure_pairs_hard.json")


def counts(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int, int]:
    """Precision, recall, true positives, false positives and false negatives of `pairs`
    (predicted, gold)."""
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    return tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0, tp, fp, fn


def score(name: str, pairs: list[tuple[bool, bool]], errors: list[str], show: bool) -> None:
    """Print precision and recall of `pairs` (predicted, gold)."""
    precision, recall, tp, fp, fn = counts(pairs)
    print(
        f"{name:22} P {100 * precision:5.1f}  R {100 * recall:5.1f}"
        f"  (tp {tp}, fp {fp}, fn {fn}, n {len(pairs)})"
    )
    for line in errors if show else []:
        print(f"    {line}")


def ecb_boundaries() -> Iterator[tuple[str, set[int]]]:
    """(text, gold offsets where a sentence ending in a stop ends) per ECB+ 'ecb' document."""
    for line in (DATA / "ecbplus" / "documents.jsonl").open(encoding="utf-8"):
        doc = json.loads(line)
        if doc["subtopic"] != "ecb":  # the 'ecbplus' captures are spaced out: "0. 07 percent"
            continue
        gold = [" ".join(s.split()) for s in doc["sentences"] if s.strip()]
        yield " ".join(gold), _ends(gold)


def _ends(sentences: list[str]) -> set[int]:
    ends, offset = set(), 0
    for sentence in sentences[:-1]:
        offset += len(sentence) + 1
        if _STOP.search(sentence):
            ends.add(offset)
    return ends


def splitter(show: bool) -> None:
    pairs, errors = splitter_pairs()
    score("splitter (ECB+ ends)", pairs, errors[:40], show)


def splitter_pairs() -> tuple[list[tuple[bool, bool]], list[str]]:
    """(predicted, gold) per stop followed by a space in the ECB+ texts, and the misses."""
    pairs: list[tuple[bool, bool]] = []
    errors = []
    for text, gold in ecb_boundaries():
        found = _ends(split_sentences(text))
        candidates = {m.end() + 1 for m in re.finditer(r"""[.!?…]["'”’)\]]*(?= )""", text)}
        for offset in sorted(candidates):
            predicted, truth = offset in found, offset in gold
            pairs.append((predicted, truth))
            if predicted != truth:
                errors.append(f"{'FP' if predicted else 'FN'} {text[offset - 50 : offset + 30]!r}")
    return pairs, errors


def prose_items() -> list[dict[str, Any]]:
    """The labelled sentences: text, and whether it is prose."""
    items: list[dict[str, Any]] = json.loads(
        (LABELLED / "prose_sentences.json").read_text("utf-8")
    )["items"]
    return items


def prose(show: bool) -> None:
    items = prose_items()
    for name, check in (
        ("prose check", looks_like_prose),
        ("furniture + prose", lambda s: not is_furniture(s) and looks_like_prose(s)),
    ):
        pairs = [(check(i["text"]), bool(i["prose"])) for i in items]
        errors = [
            f"{'FP' if p else 'FN'} {i['id']} {i['text'][:90]!r}"
            for (p, g), i in zip(pairs, items, strict=True)
            if p != g
        ]
        score(name, pairs, errors, show)


def figure_items() -> list[dict[str, Any]]:
    """The labelled figure pairs: the first set, then the hard pairs (real, then constructed)."""
    items: list[dict[str, Any]] = []
    for name in FIGURE_FILES:
        items += json.loads((LABELLED / name).read_text("utf-8"))["items"]
    return items


def flags(item: dict[str, Any]) -> bool:
    """Whether the comparison flags the item's two sentences, each story at its own time."""
    stories = [
        Story(
            f"{item['id']}-{s}",
            "",
            f"https://example.org/{s}",
            s,
            dt.datetime.fromisoformat(item[s]["published"]) if "published" in item[s] else WHEN,
            item[s]["text"],
        )
        for s in ("a", "b")
    ]
    return bool(find_disagreements(stories))


def figures(show: bool) -> None:
    items = figure_items()
    found = [(flags(item), bool(item["differ"])) for item in items]
    errors = [
        f"{'FP' if p else 'FN'} {i['id']} {i.get('case', '')} {i['a']['text'][:70]!r}"
        for (p, g), i in zip(found, items, strict=True)
        if p != g
    ]
    for name, origins in (
        ("figures: first set", {""}),
        ("figures: hard, real", {"uci", "neus", "ecbplus"}),
        ("figures: constructed", {"constructed"}),
    ):
        subset = [f for f, i in zip(found, items, strict=True) if i.get("origin", "") in origins]
        score(name, subset, [], False)
    score("figures differ (all)", found, errors, show)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-rouge", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print every miss")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"no evaluation data at {DATA} (it is not part of the project)")
    splitter(args.errors)
    prose(args.errors)
    figures(args.errors)
    if not args.no_rouge:
        bench = ROOT / "bench" / "summary_quality.py"
        subprocess.run([sys.executable, str(bench)], check=True)


if __name__ == "__main__":
    main()
