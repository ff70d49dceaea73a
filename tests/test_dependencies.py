"""The dependency ranges in pyproject.toml hold what the code relies on."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

import nh3
from packaging.version import Version

from syndicate.content.markdown import make_markdown

from .conftest import REPO


def _requirements() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pairs = (re.match(r"([A-Za-z0-9_.-]+)(.*)", spec) for spec in project["dependencies"])
    return {m.group(1).lower(): m.group(2) for m in pairs if m}


def test_the_lowest_versions_file_pins_every_direct_dependency_at_its_floor() -> None:
    pins = {}
    for line in (REPO / ".ci" / "lowest-versions.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            pins[name.lower()] = Version(pinned)
    floors = {name: re.search(r">=([^,]+)", spec) for name, spec in _requirements().items()}
    assert {name: Version(m.group(1)) for name, m in floors.items() if m} == pins


def test_the_url_scanner_speed_up_is_active() -> None:
    """It reaches into mistune's internals, which exist from 3.4 on: if an installed version in
    the allowed range lacked them, the speed-up would switch itself off silently."""
    markdown = make_markdown(plugins=("linkify",))
    trigger = markdown.inline._get_fast_trigger_re(set())
    assert "(?<=h)(?=ttps?://)" in trigger.pattern, version("mistune")


def test_the_sanitizer_option_the_code_uses_exists() -> None:
    cleaned = nh3.clean(
        '<p style="text-align: left; color: red">x</p>',
        tags={"p"},
        attributes={"p": {"style"}},
        filter_style_properties={"text-align"},
    )
    assert "color" not in cleaned and "text-align" in cleaned


def test_every_package_of_the_source_tree_is_installed() -> None:
    """setuptools installs the packages pyproject.toml lists, not the folders on disk: one left
    out works in an editable install and is missing from a real one."""
    tool = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(tool["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "syndicate").rglob("__init__.py")
    }
    assert on_disk <= listed, sorted(on_disk - listed)
