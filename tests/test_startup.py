"""What a command imports: the nothing-changed shortcut must not pay for the feed machinery,
nor a valid config for pydantic."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import NOW, REPO
from .fresh_process import run_python

PROBE = """
import sys
from syndicate.cli import main
try:
    main(["build", "--now", sys.argv[1]])
except SystemExit:
    pass
heavy = ("feedgen", "mistune", "lxml.etree", "syndicate.build", "pydantic", "yaml")
heavy += ("frontmatter", "importlib.metadata")
print("loaded:", *sorted(m for m in heavy if m in sys.modules))
"""


def _probe(code: str, site: Path) -> subprocess.CompletedProcess[str]:
    """`code` run in a new Python on `site`, with NOW as its argument."""
    return run_python(["-c", code, NOW], site, {"PYTHONPATH": str(REPO)})


def test_the_nothing_changed_shortcut_imports_no_feed_machinery(sample_site: Path) -> None:
    first = _probe(PROBE, sample_site)
    assert "feedgen" in _loaded(first), first.stderr  # the probe sees what a full build loads
    second = _probe(PROBE, sample_site)
    assert "nothing changed" in second.stderr + second.stdout
    assert _loaded(second) == [], second.stdout


RENDER_PROBE = """
import sys
from syndicate.cli import main
from syndicate.content.markdown import Renderer
heavy = ("feedgen", "lxml.etree", "dateutil")
start = Renderer.rendering
def rendering(*args, **kwargs):
    print("at the render pool:", *sorted(m for m in heavy if m in sys.modules))
    return start(*args, **kwargs)
Renderer.rendering = rendering
try:
    main(["build", "--now", sys.argv[1]])
except SystemExit:
    pass
print("loaded:", *sorted(m for m in heavy if m in sys.modules))
"""


def test_a_build_imports_the_feed_writers_after_the_render_pool_starts(
    sample_site: Path,
) -> None:
    """feedgen, lxml and dateutil (~20 ms) are imported with the first document, while the
    workers render the posts: before, the build ran on one core."""
    run = _probe(RENDER_PROBE, sample_site)
    assert run.returncode == 0, run.stderr
    assert "at the render pool:\n" in run.stdout, run.stdout  # none of them yet
    assert _loaded(run) == ["dateutil", "feedgen", "lxml.etree"], run.stdout


DIGEST_PROBE = """
import sys
from syndicate.cli import main
try:
    main(["digest", "--week", "2024-W46", "--now", sys.argv[1]])
except SystemExit:
    pass
heavy = ("mistune", "yaml", "frontmatter", "premailer", "cssutils", "pydantic")
print("loaded:", *sorted(m for m in heavy if m in sys.modules))
"""


def test_a_digest_of_cached_posts_imports_no_markdown_yaml_or_css_parser(
    sample_site: Path,
) -> None:
    # Every post comes from the build cache with its HTML, and premailer's answers from the
    # state folder: the Markdown and YAML readers and the CSS parser have nothing to do.
    build = _probe(PROBE, sample_site)
    assert build.returncode == 0, build.stderr
    first = _probe(DIGEST_PROBE, sample_site)
    assert _loaded(first) == ["cssutils", "premailer"], first.stdout  # the CSS, read once
    second = _probe(DIGEST_PROBE, sample_site)
    assert "digest" in second.stderr + second.stdout, second.stderr
    assert _loaded(second) == [], second.stdout


DIGEST = ["digest", "--week", "2024-W46", "--now", NOW]
COMMAND_PROBE = """
import sys
from syndicate.cli import main
code = 0
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code or 0
heavy = ("httpx", "feedgen", "lxml.etree", "jinja2", "babel", "mistune", "syndicate.feeds.listing")
print("exit:", code)
print("loaded:", *sorted(m for m in heavy if m in sys.modules))
"""


@pytest.mark.parametrize(
    "args", [["send"], ["send", "--dry-run"], ["status"], ["ping"]], ids=" ".join
)
def test_delivery_commands_import_no_http_client_or_feed_writers(
    args: list[str], sample_site: Path
) -> None:
    """The sample site sends through the outbox and has no WebSub hub: `send` reads the digest
    from the outbox, `status` the ledger, and `ping` has nobody to tell. httpx (~55 ms) is for
    the webhook, the providers and the hub; the feed writers, Jinja2 and Babel for rendering."""
    # The probes catch SystemExit: each says how its command ended.
    digest = run_python(["-c", COMMAND_PROBE, NOW, *DIGEST], sample_site, {"PYTHONPATH": str(REPO)})
    assert "exit: 0" in digest.stdout and (sample_site / "outbox").is_dir(), digest.stderr
    if args == ["status"]:
        sent = run_python(
            ["-c", COMMAND_PROBE, NOW, "send"], sample_site, {"PYTHONPATH": str(REPO)}
        )
        assert "exit: 0" in sent.stdout, sent.stderr
    run = run_python(["-c", COMMAND_PROBE, NOW, *args], sample_site, {"PYTHONPATH": str(REPO)})
    assert "exit: 0" in run.stdout, run.stdout + run.stderr
    assert _loaded(run) == [], run.stdout + run.stderr
    if args == ["status"]:
        assert "2024-W46" in run.stdout + run.stderr  # the ledger was read: the send is listed


def _loaded(run: subprocess.CompletedProcess[str]) -> list[str]:
    [line] = [line for line in run.stdout.splitlines() if line.startswith("loaded:")]
    return line.split()[1:]


# What `--version` and `--help` need is the version and the help text: none of these.
HEAVY = (
    "click",
    "syndicate.cli",
    "pydantic",
    "syndicate.config",
    "rich",
    "yaml",
    "jinja2",
    "babel",
    "feedgen",
    "lxml",
    "mistune",
    "premailer",
    "syndicate.build",
)
INFO_PROBE = """
import sys
from syndicate.entry import run
heavy, sys.argv = sys.argv[2:], sys.argv[:2]
run()
print("loaded:", *sorted(m for m in heavy if m in sys.modules))
"""


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_import_no_config_or_content_machinery(
    option: str, tmp_path: Path
) -> None:
    env = {"PYTHONPATH": str(REPO), "COLUMNS": "80"}
    run = run_python(["-c", INFO_PROBE, option, *HEAVY], tmp_path, env)
    assert "syndicate" in run.stdout, run.stderr  # it did answer
    assert _loaded(run) == [], run.stdout


GC_PROBE = """
import gc, sys
import syndicate.cli as cli
def main(args):
    print("collector:", "on" if gc.isenabled() else "off")
