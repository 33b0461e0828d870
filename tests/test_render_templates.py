"""Templates: user overrides win, and a mistake in one fails with the template's name and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest.config import Settings
from digest.edition.mjml_lint import check_mjml, check_template
from digest.edition.render import BUILTIN_TEMPLATES, render_edition
from digest.errors import ConfigError, RenderError
from tests.conftest import ConfigFactory
from tests.editions import seeds_edition


def override(folder: Path, name: str, old: str, new: str) -> None:
    """Copy a built-in template into `folder` with one change."""
    folder.mkdir(exist_ok=True)
    source = (BUILTIN_TEMPLATES / name).read_text(encoding="utf-8")
    assert old in source, f"{old!r} not in {name}"
    (folder / name).write_text(source.replace(old, new, 1), encoding="utf-8")


def themed(make_config: ConfigFactory, folder: Path, **theme: str) -> Settings:
    return make_config(theme={"templates": str(folder), **theme})


@pytest.mark.parametrize("name", sorted(p.name for p in BUILTIN_TEMPLATES.glob("*.mjml.j2")))
def test_every_built_in_template_passes_the_mjml_check(name: str) -> None:
    check_template(name, (BUILTIN_TEMPLATES / name).read_text(encoding="utf-8"))


def test_a_copied_folder_with_a_new_accent_and_footer_line_shows_in_the_next_build(
    make_config: ConfigFactory, tmp_path: Path
) -> None:
    mine = tmp_path / "my-templates"
    shutil.copytree(BUILTIN_TEMPLATES, mine)
    footer = mine / "_footer.mjml.j2"
    footer.write_text(
        footer.read_text(encoding="utf-8").replace(
            "{{ theme.address }}</p>", "{{ theme.address }}</p>\n<p>Written in Lisbon.</p>"
        ),
        encoding="utf-8",
    )
    text = mine / "edition.txt.j2"
    text.write_text(text.read_text(encoding="utf-8") + "Written in Lisbon.\n", encoding="utf-8")
    segment = mine / "_segment.mjml.j2"
    segment.write_text(
        segment.read_text(encoding="utf-8").replace("#e6e4e0", "#0b7285"), encoding="utf-8"
    )

    before = render_edition(seeds_edition(), make_config())
    after = render_edition(seeds_edition(), themed(make_config, mine, accent="#2b6cb0"))

    assert "Written in Lisbon." not in before.html and "#2b6cb0" not in before.html
    assert "Written in Lisbon." in after.html and "Written in Lisbon." in after.text
    assert "border-top:solid 1px #0b7285" in after.html
    assert "color:#2b6cb0" in after.html and "#F7931A" not in after.html


def test_a_partial_alone_can_be_overridden(make_config: ConfigFactory, tmp_path: Path) -> None:
    override(tmp_path / "t", "_intro.mjml.j2", "Here's what you'll find", "Inside today")

    html = render_edition(seeds_edition(), themed(make_config, tmp_path / "t")).html

    assert "Inside today" in html and "Here's what you'll find" not in html
    assert "The Digest" in html  # the rest still comes from the built-in folder


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("<mj-text>", "<mj-txt>", "unknown tag <mj-txt>"),
        ('<mj-divider border-color="#e6e4e0"', '<mj-divider colour="#e6e4e0"', "'colour'"),
        ("<h2 style=", "<h7 style=", "unknown tag <h7>"),
        ("Read more →", "Read &nbsp; more", "&nbsp; is not an XML entity"),
        ("Read more →", "Read & more", "a raw '&'"),
    ],
)
def test_a_typo_names_the_template_and_line(
    make_config: ConfigFactory, tmp_path: Path, old: str, new: str, reason: str
) -> None:
    override(tmp_path / "t", "_segment.mjml.j2", old, new)
    source = (tmp_path / "t" / "_segment.mjml.j2").read_text(encoding="utf-8")
    line = next(i for i, text in enumerate(source.splitlines(), 1) if new in text)

    with pytest.raises(RenderError) as caught:
        render_edition(seeds_edition(), themed(make_config, tmp_path / "t"))

    assert caught.value.template == "_segment.mjml.j2" and caught.value.line == line
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"template _segment.mjml.j2:{line}: ")


def test_a_jinja_syntax_error_is_one_render_error(
    make_config: ConfigFactory, tmp_path: Path
) -> None:
    override(tmp_path / "t", "_quick_hits.mjml.j2", "{% endif %}", "{% endfor %}")

    with pytest.raises(RenderError) as caught:
        render_edition(seeds_edition(), themed(make_config, tmp_path / "t"))

    assert caught.value.template == "_quick_hits.mjml.j2" and caught.value.line


def test_an_undefined_name_is_a_render_error_naming_the_template(
    make_config: ConfigFactory, tmp_path: Path
) -> None:
    override(tmp_path / "t", "edition.txt.j2", "{{ edition.name|upper }}", "{{ edition.nmae }}")

    with pytest.raises(RenderError) as caught:
        render_edition(seeds_edition(), themed(make_config, tmp_path / "t"))

    assert caught.value.template == "edition.txt.j2" and caught.value.line == 3
    assert "nmae" in str(caught.value)


def test_badly_nested_mjml_is_caught_before_mjml_python(
    make_config: ConfigFactory, tmp_path: Path
) -> None:
    override(tmp_path / "t", "_intro.mjml.j2", "</mj-text>", "")

    with pytest.raises(RenderError, match="not well-formed"):
        render_edition(seeds_edition(), themed(make_config, tmp_path / "t"))


def test_check_mjml_rejects_components_in_the_wrong_place() -> None:
    with pytest.raises(RenderError, match=r"<mj-column> cannot be inside <mj-body>") as caught:
        check_mjml("<mjml>\n<mj-body>\n<mj-column></mj-column></mj-body></mjml>")

    assert caught.value.line == 3


def test_a_missing_templates_folder_or_bad_accent_is_a_config_error(
    make_config: ConfigFactory, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match=r"theme\.templates"):
        render_edition(seeds_edition(), themed(make_config, tmp_path / "nowhere"))
    with pytest.raises(ConfigError, match=r"theme\.accent"):
        render_edition(seeds_edition(), make_config(theme={"accent": "red;}body{x"}))


def test_a_broken_tag_in_an_included_template_names_that_file_and_line(
    make_config: ConfigFactory, tmp_path: Path
) -> None:
    # The address loses its </p>: the parser notices at the footer's next </mj-text>.
    override(tmp_path / "t", "_footer.mjml.j2", "{{ theme.address }}</p>", "{{ theme.address }}")
    lines = (BUILTIN_TEMPLATES / "_footer.mjml.j2").read_text(encoding="utf-8").splitlines()
    address = next(n for n, line in enumerate(lines) if "{{ theme.address }}</p>" in line)
    closing = next(n for n in range(address, len(lines)) if "</mj-text>" in lines[n]) + 1

    with pytest.raises(RenderError) as caught:
        render_edition(seeds_edition(), themed(make_config, tmp_path / "t"))

    assert str(caught.value) == (
        f"template _footer.mjml.j2:{closing}: generated MJML is not well-formed: mismatched tag"
    )
