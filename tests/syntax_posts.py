"""What the template-syntax tests share: real posts copied into a test site, and the HTML and
problems of a loaded site."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from syndicate.build import Site, load_site
from syndicate.config import load_config

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


def first_lines(loaded: Site) -> list[str]:
    """Each problem as `problems` says it, without its hint (the lines after the first)."""
    return [line.split("\n")[0] for line in problems(loaded)]


def body(site: SiteDir, text: str, name: str = "a.md") -> Path:
    return site.post(f"posts/{name}", FRONT_MATTER + text)


def hugo_post_html(root: Path, text: str, extensions: str = "", unsafe: bool = False) -> str:
    """The HTML a Hugo site's feed shows for one post of `text` (rendered and sanitized), with
    `extensions` as its `[markup.goldmark.extensions]`; `unsafe`: raw HTML kept."""
    config = 'baseURL = "https://example.org/"\ntitle = "T"\n'
    if extensions:
        config += f"[markup.goldmark.extensions]\n{extensions}\n"
    if unsafe:
        config += "[markup.goldmark.renderer]\nunsafe = true\n"
    (root / "content/posts").mkdir(parents=True)
    (root / "hugo.toml").write_text(config)
    (root / "content/posts/a.md").write_text(f"---\ntitle: A\ndate: 2024-01-01\n---\n{text}\n")
    (root / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    site = load_site(load_config(root / "syndicate.toml"), "2025-01-01T00:00:00Z", {})
    return site.renderer.html(site.posts[0])
