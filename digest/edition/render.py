"""Edition -> RenderedEdition (subject, preheader, HTML, text): Jinja2 -> MJML -> HTML, and text.

The only module that knows MJML. Templates come from the theme's folder first,
then the built-in `templates/`. Per-recipient values are placeholder tokens,
filled in by delivery; nothing here is rendered per recipient.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from mjml import mjml2html

from digest.config import Settings
from digest.edition import placeholders
from digest.edition.filters import make_filters, readable
from digest.edition.mjml_lint import check_mjml, check_template
from digest.edition.template_lines import locate
from digest.edition.view import edition_view
from digest.errors import ConfigError, RenderError
from digest.models import Edition, RenderedEdition

log = logging.getLogger("digest.edition.render")

_PACKAGE = Path(__file__).resolve().parent.parent
#: The built-in templates: beside the package in a checkout, inside it when installed.
BUILTIN_TEMPLATES = next(
    (p for p in (_PACKAGE.parent / "templates", _PACKAGE / "templates") if p.is_dir()),
    _PACKAGE.parent / "templates",
)
#: Gmail clips messages over 102 KB; we stay well under it.
HTML_BUDGET = 90_000
HTML_TEMPLATE = "edition.mjml.j2"
TEXT_TEMPLATE = "edition.txt.j2"
#: Card backgrounds the templates use; text colours are checked against them.
LIGHT_CARD, DARK_CARD = "#ffffff", "#1c1c1c"
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?|[a-zA-Z]{3,20}")


def render_edition(
    edition: Edition, settings: Settings, *, budget: int = HTML_BUDGET
) -> RenderedEdition:
    """Render both parts; past `budget` bytes of HTML, the last segments become quick hits."""
    html_env, text_env = environments(settings)
    rendered = _render_once(edition, settings, html_env, text_env)
    while _size(rendered.html) > budget and len(edition.segments) > 1:
        edition = demote_last_segment(edition)
        rendered = _render_once(edition, settings, html_env, text_env)
    if _size(rendered.html) > budget:
        log.warning(
            "edition %s: %d bytes of HTML, over the %d budget",
            edition.id,
            _size(rendered.html),
            budget,
        )
    return rendered


def demote_last_segment(edition: Edition) -> Edition:
    """The edition with its last segment moved to the front of the quick hits."""
    *kept, last = edition.segments
    return dataclasses.replace(
        edition, segments=tuple(kept), quick_hits=(last, *edition.quick_hits)
    )


def render_web_page(edition: Edition, settings: Settings, links: dict[str, str]) -> str:
    """The web variant of the email, the archive's page for `edition`: the same templates
    with `web` set to `links` (index, feed, subscribe URLs) and no per-recipient tokens."""
    html_env, _ = environments(settings)
    context = _context(edition, settings)
    context["edition"] = dataclasses.replace(context["edition"], web_url="")
    context["web"] = links
    context["tokens"] = dict(placeholders.WEB_VALUES)
    return str(mjml2html(_mjml(html_env, context), disable_comments=True, fonts={}))


def render_mjml(edition: Edition, settings: Settings) -> str:
    """The checked MJML document of `edition` (what mjml2html receives), for benches and tests."""
    html_env, _ = environments(settings)
    return _mjml(html_env, _context(edition, settings))


def environments(settings: Settings) -> tuple[Environment, Environment]:
    """The (HTML, text) Jinja environments for the settings' template folders and zone."""
    folders = template_folders(settings)
    _check_accent(settings.theme.accent)
    return _html_environment(folders, settings.newsletter.timezone), _text_environment(
        folders, settings.newsletter.timezone
    )


def template_folders(settings: Settings) -> tuple[Path, ...]:
    """The theme's folder (when set) and then the built-in one, in lookup order."""
    if not settings.theme.templates:
        return (BUILTIN_TEMPLATES,)
    user = settings.resolve(settings.theme.templates)
    if not user.is_dir():
        raise ConfigError([f"Config value 'theme.templates': no such folder: {user}"])
    return (user, BUILTIN_TEMPLATES)


def _render_once(
    edition: Edition, settings: Settings, html_env: Environment, text_env: Environment
) -> RenderedEdition:
    context = _context(edition, settings)
    html = mjml2html(_mjml(html_env, context), disable_comments=True, fonts={})
    text = _template(text_env, TEXT_TEMPLATE, context)
    view = context["edition"]
    return RenderedEdition(view.subject, view.preheader, html, _tidy_text(text))


def _mjml(env: Environment, context: dict[str, Any]) -> str:
    _check_sources(env)
    document = _template(env, HTML_TEMPLATE, context)
    try:
        check_mjml(document, HTML_TEMPLATE)
    except RenderError as e:  # a line of the rendered document: name the template's own
        found = locate(env, HTML_TEMPLATE, context)
        if found is None:
            raise
        reason = str(e).partition(": ")[2]
        raise RenderError(found[0], reason, found[1]) from e
    return document


def _context(edition: Edition, settings: Settings) -> dict[str, Any]:
    return {
        "edition": edition_view(edition, settings),
        "theme": settings.theme,
        "accent": settings.theme.accent,
        # The accent as text: adjusted to stay readable on the light card and in dark mode.
        "accent_text": readable(settings.theme.accent, LIGHT_CARD),
        "accent_dark": readable(settings.theme.accent, DARK_CARD),
        "now": edition.built,
        "web": {},  # the email; render_web_page sets the archive's links
        "tokens": {
            "name": placeholders.NAME,
            "email": placeholders.EMAIL,
            "unsubscribe_url": placeholders.UNSUBSCRIBE_URL,
            "preferences_url": placeholders.PREFERENCES_URL,
        },
    }


def _template(env: Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; any Jinja error becomes a RenderError naming template and line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as e:
        raise RenderError(e.name or name, e.message or str(e), e.lineno) from e
    except jinja2.TemplateError as e:
        where, line = _template_frame(e, name)
        raise RenderError(where, str(e), line) from e


def _template_frame(error: Exception, default: str) -> tuple[str, int | None]:
    """The innermost template file and line in the error's traceback."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return Path(frame.filename).name, frame.lineno
    return default, None


def _check_sources(env: Environment) -> None:
    """Lint every MJML template the environment would use (each source once per content)."""
    assert env.loader is not None
    for name in env.list_templates(filter_func=lambda n: n.endswith(".mjml.j2")):
        source, _, _ = env.loader.get_source(env, name)
        _check_source_once(name, source)


@functools.lru_cache(maxsize=256)
def _check_source_once(name: str, source: str) -> None:
    check_template(name, source)


def _check_accent(accent: str) -> None:
    if not _COLOUR.fullmatch(accent):
        raise ConfigError(
            [f"Config value 'theme.accent': {accent!r} is not a colour like '#F7931A'"]
        )


@functools.lru_cache(maxsize=16)
def _html_environment(folders: tuple[Path, ...], zone: str) -> Environment:
    return _environment(folders, zone, autoescape=True)


@functools.lru_cache(maxsize=16)
def _text_environment(folders: tuple[Path, ...], zone: str) -> Environment:
    # Plain text must not be HTML-escaped; its safety comes from edition_view's cleaning.
    return _environment(folders, zone, autoescape=False)


def _environment(folders: tuple[Path, ...], zone: str, *, autoescape: bool) -> Environment:
    from zoneinfo import ZoneInfo

    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=autoescape,  # noqa: S701 - on for HTML; the text part is plain text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(make_filters(ZoneInfo(zone)))
    return env


def _tidy_text(text: str) -> str:
    """Trailing spaces gone, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _size(html: str) -> int:
    return len(html.encode("utf-8"))
