"""The build cache's key covers everything that shapes what it holds (the code, the libraries,
the settings that shape a post's HTML), and its rows follow `Post`'s fields without pickle."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import marshal
import os
import re
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate.build import Site, load_site, write_feeds
from syndicate.config import load_config
from syndicate.dates import resolve_now
from syndicate.incremental import cache
from syndicate.model import Asset, Author, Post

from .conftest import NOW, copy_fixture

Built = tuple[Site, Path]


@pytest.fixture(autouse=True)
def fresh_code_key() -> Iterator[None]:
    """Each test computes the code's key again, and leaves none computed from its patches."""
    cache.code_key.cache_clear()
    yield
    cache.code_key.cache_clear()


def build(root: Path) -> Site:
    config = load_config(root / "config.toml")
    site = load_site(config, now=NOW, env={})
    write_feeds(config, site)
    return site


def nothing_changed(root: Path) -> bool:
    config = load_config(root / "config.toml")
    moment = resolve_now(NOW, {}, config.tz)
    last, _ = cache.unchanged_since_last_build(config, moment, False, False)
    return last is not None


def settled_site(tmp_path: Path) -> Path:
    """The fixture site built twice, with post files old enough for the "nothing changed"
    check to trust their times; that check holds on it."""
    root = copy_fixture("feedsite", tmp_path / "site")
    old = time.time() - 60
    for path in (root / "content").rglob("*.md"):
        os.utime(path, (old, old))
    build(root)
    build(root)  # records the files' times
    assert nothing_changed(root)
    return root


# --- the key -----------------------------------------------------------------------------------


@pytest.mark.parametrize("library", ["mistune", "nh3", "PyYAML", "feedgen", "python-liquid"])
def test_another_library_version_discards_the_cache_and_the_shortcut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str
) -> None:
    root = settled_site(tmp_path)
    installed = cache.installed_version

    def upgraded(name: str) -> str:
        return "99.0" if name == library else installed(name)

    monkeypatch.setattr(cache, "installed_version", upgraded)
    cache.code_key.cache_clear()
    assert not nothing_changed(root)
    site = build(root)
    assert site.cache is not None and site.cache.discarded == "settings or version changed"


def test_an_edited_source_file_discards_the_cache_and_the_shortcut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    copies = []
    for path in cache.source_files():
        copy = package / path.relative_to(Path(cache.__file__).parent.parent)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        copies.append(copy)
    monkeypatch.setattr(cache, "source_files", lambda: copies)
    cache.code_key.cache_clear()
    root = settled_site(tmp_path)
    renderer = package / "content" / "markdown.py"
    stat = renderer.stat()
    text = renderer.read_text(encoding="utf-8")
    renderer.write_text(text.replace("escape", "ESCAPE", 1), encoding="utf-8")
    os.utime(renderer, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time
    cache.code_key.cache_clear()
    assert not nothing_changed(root)
    site = build(root)
    assert site.cache is not None and site.cache.discarded == "settings or version changed"


def test_the_package_source_is_every_module_and_data_file() -> None:
    package = Path(cache.__file__).parent.parent
    names = {p.relative_to(package).as_posix() for p in cache.source_files()}
    assert {"cli.py", "incremental/cache.py", "content/markdown.py"} <= names
    assert {"data/feeds.html", "data/feed-style.xsl", "data/digests.html"} <= names
    assert not any("__pycache__" in n for n in names)


def test_installed_versions_are_those_importlib_metadata_reports() -> None:
    for name in cache.DEPENDENCIES:
        assert cache.installed_version(name) == importlib.metadata.version(name), name
    assert cache.installed_version("no-such-distribution-here") == ""


IFRAME_POST = """---
title: A talk
date: 2024-11-19T10:00:00
---
The recording:

<iframe src="https://media.example.org/talk/1"></iframe>
"""


def test_a_markdown_setting_change_renders_posts_again(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    (root / "content/posts/talk.md").write_text(IFRAME_POST)
    build(root)
    assert "media.example.org/talk/1" not in (root / "public/rss.xml").read_text()
    config = root / "config.toml"
    config.write_text(config.read_text() + '\n[markdown]\niframe_hosts = ["media.example.org"]\n')
    build(root)
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns(".syndicate", "public"))
    build(cold)
    assert (root / "public/rss.xml").read_bytes() == (cold / "public/rss.xml").read_bytes()
    assert "media.example.org/talk/1" in (root / "public/rss.xml").read_text()


def test_a_root_links_change_renders_posts_again(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    config = root / "config.toml"
    text = config.read_text()
    base = re.search(r'base_url = "([^"]+)"', text)
    assert base is not None
    config.write_text(text.replace(base.group(0), 'base_url = "https://example.org/blog/"'))
    (root / "content/posts/about-link.md").write_text(
        "---\ntitle: Link\ndate: 2024-11-19\n---\nSee [about](/about/).\n"
    )
    build(root)
    assert "https://example.org/about/" in (root / "public/rss.xml").read_text()
    text = config.read_text().replace("[site]\n", '[site]\nroot_links = "base_url"\n', 1)
    config.write_text(text)
    build(root)
    assert "https://example.org/blog/about/" in (root / "public/rss.xml").read_text()


# --- rows -------------------------------------------------------------------------------------


def every_field_set() -> Post:
    zone = ZoneInfo("Europe/Lisbon")
    return Post(
        source=Path("/site/content/posts/a/index.md"),
        body_line=4,
        title="A",
        slug="a",
        section="posts",
        permalink="https://example.com/posts/a/",
        id="tag:example.com,2024:a",
        date=datetime(2024, 3, 31, 1, 30, tzinfo=zone),  # the hour clocks skip that night
        updated=datetime(2024, 10, 27, 1, 30, tzinfo=zone, fold=1),  # the hour seen twice
        description="d",
        excerpt="e",
        authors=(Author("Jo", "jo@example.com", "https://jo.example.com/", "a.png"),),
        tags=("x", "y"),
        categories=("c",),
        series=("s",),
        image=Asset("https://example.com/a.png", Path("/site/content/posts/a/a.png")),
        image_alt="alt",
        draft=True,
        in_feeds=False,
        summary_only=True,
        body="Body *text*",
        bundle=Path("/site/content/posts/a"),
        expires=datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=-3))),
        params={"event": date(2024, 5, 1), "tickets": [1, 2.5, None, True], "nested": {"k": "v"}},
        body_digest="0123",
        templated=True,
    )


