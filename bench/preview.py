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

import queue
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
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
    proc = subprocess.Popen(
        [program, "serve", "--port", "0"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=run.ENV,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=run._read_lines, args=(proc.stdout, lines), daemon=True).start()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # local, no proxy
    try:
        url = f"http://127.0.0.1:{run._served_port(proc, lines)}/_preview/version"

        def version() -> bytes:
            with opener.open(url, timeout=30) as response:
                return bytes(response.read())

        times = []
        for n in range(edits):
            before = run._settled(version)
            with file.open("a", encoding="utf-8") as text:
                text.write(f"\nA line of preview edit {n + 1}.\n")
            written = time.perf_counter()
            while version() == before:
                if time.perf_counter() - written > 60:
                    raise SystemExit("the preview did not rebuild within 60 s of an edit")
                time.sleep(0.002)
            times.append((time.perf_counter() - written) * 1000)
        return times
    finally:
        proc.send_signal(signal.SIGINT)  # serve's own way to stop (Ctrl-C)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
