"""The scheduling recipes in examples/, run end to end on the sample site.

The commands are read out of the example files (so this fails when they drift) and run as
written, with the site's folder for /srv/blog and a local folder for the web root. A stand-in
`syndicate` records, before each command, which digest web copies the web root holds, so the
test can tell that the "view in your browser" page was online before the mail went out.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .conftest import REPO

EXAMPLES = REPO / "examples"
# 2024-11-06 12:00 UTC: the last complete week, 2024-W44, holds some of the sample's posts.
SOURCE_DATE_EPOCH = "1730894400"
DIGEST_ID = "2024-W44"
SITE = "/srv/blog"
WEB_ROOT = "/var/www/blog/"

SHIM = """#!/bin/sh
{{ printf 'run: %s\\n' "$*"; find "{web}" -path '*/digests/*/index.html' | sort; }} >> "{log}"
PYTHONPATH="{repo}" exec "{python}" -m syndicate "$@"
"""


class Recipe:
    """A copy of the sample site with a stand-in `syndicate`, and a web root with other files."""

    def __init__(self, root: Path) -> None:
        self.site = root / "site"
        self.web = root / "www"
        self.log = root / "commands.log"
        for name in ("content", "static", "email_templates"):
            if (REPO / name).exists():
                shutil.copytree(REPO / name, self.site / name)
        (self.site / "config.toml").write_text((REPO / "config.toml").read_text())
        self.bin = self.site / ".venv" / "bin"
        self.bin.mkdir(parents=True)
        shim = self.bin / "syndicate"
        shim.write_text(SHIM.format(web=self.web, log=self.log, repo=REPO, python=sys.executable))
        shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
        (self.web / "about").mkdir(parents=True)
        (self.web / "index.html").write_text("the blog's own home page\n")
        (self.web / "about" / "index.html").write_text("about us\n")
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
        }

    def local(self, command: str) -> str:
        """A recipe's command with this test's folders for the site and the web root."""
        for target in (f"web:{WEB_ROOT}", WEB_ROOT):  # the crontab deploys to another host
            command = command.replace(target, f"{self.web}/")
        return command.replace(SITE, str(self.site))

    def run(self, command: str, cwd: Path, env: dict[str, str] | None = None) -> None:
        result = subprocess.run(
            ["sh", "-c", command],
            cwd=cwd,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"

    def web_copies_at_send(self) -> list[str]:
        """The digest web copies online when the command that sends started."""
        runs = self.log.read_text().split("run: ")[1:]
        sends = [r for r in runs if "--send" in r.splitlines()[0]]
        assert len(sends) == 1, runs
        return sends[0].splitlines()[1:]


def run_crontab(recipe: Recipe) -> None:
    lines = (EXAMPLES / "crontab").read_text().splitlines()
    jobs = [line for line in lines if line.strip() and not line.startswith(("#", "MAILTO="))]
    assert len(jobs) == 1, jobs
    command = jobs[0].split(None, 5)[5]  # after minute, hour, day, month and weekday
    recipe.run(recipe.local(command), cwd=recipe.site)


def run_systemd(recipe: Recipe) -> None:
    text = (EXAMPLES / "syndicate-digest.service").read_text()
    settings = [line.split("=", 1) for line in text.splitlines() if "=" in line]
    folder = next(value for key, value in settings if key == "WorkingDirectory")
    assert folder == SITE
    for key, value in settings:
        if key == "ExecStart":  # a oneshot service runs them in order, stopping at a failure
            recipe.run(recipe.local(value), cwd=recipe.site)


def run_github_actions(recipe: Recipe) -> None:
    workflow = yaml.safe_load((EXAMPLES / "github-actions-digest.yml").read_text())
    secrets = {"DEPLOY_TARGET": f"{recipe.web}/", "POSTMARK_SERVER_TOKEN": "unused"}
    for step in workflow["jobs"]["digest"]["steps"]:
        command = step.get("run")
        if command is None or command.startswith("python -m pip install"):
            continue  # actions and the install: the stand-in `syndicate` is installed
        env = {
            name: secrets[value.split("secrets.", 1)[1].rstrip("} ")]
            for name, value in step.get("env", {}).items()
        }
        recipe.run(command, cwd=recipe.site, env=env)


RECIPES: dict[str, Callable[[Recipe], None]] = {
    "crontab": run_crontab,
    "systemd": run_systemd,
    "github-actions": run_github_actions,
}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("rsync") is None, reason="needs rsync (.ci/run installs it)")
@pytest.mark.parametrize("name", list(RECIPES))
def test_recipe_publishes_the_web_copy_before_sending_and_keeps_other_files(
    tmp_path: Path, name: str
) -> None:
    """On the sample site, which has no WebSub hub: `ping` must not stop the send after it."""
    recipe = Recipe(tmp_path)
    RECIPES[name](recipe)
    web_copy = recipe.web / "digests" / DIGEST_ID / "index.html"
    assert str(web_copy) in recipe.web_copies_at_send(), "the mail went out before its web copy"
    assert (recipe.site / "sent" / f"{DIGEST_ID}.eml").is_file()  # the outbox transport sent it
    assert (recipe.web / "rss.xml").is_file()
    assert (recipe.web / "index.html").read_text() == "the blog's own home page\n"
    assert (recipe.web / "about" / "index.html").read_text() == "about us\n"
