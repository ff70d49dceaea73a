"""`syndicate new "Title"`: a draft with complete front matter, in the style of the site."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

from ..config import Config
from ..errors import ContentError, Report
from .frontmatter import NewValue, draft_keys
from .loader import discover, slugify


def _style(config: Config) -> tuple[str, str]:
    """The front-matter format most posts use (yaml or toml), and their most common section."""
    sources = discover(config, Report())
    formats: Counter[str] = Counter()
    sections: Counter[str] = Counter()
    for source in sources[:200]:
        try:
            head = source.path.read_text(encoding="utf-8", errors="replace")[:4]
        except OSError:
            continue
        formats["toml" if head.startswith("+++") else "yaml"] += 1
        sections[source.section] += 1
    main = config.site.main_sections
    section = sections.most_common(1)[0][0] if sections else (main[0] if main else "posts")
    return (formats.most_common(1)[0][0] if formats else "yaml"), section


def front_matter(config: Config, title: str, now: datetime, fmt: str) -> str:
    """A draft's front matter in `fmt` (yaml or toml): the keys `KEYS` marks for new posts."""
    date = now.astimezone(config.tz).replace(microsecond=0).isoformat()
    authors = [a.name for a in config.site.authors]
    write = _toml_line if fmt == "toml" else _yaml_lines
    fence = "+++" if fmt == "toml" else "---"
    lines = [fence]
    for name, new in draft_keys():
        lines.extend(write(name, new, title, date, authors))
    lines.append(fence)
    return "\n".join(lines) + "\n\n"


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
    """Create the post and return its path. Raises ContentError rather than overwrite anything."""
    slug = slugify(title)
    if not slug:
        raise ContentError(f"{title!r} has no letters or digits to make a file name from")
    fmt, usual = _style(config)
    folder = config.content_dir / (section or usual)
    path = folder / slug / "index.md" if bundle else folder / f"{slug}.md"
    for existing in (folder / f"{slug}.md", folder / slug / "index.md"):
        if existing.exists():
            raise ContentError(
                f"{existing} already exists; nothing was written",
                "choose another title, or edit that post",
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never replace a file
        handle.write(front_matter(config, title, now, fmt) + "Write here.\n")
    return path
