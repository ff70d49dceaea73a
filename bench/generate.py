"""Write a deterministic synthetic site of N posts shaped like real Hugo posts.

Front matter has exactly the shape of the real posts syndicate reads (title, description,
authors list, tags, categories, series, a quoted date with an offset, an empty lastmod, a
../static/ featured image, draft); bodies are 300-1,500 words of the usual Markdown.

The `html` corpus is the same site with more of what real Hugo posts carry: raw HTML blocks
(figures, notes, inline markup), more images, and the Hugo shortcodes that render offline
(`figure`, `highlight`, `param`); its config.toml reads them (`[markdown] template_syntax =
"hugo"`).

    python bench/generate.py 10000 bench/sites/10000
    python bench/generate.py 10000 bench/sites/html-10000 html
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

WORDS = (
    "data",
    "research",
    "garden",
    "soil",
    "python",
    "feed",
    "reader",
    "study",
    "results",
    "method",
    "sample",
    "control",
    "group",
    "analysis",
    "model",
    "memory",
    "sleep",
    "city",
    "street",
    "water",
    "light",
    "season",
    "harvest",
    "compost",
    "seed",
    "tool",
    "test",
    "server",
    "client",
    "request",
    "answer",
    "week",
    "month",
    "year",
    "note",
    "draft",
    "review",
    "source",
    "measure",
    "signal",
    "noise",
    "change",
    "growth",
    "pattern",
    "question",
    "evidence",
    "paper",
    "author",
    "journal",
    "report",
    "figure",
    "table",
    "chart",
)
TAGS = [f"topic {i}" for i in range(40)]
CATEGORIES = [f"category {i}" for i in range(10)]
SERIES = [f"Series {chr(65 + i)}" for i in range(15)]
AUTHORS = [
    f"Author {name}"
    for name in ("Ana", "Bruno", "Carla", "Dinis", "Eva", "Filipe", "Gil", "Helena")
]
CONFIG = """[site]
title = "Bench Site"
base_url = "https://bench.example.org/"
description = "A synthetic site for benchmarks."
timezone = "Europe/Lisbon"
permalink = "/{section}/{slug}/"

[[site.authors]]
name = "Bench Editors"
email = "editors@bench.example.org"

[feeds]
limit = 20
stylesheet = false

[digest]
from = "Bench <digest@bench.example.org>"
"""
HUGO_SYNTAX = """
[markdown]
template_syntax = "hugo"
"""
CORPORA = ("bench", "html")
START = datetime(2020, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=1)))
SPAN = 5 * 365 * 24 * 3600


def post_date(index: int, count: int) -> datetime:
    return START + timedelta(seconds=SPAN * index // max(count, 1))


def is_draft(index: int) -> bool:
    return index % 97 == 0


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    text = " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 6)))
    words = text.split()
    i = rng.randrange(len(words))
    words[i] = f"*{words[i]}*"
    j = rng.randrange(len(words))
    words[j] = f"[{words[j]}](https://example.org/{words[j].strip('*.').lower()})"
    return " ".join(words)


def html_block(rng: random.Random, index: int) -> str:
    """Raw HTML, an image, or a shortcode: what the html corpus adds to a post."""
    kind = rng.randrange(7)
    n = rng.randrange(50)
    if kind == 0:
        return (
            f'<figure class="wide"><img src="/img/figure-{n}.jpg" alt="{sentence(rng, 3)}" '
            f'loading="lazy"><figcaption>{sentence(rng, 6)}</figcaption></figure>'
        )
    if kind == 1:
        return f'<div class="note">\n<p>{sentence(rng, 12)} <em>{sentence(rng, 3)}</em></p>\n</div>'
    if kind == 2:
        return f"![{sentence(rng, 3)[:-1]}](../static/img/figure-{n}.jpg)"
    if kind == 3:
        return (
            f'{{{{< figure src="/img/figure-{n}.jpg" alt="{sentence(rng, 3)[:-1]}" '
            f'caption="{sentence(rng, 6)[:-1]}" >}}}}'
        )
    if kind == 4:
        return (
            "{{< highlight python >}}\n"
            f"def g{index}(x):\n    return x + {rng.randint(2, 9)}\n"
            "{{< /highlight >}}"
        )
    if kind == 5:
        return f'{sentence(rng, 8)} {{{{< param "subtitle" >}}}}'
    key = rng.choice("ABCDEF")
    return f"{sentence(rng, 6)} <kbd>Ctrl</kbd>+<kbd>{key}</kbd>, <mark>{sentence(rng, 2)}</mark>"


def body(rng: random.Random, index: int, html: bool = False) -> str:
    parts: list[str] = []
    target = rng.randint(300, 1500)
    count = 0
    while count < target:
        kind = rng.random()
        if kind < 0.08:
            block = f"## {sentence(rng, 4)[:-1]}"
        elif kind < 0.14:
            block = "\n".join(f"- {sentence(rng, 6)}" for _ in range(rng.randint(3, 5)))
        elif kind < 0.18:
            block = f"```python\ndef f{index}(x):\n    return x * {rng.randint(2, 9)}\n```"
        elif kind < 0.21:
            block = "| a | b |\n|---|---|\n" + "\n".join(
                f"| {rng.choice(WORDS)} | {rng.randint(1, 99)} |" for _ in range(3)
            )
        elif kind < 0.23:
            block = f"![figure](../static/img/figure-{index % 50}.jpg)"
        elif kind < 0.25:
            block = "<small>_photo from [Unsplash](https://unsplash.com/)_</small>"
        elif html and kind < 0.40:
            block = html_block(rng, index)
        else:
            block = paragraph(rng)
        parts.append(block)
        count += len(block.split())
    return "\n\n".join(parts) + "\n"


def front_matter(rng: random.Random, index: int, date: datetime, html: bool = False) -> str:
    tags = rng.sample(TAGS, rng.randint(1, 4))
    lines = [
        "---",
        f"title: {sentence(rng, rng.randint(4, 9))[:-1]} {index}",
        f"description: {sentence(rng, 16)}",
        "authors:",
        *[f"  - {a}" for a in rng.sample(AUTHORS, rng.randint(1, 2))],
        "tags:",
        *[f"  - {t}" for t in tags],
        "categories:",
        f"  - {rng.choice(CATEGORIES)}",
        "series:",
        f"  - {rng.choice(SERIES)}",
        f"date: '{date.isoformat()}'",
        "lastmod:",
        f"featuredImage: ../static/img/cover-{index % 50}.jpg",
        f"draft: {'true' if is_draft(index) else 'false'}",
        *([f"subtitle: Part {index % 7}"] if html else []),
        "---",
        "",
    ]
    return "\n".join(lines)


def generate(count: int, root: Path, corpus: str = "bench") -> None:
    if corpus not in CORPORA:
        raise SystemExit(f"unknown corpus {corpus!r}: one of {', '.join(CORPORA)}")
    html = corpus == "html"
    if root.exists():
        shutil.rmtree(root)
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    (root / "static" / "img").mkdir(parents=True)
    for i in range(50):
        (root / "static" / "img" / f"cover-{i}.jpg").write_bytes(
            b"\xff\xd8\xff\xe0" + bytes(2000 + i)
        )
        (root / "static" / "img" / f"figure-{i}.jpg").write_bytes(
            b"\xff\xd8\xff\xe0" + bytes(900 + i)
        )
    (root / "config.toml").write_text(CONFIG + (HUGO_SYNTAX if html else ""))
    rng = random.Random(20241105)
    for index in range(count):
        text = front_matter(rng, index, post_date(index, count), html) + body(rng, index, html)
        (posts / f"post-{index:06d}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:4])
