"""What a date's run, build and send do, across days and interruptions."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from digest.errors import DigestError, RenderError
from digest.pipeline import build_only, ingest_only, open_store, run, send
from digest.store.editions import get_edition
from digest.store.lease import LeaseHeldError, StoreLease
from digest.store.threads import load_open_threads
from tests.conftest import ROOT, SEEDS

JUNE9 = dt.datetime(2025, 6, 9, 20, 0, tzinfo=dt.UTC)
JUNE10 = dt.datetime(2025, 6, 10, 20, 0, tzinfo=dt.UTC)


def folder_with(tmp_path: Path, *prefixes: str) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for prefix in prefixes:
        for path in SEEDS.glob(f"{prefix}_*"):
            shutil.copy(path, folder / path.name)
    return folder


def config(make_config: Any, folder: Path, **sections: Any) -> Any:
    feed = {"name": "Seeds", "url": str(folder), "first_contact_days": "all"}
    return make_config(feeds=[feed], **sections)


def stories_of(settings: Any, edition_id: str | None) -> set[str]:
    assert edition_id
    with open_store(settings) as db:
        stored = get_edition(db, edition_id)
    assert stored is not None
    data = json.loads(stored.json)
    return {s["url"] for t in data["threads"] + data["quick_hits"] for s in t["stories"]}


def test_an_edition_built_but_never_sent_does_not_swallow_its_stories(
    make_config: Any, tmp_path: Path
) -> None:
    settings = config(make_config, folder_with(tmp_path, "000"))
    ingest_only(settings, JUNE9)  # what `digest ingest` runs
    build_only(settings, JUNE9, dt.date(2025, 6, 9))  # looked at, never sent

    folder_with(tmp_path, "002")
    report = run(settings, JUNE10)

    assert len(stories_of(settings, report.edition_id)) == 2


def test_build_then_send_delivers_the_built_edition_once(make_config: Any, tmp_path: Path) -> None:
    settings = config(make_config, folder_with(tmp_path, "000", "002"))
    ingest_only(settings, JUNE9)  # what `digest ingest` runs
    built, _ = build_only(settings, JUNE9, dt.date(2025, 6, 9))
    assert built is not None and built.status == "built"

    # Sent after midnight: `digest send` without a date takes the unsent edition.
    first = send(settings, JUNE9 + dt.timedelta(hours=5))
    again = send(settings, JUNE9 + dt.timedelta(hours=6))

    assert first.edition_id == built.id and first.delivered
    assert "already delivered" in again.summary()
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_send_with_nothing_built_names_the_command_to_run(make_config: Any, tmp_path: Path) -> None:
    settings = config(make_config, folder_with(tmp_path, "000"))
    with pytest.raises(DigestError, match="no edition built for 2025-06-09: run `digest build`"):
        send(settings, JUNE9, dt.date(2025, 6, 9))


def test_a_rebuild_that_fails_keeps_the_edition_it_would_have_replaced(
    make_config: Any, tmp_path: Path
) -> None:
    settings = config(make_config, folder_with(tmp_path, "000"))
    ingest_only(settings, JUNE9)  # what `digest ingest` runs
    first, _ = build_only(settings, JUNE9, dt.date(2025, 6, 9))
    assert first is not None

    broken = tmp_path / "my-templates"
    broken.mkdir()
    (broken / "edition.mjml.j2").write_text("<mjml><mj-body>{% if %}</mj-body></mjml>")
    settings = config(make_config, tmp_path / "articles", theme={"templates": str(broken)})
    with pytest.raises(RenderError, match=r"edition\.mjml\.j2"):
        build_only(settings, JUNE9 + dt.timedelta(minutes=5), dt.date(2025, 6, 9))

    with open_store(settings) as db:
        kept = get_edition(db, first.id)
    assert kept is not None and kept.html == first.html


def test_a_second_run_while_one_is_working_is_refused_with_one_line(
    make_config: Any, tmp_path: Path
) -> None:
    settings = config(make_config, folder_with(tmp_path, "000"))
    held = "another `digest run`, `build`, `send` or `ingest`"
    with (
        open_store(settings) as db,
        StoreLease(db, "run"),
        pytest.raises(LeaseHeldError, match=held),
    ):
        run(settings, JUNE9)


def test_force_while_an_edition_is_still_sending_resumes_it_first(
    make_config: Any, tmp_path: Path
) -> None:
    settings = config(make_config, folder_with(tmp_path, "000"))
    first = run(settings, JUNE9)
    with open_store(settings) as db:
        db.conn.execute("UPDATE editions SET status = 'sending' WHERE id = ?", (first.edition_id,))
        db.conn.execute("UPDATE deliveries SET state = 'pending'")

    resumed = run(settings, JUNE9 + dt.timedelta(minutes=5), force=True)

    assert resumed.edition_id == first.edition_id and resumed.delivered
    assert resumed.summary().startswith("Resumed")


def test_a_naive_now_is_refused(make_config: Any, tmp_path: Path) -> None:
    settings = config(make_config, folder_with(tmp_path, "000"))
    with pytest.raises(ValueError, match="timezone-aware"):
        run(settings, dt.datetime(2025, 6, 9, 12, 0))


def test_building_a_sent_edition_renders_it_afresh_and_leaves_the_sent_one_alone(
    make_config: Any, tmp_path: Path
) -> None:
    # The templates walkthrough: restyle after today's edition went out, then `digest build`.
    settings = config(make_config, folder_with(tmp_path, "000"))
    sent = run(settings, JUNE9)
    mine = tmp_path / "my-templates"
    shutil.copytree(ROOT / "templates", mine)
    footer = mine / "_footer.mjml.j2"
    footer.write_text(
        footer.read_text().replace("</mj-text>", "<p>Written in Lisbon.</p></mj-text>", 1)
    )
    restyled = config(
        make_config, tmp_path / "articles", theme={"templates": str(mine), "accent": "#2b6cb0"}
    )

    fresh, note = build_only(restyled, JUNE9 + dt.timedelta(hours=1), dt.date(2025, 6, 9))

    assert fresh is not None and "Written in Lisbon." in fresh.html and "#2b6cb0" in fresh.html
    assert "already delivered" in note and "not stored" in note
    with open_store(settings) as db:
        kept = get_edition(db, sent.edition_id or "")
    assert kept is not None and "Lisbon" not in kept.html and kept.status == "delivered"


def look_only_then_next_day(make_config: Any, tmp_path: Path) -> tuple[Any, Any]:
    """June 9 built to look at and never sent; June 10 run as usual with seed 002 added."""
    settings = config(make_config, folder_with(tmp_path, "000"))
    ingest_only(settings, JUNE9)  # what `digest ingest` runs
    build_only(settings, JUNE9, dt.date(2025, 6, 9))
    folder_with(tmp_path, "002")
    return settings, run(settings, JUNE10)


def test_a_look_only_edition_is_never_sent_after_a_later_one(
    make_config: Any, tmp_path: Path
) -> None:
    settings, june10 = look_only_then_next_day(make_config, tmp_path)

    later = send(settings, JUNE10 + dt.timedelta(hours=1))  # no date: the latest unsent

    assert later.edition_id == june10.edition_id and "already delivered" in later.summary()
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_a_look_only_edition_does_not_make_the_next_day_developing(
    make_config: Any, tmp_path: Path
) -> None:
    settings, june10 = look_only_then_next_day(make_config, tmp_path)
    with open_store(settings) as db:
        stored = get_edition(db, june10.edition_id or "")
    assert stored is not None
    [thread] = json.loads(stored.json)["threads"]

    assert thread["developing"] is False and thread["day"] == 1
    cited = {src["source"] for line in thread["sentences"] for src in line["sources"]}
    assert "Blockworks" in cited  # June 9's story is news: no reader has had it


def test_a_send_that_died_after_planning_does_not_block_the_rebuild(
    make_config: Any, tmp_path: Path
) -> None:
    from digest.store.deliveries import plan_deliveries

    settings = config(make_config, folder_with(tmp_path, "000"))
    ingest_only(settings, JUNE9)  # what `digest ingest` runs
    built, _ = build_only(settings, JUNE9, dt.date(2025, 6, 9))
    assert built is not None
    with open_store(settings) as db:  # the send planned its rows, then the process died
        plan_deliveries(db, built.id, [("reader@example.com", "<m@x>")], JUNE9)

    again, _ = build_only(settings, JUNE9 + dt.timedelta(minutes=5), dt.date(2025, 6, 9))
    report = send(settings, JUNE9 + dt.timedelta(minutes=6))

    assert again is not None and again.id == built.id
    assert report.delivered and len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_a_second_edition_of_the_day_carries_only_what_came_since_the_first(
    make_config: Any, tmp_path: Path
) -> None:
    # A later scheduled slot (cron "0 7,17 * * *") or `digest run --force`.
    settings = config(make_config, folder_with(tmp_path, "000"))
    morning = run(settings, dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC))
    folder_with(tmp_path, "002")
    evening = run(settings, dt.datetime(2025, 6, 10, 21, 0, tzinfo=dt.UTC), force=True)

    assert evening.edition_id == "2025-06-10.2"
    assert stories_of(settings, morning.edition_id) == {
        "https://blockworks.co/news/us-china-trade-talk-london"
    }
    with open_store(settings) as db:
        stored = get_edition(db, evening.edition_id)
    assert stored is not None
    data = json.loads(stored.json)
    [thread] = data["threads"]
    cited = {src["url"] for line in thread["sentences"] for src in line["sources"]}
    assert cited == {"https://example.org/seeds/us-china-london-talks-second-day"}


def test_a_thread_quiet_past_the_horizon_is_closed_in_the_store(
    make_config: Any, tmp_path: Path
) -> None:
    settings = config(make_config, folder_with(tmp_path, "000"))
    ingest_only(settings, JUNE9)
    ingest_only(settings, JUNE9 + dt.timedelta(days=settings.threads.horizon_days + 1))

    with open_store(settings) as db:
        rows = db.conn.execute("SELECT closed FROM threads").fetchall()
        # Closed for good: a longer horizon later does not bring it back.
        reopened = load_open_threads(db, JUNE9 + dt.timedelta(days=9), horizon_days=30)
    assert [row[0] for row in rows] == [1]
    assert reopened == []


def test_a_thread_shown_only_as_a_quick_hit_is_news_the_next_day(
    make_config: Any, tmp_path: Path
) -> None:
    heavy = tmp_path / "heavy"
    heavy.mkdir()
    (heavy / "fed.txt").write_text(
        "The Federal Reserve held interest rates steady on Monday and said inflation had cooled."
        "\n\nOfficials signalled two cuts later this year as hiring slowed across the economy.\n",
        encoding="utf-8",
    )
    (heavy / "fed.toml").write_text(
        'title = "Fed holds rates steady"\nsource = "Wire"\n'
        'url = "https://wire.example/fed"\npublished = "2025-06-09T12:00:00+00:00"\n',
        encoding="utf-8",
    )
    feeds = [
        {"name": "Seeds", "url": str(folder_with(tmp_path, "000")), "first_contact_days": "all"},
        {"name": "Wire", "url": str(heavy), "first_contact_days": "all", "weight": 10},
    ]
    settings = make_config(feeds=feeds, threads={"segments": 1})
    june9 = run(settings, JUNE9)
    with open_store(settings) as db:
        shown = json.loads(get_edition(db, june9.edition_id or "").json)  # type: ignore[union-attr]
    assert [t["headline"] for t in shown["threads"]] == ["Fed holds rates steady"]
    assert len(shown["quick_hits"]) == 1  # the talks: one line, no summary

    folder_with(tmp_path, "002")
    june10 = run(settings, JUNE10)
    with open_store(settings) as db:
        stored = get_edition(db, june10.edition_id or "")
    assert stored is not None
    [thread] = json.loads(stored.json)["threads"]
    assert thread["developing"] is False
    cited = {src["source"] for line in thread["sentences"] for src in line["sources"]}
    assert "Blockworks" in cited  # readers only had its headline on June 9


def test_digest_threads_counts_a_threads_day_as_editions_do(
    make_config: Any, tmp_path: Path
) -> None:
    from digest.commands.threads import format_threads

    folder = tmp_path / "strike"
    folder.mkdir()
    for name, day, text in (
        (
            "first",
            3,
            "About 33,000 Boeing machinists in Washington state walked off the job after "
            "rejecting a contract offer. The strike halts production of the 737 MAX jets.",
        ),
        (
            "later",
            9,
            "The Boeing machinists strike in Washington state entered its second week as "
            "contract talks stalled over pensions. Suppliers began furloughing workers.",
        ),
    ):
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        (folder / f"{name}.toml").write_text(
            f'title = "Boeing machinists strike over contract offer, day {day}"\n'
            f'source = "Wire {name}"\nurl = "https://wire.example/{name}"\n'
            f'published = "2025-06-0{day}T16:00:00+00:00"\n',
            encoding="utf-8",
        )
    feed = {"name": "Strike", "url": str(folder), "first_contact_days": "all"}
    settings = make_config(feeds=[feed])
    ingest_only(settings, dt.datetime(2025, 6, 9, 20, 0, tzinfo=dt.UTC))

    [thread] = json.loads(
        format_threads(settings, dt.date(2025, 6, 9), dt.date(2025, 6, 9), as_json=True)
    )

    assert thread["developing"] is True and thread["day"] == 7  # June 3 was day 1
