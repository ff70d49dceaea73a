"""What the template-syntax tests share: real posts copied into a test site, and the HTML and
problems of a loaded site."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from syndicate.build import Site

from .conftest import SiteDir

FRONT_MATTER = "---\ntitle: A\ndate: 2024-01-01\n---\n"


def copier(folder: Path) -> Callable[[SiteDir, str, str | None], Path]:
    """`fixture(site, name, rel=None)`: the real post `folder/name` copied into the site's
    content (at `rel`, else `posts/name`)."""

    def fixture(site: SiteDir, name: str, rel: str | None = None) -> Path:
        dest = site.root / "content" / (rel or f"posts/{name}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / name, dest)
        return dest

    return fixture


def html_of(loaded: Site, file: str) -> str:
    post = next(p for p in loaded.posts if p.source.name == file)
    return loaded.renderer.html(post)


def problems(loaded: Site) -> list[str]:
    return [str(p) for p in loaded.report.problems]


def body(site: SiteDir, text: str, name: str = "a.md") -> Path:
    return site.post(f"posts/{name}", FRONT_MATTER + text)
