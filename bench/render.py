"""Time rendering: the seeds' edition and a 10-segment edition (Jinja + MJML + text).

Where `node` and the `mjml` npm package are available, also times the reference
Node renderer on the same MJML. Run: .venv/bin/python bench/render.py [--node-mjml DIR]
(DIR holds node_modules/mjml; `npm install mjml` into a temp dir makes one).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mjml import mjml2html  # noqa: E402

from digest.edition.render import render_edition, render_mjml  # noqa: E402
from digest.models import Edition  # noqa: E402
from tests.editions import full_edition, seeds_edition, settings  # noqa: E402

NODE_SCRIPT = """
const mjml = require(process.argv[2]);
const fs = require('fs');
const source = fs.readFileSync(process.argv[3], 'utf8');
const runs = Number(process.argv[4]);
mjml(source, {validationLevel: 'skip'});
const start = process.hrtime.bigint();
for (let i = 0; i < runs; i++) mjml(source, {validationLevel: 'skip', minify: false});
console.log(JSON.stringify({ms: Number(process.hrtime.bigint() - start) / 1e6 / runs}));
"""


def best_ms(action: Callable[[], object], runs: int) -> float:
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def node_ms(node_mjml: Path, document: str, runs: int) -> float | None:
    if not shutil.which("node") or not (node_mjml / "node_modules" / "mjml").is_dir():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source, script = Path(tmp) / "edition.mjml", Path(tmp) / "bench.js"
        source.write_text(document, encoding="utf-8")
        script.write_text(NODE_SCRIPT, encoding="utf-8")
        module = str(node_mjml / "node_modules" / "mjml")
        out = subprocess.run(
            ["node", str(script), module, str(source), str(runs)],
            capture_output=True,
            text=True,
            check=True,
        )
    return float(json.loads(out.stdout.strip().splitlines()[-1])["ms"])


def bench(name: str, edition: Edition, runs: int, node_mjml: Path) -> None:
    config = settings()
    document = render_mjml(edition, config)
    rendered = render_edition(edition, config)
    whole = best_ms(lambda: render_edition(edition, config), runs)
    jinja = best_ms(lambda: render_mjml(edition, config), runs)
    mjml = best_ms(lambda: mjml2html(document, disable_comments=True, fonts={}), runs)
    node = node_ms(node_mjml, document, runs)
    size = len(rendered.html.encode())
    print(
        f"{name}: {len(edition.segments)} segments, {len(edition.quick_hits)} quick hits, "
        f"HTML {size:,} bytes"
    )
    print(f"  render_edition (Jinja + check + MJML + text): {whole:7.2f} ms")
    print(f"    of which Jinja + MJML check:                {jinja:7.2f} ms")
    print(f"    of which mjml-python (Rust):                {mjml:7.2f} ms")
    if node is None:
        print("  Node mjml: not measured (needs node and --node-mjml DIR with node_modules/mjml)")
    else:
        print(f"  Node mjml (reference) on the same MJML:      {node:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--node-mjml", type=Path, default=ROOT / "bench" / ".node-mjml")
    args = parser.parse_args()
    bench("seeds", seeds_edition(), args.runs, args.node_mjml)
    bench("full", full_edition(10, 20), args.runs, args.node_mjml)


if __name__ == "__main__":
    main()
