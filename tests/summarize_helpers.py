"""Seed stories for the summarizer tests, read from the bundled seeds and their metadata.

Seed 000's page leftovers are the ingestion stage's job; here its text is cut at the article's
last line and the short leftover lines before the body are dropped, as ingestion would.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from digest.models import Story, Thread

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FG_ID = "000_2d148068ed96eaa8"
SECOND_DAY_ID = "002_8e69fedbf1708692"
_LAST_LINE = "Keep an eye on your inbox tomorrow for all the updates."


def seed_story(stem: str) -> Story:
    meta = tomllib.loads((SEEDS / f"{stem}.toml").read_text(encoding="utf-8"))
    lines = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    title, dek = "", ""
    if stem == FG_ID:
        title, dek = lines[0].strip(), lines[2].strip()
        body = "\n".join(lines[3:])
        body = body[: body.index(_LAST_LINE) + len(_LAST_LINE)]
        paragraphs = [
            p.strip()
            for p in body.split("\n\n")
            if len(p.split()) > 12 and "subscribe" not in p  # the newsletter promo line
        ]
        text = "\n\n".join(paragraphs)
    else:
        text = "\n".join(lines)
    published = dt.datetime.fromisoformat(meta["published"]).astimezone(dt.UTC)
    return Story(stem, title, meta["url"], meta["source"], published, text, dek=dek)


def seed_thread() -> Thread:
    stories = (seed_story(FG_ID), seed_story(SECOND_DAY_ID))
    return Thread("seeds", stories, stories[0].published, stories[1].published)


def make_story(story_id: str, source: str, text: str, title: str = "", day: int = 1) -> Story:
    published = dt.datetime(2025, 6, day, 12, 0, tzinfo=dt.UTC)
    url = f"https://{source.lower().replace(' ', '')}.example/{story_id}"
    return Story(story_id, title, url, source, published, text)


def make_thread(*stories: Story) -> Thread:
    return Thread("t-" + stories[0].id, stories, stories[0].published, stories[-1].published)
