"""Shared fixtures: small sites written into a temporary folder, and the sample site's copy."""

from __future__ import annotations

import contextlib
import gc
import inspect
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from syndicate.build import Site, load_site
from syndicate.config import Config, load_config
from syndicate.model import Post

from .fresh_process import run_python

REPO = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def bench_importable() -> Iterator[None]:
    """bench/'s scripts importable by name (they are scripts, not a package)."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        yield
    finally:
        sys.path.remove(str(REPO / "bench"))


# Property tests run DEV_EXAMPLES examples where they would run 100 (`examples` scales counts
# a test sets itself): the inner loop. HYPOTHESIS_PROFILE=ci runs the counts the tests ask for.
DEV_EXAMPLES = 10
# No deadline, and no health check on how long data takes to make: a test's verdict never
# rests on time (a loaded machine, running other tests on every core, made an example take
# over Hypothesis's default 200 ms, and the test fail, though its property held).
_UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=100, **_UNTIMED)
settings.register_profile("dev", max_examples=DEV_EXAMPLES, **_UNTIMED)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """`count` examples under the ci profile, proportionally fewer under dev."""
    return max(1, -(-count * settings.get_profile(PROFILE).max_examples // 100))


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


def run_program(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real `syndicate` program in a subprocess, as a user or cron starts it."""
    return run_python(["-m", "syndicate", *args], cwd, env)


def run_in_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`syndicate` run inside the test's process: what `run_program` returns, without the
    half second a new interpreter takes to import everything. The command sees the folder and
    environment it would have as a program, and starts from a fresh process's state."""
    from click.testing import CliRunner

    from syndicate.cli import main

    # click 8.1 mixes stderr into stdout unless told not to; 8.2 dropped the option.
    separate = "mix_stderr" in inspect.signature(CliRunner).parameters
    options: dict[str, Any] = {"mix_stderr": False} if separate else {}
    runner = CliRunner(**options)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        _fresh_process_state()
        try:
            with runner.isolation() as streams:
                code = _exit_code(main, list(args))
                sys.stdout.flush()
                sys.stderr.flush()
                out, err = streams[0].getvalue(), streams[1].getvalue()
        finally:
            _fresh_process_state()
    return subprocess.CompletedProcess(["syndicate", *args], code, _text(out), _text(err))


def _exit_code(main: Callable[[list[str]], None], args: list[str]) -> int:
    """The exit status the program would end with: its SystemExit's, or 1 and the traceback
    on stderr for an exception that escapes (as `--verbose` lets an internal error do)."""
    try:
        main(args)
    except SystemExit as exc:
        if isinstance(exc.code, str):  # Python prints the text and exits 1
            print(exc.code, file=sys.stderr)
            return 1
        return exc.code or 0
    except Exception:
        traceback.print_exc()
        return 1
    return 0


def _text(data: bytes) -> str:
    # As `subprocess.run(text=True)` reads a program's output: universal newlines.
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


def _fresh_process_state() -> None:
    """Undo what a command leaves behind in its process, which a real run takes with it when
    it exits: the collector switched off (`build`), and every module-level cache (a cached URL
    resolver remembers which static files existed at the last build)."""
    gc.enable()
    for name, module in list(sys.modules.items()):
        if name != "syndicate" and not name.startswith("syndicate."):
            continue
        for value in list(vars(module).values()):
            if hasattr(value, "cache_info") and hasattr(value, "cache_clear"):
                value.cache_clear()  # an lru_cache, the module's own or a wrapped class
    from syndicate.incremental import cache, pool

    cache._listed = None
    pool._shared = None


@pytest.fixture(scope="session", autouse=True)
def _ctrl_c_reaches_children() -> Iterator[None]:
    """Tests stop `serve` and builds with SIGINT, as Ctrl-C does. A shell without job control
    starts a background job (`pytest ... &` in a script) with SIGINT ignored, which children
    inherit across exec and Python keeps (POSIX: Ctrl-C is not for background jobs): `serve`
    never stopped and a build ran to its end. Such a test run hands them the default back."""
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    if ignored:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.fixture(autouse=True)
def _collector_back_on() -> Iterator[None]:
    """A test that runs `build` through click itself leaves the collector off for every test
    after it; a process would have ended."""
    yield
    gc.enable()


@pytest.fixture
def run_real_cli() -> RunCli:
    """The real program in a subprocess, for what only a process shows: signals, its own exit
    path (`os._exit`), worker processes, a closed stdin."""
    return run_program


@pytest.fixture
def run_cli() -> RunCli:
    """`syndicate` run in process; `run_real_cli` where only a real process will do."""
    return run_in_process


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


_made: dict[str, Path] = {}
_factory: list[pytest.TempPathFactory] = []


@pytest.fixture(scope="session", autouse=True)
def _shared_folders(tmp_path_factory: pytest.TempPathFactory) -> None:
    _factory.append(tmp_path_factory)


def shared_copy(
    dest: Path, key: str, make: Callable[[Path], None], swap: dict[str, str] | None = None
) -> Path:
    """What `make(folder)` leaves in a new folder, copied to `dest`: made once per `key` in a
    run (rendering a digest takes a third of a second, and each delivery test wants its own
    site to send from), so `key` must name everything `make` depends on. In the copy, every
    text of `swap` is replaced (a placeholder for a test server's address, which differs per
    test), as is the made folder's own path: the copy holds the bytes `make(dest)` leaves."""
    made = _made.get(key)
    if made is None:
        made = _factory[-1].mktemp("shared") / dest.name
        make(made)
        _made[key] = made
    shutil.copytree(made, dest, symlinks=True)
    texts = [
        (old.encode(), new.encode()) for old, new in {str(made): str(dest), **(swap or {})}.items()
    ]
    for path in dest.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = original = path.read_bytes()
            for old, new in texts:
                data = data.replace(old, new)
            if data != original:
                path.write_bytes(data)
    return dest


def bare_post(**fields: Any) -> Post:
    """A post of the fewest fields, at https://e.org/posts/a/, for renderer tests."""
    values: dict[str, Any] = {
        "source": Path("/nonexistent/content/posts/a.md"),
        "body_line": 1,
        "title": "A",
        "slug": "a",
        "section": "posts",
        "permalink": "https://e.org/posts/a/",
        "id": "https://e.org/posts/a/",
        "date": datetime(2024, 1, 1, tzinfo=UTC),
        "updated": None,
        "description": None,
        "excerpt": None,
        "authors": (),
        "tags": (),
        "categories": (),
        "series": (),
        "image": None,
        "image_alt": None,
        "draft": False,
        "in_feeds": True,
        "summary_only": False,
        "body": "",
    }
    return Post(**{**values, **fields})


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The name of every template Jinja compiles from now on (None: one from a string)."""
    import jinja2

    names: list[str | None] = []
    real = jinja2.Environment.compile

    def counting(env: jinja2.Environment, source: Any, name: Any = None, *a: Any) -> Any:
        names.append(name)
        return real(env, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names
