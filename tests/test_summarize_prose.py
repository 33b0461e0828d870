"""Segments read as prose: one or two paragraphs, each run of sentences from one source followed
by one small link, what happened first told first after the lead, each fact said once, and
the word budget held."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

from digest.pipeline import run
from digest.summary.summarize import ExtractiveSummarizer
from tests.summarize_helpers import make_story, make_thread
from tests.test_end_to_end import parts, read_outbox, seeds_config

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def segment_paragraphs(html: str) -> list[str]:
    """The seeds segment's body paragraphs as HTML: between the dek and the note."""
    body = html.split("Trump’s team is feeling positive", 1)[1].split("Sources differ on", 1)[0]
    found = re.findall(r"<p style=\"margin:0 0 12px\">(.*?)</p>", body, re.S)
    return [p for p in found if "<a " in p]


def test_the_seeds_segment_is_prose_with_one_link_per_run_of_a_source(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    report = run(seeds_config(make_config, seeds_dir), NOW)
    text, html = parts(read_outbox(tmp_path / "outbox")[0])

    paragraphs = segment_paragraphs(html)
    assert 1 <= len(paragraphs) <= 2, report.summary()
    prose = " ".join(re.sub(r"<[^>]+>", "", p) for p in paragraphs)
    sentences = re.sub(r"\s*\((?:Blockworks|Second-day report)(?:, [^)]*)?\)", "", prose)
    assert len(sentences.split()) <= 100
    lowered = sentences.lower()
    assert "london" in lowered and ("talks" in lowered or "negotiations" in lowered)
    assert "delegation" in lowered and "rare earth" in lowered and "export" in lowered
    assert "60% (Blockworks) vs around 70% (Second-day report)" in " ".join(text.split())
    for paragraph in paragraphs:  # a link closes each run: never two of one source in a row
        outlets = re.findall(r">(Blockworks|Second-day report)</a>", paragraph)
        assert all(a != b for a, b in itertools.pairwise(outlets)), outlets
        assert paragraph.rstrip().endswith(")</span>")
    # Sentences run on within a paragraph: most end where the next begins.
    assert len(re.findall(r"[.!?][”\"’]?\s+[A-Z]", sentences)) >= 3


def test_after_the_lead_what_happened_first_comes_first() -> None:
    warning = make_story(
        "w",
        "AP",
        "A tsunami warning was issued for the coast of Hokkaido after a strong earthquake "
        "early Wednesday. Residents of coastal towns were told to move to higher ground.",
        title="Strong earthquake hits northern Japan",
        day=1,
    )
    lifted = make_story(
        "l",
        "Reuters",
        "Japan lifted its tsunami warning for Hokkaido on Thursday as waves stayed small. "
        "Rail services in the region resumed by the afternoon.",
        title="Japan lifts tsunami warning for Hokkaido",
        day=2,
    )
    summary = ExtractiveSummarizer().summarize(make_thread(warning, lifted), budget_words=80)
    texts = [s.text for s in summary.sentences]

    issued = next(i for i, s in enumerate(texts) if s.startswith("A tsunami warning was issued"))
    resumed = next(i for i, s in enumerate(texts) if s.startswith("Rail services"))
    assert issued < resumed
    later = [s.citations[0].story_id for s in summary.sentences[1:]]
    assert later == sorted(later, key=lambda sid: {"w": 1, "l": 2}[sid])


def test_one_figure_said_twice_in_other_words_is_said_once() -> None:
    reuters = make_story(
        "r",
        "Reuters",
        "Shares of Nvidia fell 3% in after-hours trading. The company warned of a $1 billion "
        "revenue hit from export curbs on its H20 chips. Chief executive Jensen Huang said "
        "demand remained strong.",
        title="Nvidia warns of $1 billion hit from China curbs",
    )
    cnbc = make_story(
        "c",
        "CNBC",
        "Nvidia shares dropped 3% after the bell. Nvidia expects the new export rules to cost "
        "it $1 billion in revenue this quarter. Analysts said the guidance was better than "
        "feared.",
        title="Nvidia stock slides after earnings",
        day=2,
    )
    summary = ExtractiveSummarizer().summarize(make_thread(reuters, cnbc))
    texts = [s.text for s in summary.sentences]

    assert sum("3%" in s for s in texts) == 1, texts
    assert sum("$1 billion" in s for s in texts) == 1, texts


def test_the_word_budget_counts_every_sentence() -> None:
    stories = [
        make_story(
            f"s{i}",
            f"Outlet {i}",
            " ".join(
                f"Sentence {j} of outlet {i} tells readers about the harbour works number {j}."
                for j in range(12)
            ),
        )
        for i in range(4)
    ]
    for budget in (20, 45, 100):
        summary = ExtractiveSummarizer().summarize(make_thread(*stories), budget_words=budget)
        words = sum(len(f"{s.lead_in} {s.text}".split()) for s in summary.sentences)
        assert 0 < words <= budget
