"""Shared fixtures: small sites written into a temporary folder, and the sample site's copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.build import Site, load_site
from syndicate.config import Config, load_config

REPO = Path(__file__).resolve().parent.parent
NOW = "2024-11-20T12:00:00+00:00"

BASE_CONFIG = """
[site]
title = "Test Site"
base_url = "https://blog.example.com/"
description = "A site for tests."
timezone = "Europe/Lisbon"
permalink = "/{section}/{slug}/"

[[site.authors]]
name = "Default Author"
email = "default@example.com"
"""


class SiteDir:
    """A site folder under construction: write posts and config, then load it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "content" / "posts").mkdir(parents=True)
        (root / "static").mkdir()
        self.config_text = BASE_CONFIG

    def config(self, extra: str = "", replace: str | None = None) -> Path:
        text = replace if replace is not None else self.config_text + textwrap.dedent(extra)
        path = self.root / "config.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def post(self, rel: str, text: str) -> Path:
        path = self.root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def static(self, rel: str, data: bytes = b"\xff\xd8\xff\xe0 fake jpeg") -> Path:
        path = self.root / "static" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def load_config(self) -> Config:
        if not (self.root / "config.toml").exists():
            self.config()
        return load_config(self.root / "config.toml")

    def load(self, now: str = NOW, **kwargs: bool) -> Site:
        return load_site(self.load_config(), now=now, env={}, **kwargs)


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    return SiteDir(tmp_path / "site")


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A copy of the repository's sample site."""
    dest = tmp_path / "sample"
    dest.mkdir()
    for name in ("content", "static", "email_templates"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "config.toml", dest / "config.toml")
    return dest


RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli() -> RunCli:
    """Run the real `syndicate` command in a subprocess, as a user or cron would."""

    def run(
        *args: str, cwd: Path, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        full_env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "syndicate", *args],
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def aware(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden files under tests/golden/ from the current output.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def check_golden(actual: bytes, golden: Path, update: bool) -> None:
    """Compare bytes with a golden file; `pytest --update-golden` rewrites it instead."""
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
        return
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden"
    expected = golden.read_bytes()
    if actual != expected:
        import difflib

        diff = "\n".join(
            difflib.unified_diff(
                expected.decode(errors="replace").splitlines(),
                actual.decode(errors="replace").splitlines(),
                str(golden),
                "actual",
                lineterm="",
            )
        )
        raise AssertionError(f"output differs from {golden}:\n{diff[:6000]}")


def copy_fixture(name: str, dest: Path) -> Path:
    shutil.copytree(REPO / "tests" / "fixtures" / name, dest)
    return dest
