"""`digest threads`: the next edition's window by default, largest threads first, why stories
are together; `--since/--until` lists every stored story of the window exactly once."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from digest.commands.threads import format_threads
from digest.pipeline import ingest_only, run
from tests.clirun import run_cli
from tests.conftest import SEEDS
from tests.test_threads import PRESIDENT_PARDON, PRESIDENT_RAIL, RAIL_COMMENT, ROUNDUP

JUNE9 = dt.datetime(2025, 6, 9, 20, 0, tzinfo=dt.UTC)
JUNE10 = dt.datetime(2025, 6, 10, 20, 0, tzinfo=dt.UTC)
QUAKE = (
    "A magnitude 6.1 earthquake struck Indonesia's Aceh province on Tuesday, killing at least "
    "12 people and collapsing homes and a mosque in Bireuen district, the disaster agency said."
)


def article(folder: Path, name: str, title: str, text: str, outlet: str, when: str) -> None:
    (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    (folder / f"{name}.toml").write_text(
        f'title = "{title}"\nsource = "{outlet}"\n'
        f'url = "https://{outlet.lower()}.example/{name}"\npublished = "{when}"\n',
        encoding="utf-8",
    )


def a_day_after_an_edition(make_config: Any, tmp_path: Path) -> Any:
    """June 9's seed report went out in an edition; June 10 brings the talks' second-day
    report and two outlets' reports of a quake (one of them also in a second feed)."""
    folder, other = tmp_path / "articles", tmp_path / "syndicated"
    folder.mkdir()
    other.mkdir()
    for path in SEEDS.glob("000_*"):
        shutil.copy(path, folder / path.name)
    feeds = [
        {"name": "Seeds", "url": str(folder), "first_contact_days": "all"},
        {"name": "Syndicated", "url": str(other), "first_contact_days": "all"},
    ]
    settings = make_config(feeds=feeds)
    run(settings, JUNE9)
    for path in SEEDS.glob("002_*"):
        shutil.copy(path, folder / path.name)
    when = "2025-06-10T09:00:00+00:00"
    article(folder, "quake-wire", "Strong quake kills 12 in Indonesia's Aceh", QUAKE, "Wire", when)
    late = QUAKE.replace("at least 12", "at least 19")
    article(folder, "quake-daily", "Aceh quake toll rises to 19", late, "Daily", when)
    article(other, "quake-wire", "Strong quake kills 12 in Indonesia's Aceh", QUAKE, "Wire", when)
    ingest_only(settings, JUNE10)
    return settings


def test_by_default_the_next_editions_stories_largest_thread_first(
    make_config: Any, tmp_path: Path
) -> None:
    settings = a_day_after_an_edition(make_config, tmp_path)

    shown = json.loads(format_threads(settings, None, None, as_json=True, now=JUNE10))

    assert [len(t["stories"]) for t in shown] == [2, 1]  # the quake, then the talks
    quake, talks = shown
    assert "aceh" in quake["why"]  # among the words its reports share
    assert [s["source"] for s in talks["stories"]] == ["Second-day report"]
    assert [s["source"] for s in talks["earlier_stories"]] == ["Blockworks"]  # June 9's
    assert talks["developing"] is True


def test_a_window_lists_every_stored_story_once_with_copies_as_sources(
    make_config: Any, tmp_path: Path
) -> None:
    settings = a_day_after_an_edition(make_config, tmp_path)

    shown = json.loads(
        format_threads(settings, dt.date(2025, 6, 9), dt.date(2025, 6, 10), as_json=True)
    )

    urls = [s["url"] for t in shown for s in t["stories"]]
    assert len(urls) == len(set(urls)) == 4  # two seeds, two quake reports; the copy folded
    assert sorted(len(t["stories"]) for t in shown) == [2, 2]


def test_one_days_ingest_through_the_command_keeps_events_apart_and_commentary_with_its_own(
    make_config: Any, tmp_path: Path
) -> None:
    # Two outlets' reports of each of a president's two announcements, a roundup close to both,
    # and a commentary on one of them, in one folder feed; beside it, a feed that is missing.
    folder = tmp_path / "articles"
    folder.mkdir()
    for event, tellings, hour in (
        ("rail", PRESIDENT_RAIL, "08"),
        ("pardon", PRESIDENT_PARDON, "09"),
    ):
        for (title, text), outlet, minute in zip(
            tellings, ("Wire", "Daily"), ("00", "25"), strict=True
        ):
            when = f"2025-06-10T{hour}:{minute}:00+00:00"
            article(folder, f"{event}-{outlet.lower()}", title, text, outlet, when)
    article(folder, "roundup", *ROUNDUP, "Opinion", "2025-06-10T10:00:00+00:00")
    article(folder, "comment", *RAIL_COMMENT, "Column", "2025-06-10T11:00:00+00:00")
    feeds = [
        {"name": "Articles", "url": str(folder), "first_contact_days": "all"},
        {"name": "Gone", "url": str(tmp_path / "missing.xml")},
    ]
    make_config(feeds=feeds)
    config = tmp_path / "digest.toml"

    ingest = run_cli(config, "ingest", now="2025-06-10T20:00:00Z")
    listed = run_cli(
        config, "threads", "--json", "--since", "2025-06-10", "--until", "2025-06-10",
        now="2025-06-10T20:00:00Z",
    )  # fmt: skip

    assert ingest.code == 0
    assert "1 failed (Gone)" in ingest.stderr
    homes = {s["url"].rsplit("/", 1)[-1]: n for n, t in enumerate(json.loads(listed.stdout))
             for s in t["stories"]}  # fmt: skip
    assert homes["rail-wire"] == homes["rail-daily"] == homes["comment"]
    assert homes["pardon-wire"] == homes["pardon-daily"] != homes["rail-wire"]
