"""The build cache and parallel work change nothing but speed: outputs stay byte-identical."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate.build import load_site, run_build, write_feeds
from syndicate.config import load_config
from syndicate.content.loader import discover
from syndicate.dates import resolve_now
from syndicate.errors import Problem, Report
from syndicate.incremental.cache import LastBuild
from syndicate.incremental.quick_rebuild import Rebuilt, rebuild
from syndicate.incremental.shortcut import BuildOptions, begin_build

from .conftest import NOW, REPO, RunCli, copy_fixture
from .test_feeds import GOLDEN, GOLDEN_FILES


def build(root: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    config = load_config(root / "config.toml")
    site = load_site(config, now=NOW, env={}, **kwargs)  # type: ignore[arg-type]
    return site, write_feeds(config, site)


def snapshot(public: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(public)): p.read_bytes()
        for p in sorted(public.rglob("*"))
        if p.is_file() and p.name != ".syndicate-manifest.json"
    }


@pytest.mark.parametrize(("use_cache", "workers"), [(False, 1), (True, 1), (True, 2), (False, 4)])
def test_golden_files_with_and_without_cache_and_workers(
    tmp_path: Path, use_cache: bool, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndicate import build as building
    from syndicate.incremental import pool as parallel

    # The fixture is small: make the pool parse and render even so.
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(building, "MIN_PARSED", 1)
    root = copy_fixture("feedsite", tmp_path / "site")
    for _ in range(2):  # the second build runs from the cache
        build(root, use_cache=use_cache, workers=workers)
        for name in GOLDEN_FILES:
            assert (root / "public" / name).read_bytes() == (GOLDEN / name).read_bytes(), name


def test_sample_site_is_identical_cold_and_cached_with_many_workers(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    root.mkdir()
    for name in ("content", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "config.toml", root / "config.toml")
    build(root, use_cache=False, workers=1)
    cold = snapshot(root / "public")
    shutil.rmtree(root / "public")
    build(root, use_cache=True, workers=3)
    build(root, use_cache=True, workers=3)
    assert snapshot(root / "public") == cold


def many_posts(root: Path, count: int) -> None:
    for i in range(count):
        (root / "content/posts" / f"bulk-{i:03d}.md").write_text(
            f"---\ntitle: Bulk {i}\ndate: 2024-02-{1 + i % 27:02d}T10:{i % 60:02d}:00\n"
            f"tags: [t{i % 5}]\n---\nBody *{i}* with [a link](../x/).\n"
        )


def test_edits_renames_and_deletions_between_cached_builds_match_a_cold_build(
    tmp_path: Path,
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    many_posts(root, 120)  # enough for the process pool to be used
    build(root, workers=2)
    posts = root / "content/posts"
    post = posts / "second.md"
    post.write_text(
        post.read_text()
        .replace("Second, with an excerpt", "Second, edited")
        .replace("the rest", "the edited rest")
    )
    (posts / "bulk-007.md").rename(posts / "bulk-renamed.md")
    (posts / "bulk-011.md").unlink()
    (posts / "first.md").write_text(
        (posts / "first.md").read_text().replace("[Intro, python]", "[python]")
    )
    _, result = build(root, workers=2)
    assert result.rendered >= 1
    cached = snapshot(root / "public")
    cold_root = tmp_path / "cold"
    shutil.copytree(root, cold_root, ignore=shutil.ignore_patterns(".syndicate", "public"))
    build(cold_root, use_cache=False, workers=1)
    assert cached == snapshot(cold_root / "public")
    assert not (root / "public/tags/intro").exists()


def test_one_edit_regenerates_only_the_feeds_that_show_it(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    build(root)
    post = root / "content/posts/third.md"
    post.write_text(post.read_text().replace("Third, summary only", "Third, renamed"))
    _, result = build(root)
    changed = sorted(result.written.written)
    assert "rss.xml" in changed and "tags/python/feed.json" in changed
    assert not any(p.startswith("series/") for p in changed)  # third is in no series
    assert result.rendered == 0  # its summary is its description; no body is shown


def test_a_damaged_cache_is_rebuilt_never_trusted(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    build(root)
    good = snapshot(root / "public")
    cache = root / ".syndicate/cache/build.bin"
    data = bytearray(cache.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cache.write_bytes(bytes(data))
    shutil.rmtree(root / "public")
    site, _ = build(root)
    assert site.cache is not None and site.cache.discarded and "damaged" in site.cache.discarded
    assert snapshot(root / "public") == good
    cache.write_bytes(b"garbage")
    site, _ = build(root)
    assert site.cache is not None and site.cache.discarded


def test_a_settings_change_discards_the_cache(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    build(root)
    config = root / "config.toml"
    config.write_text(
        config.read_text().replace(
            'permalink = "/{year}/{month}/{slug}/"', 'permalink = "/p/{slug}/"'
        )
    )
    site, _ = build(root)
    assert site.cache is not None and site.cache.discarded == "settings or version changed"
    assert "https://fixture.example.net/blog/p/second/" in (root / "public/rss.xml").read_text()


def test_unchanged_rebuild_writes_nothing_and_notices_changes(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    import os
    import time

    assert run_cli("build", "--now", NOW, cwd=root).returncode == 0
    old = time.time() - 60  # files older than the cache: their times can be trusted
    for path in root.rglob("*.md"):
        os.utime(path, (old, old))
    assert run_cli("build", "--now", NOW, cwd=root).returncode == 0  # records the times
    again = run_cli("build", "--now", NOW, cwd=root)
    assert "nothing changed since the last build; no file written" in again.stdout
    (root / "public/rss.xml").unlink()
    repaired = run_cli("build", "--now", NOW, cwd=root)
    assert "nothing changed" not in repaired.stdout and (root / "public/rss.xml").exists()
    later = run_cli("build", "--now", "2024-11-21T12:00:00+00:00", cwd=root)
    assert "nothing changed" in later.stdout  # no post was due in between


def test_the_shortcut_says_again_what_grouping_the_posts_warned_of_after_either_build(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A term written two ways is a warning of grouping the posts, which a build with nothing
    changed did not say again after a full build nor after a quick one (tidyverse.org:
    'Romain Francois' and 'Romain François'): every build says the same warnings."""
    root = copy_fixture("feedsite", tmp_path / "site")  # its posts write `python`, `Python`
    edited = root / "content/posts/second.md"

    def warnings(expect: str) -> list[str]:
        done = run_cli("build", "--now", NOW, cwd=root)
        assert done.returncode == 0 and expect in done.stdout, done.stdout
        return sorted(line for line in done.stderr.splitlines() if "warning:" in line)

    _aged(root)  # older than the build: the next one trusts their times
    full = warnings(" 15 written")
    assert any("are the same term" in line for line in full), full
    assert warnings("nothing changed") == full
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn edited line.\n")
    _aged(root)
    assert warnings(" 6 written") == full  # the quick rebuild: the feeds showing the post
    assert warnings("nothing changed") == full


