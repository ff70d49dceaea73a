"""Write a deterministic synthetic site of N posts shaped like real Hugo posts.

Front matter has exactly the shape of the real posts syndicate reads (title, description,
authors list, tags, categories, series, a quoted date with an offset, an empty lastmod, a
../static/ featured image, draft); bodies are 300-1,500 words of the usual Markdown.

    python bench/generate.py 10000 bench/sites/10000
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


def body(rng: random.Random, index: int) -> str:
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
        else:
            block = paragraph(rng)
        parts.append(block)
        count += len(block.split())
    return "\n\n".join(parts) + "\n"


def front_matter(rng: random.Random, index: int, date: datetime) -> str:
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
        f"draft: {'true' if index % 97 == 0 else 'false'}",
        "---",
        "",
    ]
    return "\n".join(lines)


def generate(count: int, root: Path) -> None:
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
    (root / "config.toml").write_text(CONFIG)
    rng = random.Random(20241105)
    start = datetime(2020, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    span = 5 * 365 * 24 * 3600
    for index in range(count):
        date = start + timedelta(seconds=span * index // max(count, 1))
        text = front_matter(rng, index, date) + body(rng, index)
        (posts / f"post-{index:06d}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
