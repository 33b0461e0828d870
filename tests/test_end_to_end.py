"""The whole road, as a new user meets it: seeds in, one thread out, mailed to the outbox once."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from digest.pipeline import run

LEFTOVERS = [
    "article-image",
    "Upcoming Events",
    "recent research",
    "Get the news in your inbox",
    "CC license",
    "Digital Asset Summit",
    "Javits Center",
    "To read full editions, subscribe",
    "Tags",
]
SEED_URLS = [
    "https://blockworks.co/news/us-china-trade-talk-london",
    "https://example.org/seeds/us-china-london-talks-second-day",
]


def seeds_config(make_config: Any, seeds: Path, **sections: Any) -> Any:
    feed = {"name": "Seeds", "url": str(seeds), "kind": "folder", "first_contact_days": "all"}
    extra = sections.pop("feeds", [])
    delivery = {"recipients": ["reader@example.com", "editor@example.com"]}
    return make_config(feeds=[feed, *extra], delivery=delivery, **sections)


def read_outbox(folder: Path) -> list[EmailMessage]:
    messages = []
    for path in sorted(folder.glob("*.eml")):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        messages.append(parsed)
    return messages


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_run_mails_one_thread_of_both_seeds_to_each_recipient(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    settings = seeds_config(make_config, seeds_dir)
    now = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)

    report = run(settings, now)

    assert report.delivered, report.summary()
    messages = read_outbox(tmp_path / "outbox")
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == [
        "editor@example.com",
        "reader@example.com",
    ]
    for message in messages:
        assert message.get_content_type() == "multipart/alternative"
        for header in ("Message-ID", "Date", "List-Unsubscribe", "From", "Subject"):
            assert message[header], header
        text, html = parts(message)
        assert len(html.encode()) < 100_000
        assert "London" in text and "London" in html
        assert str(message["Subject"]).startswith("🟠 ") and "China" in str(message["Subject"])
        for url in SEED_URLS:
            assert url in html and url in text
        for leftover in LEFTOVERS:
            assert leftover not in text and leftover not in html, leftover
    edition = json.loads(report_edition_json(settings, report.edition_id))
    assert len(edition["threads"]) + len(edition["quick_hits"]) == 1
    thread = edition["threads"][0]
    assert {s["url"] for s in thread["stories"]} == set(SEED_URLS)


def report_edition_json(settings: Any, edition_id: str | None) -> str:
    from digest.pipeline import open_store
    from digest.store.editions import get_edition

    assert edition_id
    with open_store(settings) as db:
        stored = get_edition(db, edition_id)
    assert stored is not None
    return stored.json


def test_a_second_run_delivers_nothing_and_says_so(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    settings = seeds_config(make_config, seeds_dir)
    now = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
    run(settings, now)
    before = {p: p.read_bytes() for p in (tmp_path / "outbox").glob("*.eml")}

    again = run(settings, now + dt.timedelta(hours=1))

    assert "\n" not in again.summary() and "already" in again.summary()
    after = {p: p.read_bytes() for p in (tmp_path / "outbox").glob("*.eml")}
    assert after == before


def test_force_sends_a_new_edition_beside_the_first(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    settings = seeds_config(make_config, seeds_dir)
    now = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
    first = run(settings, now)
    forced = run(settings, now + dt.timedelta(minutes=5), force=True)
    assert forced.edition_id != first.edition_id
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 4


def test_a_broken_feed_is_named_and_the_edition_goes_out_from_the_others(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    broken = {"name": "Broken", "url": str(tmp_path / "missing.xml")}
    settings = seeds_config(make_config, seeds_dir, feeds=[broken])
    now = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)

    report = run(settings, now)

    assert report.delivered
    assert "1 source(s) could not be fetched: Broken" in report.summary()
    _, html = parts(read_outbox(tmp_path / "outbox")[0])
    assert SEED_URLS[0] in html
    from digest.pipeline import open_store
    from digest.store.feeds import feed_health

    with open_store(settings) as db:
        health = {h.name: h for h in feed_health(db)}
    assert "missing.xml" in health["Broken"].last_error


def digest_cli(config: Path, *args: str, now: str = "2026-11-21T12:00:00+00:00") -> Any:
    env = {"DIGEST_NOW": now, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "digest.cli", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_threads_json_and_build_files(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    seeds_config(make_config, seeds_dir)
    config = tmp_path / "digest.toml"
    assert digest_cli(config, "ingest").returncode == 0

    shown = digest_cli(config, "threads", "--json")
    assert shown.returncode == 0, shown.stderr
    threads = json.loads(shown.stdout)
    assert len(threads) == 1
    assert {"id", "headline", "summary", "developing", "stories"} <= set(threads[0])
    assert len(threads[0]["stories"]) == 2
    assert {"london", "trade", "china"} <= set(threads[0]["why"])  # why they were grouped
    for story in threads[0]["stories"]:
        assert {"id", "title", "url", "source", "published"} <= set(story)

    out = tmp_path / "site"
    built = digest_cli(config, "build", "--out", str(out))
    assert built.returncode == 0, built.stderr
    for name in ("edition.html", "edition.txt", "edition.json"):
        assert (out / name).stat().st_size > 0
    assert json.loads((out / "edition.json").read_text())["threads"][0]["stories"]


def test_cli_threads_shows_a_thread_continued_from_an_earlier_day(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    seeds_config(make_config, seeds_dir)
    config = tmp_path / "digest.toml"
    assert digest_cli(config, "ingest").returncode == 0

    shown = digest_cli(
        config, "threads", "--since", "2025-06-10", "--until", "2025-06-10", "--json"
    )
    assert shown.returncode == 0, shown.stderr
    [thread] = json.loads(shown.stdout)

    assert thread["developing"] is True and thread["day"] == 2
    assert [s["source"] for s in thread["stories"]] == ["Second-day report"]
    assert [s["source"] for s in thread["earlier_stories"]] == ["Blockworks"]
    assert {"london", "trade", "china"} <= set(thread["why"])  # words shared across the days
    cited = {c["source"] for line in thread["sentences"] for c in line["sources"]}
    assert cited == {"Second-day report"}  # the window's news, not June 9's again

    text = digest_cli(config, "threads", "--since", "2025-06-10", "--until", "2025-06-10")
    assert "Developing · day 2" in text.stdout and "(earlier)" in text.stdout


def test_a_bad_config_gives_one_clear_line_naming_every_key(tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_text(
        '[delivery.smtp]\nport = "seven"\n[newsletter]\ntimezone = "Mars/Base"\ncolour = 1\n'
    )

    result = digest_cli(config, "run")

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for key in ("delivery.smtp.port", "newsletter.timezone", "newsletter.colour"):
        assert f"Config value '{key}'" in lines[0]


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert digest_cli(tmp_path / "digest.toml", "run", "--date", "yesterday").returncode == 2


def test_seeds_day_by_day_make_a_developing_thread_that_leads_with_day_two(
    make_config: Any, tmp_path: Path
) -> None:
    from tests.conftest import SEEDS

    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("000_2d148068ed96eaa8.txt", "000_2d148068ed96eaa8.toml"):
        shutil.copy(SEEDS / name, folder / name)
    settings = seeds_config(make_config, folder)
    june9 = dt.datetime(2025, 6, 9, 20, 0, tzinfo=dt.UTC)
    first = run(settings, june9)
    assert first.delivered

    for name in ("002_8e69fedbf1708692.txt", "002_8e69fedbf1708692.toml"):
        shutil.copy(SEEDS / name, folder / name)
    june10 = dt.datetime(2025, 6, 10, 20, 0, tzinfo=dt.UTC)
    second = run(settings, june10)

    day1 = json.loads(report_edition_json(settings, first.edition_id))["threads"][0]
    day2 = json.loads(report_edition_json(settings, second.edition_id))["threads"][0]
    assert day2["id"] == day1["id"]
    assert day2["developing"] is True and day2["day"] == 2
    assert day2["dek"] == "Talks in London Enter Second Day"  # what is new, in its words
    lead = day2["sentences"][0]
    assert lead["sources"][0]["url"] == SEED_URLS[1]
    # What only the second day's report says, each in the 100-word summary:
    summary = day2["summary"]
    assert "Lancaster House" in summary  # the talks' second day, and where
    assert any(t in summary for t in ("good faith", "Beijing believes"))  # China's stance
    assert any(t in summary for t in ("removal of restrictions", "potential removal"))  # easing
    assert "markets" in summary.lower()  # the market reaction


@pytest.mark.parametrize(
    "command",
    ["run", "ingest", "threads", "build", "send", "preview", "schedule", "status", "feeds"],
)
def test_every_command_has_help(tmp_path: Path, command: str) -> None:
    result = digest_cli(tmp_path / "digest.toml", command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout


def test_a_bad_pinned_clock_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "digest.toml").write_text(f'[store]\npath = "{tmp_path / "d.db"}"\n')
    result = digest_cli(tmp_path / "digest.toml", "status", now="garbage")
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: DIGEST_NOW='garbage' is not an ISO 8601 time"
