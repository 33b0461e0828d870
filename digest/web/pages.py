"""The archive's index and the web app's pages, from templates/*.html.j2 (theme folder first).

Every value is escaped (autoescape). Edition pages are not made here: they are the web
variant of the email templates (edition/render.py).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from digest.config import Settings
from digest.edition.render import template_folders


def render_page(settings: Settings, template: str, **context: Any) -> str:
    env = _environment(template_folders(settings))
    return env.get_template(template).render(
        name=settings.newsletter.name,
        accent=settings.theme.accent,
        lang=settings.theme.lang,
        address=settings.theme.address,
        **context,
    )


@functools.lru_cache(maxsize=8)
def _environment(folders: tuple[Path, ...]) -> Environment:
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
