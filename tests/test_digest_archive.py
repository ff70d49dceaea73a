"""The digests' archive: what `digest` published, published again by `build` after the site's
generator emptied the output folder; and the feeds page and OPML file a digest brings up to
date."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from .conftest import NOW, RunCli, copy_fixture

WEEKS = ("2024-W13", "2024-W14")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_fixture("feedsite", tmp_path / "feedsite")


def digests(root: Path, run_cli: RunCli, *weeks: str) -> None:
    for week in weeks:
        result = run_cli("digest", "--week", week, "--now", NOW, cwd=root)
        assert result.returncode == 0, result.stderr


def build(root: Path, run_cli: RunCli, *options: str) -> str:
    result = run_cli("build", "--now", NOW, *options, cwd=root)
    assert result.returncode == 0, result.stderr
    return result.stdout


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def empty(folder: Path) -> None:
    """What Jekyll and Zola do to their output folder before each build: everything in it goes,
    syndicate's manifest too."""
    for path in folder.iterdir():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def test_a_build_after_the_generator_emptied_the_output_publishes_the_digests_again(
    root: Path, run_cli: RunCli
) -> None:
    build(root, run_cli)
    digests(root, run_cli, *WEEKS)
    public = root / "public"
    published = files(public / "digests")
    assert {"2024-W13/index.html", "2024-W14/digest.json", "index.html", "atom.xml"} <= set(
        published
    )
    empty(public)
    build(root, run_cli)
    assert files(public / "digests") == published  # the very bytes `digest` wrote
    for page in ("feeds.html", "feeds.opml"):
        assert "/digests/atom.xml" in (public / page).read_text(), page
    assert "nothing changed" in build(root, run_cli)  # and then nothing to do


def test_the_index_and_feeds_are_put_back_as_kept_and_made_again_when_they_would_differ(
    root: Path, run_cli: RunCli
) -> None:
    """The digests' index and feeds are kept in the outbox with what they were made of: after
    the generator emptied the output folder, the build copies them (it does not make them
    again); kept for other records or another config, they are made again."""

    from .fresh_process import in_a_fresh_process

    build(root, run_cli)
    digests(root, run_cli, *WEEKS)
    published = files(root / "public/digests")
    kept = list((root / "outbox/.pages").iterdir())
    assert len(kept) == 1 and files(kept[0] / "digests") == {
        path: data for path, data in published.items() if "/" not in path
    }
    empty(root / "public")
    made = in_a_fresh_process(_build_counting_pages, str(root))
    assert made == 0 and files(root / "public/digests") == published
    config = (root / "config.toml").read_text()
    (root / "config.toml").write_text(config.replace('title = "', 'title = "New ', 1))
    empty(root / "public")
    assert in_a_fresh_process(_build_counting_pages, str(root)) == 1  # another title
    assert "New " in (root / "public/digests/index.html").read_text()
    assert len(list((root / "outbox/.pages").iterdir())) == 1  # the last made only


def _build_counting_pages(folder: str) -> int:
    """A build of the site in `folder`, in this process; how many times it made the digests'
    index and feeds."""
    from syndicate import cli
    from syndicate.digest import webcopy

    made = [0]
    make = webcopy.digests_pages

    def counted(*args: object) -> object:
        made[0] += 1
        return make(*args)  # type: ignore[arg-type]

    webcopy.digests_pages = counted  # type: ignore[assignment]
    try:
        cli.main(["build", "--now", NOW, "--config", f"{folder}/config.toml"])
    except SystemExit as exc:
        assert not exc.code, exc.code
    return made[0]


