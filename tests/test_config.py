"""Configuration: defaults that work, every problem reported at once, secrets from the env."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import load_settings
from digest.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_committed_config_loads_with_the_seed_feed(tmp_path: Path) -> None:
    # Copies, so feeds a user added to their checkout do not change what is checked.
    import subprocess

    from tests.conftest import ROOT

    for name in ("digest.toml", "feeds/seeds.toml"):
        committed = subprocess.run(
            ["git", "show", f"HEAD:{name}"], cwd=ROOT, capture_output=True, check=False
        )
        source = committed.stdout if committed.returncode == 0 else (ROOT / name).read_bytes()
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(source)
    settings = load_settings(tmp_path / "digest.toml")
    assert settings.delivery.transport == "outbox"
    assert [(f.name, f.url) for f in settings.feeds] == [("Seeds", "seeds")]
    assert settings.resolve(settings.store.path) == tmp_path / ".digest" / "digest.db"


def test_every_problem_is_reported_at_once_with_its_key(tmp_path: Path) -> None:
    config = write(
        tmp_path / "digest.toml",
        '[newsletter]\nsend_at = "25:00"\ntimezone = "Nowhere/City"\n'
        '[delivery.smtp]\nport = 70000\nsecurity = "tls"\n'
        '[[feeds]]\nname = "A"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    message = str(caught.value)
    for key in (
        "newsletter.send_at",
        "newsletter.timezone",
        "delivery.smtp.port",
        "delivery.smtp.security",
        "feeds[A].url",
    ):
        assert f"Config value '{key}'" in message, key
    assert "\n" not in message


def test_unknown_keys_are_errors(tmp_path: Path) -> None:
    config = write(tmp_path / "digest.toml", "[store]\npth = 'x.db'\n")
    with pytest.raises(ConfigError, match=r"Config value 'store.pth': unknown key"):
        load_settings(config)


def test_feed_lists_are_read_from_feeds_folder_and_names_must_be_unique(tmp_path: Path) -> None:
    config = write(tmp_path / "digest.toml", '[[feeds]]\nname = "A"\nurl = "https://a/x"\n')
    write(tmp_path / "feeds" / "more.toml", '[[feeds]]\nname = "A"\nurl = "https://b/y"\n')
    with pytest.raises(ConfigError, match=r"feeds\[A\]': the name is used by more than one feed"):
        load_settings(config)


def test_a_feed_list_that_is_not_toml_is_named(tmp_path: Path) -> None:
    config = write(tmp_path / "digest.toml", "")
    write(tmp_path / "feeds" / "broken.toml", "[[feeds]\nname=")
    with pytest.raises(ConfigError, match=r"broken.toml is not valid TOML"):
        load_settings(config)


def test_plain_smtp_is_refused_to_a_remote_host(tmp_path: Path) -> None:
    config = write(
        tmp_path / "digest.toml",
        '[delivery]\ntransport = "smtp"\n[delivery.smtp]\nhost = "mail.example.com"\n'
        'security = "none"\n',
    )
    with pytest.raises(ConfigError, match="only to a loopback host"):
        load_settings(config)


def test_the_password_comes_only_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError, match="password': unknown key"):
        load_settings(write(tmp_path / "digest.toml", "[delivery.smtp]\npassword = 'x'\n"))
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "s3cret")
    settings = load_settings(write(tmp_path / "ok.toml", "[delivery.smtp]\nusername = 'u'\n"))
    assert settings.delivery.smtp.password == "s3cret"


def test_a_missing_named_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")


def test_the_accent_must_be_a_colour(tmp_path: Path) -> None:
    config = write(tmp_path / "digest.toml", '[theme]\naccent = "#12345"\n')
    with pytest.raises(ConfigError, match=r"Config value 'theme.accent': '#12345' is not a colour"):
        load_settings(config)
