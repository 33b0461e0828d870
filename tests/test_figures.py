"""Figures that disagree: flagged when two sources measure the same thing differently, and
only then."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from digest.models import Citation, Disagreement, Figure, Story
from digest.summary.figures.compare import find_disagreements
from digest.summary.figures.mentions import mentions
from tests.summarize_helpers import FG_ID, SECOND_DAY_ID, make_story, seed_thread


def test_seeds_disagree_on_chinas_share_of_rare_earths() -> None:
    (flag,) = find_disagreements(seed_thread().stories)
    assert "rare earth" in flag.quantity
    assert "global supply" in flag.quantity
    assert [(f.value, f.citation.source, f.citation.story_id) for f in flag.figures] == [
        ("60%", "Blockworks", FG_ID),
        ("around 70%", "Second-day report", SECOND_DAY_ID),
    ]
    assert flag.describe().startswith("Sources differ on China’s share of the global supply")


UNRELATED = [
    # Same unit, different quantities: market moves, export declines, magnet supply.
    (
        "Chinese exports to the US were down 35% year over year last month. The S&P 500 and "
        "Nasdaq Composite indexes were up 0.3% and 0.5% over the day, respectively.",
        "The S&P 500 approached its February high with a 2% gain. Imports from Mexico fell "
        "12% in the first quarter of the year.",
    ),
    # Vaccination rates of different countries and a different date.
    (
        "As of Tuesday, 47.9% of Americans had received at least one dose of the vaccine.",
        "The share of people with at least one dose was 45% in Canada and 17% in Brazil. "
        "By March 1, 30% of Americans had received at least one dose of the vaccine.",
    ),
    # Money for different things.
    (
        "Biden signed a $1.9 trillion Covid relief bill into law in March.",
        "He proposed approximately $6 trillion in spending in three massive packages.",
    ),
    # Consistent figures: rounding, and a lower bound that the other value satisfies.
    (
        "Nearly 8 percent of those who got a first shot have missed their second doses.",
        "Statistics show that 8% of people who got a first shot have missed their second doses. "
        "More than 5 million people have missed their second shot of the vaccine.",
    ),
    (
        "More than 60% of voters in the state backed the measure in the referendum.",
        "About 64% of voters in the state backed the measure in the referendum on Tuesday.",
    ),
]


def test_the_same_quantity_from_two_outlets_is_flagged_with_both_values() -> None:
    stories = [
        make_story("a", "Wire", "The strike left 1,200 workers at the plant without pay."),
        make_story("b", "Daily", "Officials said 40% of the state’s budget goes to schools."),
        make_story("c", "Herald", "Lawmakers said 55% of the state’s budget goes to schools."),
    ]
    (flag,) = find_disagreements(stories)
    assert [f.value for f in flag.figures] == ["40%", "55%"]
    assert [f.citation.source for f in flag.figures] == ["Daily", "Herald"]


def test_two_figures_for_the_same_group_of_people_are_flagged() -> None:
    rate = "The unemployment rate for Black workers rose to {}% last month, the report said."
    stories = [
        make_story("a", "Wire", rate.format("6.1")),
        make_story("b", "Daily", rate.format("5.8")),
    ]
    (flag,) = find_disagreements(stories)
    assert [f.value for f in flag.figures] == ["6.1%", "5.8%"]


def test_outlets_stating_the_same_value_are_named_together_and_counted_past_three() -> None:
    rare_earths = "China mines {}% of the global supply of rare earths."
    stories = [
        make_story(f"s{n}", f"Outlet {n}", rare_earths.format(60 if n % 2 else 70))
        for n in range(1, 51)
    ]
    (flag,) = find_disagreements(stories)
    assert flag.describe().endswith(
        ": 60% (Outlet 1, Outlet 3 and 23 more) vs 70% (Outlet 2, Outlet 4 and 23 more)"
    )
    (small,) = find_disagreements(stories[:4])
    assert small.describe().endswith(": 60% (Outlet 1 and Outlet 3) vs 70% (Outlet 2 and Outlet 4)")


def test_one_outlet_is_never_flagged_against_itself() -> None:
    story = make_story(
        "a",
        "Wire",
        "China mines 60% of the global supply of rare earths. Later, China mines "
        "70% of the global supply of rare earths, the agency said.",
    )
    assert find_disagreements([story]) == ()


def test_figures_equal_at_the_stated_precision_agree() -> None:
    stories = [
        make_story("a", "Axios", "A vote on the $1.2 trillion infrastructure bill was delayed."),
        make_story(
            "b", "Review", "The House delayed a vote on the $1 trillion infrastructure bill."
        ),
    ]
    assert find_disagreements(stories) == ()


def test_money_for_the_same_thing_is_described_by_what_it_pays_for() -> None:
    stories = [
        make_story("a", "Axios", "A vote on the $1.2 trillion infrastructure bill was delayed."),
        make_story(
            "b", "Review", "The House delayed a vote on the $2.5 trillion infrastructure bill."
        ),
    ]
    (flag,) = find_disagreements(stories)
    assert flag.describe() == (
        "Sources differ on the infrastructure bill: $1.2 trillion (Axios) vs $2.5 trillion (Review)"
    )


GALLUP_BIDEN = "Biden's approval rating fell to 38% in the latest Gallup poll of voters."
GALLUP_TRUMP = "Trump's approval rating fell to 45% in the latest Gallup poll of voters."
JOBS = "The unemployment rate in the United States rose to 4.2% in May, the Labor Department said."
PRICES = "The inflation rate in the United States rose to 3.1% in May, the Labor Department said."


@pytest.mark.parametrize(
    ("first", "second"),
    [(GALLUP_BIDEN, GALLUP_TRUMP), (JOBS, PRICES)],
    ids=["approval ratings", "unemployment and inflation"],
)
def test_outlets_that_print_the_same_figures_agree(first: str, second: str) -> None:
    stories = [
        make_story("a", "Wire", f"{first}\n\n{second}"),
        make_story("b", "Daily", f"{second}\n\n{first}"),
    ]
    assert find_disagreements(stories) == ()


def test_a_value_the_other_outlet_also_states_is_not_in_dispute() -> None:
    rare_earths = "China mines {} of the global supply of rare earths."
    stories = [
        make_story("a", "Wire", rare_earths.format("60%")),
        make_story(
            "b",
            "Daily",
            f"{rare_earths.format('60%')} Some analysts put it higher: {rare_earths.format('70%')}",
        ),
    ]
    assert find_disagreements(stories) == ()


DIFFERENT_SUBJECTS = {
    "approval of two people": (GALLUP_BIDEN, GALLUP_TRUMP),
    "two rates": (JOBS, PRICES),
    "two companies": (
        "Tesla shares fell 5% on Tuesday after the company missed delivery estimates.",
        "Ford shares fell 3% on Tuesday after the company missed delivery estimates.",
    ),
    "each company's own revenue": (
        "Tesla said its revenue rose 5% in the quarter, beating estimates.",
        "Ford said its revenue rose 3% in the quarter, beating estimates.",
    ),
    "mining and processing": (
        "China accounts for 60% of global rare earth mining, according to the agency.",
        "China accounts for 90% of global rare earth processing, according to the agency.",
    ),
    "two chambers": (
        "The bill passed the Senate with 60% of lawmakers voting in favour on Thursday.",
        "The bill passed the House with 70% of lawmakers voting in favour on Thursday.",
    ),
    "a group and everyone": (
        "The unemployment rate for Black workers rose to 6.1% last month, the report said.",
        "The unemployment rate for all workers rose to 4.2% last month, the report said.",
    ),
    "a state and the nation": (
        "The unemployment rate rose to 4.2% in May, the Labor Department said.",
        "The California unemployment rate rose to 5.5% in May, the Labor Department said.",
    ),
    "a product and the company": (
        "Apple's revenue rose 5% in the quarter, the company said.",
        "Apple's iPhone revenue rose 13% in the quarter, the company said.",
    ),
    "a market and the world": (
        "Tesla's sales rose 13% in the quarter from a year earlier.",
        "Tesla's China sales rose 25% in the quarter from a year earlier.",
    ),
    "a country and its currency area": (
        "Inflation slowed to 1.9% in June, official data showed on Tuesday.",
        "German inflation slowed to 2.4% in June, official data showed on Tuesday.",
    ),
    "a group and no group": (
        "Among adults under 30, support for the plan reached 61%, the poll found.",
        "Support for the plan reached 48%, the poll found.",
    ),
}


DIFFERENT_PERIODS_OR_PARTS = {
    "a year and a month": (
        "Consumer prices rose 3.2% from a year earlier, the report showed.",
        "Consumer prices rose 0.4% from a month earlier, the report showed.",
    ),
    "two quarters": (
        "The economy grew 2.1% in the first quarter, the agency said.",
        "The economy grew 3.0% in the second quarter, the agency said.",
    ),
    "a year on one side only": (
        "The unemployment rate rose to 4.2% in May.",
        "The unemployment rate rose to 3.6% in May 2019.",
    ),
    "now and before": (
        "The fund now owns 12% of the company after the purchase.",
        "The fund previously owned 8% of the company before the purchase.",
    ),
    "a target and a result": (
        "The company aims to cut emissions by 50% by the end of the decade.",
        "The company has cut emissions by 20% since the start of the decade.",
    ),
    "a plan and a result": (
        "The city plans to cut bus fares by 30% this year, the mayor said.",
        "The city cut bus fares by 10% this year, the mayor said.",
    ),
    "two destinations": (
        "Officials said 15% of the budget goes to defense spending.",
        "Officials said 25% of the budget goes to health spending.",
    ),
    "a sum and its part": (
        "Officials said 40% of the state’s budget goes to schools and roads.",
        "Lawmakers said 55% of the state’s budget goes to schools.",
    ),
    "two months named without a day": (
        "Inflation in the euro zone rose 2.4% in May, official figures showed.",
        "Inflation in the euro zone rose 2.6% in April, official figures showed.",
    ),
    "a range and a value inside it": (
        "Prices rose 10-15% over the year, the report said.",
        "Prices rose 12% over the year, the report said.",
    ),
    "a fall and a rise of the same size": (
        "The index moved −5% on the day, traders said.",
        "The index moved 5% on the day, traders said.",
    ),
}


MOMENTS_PLACES_AND_UNITS_APART = {
    "a state's rate in an opening clause": (
        "In California, the unemployment rate rose to 5.5% in May, officials said.",
        "The unemployment rate rose to 4.2% in May, officials said.",
    ),
    "turnout at noon and at the close": (
        "Turnout in the presidential election was 38% at noon on Sunday, officials said.",
        "Turnout in the presidential election was 61% on Sunday, officials said.",
    ),
    "a price per share and a deal's total": (
        "The company agreed to be bought for $25 a share in cash on Monday.",
        "The company agreed to be bought for $2.5 billion in cash on Monday.",
    ),
    "a value with debt and one without": (
        "The deal values the company at $64 billion, the companies said on Monday.",
        "The deal values the company at $69 billion including debt, the companies said on Monday.",
    ),
    "a day's fall and a fall from the peak": (
        "Tesla shares fell 5% on Tuesday after the earnings report.",
        "Tesla shares have fallen 45% from their peak on Tuesday after the earnings report.",
    ),
    "youth and overall unemployment": (
        "Unemployment in the euro zone fell to 6.3% in April, Eurostat said.",
        "Youth unemployment in the euro zone fell to 14.5% in April, Eurostat said.",
    ),
    "a round approximate figure": (
        "Nearly 40% of voters backed the measure in the referendum, officials said.",
        "Some 38% of voters backed the measure in the referendum, officials said.",
    ),
}


def test_commodity_and_currency_prices_hours_apart_are_two_moments() -> None:
    for text in (
        "Gold prices rose {} on Monday as the dollar weakened.",
        "The dollar fell {} against the yen on Monday after the data.",
        "The Palisades fire was {} contained on Tuesday, officials said.",
    ):
        stories = [
            _at(8, "a", "Wire", text.format("1.2%")),
            _at(16, "b", "Daily", text.format("2.1%")),
        ]
        assert find_disagreements(stories) == (), text


DIFFERENT_MEASURES = {
    "core and all prices": (
        "Core consumer prices rose 3.8% in March from a year earlier, the department said.",
        "Consumer prices rose 3.5% in March from a year earlier, the department said.",
    ),
    "real and nominal growth": (
        "Real gross domestic product grew 2.1% in the second quarter.",
        "Gross domestic product grew 4.5% in the second quarter.",
    ),
    "adjusted and reported earnings": (
        "Adjusted earnings per share rose 12% in the first quarter.",
        "Earnings per share rose 8% in the first quarter.",
    ),
    "median and all income": (
        "Median household income rose 4% last year, the Census Bureau said.",
        "Household income rose 6% last year, the Census Bureau said.",
    ),
    "net and all revenue": (
        "Net revenue at the bank climbed 9% in the third quarter.",
        "Revenue at the bank climbed 7% in the third quarter.",
    ),
    "a first estimate and its revision": (
        "Preliminary estimates show the economy grew 2.1% in the quarter.",
        "The economy grew 2.4% in the quarter, revised figures show.",
    ),
    "diluted and basic earnings": (
        "Diluted earnings per share came to $1.20 in the quarter.",
        "Earnings per share came to $1.35 in the quarter.",
    ),
    "a premarket move and the day's": (
        "Apple shares rose 5% in premarket trading on Tuesday.",
        "Apple shares rose 3% on Tuesday.",
    ),
    "the most a share moved and where it ended": (
        "Tesla shares fell as much as 8% on Thursday after the earnings report.",
        "Tesla shares fell 5% on Thursday after the earnings report.",
    ),
    "a high of the day and the day's": (
        "Apple shares were up 5% at one point on Tuesday.",
        "Apple shares were up 3% on Tuesday.",
    ),
}


def _at(hour: int, story_id: str, source: str, text: str) -> Story:
    published = dt.datetime(2025, 6, 2, hour, 0, tzinfo=dt.UTC)
    return replace(make_story(story_id, source, text), published=published)


def test_market_quotes_taken_hours_apart_are_not_in_dispute() -> None:
    morning = _at(9, "a", "Wire", "Bitcoin traded at $65,000 on Monday, and Tesla shares fell 5%.")
    afternoon = _at(
        15, "b", "Daily", "Bitcoin traded at $67,000 on Monday, and Tesla shares fell 7%."
    )
    assert find_disagreements([morning, afternoon]) == ()
    # Written at the same time, they disagree; so do two closing prices taken hours apart.
    same_time = _at(9, "c", "Daily", "Bitcoin traded at $67,000 on Monday.")
    assert len(find_disagreements([morning, same_time])) == 1
    closes = [
        _at(9, "d", "Wire", "Tesla shares closed 5% lower on Monday."),
        _at(15, "e", "Daily", "Tesla shares closed 7% lower on Monday."),
    ]
    assert [[f.value for f in d.figures] for d in find_disagreements(closes)] == [["5%", "7%"]]


COUNTS_OF_DIFFERENT_THINGS = {
    "two companies' job cuts": (
        "Intel said on Tuesday it would cut 15,000 jobs as sales slump.",
        "Cisco said on Tuesday it would cut 5,600 jobs as sales slump.",
    ),
    "two data sources": (
        "ADP said employers added 140,000 jobs in May.",
        "The Labor Department said employers added 225,000 jobs in May.",
    ),
    "a named data source and the government": (
        "Employers added 37,000 jobs in May, according to ADP.",
        "Employers added 139,000 jobs in May, the government said.",
    ),
    "two named data sources at the end": (
        "Employers added 140,000 jobs in May, according to ADP.",
        "Employers added 225,000 jobs in May, according to the Labor Department.",
    ),
    "places in an opening clause": (
        "In Haiti, 24 people were killed by the storm on Monday, officials said.",
        "In Cuba, 31 people were killed by the storm on Monday, officials said.",
    ),
    "votes for and against": (
        "The House passed the bill on Thursday with 218 votes in favor.",
        "The House passed the bill on Thursday with 214 votes against.",
    ),
    "new and all cases": (
        "Health officials reported 24 new cases of measles in the county on Tuesday.",
        "Health officials reported 1,200 cases of measles in the county on Tuesday.",
    ),
    "members voting on and for": (
        "The union said 33,000 members voted on the contract on Friday.",
        "The union said 20,000 members voted for the contract on Friday.",
    ),
    "a part of a total": (
        "Police said 24 people were injured in clashes in the capital on Saturday.",
        "Police said 12 officers and 40 people were injured in clashes in the capital on Saturday.",
    ),
    "a model and a count": (
        "The A320 passengers were evacuated down emergency slides on Monday, the airline said.",
        "The 180 passengers were evacuated down emergency slides on Monday, the airline said.",
    ),
    "a flight number": (
        "Flight 370 passengers were evacuated down emergency slides on Monday.",
        "Flight 371 passengers were evacuated down emergency slides on Monday.",
    ),
    "subscribers added and held": (
        "Netflix added 19 million subscribers in the quarter, the company said.",
        "Netflix had 302 million subscribers in the quarter, the company said.",
    ),
    "overall and core inflation in Spanish": (
        "La inflación bajó al 1,9% en mayo, según el instituto.",
        "La inflación subyacente bajó al 2,2% en mayo, según el instituto.",
    ),
    "a place in an opening clause": (
        "In Texas, the storms killed 24 people, officials said.",
        "The storms killed 31 people, officials said.",
    ),
    "a part named in an opening clause": (
        "Of those, the strike killed 9 children, medics said.",
        "The strike killed 24 children, medics said.",
    ),
    "a round figure and a precise one": (
        "The median home price rose to $420,000 in May, the realtors said.",
        "The median home price rose to $422,800 in May, the realtors said.",
    ),
}


def test_counts_reported_hours_apart_are_updates_and_other_counts_keep_apart() -> None:
    morning = _at(9, "a", "Wire", "The earthquake killed 24 people in the province on Monday.")
    evening = _at(15, "b", "Daily", "The earthquake killed 31 people in the province on Monday.")
    assert find_disagreements([morning, evening]) == ()  # the toll rose; nobody is wrong
    power = "The storm left {} customers without power in the state, the utility said."
    outages = [
        _at(9, "c", "Wire", power.format("300,000")),
        _at(15, "d", "Daily", power.format("150,000")),
    ]
    assert find_disagreements(outages) == ()
    for left, right in (
        # killed and injured; two central banks; a lower bound the other value meets
        (
            "The earthquake killed 24 people in the province on Monday.",
            "The earthquake injured 31 people in the province on Monday.",
        ),
        (
            "The Fed cut its benchmark rate by 25 basis points on Wednesday.",
            "The ECB cut its deposit rate by 50 basis points on Wednesday.",
        ),
        (
            "The earthquake killed at least 24 people in the province on Monday.",
            "The earthquake killed 31 people in the province on Monday.",
        ),
        # a bare number counts nothing we can name
        (
            "The earthquake struck at 24 minutes past nine on Monday.",
            "The earthquake struck at 31 minutes past nine on Monday.",
        ),
    ):
        stories = [_at(9, "c", "Wire", left), _at(9, "d", "Daily", right)]
        assert find_disagreements(stories) == (), (left, right)


#: Every pair above that must not be flagged: unrelated or consistent figures, and figures
#: for other subjects, periods, parts, measures, places, moments or counted things.
NOT_DISPUTES = {
    **{f"unrelated or consistent {i}": pair for i, pair in enumerate(UNRELATED, 1)},
    **DIFFERENT_SUBJECTS,
    **DIFFERENT_PERIODS_OR_PARTS,
    **DIFFERENT_MEASURES,
    **MOMENTS_PLACES_AND_UNITS_APART,
    **COUNTS_OF_DIFFERENT_THINGS,
}


@pytest.mark.parametrize(("left", "right"), NOT_DISPUTES.values(), ids=NOT_DISPUTES)
def test_figures_that_are_not_a_dispute_are_not_flagged(left: str, right: str) -> None:
    stories = [make_story("a", "Wire", left), make_story("b", "Daily", right)]
    assert find_disagreements(stories) == ()


def test_the_same_measure_named_on_both_sides_is_flagged() -> None:
    stories = [
        make_story("a", "Wire", "Core consumer prices rose 3.8% in March from a year earlier."),
        make_story("b", "Daily", "Core consumer prices rose 3.6% in March from a year earlier."),
        make_story("c", "Post", "Gross domestic product grew 2.1% in the second quarter."),
        make_story("d", "Times", "Gross domestic product grew 2.6% in the second quarter."),
    ]
    flags = [[f.value for f in flag.figures] for flag in find_disagreements(stories)]
    assert flags == [["3.8%", "3.6%"], ["2.1%", "2.6%"]]


CLEAN_LABELS = {
    "rate cut": (
        "The central bank cut its benchmark rate to 4.25% on Wednesday, the bank said.",
        "The central bank cut its benchmark rate to 4.5% on Wednesday, the bank said.",
        "Sources differ on the benchmark rate: 4.25% (Wire) vs 4.5% (Daily)",
    ),
    "deal price": (
        "Microsoft agreed to buy the game maker for $69 billion in cash, the companies said.",
        "Microsoft agreed to buy the game maker for $75 billion in cash, the companies said.",
        "Sources differ on the price of the game maker: $69 billion (Wire) vs $75 billion (Daily)",
    ),
    "tariff": (
        "The United States will raise tariffs on Chinese goods to 145% starting next week.",
        "The United States will raise tariffs on Chinese goods to 125% starting next week.",
        "Sources differ on tariffs on Chinese goods: 145% (Wire) vs 125% (Daily)",
    ),
    "count": (
        "Officials said the storm left 2 million homes without power across Florida.",
        "Officials said the storm left 3 million homes without power across Florida.",
        "Sources differ on the number of homes: 2 million (Wire) vs 3 million (Daily)",
    ),
    "people killed": (
        "The earthquake killed 24 people in the province, officials said.",
        "The earthquake killed 31 people in the province, officials said.",
        "Sources differ on the number of people killed: 24 (Wire) vs 31 (Daily)",
    ),
    "people killed, passive": (
        "In the province, 24 people were killed by the earthquake, officials said.",
        "In the province, 31 people were killed by the earthquake, officials said.",
        "Sources differ on the number of people killed: 24 (Wire) vs 31 (Daily)",
    ),
    "death toll": (
        "The death toll from the earthquake rose to 24 people on Tuesday.",
        "The death toll from the earthquake rose to 31 people on Tuesday.",
        "Sources differ on the death toll: 24 (Wire) vs 31 (Daily)",
    ),
    "payrolls": (
        "Employers added 225,000 jobs in May, the Labor Department said.",
        "Employers added 272,000 jobs in May, the Labor Department said.",
        "Sources differ on the number of jobs added: 225,000 (Wire) vs 272,000 (Daily)",
    ),
    "a price per share, however written": (
        "The buyer agreed to pay $25 per share in cash for the company on Monday.",
        "The buyer agreed to pay $23 a share in cash for the company on Monday.",
        "Sources give different figures: $25 (Wire) vs $23 (Daily)",
    ),
    "two figures of different units in a clause": (
        "Oracle's revenue rose 11% to $15.9 billion in the fourth quarter.",
        "Oracle's revenue rose 11% to $16.9 billion in the fourth quarter.",
        "Sources give different figures: $15.9 billion (Wire) vs $16.9 billion (Daily)",
    ),
    "points lost": (
        "The Dow lost 240 points on Tuesday to close at a two-month low.",
        "The Dow lost 310 points on Tuesday to close at a two-month low.",
        "Sources differ on the number of points lost: 240 (Wire) vs 310 (Daily)",
    ),
    "points, no verb named": (
        "The Dow closed down 240 points on Tuesday.",
        "The Dow closed down 310 points on Tuesday.",
        "Sources differ on the number of points: 240 (Wire) vs 310 (Daily)",
    ),
    "size of a rate cut": (
        "The Fed cut its benchmark rate by 25 basis points on Wednesday.",
        "The Fed cut its benchmark rate by 50 basis points on Wednesday.",
        "Sources differ on the cut to the benchmark rate: 25 (Wire) vs 50 (Daily)",
    ),
    "share of a budget": (
        "Officials said 40% of the state’s budget goes to schools.",
        "Lawmakers said 55% of the state’s budget goes to schools.",
        "Sources differ on the share of the state’s budget: 40% (Wire) vs 55% (Daily)",
    ),
}


PARAPHRASED = {
    "deal price, paid or bought for": (
        "Microsoft will pay $69 billion for Activision Blizzard.",
        "Microsoft agreed to buy Activision Blizzard for $75 billion.",
        "Sources differ on the price of Activision Blizzard: $69 billion (Wire) vs "
        "$75 billion (Daily)",
    ),
    "turnout": (
        "Voter turnout reached 62% in Sunday's election.",
        "Turnout in Sunday's election was 58%, the electoral commission said.",
        "Sources give different figures: 62% (Wire) vs 58% (Daily)",
    ),
    "tariffs of a rate": (
        "The US will impose tariffs of 25% on steel imports.",
        "The US will impose tariffs of 10% on steel imports.",
        "Sources differ on tariffs on steel imports: 25% (Wire) vs 10% (Daily)",
    ),
    "a name that opens the sentence": (
        "Consumer prices rose 3.2% from a year earlier, the report showed.",
        "Consumer prices rose 3.5% from a year earlier, the report showed.",
        "Sources give different figures: 3.2% (Wire) vs 3.5% (Daily)",
    ),
    "... and is written in lower case elsewhere": (
        "Consumer prices rose 3.2% from a year earlier. Higher consumer prices hurt sales.",
        "Consumer prices rose 3.5% from a year earlier. Higher consumer prices hurt sales.",
        "Sources differ on consumer prices: 3.2% (Wire) vs 3.5% (Daily)",
    ),
    "... or capitalised mid-sentence": (
        "Tesla shares fell 5% on Tuesday. Investors sold Tesla after the report.",
        "Tesla shares fell 7% on Tuesday. Investors sold Tesla after the report.",
        "Sources differ on Tesla shares: 5% (Wire) vs 7% (Daily)",
    ),
    "decimal commas": (
        "Spain's jobless rate rose to 12,5% in May, officials said.",
        "Spain's jobless rate rose to 12,9% in May, officials said.",
        "Sources differ on Spain's jobless rate: 12,5% (Wire) vs 12,9% (Daily)",
    ),
}


@pytest.mark.parametrize(("left", "right", "expected"), PARAPHRASED.values(), ids=PARAPHRASED)
def test_the_same_figure_worded_differently_is_flagged_with_a_clean_name_or_none(
    left: str, right: str, expected: str
) -> None:
    stories = [make_story("a", "Wire", left), make_story("b", "Daily", right)]
    assert [flag.describe() for flag in find_disagreements(stories)] == [expected]


def test_exact_values_half_a_point_apart_differ_and_approximate_ones_do_not() -> None:
    turnout = "Turnout in Sunday's election reached {} of registered voters, officials said."
    exact = [
        make_story("a", "Wire", turnout.format("49.4%")),
        make_story("b", "Daily", turnout.format("48.9%")),
    ]
    assert [[f.value for f in d.figures] for d in find_disagreements(exact)] == [["49.4%", "48.9%"]]
    rough = [
        make_story("a", "Wire", turnout.format("about 49.4%")),
        make_story("b", "Daily", turnout.format("48.9%")),
    ]
    assert find_disagreements(rough) == ()


def test_a_decimal_comma_is_read_whole_and_agrees_with_a_decimal_point() -> None:
    (figure,) = mentions(make_story("a", "Wire", "Spain's jobless rate rose to 12,5% in May."))
    assert (figure.shown, figure.value) == ("12,5%", 12.5)
    stories = [
        make_story("a", "Wire", "Spain's jobless rate rose to 12,5% in May, officials said."),
        make_story("b", "Daily", "Spain's jobless rate rose to 12.5% in May, officials said."),
    ]
    assert find_disagreements(stories) == ()


@pytest.mark.parametrize(("left", "right", "expected"), CLEAN_LABELS.values(), ids=CLEAN_LABELS)
def test_a_flag_names_the_quantity_in_a_short_clean_phrase(
    left: str, right: str, expected: str
) -> None:
    stories = [make_story("a", "Wire", left), make_story("b", "Daily", right)]
    (flag,) = find_disagreements(stories)
    assert flag.describe() == expected


def test_a_flag_without_a_clean_name_says_so_neutrally() -> None:
    figures = (
        Figure("4.25%", Citation("a", "Wire", "https://wire.example/a")),
        Figure("4.5%", Citation("b", "Daily", "https://daily.example/b")),
    )
    assert Disagreement("", figures).describe() == (
        "Sources give different figures: 4.25% (Wire) vs 4.5% (Daily)"
    )