def test_the_record_of_a_build_has_each_files_size_on_disk(run_cli: RunCli, tmp_path: Path) -> None:
    """The sizes the record keeps, which the next build checks the output against, are those
    of the files on disk, after a cold build, one that left feeds as they were, and a quick
    one (each takes them from what it wrote or found intact, without a stat each)."""
    root = copy_fixture("feedsite", tmp_path / "site")
    config = load_config(root / "config.toml")
    edited = root / "content/posts/second.md"

    def recorded() -> dict[str, int]:
        last = LastBuild.load(config.state_dir)
        assert last is not None
        return last.outputs

    def on_disk() -> dict[str, int]:
        public = root / "public"
        files = (p for p in public.rglob("*") if p.is_file() and not p.name.startswith("."))
        return {str(p.relative_to(public)): p.stat().st_size for p in files}

    for step in ("cold", "again", "edited"):
        if step == "edited":
            edited.write_text(edited.read_text(encoding="utf-8") + "\nMore text.\n")
        _aged(root)
        assert run_cli("build", "--now", NOW, cwd=root).returncode == 0
        assert recorded() == on_disk(), step


def _aged(root: Path) -> None:
    """The posts' times an hour back: older than the build, so the next can trust them."""
    import os
    import time

    old = time.time() - 3600
    for path in root.rglob("*.md"):
        os.utime(path, (old, old))


def _cut(path: Path, kept: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * kept)])


