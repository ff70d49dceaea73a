"""A digest renderer compiles each of its templates once, however many digests it renders:
the file templates (digest.html, digest.txt, subject.txt) and a language's own subject."""

from __future__ import annotations

import pytest

from syndicate.build import choose_period
from syndicate.digest.editions import language_edition
from syndicate.digest.render import DigestRenderer, posts_in

from .conftest import SiteDir
from .test_digest_languages import WEEK, load, multilingual, write_site  # noqa: F401

RENDERS = 4


@pytest.mark.usefixtures("multilingual")
@pytest.mark.parametrize("code", [None, "de"])
def test_a_renderer_compiles_each_template_once_and_renders_the_same_bytes(
    code: str | None, site: SiteDir, compiled: list[str | None]
) -> None:
    loaded = load(write_site(site))
    period = choose_period(loaded.config, loaded.now, week=WEEK)
    edition = language_edition(loaded.config, code) if code else None
    renderer = DigestRenderer(loaded.config, loaded.renderer, edition=edition)
    posts = renderer.edition.posts(posts_in(period, loaded.posts))
    emails = [renderer.render(period, posts).email for _ in range(RENDERS)]
    assert sorted(compiled, key=str) == sorted(set(compiled), key=str)  # each once
    assert (None in compiled) == (code == "de")  # the German edition's own subject
    # ...and a fresh renderer, which compiles everything again, writes the same message.
    fresh = DigestRenderer(loaded.config, loaded.renderer, edition=edition)
    again = fresh.render(period, posts).email
    assert {e.message for e in emails} == {again.message}
    assert {(e.subject, e.html, e.text) for e in emails} == {
        (again.subject, again.html, again.text)
    }
