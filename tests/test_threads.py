"""Grouping into threads: one event across outlets and days, copies, the horizon, ranking."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from digest.config import ThreadSettings
from digest.models import SourceRef, Story, Thread
from digest.sources.folder import read_article
from digest.threads.group import close_stale, group_threads, rank_threads

SETTINGS = ThreadSettings.model_validate({})
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def seed_story(seeds_dir: Path, prefix: str) -> Story:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    entry = read_article(path)
    assert entry.published is not None
    return Story(
        id=f"seed-{prefix}",
        title=entry.title,
        url=entry.url,
        source=entry.source,
        published=entry.published,
        text=entry.content,
        dek=entry.dek,
    )


def story(ident: str, title: str, text: str, when: dt.datetime, outlet: str = "Wire") -> Story:
    url = f"https://{outlet.lower().replace(' ', '')}.example/{ident}"
    return Story(ident, title, url, outlet, when, text, sources=(SourceRef(outlet, url),))


def test_both_seeds_form_one_thread(seeds_dir: Path, now: dt.datetime) -> None:
    seeds = [seed_story(seeds_dir, "000"), seed_story(seeds_dir, "002")]

    threads = group_threads(seeds, [], now, SETTINGS)

    assert len(threads) == 1
    assert [s.id for s in threads[0].stories] == ["seed-000", "seed-002"]
    assert threads[0].updated == now


def test_second_day_report_joins_the_first_days_thread(seeds_dir: Path) -> None:
    june9 = dt.datetime(2025, 6, 9, 23, 0, tzinfo=dt.UTC)
    (first,) = group_threads([seed_story(seeds_dir, "000")], [], june9, SETTINGS)

    changed = group_threads([seed_story(seeds_dir, "002")], [first], june9 + DAY, SETTINGS)

    assert [t.id for t in changed] == [first.id]
    assert [s.id for s in changed[0].stories] == ["seed-000", "seed-002"]
    assert changed[0].opened == first.opened
    assert changed[0].updated == june9 + DAY


def test_a_second_outlets_report_of_day_two_joins_the_stored_thread_too(seeds_dir: Path) -> None:
    # Two reports of the talks' second day form a piece of their own first; the piece still
    # continues the June 9 thread (full reports a day apart are one story developing).
    june9 = dt.datetime(2025, 6, 9, 23, 0, tzinfo=dt.UTC)
    (first,) = group_threads([seed_story(seeds_dir, "000")], [], june9, SETTINGS)
    wire = story(
        "wire-day2",
        "US and Chinese negotiators meet for a second day in London",
        "Negotiators from the United States and China returned to Lancaster House in London on "
        "Tuesday for a second day of trade talks meant to shore up the truce reached in Geneva. "
        "Treasury Secretary Scott Bessent said Monday's session had been productive, and "
        "Commerce Secretary Howard Lutnick said export controls were on the table. Vice Premier "
        "He Lifeng leads the Chinese team. Washington wants faster licences for rare earth "
        "exports, while Beijing wants U.S. curbs on chip software lifted. Asian shares rose on "
        "hopes of a deal.",
        june9 + dt.timedelta(hours=11),
        "Wire",
    )

    changed = group_threads([seed_story(seeds_dir, "002"), wire], [first], june9 + DAY, SETTINGS)

    assert [t.id for t in changed] == [first.id]
    assert sorted(s.id for s in changed[0].stories) == ["seed-000", "seed-002", "wire-day2"]


def test_a_follow_up_whose_rarest_words_are_new_still_finds_its_thread(now: dt.datetime) -> None:
    # In a small batch the words every story shares ("rail", "strike") weigh least; the
    # follow-up's rarest words (two cities, "enters") are new. It must still be compared.
    day1 = [
        story(
            "rail-wire",
            "Rail strike halts most trains across Germany",
            "Most long-distance and regional trains in Germany stopped on Thursday as the GDL "
            "train drivers' union began a 35-hour strike over pay and working hours. Deutsche "
            "Bahn said it was running an emergency timetable with about a fifth of its usual "
            "services. Union leader Claus Weselsky said members wanted a 35-hour week without "
            "a pay cut. Commuters crowded buses and roads, and freight traffic was also hit.",
            now - 30 * HOUR,
            "Wire",
        ),
        story(
            "rail-biz",
            "Deutsche Bahn runs emergency timetable as GDL strike begins",
            "Deutsche Bahn cut services to an emergency timetable on Thursday as the GDL train "
            "drivers' union walked out in its latest strike over working hours. The rail "
            "operator called the strike unnecessary and said it had offered more pay. Weselsky "
            "said the union would not accept longer shifts. Freight customers warned of delays "
            "to car parts and chemicals.",
            now - 28 * HOUR,
            "Business Daily",
        ),
    ]
    stored = group_threads(day1, [], now - DAY, SETTINGS)
    follow_up = story(
        "rail-day2",
        "Rail strike enters its second day as Munich and Hamburg stations stand empty",
        "Stations in Munich and Hamburg stood nearly empty on Friday as the GDL train drivers' "
        "strike entered its second day. Deutsche Bahn said its emergency timetable with about a "
        "fifth of usual services was holding, and freight traffic was still hit. Union leader "
        "Claus Weselsky said members wanted a 35-hour week without a pay cut and would strike "
        "again if the rail operator did not improve its offer on working hours.",
        now - 6 * HOUR,
        "Wire",
    )

    changed = group_threads([follow_up], stored, now, SETTINGS)

    assert [t.id for t in changed] == [stored[0].id]


def test_thread_ids_are_stable_across_runs(seeds_dir: Path, now: dt.datetime) -> None:
    seeds = [seed_story(seeds_dir, "000"), seed_story(seeds_dir, "002")]
    assert (
        group_threads(seeds, [], now, SETTINGS)[0].id
        == group_threads(seeds[::-1], [], now, SETTINGS)[0].id
    )


def test_two_events_on_one_subject_a_week_apart_stay_apart(now: dt.datetime) -> None:
    first = story(
        "mandate",
        "Governor orders mask mandate for schools as COVID cases climb",
        "Governor Ana Ruiz ordered masks in all public schools on Monday after COVID-19 "
        "hospitalizations rose 40% in two weeks, citing the state health department.",
        now - 8 * DAY,
    )
    (thread,) = group_threads([first], [], now - 8 * DAY, SETTINGS)
    second = story(
        "boosters",
        "State opens COVID booster clinics at pharmacies",
        "Health officials said on Tuesday that pharmacies across the state will offer free "
        "COVID-19 booster shots to adults starting next month, funded by a federal grant.",
        now - DAY,
    )

    changed = group_threads([second], [thread], now - DAY, SETTINGS)

    assert [[s.id for s in t.stories] for t in changed] == [["boosters"]]


def test_one_subject_in_the_morning_and_the_evening_is_two_events(now: dt.datetime) -> None:
    # Headlines only, as many feeds send them: the singer's name is all the evening shares with
    # the morning, while a late outlet's rewrite of the morning news still finds it.
    morning = now - 14 * HOUR
    stories = [
        story(
            "arrest-1",
            "Miley Cyrus fan arrested after sneaking backstage in Houston",
            "",
            morning,
            "Wire",
        ),
        story(
            "arrest-2",
            "Police arrest fan who sneaked into Miley Cyrus's backstage area",
            "",
            morning + 20 * MINUTE,
            "Daily",
        ),
        story(
            "arrest-3",
            "Houston police arrest man backstage at Miley Cyrus concert",
            "",
            morning + 40 * MINUTE,
            "Post",
        ),
        story(
            "arrest-4",
            "Fan arrested backstage at Miley Cyrus show in Houston",
            "",
            morning + 3 * HOUR,
            "Courier",
        ),
        story(
            "stage-1",
            "Miley Cyrus performs in underwear after missing a costume change",
            "",
            morning + 9 * HOUR,
            "Wire",
        ),
        story(
            "stage-2",
            "Missed costume change leaves Miley Cyrus on stage in her underwear",
            "",
            morning + 9 * HOUR + 15 * MINUTE,
            "Daily",
        ),
        story(
            "stage-3",
            "Miley Cyrus shrugs off costume change mishap on stage",
            "",
            morning + 9 * HOUR + 30 * MINUTE,
            "Post",
        ),
    ]

    threads = group_threads(stories, [], now, SETTINGS)

    assert sorted(sorted(s.id for s in t.stories) for t in threads) == [
        ["arrest-1", "arrest-2", "arrest-3", "arrest-4"],
        ["stage-1", "stage-2", "stage-3"],
    ]


def test_copies_of_one_article_collapse_into_one_story_with_both_sources(now: dt.datetime) -> None:
    text = (
        "Shares of Acme Corp jumped 12% on Tuesday after the company reported record quarterly "
        "revenue of $4.2 billion and raised its full-year forecast, beating analyst estimates."
    )
    wire = story(
        "ap-1", "Acme shares jump 12% on record revenue", text, now - dt.timedelta(hours=3), "AP"
    )
    copy = story(
        "local-7", "Acme shares jump 12% on record revenue", text + " (AP)", now, "Daily Star"
    )

    (thread,) = group_threads([wire, copy], [], now, SETTINGS)

    (merged,) = thread.stories
    assert merged.id == "ap-1"
    assert [ref.name for ref in merged.all_sources()] == ["AP", "Daily Star"]


def test_a_thread_quiet_past_the_horizon_closes_and_news_starts_a_new_one(now: dt.datetime) -> None:
    old_day = now - 10 * DAY
    title = "Storm Ida makes landfall in Louisiana"
    (old,) = group_threads([story("ida-1", title, "", old_day)], [], old_day, SETTINGS)

    assert close_stale([old], now, SETTINGS) == [
        Thread(old.id, old.stories, old.opened, old.updated, True)
    ]
    changed = group_threads([story("ida-2", title, "", now)], [old], now, SETTINGS)

    closed = [t for t in changed if t.closed]
    fresh = [t for t in changed if not t.closed]
    assert [t.id for t in closed] == [old.id]
    assert len(fresh) == 1 and fresh[0].id != old.id
    assert [s.id for s in fresh[0].stories] == ["ida-2"]


def test_a_story_already_threaded_is_not_placed_twice(seeds_dir: Path, now: dt.datetime) -> None:
    seeds = [seed_story(seeds_dir, "000"), seed_story(seeds_dir, "002")]
    (thread,) = group_threads(seeds, [], now, SETTINGS)
    assert group_threads(seeds, [thread], now + DAY, SETTINGS) == []


def test_ranking_prefers_more_outlets_then_recency_and_feed_weight(now: dt.datetime) -> None:
    def thread(ident: str, outlets: list[str], hours_ago: float, feed: str = "") -> Thread:
        when = now - dt.timedelta(hours=hours_ago)
        stories = tuple(
            Story(f"{ident}-{i}", ident, f"https://x/{ident}/{i}", o, when, "", feed=feed)
            for i, o in enumerate(outlets)
        )
        return Thread(ident, stories, when, when)

    wide = thread("wide", ["AP", "Reuters", "BBC"], 10)
    narrow = thread("narrow", ["AP"], 1)
    stale = thread("stale", ["AP", "Reuters", "BBC"], 24 * 5)
    favoured = thread("favoured", ["Blog"], 1, feed="Macro")

    ranked = rank_threads([narrow, stale, wide, favoured], weights={"Macro": 5.0}, now=now)

    assert [t.id for t in ranked] == ["favoured", "wide", "stale", "narrow"]


def test_three_outlets_outrank_two_even_when_the_two_are_fresher(now: dt.datetime) -> None:
    def thread(ident: str, outlets: list[str], hours_ago: float) -> Thread:
        when = now - dt.timedelta(hours=hours_ago)
        stories = tuple(
            Story(f"{ident}-{i}", ident, f"https://x/{ident}/{i}", o, when, "")
            for i, o in enumerate(outlets)
        )
        return Thread(ident, stories, when, when)

    fed = thread("fed", ["Reuters Wire", "Financial Ledger", "Market Daily"], 20)
    fine = thread("fine", ["Reuters Wire", "Market Daily", "City Paper"], 18)
    pair = thread("pair", ["Reuters Wire", "City Paper"], 1)

    ranked = rank_threads([pair, fine, fed], weights={}, now=now)

    assert [t.id for t in ranked] == ["fine", "fed", "pair"]


def test_reworded_headlines_meet_on_word_forms(now: dt.datetime) -> None:
    # Headlines only: "Ukrainian"/"Ukraine" and "regulators"/"regulation" carry the match.
    stories = [
        story("a", "Ukrainian regulators probe Naftogaz", "", now - DAY / 2, "Wire"),
        story("b", "Ukraine regulation tightened after price jump", "", now - DAY / 2, "Daily"),
        story("c", "Apple ships new laptops with faster chips", "", now - DAY / 3, "Tech"),
        story("d", "Storm closes schools across the region", "", now - DAY / 4, "Local"),
    ]

    threads = group_threads(stories, [], now, SETTINGS)

    assert sorted(sorted(s.id for s in t.stories) for t in threads) == [["a", "b"], ["c"], ["d"]]


WITH_MEANING = pytest.param(
    True,
    id="semantic",
    marks=pytest.mark.skipif(
        importlib.util.find_spec("sentence_transformers") is None
        or importlib.util.find_spec("all_minilm_l6_v2") is None,
        reason="semantic extra not installed",
    ),
)


@pytest.mark.parametrize("semantic", [pytest.param(False, id="words"), WITH_MEANING])
def test_a_story_continuing_the_event_joins_it_anywhere_within_the_horizon(
    semantic: bool,
) -> None:
    start = dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC)
    first = story(
        "strike-1",
        "Boeing machinists strike after rejecting contract offer",
        "About 33,000 Boeing machinists in Washington state walked off the job after rejecting "
        "a contract offer. The strike halts production of the 737 MAX and 777 jets.",
        start,
    )
    for horizon, gap_days in ((7, 6.5), (14, 11)):
        later = story(
            f"strike-{gap_days}",
            "Boeing machinists strike continues as contract talks stall",
            "The strike by 33,000 Boeing machinists in Washington state continued as contract "
            "talks stalled. It halts production of the 737 MAX and 777 jets, the union said.",
            start + dt.timedelta(days=gap_days),
            outlet="Daily",
        )
        settings = ThreadSettings(horizon_days=horizon, semantic=semantic)
        opened = group_threads([first], [], start, settings)
        after = group_threads([later], opened, later.published, settings)

        assert [len(t.stories) for t in after] == [2], (horizon, gap_days)


def test_a_near_thread_on_the_same_company_does_not_take_a_far_threads_next_story() -> None:
    start = dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC)
    strike = story(
        "s1",
        "Boeing machinists strike after rejecting contract offer",
        "About 33,000 Boeing machinists in Washington state walked off the job after rejecting "
        "a contract offer from the planemaker. The union said the strike would continue until "
        "members won better pensions and pay.",
        start,
    )
    shares = story(
        "o1",
        "Boeing shares slide as planemaker weighs job cuts and capital raise",
        "Boeing shares fell on Friday as the planemaker weighed job cuts and a capital raise of "
        "up to $10 billion. Analysts said the planemaker's cash burn was worsening. Boeing "
        "machinists, Washington state factories and the 737 MAX line face an uncertain future.",
        start + dt.timedelta(days=4.8),
        outlet="Paper",
    )
    week_two = story(
        "s2",
        "Boeing machinists strike enters second week with contract talks stalled",
        "The strike by 33,000 Boeing machinists in Washington state entered another week with "
        "contract talks stalled. The union said members want better pensions and pay before "
        "they return to the job.",
        start + dt.timedelta(days=5),
        outlet="Daily",
    )
    settings = ThreadSettings(horizon_days=7)
    first = group_threads([strike], [], start, settings)
    both = first + group_threads([shares], first, shares.published, settings)

    after = group_threads([week_two], both, week_two.published, settings)

    assert [[s.id for s in t.stories] for t in after] == [["s1", "s2"]]


# Full reports of two events on one subject (invented): a carmaker's earnings, then its chief
# executive's resignation; two storms on one coast.
EARN_WIRE = (
    "Northwind Motors profit falls as price cuts bite",
    "Northwind Motors reported a 23% drop in first-quarter profit on Monday as price cuts"
    " on its electric sedans and weaker demand in China weighed on margins. The Detroit "
    "carmaker earned $1.2 billion, or 84 cents a share, down from $1.56 billion a year "
    "earlier, while revenue slipped 4% to $41.3 billion. Chief executive Laura Brennan "
    "said the company would keep prices low to defend market share and pointed to cost "
    "savings at its Michigan and Ohio plants. Northwind kept its full-year forecast but "
    "warned that tariffs on imported battery cells could cost $800 million. Shares of "
    "Northwind fell 6% in early trading in New York. Analysts at Morgan Stanley said the "
    "quarter showed how hard the price war among electric vehicle makers has become.",
)
EARN_BIZ = (
    "Northwind shares slide after first-quarter earnings miss",
    "Shares of Northwind Motors fell sharply on Monday after the carmaker posted first-"
    "quarter earnings below Wall Street estimates. Profit dropped 23% to $1.2 billion as "
    "the company cut prices on electric models and sold fewer cars in China. Revenue of "
    "$41.3 billion also missed forecasts. Laura Brennan, Northwind's chief executive, "
    "told analysts on a call that the company would not chase volume at any cost and that"
    " savings at its Michigan plants would protect margins in the second half. The "
    "company said tariffs on battery cells could cost $800 million this year. Several "
    "analysts cut their price targets on the stock.",
)
CEO_WIRE = (
    "Northwind Motors chief executive Laura Brennan resigns",
    "Northwind Motors said on Tuesday that chief executive Laura Brennan had resigned "
    "with immediate effect, a day after the carmaker reported a sharp fall in quarterly "
    "profit. The board named finance chief Daniel Okafor as interim chief executive while"
    " it searches for a permanent successor. Brennan, who led the Detroit company for six"
    " years, said in a statement that it was the right time for new leadership. Northwind"
    " shares rose 3% in New York on the news. Investors had grown frustrated with the "
    "company's price cuts on electric cars and its slow progress in China. Board chair "
    "Susan Hale thanked Brennan for steering Northwind through the pandemic and the shift"
    " to electric vehicles.",
)
CEO_BIZ = (
    "Northwind CEO Brennan steps down; CFO Okafor named interim chief",
    "Laura Brennan stepped down as chief executive of Northwind Motors on Tuesday, the "
    "carmaker said, ending a six-year tenure marked by a costly push into electric "
    "vehicles. Chief financial officer Daniel Okafor will run the company on an interim "
    "basis, and the board has hired a search firm to find a successor. The departure "
    "comes a day after Northwind reported a 23% drop in first-quarter profit and weak "
    "sales in China. Board chair Susan Hale said the company's strategy was unchanged. "
    "Shares of Northwind rose in early trading as investors welcomed the change at the "
    "top.",
)
STORM1_WIRE = (
    "Hurricane Dana makes landfall near Tampa, knocking out power to 900,000",
    "Hurricane Dana made landfall near Tampa, Florida, early on Monday as a Category 2 "
    "storm with winds of 105 mph, flooding coastal streets and knocking out power to "
    "about 900,000 homes and businesses. The National Hurricane Center warned of a storm "
    "surge of up to eight feet along the Gulf coast from Clearwater to Sarasota. Governor"
    " Ron DeSantis said more than 200,000 residents had evacuated and urged others to "
    "stay off the roads. Tampa International Airport closed and schools in Hillsborough "
    "and Pinellas counties shut. No deaths had been reported by midday, officials said.",
)
STORM1_LOCAL = (
    "Dana floods Tampa Bay streets as storm surge rolls in",
    "Storm surge from Hurricane Dana pushed water into streets across Tampa Bay on Monday"
    " morning after the storm came ashore as a Category 2 hurricane. Power was out to "
    "roughly 900,000 customers, Duke Energy and TECO said. In Pinellas County, rescue "
    "crews used boats to reach residents trapped in their homes. The National Hurricane "
    "Center said Dana would weaken as it crossed central Florida toward the Atlantic. "
    "Governor Ron DeSantis said National Guard troops were standing by. The airport will "
    "stay closed until Tuesday.",
)
STORM2_WIRE = (
    "Tropical Storm Ernesto takes aim at Florida's Gulf coast days after Dana",
    "Tropical Storm Ernesto strengthened over the Gulf of Mexico on Thursday and was "
    "forecast to reach Florida's Gulf coast near Fort Myers by Friday as a hurricane, the"
    " National Hurricane Center said, days after Hurricane Dana flooded Tampa. Governor "
    "Ron DeSantis declared a state of emergency for 20 counties and ordered evacuations "
    "in Lee and Collier counties. Forecasters warned of a storm surge of up to seven feet"
    " and heavy rain over ground still soaked from Dana. Power crews from other states "
    "who came for Dana were told to stay in Florida.",
)


def full(ident: str, report: tuple[str, str], when: dt.datetime, outlet: str) -> Story:
    return story(ident, report[0], report[1], when, outlet)


def test_full_reports_of_two_events_on_one_subject_in_one_edition_stay_apart(
    now: dt.datetime,
) -> None:
    morning = now - 14 * HOUR
    stories = [
        full("earn-wire", EARN_WIRE, morning, "Wire"),
        full("earn-biz", EARN_BIZ, morning + 2 * HOUR, "Biz"),
        full("ceo-wire", CEO_WIRE, morning + 9 * HOUR, "Wire"),
        full("ceo-biz", CEO_BIZ, morning + 11 * HOUR, "Biz"),
    ]

    threads = group_threads(stories, [], now, SETTINGS)

    assert sorted(sorted(s.id for s in t.stories) for t in threads) == [
        ["ceo-biz", "ceo-wire"],
        ["earn-biz", "earn-wire"],
    ]


def test_a_full_report_days_later_on_the_same_subject_opens_a_new_thread(
    now: dt.datetime,
) -> None:
    # A day and a half after its last story, a stored thread asks a report for as much in
    # common as a headline: Ernesto, three days after Dana, is a new thread.
    landfall = now - 3 * DAY
    first = [full("dana-wire", STORM1_WIRE, landfall, "Wire")]
    first.append(full("dana-local", STORM1_LOCAL, landfall + 3 * HOUR, "Local"))
    stored = group_threads(first, [], landfall + 6 * HOUR, SETTINGS)

    changed = group_threads([full("ernesto", STORM2_WIRE, now, "Wire")], stored, now, SETTINGS)

    assert [[s.id for s in t.stories] for t in changed] == [["ernesto"]]


# One day's news (invented, written as outlets write): two quakes, and a president's two
# unrelated announcements. Each event is reported by two outlets with their own wording.
QUAKE_ACEH = [
    (
        "Strong quake kills at least 12 in Indonesia's Aceh",
        "A magnitude 6.1 earthquake struck Indonesia's Aceh province on Tuesday morning, killing "
        "at least 12 people and collapsing homes and a mosque in Bireuen district, the national "
        "disaster agency said. The quake was centred 40 km under the sea off the northern coast "
        "of Sumatra. Rescuers were searching the rubble of a market in Bireuen for survivors.",
    ),
    (
        "Aceh earthquake death toll rises to 19 as rescuers dig through rubble",
        "The death toll from Tuesday's 6.1 magnitude earthquake in Aceh rose to 19, Indonesia's "
        "disaster agency BNPB said, as rescuers dug through collapsed homes and a market in "
        "Bireuen. More than 100 people were injured on Sumatra's northern tip and hundreds spent "
        "the night in tents, fearing aftershocks.",
    ),
]
QUAKE_IRAN = [
    (
        "Magnitude 5.4 earthquake hits western Iran, injuring dozens",
        "A magnitude 5.4 earthquake hit Kermanshah province in western Iran on Tuesday, injuring "
        "at least 45 people and damaging villages near the border with Iraq, state media said. "
        "The Red Crescent sent rescue teams to Sarpol-e Zahab, where old buildings cracked.",
    ),
    (
        "Quake in Iran's Kermanshah injures 45, damages villages",
        "An earthquake of magnitude 5.4 struck near Sarpol-e Zahab in Iran's Kermanshah province "
        "on Tuesday, injuring 45 people, Iranian state television reported. The Red Crescent "
        "said several villages near the Iraqi border were damaged and tents were handed out.",
    ),
]
PRESIDENT_RAIL = [
    (
        "Biden announces $16 billion for Amtrak rail upgrades in the Northeast",
        "President Joe Biden announced $16 billion on Monday to repair tunnels and bridges on "
        "Amtrak's Northeast Corridor between Washington and Boston, money from the 2021 "
        "infrastructure law. Speaking at a rail yard in Delaware, Biden said the projects would "
        "cut travel times and create thousands of union jobs.",
    ),
    (
        "Northeast Corridor to get $16B in federal money for bridges and tunnels",
        "The Biden administration will spend $16 billion fixing aging bridges and tunnels on "
        "the Northeast Corridor, the busiest rail line in the country, the president said on "
        "Monday in Delaware. Amtrak said the grants cover 25 projects, including the Baltimore "
        "tunnel and the Connecticut River bridge.",
    ),
]
PRESIDENT_PARDON = [
    (
        "Biden pardons thousands convicted of marijuana possession on federal land",
        "President Joe Biden on Monday pardoned thousands of people convicted of simple "
        "marijuana possession on federal land and in Washington, D.C., expanding a 2022 "
        "clemency. The White House said the pardons do not cover selling or trafficking.",
    ),
    (
        "Biden expands marijuana pardons to more federal offenders",
        "Joe Biden issued a proclamation on Monday pardoning people convicted of use or simple "
        "possession of marijuana on federal lands, widening the pardons he first granted in "
        "2022. Advocates welcomed the clemency but said most convictions are under state law.",
    ),
]


def one_day(now: dt.datetime, *events: list[tuple[str, str]]) -> list[Story]:
    """Each event's reports by two outlets, minutes apart, the events an hour apart."""
    start = now - 12 * HOUR
    return [
        story(f"e{e}-{o}", title, text, start + e * HOUR + o * 25 * MINUTE, outlet)
        for e, reports in enumerate(events)
        for o, ((title, text), outlet) in enumerate(zip(reports, ("Wire", "Daily"), strict=True))
    ]


