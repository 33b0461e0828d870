"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read with the json module.

feedparser has no JSON Feed support in any release, so this small reader is ours.
Detection is from the content: a JSON object whose `version` names jsonfeed.org.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar

from digest.errors import SourceError
from digest.sources import Entry, ParsedFeed


class JsonFeedSource:
    kind: ClassVar[str] = "jsonfeed"
    reads_location: ClassVar[bool] = False

    def sniff(self, location: str, content: bytes | None) -> bool:
        if content is None:
            return False
        head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        return head.startswith(b"{") and b"jsonfeed.org/version" in content[:65536]

    def parse(self, location: str, content: bytes | None) -> ParsedFeed:
        try:
            data = json.loads((content or b"").decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise SourceError(location, f"is not valid JSON: {e}") from e
        except RecursionError:
            raise SourceError(location, "is JSON nested too deeply to read") from None
        if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
            raise SourceError(location, "is not a JSON Feed (no `items` list)")
        feed_author = _author(data)
        entries = tuple(
            _entry(item, feed_author) for item in data.get("items", []) if isinstance(item, dict)
        )
        return ParsedFeed(entries, _str(data.get("title")), _str(data.get("home_page_url")))


def _entry(item: dict[str, Any], feed_author: str) -> Entry:
    html = _str(item.get("content_html"))
    text = _str(item.get("content_text"))
    return Entry(
        guid=_str(item.get("id")),
        url=_str(item.get("url")) or _str(item.get("external_url")),
        title=_str(item.get("title")),
        published=_date(item.get("date_published")) or _date(item.get("date_modified")),
        author=_author(item) or feed_author,
        content=html or text,
        html=bool(html),
        summary=_str(item.get("summary")),
        dek=_str(item.get("summary")) if html or text else "",
        image=_str(item.get("image")) or _str(item.get("banner_image")),
    )


def _author(obj: dict[str, Any]) -> str:
    """1.1 `authors` list, else 1.0 `author` object."""
    authors = obj.get("authors")
    if isinstance(authors, list):
        names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
        return ", ".join(n for n in names if n)
    author = obj.get("author")
    return _str(author.get("name")) if isinstance(author, dict) else ""


def _date(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _str(value: Any) -> str:
    # ids may be numbers in the wild although the spec says string
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value)
