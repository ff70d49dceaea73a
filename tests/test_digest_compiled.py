"""The digest's templates, and the pages syndicate writes from its own (feeds.html, the digests'
index), are compiled once and kept in the state folder: a later run renders from the kept
code, and an edited, damaged or foreign file means compiling again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from syndicate.build import choose_period, load_site
from syndicate.config import Config, load_config
from syndicate.digest.compiled import FOLDER, PAGES_FOLDER
from syndicate.digest.render import DigestRenderer, posts_in
from syndicate.feeds.listing import digests_page, feeds_page

from .conftest import NOW, copy_fixture
from .local_templates import this_trees_templates  # noqa: F401

WEEK = "2024-W14"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_fixture("feedsite", tmp_path / "feedsite")


def render(root: Path) -> tuple[tuple[str, str, str, bytes], list[str]]:
    """A digest from a new renderer, as a new run makes it."""
    config = load_config(root / "config.toml")
    loaded = load_site(config, now=NOW, env={})
    period = choose_period(config, loaded.now, week=WEEK)
    result = DigestRenderer(config, loaded.renderer).render(period, posts_in(period, loaded.posts))
    email = result.email
    return (email.subject, email.html, email.text, email.message), result.warnings


def test_a_second_run_renders_from_the_kept_code(site: Path, compiled: list[str | None]) -> None:
    first, _ = render(site)
    assert {"digest.html", "digest.txt", "subject.txt"} <= set(compiled)
    assert list((site / ".syndicate" / FOLDER).glob("*.bin"))
    compiled.clear()
    assert render(site)[0] == first
    assert compiled == []


def test_an_edited_template_is_compiled_again(site: Path, compiled: list[str | None]) -> None:
    render(site)
    templates = site / "email_templates"
    templates.mkdir(exist_ok=True)
    (templates / "subject.txt").write_text("Edited: {{ site.title }}\n")
    compiled.clear()
    (subject, *_), _ = render(site)
    assert subject == "Edited: Fixture & Friends"
    assert compiled == ["subject.txt"]


@pytest.mark.parametrize("damage", [b"", b"\n", b"0" * 64 + b"\n\x00\x01", None])
def test_a_damaged_or_foreign_file_is_compiled_again(
    site: Path, compiled: list[str | None], damage: bytes | None
) -> None:
    first, _ = render(site)
    for path in (site / ".syndicate" / FOLDER).glob("*.bin"):
        data = path.read_bytes()
        # None: the right header over broken code, as a file cut short would have.
        path.write_bytes(data[: data.index(b"\n") + 8] if damage is None else damage)
    compiled.clear()
    assert render(site)[0] == first
    assert {"digest.html", "digest.txt", "subject.txt"} <= set(compiled)


def test_a_folder_that_cannot_be_written_is_a_warning(site: Path) -> None:
    state = site / ".syndicate"
    state.mkdir()
    (state / FOLDER).write_text("a file where the folder goes")
    made, warnings = render(site)
    assert made == render(site)[0]  # rendered all the same, compiled again
    assert any(FOLDER in w and "cannot write" in w for w in warnings)
    assert (state / FOLDER).read_text() == "a file where the folder goes"


def pages(config: Config) -> list[bytes]:
    """The pages syndicate writes from its own templates, as a new run makes them."""
    listed = {"title": "<i>T</i>", "url": None, "label": "1 May", "posts": 3}
    return [feeds_page(config, []).data, digests_page(config, [listed]).data]


@pytest.mark.parametrize("cache", [True, False])
def test_the_feeds_and_digests_pages_are_compiled_once_with_the_cache(
    site: Path, compiled: list[str | None], cache: bool
) -> None:

    def run() -> list[bytes]:  # as a new run: its own config, read again
        config = load_config(site / "config.toml")
        build = dataclasses.replace(config.build, cache=cache)
        return pages(dataclasses.replace(config, build=build))

    first = run()
    assert compiled == ["feeds.html", "digests.html"]
    compiled.clear()
    assert run() == first
    assert compiled == ([] if cache else ["feeds.html", "digests.html"])
    kept = list((site / ".syndicate" / PAGES_FOLDER).glob("*.bin"))
    assert len(kept) == (2 if cache else 0)
    for path in kept:  # damaged: compiled again, to the same pages
        path.write_bytes(b"0" * 64 + b"\n\x00\x01")
    compiled.clear()
    assert run() == first
    assert compiled == ["feeds.html", "digests.html"]


def test_a_pages_folder_that_cannot_be_written_changes_nothing(site: Path) -> None:
    state = site / ".syndicate"
    state.mkdir()
    (state / PAGES_FOLDER).write_text("a file where the folder goes")
    config = load_config(site / "config.toml")
    assert pages(config) == pages(config)
    assert (state / PAGES_FOLDER).read_text() == "a file where the folder goes"
