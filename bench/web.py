"""Time the web side: the web page an edition build adds, `digest publish` over a year of
editions, and `digest serve` answering archive pages and one-click unsubscribes.

Run: .venv/bin/python bench/web.py [--editions 365] [--requests 200]
Everything runs on 127.0.0.1 in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from digest.config import load_settings  # noqa: E402
from digest.delivery.links import UNSUBSCRIBE, LinkSigner, page_url  # noqa: E402
from digest.edition.render import render_edition, render_web_page  # noqa: E402
from digest.models import Recipient  # noqa: E402
from digest.store import Database  # noqa: E402
from digest.store.editions import save_edition, set_status  # noqa: E402
from digest.store.pages import save_page  # noqa: E402
from digest.store.recipients import import_recipients, list_recipients  # noqa: E402
from digest.web.app import WebApp  # noqa: E402
from digest.web.publish import site_links, write_site  # noqa: E402
from tests.editions import full_edition  # noqa: E402
from tests.smtpserver import free_port  # noqa: E402


def best_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--editions", type=int, default=365)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        port = free_port()
        (root / "digest.toml").write_text(
            f'[web]\nbase_url = "http://127.0.0.1:{port}"\n[delivery]\nrecipients = []\n'
        )
        settings = load_settings(root / "digest.toml")
        edition = full_edition(4, 6)
        email = render_edition(edition, settings)
        page_s = best_of(5, lambda: render_web_page(edition, settings, site_links(settings)))
        print(f"web page of a 4-segment edition: {page_s * 1000:.1f} ms to render")
        page = render_web_page(edition, settings, site_links(settings))
        db = Database(root / ".digest" / "digest.db")
        start_day = dt.date(2025, 1, 1)
        for n in range(args.editions):
            day = start_day + dt.timedelta(days=n)
            built = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
            stored = edition.__class__(id=day.isoformat(), date=day, built=built, segments=())
            save_edition(db, stored, email, "{}")
            save_page(db, stored.id, page)
            set_status(db, stored.id, "delivered")
        publish_s = best_of(3, lambda: write_site(settings, db, root / "site"))
        size = sum(p.stat().st_size for p in (root / "site").iterdir()) / 1e6
        print(f"digest publish, {args.editions} editions: {publish_s:.2f} s, {size:.1f} MB")
        serve_numbers(settings, db, port, args.requests)


def serve_numbers(settings: object, db: Database, port: int, requests: int) -> None:
    import waitress

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    import_recipients(db, [Recipient(f"r{i}@example.com") for i in range(requests)], now)
    signer = LinkSigner.for_store(db)
    links = [page_url(settings, signer, UNSUBSCRIBE, p.token) for p in list_recipients(db)]  # type: ignore[arg-type]
    server = waitress.create_server(WebApp(settings, lambda: now), host="127.0.0.1", port=port)  # type: ignore[arg-type]
    threading.Thread(target=server.run, daemon=True).start()
    with httpx.Client() as client:
        start = time.perf_counter()
        for _ in range(requests):
            assert client.get(f"http://127.0.0.1:{port}/2025-06-01.html").status_code == 200
        pages = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(requests // 4):
            assert client.get(f"http://127.0.0.1:{port}/").status_code == 200
        index = time.perf_counter() - start
        start = time.perf_counter()
        for url in links:
            answer = client.post(url, data={"List-Unsubscribe": "One-Click"})
            assert answer.status_code == 200
        posts = time.perf_counter() - start
    print(f"digest serve, edition page: {requests / pages:.0f} requests/s (one client)")
    print(f"digest serve, index of every edition: {requests / 4 / index:.0f} requests/s")
    print(f"digest serve, one-click unsubscribe: {requests / posts:.0f} requests/s (one client)")


if __name__ == "__main__":
    main()
