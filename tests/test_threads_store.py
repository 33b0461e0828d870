"""Threads in a real SQLite file: saved, loaded back, continued the next day, windowed."""

from __future__ import annotations

import datetime as dt

from digest.config import ThreadSettings
from digest.models import SourceRef, Story
from digest.store import Database, iso
from digest.store.threads import (
    close_stale_threads,
    load_open_threads,
    save_threads,
    threads_for_stories,
    threads_in_window,
    unthreaded_stories,
)
from digest.threads.group import group_threads

SETTINGS = ThreadSettings.model_validate({})
DAY = dt.timedelta(days=1)
TEXT = (
    "The European Central Bank held its deposit rate at 4% on Thursday and signalled that "
    "cuts could come in June, as President Christine Lagarde pointed to easing inflation."
)


def put(db: Database, story: Story) -> Story:
    """Store a story row as ingestion does (one row, one source per outlet)."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO stories(id, url, title, source, feed, published, first_seen, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                story.id,
                story.url,
                story.title,
                story.source,
                story.feed,
                iso(story.published),
                iso(story.published),
                story.text,
            ),
        )
        conn.execute(
            "INSERT INTO story_sources(story_id, name, url, feed, first_seen)"
            " VALUES (?, ?, ?, ?, ?)",
            (story.id, story.source, story.url, story.feed, iso(story.published)),
        )
    return story


def story(ident: str, outlet: str, when: dt.datetime, title: str, text: str = TEXT) -> Story:
    url = f"https://{outlet.lower()}.example/{ident}"
    return Story(
        ident,
        title,
        url,
        outlet,
        when,
        text,
        feed=outlet,
        first_seen=when,
        sources=(SourceRef(outlet, url, outlet),),
    )


def test_threads_round_trip_with_folded_copies(db: Database, now: dt.datetime) -> None:
    ecb = put(
        db, story("ecb-1", "Reuters", now - dt.timedelta(hours=5), "ECB holds rates, eyes June cut")
    )
    copy = put(
        db, story("ecb-1b", "Yahoo", now - dt.timedelta(hours=4), "ECB holds rates, eyes June cut")
    )
    later = put(
        db,
        story(
            "ecb-2",
            "FT",
            now - dt.timedelta(hours=2),
            "Lagarde signals June rate cut as ECB holds",
            "Christine Lagarde said the ECB could cut its 4% deposit rate in June.",
        ),
    )
    assert {s.id for s in unthreaded_stories(db)} == {"ecb-1", "ecb-1b", "ecb-2"}

    changed = group_threads(unthreaded_stories(db), [], now, SETTINGS)
    save_threads(db, changed)

    (loaded,) = load_open_threads(db, now, SETTINGS.horizon_days)
    assert loaded == changed[0]
    assert [s.id for s in loaded.stories] == ["ecb-1", "ecb-2"]
    assert [r.name for r in loaded.stories[0].all_sources()] == ["Reuters", "Yahoo"]
    assert unthreaded_stories(db) == []
    assert [t.id for t in threads_for_stories(db, {copy.id})] == [loaded.id]
    assert ecb.id in {s.id for s in threads_for_stories(db, {later.id})[0].stories}


def test_next_days_story_continues_the_stored_thread(db: Database, now: dt.datetime) -> None:
    put(db, story("ecb-1", "Reuters", now - DAY, "ECB holds rates, eyes June cut"))
    save_threads(db, group_threads(unthreaded_stories(db), [], now - DAY, SETTINGS))
    put(
        db,
        story(
            "ecb-2",
            "FT",
            now,
            "ECB's Lagarde defends June cut signal",
            "Christine Lagarde said the ECB holds its 4% deposit rate and eyes a June cut.",
        ),
    )

    opened = load_open_threads(db, now, SETTINGS.horizon_days)
    save_threads(db, group_threads(unthreaded_stories(db), opened, now, SETTINGS))

    (thread,) = load_open_threads(db, now, SETTINGS.horizon_days)
    assert thread.id == opened[0].id
    assert [s.id for s in thread.stories] == ["ecb-1", "ecb-2"]
    assert thread.updated == now


def test_window_keeps_only_stories_published_in_it(db: Database, now: dt.datetime) -> None:
    put(db, story("ecb-1", "Reuters", now - 2 * DAY, "ECB holds rates, eyes June cut"))
    put(
        db,
        story(
            "ecb-2",
            "FT",
            now - dt.timedelta(hours=1),
            "ECB holds rates, eyes June cut as Lagarde speaks",
            "Lagarde: the ECB kept its 4% deposit rate and eyes a June cut, inflation easing.",
        ),
    )
    save_threads(db, group_threads(unthreaded_stories(db), [], now, SETTINGS))

    (thread,) = threads_in_window(db, now - DAY, now)

    assert [s.id for s in thread.stories] == ["ecb-2"]
    assert threads_in_window(db, now, None) == []
    assert len(threads_in_window(db, None, None)[0].stories) == 2


def test_stale_threads_close_and_stop_loading(db: Database, now: dt.datetime) -> None:
    put(db, story("ecb-1", "Reuters", now - 9 * DAY, "ECB holds rates, eyes June cut"))
    save_threads(db, group_threads(unthreaded_stories(db), [], now - 9 * DAY, SETTINGS))

    assert load_open_threads(db, now, SETTINGS.horizon_days) == []
    assert close_stale_threads(db, now, SETTINGS.horizon_days) == 1
    assert threads_in_window(db, None, None)[0].closed