@pytest.mark.parametrize(
    ("events", "case"),
    [
        ((QUAKE_ACEH, QUAKE_IRAN), "two quakes on one day"),
        ((PRESIDENT_RAIL, PRESIDENT_PARDON), "a president's two announcements on one day"),
    ],
)
def test_two_events_of_one_kind_on_one_day_stay_apart(
    now: dt.datetime, events: tuple[list[tuple[str, str]], ...], case: str
) -> None:
    threads = group_threads(one_day(now, *events), [], now, SETTINGS)

    assert sorted(sorted(s.id for s in t.stories) for t in threads) == [
        ["e0-0", "e0-1"],
        ["e1-0", "e1-1"],
    ], case


def test_two_outlets_reports_of_one_quake_with_different_tolls_stay_together(
    now: dt.datetime,
) -> None:
    # 12 dead in the first report, 19 in the later one: a toll that rises is one event.
    threads = group_threads(one_day(now, QUAKE_ACEH), [], now, SETTINGS)

    assert [sorted(s.id for s in t.stories) for t in threads] == [["e0-0", "e0-1"]]


@pytest.mark.parametrize(
    ("events", "case"),
    [
        ((QUAKE_ACEH, QUAKE_IRAN), "two quakes either side of midnight"),
        ((PRESIDENT_RAIL, PRESIDENT_PARDON), "a president's two announcements either side"),
    ],
)
def test_an_ingest_boundary_does_not_merge_what_one_ingest_keeps_apart(
    now: dt.datetime, events: tuple[list[tuple[str, str]], ...], case: str
) -> None:
    # The first event's reports come in the ingest before midnight, the second's in the one
    # after: continuing a thread that fresh asks as much as clustering within one ingest.
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    first, second = (
        [
            story(
                f"e{e}-{o}",
                t,
                x,
                midnight + (e * 50 + o * 20 - 45) * MINUTE,
                ("Wire", "Daily")[o],
            )
            for o, (t, x) in enumerate(reports)
        ]
        for e, reports in enumerate(events)
    )
    stored = group_threads(first, [], midnight, SETTINGS)

    changed = group_threads(second, stored, midnight + 2 * HOUR, SETTINGS)

    assert [sorted(s.id for s in t.stories) for t in changed] == [["e1-0", "e1-1"]], case


