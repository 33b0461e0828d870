"""The local preview: files written for an editor, and a 127.0.0.1 server that rebuilds itself."""

from __future__ import annotations

import datetime as dt
import html
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.commands.preview import PreviewServer, write_preview
from digest.config import Settings
from digest.edition.render import BUILTIN_TEMPLATES, render_edition
from digest.models import Edition, RenderedEdition
from tests.conftest import ConfigFactory
from tests.editions import BLOCKWORKS_URL, seeds_edition


def seeds_builder(settings: Settings, now: dt.datetime) -> tuple[Edition, RenderedEdition]:
    """Stands in for the store: the seeds' edition, rendered with the current settings."""
    edition = seeds_edition()
    return edition, render_edition(edition, settings)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


@pytest.fixture
def served(make_config: ConfigFactory, tmp_path: Path, now: dt.datetime) -> Iterator[PreviewServer]:
    shutil.copytree(BUILTIN_TEMPLATES, tmp_path / "templates")
    settings = make_config(theme={"templates": "templates"})
    server = PreviewServer(settings, now, 0, builder=seeds_builder, interval=0.05)
    server.start()
    yield server
    server.stop()


def test_write_preview_writes_the_page_and_both_parts(
    make_config: ConfigFactory, tmp_path: Path, now: dt.datetime
) -> None:
    page = write_preview(make_config(), now, tmp_path / "out", builder=seeds_builder)

    assert page == tmp_path / "out" / "index.html"
    index = page.read_text(encoding="utf-8")
    assert "🟠 US and China reps meet on neutral ground" in index
    assert "The Digest &lt;digest@example.com&gt;" in index
    assert 'class="mobile" src="edition.html"' in index and "/version" not in index
    email = (tmp_path / "out" / "edition.html").read_text(encoding="utf-8")
    assert "Hi there," in email and "[[digest:" not in email
    assert 'href="mailto:digest@example.com?subject=unsubscribe"' in email
    text = (tmp_path / "out" / "edition.txt").read_text(encoding="utf-8")
    assert f"[1] Blockworks {BLOCKWORKS_URL}" in text and text in html.unescape(index)


def test_the_server_listens_on_loopback_only(served: PreviewServer) -> None:
    assert served.url.startswith("http://127.0.0.1:")
    assert "🟠 US and China" in get(served.url)
    assert "Hi there," in get(served.url + "edition.html")
    assert get(served.url + "version") == "1"


def test_editing_a_template_rebuilds_and_bumps_the_version(
    served: PreviewServer, tmp_path: Path
) -> None:
    intro = tmp_path / "templates" / "_intro.mjml.j2"
    intro.write_text(
        intro.read_text(encoding="utf-8").replace("Here's what", "Look at what"), encoding="utf-8"
    )

    html = wait_for(lambda: get(served.url + "edition.html"), "Look at what")

    assert "Look at what you'll find" in html
    assert int(get(served.url + "version")) >= 2


def test_a_broken_template_shows_the_error_and_recovers(
    served: PreviewServer, tmp_path: Path
) -> None:
    intro = tmp_path / "templates" / "_intro.mjml.j2"
    good = intro.read_text(encoding="utf-8")
    intro.write_text(good.replace("<mj-text>", "<mj-txt>"), encoding="utf-8")

    page = wait_for(lambda: get(served.url), "unknown tag")
    assert "template _intro.mjml.j2:4: unknown tag &lt;mj-txt&gt;" in page

    intro.write_text(good.replace("Here's what", "Fixed: what"), encoding="utf-8")
    assert "Fixed: what" in wait_for(lambda: get(served.url + "edition.html"), "Fixed: what")


def test_editing_the_config_reloads_it(served: PreviewServer, tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[theme]", '[theme]\naccent = "#2b6cb0"'),
        encoding="utf-8",
    )

    assert "#2b6cb0" in wait_for(lambda: get(served.url + "edition.html"), "#2b6cb0")


def wait_for(fetch: object, needle: str, seconds: float = 5.0) -> str:
    assert callable(fetch)
    deadline = time.monotonic() + seconds
    while True:
        content = str(fetch())
        if needle in content or time.monotonic() > deadline:
            return content
        time.sleep(0.05)


def test_the_served_preview_shows_stories_ingested_while_it_runs(
    make_config: ConfigFactory, tmp_path: Path, now: dt.datetime
) -> None:
    from digest.pipeline import ingest_and_thread, open_store
    from tests.conftest import SEEDS

    folder = tmp_path / "articles"
    folder.mkdir()
    feed = {"name": "Seeds", "url": str(folder), "first_contact_days": "all"}
    settings = make_config(feeds=[feed])
    times = [now]
    server = PreviewServer(settings, lambda: times[-1], 0, interval=0.05)  # the real store
    server.start()
    try:
        assert "London" not in get(server.url + "edition.html")
        for path in SEEDS.glob("000_*"):
            shutil.copy(path, folder / path.name)
        times.append(now + dt.timedelta(minutes=1))
        with open_store(settings) as db:
            ingest_and_thread(settings, db, times[-1])
        times.append(now + dt.timedelta(minutes=2))

        assert "London" in wait_for(lambda: get(server.url + "edition.html"), "London")
    finally:
        server.stop()
