"""bench/phases.py: the timeline it prints is where the issue's profile comes from, so each
mark must be where the build is, and a renamed function must stop it, not hide a phase."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import bench_importable

# The main process's marks, each after the one before in every build.
IN_ORDER = ["loaded", "first document", "last document", "written", "cache saved", "ended"]


@pytest.fixture
def bench() -> Iterator[Any]:
    with bench_importable():
        import generate
        import phases

        yield phases, generate


def _built(bench: Any, site: Path, posts: int) -> Any:
    """A generated site of `posts` posts, built cold through bench/phases.py: its `Run`."""
    phases, generate = bench
    generate.generate(posts, site, "bench")
    return phases.cold_build(site)


def _rendered(output: str) -> int:
    found = re.search(r"rendered (\d+) posts", output)
    assert found is not None, output
    return int(found.group(1))


def _in_order(run: Any, names: list[str]) -> bool:
    assert [name for name in names if name not in run.marks] == []
    return [run.marks[name] for name in names] == sorted(run.marks[name] for name in names)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no child renders ahead")
def test_a_small_site_shows_the_child_that_renders_ahead_and_every_phase_in_order(
    bench: Any, tmp_path: Path
) -> None:
    run = _built(bench, tmp_path / "site", 40)
    # Marks of one process come in its order; across processes only the harness's wait holds.
    assert _in_order(run, ["forked", *IN_ORDER])
    assert _in_order(run, ["parsed", "child rendered", "child ended"])
    assert run.marks["child ended"] <= run.wall
    assert run.rendered["main"] + run.rendered["child"] == _rendered(run.output)
    assert run.cpu["main"] > 0 and run.cpu["child"] > 0
    lines = bench[0].report(tmp_path / "site", [run])
    assert any("cores busy on average" in line for line in lines), lines


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no workers")
def test_a_site_of_256_files_and_more_is_parsed_by_children_and_renders_on_workers(
    bench: Any, tmp_path: Path
) -> None:
    run = _built(bench, tmp_path / "site", 300)
    assert "forked" not in run.marks and "child" not in run.cpu
    assert _in_order(run, ["parsers", "loaded", "workers", *IN_ORDER[1:]])
    assert run.rendered.get("main", 0) == 0 and run.rendered.get("parser", 0) == 0
    assert run.rendered["worker"] == _rendered(run.output)
    assert run.processes["worker"] >= 2 and run.processes["parser"] >= 2
    assert run.cpu["parser"] > 0


def test_a_hooked_function_that_is_gone_stops_the_run_with_its_name(bench: Any) -> None:
    phases, _generate = bench
    module = type(sys)("syndicate.example")
    with pytest.raises(SystemExit, match=r"syndicate\.example\.Renderer\.gone is gone"):
        phases._wrap(module, [("Renderer.gone", lambda f: f)])
