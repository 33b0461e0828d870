"""Full text for teaser-only feeds: fetch each new story's page, extract the article (trafilatura).

Called by ingest for feeds with `full_text = true`, only for stories just stored, which
stores what it returns. A page that cannot be fetched or yields no article leaves the
story's feed text as it was.
"""

from __future__ import annotations

import asyncio
import logging

from digest.errors import SourceError
from digest.models import Story
from digest.sources.fetch import Fetcher
from digest.sources.normalize import clean_text

log = logging.getLogger("digest.sources.ingest")


def extract_article_text(page: bytes | str, url: str = "") -> str:
    """The article of a web page as paragraphs separated by blank lines; "" when none found."""
    # Imported here: trafilatura is heavy and only feeds with `full_text = true` need it.
    import trafilatura

    text = trafilatura.extract(
        page, url=url or None, include_comments=False, include_tables=False, favor_precision=True
    )
    if not text:
        return ""
    return clean_text("\n\n".join(line for line in str(text).split("\n") if line.strip()))


async def full_texts(fetcher: Fetcher, stories: list[Story]) -> list[tuple[str, str]]:
    """(story id, its page's article) for each story whose page has more text than it."""
    texts = await asyncio.gather(*(_page_text(fetcher, s) for s in stories))
    found = []
    for story, page_text in zip(stories, texts, strict=True):
        head, _, rest = page_text.partition("\n\n")
        text = rest if head.strip() == story.title else page_text  # the page repeats the title
        if text and len(text) > len(story.text):
            found.append((story.id, text))
    return found


async def _page_text(fetcher: Fetcher, story: Story) -> str:
    if not story.url.startswith(("http://", "https://")):
        return ""
    try:
        fetched = await fetcher.fetch(story.url)
    except SourceError as e:
        log.warning("full text of %s not fetched: %s", story.url, e.reason)
        return ""
    if not fetched.content:
        return ""
    return await asyncio.to_thread(extract_article_text, fetched.content, story.url)