def test_the_digests_pages_stay_the_digests_own(root: Path, run_cli: RunCli) -> None:
    digests(root, run_cli, *WEEKS)
    empty(root / "public")
    build(root, run_cli)
    manifest = (root / "public/.syndicate-manifest.json").read_text()
    assert '"digests/2024-W13/index.html": "digest"' in manifest
    assert '"digests/atom.xml": "digest"' in manifest
    # A digest removed from the archive is no longer published, and a build never prunes one.
    shutil.rmtree(root / "outbox/2024-W13")
    (root / "public/digests/2024-W14/index.html").unlink()
    build(root, run_cli, "--no-cache")
    assert (root / "public/digests/2024-W14/index.html").is_file()
    assert (root / "public/digests/2024-W13/index.html").is_file()


def test_only_missing_pages_make_a_build_publish_again(root: Path, run_cli: RunCli) -> None:
    digests(root, run_cli, *WEEKS)
    build(root, run_cli)
    page = root / "public/digests/2024-W14/index.html"
    before = page.read_bytes()
    (root / "public/digests/2024-W13/index.html").unlink()
    build(root, run_cli)
    assert (root / "public/digests/2024-W13/index.html").is_file()
    assert page.read_bytes() == before


def test_a_digest_after_the_output_was_emptied_still_lists_every_digest(
    root: Path, run_cli: RunCli
) -> None:
    digests(root, run_cli, WEEKS[0])
    empty(root / "public")
    digests(root, run_cli, WEEKS[1])
    atom = feedparser.parse((root / "public/digests/atom.xml").read_bytes())
    assert [e.link.rsplit("/", 2)[1] for e in atom.entries] == ["2024-W14", "2024-W13"]


def test_a_digest_archived_without_its_web_version_is_named(root: Path, run_cli: RunCli) -> None:
    digests(root, run_cli, *WEEKS)
    (root / "outbox/2024-W13/web.html").unlink()  # as an older syndicate left it
    empty(root / "public")
    result = run_cli("build", "--now", NOW, cwd=root)
    assert result.returncode == 0, result.stderr
    assert "outbox/2024-W13" in result.stderr and "syndicate digest --week 2024-W13" in (
        result.stderr
    )
    assert not (root / "public/digests/2024-W13/index.html").exists()
    assert (root / "public/digests/2024-W14/index.html").is_file()
    quiet = run_cli("build", "--now", NOW, "--quiet", "--no-cache", cwd=root)
    assert quiet.returncode == 0 and quiet.stdout == ""


def test_digests_without_their_web_versions_put_no_index_or_feeds_back(
    root: Path, run_cli: RunCli
) -> None:
    """With no web version in the outbox to put back (digests an older syndicate made), the
    index and feeds would link pages that are gone: the build warns of each digest and makes
    neither (nor imports the feed writers for them, at every cold build)."""
    digests(root, run_cli, *WEEKS)
    for week in WEEKS:
        (root / f"outbox/{week}/web.html").unlink()
    empty(root / "public")
    result = run_cli("build", "--now", NOW, cwd=root)
    assert result.returncode == 0, result.stderr
    assert all(f"syndicate digest --week {week}" in result.stderr for week in WEEKS)
    assert not (root / "public/digests").exists()


def test_a_file_not_ours_where_a_digest_page_goes_stops_the_build(
    root: Path, run_cli: RunCli
) -> None:
    digests(root, run_cli, WEEKS[0])
    empty(root / "public")
    (root / "public/digests").mkdir()
    (root / "public/digests/index.html").write_text("the generator's own page\n")
    (root / ".syndicate/manifest.json").unlink()  # nothing says the page was ever ours
    result = run_cli("build", "--now", NOW, cwd=root)
    assert result.returncode == 1
    assert "digests/index.html" in result.stderr and "nothing was written" in result.stderr
    assert (root / "public/digests/index.html").read_text() == "the generator's own page\n"
    assert not (root / "public/rss.xml").exists()


