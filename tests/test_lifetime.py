"""syndicate/lifetime.py: a build's loaded site is kept to the end only in a process that
ends without freeing anything (`cli.run`); anywhere else it is freed as usual."""

from __future__ import annotations

import weakref
from pathlib import Path

import pytest

from syndicate import lifetime
from syndicate.build import Site, run_build
from syndicate.config import load_config
from syndicate.content.markdown import Renderer
from syndicate.incremental.shortcut import BuildOptions

from .conftest import NOW, copy_fixture


class _Events:
    def removed(self, path: Path) -> None:
        pass

    def reading(self):  # type: ignore[no-untyped-def]
        import contextlib

        return contextlib.nullcontext(None)

    def loaded(self, problems: object, summary: str) -> None:
        pass


def _sites_loaded(root: Path) -> list[weakref.ref[Renderer]]:
    """Build `root` cold, and a weak reference to the renderer of each site it loaded (a Site
    takes none), which the site alone holds."""
    import syndicate.build as building

    loaded: list[weakref.ref[Renderer]] = []
    read = building._read

    def recorded(*args: object, **kwargs: object) -> Site:
        site = read(*args, **kwargs)  # type: ignore[arg-type]
        loaded.append(weakref.ref(site.renderer))
        return site

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(building, "_read", recorded)
        options = BuildOptions(NOW, {}, workers=1, cache=False)
        run_build(load_config(root / "config.toml"), options, _Events())
    return loaded


def test_a_builds_site_is_freed_as_usual_in_a_process_that_goes_on(tmp_path: Path) -> None:
    assert not lifetime.ends_at_once()  # nothing said this process ends at once
    loaded = _sites_loaded(copy_fixture("feedsite", tmp_path / "site"))
    assert len(loaded) == 1 and loaded[0]() is None


def test_a_builds_site_is_held_to_the_end_when_the_process_ends_without_teardown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lifetime, "_held", None)  # put back after the test
    lifetime.ending_without_teardown()
    assert lifetime.ends_at_once()
    loaded = _sites_loaded(copy_fixture("feedsite", tmp_path / "site"))
    renderer = loaded[0]()
    assert renderer is not None and lifetime._held is not None
    [site] = lifetime._held
    assert isinstance(site, Site) and site.renderer is renderer and site.posts
