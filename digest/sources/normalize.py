"""Entry -> Story: canonical URLs, stable ids, UTC dates, HTML reduced to paragraph text.

Pure functions, no I/O. We keep no feed HTML at all: every string a story carries is
plain text (markup dropped, script/style/iframe/MJML bodies discarded), so the renderer
escapes text and never has to trust markup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from digest.models import Image, Story, content_hash
from digest.sources import Entry
from digest.sources.pagetext import strip_furniture

_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|mkt_tok"
    r"|_ga|_gl|_hsenc|_hsmi|__hs\w*|oly_\w+|vero_\w+|ref_src|ref_url|cmpid|s_cid|spm|guccounter)$",
    re.IGNORECASE,
)
_SAFE_SCHEMES = ("http", "https", "file")


def canonical_url(url: str, base: str = "") -> str:
    """Absolute URL without tracking parameters or fragment; "" for unsafe schemes."""
    url = html.unescape(url.strip())
    if not url:
        return ""
    try:
        parts = urlsplit(urljoin(base, url) if base else url)
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in _SAFE_SCHEMES or (scheme != "file" and not parts.netloc):
        return ""
    host = (parts.hostname or "").lower()
    if parts.port and (scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    kept = urlencode([(k, v) for k, v in query if not _TRACKING.match(k)])
    return urlunsplit((scheme, host, parts.path or "/", kept, ""))


def story_id(guid: str, url: str, title: str, text: str) -> str:
    """Stable id: from the guid, else the canonical URL, else the content."""
    if guid.strip():
        key = "guid:" + guid.strip()
    elif url:
        key = "url:" + url
    else:
        key = "hash:" + content_hash(title, text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def to_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """`moment` in UTC; None when there is none or it has no UTC form (0001-01-01T00:00+05:00)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        return None


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def clean_text(text: str) -> str:
    """NFC Unicode, no control or invisible characters, tidy spaces, paragraphs by blank lines,
    page furniture removed (`pagetext.strip_furniture`): every story text passes here once."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return strip_furniture("\n\n".join(paragraphs))


_SCRIPTISH = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(\s[^<>]*)?/?>")


def plain_line(title: str) -> str:
    """Entities decoded, tags dropped (script and style with their content), spaces collapsed."""
    title = html.unescape(title)
    title = _TAG.sub(" ", _SCRIPTISH.sub(" ", title))
    return " ".join(title.split())


# fmt: off
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tr", "ul",
})
# Elements whose content is never article text (and may be hostile).
_DROPPED = frozenset({
    "script", "style", "iframe", "noscript", "template", "head", "title", "svg", "math",
    "object", "form", "button", "select", "textarea", "audio", "video", "canvas",
    "frameset", "applet",
})
# fmt: on
_TAGGY = re.compile(r"</?(p|br|div|a|img|span|b|i|em|strong|script|style|iframe|mj-\w+)\b", re.I)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED or tag.startswith("mj-"):
            self.skipping.append(tag)
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") or tag in _BLOCK:
            self.parts.append("\n" if tag == "br" else "\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            del self.skipping[self.skipping.index(tag) :]
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace("\n", " "))


def html_to_text(markup: str) -> str:
    """HTML reduced to plain paragraphs; script, style, iframe and MJML bodies dropped."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return clean_text("".join(parser.parts))


def body_text(entry: Entry) -> str:
    """The entry's text: its body, else its summary, as clean paragraphs."""
    for value in (entry.content, entry.summary):
        if not value.strip():
            continue
        if entry.html or _TAGGY.search(value):
            return html_to_text(value)
        return clean_text(value)
    return ""


def to_story(entry: Entry, *, feed: str, source: str, base_url: str, now: dt.datetime) -> Story:
    """Normalize one entry; `now` is the first-seen time and the fallback publish date."""
    url = canonical_url(entry.url, base_url)
    text = body_text(entry)
    title = plain_line(entry.title) or _title_from(text) or url or "(untitled)"
    image = canonical_url(entry.image, base_url)
    return Story(
        id=story_id(entry.guid, url, title, text),
        title=title,
        url=url,
        source=plain_line(entry.source) or source,
        published=to_utc(entry.published) or now,
        text=text,
        dek=plain_line(entry.dek),
        author=plain_line(entry.author),
        feed=feed,
        first_seen=now,
        image=Image(image) if image.startswith(("http://", "https://")) else None,
    )


def _title_from(text: str) -> str:
    first = text.split("\n", 1)[0]
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"
