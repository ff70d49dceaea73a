"""The `syndicate` program's first step: `--version` and `--help` on their own are answered here,
without importing the command line (click and the command table take ~70 ms, three times
Python's own start-up); every other call goes to `cli.run`."""

from __future__ import annotations

import contextlib
import gc
import sys

from . import __version__


def run() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:
        _say(f"syndicate, version {__version__}\n")
    elif args in (["--help"], ["-h"]) and _help_fits():
        from .usage import TOP_HELP

        _say(TOP_HELP)
    else:
        # Importing a build's modules leaves ~25,000 objects the collector tracks and almost no
        # garbage: its 65 passes over them took ~23 ms. `cli.run` turns it back on for the
        # commands that keep running.
        gc.disable()
        from .cli import run as run_cli

        run_cli()


def _say(text: str) -> None:
    with contextlib.suppress(OSError):  # a reader that went away (`| head`) is no error
        sys.stdout.write(text)
        sys.stdout.flush()


def _help_fits() -> bool:
    """Whether click would wrap the help at its widest, 80 columns, as `usage` holds it."""
    import shutil

    return shutil.get_terminal_size().columns >= 80
