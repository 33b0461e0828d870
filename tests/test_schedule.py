"""The schedule's decisions with an injected clock: days of firings walked in milliseconds."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from digest.config import Newsletter, Settings
from digest.config.settings import cron_weekdays
from digest.errors import ConfigError
from digest.schedule.slots import (
    Decision,
    History,
    build_trigger,
    decide,
    duration,
    next_fire_times,
    simulate,
)
from tests.clirun import run_cli

NEW_YORK = ZoneInfo("America/New_York")


def settings(**newsletter: object) -> Settings:
    return Settings.model_validate({"newsletter": newsletter})


def local(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def runs_per_day(decisions: list[tuple[dt.datetime, Decision]]) -> Counter[dt.date | None]:
    return Counter(d.date for _, d in decisions if d.action == "run")


@pytest.mark.parametrize("send_at", ["01:30", "02:30", "07:00"])
@pytest.mark.parametrize(
    ("first", "last"),
    [((2026, 3, 6), (2026, 3, 10)), ((2026, 10, 30), (2026, 11, 3))],
    ids=["spring-forward", "fall-back"],
)
def test_one_edition_per_local_day_across_daylight_saving(
    send_at: str, first: tuple[int, int, int], last: tuple[int, int, int]
) -> None:
    config = settings(send_at=send_at, timezone="America/New_York")
    start, end = local(*first, 0, 0), local(*last, 23, 59)

    decisions = simulate(config, start, end, poll=dt.timedelta(minutes=20))

    days = [dt.date(*first) + dt.timedelta(days=n) for n in range(5)]
    assert runs_per_day(decisions) == dict.fromkeys(days, 1)


def test_apscheduler_fires_twice_at_0130_on_fall_back_day_and_the_store_runs_once() -> None:
    config = settings(send_at="01:30")
    decisions = simulate(config, local(2026, 11, 1, 0, 0), local(2026, 11, 1, 12, 0))

    firings = [(now.astimezone(NEW_YORK), d) for now, d in decisions[1:]]
    assert [f"{now:%H:%M %Z}" for now, _ in firings] == ["01:30 EDT", "01:30 EST"]
    assert [d.action for _, d in firings] == ["run", "wait"]
    assert firings[1][1].reason == "the edition of 2026-11-01 is already done"


def test_a_0230_edition_on_spring_forward_day_runs_once_an_hour_later_on_the_wall_clock() -> None:
    config = settings(send_at="02:30")
    decisions = simulate(config, local(2026, 3, 8, 0, 0), local(2026, 3, 8, 23, 0))

    (ran,) = [(now, d) for now, d in decisions if d.action == "run"]
    assert f"{ran[0].astimezone(NEW_YORK):%Y-%m-%d %H:%M %Z}" == "2026-03-08 03:30 EDT"
    assert ran[1].date == dt.date(2026, 3, 8)


def test_started_three_hours_late_within_a_four_hour_grace_it_runs_once() -> None:
    config = settings(send_at="07:00", misfire_grace_hours=4)
    decisions = simulate(config, local(2026, 3, 9, 10, 0), local(2026, 3, 9, 23, 0))

    assert [(d.action, d.date) for _, d in decisions] == [("run", dt.date(2026, 3, 9))]
    assert decisions[0][1].reason == "running the edition of 2026-03-09 (3h late, within the grace)"


def test_started_five_hours_late_it_skips_and_says_so() -> None:
    config = settings(send_at="07:00", misfire_grace_hours=4)
    decisions = simulate(config, local(2026, 3, 8, 12, 0), local(2026, 3, 9, 8, 0))

    assert [(d.action, str(d.date)) for _, d in decisions] == [
        ("skip", "2026-03-08"),
        ("run", "2026-03-09"),
    ]
    assert decisions[0][1].reason == (
        "skipping the edition of 2026-03-08: 5h late, past the 4h grace"
    )


def test_a_missed_edition_of_an_earlier_day_is_noted_but_not_recorded_as_skipped() -> None:
    config = settings(send_at="07:00")
    served = History(delivered={dt.date(2026, 3, 7): 1})
    decision = decide(config, local(2026, 3, 9, 6, 0), served)

    assert (decision.action, decision.date) == ("wait", dt.date(2026, 3, 8))
    assert decision.reason == "the edition of 2026-03-08 was missed (23h late)"


def test_a_brand_new_store_missed_nothing() -> None:
    decision = decide(settings(send_at="07:00"), local(2026, 3, 9, 6, 0), History())

    assert decision.action == "wait"
    assert "missed" not in decision.reason
    assert decision.reason == "no edition due yet: waiting for the next scheduled time"


def test_a_delivered_date_does_nothing_and_an_interrupted_delivery_resumes_past_the_grace() -> None:
    config = settings(send_at="07:00")
    day, late = dt.date(2026, 3, 9), local(2026, 3, 9, 20, 0)

    done = decide(config, late, History(delivered={day: 1}))
    resumed = decide(config, late, History(sending=frozenset({day})))

    assert (done.action, done.reason) == ("wait", "the edition of 2026-03-09 is already done")
    assert (resumed.action, resumed.reason) == (
        "run",
        "resuming the delivery of the edition of 2026-03-09",
    )


def test_a_failed_run_waits_for_the_next_start_to_try_again() -> None:
    config = settings(send_at="07:00")
    history = History(runs={(dt.date(2026, 3, 9), 1): "failed"})
    now = local(2026, 3, 9, 7, 30)

    assert decide(config, now, history, retry=False).action == "wait"
    assert decide(config, now, history, retry=True).action == "run"


def test_a_cron_with_two_slots_a_day_gives_two_editions_the_second_forced() -> None:
    config = settings(cron="0 7,17 * * mon-fri")
    decisions = simulate(config, local(2026, 3, 6, 6, 0), local(2026, 3, 9, 23, 0))

    ran = [
        (f"{now.astimezone(NEW_YORK):%a %H:%M}", d.index, d.force)
        for now, d in decisions
        if d.action == "run"
    ]
    assert ran == [
        ("Fri 07:00", 1, False),
        ("Fri 17:00", 2, True),
        ("Mon 07:00", 1, False),
        ("Mon 17:00", 2, True),
    ]


def test_days_limit_the_weekdays_and_next_fire_times_are_in_the_newsletter_zone() -> None:
    config = settings(send_at="07:00:30", days="mon-fri", timezone="Europe/London")
    friday_noon = dt.datetime(2026, 3, 27, 12, 0, tzinfo=dt.UTC)

    times = next_fire_times(config, friday_noon, 2)

    assert [f"{t:%a %Y-%m-%d %H:%M:%S %Z}" for t in times] == [
        "Mon 2026-03-30 07:00:30 BST",
        "Tue 2026-03-31 07:00:30 BST",
    ]


@pytest.mark.parametrize(
    ("cron", "names"),
    [
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0", "sun"),
        ("7", "sun"),
        ("6,0", "sat,sun"),
        ("*/2", "sun,tue,thu,sat"),
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("sun-thu", "sun,mon,tue,wed,thu"),
        ("Fri", "fri"),
        ("*", "*"),
    ],
)
def test_cron_weekday_numbers_mean_what_they_mean_in_crontab(cron: str, names: str) -> None:
    assert cron_weekdays(cron) == names


def test_a_numbered_cron_weekday_range_fires_monday_to_friday() -> None:
    config = settings(cron="0 7 * * 1-5")
    saturday = local(2026, 3, 7, 12, 0)
    assert [f"{t:%a}" for t in next_fire_times(config, saturday, 5)] == [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
    ]


@pytest.mark.parametrize(
    ("line", "key", "why"),
    [
        ('cron = "0 25 * * *"', "newsletter.cron", "higher than the maximum value (23)"),
        ('cron = "0 7 * * 1-9"', "newsletter.cron", "not a range within 0-7"),
        ('cron = "0 7 * *"', "newsletter.cron", "has 4 fields"),
        ('days = "funday"', "newsletter.days", "funday"),
        ('days = "mon fri"', "newsletter.days", "joined by ','"),
        ('cron = "0 7 * * mon#2"', "newsletter.cron", "joined by ','"),
    ],
)
def test_a_bad_cron_or_days_is_refused_when_the_config_is_read_naming_the_key(
    tmp_path: Path, line: str, key: str, why: str
) -> None:
    # Not only when the scheduler starts: `digest run` and every other command refuse it too.
    config = tmp_path / "digest.toml"
    config.write_text(f"[newsletter]\n{line}\n", encoding="utf-8")

    done = run_cli(config, "run")

    assert done.code == 1, done.output
    assert f"Config value '{key}'" in done.stderr and why in done.stderr


def test_days_is_not_read_when_a_cron_expression_overrides_it() -> None:
    newsletter = Newsletter.model_validate({"cron": "0 7 * * 1-5", "days": "weekdays"})

    assert "day_of_week='mon,tue,wed,thu,fri'" in str(build_trigger(newsletter))


def test_a_trigger_built_from_unchecked_values_is_still_a_config_error() -> None:
    unchecked = Newsletter.model_construct(cron="0 25 * * *")
    with pytest.raises(ConfigError, match=r"Config value 'newsletter\.cron'"):
        build_trigger(unchecked)


@pytest.mark.parametrize(
    ("seconds", "text"), [(5 * 3600, "5h"), (3.5 * 3600, "3h 30m"), (45 * 60, "45m"), (20, "20s")]
)
def test_durations_read_like_a_person_says_them(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_the_operations_guide_documents_every_scheduling_setting() -> None:
    guide = (Path(__file__).parent.parent / "docs" / "operations.md").read_text(encoding="utf-8")
    keys = ["timezone", "send_at", "days", "cron", "misfire_grace_hours", "alerts_to"]
    keys.append("alert_after_hours")
    missing = [key for key in keys if f"\n{key} = " not in guide and f"# {key} = " not in guide]
    assert missing == []
    assert "digest -v schedule" in guide and "digest -q run" in guide and "digest status" in guide
