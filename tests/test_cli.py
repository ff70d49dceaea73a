"""End to end: the real `syndicate` command on a copy of the sample site."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from syndicate.cli import Ui, cli, main, warning_kind
from syndicate.errors import (
    EXIT_CODES,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    ConfigError,
    ContentError,
    LedgerError,
    Location,
    LockedError,
    OutputError,
    Problem,
    RefusedError,
    SyndicateError,
    UsageError,
)

from .conftest import NOW, REPO, RunCli, SiteDir


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help text"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output
        # init writes the config file, for a folder: every other command reads one
        assert ("FOLDER" if name == "init" else "--config") in result.output


def test_version(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("syndicate, version ")


def test_build_on_the_sample_site(run_cli: RunCli, sample_site: Path) -> None:
    result = run_cli("build", "--now", NOW, cwd=sample_site)
    assert result.returncode == 0, result.stderr
    assert "13 posts, 1 draft skipped, 1 future; no problems" in result.stdout
    assert "Traceback" not in result.stderr
    assert (sample_site / "public/rss.xml").is_file()
    assert (sample_site / "public/series/scientific-studies/feed.json").is_file()


def test_a_config_path_that_does_not_exist_is_named_as_given(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # Named relative to the site's folder, a config in a missing folder was just
    # "config.toml": which of the folders the user passed was wrong did not show.
    result = run_cli("build", "--config", "typo/config.toml", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "typo/config.toml: no such file; check the path given to --config" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("before", [False, True], ids=["after", "before"])
def test_a_folder_given_as_the_config_is_named_with_what_to_pass(
    run_cli: RunCli, sample_site: Path, before: bool
) -> None:
    # click answered "Invalid value for '--config': File ... is a directory." in its own
    # style, before or after the command's name.
    args = ["--config", str(sample_site), "build"] if before else ["build", "--config", "."]
    result = run_cli(*args, cwd=sample_site)
    assert result.returncode == 2, result.stderr
    assert "a folder, not a config file; pass the file in it" in result.stderr
    assert "Invalid value" not in result.stderr and "Traceback" not in result.stderr


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
    # The line the bracket opens on, not the closing `---` where PyYAML finds it unclosed.
    assert "content/posts/broken.md:3: error: invalid YAML front matter" in result.stderr
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


def test_a_refused_build_still_shows_what_reading_the_posts_found(
    run_cli: RunCli, sample_site: Path
) -> None:
    assert run_cli("build", "--now", NOW, cwd=sample_site).returncode == 0
    posts = sample_site / "content/posts"
    for post in sorted(posts.rglob("*.md"))[3:]:  # under half of the site: the build refuses
        post.unlink()
    (posts / "broken.md").write_text("---\ndate: 2024-01-01\n---\nno title\n")
    refused = run_cli("build", "--now", NOW, cwd=sample_site)
    assert refused.returncode == 1
    skipped = refused.stderr.index("broken.md:1: warning: missing title (skipped)")
    assert skipped < refused.stderr.index("error: this build found"), refused.stderr
    assert refused.stdout.endswith("1 broken post left out; 1 warning\n")  # printed before it
    assert "site.content_dir (content) is the wrong folder" in " ".join(refused.stderr.split())


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


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["digest", "--week"], "Usage: syndicate digest [OPTIONS]"),
        (["build", "--workers"], "Usage: syndicate build [OPTIONS]"),
        (["--config"], "Usage: syndicate [OPTIONS] COMMAND [ARGS]..."),
        (["build", "--bogus"], "Usage: syndicate build [OPTIONS]"),
        # `--limit 0` said "nothing sent yet" of a ledger full of sends
        (["status", "--limit", "0"], "Usage: syndicate status [OPTIONS]"),
    ],
)
def test_a_usage_error_shows_the_commands_usage(
    run_cli: RunCli, sample_site: Path, args: list[str], usage: str
) -> None:
    """An option given without its value said only "requires an argument", where an unknown
    option or a bad value also showed the command's usage and where its help is."""
    result = run_cli(*args, cwd=sample_site)
    assert result.returncode == 2
    assert usage in result.stderr
    assert "' for help." in result.stderr  # `-h` or `--help`, as click's version words it


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


# --- exit codes ------------------------------------------------------------------------------


