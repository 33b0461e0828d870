"""Editions built by hand for tests and benches: the seeds', a full one, a hostile one.

Importable by any test (`from tests.editions import seeds_edition`). Nothing here
reads the store; each builder returns the same Edition every time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from digest.config import Settings
from digest.models import (
    Citation,
    Disagreement,
    Edition,
    FailingSource,
    Figure,
    Image,
    Segment,
    Sentence,
    SourceRef,
    Story,
    Summary,
    Thread,
)

BUILT = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)
BLOCKWORKS_URL = "https://blockworks.co/news/us-china-trade-talk-london"
SECOND_DAY_URL = "https://example.org/seeds/us-china-london-talks-second-day"


#: Every optional block filled in, as a config's [blocks] table would.
SAMPLE_BLOCKS: dict[str, Any] = {
    "market": [
        {"symbol": "S&P 500", "level": "6,005.88", "change": 0.3},
        {"symbol": "Nasdaq", "level": "19,591.24", "change": -0.5},
    ],
    "market_as_of": "2 p.m. ET",
    "promo_title": "Our crypto letter",
    "promo_text": "Daily, before the open.",
    "promo_url": "https://digest.example/crypto",
    "events": [{"name": "Macro Summit", "date": "Oct 13", "place": "London", "url": ""}],
}


def settings(**sections: Any) -> Settings:
    """Settings as the demo config has them, with `sections` merged over them."""
    data: dict[str, Any] = {
        "newsletter": {"name": "Forward Digest", "timezone": "America/New_York"},
        "theme": {"address": "Forward Digest, 1 Example Street, New York, NY 10001"},
    }
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value}
    return Settings.model_validate(data)


def story(
    story_id: str,
    title: str,
    source: str,
    url: str,
    published: dt.datetime,
    **fields: Any,
) -> Story:
    return Story(
        id=story_id,
        title=title,
        url=url,
        source=source,
        published=published,
        text=fields.pop("text", title),
        sources=(SourceRef(source, url),),
        **fields,
    )


def cite(item: Story) -> Citation:
    return Citation(item.id, item.source, item.url)


def segment(stories: tuple[Story, ...], summary: Summary, day: int = 1) -> Segment:
    thread = Thread(
        id="t-" + stories[0].id,
        stories=stories,
        opened=stories[0].published,
        updated=stories[-1].published,
    )
    return Segment(thread, summary, day=day)


def seed_stories() -> tuple[Story, Story]:
    blockworks = story(
        "seed-000",
        "US and China reps meet on neutral ground for a second time",
        "Blockworks",
        BLOCKWORKS_URL,
        dt.datetime(2025, 6, 9, 18, 0, tzinfo=dt.UTC),
        dek="Trump’s team is feeling positive headed into the trade negotiation meeting in London",
    )
    second_day = story(
        "seed-002",
        "Talks in London enter second day",
        "Second-day report",
        SECOND_DAY_URL,
        dt.datetime(2025, 6, 10, 9, 0, tzinfo=dt.UTC),
    )
    return blockworks, second_day


def seeds_edition() -> Edition:
    """The seeds' edition as the pipeline should build it: one thread of both seeds."""
    bw, sd = seed_stories()
    sentences = (
        Sentence(
            "Representatives from the US and China kicked off a second round of trade talks "
            "in London today at 1 p.m. local time.",
            (cite(bw),),
            lead_in="London calling.",
        ),
        Sentence(
            "The first meeting lasted over six hours and ended around 8:00 p.m. local time "
            "at Lancaster House.",
            (cite(sd),),
        ),
        Sentence(
            "Since April 4, China has suspended almost all exports of several rare earth "
            "metals and magnets.",
            (cite(bw),),
            lead_in="Rare earths.",
        ),
        Sentence(
            "Washington is reportedly willing to ease restrictions on technology exports in "
            "exchange for the lifting of China’s export limits on rare earth elements.",
            (cite(sd), cite(bw)),
        ),
        Sentence(
            "The S&P 500 and Nasdaq Composite indexes were up 0.3% and 0.5% over the day, "
            "respectively, at 2 p.m. ET.",
            (cite(bw),),
            lead_in="Markets.",
        ),
    )
    disagreement = Disagreement(
        "China's share of global rare-earth supply",
        (Figure("60%", cite(bw)), Figure("70%", cite(sd))),
    )
    summary = Summary(
        headline="US and China reps meet on neutral ground for a second time",
        dek="Trump’s team is feeling positive headed into the trade negotiation meeting in London",
        sentences=sentences,
        disagreements=(disagreement,),
    )
    return Edition(
        id="2025-06-10",
        date=dt.date(2025, 6, 10),
        built=BUILT,
        segments=(segment((bw, sd), summary),),
    )


