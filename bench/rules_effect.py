"""What each summarizer rule does: turn it off, summarize the 603 AllSides and NeuS events again,
and count the threads whose summary changes (headline, dek, sentences, citations, lead-ins,
flags), with ROUGE-1/2 on both sets and the labelled figure pairs' precision and recall
(`bench/rules_quality.py`). A rule that changes no thread and moves no measure has not earned
its place; one that changes threads but no measure is kept for what readers see (its tests say
what). Every rule below is resolved when the script starts, so a rename fails here, loudly.
Usage: .venv/bin/python bench/rules_effect.py [--only WORD] [--show N]
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

from rouge_score import rouge_scorer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rules_quality  # a sibling script: the labelled figure pairs
import summary_quality  # a sibling script: the labelled events

from digest.text.sentences import looks_like_prose

NEVER = re.compile(r"(?!)")


def _none(*_: object) -> None:
    return None


#: rule -> (module, attribute, what it is while the rule is off)
RULES: dict[str, tuple[str, str, Any]] = {
    "a pronoun waits for its noun": ("digest.summary.extractive", "_PRONOUN", NEVER),
    "He/She/They opening a story waits": ("digest.summary.extractive", "_PERSONAL", NEVER),
    "'this'/'so' waits for what it is": ("digest.summary.extractive", "_BACK_REFERENCE", NEVER),
    "a connective opener is cut": ("digest.summary.extractive", "_CONNECTIVE", NEVER),
    "no-comment lines are left out": ("digest.summary.extractive", "_NO_COMMENT", NEVER),
    "lines to a model are left out": ("digest.summary.extractive", "_TO_A_MODEL", NEVER),
    "a surname waits for its full name": ("digest.summary.extractive", "_name_runs", lambda s: []),
    "a second outlet behind a dateline is cited": ("digest.summary.summarize", "_LEAD_MARK", NEVER),
    "a flag readers were shown is not repeated": (
        "digest.summary.summarize",
        "_news",
        lambda flags, known: tuple(flags),
    ),
    "one fact once (figures alike)": ("digest.summary.summarize", "same_facts", _none),
    "one fact once, however worded": (
        "digest.summary.figures.compare",
        "_restated",
        lambda *a: False,
    ),
    "a quake's magnitude is a figure": ("digest.summary.figures.mentions", "_MAGNITUDE", NEVER),
    "measure words ('core') narrow a figure": (
        "digest.summary.figures.mentions",
        "_MEASURES",
        frozenset(),
    ),
    "intraday prices hours apart are two moments": (
        "digest.summary.figures.mentions",
        "_QUOTE",
        NEVER,
    ),
    "'these elements' is read back": ("digest.summary.figures.mentions", "_ANAPHOR", NEVER),
    "a rough figure is rounded ('nearly 500')": (
        "digest.summary.figures.mentions",
        "APPROXIMATE",
        (),
    ),
    "'more than 200' agrees with 249": (
        "digest.summary.figures.compare",
        "UPPER_BOUNDS",
        (),
    ),
    "a flag names its quantity": ("digest.summary.figures.mentions", "_label", lambda *a: ""),
    "'Markets:' lead-in": ("digest.summary.leadin", "_MARKETS", NEVER),
    "labels cut from titles": ("digest.summary.headline", "_LABEL_PREFIX", NEVER),
    "outlet tails cut from titles": ("digest.summary.headline", "_OUTLET_SUFFIX", NEVER),
    "a section heading as the dek": ("digest.summary.headline", "headings", lambda text: []),
    "'Gov.' reads as 'governor' in a dek": ("digest.summary.headline", "_ABBREVIATED", {}),
    "truncated leads are not prose": ("digest.text.sentences", "_TRUNCATED", NEVER),
    "CJK sentences end at 。！？": ("digest.text.sentences", "_CJK_SENTENCE", re.compile(".+")),
    "titles ('Gov.') end no sentence": ("digest.text.sentences", "TITLES", frozenset()),
    "'Co.', 'U.S.' end a sentence only before an opener": (
        "digest.text.sentences",
        "NAME_SUFFIXES",
        frozenset(),
    ),
    "'No. 10', 'Jan. 5' end no sentence": ("digest.text.sentences", "NUMBERED", frozenset()),
}


def targets() -> dict[str, tuple[Any, str, Any]]:
    """Every rule's module, attribute and replacement; exits naming a rule that moved."""
    found = {}
    for rule, (module_name, attribute, off) in RULES.items():
        module = importlib.import_module(module_name)
        if not hasattr(module, attribute):
            sys.exit(f"rule {rule!r}: {module_name}.{attribute} no longer exists; update RULES")
        found[rule] = (module, attribute, off)
    return found


