"""A minimal headless Chromium driver over the DevTools protocol, for the browser tests.

Starts Debian's `chromium` with a throwaway profile and no network services,
talks to one page target over a websocket (the `websockets` package).
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
]


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    """One headless browser with one page; `with Chromium(profile) as page: ...`."""

    def __init__(self, profile: Path) -> None:
        binary = find_chromium()
        assert binary, "chromium is not installed"
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.ids = itertools.count(1)
        self.ws = self._connect().__enter__()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.ws.__exit__(None, None, None)
        self.process.terminate()
        self.process.wait(timeout=10)

    def _connect(self) -> ClientConnection:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            found = re.search(r"DevTools listening on ws://([\d.:]+)/", line)
            if found:
                break
        else:
            raise RuntimeError("chromium exited before its DevTools endpoint was up")
        with urllib.request.urlopen(f"http://{found.group(1)}/json/list", timeout=10) as r:
            pages = [t for t in json.load(r) if t["type"] == "page"]
        return connect(pages[0]["webSocketDebuggerUrl"], max_size=None)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self.ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=30))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))

    def open(self, url: str, width: int, *, dark: bool = False, height: int = 1200) -> None:
        """Load `url` in a `width`-px viewport, light or dark, and wait until it has loaded."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 500,
        )
        scheme = "dark" if dark else "light"
        self.call(
            "Emulation.setEmulatedMedia",
            features=[{"name": "prefers-color-scheme", "value": scheme}],
        )
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 20
        while self.evaluate("document.readyState") != "complete":
            assert time.monotonic() < deadline, f"{url} did not finish loading"
            time.sleep(0.05)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """The whole page, however long, as a PNG."""
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        width = int(self.evaluate("window.innerWidth"))
        shot = self.call(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
