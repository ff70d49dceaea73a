"""Where Zola publishes a page: its slug and its path below `base_url`.

Followed: https://www.getzola.org/documentation/content/page/ ("Output paths": the `slug` front
matter, else the file name, or the folder's name for `index.md`; a date at the start of the name
is taken off unless `slugify.paths_keep_dates`; then `slugify.paths`; `path` in the front matter
"will override both `slug` and the filename. The sections' path won't be used") and
https://www.getzola.org/documentation/content/multilingual/ (other languages under
`/{code}/`, but not a `path` given in the front matter). Checked against Zola's source,
getzola/zola@b2242262b1df3e238b0b70dce3ae3a5bf3a042e9: components/content/src/page.rs
`Page::parse` (the section folders are used as they are written, only the slug is slugified),
components/content/src/file_info.rs (`find_content_components`, `find_language`),
components/utils/src/slugs.rs (`slugify_paths`) and the `slug` crate 0.1.6 it calls.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from pathlib import PurePath
from typing import Literal, cast
from urllib.parse import quote

SlugifyMode = Literal["on", "safe", "off"]
SLUGIFY_MODES: tuple[SlugifyMode, ...] = ("on", "safe", "off")


@functools.cache
def _transliterate() -> Callable[[str], str]:
    # text-unidecode (python-slugify's own) stands in for the `deunicode` crate: both are
    # ports of the same Text::Unidecode tables.
    module = importlib.import_module("text_unidecode")
    return cast(Callable[[str], str], module.unidecode)


def slug_crate(text: str) -> str:
    """The `slug` crate's `slugify`: each non-ASCII character transliterated, ASCII letters and
    digits kept (lower case), every run of anything else one `-`, none at either end."""
    out: list[str] = []
    dash = True  # no leading `-`
    for char in text:
        for byte in char if char.isascii() else _transliterate()(char):
            if byte.isascii() and byte.isalnum():
                out.append(byte.lower())
                dash = False
            elif not dash:
                out.append("-")
                dash = True
    if out and out[-1] == "-":
        out.pop()
    return "".join(out)


def slugify_paths(text: str, mode: SlugifyMode) -> str:
    """`slugify_paths`: `on` is the `slug` crate; `safe` takes off trailing spaces and dots and
    the characters NTFS forbids; `off` leaves the text alone."""
    if mode == "on":
        return slug_crate(text)
    if mode == "safe":
        return "".join(c for c in text.rstrip(" .") if c not in '<>:"/\\|?*')
    return text


def content_components(file: PurePath) -> list[str]:
    """`find_content_components`: the folders between the first `content` folder and the
    file."""
    parts = file.parent.parts
    if "content" not in parts:
        return []
    return list(parts[parts.index("content") + 1 :])


def page_path(
    components: list[str], slug: str, given: str | None, lang: str, default_lang: str
) -> str:
    """The page's path below `base_url`, starting and ending with `/` (`Page::parse`). A
    `path` given in the front matter is taken as written."""
    if given is not None:
        path = given.strip()
        path = path if path.startswith("/") else f"/{path}"
    else:
        path = "/".join([*components, slug]) if components else slug
        if lang != default_lang:
            path = f"{lang}/{path}"
        path = f"/{path}"
    return path if path.endswith("/") else f"{path}/"


def url_path(path: str) -> str:
    """`path` as a URL path: Zola writes it unencoded (`slugify.paths = "off"` may keep spaces
    and any letter); a feed needs it percent-encoded."""
    return quote(path, safe="/%:@!$&'()*+,;=~")
