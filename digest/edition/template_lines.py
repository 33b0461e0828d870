"""Which template file and line produced a given spot of the generated MJML.

Used only after the generated document failed to parse: the templates are rendered once more
with a marker comment at the start of each of their lines, and the last marker before the
error names the file and line. It does not render anything that is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from jinja2 import BaseLoader, Environment

_MARK = re.compile(r"<!--@@(?P<name>[^\s:]+):(?P<line>\d+)@@-->")
_OPEN = re.compile(r"\{[{%#]")
_CLOSE = re.compile(r"[}%#]\}")


def locate(env: Environment, name: str, context: dict[str, Any]) -> tuple[str, int] | None:
    """(template, line) where the rendered document stops being well-formed XML, or None."""
    assert env.loader is not None
    marked = env.overlay(loader=_MarkedLoader(env.loader))
    try:
        document = marked.get_template(name).render(context)
    except Exception:  # only a better error message is at stake: keep the first one
        return None
    parser = expat.ParserCreate()
    try:
        parser.Parse(document, True)
    except expat.ExpatError as e:
        lines = document.splitlines(keepends=True)
        offset = sum(len(line) for line in lines[: e.lineno - 1]) + e.offset
        found = list(_MARK.finditer(document, 0, offset))
        if found:
            return found[-1]["name"], int(found[-1]["line"])
    return None


class _MarkedLoader(BaseLoader):
    """The wrapped loader's sources, each line outside a Jinja tag or an open XML tag
    starting with a marker comment."""

    def __init__(self, inner: BaseLoader) -> None:
        self.inner = inner

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template.endswith(".mjml.j2"):
            source = mark_lines(template, source)
        return source, filename, uptodate


def mark_lines(name: str, source: str) -> str:
    """`source` with `<!--@@name:N@@-->` before each line N a comment cannot break."""
    out, depth, in_tag = [], 0, False
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        safe = depth == 0 and not in_tag and line.strip()
        out.append(f"<!--@@{name}:{number}@@-->{line}" if safe else line)
        depth = max(0, depth + len(_OPEN.findall(line)) - len(_CLOSE.findall(line)))
        plain = re.sub(r"\{[{%#].*?[}%#]\}", "", line)
        opened, closed = plain.rfind("<"), plain.rfind(">")
        in_tag = opened > closed if opened != closed else in_tag
    return "".join(out)
