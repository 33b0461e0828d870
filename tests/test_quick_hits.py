"""A quick hit is one story's line: its headline, its outlet and its link, never mixed."""

from __future__ import annotations

import dataclasses
import datetime as dt

from digest.edition.assemble import quick_hit
from digest.edition.render import render_edition
from digest.models import Summary
from tests.editions import BUILT, full_edition, segment, settings, story

WIRE = story(
    "wire",
    "Fed cuts rates",
    "Reuters Wire",
    "https://wire.example/fed-cuts",
    BUILT - dt.timedelta(hours=3),
)
LEDGER = story(
    "ledger",
    "Federal Reserve lowers rates to 3.50%-3.75% in split decision - Financial Ledger",
    "Financial Ledger",
    "https://ledger.example/fed-decision",
    BUILT - dt.timedelta(hours=2),
)


def test_the_outlet_and_link_are_those_of_the_story_that_gave_the_headline() -> None:
    headline = "Federal Reserve lowers rates to 3.50%-3.75% in split decision"
    hit = quick_hit(segment((WIRE, LEDGER), Summary(headline, "", ())))
    edition = dataclasses.replace(full_edition(1, 0), quick_hits=(hit,))

    html = render_edition(edition, settings()).html

    start = html.index(f'{headline} <span class="dg-muted"')
    line = html[start : html.index("</li>", start)]
    assert "https://ledger.example/fed-decision" in line and "Financial Ledger" in line
    assert "Reuters Wire" not in line and "wire.example" not in line


def test_a_headline_no_title_made_gives_way_to_the_linked_storys_own_title() -> None:
    hit = quick_hit(segment((WIRE, LEDGER), Summary("Rates fall again as the Fed splits", "", ())))

    assert hit.summary.headline == "Fed cuts rates"
    assert hit.thread.stories[0] is WIRE
