"""The quick rebuild of a site with template syntax: an edit reads only the edited post, and
the output and the problems reported are exactly a full build's."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.build import load_site, write_feeds
from syndicate.config import load_config
from syndicate.errors import Problem

from .conftest import NOW, copy_fixture
from .test_cache import build, cold_snapshot, edit, quick, snapshot

TEMPLATED = {
    # A ref to another post, one to a page that is not there yet, an unknown shortcode.
    "second.md": (
        "And this is the rest",
        'See [the first]({{< ref "first" >}}) and [about]({{< relref "/about" >}}).\n\n'
        "{{< gallery >}}pictures{{< /gallery >}}\n\nAnd this is the rest",
    ),
    "first.md": ("Code:", '{{< figure src="/cover.png" caption="The cover" >}}\n\nCode:'),
    "fourth.md": ("Too old", "{{< gallery >}}old{{< /gallery >}} Too old"),
}


def templated_site(root: Path) -> Path:
    copy_fixture("feedsite", root)
    config = root / "config.toml"
    config.write_text(config.read_text() + '\n[markdown]\ntemplate_syntax = "hugo"\n')
    for name, (old, new) in TEMPLATED.items():
        edit(root / "content/posts" / name, old, new)
    return root


def full_problems(root: Path) -> list[tuple[str, str | None, int | None, str]]:
    """What a full build, without the cache, reports reading the posts of `root`."""
    config = load_config(root / "config.toml")
    site = load_site(config, now=NOW, env={}, use_cache=False, workers=1)
    return [_seen(p, root) for p in site.report.problems]


def _seen(problem: Problem, root: Path) -> tuple[str, str | None, int | None, str]:
    where = problem.location
    path = str(where.path.relative_to(root)) if where is not None else None
    return (problem.severity, path, where.line if where else None, problem.message)


TEMPLATED_EDITS = [
    # The text around a ref and an unknown shortcode.
    ("second.md", "the rest, which", "the edited rest, which"),
    # The title of the post a ref names: its address stays, so only its own feeds change.
    ("first.md", 'title: First <post> & "quotes"', "title: First, renamed"),
    # A post without template syntax gains an unknown shortcode and a broken one.
    ("third.md", "never reaches a feed.", "never {{< gallery >}} {{< figure src= >}}"),
    # The only use of a shortcode goes away: the count of its uses changes.
    ("fourth.md", "{{< gallery >}}old{{< /gallery >}} ", ""),
    # A ref to a missing post is added (an error, but the post is kept).
    ("first.md", "Code:", '[gone]({{< ref "nowhere" >}}) Code:'),
]


@pytest.mark.parametrize(("name", "old", "new"), TEMPLATED_EDITS)
def test_a_templated_site_takes_the_quick_rebuild_exactly_like_a_cold_build(
    tmp_path: Path, name: str, old: str, new: str
) -> None:
    root = templated_site(tmp_path / "site")
    build(root)
    edit(root / "content/posts" / name, old, new)
    rebuilt = quick(root)
    assert rebuilt is not None, "the quick rebuild should have been used"
    cold = cold_snapshot(root, tmp_path / "cold")
    assert snapshot(root / "public") == cold
    assert [_seen(p, root) for p in rebuilt.problems] == full_problems(tmp_path / "cold")
    assert quick(root) is not None  # and again, from the plan the quick rebuild saved
    assert snapshot(root / "public") == cold


def test_a_page_a_ref_names_appearing_takes_the_full_build(tmp_path: Path) -> None:
    root = templated_site(tmp_path / "site")
    build(root)
    assert "/blog/about/" not in (root / "public/rss.xml").read_text()
    (root / "content/about.md").write_text("---\ntitle: About\n---\nWho we are.\n")
    edit(root / "content/posts/first.md", "Hello", "Hello again")
    assert quick(root) is None  # second's ref to /about resolves now: its HTML changes
    build(root)
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")
    assert "/blog/about/" in (root / "public/rss.xml").read_text()


def test_a_templated_rebuild_after_a_full_one_matches_a_cold_build(tmp_path: Path) -> None:
    root = templated_site(tmp_path / "site")
    config = load_config(root / "config.toml")
    write_feeds(config, load_site(config, now=NOW, env={}, workers=1))
    for name, old, new in TEMPLATED_EDITS[:3]:
        edit(root / "content/posts" / name, old, new)
        assert quick(root) is not None
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")
