"""The types every stage shares: frozen dataclasses, all datetimes tz-aware UTC.

Stages never mutate these; they build new ones with `dataclasses.replace()`.
Nothing here does I/O or knows about SQLite, HTTP or MJML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace


def content_hash(title: str, text: str) -> str:
    """The fingerprint of a story's content: the same words from two feeds are one story."""
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SourceRef:
    """One place a story was published: an outlet and the article's URL there."""

    #: The outlet's display name ("Blockworks"), used in attributions.
    name: str
    #: The article's canonical URL at that outlet.
    url: str
    #: The configured feed it arrived through (``[[feeds]] name``).
    feed: str = ""


@dataclass(frozen=True)
class Image:
    """An image that illustrates a story; only http(s) URLs are kept."""

    url: str
    alt: str = ""
    credit: str = ""


@dataclass(frozen=True)
class Story:
    """One article, normalized from whatever source it came from.

    `id` is stable across fetches: the feed's guid, else the canonical URL,
    else a hash of the content. The same article seen through two feeds is
    one story whose `sources` has two entries.
    """

    id: str
    title: str
    #: Canonical URL (tracking parameters and fragment removed).
    url: str
    #: The outlet's display name (the first source's name).
    source: str
    #: When the outlet published it (UTC); first-seen when the feed gave none.
    published: dt.datetime
    #: Plain Unicode text, paragraphs separated by a blank line, page leftovers removed.
    text: str
    #: The standfirst / subtitle, if the source had one.
    dek: str = ""
    author: str = ""
    #: The configured feed it first arrived through.
    feed: str = ""
    #: When this store first saw it (UTC). "New" means first seen since the last edition.
    first_seen: dt.datetime | None = None
    image: Image | None = None
    #: Every outlet that carried it; the first is the one named in `source`.
    sources: tuple[SourceRef, ...] = ()

    def all_sources(self) -> tuple[SourceRef, ...]:
        """The sources, falling back to the story's own outlet and URL."""
        return self.sources or (SourceRef(self.source, self.url, self.feed),)

    def with_copies(self, copies: Sequence[Story]) -> Story:
        """This story with the sources of its near-duplicate copies appended."""
        refs: list[SourceRef] = list(self.all_sources())
        for copy in copies:
            refs.extend(r for r in copy.all_sources() if r.url not in {x.url for x in refs})
        return replace(self, sources=tuple(refs))


@dataclass(frozen=True)
class Thread:
    """Stories about one event, possibly across outlets and days."""

    id: str
    #: Ordered by publication time, oldest first.
    stories: tuple[Story, ...]
    #: When the first story of the thread was first seen (UTC).
    opened: dt.datetime
    #: When the latest story joined (UTC); a thread quiet past the horizon closes.
    updated: dt.datetime
    closed: bool = False

    def for_summary(self, budget: int = 40_000, floor: int = 300) -> Thread:
        """The thread with its stories' texts cut to share `budget` characters (each keeps at
        least `floor`), so summarizing costs about the same for 3 long stories as for 40."""
        share = max(budget // max(len(self.stories), 1), floor)
        if all(len(s.text) <= share for s in self.stories):
            return self
        cut = tuple(replace(s, text=cut_text(s.text, share)) for s in self.stories)
        return replace(self, stories=cut)


def cut_text(text: str, limit: int) -> str:
    """`text` if short enough, else its head ended at a paragraph, sentence or word."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for mark in ("\n\n", ". ", " "):
        end = head.rfind(mark)
        if end > limit // 2:
            return head[: end + 1].rstrip()
    return head


@dataclass(frozen=True)
class Citation:
    """Where a summary sentence came from."""

    story_id: str
    source: str
    url: str


@dataclass(frozen=True)
class Sentence:
    """A summary sentence and the sources that contain it."""

    text: str
    citations: tuple[Citation, ...]
    #: Optional bold lead-in ("Markets:") the renderer puts before the sentence.
    lead_in: str = ""


@dataclass(frozen=True)
class Figure:
    """One value a source states for a quantity ("60%" from Blockworks)."""

    value: str
    citation: Citation


@dataclass(frozen=True)
class Disagreement:
    """Sources in a thread state different values for the same quantity."""

    #: What is measured, in words ("China's share of global rare-earth supply").
    quantity: str
    figures: tuple[Figure, ...]

    def describe(self) -> str:
        parts = " vs ".join(f"{f.value} ({f.citation.source})" for f in self.figures)
        if not self.quantity:  # no clean name for it
            return f"Sources give different figures: {parts}"
        return f"Sources differ on {self.quantity}: {parts}"


@dataclass(frozen=True)
class Summary:
    """What a summarizer returns for a thread: every sentence attributed."""

    headline: str
    dek: str
    sentences: tuple[Sentence, ...]
    disagreements: tuple[Disagreement, ...] = ()
    #: Which summarizer wrote it ("extractive", "llm", a plug-in's name); "" until checked.
    written_by: str = ""
    #: Sentences the support check dropped from what the summarizer wrote.
    dropped: int = 0
    #: Language-model tokens the summary cost (0 for offline summarizers).
    tokens: int = 0


@dataclass(frozen=True)
class Segment:
    """A thread as it appears in one edition."""

    thread: Thread
    summary: Summary
    #: 1 for a thread new in this edition; N for the Nth day an edition carries it.
    day: int = 1

    @property
    def developing(self) -> bool:
        return self.day > 1


@dataclass(frozen=True)
class FailingSource:
    """A feed that has failed several fetches in a row, named in the footer."""

    name: str
    url: str
    error: str
    failures: int


@dataclass(frozen=True)
class Edition:
    """One issue of the newsletter for a local date, before rendering."""

    #: "2025-06-10", or "2025-06-10.2" for a forced rebuild of the same date.
    id: str
    date: dt.date
    #: When it was built (UTC); rendering shows it in the newsletter's zone.
    built: dt.datetime
    segments: tuple[Segment, ...]
    quick_hits: tuple[Segment, ...] = ()
    failing_sources: tuple[FailingSource, ...] = ()
    #: Set on a day with too few new stories; the email says so in one line.
    quiet: bool = False


@dataclass(frozen=True)
class RenderedEdition:
    """An edition turned into an email: what delivery sends."""

    subject: str
    preheader: str
    html: str
    text: str


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    fields: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