def _readme_exit_codes() -> dict[int, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\d+)` \| (.+) \|$", section, flags=re.MULTILINE)
    return {int(code): meaning for code, meaning in rows}


def test_exit_code_table_is_the_same_in_readme_help_and_code() -> None:
    assert _readme_exit_codes() == EXIT_CODES
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    shown = re.findall(r"^\s+(\d+)  (.+)$", result.output.split("Exit codes:", 1)[1], re.M)
    assert {int(code): meaning for code, meaning in shown} == EXIT_CODES


@pytest.mark.parametrize(
    "code", [errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM]
)
def test_a_folder_that_cannot_be_written_exits_6_naming_the_path(
    sample_site: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
) -> None:
    target = sample_site / "public" / "rss.xml"

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(target))

    monkeypatch.setattr("syndicate.build.write_feeds", refuse)
    for verbose in ([], ["--verbose"]):  # a fault of the machine is no bug: no traceback either
        with pytest.raises(SystemExit) as exit_info:
            main(["build", "--no-cache", "--config", str(sample_site / "config.toml"), *verbose])
        assert exit_info.value.code == EXIT_OUTPUT
        err = capsys.readouterr().err
        assert f"{target}: error: {os.strerror(code)}" in err
        assert "hint:" in err
        assert "internal error" not in err


def test_a_full_disk_exits_6_not_70(run_cli: RunCli, sample_site: Path) -> None:
    """The real program under RLIMIT_FSIZE (root ignores permissions, not this limit)."""
    script = (
        "import resource, runpy, signal, sys;"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000));"
        "sys.argv = ['syndicate', 'build', '--no-cache', '--now', sys.argv[1]];"
        "runpy.run_module('syndicate', run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, NOW],
        cwd=sample_site,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == EXIT_OUTPUT, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "public/" in result.stderr and "error:" in result.stderr, "names the path"
    assert "hint:" in result.stderr


def test_only_an_unreadable_now_is_reported_as_a_now_error(
    sample_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("something unrelated to the clock")

    monkeypatch.setattr("syndicate.build.load_site", broken)
    config = str(sample_site / "config.toml")
    result = CliRunner().invoke(cli, ["check", "--config", config, "--now", NOW])
    assert "--now" not in result.output
    assert isinstance(result.exception, ValueError)  # a bug: main() reports it as exit 70
    bad_now = CliRunner().invoke(cli, ["check", "--config", config, "--now", "yesterday-ish"])
    assert bad_now.exit_code == 2
    assert "Invalid value for --now" in bad_now.output


def test_an_unreadable_source_date_epoch_is_not_reported_as_a_now_error(sample_site: Path) -> None:
    config = str(sample_site / "config.toml")
    result = CliRunner().invoke(
        cli, ["check", "--config", config], env={"SOURCE_DATE_EPOCH": "yesterday"}
    )
    assert result.exit_code == 2
    assert "error: SOURCE_DATE_EPOCH='yesterday' is not a number" in result.stderr
    assert "--now" not in result.output


def test_digest_options_that_cannot_be_used_are_errors_with_exit_2(sample_site: Path) -> None:
    config = str(sample_site / "config.toml")
    args = ["digest", "--config", config, "--now", NOW]
    for extra, message in (
        (["--until", "2024-11-01"], "error: --until needs --since"),
        (["--since", "last tuesday"], "error: --since: cannot read 'last tuesday' as a date"),
        (["--week", "2024-W44", "--since-last-sent"], "error: use one of --week"),
    ):
        result = CliRunner().invoke(cli, [*args, *extra])
        assert result.exit_code == 2, result.output
        assert message in result.stderr


# --- ping --------------------------------------------------------------------------------------


def test_ping_without_a_hub_has_nothing_to_do_and_exits_0(sample_site: Path) -> None:
    result = CliRunner().invoke(cli, ["ping", "--config", str(sample_site / "config.toml")])
    assert result.exit_code == 0, result.output
    assert "nothing to ping" in result.output


# --- worker processes ------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    listing = subprocess.run(["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True)
    pairs = (line.split() for line in listing.stdout.splitlines())
    return {int(child) for child, parent in pairs if int(parent) == pid}


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's init may never reap an orphan that exited)."""
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return bool(state.stdout.strip()) and not state.stdout.strip().startswith("Z")


def _many_posts(site: Path, count: int) -> None:
    body = "A paragraph with *emphasis*, a [link](../other/) and `code`.\n\n" * 40
    for n in range(count):
        (site / "content" / "posts" / f"generated-{n}.md").write_text(
            f"---\ntitle: Generated {n}\ndate: 2024-01-01T00:{n % 60:02d}:00Z\n"
            f"tags: [t{n % 97}, u{n % 89}]\n---\n{body}"
        )


@contextlib.contextmanager
def _building_on_workers(
    site: Path, count: int
) -> Iterator[tuple[subprocess.Popen[str], set[int]]]:
    """A cold build on two workers, in its own process group as a shell starts a command,
    once it has started `count` workers; every one of them killed at the end."""
    build = subprocess.Popen(
        [sys.executable, "-m", "syndicate", "build", "--no-cache", "--workers", "2", "--now", NOW],
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < count and build.poll() is None and time.monotonic() < deadline:
            workers |= _children(build.pid)
            time.sleep(0.005)
        assert len(workers) >= count, "the build ended before it started its workers"
        yield build, workers
        deadline = time.monotonic() + 5
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _running(w)], "workers outlived the build"
    finally:
        build.kill()
        build.communicate()
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)


@pytest.mark.slow
def test_killing_the_build_ends_its_workers(sample_site: Path) -> None:
    _many_posts(sample_site, 4000)
    with _building_on_workers(sample_site, 2) as (build, _):
        build.kill()
        build.wait()


def test_ctrl_c_stops_the_build_and_its_workers_without_a_traceback(sample_site: Path) -> None:
    """Ctrl-C sends SIGINT to the whole process group: the build and each of its workers."""
    _many_posts(sample_site, 1500)
    # Four: the parsing pool's two workers, then the renderer's (nh3 calls back into Python
    # for each link, where a worker's traceback was printed).
    with _building_on_workers(sample_site, 4) as (build, _):
        os.killpg(build.pid, signal.SIGINT)
        _, stderr = build.communicate(timeout=30)
        assert build.returncode == EXIT_INTERRUPTED, stderr  # not click's "Aborted!" and 1
        assert stderr.endswith("\ninterrupted\n"), stderr
        assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


# --- output a person can read ----------------------------------------------------------------


def _missing_images(site: SiteDir, count: int) -> str:
    for n in range(count):
        site.post(
            f"posts/p{n}.md",
            f"""
            ---
            title: Post {n}
            date: 2024-10-{1 + n % 28:02d}T08:00:00Z
            featuredImage: ../static/missing-{n}.jpg
            ---
            Text.
            """,
        )
    return str(site.config())


def test_repeated_warnings_are_summarised_after_five(site: SiteDir) -> None:
    config = _missing_images(site, 12)
    result = CliRunner().invoke(cli, ["build", "--no-cache", "--config", config, "--now", NOW])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning: featured image not found") == 5
    assert "warning: …and 7 more: featured image not found" in result.stderr
    assert "12 warnings" in result.stdout  # counted as labelled, shown or not


@pytest.mark.parametrize("args", [["check"], ["build", "--verbose"]])
def test_check_and_verbose_show_every_repeated_warning(site: SiteDir, args: list[str]) -> None:
    config = _missing_images(site, 12)
    result = CliRunner().invoke(cli, [*args, "--no-cache", "--config", config, "--now", NOW])
    assert result.stderr.count("warning: featured image not found") == 12
    assert "more: featured image not found" not in result.stderr


def test_the_summary_counts_problems_as_they_are_labelled(sample_site: Path) -> None:
    (sample_site / "content/posts/broken.md").write_text("---\ndate: 2024-01-01\n---\nno title\n")
    config = str(sample_site / "config.toml")
    build = CliRunner().invoke(cli, ["build", "--no-cache", "--config", config, "--now", NOW])
    assert "warning: missing title (skipped)" in build.stderr
    summary = "13 posts, 1 draft skipped, 1 future, 1 broken post left out; 1 warning\n"
    assert summary in build.stdout
    check = CliRunner().invoke(cli, ["check", "--config", config, "--now", NOW])
    assert "error: missing title" in check.stderr
    assert summary.replace("1 warning", "1 error") in check.stdout


def test_the_last_line_counts_the_problems_found_after_the_summary(sample_site: Path) -> None:
    # Terms are known only once every post is read: their warnings come after the summary.
    (sample_site / "content/posts/broken.md").write_text("---\ndate: 2024-01-01\n---\nno title\n")
    (sample_site / "content/posts/case.md").write_text(
        "---\ntitle: Case\ndate: 2024-01-01\ntags: [PYTHON]\n---\nx\n"
    )
    config = str(sample_site / "config.toml")
    build = CliRunner().invoke(cli, ["build", "--no-cache", "--config", config, "--now", NOW])
    assert "are the same term" in build.stderr
    assert "left out; 1 warning\n" in build.stdout
    assert build.stdout.splitlines()[-1].endswith("s; 2 warnings in all")


def test_paths_are_relative_to_the_site_folder(
    sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (sample_site / "content/posts/broken.md").write_text("---\ndate: 2024-01-01\n---\nno title\n")
    elsewhere = tmp_path / "cron-home"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(
        cli, ["check", "--config", str(sample_site / "config.toml"), "--now", NOW]
    )
    assert "\ncontent/posts/broken.md:1: error: missing title" in "\n" + result.stderr


def test_verbose_lists_each_file_written(sample_site: Path) -> None:
    config = str(sample_site / "config.toml")
    args = ["build", "--no-cache", "--config", config, "--now", NOW]
    result = CliRunner().invoke(cli, [*args, "--verbose"])
    assert result.exit_code == 0, result.output
    assert "wrote public/rss.xml" in result.stderr
    assert "wrote public/tags/python/atom.xml" in result.stderr
    shutil.rmtree(sample_site / "public")
    assert "wrote public/rss.xml" not in CliRunner().invoke(cli, args).stderr


@pytest.mark.parametrize(
    "error",
    [
        UsageError("bad value"),
        ConfigError("bad key"),
        ContentError("bad post"),
        RefusedError("foreign file"),
        OutputError("disk full"),
        LedgerError("garbage ledger"),
        LockedError("held"),
    ],
)
def test_every_error_raised_while_loading_posts_ends_in_its_exit_code(
    sample_site: Path, monkeypatch: pytest.MonkeyPatch, error: SyndicateError
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("syndicate.content.loader.load_posts", fail)
    monkeypatch.setattr("syndicate.build.load_posts", fail)
    config = str(sample_site / "config.toml")
    result = CliRunner().invoke(cli, ["check", "--config", config, "--now", NOW])
    assert result.exit_code == error.exit_code
    assert f"error: {error.message}" in result.stderr


@given(
    name=st.text(
        st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1
    ).map(lambda s: f"images/{s}"),
    number=st.integers(min_value=0),
)
def test_warnings_that_differ_only_in_names_are_of_one_kind(name: str, number: int) -> None:
    assert warning_kind(f"featured image not found: {name}") == "featured image not found"
    assert warning_kind(f"{name} is {number} KB; too big") == "… is … KB; too big"
    big = f"feed over {number} KB: {name}/rss.xml is {number + 1} KB, and readers give up"
    assert warning_kind(big) == "feed over … KB"
    assert warning_kind(name)  # never empty, whatever the message
    unknown = (
        f"unknown shortcode '{name}' ({number} uses, the first here): removed, its content kept"
    )
    assert warning_kind(unknown) == "unknown shortcode"  # no placeholder, no lone "("


@given(
    line=st.integers(min_value=1, max_value=10**6),
    message=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1),
)
def test_a_problem_is_printed_as_written(line: int, message: str) -> None:
    """rich read `post.md:100:` as the emoji code `:100:` (the file's line became 💯), and
    would do so with `:smile:` in a message; markup-like text stays text too."""
    import io

    ui = Ui()
    ui.err.file = io.StringIO()
    ui.problem(Problem("warning", Location(Path("post.md"), line), message))
    ui.problem(Problem("error", Location(Path("p.md"), 100), ":100: [bold]x[/bold] :smile:"))
    printed = ui.err.file.getvalue()
    assert printed.startswith(f"post.md:{line}: warning: {message}")
    assert printed.endswith("p.md:100: error: :100: [bold]x[/bold] :smile:\n")


def test_a_skipped_post_is_said_skipped_once(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "config.toml").write_text(
        '[site]\ntitle = "T"\nbase_url = "https://e.org/"\npermalink = "/{slug}/"\n'
    )
    for name, day in (("a", 1), ("b", 2)):
        (tmp_path / f"content/posts/{name}.md").write_text(
            f"---\ntitle: T\nslug: same\ndate: 2024-01-0{day}\n---\nx\n"
        )
    result = run_cli("build", "--now", "2024-06-01T00:00:00Z", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "this post was skipped\n" in result.stderr and "(skipped)" not in result.stderr


def test_verbose_shows_the_traceback_of_an_internal_error(
    sample_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("syndicate.build.load_site", bug)
    args = ["check", "--config", str(sample_site / "config.toml"), "--now", NOW]
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 70
    assert "internal error: RuntimeError: a bug" in capsys.readouterr().err
    for verbose in ("--verbose", "-v"):
        with pytest.raises(SystemExit) as exit_info:
            main([*args, verbose])
        assert exit_info.value.code == 70, "a bug is a bug with --verbose too, not exit 1"
        err = capsys.readouterr().err
        assert "Traceback (most recent call last)" in err  # for a bug report
        assert 'raise RuntimeError("a bug")' in err
        assert "internal error: RuntimeError: a bug" in err
        assert "hint: this is a bug in syndicate" in err


def test_send_with_nothing_rendered_is_a_usage_error(run_cli: RunCli, sample_site: Path) -> None:
    """Exit 2, as `send --help` and the README's table say, not 1 (content problems)."""
    for args in (("send",), ("send", "2024-W01")):
        result = run_cli(*args, cwd=sample_site)
        assert result.returncode == 2, result.stderr
        assert "no rendered digest" in result.stderr


# --- `--version` and `--help` answered without click (syndicate/entry.py) -------------------

USAGE_MODULE = REPO / "syndicate" / "usage.py"


def _said(code: str, *args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": str(columns)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=60
    )


CLICK = "import sys; from syndicate.cli import main; main(sys.argv[1:])"
ENTRY = "import sys; from syndicate.entry import run; run()"


def test_the_help_kept_for_the_quick_answer_is_clicks(update_golden: bool) -> None:
    text = _said(CLICK, "--help").stdout
    if update_golden:
        source = USAGE_MODULE.read_text(encoding="utf-8").split('TOP_HELP = """\\\n')[0]
        USAGE_MODULE.write_text(f'{source}TOP_HELP = """\\\n{text}"""\n', encoding="utf-8")
    from syndicate.usage import TOP_HELP

    assert text == TOP_HELP, "the commands' help changed: run pytest --update-golden"


@pytest.mark.parametrize(
    ("args", "columns"),
    [(["--version"], 80), (["--help"], 80), (["-h"], 120), (["--help"], 60), (["-h", "x"], 80)],
)
def test_the_quick_answers_are_what_click_says(args: list[str], columns: int) -> None:
    quick, slow = _said(ENTRY, *args, columns=columns), _said(CLICK, *args, columns=columns)
    assert (quick.stdout, quick.stderr, quick.returncode) == (
        slow.stdout,
        slow.stderr,
        slow.returncode,
    )
    assert quick.stdout  # it did answer


def test_messages_name_paths_inside_the_site_relative_to_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = tmp_path / "blog"
    root.mkdir()
    (root / "config.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://e.org/"\n')
    result = run_cli("build", "--config", str(root / "config.toml"), cwd=tmp_path)
    assert result.returncode == 2
    assert "config.toml: site.content_dir: content is not a folder" in result.stderr
    assert str(tmp_path) not in result.stderr
    ui = Ui(root=root)
    # A URL whose path spells the same folders, and a path outside the site, stay as written.
    text = f"{root}/a.md, “{root}/b.md”, https://h{root}/c and {tmp_path}/d"
    assert ui.shorten(text) == f"a.md, “b.md”, https://h{root}/c and {tmp_path}/d"


def test_digest_dry_run_without_send_is_a_usage_error(run_cli: RunCli, sample_site: Path) -> None:
    """`digest --dry-run` alone was accepted, and wrote the outbox and published the web
    version: a user previewing expected nothing written."""
    result = run_cli("digest", "--dry-run", "--week", "2024-W44", cwd=sample_site)
    assert result.returncode == 2, result.stderr
    assert "--dry-run goes with --send" in result.stderr
    assert not (sample_site / "outbox").exists()
    assert not (sample_site / "public/digests").exists()
