"""A local folder of articles (.txt, .md, .html), each with an optional `X.toml` sidecar.

Sidecar keys: source, url, published (ISO 8601), and optional title, author, section, dek.
Without one: title is the first line, published the file's mtime, url its file:// URI.
Captured pages lose their leftovers by the general rule in `pagetext`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from pathlib import Path
from typing import Any, ClassVar

from digest.errors import SourceError
from digest.sources import Entry, ParsedFeed
from digest.sources.normalize import html_to_text
from digest.sources.pagetext import extract_article

log = logging.getLogger("digest.sources.folder")

SUFFIXES = (".txt", ".md", ".html", ".htm")
_SIDECAR_KEYS = {"source", "url", "published", "title", "author", "section", "dek"}


class FolderSource:
    kind: ClassVar[str] = "folder"
    reads_location: ClassVar[bool] = True

    def sniff(self, location: str, content: bytes | None) -> bool:
        return content is None and folder_path(location).is_dir()

    def parse(self, location: str, content: bytes | None) -> ParsedFeed:
        folder = folder_path(location)
        if not folder.is_dir():
            raise SourceError(location, "is not a folder")
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES)
        entries, problems = [], []
        for path in files:  # one bad article (or sidecar) is skipped, not the whole folder
            try:
                entries.append(read_article(path))
            except (SourceError, OSError) as e:
                problems.append(str(e))
                log.warning("skipped %s", e)
        if problems and not entries:
            raise SourceError(location, f"no article could be read; first: {problems[0]}")
        return ParsedFeed(tuple(entries), folder.name, folder.as_uri())


def folder_path(location: str) -> Path:
    return Path(location.removeprefix("file://")).expanduser()


def read_article(path: Path) -> Entry:
    """One article file and its sidecar as an entry (plain text, leftovers removed)."""
    meta = _sidecar(path)
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        raw = html_to_text(raw)
    elif path.suffix.lower() == ".md":
        raw = _strip_markdown(raw)
    article = extract_article(raw)
    published = _published(meta.get("published"), path)
    return Entry(
        url=str(meta.get("url") or path.resolve().as_uri()),
        title=str(meta.get("title") or article.title),
        published=published,
        author=str(meta.get("author", "")),
        content=article.body,
        html=False,
        dek=str(meta.get("dek") or article.dek),
        source=str(meta.get("source", "")),
    )


def _sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_suffix(".toml")
    if not sidecar.exists():
        return {}
    try:
        meta = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SourceError(str(sidecar), f"is not valid TOML: {e}") from e
    unknown = set(meta) - _SIDECAR_KEYS
    if unknown:
        raise SourceError(str(sidecar), f"unknown key(s): {', '.join(sorted(unknown))}")
    return meta


def _published(value: Any, path: Path) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):  # a bare TOML date: the start of that day
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str) and value.strip():
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError as e:
            raise SourceError(str(path), f"published {value!r} is not ISO 8601") from e
    else:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _strip_markdown(text: str) -> str:
    text = _MD_LINK.sub(r"\1", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]\s)\s*", "", text, flags=re.MULTILINE)
    return re.sub(r"(\*\*|__|`)", "", text)
