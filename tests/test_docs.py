"""Docs that cannot drift: every config key and every command is documented."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from digest import config
from tests.conftest import ROOT

SECTIONS: dict[str, type[BaseModel]] = {
    "newsletter": config.Newsletter,
    "theme": config.Theme,
    "store": config.StoreSettings,
    "delivery": config.Delivery,
    "delivery.smtp": config.Smtp,
    "delivery.dkim": config.Dkim,
    "fetch": config.Fetch,
    "threads": config.ThreadSettings,
    "summary": config.SummarySettings,
    "summary.llm": config.LlmSettings,
    "blocks": config.Blocks,
    "web": config.Web,
    "[feeds]": config.Feed,
    "[blocks.market]": config.MarketRow,
}


def documented_keys() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    keys: dict[str, set[str]] = {}
    for heading, body in re.findall(r"^## `\[(.+?)\]`\n(.*?)(?=^## |\Z)", text, re.M | re.S):
        keys[heading] = set(re.findall(r"^\| `(\w+)` \|", body, re.M))
    return keys


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_every_config_key_is_in_the_reference(section: str) -> None:
    documented = documented_keys().get(section, set())
    fields = set(SECTIONS[section].model_fields)
    assert fields - documented == set(), f"undocumented in docs/configuration.md [{section}]"
    assert documented - fields == set(), f"documented but gone from the code [{section}]"


def test_every_section_of_settings_is_covered() -> None:
    sections = {name for name in config.Settings.model_fields if name not in ("root", "feeds_dir")}
    assert sections <= {s.strip("[]").split(".")[0] for s in SECTIONS}


def test_every_command_is_in_the_readme() -> None:
    from digest.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"`digest {name}" in readme, name
