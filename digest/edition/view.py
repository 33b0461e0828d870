"""Edition + Settings -> the cleaned, plain values the templates show (`EditionView`).

Every feed string is cleaned here (`safe_text.clean`) and every URL checked
(`safe_text.safe_url`), so templates never see raw feed data. No markup, no MJML.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from digest.config import Blocks, Settings
from digest.edition.safe_text import clean, safe_url
from digest.models import Edition, Segment, Sentence, Story

log = logging.getLogger("digest.edition.render")
#: Sentences a segment needs before it is told in two paragraphs.
PARAGRAPH_SENTENCES = 4


@dataclass(frozen=True)
class Link:
    text: str
    #: '' when the source gave no http(s)/mailto URL: show the text without a link.
    url: str


@dataclass(frozen=True)
class Line:
    """A summary sentence with its bold lead-in and the sources it came from."""

    lead_in: str
    text: str
    sources: tuple[Link, ...]
    #: 1-based numbers into the segment's `references` (the text part cites by number).
    refs: tuple[int, ...]


@dataclass(frozen=True)
class Run:
    """Consecutive sentences of a paragraph from the same sources, shown with one link."""

    #: Bold lead-in ("Markets:"), only where a paragraph starts with the run.
    lead_in: str
    #: The sentences, run together.
    text: str
    sources: tuple[Link, ...]
    refs: tuple[int, ...]


@dataclass(frozen=True)
class Picture:
    url: str
    alt: str
    credit: str


@dataclass(frozen=True)
class SegmentView:
    kicker: str
    headline: str
    dek: str
    #: 1 for a new thread; N > 1 shows "Developing · day N".
    day: int
    lines: tuple[Line, ...]
    #: The same sentences as prose: one or two paragraphs of runs, each run with its link.
    paragraphs: tuple[tuple[Run, ...], ...]
    #: Disagreement notes ("Sources differ on ...").
    notes: tuple[str, ...]
    image: Picture | None
    #: The lead story's URL; '' when it has no web link.
    read_more: str
    references: tuple[Link, ...]
    #: The newest story's publication time (UTC).
    updated: dt.datetime


@dataclass(frozen=True)
class QuickHit:
    headline: str
    source: Link


@dataclass(frozen=True)
class MarketLine:
    symbol: str
    level: str
    change: float


@dataclass(frozen=True)
class EventLine:
    name: str
    date: str
    place: str
    url: str


@dataclass(frozen=True)
class Promo:
    title: str
    text: str
    url: str


@dataclass(frozen=True)
class EditionView:
    id: str
    date: dt.date
    built: dt.datetime
    name: str
    subject: str
    preheader: str
    #: "View in browser" target; '' hides the link.
    web_url: str
    logo: str
    segments: tuple[SegmentView, ...]
    quick_hits: tuple[QuickHit, ...]
    quiet: bool
    #: "2 sources could not be reached: A, B", or ''.
    failing: str
    market: tuple[MarketLine, ...]
    market_as_of: str
    promo: Promo | None
    events: tuple[EventLine, ...]


def edition_view(edition: Edition, settings: Settings) -> EditionView:
    """What the templates show for `edition`; pure except for reading `blocks.market_file`."""
    segments = tuple(_segment(s, settings) for s in edition.segments)
    hits = tuple(_quick_hit(s) for s in edition.quick_hits)
    theme, blocks = settings.theme, settings.blocks
    promo = Promo(clean(blocks.promo_title), clean(blocks.promo_text), safe_url(blocks.promo_url))
    return EditionView(
        id=edition.id,
        date=edition.date,
        built=edition.built,
        name=clean(settings.newsletter.name),
        subject=subject_line(edition, settings),
        preheader=preheader(segments, hits, edition.quiet),
        web_url=safe_url(web_url(edition, settings)),
        logo=safe_url(theme.logo),
        segments=segments,
        quick_hits=hits,
        quiet=edition.quiet,
        failing=_failing_line([clean(f.name) for f in edition.failing_sources]),
        market=_market(settings),
        market_as_of=clean(blocks.market_as_of),
        promo=promo if promo.title or promo.text else None,
        events=tuple(_events(blocks)),
    )


def web_url(edition: Edition, settings: Settings) -> str:
    """ "View in browser": `theme.web_url` ({date} filled in), else the edition's page of the
    archive under `[web] base_url` (`digest publish` names it `{edition id}.html`)."""
    if settings.theme.web_url:
        return settings.theme.web_url.replace("{date}", edition.date.isoformat())
    return f"{settings.web.base_url}/{edition.id}.html" if settings.web.base_url else ""


def subject_line(edition: Edition, settings: Settings) -> str:
    """'🟠 {lead headline}'; a quiet edition without segments says so."""
    badge = clean(settings.theme.badge)
    lead = edition.segments or edition.quick_hits
    if lead:
        title = clean(lead[0].summary.headline)
    else:
        title = f"{clean(settings.newsletter.name)}: a quiet day"
    return f"{badge} {title}".strip()


def preheader(segments: tuple[SegmentView, ...], hits: tuple[QuickHit, ...], quiet: bool) -> str:
    """The 'Plus, ...' dek naming what follows the lead; also the inbox preview text."""
    names = [s.headline for s in segments[1:3]] or [h.headline for h in hits[:2]]
    if names:
        text = "Plus, " + " and ".join(names)
    elif segments:  # the lead's dek, or its first sentence when it has none
        lead = segments[0]
        first = lead.lines[0] if lead.lines else None
        text = lead.dek or (" ".join(f"{first.lead_in} {first.text}".split()) if first else "")
    else:
        text = "A quiet day in the news." if quiet else ""
    return text if len(text) <= 140 else text[:139].rstrip() + "…"


def _segment(segment: Segment, settings: Settings) -> SegmentView:
    summary, stories = segment.summary, segment.thread.stories
    references: list[Link] = []
    lines = tuple(_line(sentence, references) for sentence in summary.sentences)
    names = {clean(ref.name) for story in stories for ref in story.all_sources()}
    kicker = settings.theme.kicker or (
        f"{len(names)} sources" if len(names) > 1 else "".join(names)
    )
    # "Read more" goes where the summary's lead came from: today's news on a developing thread.
    cited = [safe_url(c.url) for line in summary.sentences for c in line.citations]
    lead = next((s for s in stories if safe_url(s.url)), None)
    read_more = next((url for url in cited if url), safe_url(lead.url) if lead else "")
    return SegmentView(
        kicker=clean(kicker),
        headline=clean(summary.headline),
        dek=clean(summary.dek),
        day=segment.day,
        lines=lines,
        paragraphs=prose(lines),
        notes=tuple(clean(d.describe()) for d in summary.disagreements),
        image=_picture(stories, clean(summary.headline)),
        read_more=read_more,
        references=tuple(references),
        updated=max((s.published for s in stories), default=segment.thread.updated),
    )


def _line(sentence: Sentence, references: list[Link]) -> Line:
    """The sentence's sources as links, each also numbered in the segment's references."""
    sources: list[Link] = []
    for citation in sentence.citations:
        link = Link(clean(citation.source), safe_url(citation.url))
        if link not in sources:
            sources.append(link)
        if link not in references:
            references.append(link)
    refs = tuple(references.index(link) + 1 for link in sources)
    return Line(clean(sentence.lead_in), clean(sentence.text), tuple(sources), refs)


def prose(lines: tuple[Line, ...]) -> tuple[tuple[Run, ...], ...]:
    """The lines as one paragraph, or two when there are four or more: the break falls where
    the sources change nearest the middle (by words), or before a sentence with a lead-in."""
    if not lines:
        return ()
    breaks = [i for i in range(1, len(lines)) if lines[i].sources != lines[i - 1].sources]
    led = [i for i in range(1, len(lines)) if lines[i].lead_in]
    words = [len(line.text.split()) for line in lines]
    half = sum(words) / 2
    cut = 0
    if len(lines) >= PARAGRAPH_SENTENCES and (led or breaks):
        cut = led[0] if led else min(breaks, key=lambda i: abs(sum(words[:i]) - half))
    parts = [lines[:cut], lines[cut:]] if cut else [lines]
    return tuple(_runs(part) for part in parts)


def _runs(lines: tuple[Line, ...]) -> tuple[Run, ...]:
    """Consecutive lines citing the same sources as one run; a lead-in only at the start."""
    runs: list[Run] = []
    for line in lines:
        if runs and runs[-1].sources == line.sources:
            last = runs[-1]
            runs[-1] = Run(last.lead_in, f"{last.text} {line.text}", last.sources, last.refs)
        else:
            runs.append(Run("" if runs else line.lead_in, line.text, line.sources, line.refs))
    return tuple(runs)


def _picture(stories: tuple[Story, ...], headline: str) -> Picture | None:
    for story in stories:
        if story.image and safe_url(story.image.url).startswith("https://"):
            alt = clean(story.image.alt) or headline
            return Picture(story.image.url, alt, clean(story.image.credit))
    return None


def _quick_hit(segment: Segment) -> QuickHit:
    stories = segment.thread.stories
    lead = next((s for s in stories if safe_url(s.url)), stories[0] if stories else None)
    source = Link(clean(lead.source), safe_url(lead.url)) if lead else Link("", "")
    return QuickHit(clean(segment.summary.headline), source)


def _failing_line(names: list[str]) -> str:
    if not names:
        return ""
    verb = "source could" if len(names) == 1 else "sources could"
    return f"{len(names)} {verb} not be reached: {', '.join(names)}"


def _market(settings: Settings) -> tuple[MarketLine, ...]:
    """The market rows from `blocks.market_file` when set, else from `blocks.market`."""
    blocks = settings.blocks
    rows: list[dict[str, object]] = [row.model_dump() for row in blocks.market]
    if blocks.market_file:
        path = settings.resolve(blocks.market_file)
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
            return tuple(_market_line(row) for row in rows)
        except (OSError, ValueError, TypeError, KeyError) as e:
            log.warning("blocks.market_file %s: %s; the market block is left out", path, e)
            return ()
    return tuple(_market_line(row) for row in rows)


def _market_line(row: dict[str, object]) -> MarketLine:
    change = row["change"]
    if not isinstance(change, int | float | str):
        raise TypeError(f"change {change!r} is not a number")
    return MarketLine(clean(str(row["symbol"])), clean(str(row["level"])), float(change))


def _events(blocks: Blocks) -> list[EventLine]:
    return [
        EventLine(
            clean(event.get("name", "")),
            clean(event.get("date", "")),
            clean(event.get("place", "")),
            safe_url(event.get("url", "")),
        )
        for event in blocks.events
        if event.get("name")
    ]