@pytest.mark.skipif(shutil.which("jekyll") is None, reason="Jekyll is not installed")
def test_a_real_jekyll_build_then_syndicate_build(tmp_path: Path, run_cli: RunCli) -> None:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(
        "title: Mini\nurl: https://mini.example.org\nexclude: [syndicate.toml, outbox]\n"
    )
    (site / "_posts/2024-10-29-hello.md").write_text(
        "---\ntitle: Hello\ndate: 2024-10-29 10:00:00 +0000\n---\nHello, world.\n"
    )
    (site / "syndicate.toml").write_text(
        '[site]\ngenerator = "jekyll"\n\n[digest]\nfrom = "Mini <news@mini.example.org>"\n'
    )

    def jekyll() -> None:
        done = subprocess.run(
            ["jekyll", "build", "--quiet"], cwd=site, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr

    jekyll()
    assert run_cli("build", "--now", NOW, cwd=site).returncode == 0
    result = run_cli("digest", "--week", "2024-W44", "--now", NOW, cwd=site)
    assert result.returncode == 0, result.stderr
    published = files(site / "_site/digests")
    jekyll()
    assert not (site / "_site/digests").exists()
    result = run_cli("build", "--now", NOW, cwd=site)
    assert result.returncode == 0, result.stderr
    assert files(site / "_site/digests") == published
    assert "/digests/atom.xml" in (site / "_site/feeds.html").read_text()


# --- the feeds page and OPML file, brought up to date by a digest -----------------------------


def test_the_first_digest_lists_its_feeds_in_the_feeds_page_and_opml(
    root: Path, run_cli: RunCli
) -> None:
    build(root, run_cli)
    digests(root, run_cli, WEEKS[0])
    public = root / "public"
    pages = {name: (public / name).read_bytes() for name in ("feeds.html", "feeds.opml")}
    for name, data in pages.items():
        assert b"/digests/atom.xml" in data, name
    build(root, run_cli)  # what the build writes is what the digest wrote
    assert {name: (public / name).read_bytes() for name in pages} == pages
    manifest = (public / ".syndicate-manifest.json").read_text()
    assert '"feeds.html": "build"' in manifest and '"feeds.opml": "build"' in manifest


def test_a_digest_leaves_a_feeds_page_of_other_posts_to_the_next_build(
    root: Path, run_cli: RunCli
) -> None:
    draft = root / "content/posts/draft.md"
    draft.write_text(
        "---\ntitle: A draft\ndate: 2024-03-01T10:00:00Z\ndraft: true\ntags: [only-in-drafts]\n"
        "---\nNot yet.\n"
    )
    build(root, run_cli, "--drafts")  # a listing the digest, without drafts, cannot make
    public = root / "public"
    before = {name: (public / name).read_bytes() for name in ("feeds.html", "feeds.opml")}
    result = run_cli("digest", "--week", WEEKS[0], "--now", NOW, cwd=root)
    assert result.returncode == 0, result.stderr
    assert {name: (public / name).read_bytes() for name in before} == before
    assert "syndicate build" in result.stdout


def test_a_digest_writes_no_feeds_page_where_no_build_wrote_one(
    root: Path, run_cli: RunCli
) -> None:
    digests(root, run_cli, WEEKS[0])
    assert not (root / "public/feeds.html").exists()
    assert not (root / "public/feeds.opml").exists()


def test_a_digest_withdrawn_as_the_readme_says_leaves_the_index_and_feeds(
    root: Path, run_cli: RunCli
) -> None:
    """README: a digest is published as long as its outbox folder is there, "delete both to
    withdraw it". The next build left the index and the digests' feeds listing it, linking a
    page that was gone: nothing was missing, so nothing was written again."""
    build(root, run_cli)
    digests(root, run_cli, *WEEKS)
    shutil.rmtree(root / "outbox/2024-W14")
    shutil.rmtree(root / "public/digests/2024-W14")
    said = build(root, run_cli)
    assert "published again" in said
    public = root / "public/digests"
    for listing in ("index.html", "rss.xml", "atom.xml", "feed.json"):
        text = (public / listing).read_text(encoding="utf-8")
        assert "2024-W14" not in text and "2024-W13" in text, listing
    assert "published again" not in build(root, run_cli)  # once, not at every build
