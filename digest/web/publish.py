"""The static archive: index.html (editions newest first), one page per edition, feed.xml.

Every link in it is relative within the site or absolute, so the folder works from any
static host (or `digest serve`). Pages come from the store; nothing here sends or edits.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from digest.config import Settings
from digest.edition import placeholders
from digest.errors import RenderError
from digest.models import Edition
from digest.store.db import Database
from digest.store.editions import get_edition
from digest.store.pages import PublishedEdition, get_page, published_editions, save_page
from digest.web.pages import render_page

log = logging.getLogger("digest")
ATOM = "http://www.w3.org/2005/Atom"


def page_name(edition_id: str) -> str:
    """`2025-06-10.html`; a forced second edition of a day is `2025-06-10.2.html`."""
    return re.sub(r"[^0-9A-Za-z.-]", "_", edition_id) + ".html"


def site_links(settings: Settings) -> dict[str, str]:
    """The links an edition's page carries: the archive, the feed, the subscribe page."""
    base = settings.web.base_url
    return {
        "index": "index.html",
        "feed": "feed.xml",
        "subscribe": f"{base}/subscribe" if base else "",
    }


def save_archive_page(settings: Settings, db: Database, edition: Edition) -> None:
    """Render and keep the web variant of a just-built edition. A template that fails only
    there is logged, not fatal: the email still goes out, and the archive falls back to it."""
    from digest.edition.render import render_web_page

    try:
        page = render_web_page(edition, settings, site_links(settings))
    except RenderError as e:
        log.error("edition %s: no web page for the archive: %s", edition.id, e)
        return
    save_page(db, edition.id, page)


def edition_page(db: Database, edition_id: str) -> str:
    """The kept web page; for an edition built before pages were kept, its email with the
    reader's values replaced by neutral ones."""
    page = get_page(db, edition_id)
    edition = None if page is not None else get_edition(db, edition_id)
    if edition is None:
        return page or ""
    values = {
        placeholders.NAME: "there",
        placeholders.EMAIL: "you",
        placeholders.UNSUBSCRIBE_URL: "index.html",
        placeholders.PREFERENCES_URL: "index.html",
    }
    return placeholders.personalize_parts(edition.html, "", values)[0]


def index_page(settings: Settings, editions: list[PublishedEdition]) -> str:
    return render_page(
        settings,
        "index.html.j2",
        editions=[(page_name(e.id), e) for e in editions],
        links=site_links(settings),
    )


def atom_feed(settings: Settings, editions: list[PublishedEdition]) -> str:
    """An Atom 1.0 feed with one entry per edition; ids are stable across runs."""
    base = settings.web.base_url
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "title", settings.newsletter.name)
    _add(feed, "id", f"{base}/" if base else f"urn:digest:{_slug(settings)}")
    newest = max((e.built for e in editions), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    _add(feed, "updated", _stamp(newest))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", settings.newsletter.name)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=f"{base}/" if base else "./")
    if base:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}/feed.xml")
    for edition in editions:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        name = page_name(edition.id)
        _add(entry, "title", edition.subject)
        _add(entry, "id", f"{base}/{name}" if base else f"urn:digest:{_slug(settings)}:{name}")
        _add(entry, "updated", _stamp(edition.built))
        _add(entry, "published", _stamp(edition.built))
        href = f"{base}/{name}" if base else name
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=href)
        _add(entry, "summary", edition.preheader or edition.subject)
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def site_files(settings: Settings, db: Database) -> dict[str, str]:
    """Every file of the site by name."""
    editions = published_editions(db)
    files = {page_name(e.id): edition_page(db, e.id) for e in editions}
    files["index.html"] = index_page(settings, editions)
    files["feed.xml"] = atom_feed(settings, editions)
    return files


def write_site(settings: Settings, db: Database, out: Path) -> int:
    """Write the site into `out` (each file replaced atomically); the number of editions."""
    files = site_files(settings, db)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        temp = out / f".{name}.{os.getpid()}.tmp"
        temp.write_text(content, encoding="utf-8")
        os.replace(temp, out / name)
    return len(files) - 2


def publish(settings: Settings, db: Database, out: Path | None = None) -> str:
    """`digest publish`: write the site to `out` (default `[web] publish_dir`, else `site`)."""
    folder = out or settings.resolve(settings.web.publish_dir or "site")
    count = write_site(settings, db, folder)
    return f"Published {count} edition(s) to {folder}: index.html, feed.xml and one page each."


def publish_after_run(settings: Settings, db: Database) -> str:
    """After a delivered run, when `[web] publish_dir` is set: the site, or why not."""
    if not settings.web.publish_dir:
        return ""
    try:
        return " " + publish(settings, db)
    except OSError as e:
        log.error("publishing the archive failed: %s", e)
        return f" The archive could not be published: {e}."


def _add(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _slug(settings: Settings) -> str:
    return re.sub(r"[^a-z0-9]+", "-", settings.newsletter.name.lower()).strip("-") or "digest"