def numbered_segment(n: int, *, sentences: int = 5, image: bool = False, day: int = 1) -> Segment:
    """A realistic segment: two outlets, `sentences` sentences of ~30 words, a disagreement."""
    published = BUILT - dt.timedelta(hours=n)
    first = story(
        f"s{n}a",
        f"Story {n}",
        "Blockworks",
        f"https://blockworks.co/news/story-{n}",
        published,
        image=Image(f"https://images.example.com/{n}.jpg", f"Chart {n}", "Photo: Example Wire")
        if image
        else None,
    )
    second = story(f"s{n}b", f"Story {n}, again", "Reuters", f"https://reuters.com/{n}", published)
    body = tuple(
        Sentence(
            f"Sentence {i} of story {n} says that treasury yields moved 0.{i}% as traders "
            "weighed the latest inflation print against the central bank's guidance for the "
            "rest of the year.",
            (cite(first if i % 2 else second),),
            lead_in="Rates." if i == 1 else "",
        )
        for i in range(1, sentences + 1)
    )
    notes = (
        Disagreement(
            "the size of the move", (Figure("0.1%", cite(first)), Figure("0.2%", cite(second)))
        ),
    )
    summary = Summary(f"Headline number {n} moves markets", f"The dek of story {n}", body, notes)
    return segment((first, second), summary, day=day)


def full_edition(segments: int = 10, quick_hits: int = 20, sentences: int = 5) -> Edition:
    """10 full segments and 20 quick hits by default: the size the HTML budget is made for."""
    return Edition(
        id="2025-06-10",
        date=dt.date(2025, 6, 10),
        built=BUILT,
        segments=tuple(
            numbered_segment(n, sentences=sentences, image=n % 3 == 1, day=1 + n % 2)
            for n in range(1, segments + 1)
        ),
        quick_hits=tuple(numbered_segment(100 + n, sentences=1) for n in range(quick_hits)),
        failing_sources=(FailingSource("Broken Wire", "https://broken.example/feed", "404", 4),),
    )


#: Payloads a hostile feed might carry in any string field.
SCRIPT = "<script>alert('x')</script>"
HOSTILE_URLS = (
    "javascript:alert(1)",
    " JaVaScRiPt:alert(2)",
    "java\tscript:alert(3)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "seeds/000_2d148068ed96eaa8.txt",
    "vbscript:msgbox(5)",
)


def hostile_edition() -> Edition:
    """Every field a feed controls carries a payload: markup, bad schemes, Jinja, tokens."""
    stories = tuple(
        story(
            f"evil-{i}",
            f"{SCRIPT} Evil {i}",
            f'<b onmouseover="alert({i})">Evil Wire</b>',
            url,
            BUILT - dt.timedelta(hours=i),
            image=Image(url, '" onerror="alert(9)', "<iframe src=https://evil.example></iframe>"),
        )
        for i, url in enumerate(HOSTILE_URLS)
    )
    sentences = (
        Sentence(
            "<mj-raw><script>alert(6)</script></mj-raw> {{ 7*7 }} {% if true %}jinja{% endif %}",
            tuple(cite(s) for s in stories),
            lead_in="<style>body{display:none}</style>Bold",
        ),
        Sentence(
            'Click <a href="javascript:alert(7)" onclick="alert(8)">here</a>'
            " [[digest:unsubscribe_url]] & <iframe src='https://evil.example'></iframe>"
            " <img src=x onerror=alert(10)>",
            (cite(stories[0]),),
        ),
        Sentence("Line\r\nBcc: victim@example.com\x00\u202eevil", (cite(stories[1]),)),
    )
    summary = Summary(
        headline=f"{SCRIPT}Markets {{{{ 7*7 }}}} rally [[digest:email]]",
        dek='"><img src=x onerror=alert(11)><svg onload=alert(12)>',
        sentences=sentences,
        disagreements=(Disagreement("<b>x</b>", (Figure("<i>1</i>", cite(stories[0])),)),),
    )
    hits = tuple(
        segment((s,), Summary(s.title, "", (Sentence(s.title, (cite(s),)),))) for s in stories
    )
    return Edition(
        id="2025-06-10",
        date=dt.date(2025, 6, 10),
        built=BUILT,
        segments=(segment(stories, summary, day=2),),
        quick_hits=hits,
        failing_sources=(FailingSource(SCRIPT, "javascript:alert(13)", "<b>down</b>", 5),),
    )