@pytest.mark.parametrize("kept", [0.0, 0.5])
def test_a_feed_a_power_cut_left_short_is_written_again_with_or_without_an_edit(
    run_cli: RunCli, tmp_path: Path, kept: float
) -> None:
    """A build does not flush a file it makes where there was none (`output._write_changed`):
    a power cut may leave it empty or short under its name. The next build must not trust it,
    whether nothing changed since (the shortcut) or a post was edited (the quick rebuild)."""
    root = copy_fixture("feedsite", tmp_path / "site")
    _aged(root)
    assert run_cli("build", "--now", NOW, cwd=root).returncode == 0
    assert "nothing changed" in run_cli("build", "--now", NOW, cwd=root).stdout
    whole = snapshot(root / "public")
    for rel in ("rss.xml", "tags/intro/atom.xml", "feeds.opml"):
        _cut(root / "public" / rel, kept)
    repaired = run_cli("build", "--now", NOW, cwd=root)
    assert "nothing changed" not in repaired.stdout
    assert snapshot(root / "public") == whole

    name, old, new = CONTENT_EDITS[0]  # second.md, which the intro tag's feeds do not show
    edit(root / "content/posts" / name, old, new)
    _aged(root)
    _cut(root / "public/tags/intro/atom.xml", kept)
    assert run_cli("build", "--now", NOW, cwd=root).returncode == 0
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")


def test_a_cached_post_without_its_body_renders_from_its_file(tmp_path: Path) -> None:
    from syndicate.build import make_renderer

    root = copy_fixture("feedsite", tmp_path / "site")
    fresh, _ = build(root)
    cached, _ = build(root)
    post = next(p for p in cached.posts if p.slug == "second")
    assert post.body == "" and post.body_digest  # read back from the cache
    original = next(p for p in fresh.posts if p.slug == "second")
    renderer = make_renderer(cached.config)  # no HTML cached: it must read the file again
    assert renderer.html(post) == make_renderer(fresh.config).html(original)
    assert "only the full content shows" in renderer.html(post)


# --- the quick rebuild -----------------------------------------------------------------------


def quick(root: Path, now: str = NOW, strict: bool = False) -> Rebuilt | None:
    config = load_config(root / "config.toml")
    report = Report()
    sources = discover(config, report)
    moment = resolve_now(now, {}, config.tz)
    return rebuild(config, moment, (sources, report.problems), (False, False), 1, strict)


def cold_snapshot(root: Path, dest: Path, now: str = NOW) -> dict[str, bytes]:
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(".syndicate", "public"))
    config = load_config(dest / "config.toml")
    write_feeds(config, load_site(config, now=now, env={}, use_cache=False, workers=1))
    return snapshot(dest / "public")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


CONTENT_EDITS = [
    ("second.md", "And this is the rest", "And this is the edited rest"),
    ("second.md", "title: Second, with an excerpt", "title: Second <b>&amp; bold</b>"),
    ("third.md", "Third, summary only", "Third, renamed"),
    ("second.md", "image: /cover.png", "image: /missing.png"),
    ("first.md", "---\n", "---\ndescription: Now with a description\n"),
]


