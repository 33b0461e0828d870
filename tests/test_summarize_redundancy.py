"""What a summary says once and in what order: the same fact from two outlets is one
sentence, but alike wording around figures for two quantities is two facts; a dek adds to the
headline; a name is given in full before its surname is used alone."""

from __future__ import annotations

import pytest

from digest.summary.summarize import ExtractiveSummarizer
from tests.summarize_helpers import make_story, make_thread

HEADLINE = "Consumer prices rose 2.4% in May from a year earlier, the Labor Department said."


def texts(*stories_text: tuple[str, str]) -> list[str]:
    stories = [make_story(f"s{i}", source, text) for i, (source, text) in enumerate(stories_text)]
    summary = ExtractiveSummarizer().summarize(make_thread(*stories), budget_words=60)
    return [s.text for s in summary.sentences]


def test_the_same_fact_from_two_outlets_is_said_once() -> None:
    said = texts(
        ("Wire", f"{HEADLINE} Gasoline prices fell for a third month as oil slid."),
        ("Daily", f"{HEADLINE.replace('said', 'reported')} Shelter costs drove the increase."),
    )
    assert sum("2.4%" in s for s in said) == 1


def test_the_same_figure_dated_by_one_outlet_only_is_still_said_once() -> None:
    dated = HEADLINE.replace("said.", "said on Wednesday.").replace("2.4%", "2.5%")
    said = texts(
        ("Wire", f"{HEADLINE} Gasoline prices fell for a third month as oil slid."),
        ("Daily", f"{dated} Shelter costs drove most of the increase."),
    )
    assert sum("Consumer prices rose" in s for s in said) == 1


def test_two_values_for_one_quantity_are_said_once_and_left_to_the_flag() -> None:
    other = HEADLINE.replace("2.4%", "2.5%")
    stories = [
        make_story("a", "Wire", f"{HEADLINE} Gasoline prices fell for a third month."),
        make_story("b", "Daily", f"{other} Shelter costs drove most of the increase."),
    ]
    summary = ExtractiveSummarizer().summarize(make_thread(*stories), budget_words=60)
    assert sum("Consumer prices rose" in s.text for s in summary.sentences) == 1
    (flag,) = summary.disagreements
    assert [f.value for f in flag.figures] == ["2.4%", "2.5%"]


def test_the_dek_is_a_title_that_adds_to_the_headline_not_one_that_rewords_it() -> None:
    text = "New York Gov. Andrew Cuomo said on Tuesday that he would resign from office."
    stories = [
        make_story("a", "Wire", text, title="New York Gov. Cuomo announces resignation"),
        make_story("b", "Daily", text, title="Cuomo resigns as governor of New York"),
        make_story("c", "Herald", text, title="Hochul to be New York's first female governor"),
    ]
    summary = ExtractiveSummarizer().summarize(make_thread(*stories))
    assert summary.headline.startswith("Cuomo")
    assert summary.dek == "Hochul to be New York's first female governor"
    # With nothing but rewordings to choose from, no dek at all rather than the news twice.
    reworded = [stories[0], stories[1]]
    assert ExtractiveSummarizer().summarize(make_thread(*reworded)).dek == ""


def test_a_surname_readers_met_in_an_earlier_edition_needs_no_new_introduction() -> None:
    day_one = make_story(
        "d1",
        "Daily",
        "Commerce Secretary Howard Lutnick joined the trade talks in London on Monday.",
        title="Lutnick joins London talks",
    )
    day_two = make_story(
        "d2",
        "Wire",
        "Lutnick said on Tuesday the talks in London were going well. Lutnick added that "
        "export controls on chips were on the table.",
        title="Lutnick upbeat on London talks",
        day=2,
    )
    # A second outlet repeats yesterday's introduction, which is not news to choose again.
    repeat = make_story("d3", "Herald", day_one.text, title="Lutnick in London", day=2)
    summary = ExtractiveSummarizer().summarize(
        make_thread(day_one, day_two, repeat), known_story_ids=frozenset({"d1"})
    )
    assert [s.text for s in summary.sentences][:1] == [
        "Lutnick said on Tuesday the talks in London were going well."
    ]


def test_a_title_sharing_only_a_prefix_with_the_headline_is_still_a_dek() -> None:
    text = "The Federal Reserve held interest rates steady on Wednesday."
    stories = [
        make_story("a", "Wire", text, title="Fed holds interest rates steady"),
        make_story("b", "Daily", text, title="International markets rally as Fed holds steady"),
    ]
    summary = ExtractiveSummarizer().summarize(make_thread(*stories))
    assert summary.headline == "Fed holds interest rates steady"
    assert summary.dek == "International markets rally as Fed holds steady"


