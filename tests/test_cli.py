"""End to end: the real `syndicate` command on a copy of the sample site."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from syndicate.cli import cli

from .conftest import NOW, RunCli


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help text"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "--config" in result.output


def test_version(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("syndicate, version ")


def test_build_on_the_sample_site(run_cli: RunCli, sample_site: Path) -> None:
    result = run_cli("build", "--now", NOW, cwd=sample_site)
    assert result.returncode == 0, result.stderr
    assert "13 posts, 1 drafts skipped, 1 future, 0 errors" in result.stdout
    assert "Traceback" not in result.stderr
    assert (sample_site / "public/rss.xml").is_file()
    assert (sample_site / "public/series/scientific-studies/feed.json").is_file()


def test_build_from_another_folder_uses_the_config_folder(
    run_cli: RunCli, sample_site: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "cron-home"
    elsewhere.mkdir()
    result = run_cli(
        "build", "--config", str(sample_site / "config.toml"), "--now", NOW, cwd=elsewhere
    )
    assert result.returncode == 0, result.stderr
    assert (sample_site / "public/atom.xml").is_file()
    assert not (elsewhere / "public").exists()


def test_check_reports_every_problem_and_exits_1(run_cli: RunCli, sample_site: Path) -> None:
    (sample_site / "content/posts/broken.md").write_text("---\ntitle: A\ndate: [x\n---\n")
    (sample_site / "content/posts/notags.md").write_text(
        "---\ntitle: B\ndate: 2024-01-01\ntags: 3\n---\n"
    )
    result = run_cli("check", "--now", NOW, cwd=sample_site)
    assert result.returncode == 1
    assert "content/posts/broken.md:4: error: invalid YAML front matter" in result.stderr
    assert "content/posts/notags.md:4: error: tags: expected a list of names" in result.stderr
    assert "2 errors" in result.stdout
    assert "Traceback" not in result.stderr


def test_build_skips_a_broken_post_and_strict_fails(run_cli: RunCli, sample_site: Path) -> None:
    (sample_site / "content/posts/broken.md").write_text("---\ndate: 2024-01-01\n---\nno title\n")
    result = run_cli("build", "--now", NOW, cwd=sample_site)
    assert result.returncode == 0
    assert "content/posts/broken.md:1: warning: missing title (skipped)" in result.stderr
    strict = run_cli("build", "--strict", "--now", NOW, cwd=sample_site / "content")
    assert strict.returncode == 2  # no config.toml in content/: a usage error
    strict = run_cli("build", "--strict", "--now", NOW, "--config", "config.toml", cwd=sample_site)
    assert strict.returncode == 1
    assert "missing title" in strict.stderr


def test_bad_config_exits_2_without_traceback(run_cli: RunCli, sample_site: Path) -> None:
    config = sample_site / "config.toml"
    config.write_text(config.read_text().replace("limit = 20", 'limit = "twenty"'))
    result = run_cli("build", cwd=sample_site)
    assert result.returncode == 2
    assert 'config.toml: feeds.limit: expected an integer, got "twenty"' in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["build", "--now", "yesterday-ish"], ["frobnicate"]])
def test_usage_errors_exit_2(run_cli: RunCli, sample_site: Path, args: list[str]) -> None:
    result = run_cli(*args, cwd=sample_site)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_source_date_epoch_makes_builds_reproducible(run_cli: RunCli, sample_site: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1732104000"}  # 2024-11-20
    assert run_cli("build", cwd=sample_site, env=env).returncode == 0
    first = {p: p.read_bytes() for p in (sample_site / "public").rglob("*") if p.is_file()}
    assert run_cli("build", cwd=sample_site, env=env).returncode == 0
    second = {p: p.read_bytes() for p in (sample_site / "public").rglob("*") if p.is_file()}
    assert first == second


def test_quiet_prints_nothing_on_success(run_cli: RunCli, sample_site: Path) -> None:
    result = run_cli("build", "--quiet", "--now", NOW, cwd=sample_site)
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""
