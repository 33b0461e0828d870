"""Run the web app on a real WSGI server (waitress) until interrupted.

Meant to sit behind a reverse proxy that terminates TLS at `[web] base_url`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from digest.config import Settings
from digest.web.app import WebApp


def serve(
    settings: Settings, clock: Callable[[], dt.datetime], host: str = "127.0.0.1", port: int = 8080
) -> None:
    """Serve on host:port; without `[web] base_url`, links point at http://host:port."""
    import waitress

    web = settings.web
    if not web.base_url:
        web = web.model_copy(update={"base_url": f"http://{host}:{port}"})
        settings = settings.model_copy(update={"web": web})
    options: dict[str, object] = {}
    if web.trusted_proxy:  # its X-Forwarded-For names the client, for the rate limit
        options = {
            "trusted_proxy": web.trusted_proxy,
            "trusted_proxy_headers": "x-forwarded-for",
            "clear_untrusted_proxy_headers": True,
        }
    print(f"Serving {settings.newsletter.name} on http://{host}:{port}/ for {web.base_url}/")
    waitress.serve(WebApp(settings, clock), host=host, port=port, ident="digest", **options)
