"""`digest publish` and `[web]`: the static archive, "View in browser", previews for a reader."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from digest.edition.render import BUILTIN_TEMPLATES
from tests.test_end_to_end import digest_cli, read_outbox
from tests.webapp import body, cli, web_config

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://news.example.com"


def published(make_config: Any, seeds_dir: Path, tmp_path: Path, **web: Any) -> Path:
    """Two delivered editions (a forced second one), published with `digest publish`."""
    web_config(make_config, seeds_dir, 0, web={"base_url": BASE, **web})
    config = tmp_path / "digest.toml"
    cli(config, "run")
    cli(config, "run", "--force", now="2026-11-21T15:00:00+00:00")
    cli(config, "publish", "--out", str(tmp_path / "site"))
    return tmp_path / "site"


def test_the_site_has_an_index_a_page_per_edition_and_an_atom_feed(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    site = published(make_config, seeds_dir, tmp_path)

    assert sorted(p.name for p in site.iterdir()) == [
        "2026-11-21.2.html",
        "2026-11-21.html",
        "feed.xml",
        "index.html",
    ]
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"{BASE}/2026-11-21.2.html",
        f"{BASE}/2026-11-21.html",
    ]
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}link").get("href").startswith(BASE + "/2026-11-21")  # type: ignore[union-attr]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.index('href="2026-11-21.2.html"') < index.index('href="2026-11-21.html"')


def test_no_page_has_a_placeholder_and_every_link_stays_in_the_site_or_is_absolute(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    site = published(make_config, seeds_dir, tmp_path)
    names = {p.name for p in site.iterdir()}

    for page in site.iterdir():
        content = page.read_text(encoding="utf-8")
        assert "[[digest:" not in content, page.name
        assert "This email was sent to" not in content and "Unsubscribe" not in content
        for href in re.findall(r'href="([^"]*)"', content):
            parts = urlsplit(href)
            if parts.scheme:
                assert parts.scheme in ("http", "https") and parts.netloc, (page.name, href)
            elif href.startswith("#"):
                assert f'id="{href[1:]}"' in content, (page.name, href)
            else:
                assert href in names, (page.name, href)


def test_view_in_browser_points_at_the_editions_page(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    published(make_config, seeds_dir, tmp_path)

    first, second = (m for m in read_outbox(tmp_path / "outbox") if "reader@" in str(m["To"]))
    assert f"View in browser: {BASE}/2026-11-21.html" in body(first)
    assert f'href="{BASE}/2026-11-21.2.html"' in body(second, "html")


def test_run_publishes_after_delivery_when_publish_dir_is_set(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    web_config(make_config, seeds_dir, 0, web={"publish_dir": "public"})

    report = cli(tmp_path / "digest.toml", "run").stdout

    assert "Published 1 edition(s)" in report
    feed = ET.parse(tmp_path / "public" / "feed.xml").getroot()
    assert len(feed.findall(f"{ATOM}entry")) == 1


def test_build_and_preview_are_filled_in_for_the_first_reader(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    web_config(
        make_config, seeds_dir, 0, delivery={"recipients": ["Ada Lovelace <ada@example.com>"]}
    )
    config = tmp_path / "digest.toml"

    cli(config, "build", "--out", str(tmp_path / "built"))
    cli(config, "preview")

    for folder in (tmp_path / "built", tmp_path / ".digest" / "preview"):
        html = (folder / "edition.html").read_text(encoding="utf-8")
        text = (folder / "edition.txt").read_text(encoding="utf-8")
        assert "[[digest:" not in html + text
        assert "Hi Ada Lovelace," in html and "Hi Ada Lovelace," in text
        assert "This email was sent to ada@example.com." in html
        assert 'href="mailto:digest@example.com?subject=unsubscribe"' in html


def test_with_nobody_to_mail_the_preview_greets_there(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    web_config(make_config, seeds_dir, 0, delivery={"recipients": []})

    cli(tmp_path / "digest.toml", "build", "--out", str(tmp_path / "built"))

    html = (tmp_path / "built" / "edition.html").read_text(encoding="utf-8")
    assert "Hi there," in html and "This email was sent to reader@example.com." in html


def test_a_template_that_breaks_only_the_web_page_does_not_stop_the_email(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    footer = (BUILTIN_TEMPLATES / "_footer.mjml.j2").read_text(encoding="utf-8")
    broken = footer.replace("{% if web %}", "{% if web %}{{ web.missing }}", 1)
    (templates / "_footer.mjml.j2").write_text(broken, encoding="utf-8")
    web_config(
        make_config, seeds_dir, 0, theme={"templates": "templates"}, web={"publish_dir": "site"}
    )

    result = digest_cli(tmp_path / "digest.toml", "run")

    assert result.returncode == 0 and "Delivered edition 2026-11-21" in result.stdout
    assert "no web page for the archive" in result.stderr
    page = (tmp_path / "site" / "2026-11-21.html").read_text(encoding="utf-8")
    assert "US and China" in page and "[[digest:" not in page


def test_send_publishes_too(make_config: Any, seeds_dir: Path, tmp_path: Path) -> None:
    web_config(make_config, seeds_dir, 0, web={"publish_dir": "public"})
    cli(tmp_path / "digest.toml", "build", "--out", str(tmp_path / "built"))

    report = cli(tmp_path / "digest.toml", "send").stdout

    assert "Published 1 edition(s)" in report
    assert (tmp_path / "public" / "2026-11-21.html").exists()