def test_the_row_follows_posts_fields() -> None:
    names = tuple(f.name for f in dataclasses.fields(Post))
    assert names == cache.POST_FIELDS
    assert len(cache.post_row(every_field_set())) == len(names)


def test_every_post_field_survives_the_cache_exactly() -> None:
    post = every_field_set()
    back = cache.row_post(marshal.loads(marshal.dumps(cache.post_row(post))))
    for f in dataclasses.fields(Post):
        mine, theirs = getattr(post, f.name), getattr(back, f.name)
        assert same(mine, theirs), f.name
        if isinstance(mine, datetime):  # the same wall time, zone and fold, not just instant
            assert (mine.isoformat(), mine.tzinfo, mine.fold) == (
                theirs.isoformat(),
                theirs.tzinfo,
                theirs.fold,
            ), f.name


def test_a_field_of_a_type_the_cache_cannot_store_stops_the_import() -> None:
    @dataclasses.dataclass
    class Wider:
        title: str
        seen: set[int]

    with pytest.raises(TypeError, match=r"Wider.seen: the build cache cannot store a set\[int\]"):
        cache._field_codecs(Wider)


def test_the_field_list_is_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.code_key()
    monkeypatch.setattr(cache, "POST_FIELDS", (*cache.POST_FIELDS, "added"))
    cache.code_key.cache_clear()
    assert cache.code_key() != before


def test_the_cache_holds_no_pickle_for_dated_front_matter(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    post = root / "content/posts/first.md"
    post.write_text(post.read_text().replace("---\n", "---\nevent: 2024-05-01\n", 1))
    build(root)
    site = build(root)  # from the cache
    assert site.cache is not None
    for entry in site.cache.files.values():
        assert entry.blob is not None
        assert not any(isinstance(v, bytes) for v in walk(marshal.loads(entry.blob)))
    dated = [p for p in site.posts if "event" in p.params]
    assert [p.params["event"] for p in dated] == [date(2024, 5, 1)]


# --- front-matter values -------------------------------------------------------------------------

ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=5, minutes=30))])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary(max_size=8)
    | st.dates()
    | st.datetimes(timezones=ZONES)
    | st.datetimes(timezones=st.sampled_from([ZoneInfo("Europe/Lisbon")]))
    | st.times(timezones=ZONES)
)
KEYS = st.text() | st.integers() | st.booleans() | st.dates() | st.none()
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=4)
        | st.tuples(inner, inner)
        | st.sets(st.text() | st.integers() | st.dates(), max_size=3)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), VALUES, max_size=5))
def test_any_front_matter_value_comes_back_the_same(params: dict[str, Any]) -> None:
    row = cache.params_row(params)
    assert all(type(v) in MARSHAL_SAFE for v in walk(row))
    back = cache.row_params(marshal.loads(marshal.dumps(row)))
    assert same(back, params)


MARSHAL_SAFE = {type(None), bool, int, float, str, bytes, list, dict, tuple, set, frozenset}


def walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(k)
            yield from walk(v)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from walk(item)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1, 1.0 and True are equal in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (
            list(a) == list(b)
            and all(same(x, y) for x, y in zip(a, b, strict=True))
            and all(same(a[k], b[k]) for k in a)
        )
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (datetime, dt_time)):
        return (
            a == b and a.isoformat() == b.isoformat() and a.tzinfo == b.tzinfo and a.fold == b.fold
        )
    return bool(a == b)


def test_a_front_matter_list_that_holds_itself_comes_back_the_same() -> None:
    loop: list[Any] = [date(2024, 1, 1)]
    loop.append(loop)
    table: dict[str, Any] = {"when": dt_time(9, 30)}
    table["self"] = table
    row = cache.params_row({"loop": loop, "table": table, "pair": (loop, 1)})
    back = cache.row_params(marshal.loads(marshal.dumps(row)))
    assert back["loop"][0] == date(2024, 1, 1) and back["loop"][1] is back["loop"]
    assert back["table"]["when"] == dt_time(9, 30) and back["table"]["self"] is back["table"]
    assert back["pair"][0] is back["pair"][0][1] and back["pair"][1] == 1


def test_front_matter_that_refers_to_itself_builds_from_the_cache(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    (root / "content/posts/loop.md").write_text(
        "---\ntitle: Loop\ndate: 2024-11-01T10:00:00\nloop: &x [*x, 2024-01-01]\n---\nBody\n"
    )
    build(root)
    site = build(root)  # from the cache
    (loop,) = [p.params["loop"] for p in site.posts if "loop" in p.params]
    assert loop[0] is loop and loop[1] == date(2024, 1, 1)
