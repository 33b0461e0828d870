"""What `digest --version` prints: the version and every plug-in, loaded or broken."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def version_report() -> str:
    """ "digest 0.1.0", then one line per plug-in point: what loaded, and what did not and why."""
    from digest.plugins import broken_plugins
    from digest.sources import GROUP as SOURCES
    from digest.sources import registry
    from digest.summary.summarize import ENTRY_POINT_GROUP as SUMMARIZERS
    from digest.summary.summarize import available_summarizers

    try:
        lines = [f"digest {version('digest')}"]
    except PackageNotFoundError:  # a checkout that was never installed
        lines = ["digest (not installed)"]
    lines.append(f"source kinds: {', '.join(sorted(registry()))}")
    lines.append(f"summarizers: {', '.join(sorted(available_summarizers()))}")
    for (group, name), reason in sorted(broken_plugins().items()):
        point = {SOURCES: "source kind", SUMMARIZERS: "summarizer"}.get(group, group)
        lines.append(f"not loaded: {point} {name!r}: {reason}")
    return "\n".join(lines)
