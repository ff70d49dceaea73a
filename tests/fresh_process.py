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
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])
