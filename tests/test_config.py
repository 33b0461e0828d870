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
    with pytest.raises(
        ConfigError, match=r"Config value 'theme.accent': '#12345' is not a hex colour"
    ):
        load_settings(config)


def test_problems_of_two_settings_arrive_with_every_other_problem(tmp_path: Path) -> None:
    config = write(
        tmp_path / "digest.toml",
        '[newsletter]\nsend_at = "25:00"\ncron = "0 7 * *"\nmisfire_grace_hours = nan\n'
        '[theme]\naccent = "blue"\nunsubscribe_url = "http://news.example.com/u/{token}"\n'
        '[delivery]\ntransport = "smtp"\nlist_id = "news\\r\\nBcc: all@example.com"\n'
        '[delivery.smtp]\nhost = "mail.example.com"\nsecurity = "none"\n'
        "[fetch]\nfirst_contact_days = 1e8\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    message = str(caught.value)
    assert message.startswith("8 problem(s) in ")
    for key in (
        "newsletter.send_at",
        "newsletter.cron",
        "newsletter.misfire_grace_hours",
        "theme.accent",
        "theme.unsubscribe_url",
        "delivery.list_id",
        "delivery.smtp.security",
        "fetch.first_contact_days",
    ):
        assert f"Config value '{key}'" in message, key
    assert "\n" not in message and "\r" not in message


def test_a_header_value_with_a_line_break_is_refused(tmp_path: Path) -> None:
    config = write(
        tmp_path / "digest.toml",
        '[theme]\nunsubscribe_url = "https://news.example.com/u/{token}\\r\\nBcc: x@example.com"\n',
    )
    with pytest.raises(ConfigError, match=r"'theme.unsubscribe_url': must be one line"):
        load_settings(config)


def test_a_feed_files_problems_name_that_file_and_line(tmp_path: Path) -> None:
    config = write(tmp_path / "digest.toml", '[[feeds]]\nname = "A"\nurl = "https://a/x"\n')
    write(
        tmp_path / "feeds" / "more.toml",
        '# mine\n\n[[feeds]]\nname = "B"\nurl = "https://b/"\n\n'
        '[[feeds]]\nname = "C"\nfirst_contact_days = 1e8\n\n[[feed]]\nname = "D"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    problems = caught.value.problems
    assert "Config value 'feeds[C].url' (feeds/more.toml, line 7): Field required" in problems
    assert any(
        p.startswith("Config value 'feeds[C].first_contact_days' (feeds/more") for p in problems
    )
    assert "feeds/more.toml: unknown key 'feed' (a feed list holds [[feeds]] tables)" in problems
    assert not any("feeds[1]" in p or "feeds[2]" in p for p in problems)


def test_without_any_config_every_command_says_so_and_creates_nothing(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k != "DIGEST_CONFIG"}
    env["PYTHONPATH"] = str(ROOT)
    for command in (["run"], ["status"], ["threads"], ["recipients", "list"], ["feeds", "list"]):
        done = subprocess.run(
            [sys.executable, "-m", "digest.cli", *command],
            cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 1, command
        assert done.stderr.startswith("Error: no config: ./digest.toml not found"), done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
    for command in (["--help"], ["--version"]):
        done = subprocess.run(
            [sys.executable, "-m", "digest.cli", *command],
            cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0


def test_a_replay_clock_out_of_range_is_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    write(tmp_path / "digest.toml", "")
    env = {**os.environ, "DIGEST_NOW": "0001-01-01T00:00Z"}
    done = subprocess.run(
        [sys.executable, "-m", "digest.cli", "--config", str(tmp_path / "digest.toml"), "status"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert (
        done.stderr
        == "Error: DIGEST_NOW='0001-01-01T00:00Z' is out of range (years 1900 to 9000)\n"
    )
