"""bench/floor.py: the least the libraries take must be measured on the work the build did,
all of it and nothing more, or a BLOCKED verdict would mean nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from .conftest import RunCli, bench_importable

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def bench() -> Iterator[Any]:
    with bench_importable():
        import floor
        import generate

        yield floor, generate


@pytest.fixture
def built(bench: Any, tmp_path: Path, run_cli: RunCli) -> tuple[Path, int]:
    """A generated 40-post site built, and how many posts the build rendered."""
    _floor, generate = bench
    site = tmp_path / "site"
    generate.generate(40, site, "bench")
    result = run_cli("build", "--now", "2025-01-01T00:00:00+00:00", cwd=site)
    assert result.returncode == 0, result.stderr
    rendered = re.search(r"rendered (\d+) posts", result.stdout + result.stderr)
    assert rendered is not None, result.stdout
    return site, int(rendered.group(1))


@pytest.fixture
def built_site(built: tuple[Path, int]) -> Path:
    return built[0]


def _links(document: bytes | Path) -> list[str]:
    root = etree.fromstring(document.read_bytes() if isinstance(document, Path) else document)
    rss = [item.findtext("link") for item in root.iter("item")]
    atom = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    return [str(link) for link in rss + atom]


def test_the_feed_floor_makes_every_document_the_build_wrote_with_the_same_items(
    bench: Any, built_site: Path
) -> None:
    floor, _generate = bench
    written = sorted(
        p
        for p in (built_site / "public").rglob("*.xml")
        if p.name in ("rss.xml", "atom.xml") and "digests" not in p.parts
    )
    docs = floor._documents(built_site / "public")
    made = floor._make_feeds(docs)
    assert len(made) == len(written) > 10
    assert sorted(map(_links, made)) == sorted(map(_links, written))


def test_the_render_floor_renders_the_posts_the_build_rendered_once_each(
    bench: Any, built: tuple[Path, int]
) -> None:
    floor, _generate = bench
    site, rendered = built
    docs = floor._documents(site / "public")
    shown = {url for doc in docs for url in doc.urls}
    assert len(shown) == rendered > 10  # each post some feed shows, as many as the build did
    for url in shown:
        text = floor._post_file(site, url).read_text()
        body = floor._body(site, url)
        assert body.strip() and text.endswith(body) and "\ntitle:" not in body  # no front matter
    render, feeds = floor._work_seconds(site, None)
    assert render > 0 and feeds > 0


def test_an_edit_floor_covers_only_the_documents_that_show_the_post(
    bench: Any, built_site: Path
) -> None:
    floor, _generate = bench
    newest = max((built_site / "content" / "posts").glob("post-*.md"))
    url = floor._post_url(built_site, newest)
    docs = [doc for doc in floor._documents(built_site / "public") if url in doc.urls]
    site_feeds = [built_site / "public" / name for name in ("rss.xml", "atom.xml")]
    assert all(url in _links(path) for path in site_feeds)
    assert 2 <= len(docs) < len(floor._documents(built_site / "public"))