# Three outlets' headlines (no text) of a recall, and two follow-ups six hours later.
RECALL = [
    ("r-wire", "Tesla recalls 2 million cars over Autopilot safety flaws", "Wire"),
    ("r-daily", "Tesla recalls nearly all its US cars to fix Autopilot", "Daily"),
    ("r-tech", "Autopilot recall: Tesla to update 2 million vehicles", "Tech"),
]
FOLLOW_UPS = [
    (
        "f-wire",
        "Tesla's Autopilot recall draws scrutiny from safety regulators",
        "The National Highway Traffic Safety Administration asked Tesla whether its "
        "over-the-air Autopilot update fixes the flaws behind the recall of 2 million vehicles.",
        "Wire",
    ),
    (
        "f-daily",
        "Regulators question whether Tesla Autopilot recall goes far enough",
        "US safety regulators said they are reviewing whether the software update Tesla sent "
        "to 2 million cars after its Autopilot recall goes far enough.",
        "Daily",
    ),
]


@pytest.mark.parametrize(("with_text", "continues"), [(True, True), (False, False)])
def test_a_headline_alone_needs_more_in_common_to_continue_a_thread_than_a_report(
    now: dt.datetime, with_text: bool, continues: bool
) -> None:
    # Measured on UCI's headline stream: two headline clusters on one subject hours apart are
    # more often two stories than one, while a report's text tells a development apart.
    recall = [story(i, t, "", now - (9 - n) * HOUR, o) for n, (i, t, o) in enumerate(RECALL)]
    stored = group_threads(recall, [], now - 6 * HOUR, SETTINGS)
    follow_ups = [
        story(i, t, x if with_text else "", now - (1 - n) * HOUR, o)
        for n, (i, t, x, o) in enumerate(FOLLOW_UPS)
    ]

    (changed,) = group_threads(follow_ups, stored, now, SETTINGS)

    assert (changed.id == stored[0].id) is continues
    assert {s.id for s in changed.stories} >= {"f-wire", "f-daily"}