def test_a_sentence_is_cited_only_to_stories_that_write_it_whole() -> None:
    gm = "General Motors raised its forecast on Tuesday. Shares rose 3% in New York trading."
    stories = [
        make_story("gm", "Reuters", gm),
        make_story("ap", "AP", gm),
        make_story(
            "f",
            "Bloomberg",
            "Ford cut its outlook on Tuesday. Ford shares rose 3% in New York trading.",
        ),
    ]
    summary = ExtractiveSummarizer().summarize(make_thread(*stories))
    cited = {s.text: {c.source for c in s.citations} for s in summary.sentences}
    assert cited["Shares rose 3% in New York trading."] == {"Reuters", "AP"}


def test_a_story_opening_with_she_said_is_not_quoted_without_her() -> None:
    said = texts(
        ("Wire", "She said the layoffs would be completed in stages over the next year."),
        ("Daily", "The carmaker will cut 2,000 jobs over the next year, it said on Monday."),
    )
    assert not any(s.startswith("She said") for s in said)


def test_live_blog_labels_are_cut_from_titles() -> None:
    text = "The S&P 500 closed at a record high on Friday after the jobs report."
    story = make_story("a", "Wire", text, title="LIVE UPDATES: S&P 500 closes at record high")
    other = make_story("b", "Daily", text, title="Stock market today: Dow rises as S&P hits record")
    summary = ExtractiveSummarizer().summarize(make_thread(story, other))
    assert summary.headline == "S&P 500 closes at record high"
    assert summary.dek == "Dow rises as S&P hits record"


ONE_VALUE_TWO_FACTS = {
    "two companies": (
        "Apple shares fell 3.5% on Monday after its developer conference.",
        "Microsoft shares fell 3.5% on Monday after a report on an antitrust complaint.",
        "3.5%",
    ),
    "a round number for two things": (
        "Israel released 600 Palestinian prisoners under the deal on Saturday.",
        "Some 600 aid trucks entered Gaza on Saturday, the United Nations said.",
        "600",
    ),
}


@pytest.mark.parametrize(
    ("wire", "daily", "figure"), ONE_VALUE_TWO_FACTS.values(), ids=ONE_VALUE_TWO_FACTS
)
def test_one_value_for_two_quantities_is_two_facts(wire: str, daily: str, figure: str) -> None:
    said = texts(("Wire", wire), ("Daily", daily))
    assert len([s for s in said if figure in s]) == 2


def test_a_second_source_behind_a_dateline_or_bullet_is_cited_too() -> None:
    lead = "The Bank of England held interest rates at 4.25% on Thursday."
    stories = [
        make_story("a", "Wire", f"{lead} Sterling rose after the decision."),
        make_story("b", "Daily", f"LONDON (Reuters) - {lead}\n\n• {lead}"),
    ]
    summary = ExtractiveSummarizer().summarize(make_thread(*stories))
    (sentence,) = [s for s in summary.sentences if s.text == lead] or [None]
    assert sentence is not None
    assert {c.source for c in sentence.citations} == {"Wire", "Daily"}


def test_a_second_source_is_not_cited_for_a_sentence_it_only_doubts() -> None:
    claim = "Tariffs on European cars will rise to 50% on July 9."
    stories = [
        make_story("a", "Wire", f"{claim} Carmakers warned of job losses."),
        make_story(
            "b",
            "Daily",
            f"If talks collapse - and officials warn they may - {claim[0].lower()}{claim[1:]}",
        ),
    ]
    summary = ExtractiveSummarizer().summarize(make_thread(*stories))
    cited = {s.text: {c.source for c in s.citations} for s in summary.sentences}
    assert cited.get(claim, {"Wire"}) == {"Wire"}


def test_names_that_look_like_pronouns_and_hyphenated_labels_are_kept() -> None:
    said = texts(
        ("Wire", "He Lifeng, China's vice premier, will lead the delegation in London."),
        ("Daily", "The talks in London are expected to last two days, officials said."),
    )
    assert any(s.startswith("He Lifeng") for s in said)
    title = "Live-action 'Lilo & Stitch' tops the box office again"
    story = make_story("a", "Wire", "The film led the box office for a third weekend.", title=title)
    assert ExtractiveSummarizer().summarize(make_thread(story)).headline == title