def summaries() -> dict[str, tuple[str, str]]:
    """thread id -> (everything the summary shows, as JSON; its sentences as one text)."""
    from digest.summary.summarize import ExtractiveSummarizer

    summarizer, result = ExtractiveSummarizer(), {}
    for thread, _ in [*summary_quality.allsides_events(), *summary_quality.neus_events()]:
        s = summarizer.summarize(thread, budget_words=100)
        sentences = [
            [x.text, sorted(c.source for c in x.citations), x.lead_in] for x in s.sentences
        ]
        flags = [[d.quantity, [f.value for f in d.figures]] for d in s.disagreements]
        shown = json.dumps([s.headline, s.dek, sentences, flags])
        result[thread.id] = (shown, " ".join(x.text for x in s.sentences))
    return result


def measures(outputs: dict[str, tuple[str, str]], references: dict[str, str]) -> dict[str, float]:
    """ROUGE-1/2 F1 per set, and figure pairs' precision and recall, in percent."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    result: dict[str, float] = {}
    for name in ("allsides", "neus"):
        ids = [i for i in outputs if i.startswith(name)]
        for key in ("rouge1", "rouge2"):
            total = sum(scorer.score(references[i], outputs[i][1])[key].fmeasure for i in ids)
            result[f"{name} R{key[-1]}"] = 100 * total / len(ids)
    figures = [(rules_quality.flags(i), bool(i["differ"])) for i in rules_quality.figure_items()]
    prose = [(looks_like_prose(i["text"]), bool(i["prose"])) for i in rules_quality.prose_items()]
    for name, pairs in (
        ("split", rules_quality.splitter_pairs()[0]),
        ("prose", prose),
        ("figures", figures),
    ):
        precision, recall, *_ = rules_quality.counts(pairs)
        result[f"{name} P"], result[f"{name} R"] = 100 * precision, 100 * recall
    return result


def clear_caches() -> None:
    """Summaries read through lru_caches; a rule turned off must not meet yesterday's answers."""
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("digest."):
            for value in vars(module).values():
                clear: Callable[[], None] | None = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def main() -> None:
    found = targets()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="rules whose name contains this word")
    parser.add_argument("--show", type=int, default=0, help="print N changed threads per rule")
    args = parser.parse_args()
    if not summary_quality.DATA.is_dir():
        sys.exit(f"no evaluation data at {summary_quality.DATA} (it is not part of the project)")
    events = [*summary_quality.allsides_events(), *summary_quality.neus_events()]
    references = {thread.id: reference for thread, reference in events}
    base = summaries()
    before = measures(base, references)
    print("all rules on: " + ", ".join(f"{k} {v:.1f}" for k, v in before.items()))
    print(f"{'rule turned off':50} {'threads':>7}  measures that move (points)")
    for rule, (module, attribute, off) in found.items():
        if args.only and args.only.lower() not in rule.lower():
            continue
        clear_caches()
        with mock.patch.object(module, attribute, off):
            now = summaries()
            after = measures(now, references)
        changed = [i for i in base if base[i][0] != now[i][0]]
        deltas = {k: after[k] - before[k] for k in before}
        moved = ", ".join(f"{k} {d:+.1f}" for k, d in deltas.items() if abs(d) >= 0.05)
        print(f"{rule:50} {len(changed):3}/{len(base)}  {moved or 'no measure moves'}", flush=True)
        for thread_id in changed[: args.show]:
            print(
                f"    {thread_id}: {base[thread_id][0][:150]}\n    now: {now[thread_id][0][:150]}"
            )
    clear_caches()


if __name__ == "__main__":
    main()
