"""Summarizers are found by name through entry points; a plug-in's output must be attributed.
Also: summaries of real AllSides events cite sources that contain every sentence."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from digest.errors import ConfigError, DigestError
from digest.models import Citation, Sentence, Story, Summary, Thread
from digest.summary.summarize import (
    CheckedSummarizer,
    ExtractiveSummarizer,
    load_summarizer,
    normalize,
)
from tests.conftest import SHARED_DATA
from tests.distributions import install_distribution
from tests.summarize_helpers import make_story, make_thread, seed_thread

PLUGIN = """
from digest.models import Citation, Sentence, Summary

class FirstSentence:
    def summarize(self, thread, *, known_story_ids=frozenset(), budget_words=100):
        story = thread.stories[0]
        cited = (Citation(story.id, story.source, story.url),)
        return Summary(story.title, "", (Sentence(story.text.split(". ")[0] + ".", cited),))

class Unattributed:
    def summarize(self, thread, *, known_story_ids=frozenset(), budget_words=100):
        return Summary("Made up", "", (Sentence("Something happened.", ()),))
"""


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Install two third-party summarizers the way a package would: a module and a dist-info
    whose entry_points.txt registers them in `digest.summarizers`."""
    (tmp_path / "my_summarizers.py").write_text(PLUGIN, encoding="utf-8")
    install_distribution(
        tmp_path,
        "my-summarizers",
        "[digest.summarizers]\nfirst = my_summarizers:FirstSentence\n"
        "unattributed = my_summarizers:Unattributed\n",
    )
    monkeypatch.syspath_prepend(str(tmp_path))


def test_the_built_in_summarizer_is_found_by_name() -> None:
    summary = load_summarizer("extractive").summarize(seed_thread())
    assert summary == ExtractiveSummarizer().summarize(seed_thread())


def test_an_unknown_summarizer_is_a_config_error_listing_the_available_ones() -> None:
    with pytest.raises(ConfigError) as error:
        load_summarizer("gpt")
    assert str(error.value).startswith(
        "Config value 'summary.summarizer': unknown summarizer 'gpt' (available: "
    )
    assert "extractive" in str(error.value)


@pytest.mark.usefixtures("plugins")
def test_a_plugged_in_summarizer_is_used_when_its_output_is_attributed() -> None:
    summary = load_summarizer("first").summarize(seed_thread())
    assert summary.sentences[0].text.startswith("Representatives from the US and China")
    assert summary.sentences[0].citations[0].source == "Blockworks"


@pytest.mark.usefixtures("plugins")
def test_a_plugged_in_summarizer_without_citations_is_refused_by_name() -> None:
    with pytest.raises(DigestError, match=r"summarizer 'unattributed': sentence 1 .* no source"):
        load_summarizer("unattributed").summarize(seed_thread())


class Fixed:
    """A plug-in whose summary is whatever `make` builds from the thread."""

    def __init__(self, make: Callable[[Thread], Summary]) -> None:
        self.make = make

    def summarize(
        self,
        thread: Thread,
        *,
        known_story_ids: frozenset[str] = frozenset(),
        budget_words: int = 100,
    ) -> Summary:
        return self.make(thread)


def test_a_citation_outside_the_thread_is_refused() -> None:
    cited = (Citation("elsewhere", "Nowhere", "https://nowhere.example/"),)
    stray = Fixed(lambda thread: Summary("H", "", (Sentence("Something happened.", cited),)))

    with pytest.raises(DigestError, match="'elsewhere', which is not a story of the thread"):
        CheckedSummarizer("stray", stray).summarize(seed_thread())


def allsides_threads(limit: int) -> list[Thread]:
    path = SHARED_DATA / "allsides" / "articles.jsonl"
    if not path.exists():
        pytest.skip("the shared AllSides data is not here")
    by_cluster: dict[str, list[Story]] = {}
    import datetime as dt

    for line in path.read_text(encoding="utf-8").splitlines():
        a = json.loads(line)
        published = dt.datetime.fromisoformat(a["date"]).astimezone(dt.UTC)
        text = "\n\n".join(a["paragraphs"])
        story = Story(a["article_id"], a["title"], a["url"], a["outlet"], published, text)
        by_cluster.setdefault(a["cluster_id"], []).append(story)
    clusters = sorted(by_cluster.items())[:limit]
    return [Thread(cid, tuple(s), s[0].published, s[-1].published) for cid, s in clusters]


def test_allsides_summaries_cite_sources_that_contain_every_sentence() -> None:
    for thread in allsides_threads(limit=12):
        summary = load_summarizer("extractive").summarize(thread)
        texts = {s.id: normalize(s.text) for s in thread.stories}
        assert summary.sentences and summary.headline
        assert len(" ".join(s.text for s in summary.sentences).split()) <= 100
        for sentence in summary.sentences:
            for citation in sentence.citations:
                assert normalize(sentence.text) in texts[citation.story_id], sentence.text


def test_a_plugged_in_sentence_its_source_does_not_bear_out_is_dropped_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def inventive(thread: Thread) -> Summary:
        story = thread.stories[0]
        cited = (Citation(story.id, story.source, story.url),)
        paraphrase = "The US and China began a second round of trade talks in London."
        invented = "Aliens landed in Paris today and were welcomed by the mayor."
        return Summary("H", "", (Sentence(paraphrase, cited), Sentence(invented, cited)))

    summary = CheckedSummarizer("inventive", Fixed(inventive)).summarize(seed_thread())

    assert [s.text for s in summary.sentences] == [
        "The US and China began a second round of trade talks in London."
    ]
    assert "summarizer 'inventive': dropped sentence 2" in caplog.text
    assert "Aliens landed in Paris" in caplog.text and "Blockworks" in caplog.text


def test_a_plugged_in_figure_its_source_does_not_give_or_turns_the_other_way_is_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reuters = make_story("r", "Reuters", "Tesla shares fell 5% on Tuesday after 1,200 job cuts.")
    insee = make_story("i", "Insee", "L'inflation a atteint 2,4 % en mai, selon l'Insee.")
    bls = make_story("b", "BLS", "Consumer prices rose 2.4% in May, down from 2.7% in April.")

    def paraphrases(thread: Thread) -> Summary:
        def cite(story: Story, text: str) -> Sentence:
            return Sentence(text, (Citation(story.id, story.source, story.url),))

        return Summary(
            "H",
            "",
            (
                cite(reuters, "Tesla shares fell 15% on Tuesday after job cuts."),
                cite(reuters, "Tesla shares fell five percent after 1200 job cuts."),
                cite(insee, "French inflation reached 2.4% in May, Insee said."),
                cite(reuters, "Tesla shares rose 5% on Tuesday after job cuts."),
                cite(reuters, "Tesla stock dropped 5% after it cut 1,200 jobs."),
                # a level, not a change: prices rose 2.4% as inflation fell to 2.4%
                cite(bls, "Annual consumer price inflation fell to 2.4% in May from 2.7%."),
            ),
        )

    thread = make_thread(reuters, insee, bls)
    summary = CheckedSummarizer("numbers", Fixed(paraphrases)).summarize(thread)

    assert [s.text for s in summary.sentences] == [
        "Tesla shares fell five percent after 1200 job cuts.",
        "French inflation reached 2.4% in May, Insee said.",
        "Tesla stock dropped 5% after it cut 1,200 jobs.",
        "Annual consumer price inflation fell to 2.4% in May from 2.7%.",
    ]
    assert "dropped sentence 1" in caplog.text and "gives 15" in caplog.text
    assert "dropped sentence 4" in caplog.text and "says 5 went up" in caplog.text