@pytest.mark.parametrize(("name", "old", "new"), CONTENT_EDITS)
def test_a_content_edit_rebuilds_quickly_and_exactly_like_a_cold_build(
    tmp_path: Path, name: str, old: str, new: str
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    build(root)
    before = snapshot(root / "public")
    edit(root / "content/posts" / name, old, new)
    rebuilt = quick(root)
    assert rebuilt is not None, "the quick rebuild should have been used"
    assert rebuilt.result.written.written  # the edit shows in some feed
    assert not rebuilt.result.written.deleted
    after = snapshot(root / "public")
    assert after == cold_snapshot(root, tmp_path / "cold")
    changed = {p for p in after if after[p] != before.get(p)}
    assert changed == set(rebuilt.result.written.written)
    assert quick(root) is not None  # and again, from the plan the quick rebuild saved
    assert snapshot(root / "public") == after


MEMBERSHIP_EDITS = [
    ("first.md", "[Intro, python]", "[python]"),  # a term dropped
    ("second.md", "date: 2024-04-01T09:00:00", "date: 2024-04-02T09:00:00"),
    ("second.md", "series: Basics", "series: Advanced"),
    ("second.md", "---\n", "---\ndraft: true\n"),
    ("second.md", "---\n", "---\nslug: moved\n"),
    ("second.md", "---\n", "---\nlastmod: 2024-10-01T09:00:00\n"),
    ("second.md", "date: 2024-04-01T09:00:00", "date: not a date"),  # now an error
]


@pytest.mark.parametrize(("name", "old", "new"), MEMBERSHIP_EDITS)
def test_an_edit_that_moves_a_post_between_feeds_takes_the_full_build(
    tmp_path: Path, name: str, old: str, new: str
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    build(root)
    edit(root / "content/posts" / name, old, new)
    assert quick(root) is None
    build(root)
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")


def test_what_else_makes_the_quick_rebuild_stand_aside(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    posts = root / "content/posts"
    build(root)
    edit(posts / "second.md", "the rest", "the other rest")
    (root / "public/tags/python/rss.xml").write_text("damaged")
    assert quick(root) is None  # an output file is not what the last build wrote
    build(root)
    (root / "static/cover.png").write_bytes(b"\x89PNG" + b"\0" * 50)
    assert quick(root) is None  # an enclosure changed size
    build(root)
    (posts / "new.md").write_text("---\ntitle: New\ndate: 2024-05-01T09:00:00\n---\nHi.\n")
    assert quick(root) is None  # a post was added
    build(root)
    (posts / "new.md").unlink()
    assert quick(root) is None  # and removed
    build(root)
    config = root / "config.toml"
    edit(config, "limit = 3", "limit = 2")
    assert quick(root) is None  # settings changed
    build(root)
    assert quick(root, now="2024-04-01T00:00:00+00:00") is None  # an earlier --now
    assert quick(root) is not None  # nothing changed at all: a quick, empty rebuild


def test_a_future_post_falling_due_takes_the_full_build(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    posts = root / "content/posts"
    (posts / "later.md").write_text("---\ntitle: Later\ndate: 2024-12-01T09:00:00\n---\nSoon.\n")
    build(root)
    edit(posts / "second.md", "the rest", "the other rest")
    assert quick(root, now="2024-11-30T00:00:00+00:00") is not None
    assert quick(root, now="2024-12-02T00:00:00+00:00") is None  # `later` is published now


def test_the_quick_rebuild_reports_what_a_full_build_reports(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    posts = root / "content/posts"
    (posts / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    edit(posts / "first.md", "---\n", "---\nlastmod: 2000-01-01T00:00:00\n")  # a warning
    site, full = build(root)
    edit(posts / "second.md", "the rest", "the other rest")
    rebuilt = quick(root)
    assert rebuilt is not None
    assert rebuilt.summary == site.summary()
    quick_problems = rebuilt.problems + rebuilt.result.report.problems
    assert [p.message for p in quick_problems] == [p.message for p in site.report.problems]
    assert [p.message for p in rebuilt.result.report.problems] == [
        p.message for p in full.report.problems
    ]
    assert rebuilt.result.lines()[0] == full.lines()[0]
    assert quick(root, strict=True) is None  # --strict stops on the broken post, writing nothing


@pytest.mark.slow
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["first.md", "second.md", "third.md", "fourth.md"]),
            st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_sequence_of_content_edits_matches_a_cold_build(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, str, bool]]
) -> None:
    tmp = tmp_path_factory.mktemp("seq")
    root = copy_fixture("feedsite", tmp / "site")
    build(root)
    for name, text, in_title in edits:
        path = root / "content/posts" / name
        lines = path.read_text().split("\n")
        if in_title:
            at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
            lines[at] = "title: " + json.dumps(text or "x")
        else:
            lines.append(text)
        path.write_text("\n".join(lines))
        if quick(root) is None:
            build(root)
    assert snapshot(root / "public") == cold_snapshot(root, tmp / "cold")


def test_a_rebuild_writes_a_small_journal_and_a_damaged_one_is_never_trusted(
    tmp_path: Path,
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    build(root)
    base = root / ".syndicate/cache/build.bin"
    journal = base.with_suffix(".journal")
    before = base.read_bytes()
    edit(root / "content/posts/second.md", "the rest", "the edited rest")
    assert quick(root) is not None
    assert base.read_bytes() == before and journal.exists()  # only the journal was written
    site, _ = build(root)  # base + journal read back: nothing to parse again
    assert site.cache is not None and not site.cache.discarded
    assert site.cache.files[str(root / "content/posts/second.md")].blob is not None
    good = snapshot(root / "public")
    data = bytearray(journal.read_bytes())
    data[-3] ^= 0xFF
    journal.write_bytes(bytes(data))
    site, _ = build(root)
    assert site.cache is not None and site.cache.discarded and "damaged" in site.cache.discarded
    assert not journal.exists()  # the whole cache was written again
    assert snapshot(root / "public") == good


def test_a_long_journal_is_folded_into_the_base_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndicate.incremental import cache

    monkeypatch.setattr(cache, "JOURNAL_LIMIT", 1)
    root = copy_fixture("feedsite", tmp_path / "site")
    build(root)
    base = root / ".syndicate/cache/build.bin"
    journal = base.with_suffix(".journal")
    edit(root / "content/posts/second.md", "the rest", "the edited rest")
    build(root)
    assert journal.exists()  # one change: within the limit
    for name in ("first.md", "third.md"):
        (root / "content/posts" / name).write_text(
            (root / "content/posts" / name).read_text() + "\nMore.\n"
        )
    before = base.read_bytes()
    build(root)
    assert not journal.exists() and base.read_bytes() != before  # three changes: folded
    site, _ = build(root)
    assert site.cache is not None and not site.cache.discarded
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")


def test_an_earlier_now_never_takes_the_nothing_changed_path(
    run_cli: RunCli, tmp_path: Path
) -> None:
    import os
    import time

    root = copy_fixture("feedsite", tmp_path / "site")
    old = time.time() - 60  # files older than the cache: their times can be trusted
    for path in root.rglob("*.md"):
        os.utime(path, (old, old))
    assert run_cli("build", "--now", NOW, cwd=root).returncode == 0
    assert "nothing changed" in run_cli("build", "--now", NOW, cwd=root).stdout
    earlier = run_cli("build", "--now", "2024-04-02T00:00:00+00:00", cwd=root)
    assert earlier.returncode == 0 and "nothing changed" not in earlier.stdout
    assert "Third" not in (root / "public/rss.xml").read_text()  # not published yet then


_ZONES = st.sampled_from([-11 * 60, -5 * 60, -90, 0, 60, 330, 14 * 60])
_MOMENTS = st.builds(
    lambda naive, minutes: naive.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(2019, 12, 30), max_value=datetime(2021, 1, 2)),
    _ZONES,
)


@settings(max_examples=300, deadline=None)
@given(
    posts=st.lists(st.tuples(_MOMENTS, st.none() | _MOMENTS), max_size=30),
    now=_MOMENTS,
)
def test_the_window_is_the_last_moment_up_to_now_and_the_first_after(
    posts: list[tuple[datetime, datetime | None]], now: datetime
) -> None:
    """Sorted and bisected, the window names the same instants as comparing every post's date
    and expiry with `now` (whatever their offsets, ties at `now` included)."""
    from types import SimpleNamespace

    from syndicate.content.loader import _around

    given_posts = [SimpleNamespace(date=d, expires=e) for d, e in posts]
    moments = [m for d, e in posts for m in (d, e) if m is not None]
    if moments and posts:  # `now` itself among them, in another offset: `<=` keeps it
        moments.append(now.astimezone(UTC))
        given_posts.append(SimpleNamespace(date=moments[-1], expires=None))
    since, until = _around(given_posts, now)  # type: ignore[arg-type]
    assert since == max((m for m in moments if m <= now), default=None)
    assert until == min((m for m in moments if m > now), default=None)


def test_the_static_listing_is_every_file_rglob_finds(tmp_path: Path) -> None:
    """The static folder's file list is part of the cache key: the quick listing must name
    exactly the files `Path.rglob` does (symlinked folders not entered, file symlinks kept)."""
    from syndicate.incremental.cache import _files_under

    root = tmp_path / "static"
    (root / "img" / "deep" / "er").mkdir(parents=True)
    (root / "empty").mkdir()
    for rel in ("a.css", "img/b.jpg", "img/deep/c.png", "img/deep/er/d e.gif", "img/ü.svg"):
        (root / rel).write_bytes(b"x")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "hidden.jpg").write_bytes(b"x")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (root / "alias.jpg").symlink_to(root / "a.css")
    (root / "dangling.jpg").symlink_to(tmp_path / "missing")
    expected = sorted(str(p) for p in root.rglob("*") if p.is_file())
    assert sorted(_files_under(str(root))) == expected
    assert str(root / "alias.jpg") in expected and len(expected) == 6


def test_rewriting_the_base_drops_html_no_current_file_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndicate.incremental import cache

    monkeypatch.setattr(cache, "JOURNAL_LIMIT", 0)  # every rebuild writes the base again
    root = copy_fixture("feedsite", tmp_path / "site")
    site, _ = build(root)
    assert site.cache is not None
    posts = root / "content/posts"
    old_html = set(site.cache.html)
    edit(posts / "second.md", "the rest", "the edited rest")
    gone = next(p for p in sorted(posts.glob("*.md")) if p.name not in ("second.md", "first.md"))
    gone.unlink()
    build(root)
    site, result = build(root)  # read back from the base the rebuild before wrote
    assert site.cache is not None and not site.cache.discarded
    assert result.rendered == 0, "every current post's HTML was kept"
    html = site.cache.html
    current = {k: e.digest for k, e in site.cache.files.items()}
    assert html and all(current.get(k.split("\0")[1]) == k.split("\0")[2] for k in html)
    assert not any(str(gone) in k for k in (*html, *site.cache.summaries))
    assert any(str(posts / "second.md") in k for k in old_html - set(html)), "old version dropped"
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")


def test_strict_after_the_nothing_changed_shortcut_fails_like_a_full_build(
    run_cli: RunCli, tmp_path: Path
) -> None:
    import os

    root = copy_fixture("feedsite", tmp_path / "site")
    (root / "content/posts/broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    old = 1_700_000_000  # long before the cache is written: the shortcut trusts these times
    for path in (root / "content").rglob("*.md"):
        os.utime(path, (old, old))
    full = run_cli("build", "--strict", "--no-cache", "--now", NOW, cwd=root)
    assert full.returncode == 1 and "broken.md" in full.stderr
    for _ in range(2):  # the first writes the feeds, the second records the files' times
        assert run_cli("build", "--now", NOW, cwd=root).returncode == 0
    assert "nothing changed" in run_cli("build", "--now", NOW, cwd=root).stdout
    shortcut = run_cli("build", "--strict", "--now", NOW, cwd=root)
    assert (shortcut.returncode, shortcut.stderr) == (full.returncode, full.stderr)
    lenient = run_cli("build", "--now", NOW, cwd=root)
    assert "broken.md" in lenient.stderr and "(skipped)" in lenient.stderr


def test_a_cache_that_cannot_be_read_or_written_is_a_warning(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    _, first = build(root)
    cold = snapshot(root / "public")
    cache = root / ".syndicate/cache/build.bin"
    cache.write_bytes(b"garbage")
    _, result = build(root)
    assert any("build cache: damaged" in p.message for p in result.report.warnings)
    for path in (root / ".syndicate/cache").iterdir():
        path.unlink()
    cache.mkdir()  # replaced by a folder: it can be neither read nor written
    (root / "content/posts/first.md").write_text(
        (root / "content/posts/first.md").read_text() + "\nMore.\n"
    )
    _, result = build(root)
    messages = [p.message for p in result.report.warnings]
    assert any("build cache: cannot read" in m for m in messages)
    assert any("build cache: cannot write" in m for m in messages)
    assert snapshot(root / "public") != cold
    assert not any("build cache" in p.message for p in first.report.problems)


class Recorded:
    """A build's events (`shortcut.BuildEvents`), kept in the order they came."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def removed(self, path: Path) -> None:
        self.seen.append(f"removed {path.name}")

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        self.seen.append("reading")
        yield None

    def loaded(self, problems: Sequence[Problem], summary: str) -> None:
        self.seen.append(f"loaded: {summary}")


NOTHING_CHANGED = "nothing changed since the last build; no file written"


def test_a_build_tells_what_it_read_and_the_next_ends_where_nothing_changed(
    sample_site: Path,
) -> None:
    config = load_config(sample_site / "config.toml")
    options = BuildOptions(NOW, {})
    events = Recorded()
    begun = begin_build(config, options, events)
    assert begun.outcome is None and begun.discovered is not None
    first = run_build(config, options, events, begun.discovered)
    summary = "13 posts, 1 draft skipped, 1 future"
    assert events.seen == ["reading", f"loaded: {summary}"]
    assert first.written and first.skipped == 0
    again = Recorded()
    unchanged = begin_build(config, options, again).outcome
    assert unchanged is not None, "nothing changed: the shortcut ends the build"
    assert again.seen == [f"loaded: {summary}"]
    assert unchanged.lines == [first.lines[0], f"{NOTHING_CHANGED} ({len(first.written)} files)"]


def test_files_found_without_their_times_get_them_from_the_read(tmp_path: Path) -> None:
    """A build with nothing to compare the files' times with finds them without a stat each
    (`loader.UNSTATED`); the parse fills in each file's time and size, the same a stat gives,
    for the cache and the record of the build to keep."""
    from syndicate.content.loader import UNSTATED

    root = copy_fixture("feedsite", tmp_path / "site")
    config = load_config(root / "config.toml")
    stated = discover(config, Report())
    unstated = discover(config, Report(), with_stat=False)
    assert [s.file for s in unstated] == [s.file for s in stated]
    assert all((s.mtime_ns, s.size) == (UNSTATED, UNSTATED) for s in unstated)
    site = load_site(config, now=NOW, env={}, discovered=(unstated, []), use_cache=True)
    assert site.loaded.sources == stated
    assert site.cache is not None
    assert {(e.mtime_ns, e.size) for e in site.cache.files.values()} == {
        (s.mtime_ns, s.size) for s in stated
    }


def _touched(root: Path) -> None:
    """The posts' times now: too recent for the next build to judge them by their times."""
    import os

    for path in root.rglob("*.md"):
        os.utime(path)


def _ends_at_once(root: Path) -> bool:
    """Whether a build of `root` now ends at "nothing changed"; when not, it builds."""
    config = load_config(root / "config.toml")
    options = BuildOptions(NOW, {})
    begun = begin_build(config, options, Recorded())
    if begun.outcome is not None:
        return NOTHING_CHANGED in begun.outcome.lines[-1]
    run_build(config, options, Recorded(), begun.discovered)
    return False


def test_a_build_of_files_changed_a_moment_ago_is_followed_by_the_shortcut(
    tmp_path: Path,
) -> None:
    """Files changed within a second of the build are recorded with the digest of what it read
    (`LastBuild.recent`), and the next build reads them again instead of building anew."""
    root = copy_fixture("feedsite", tmp_path / "site")
    _touched(root)
    assert not _ends_at_once(root)
    config = load_config(root / "config.toml")
    last = json.loads(LastBuild.path(config.state_dir).read_text())
    assert sorted(last["recent"]) == sorted(s.file for s in discover(config, Report()))
    assert _ends_at_once(root)
    assert _ends_at_once(root)


def test_a_file_changed_again_within_its_time_is_read_again(tmp_path: Path) -> None:
    """A post rewritten after the build read it, with the same size and time (as an edit
    within the time's granularity leaves it): the next build sees the new text."""
    import os

    root = copy_fixture("feedsite", tmp_path / "site")
    _touched(root)
    assert not _ends_at_once(root)
    post = root / "content/posts/second.md"
    before = post.stat()
    edit(post, "And this is the rest", "And this is the REST")
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (post.stat().st_size, post.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert not _ends_at_once(root)
    assert "And this is the REST" in (root / "public/rss.xml").read_text()
    assert _ends_at_once(root)


def test_a_record_without_recent_files_trusts_no_recent_time(tmp_path: Path) -> None:
    """A record of the last build made before recent files were listed (or with one missing)
    cannot vouch for a file changed within a second of it: the build runs."""
    root = copy_fixture("feedsite", tmp_path / "site")
    _touched(root)
    assert not _ends_at_once(root)
    path = LastBuild.path(load_config(root / "config.toml").state_dir)
    last = json.loads(path.read_text())
    del last["recent"]
    path.write_text(json.dumps(last))
    assert not _ends_at_once(root)