# A commentary on the rail money: it shares a few words with each report, far fewer than the
# reports share between them.
RAIL_COMMENT = (
    "Fixing Amtrak's tunnels is overdue",
    "Anyone who has sat in a stalled train under a river or crawled across a century-old "
    "bridge knows what commuters have put up with for decades. The money announced this week "
    "will not fix everything, but it is the first serious sum in a generation, and Congress "
    "should keep it coming.",
)


@pytest.mark.parametrize("busy", [False, True], ids=["alone", "beside another event"])
def test_a_commentary_left_alone_joins_the_event_it_is_clearly_closest_to(
    now: dt.datetime, busy: bool
) -> None:
    events = (PRESIDENT_RAIL, PRESIDENT_PARDON) if busy else (PRESIDENT_RAIL,)
    comment = story("comment", *RAIL_COMMENT, now - 9 * HOUR, "Opinion")

    threads = group_threads([*one_day(now, *events), comment], [], now, SETTINGS)

    groups = sorted(sorted(s.id for s in t.stories) for t in threads)
    assert groups[0] == ["comment", "e0-0", "e0-1"]
    assert groups[1:] == ([["e1-0", "e1-1"]] if busy else [])


ROUNDUP = (
    "Biden's Monday: rail money for the Northeast and pardons for marijuana possession",
    "President Biden spent Monday on two fronts: billions for Amtrak's tunnels and bridges, and "
    "a proclamation widening his marijuana pardons on federal land. Both are aimed at voters "
    "before the election.",
)


def test_a_roundup_of_two_events_does_not_join_them(now: dt.datetime) -> None:
    # The roundup is close to both events' reports, and was enough to chain them into one
    # thread: two clusters merge only when most of each side's reports have a partner across.
    roundup = story("roundup", *ROUNDUP, now - 10 * HOUR, "Opinion")

    threads = group_threads(
        [*one_day(now, PRESIDENT_RAIL, PRESIDENT_PARDON), roundup], [], now, SETTINGS
    )

    homes = {s.id: t.id for t in threads for s in t.stories}
    assert homes["e0-0"] == homes["e0-1"] != homes["e1-0"] == homes["e1-1"]