cli.main = main
from syndicate.entry import run
sys.argv = ["syndicate", *sys.argv[1:]]
run()
"""


@pytest.mark.parametrize(
    ("args", "collector"),
    [
        (["build"], "off"),
        (["check", "--quiet"], "off"),
        (["serve"], "on"),
        (["--config", "build", "serve"], "on"),  # a config file named like a command
        (["--config=check", "deliver"], "on"),
        (["--config", "site.toml", "build"], "off"),
        (["deliver"], "on"),
        (["digest"], "on"),
    ],
)
def test_the_collector_is_off_for_start_up_and_on_again_for_commands_that_keep_running(
    args: list[str], collector: str, tmp_path: Path
) -> None:
    # Off during start-up (entry.run); `serve` and `deliver` may run for hours, and they and
    # the digest get it back before their command starts. `build` and `check` end quickly.
    run = run_python(["-c", GC_PROBE, *args], tmp_path, {"PYTHONPATH": str(REPO)})
    assert f"collector: {collector}" in run.stdout, run.stdout + run.stderr


EXIT_PROBE = """
import atexit, sys
import syndicate.cli as cli
def main(args):
    atexit.register(print, "torn down")
    print("done")
cli.main = main
from syndicate.entry import run
sys.argv = ["syndicate", *sys.argv[1:]]
run()
"""


@pytest.mark.parametrize(
    ("args", "torn_down"),
    [(["build"], False), (["check"], False), (["digest"], False), (["serve"], True)],
)
def test_short_commands_exit_without_tearing_the_interpreter_down(
    args: list[str], torn_down: bool, tmp_path: Path
) -> None:
    # Freeing every object at exit took a digest 70-90 ms; what they write is written and
    # closed by then. `serve` and `deliver` exit as Python does.
    run = run_python(["-c", EXIT_PROBE, *args], tmp_path, {"PYTHONPATH": str(REPO)})
    assert "done" in run.stdout, run.stderr
    assert ("torn down" in run.stdout) is torn_down, run.stdout


SMALL_BUILD_PROBE = """
import sys
from syndicate.cli import main
try:
    main(["build", "--now", sys.argv[1]])
except SystemExit:
    pass
heavy = ("email.utils", "concurrent.futures", "logging", "slugify", "socket")
print("loaded:", *sorted(m for m in heavy if m in sys.modules))
"""


def test_a_small_sites_build_imports_no_email_package_thread_pool_or_slugify(
    sample_site: Path,
) -> None:
    """What a build of few posts did without, and imported for one call each (~12 ms in
    all): the email package for RFC 822 dates and the check of an address
    (`dates.rfc822`, `config._PLAIN_ADDRESS`), concurrent.futures with logging for the
    writer's threads (`output._Lane`), python-slugify for names of ASCII words
    (`loader.slugify`). The sample site's config has an address, its posts such names."""
    run = _probe(SMALL_BUILD_PROBE, sample_site)
    assert run.returncode == 0, run.stderr
    assert (sample_site / "public" / "rss.xml").is_file()
    assert _loaded(run) == [], run.stdout


def test_a_jekyll_sites_build_imports_no_email_package(tmp_path: Path) -> None:
    """Jekyll's date reader imported the email package for a date in RFC 822's form, at the
    start of every Jekyll site's build."""
    (tmp_path / "_config.yml").write_text("title: T\nurl: https://e.org\n", encoding="utf-8")
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\n', encoding="utf-8")
    posts = tmp_path / "_posts"
    posts.mkdir()
    for day in range(1, 4):
        (posts / f"2024-01-0{day}-post.md").write_text(
            f"---\ntitle: Post {day}\ndate: 2024-01-0{day} 10:00:00 +0100\n"
            "tags: [Machine Learning, king’s college]\n---\nSome *text*.\n",
            encoding="utf-8",
        )
    run = _probe(SMALL_BUILD_PROBE, tmp_path)
    assert run.returncode == 0, run.stderr
    assert "rendered 3 posts" in run.stderr + run.stdout
    # python-liquid, which reads the posts' Liquid, brings concurrent.futures, logging and
    # socket itself (through dateutil): those are its own.
    assert "email.utils" not in _loaded(run), run.stdout
