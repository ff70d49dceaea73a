"""bench/preview.py and bench/ab.py, whose figures bench/README.md gives for real sites: each
must time what it says (an edit seen by a real `serve`, a real build of an edited copy) and
leave the site as it found it."""

from __future__ import annotations

import platform
import re
import shutil
import sys
from pathlib import Path

import pytest

from .conftest import bench_importable


def _syndicate() -> str:
    script = Path(sys.executable).parent / "syndicate"
    program = str(script) if script.exists() else shutil.which("syndicate")
    assert program is not None
    return program


@pytest.mark.slow  # a real `serve`, edited twice
def test_each_install_serves_the_site_and_the_edited_file_is_put_back(
    sample_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (sample_site / "config.toml").rename(sample_site / "syndicate.toml")  # serve finds it
    program = _syndicate()
    post = sample_site / "content/posts/sleep-and-memory.md"
    before = post.read_bytes()
    with bench_importable():
        import preview

        code = preview.main([str(sample_site), "content/posts/sleep-and-memory.md", "2", program])
    assert code == 0 and post.read_bytes() == before
    said = capsys.readouterr().out
    assert re.fullmatch(
        rf"{re.escape(program)}: median \d+ ms, min \d+, max \d+ \(2 edits\)\n", said
    )
    built = (sample_site / "public/rss.xml").read_text(encoding="utf-8")
    assert "A line of preview edit 2." in built  # serve saw each edit


def test_wrong_arguments_print_how_to_run_it(capsys: pytest.CaptureFixture[str]) -> None:
    with bench_importable():
        import preview

        assert preview.main(["site", "post.md", "many", "syndicate"]) == 2
    assert "python bench/preview.py" in capsys.readouterr().err


@pytest.mark.slow  # four real builds
def test_ab_times_edits_on_a_copy_for_each_install_and_removes_them(
    sample_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = _syndicate()
    before = {p: p.read_bytes() for p in sample_site.rglob("*") if p.is_file()}
    with bench_importable():
        import ab

        code = ab.main(
            [str(sample_site), "2", program, "--edit", "content/posts/sleep-and-memory.md"]
        )
    assert code == 0
    assert {p: p.read_bytes() for p in sample_site.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in sample_site.parent.iterdir()) == ["sample"]  # no copy left
    said = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        rf"{re.escape(program)}: median [\d.]+ s, q1 [\d.]+, min [\d.]+ \(2 runs\)", said[0]
    )


def test_the_bench_names_the_processor_it_ran_on() -> None:
    with bench_importable():
        import run

    listed = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD  EPYC 7B13\n"
    assert run.cpu_model(listed) == "AMD EPYC 7B13"
    guess = platform.processor() or platform.machine() or "unknown processor"
    assert run.cpu_model("processor\t: 0\nmodel name\t:\n") == guess  # unnamed: Python's
