"""A test's work in a new interpreter, for what depends on the process it runs in.

Apart from conftest.py, which imports the whole package: the child imports only the test
module it runs from, and what that imports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def in_a_fresh_process(func: Callable[..., Any], *args: str) -> Any:
    """`func(*args)`, a function at the top of a test module, run in a new interpreter: its only
    thread is the main one, as in `syndicate build`, whatever runs the tests (pytest-xdist's
    workers have a second), for what depends on that, as the worker pool's forking does.
    Returns what `func` returns, through JSON."""
    code = (
        "import json, sys\n"
        f"from {func.__module__} import {func.__name__} as func\n"
        "print(json.dumps(func(*sys.argv[1:])))\n"
    )
    done = run_python(["-c", code, *args], REPO, {"PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def run_python(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """This Python, run with `argv` in `cwd`, its output captured: the environment of the tests
    with `env` added, and without SOURCE_DATE_EPOCH, which would pin every command's clock."""
    full_env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, *argv],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def output_within(code: str, seconds: float = 120) -> str:
    """What `code` prints, run in a new interpreter from the tree's folder, which must end
    within `seconds`: a test of a pattern or a loop that must not take quadratic time or worse
    fails there instead of hanging (a thread would not do: `re` keeps the interpreter's lock
    while it matches)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=seconds,
        check=True,
        cwd=REPO,
    )
    return done.stdout
