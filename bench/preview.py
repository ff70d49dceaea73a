"""The live preview on any site: how long `syndicate serve` takes from a post's file written to
the preview's version changing, as `bench/run.py --preview` measures it on the bench's site
(bench/README.md gives each figure with its runs).

    python bench/preview.py ~/site content/posts/a.md 10 /tmp/old/bin/syndicate .venv/bin/syndicate

For each install in turn: start `syndicate serve --port 0` in the site's folder (the folder of
its `syndicate.toml`), then `EDITS` times append a line to the file (a path below the site's
folder) and poll `/_preview/version`, what the preview page polls, every 2 ms until it
changes; print the median, fastest and slowest. The file is put back as it was after each
install's run (serve has ended by then: the output folder keeps the last edit until the next
build). Make each install a regular one (`pip install .`, then `python -m compileall` of the
installed package), as the bench times.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import run  # bench/run.py: how it starts serve and waits for it


def main(argv: list[str]) -> int:
    if len(argv) < 4 or not argv[2].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    site, file, edits, programs = Path(argv[0]), Path(argv[0]) / argv[1], int(argv[2]), argv[3:]
    original = file.read_bytes()
    for program in programs:
        try:
            times = _latencies(program, site, file, edits)
        finally:
            file.write_bytes(original)
        print(
            f"{program}: median {statistics.median(times):.0f} ms, "
            f"min {min(times):.0f}, max {max(times):.0f} ({len(times)} edits)"
        )
    return 0


def _latencies(program: str, site: Path, file: Path, edits: int) -> list[float]:
    def edit(n: int) -> None:
        with file.open("a", encoding="utf-8") as text:
            text.write(f"\nA line of preview edit {n}.\n")

    return run.serve_latencies([program, "serve", "--port", "0"], site, edit, edits)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
