"""`syndicate new "Title"`: a draft with complete front matter, in the style of the site.

Where the draft goes and how it says it is one follow the site's generator: Hugo and Zola read
`draft` in a post's section folder; Jekyll reads a draft from a `_drafts` folder beside
`_posts`, named without a date, and has no `draft` key
(https://jekyllrb.com/docs/posts/#drafts). Zola files terms under `[taxonomies]`, one list
per taxonomy the site's config declares
(https://www.getzola.org/documentation/content/taxonomies/); a top-level `tags` it ignores.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..config import Config
from ..errors import ContentError, Report, UsageError
from ..sites.jekyll.posts import DRAFTS as JEKYLL_DRAFTS
from ..sites.jekyll.posts import POSTS as JEKYLL_POSTS
from .frontmatter import KEYS, NewValue, draft_keys
from .loader import SourceFile, discover, slugify

_GROUPINGS = {KEYS.tags.name, KEYS.categories.name, KEYS.series.name}


def _style(config: Config) -> tuple[str, str, Path | None]:
    """The front-matter format most posts use (yaml or toml), their most common section, and
    on a Jekyll site the folder that holds the most common `_posts` folder."""
    sources = discover(config, Report())[:200]
    formats: Counter[str] = Counter()
    sections: Counter[str] = Counter()
    for source in sources:
        try:
            head = source.path.read_text(encoding="utf-8", errors="replace")[:4]
        except OSError:
            continue
        formats["toml" if head.startswith("+++") else "yaml"] += 1
        sections[source.section] += 1
    main = config.site.main_sections
    section = sections.most_common(1)[0][0] if sections else (main[0] if main else "posts")
    fmt = formats.most_common(1)[0][0] if formats else "yaml"
    return fmt, section, _jekyll_home(config, sources) if _generator(config) == "jekyll" else None


def _generator(config: Config) -> str | None:
    return config.generator.generator if config.generator else None


def _jekyll_home(config: Config, sources: Sequence[SourceFile]) -> Path:
    """The folder whose `_posts` holds most posts (a `_posts` folder may sit in any folder
    Jekyll reads; the site's source folder when there are none)."""
    homes: Counter[str] = Counter()
    for source in sources:
        parts = Path(source.file).parts
        if JEKYLL_POSTS in parts:
            homes[os.path.join(*parts[: parts.index(JEKYLL_POSTS)])] += 1
    return Path(homes.most_common(1)[0][0]) if homes else config.content_dir


def _jekyll_posts_named(folder: Path, slug: str) -> list[Path]:
    """The posts of `folder` whose name is a date and `slug` (`2024-03-01-slug.md`), which the
    draft would become when published."""
    named = re.compile(r"\d{2,4}-\d{1,2}-\d{1,2}-" + re.escape(slug) + r"\.[^.]+")
    try:
        return sorted(folder / n for n in os.listdir(folder) if named.fullmatch(n))
    except OSError:
        return []


def front_matter(
    config: Config, title: str, now: datetime, fmt: str, generator: str | None = None
) -> str:
    """A draft's front matter in `fmt` (yaml or toml): the keys `KEYS` marks for new posts,
    as `generator` reads them."""
    date = now.astimezone(config.tz).replace(microsecond=0).isoformat()
    authors = [a.name for a in config.site.authors]
    write = _toml_line if fmt == "toml" else _yaml_lines
    fence = "+++" if fmt == "toml" else "---"
    lines = [fence]
    taxonomies = _zola_taxonomies(config) if generator == "zola" else None
    for name, new in draft_keys():
        if generator == "jekyll" and name == KEYS.draft.name:
            continue  # the `_drafts` folder says it
        if taxonomies is not None and name in _GROUPINGS:
            continue  # under [taxonomies], below
        lines.extend(write(name, new, title, date, authors))
    if taxonomies:
        lines.extend(_taxonomies_table(taxonomies, fmt))
    lines.append(fence)
    return "\n".join(lines) + "\n\n"


def _zola_taxonomies(config: Config) -> list[str]:
    """The site's taxonomies that syndicate reads as tags, categories or series."""
    assert config.generator is not None
    return [name for name, grouping in config.generator.rules.taxonomies if grouping in _GROUPINGS]


def _taxonomies_table(names: Sequence[str], fmt: str) -> list[str]:
    keys = [n if _BARE_KEY.fullmatch(n) else _quoted(n) for n in names]
    if fmt == "toml":
        return ["", "[taxonomies]", *(f"{k} = []" for k in keys)]
    return ["taxonomies:", *(f"  {k}: []" for k in keys)]


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")  # a key TOML and YAML both read unquoted


def _yaml_lines(name: str, new: NewValue, title: str, date: str, authors: list[str]) -> list[str]:
    if new == "authors" and authors:
        return [f"{name}:", *[f"  - {_quoted(a)}" for a in authors]]
    value = {
        "title": f" {_quoted(title)}",
        "text": ' ""',
        "now": f" '{date}'",
        "nothing": "",
        "authors": " []",
        "list": " []",
        "true": " true",
    }[new]
    return [f"{name}:{value}"]


def _toml_line(name: str, new: NewValue, title: str, date: str, authors: list[str]) -> list[str]:
    if new == "nothing":
        return []  # TOML has no empty value: the key is left out
    value = {
        "title": _quoted(title),
        "text": '""',
        "now": date,
        "authors": json.dumps(authors, ensure_ascii=False),
        "list": "[]",
        "true": "true",
    }[new]
    return [f"{name} = {value}"]


def _quoted(text: str) -> str:
    """`text` in JSON's double quotes, a form YAML and TOML both read as a string."""
    return json.dumps(text, ensure_ascii=False)


def new_post(
    config: Config, title: str, now: datetime, bundle: bool = False, section: str | None = None
) -> Path:
    """Create the post and return its path. Raises ContentError rather than overwrite anything,
    UsageError for a title or an option it cannot use."""
    slug = slugify(title)
    if not slug:
        raise UsageError(
            f"title {title!r} has no letters or digits to make a file name from",
            'give a title with a word in it: syndicate new "My first post"',
        )
    generator = _generator(config)
    if bundle and generator == "jekyll":
        raise UsageError("--bundle: a Jekyll post is one file, not a folder", "leave out --bundle")
    chosen = _section_folder(config, section) if section else None
    fmt, usual, jekyll_home = _style(config)
    if jekyll_home is not None:
        home = chosen or jekyll_home
        path = home / JEKYLL_DRAFTS / f"{slug}.md"
        taken = [path, *_jekyll_posts_named(home / JEKYLL_POSTS, slug)]
    else:
        folder = chosen or config.content_dir / usual
        path = folder / slug / "index.md" if bundle else folder / f"{slug}.md"
        taken = [folder / f"{slug}.md", folder / slug / "index.md"]
    for existing in taken:
        if existing.exists():
            raise ContentError(
                f"{existing} already exists; nothing was written",
                "choose another title, or edit that post",
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never replace a file
        handle.write(front_matter(config, title, now, fmt, generator) + "Write here.\n")
    return path


_SECTION_HINT = (
    "give --section a folder's path relative to the content folder, such as `posts` or "
    "`notes/2024` (a new one is created), or leave it out for the usual one"
)


def _section_folder(config: Config, section: str) -> Path:
    """The folder `--section` names, refused when it is no folder inside the content folder:
    a path that leaves it would put the post where no build reads it, and a file in its way
    would stop `mkdir` halfway."""
    what = f"a section is a folder inside the content folder ({config.content_dir})"
    relative = os.path.normpath(section)
    if os.path.isabs(relative) or relative.split(os.sep)[0] == os.pardir:
        raise UsageError(f"--section {section}: {what}; this path leaves it", _SECTION_HINT)
    folder = config.content_dir / relative
    for part in (folder, *folder.parents):  # a file anywhere on the way, not only at its end
        if part == config.content_dir:
            break
        if part.exists() and not part.is_dir():
            raise UsageError(f"--section {section}: {part} is a file; {what}", _SECTION_HINT)
    return folder


def read_as_post(config: Config, path: Path) -> bool:
    """Whether the site's posts, as syndicate finds them, include `path` (not one written in
    a folder that is no post section: the generator would not publish it as a post either)."""
    wanted = os.path.abspath(path)
    return any(os.path.abspath(s.file) == wanted for s in discover(config, Report()))
