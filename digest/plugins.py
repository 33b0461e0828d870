"""Plug-ins: one loader for every entry-point group (source kinds, summarizers).

An entry point names a class (or any callable) that is called with no arguments to make the
plug-in; the built-ins are registered the same way, and also passed in so an uninstalled
checkout works. A plug-in that cannot be loaded is logged, named and skipped, never fatal:
`broken_plugins()` keeps the reasons for `digest --version` and `digest status`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from typing import TypeVar

log = logging.getLogger("digest.plugins")
_BROKEN: dict[tuple[str, str], str] = {}
P = TypeVar("P")


def load_plugins(
    group: str, builtins: Mapping[str, Callable[[], object]], kind: type[P]
) -> dict[str, P]:
    """Every plug-in of `group` by name, built-ins first; a broken one is logged and skipped.

    `kind` is the plug-in point's runtime-checkable Protocol: a plug-in that does not
    provide it counts as broken.
    """
    factories: dict[str, Callable[[], object]] = dict(builtins)
    points = {ep.name: ep for ep in entry_points(group=group)}
    for name, point in sorted(points.items()):
        if name in factories and point.value.startswith("digest."):
            continue  # a built-in's own entry point: the same class
        try:
            factories.setdefault(name, point.load())
        except Exception as e:  # a third-party plug-in must not stop digest
            _skip(group, name, e)
    plugins: dict[str, P] = {}
    for name, factory in factories.items():
        try:
            plugin = factory()
        except Exception as e:
            _skip(group, name, e)
            continue
        if isinstance(plugin, kind):
            plugins[name] = plugin
        else:
            _skip(group, name, TypeError(f"it does not provide {kind.__name__}'s methods"))
    return plugins


def broken_plugins() -> dict[tuple[str, str], str]:
    """(group, name) -> why it could not be loaded, for what has been loaded so far."""
    return dict(_BROKEN)


def _skip(group: str, name: str, error: Exception) -> None:
    reason = f"{type(error).__name__}: {error}"
    _BROKEN[(group, name)] = reason
    log.warning("plug-in %r (%s) could not be loaded and is skipped: %s", name, group, reason)
