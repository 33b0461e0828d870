"""The extractive summarizer on the seeds: what it says, where each sentence came from, what
it flags, and how a developing thread leads with what is new."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from digest.models import Summary, Thread
from digest.summary import extractive as ex
from digest.summary.summarize import ExtractiveSummarizer, normalize
from tests.summarize_helpers import FG_ID, SECOND_DAY_ID, make_story, make_thread, seed_thread


def summary_text(summary: Summary) -> str:
    return " ".join(s.text for s in summary.sentences)


def assert_sentences_come_from_their_sources(summary: Summary, stories: dict[str, str]) -> None:
    assert summary.sentences
    for sentence in summary.sentences:
        assert sentence.citations, sentence.text
        for citation in sentence.citations:
            assert normalize(sentence.text) in normalize(stories[citation.story_id]), sentence


def test_seed_thread_summary_names_the_event_and_flags_the_disagreement() -> None:
    thread = seed_thread()
    summary = ExtractiveSummarizer().summarize(thread)
    text = summary_text(summary).lower()

    assert "trade negotiations in london" in text and "trade talks in london" in text
    assert "treasury secretary scott bessent" in text
    assert "rare earth" in text
    assert "export" in text and "restrictions" in text
    assert len(text.split()) <= 100
    assert {c.source for s in summary.sentences for c in s.citations} == {
        "Blockworks",
        "Second-day report",
    }
    (flag,) = summary.disagreements
    assert "Sources differ on China’s share of the global supply of rare earths" in flag.describe()
    assert "60% (Blockworks)" in flag.describe()
    assert "70% (Second-day report)" in flag.describe()


def test_seed_summary_sentences_are_in_the_sources_they_cite() -> None:
    thread = seed_thread()
    summary = ExtractiveSummarizer().summarize(thread, budget_words=250)
    assert_sentences_come_from_their_sources(summary, {s.id: s.text for s in thread.stories})


def test_headline_and_dek_fit_a_subject_line_and_a_preheader() -> None:
    summary = ExtractiveSummarizer().summarize(seed_thread())
    assert summary.headline == "US and China reps meet on neutral ground for a second time"
    assert summary.dek.startswith("Trump’s team is feeling positive")
    assert len(summary.headline) <= 90 and len(summary.dek) <= 140


def test_a_developing_thread_leads_with_what_readers_have_not_seen() -> None:
    thread = seed_thread()
    summary = ExtractiveSummarizer().summarize(thread, known_story_ids=frozenset({FG_ID}))
    text = summary_text(summary)

    assert {c.story_id for s in summary.sentences for c in s.citations} == {SECOND_DAY_ID}
    assert "Lancaster House" in text
    assert "removal of restrictions" in text
    assert any(s.lead_in == "Markets:" for s in summary.sentences)
    # Already told yesterday (the US team), so not repeated:
    assert "Jamieson Greer" not in text and "Geneva" not in text
    # The second day's lead sentence stays in the summary, with its source: the dek (no
    # standfirst, no other title) is the report's first section heading, not that sentence.
    assert summary.sentences[0].text.startswith("The United States and China are continuing")
    assert summary.dek == "Talks in London Enter Second Day"


def test_with_more_room_a_developing_thread_adds_the_stances_and_the_easing() -> None:
    summary = ExtractiveSummarizer().summarize(
        seed_thread(), known_story_ids=frozenset({FG_ID}), budget_words=200
    )
    text = summary_text(summary)
    assert "good faith but with principles" in text
    assert "removal of restrictions on technology exports" in text


def assert_waits_for_the_sentence_before(text: str, number: int) -> None:
    """Sentence `number` of `text`, even as the most central, is chosen only with the sentence
    before it, and right after it."""
    before, dangling = ex.weigh(ex.candidates([make_story("a", "Wire", text)]), [])[number - 1 :][
        :2
    ]
    pool = [before, dangling]
    assert dangling.dangling and not before.dangling
    met = before.short_names | dangling.short_names  # names are not what is tested here
    alone = ex.select(pool, dangling.vec, budget_words=dangling.words, named=met)
    assert dangling not in alone
    both = ex.select(pool, dangling.vec, budget_words=before.words + dangling.words, named=met)
    assert ex.in_reading_order(both) == [before, dangling]


def test_a_sentence_saying_this_waits_for_what_this_is() -> None:
    assert_waits_for_the_sentence_before(
        "Officials said the ministry could lift the ban on chip exports next month. "
        "A ministry spokesman for chip exports declined to confirm this.",
        1,
    )


def test_dangling_openers_are_repaired_or_kept_after_their_antecedent() -> None:
    story = make_story(
        "a",
        "Wire",
        "The city council approved the new transit budget on Tuesday after a long debate.\n\n"
        "However, the mayor said she would veto the transit budget within a week.\n\n"
        "She called the plan reckless and said the council ignored the transit riders.",
    )
    other = make_story(
        "b",
        "Daily",
        "The council approved a transit budget that the mayor opposes, officials said.\n\n"
        "The mayor plans to veto the transit budget, her office said on Wednesday.",
        day=2,
    )
    summary = ExtractiveSummarizer().summarize(make_thread(story, other), budget_words=60)
    texts = [s.text for s in summary.sentences]
    assert not any(t.startswith(("However", "But ")) for t in texts)
    # Alone, the story gives all three: "However" cut, "She" right after the mayor.
    alone = ExtractiveSummarizer().summarize(make_thread(story), budget_words=60)
    assert [s.text for s in alone.sentences] == [
        "The city council approved the new transit budget on Tuesday after a long debate.",
        "The mayor said she would veto the transit budget within a week.",
        "She called the plan reckless and said the council ignored the transit riders.",
    ]
    assert_waits_for_the_sentence_before(story.text, 2)


def test_a_quote_from_he_and_a_lone_several_wait_for_the_sentence_naming_them() -> None:
    story = make_story(
        "a",
        "Wire",
        "The Boston Celtics beat the New York Knicks 110-98 on Friday to reach the finals.\n\n"
        "Jayson Tatum led the Celtics with 31 points and 12 rebounds in the win.\n\n"
        "“We just kept playing our game,” he said after the win at TD Garden.\n\n"
        "Several said they would remember the win at TD Garden for a long time.",
    )
    summary = ExtractiveSummarizer().summarize(make_thread(story), budget_words=60)
    # The whole story fits: "he" right after Tatum, "Several" after the quote.
    assert [s.text for s in summary.sentences] == [p.strip() for p in story.text.split("\n\n")]
    assert_waits_for_the_sentence_before(story.text, 2)
    several = ex.candidates([story])[3]
    assert several.text.startswith("Several") and several.dangling


def test_titles_lose_outlet_tails_labels_and_trailing_periods() -> None:
    from digest.summary.headline import clean_title

    dispatch = "Police release footage - The Columbus Dispatch"
    assert clean_title(dispatch, ["The Columbus Dispatch"]) == "Police release footage"
    assert clean_title("Senate passes bill | Politics", ["Wire"]) == "Senate passes bill"
    assert clean_title("BREAKING: Senate passes bill.") == "Senate passes bill"
    # A tail that names no outlet of the thread is the headline's own.
    for kept in (
        "Biden: a look - and a plan for 2022",
        "Trump Meets Xi in Beijing - Trade War Ends",
        "Trade War Ends - US China",
    ):
        assert clean_title(kept, ["Reuters"]) == kept


def test_a_long_title_is_cut_where_a_clause_ends() -> None:
    from digest.summary.headline import HEADLINE_CHARS, shorten

    title = (
        "Heavy rain flooded parts of Central Texas on Friday, killing at least 24 people and "
        "leaving more than 20 girls missing from a summer camp along the Guadalupe River"
    )
    assert shorten(title, HEADLINE_CHARS) == (
        "Heavy rain flooded parts of Central Texas on Friday, killing at least 24 people"
    )
    unbroken = "Supreme Court Rules That Administration May Proceed With Layoffs At Agency " * 2
    assert shorten(unbroken, HEADLINE_CHARS).endswith("…")


def test_the_seeds_headline_is_the_written_one_not_an_opening_sentence(seeds_dir: Path) -> None:
    # Seed 002 has no headline of its own: its title is its opening sentence, which the
    # summary may lead with. Blockworks' written headline must win.
    from digest.models import Thread
    from tests.test_threads import seed_story

    stories = (seed_story(seeds_dir, "000"), seed_story(seeds_dir, "002"))
    assert stories[1].text.startswith(stories[1].title)
    when = stories[0].published
    thread = Thread("t", stories, opened=when, updated=when)

    summary = ExtractiveSummarizer().summarize(thread)

    assert summary.headline == "US and China reps meet on neutral ground for a second time"


def test_an_article_reached_through_two_feeds_is_cited_once() -> None:
    import dataclasses

    from digest.models import SourceRef

    story = make_story(
        "a",
        "Wire",
        "The central bank held its key rate at 4% on Tuesday. Officials signalled a cut in June.",
        title="Central bank holds rates at 4%",
    )
    twice = (SourceRef("Wire", story.url, "Markets"), SourceRef("Wire", story.url, "World"))
    thread = make_thread(dataclasses.replace(story, sources=twice))

    summary = ExtractiveSummarizer().summarize(thread)

    assert summary.sentences
    assert all(len(s.citations) == 1 for s in summary.sentences)


def test_a_one_sentence_story_is_not_echoed_by_its_dek() -> None:
    story = make_story(
        "b", "Local News", "A small bakery in Ohio won the state's bread prize on Saturday."
    )
    summary = ExtractiveSummarizer().summarize(make_thread(story))

    assert [s.text for s in summary.sentences] == [story.text]
    assert summary.dek != story.text


def test_a_lone_story_without_a_standfirst_keeps_its_lead_and_has_no_dek() -> None:
    lead = (
        "The Federal Reserve held its benchmark rate steady on Wednesday at a range of 4.25% "
        "to 4.5%, citing elevated uncertainty about the outlook after months of tariff news."
    )
    story = make_story(
        "f", "Wire", f"{lead} Officials signalled two cuts later this year. Markets rose."
    )

    summary = ExtractiveSummarizer().summarize(make_thread(story))

    assert summary.dek == ""  # a body sentence cut short would lose words and its source
    assert lead in [s.text for s in summary.sentences]


def test_a_section_heading_is_the_dek_when_there_is_no_standfirst_or_other_title() -> None:
    text = (
        "Sign up for our morning newsletter\n\n"
        "The city council approved a new budget for parks on Tuesday after a long debate.\n\n"
        "Where the Money Goes\n\n"
        "Most of the money will repair playgrounds and replant trees along the river.\n\n"
        "Council Splits Over Pool Repairs at Riverside Park\n\n"
        "Two members voted against the plan, saying the pools needed the money first."
    )
    story = make_story("p", "Local News", text, title="Council approves parks budget")

    summary = ExtractiveSummarizer().summarize(make_thread(story))

    # Not the sign-up line, not the three-word label: the first heading that says something.
    assert summary.dek == "Council Splits Over Pool Repairs at Riverside Park"


def test_a_standfirst_that_repeats_the_lead_sentence_is_not_the_dek() -> None:
    lead = "Boeing machinists voted on Sunday to end a seven-week strike at its Seattle plants."
    story = replace(
        make_story(
            "b",
            "Wire",
            f"{lead} Production restarts next week.",
            title="Boeing strike ends after machinists vote",
        ),
        dek=lead,
    )
    other = make_story(
        "c",
        "Paper",
        "Machinists at Boeing accepted the company's latest offer on Sunday.",
        title="Boeing machinists accept offer, ending seven-week walkout",
    )

    summary = ExtractiveSummarizer().summarize(make_thread(story, other))

    assert (summary.headline, summary.dek) == (other.title, story.title)
    assert lead in [s.text for s in summary.sentences]


def test_an_empty_thread_gives_an_empty_summary() -> None:
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    summary = ExtractiveSummarizer().summarize(Thread("t-empty", (), now, now))
    assert summary.sentences == () and summary.headline == ""


def test_without_standfirsts_the_dek_is_another_outlets_title_and_the_lead_stays() -> None:
    lead = (
        "The Federal Reserve held its benchmark rate steady on Wednesday at a range of 4.25% "
        "to 4.5%, citing elevated uncertainty about the outlook."
    )
    wire = make_story(
        "w",
        "Wire",
        f"{lead} Officials signalled two cuts later this year.",
        title="Fed holds rates steady, signals two cuts in 2025",
    )
    paper = make_story(
        "p",
        "Daily Paper",
        "Federal Reserve officials kept rates on hold on Wednesday. Stocks rose after the "
        "decision as investors bet on cuts later this year.",
        title="Stocks climb as Federal Reserve leaves interest rates unchanged",
    )

    summary = ExtractiveSummarizer().summarize(make_thread(wire, paper))

    assert summary.headline == paper.title
    assert summary.dek == wire.title
    assert lead in [s.text for s in summary.sentences]


def test_a_disagreement_readers_were_shown_is_not_repeated_on_day_three() -> None:
    seeds = seed_thread()
    day_three = make_story(
        "d3",
        "Wire",
        "The talks in London ended on Wednesday with a framework that both delegations will "
        "take home to their leaders for approval.",
        title="US and China agree on framework to ease trade tensions",
        day=11,
    )
    thread = make_thread(*seeds.stories, day_three)

    first_time = ExtractiveSummarizer().summarize(seeds, known_story_ids=frozenset({FG_ID}))
    day_three_summary = ExtractiveSummarizer().summarize(
        thread, known_story_ids=frozenset({FG_ID, SECOND_DAY_ID})
    )

    assert first_time.disagreements  # news on day two: the 70% came in
    assert day_three_summary.disagreements == ()


def test_a_name_given_short_is_only_used_after_the_sentence_that_says_who_it_is() -> None:
    from digest.summary import extractive as ex

    story = make_story(
        "n",
        "Wire",
        "Trade talks between the two countries resumed in Geneva on Monday. "
        "The delegation is led by Commerce Secretary Howard Lutnick and two deputies. "
        "Lutnick, who previously led Cantor Fitzgerald, is seen as the key voice on export "
        "controls and chip tariffs in Geneva.",
    )
    pool = ex.weigh(ex.candidates([story]), [])
    intro, short = pool[1], pool[2]
    assert short.short_names == {"Lutnick"} and "Lutnick" in intro.full_names

    # Even as the most central sentence, it waits for the one that says who Lutnick is.
    alone = ex.select(pool, short.vec, budget_words=short.words)
    both = ex.select(pool, short.vec, budget_words=short.words + intro.words)
    assert short not in alone
    assert short in both and both.index(intro) < both.index(short)
    # A reader who met the full name in an earlier edition needs no introduction.
    assert short in ex.select(pool, short.vec, budget_words=short.words, named=intro.full_names)


def test_only_names_a_story_shortened_wait_for_their_full_form() -> None:
    from digest.summary import extractive as ex

    story = make_story(
        "m",
        "Wire",
        "Treasury Secretary Scott Bessent met Goldman Sachs Group Inc executives and Prime "
        "Minister Keir Starmer in London on Monday. "
        "Treasury yields rose after the meeting as traders bet on a trade deal this month. "
        "Goldman Sachs shares climbed two percent in early trading on the news from London. "
        "The Prime Minister said the talks had gone well and would continue next week. "
        "Bessent’s team said a deal on tariffs could come within days of the meeting.",
    )
    short = {c.text.split()[0]: c.short_names for c in ex.candidates([story])}

    assert short["Treasury"] == set() and short["Goldman"] == set() and short["The"] == set()
    assert short["Bessent’s"] == {"Bessent"}  # a possessive is a short name too


def test_no_comment_lines_are_left_out_but_news_with_those_words_stays() -> None:
    from digest.summary import extractive as ex

    kept = [
        "Negotiators said a deal could not be reached before the Friday deadline.",
        "Hamas did not respond to calls for a ceasefire on Monday, officials said.",
        "The senator responded to the president's comments by calling for an inquiry.",
        "Trump returned to Ohio, where his comments on immigration drew sharp criticism.",
    ]
    dropped = [
        "The company did not immediately respond to a request for comment on Friday.",
        "Minister Wang declined to comment to the press after the meeting.",
        "The White House did not immediately respond to requests for information.",
        "Representatives for the singer did not immediately return messages.",
        "The mayor's office could not be reached by phone or email on Friday.",
    ]
    story = make_story("c", "Wire", " ".join(kept + dropped))

    assert [c.text for c in ex.candidates([story])] == kept


def test_a_sentence_leaning_on_the_lead_stays_with_it_before_older_stories() -> None:
    new = make_story(
        "n",
        "Wire",
        "The mayor vetoed the transit budget on Wednesday, a day after the council passed it.\n\n"
        "She called the transit budget reckless and said riders deserved better service.",
        day=2,
    )
    old = make_story(
        "o", "Daily", "The council passed the transit budget on Tuesday after a long debate."
    )
    pool = ex.weigh(ex.candidates([new, old]), [])
    lead, leaning, older = pool
    assert leaning.dangling
    assert ex.in_reading_order([lead, older, leaning]) == [lead, leaning, older]
