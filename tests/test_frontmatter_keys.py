"""The one table of front-matter keys: the README's table is its rows, every name of a key reads
the same, a bad value is reported at the line of the name written, and `new` writes its keys."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from syndicate.config import load_config
from syndicate.content.frontmatter import KEYS, KNOWN_NAMES, Key, readme_table
from syndicate.content.loader import ParseContext, SourceFile, parse_file
from syndicate.content.newpost import front_matter
from syndicate.errors import Problem
from syndicate.model import Author, Post

REPO = Path(__file__).resolve().parents[1]
BASE = {"title": "Base", "date": "2024-03-01T09:00:00+01:00"}

# A value for each key that changes the post it is added to (the extra lines a key needs to
# show, such as an image for its alt text, are added to both posts compared).
EXAMPLES: dict[str, tuple[object, dict[str, object]]] = {
    "title": ("Hello", {}),
    "description": ("A summary.", {}),
    "date": ("2024-02-01T10:00:00+00:00", {}),
    "lastmod": ("2024-04-01T10:00:00+00:00", {}),
    "authors": ("Ana Costa", {}),
    "tags": ("Garden", {}),
    "categories": ("Garden", {}),
    "series": ("Garden", {}),
    "draft": (True, {}),
    "publishDate": ("2024-05-01T00:00:00+00:00", {}),
    "expiryDate": ("2025-01-01T00:00:00+00:00", {}),
    "feed": (False, {}),
    "summary_only": (True, {}),
    "feed_excerpt_only": (True, {}),
    "slug": ("other-slug", {}),
    "id": ("urn:example:1", {}),
    "featuredImage": ("https://cdn.example.org/a.jpg", {}),
    "featuredImageAlt": ("A photo", {"featuredImage": "https://cdn.example.org/a.jpg"}),
    "images": (["https://cdn.example.org/b.jpg"], {}),
}
NOT_READ = {"url"}  # known, so kept out of `params`, but it changes nothing

# A value each key refuses; the keys missing here accept anything (and ignore what they cannot
# use).
BAD: dict[str, object] = {
    "title": ["a list"],
    "date": "not a date",
    "lastmod": "not a date",
    "publishDate": "not a date",
    "expiryDate": "not a date",
    "authors": [True],
    "tags": {"a": 1},
    "categories": {"a": 1},
    "series": {"a": 1},
    "draft": [1],
    "feed": [1],
    "summary_only": [1],
    "feed_excerpt_only": [1],
}
NEVER_REFUSED = {"description", "slug", "id", "featuredImage", "featuredImageAlt", "images", "url"}


def context(tmp: Path) -> ParseContext:
    return ParseContext(
        base_url="https://e.org/",
        timezone="UTC",
        permalink="/{section}/{slug}/",
        static_dir=tmp / "static",
        default_authors=(Author("Default"),),
        author_details={"Ana Costa": Author("Ana Costa", "ana@example.org")},
        id_mode="permalink",
        tag_authority=None,
    )


def parse(tmp: Path, meta: dict[str, object]) -> tuple[Post | None, list[Problem]]:
    """The post of a YAML front matter with `meta`'s keys, one a line, in order."""
    path = tmp / "posts" / "x.md"
    path.parent.mkdir(exist_ok=True)
    lines = [f"{key}: {json.dumps(value)}" for key, value in meta.items()]
    path.write_text("---\n" + "\n".join(lines) + "\n---\nThe body.\n", encoding="utf-8")
    return parse_file(SourceFile(str(path), "posts", None), context(tmp))


def post_of(tmp: Path, meta: dict[str, object]) -> Post:
    post, problems = parse(tmp, meta)
    assert post is not None and not problems, [str(p) for p in problems]
    return post


def fields(post: Post) -> Post:
    """The post, but for what its front matter's length and unknown keys make."""
    return dataclasses.replace(post, body_line=0, params={})


def test_readme_key_table_is_the_rows_of_the_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Writing posts\n", 1)[1].split("\n## ", 1)[0]
    start = section.index("| front matter | meaning |")
    table = section[start : section.index("\n\n", start) + 1]
    assert table == readme_table(), "paste readme_table()'s text into the README:\n" + (
        readme_table()
    )


def test_every_key_has_its_own_names_and_a_doc_line() -> None:
    names = [name for key in KEYS for name in key.names]
    assert len(names) == len(set(names)) == len(KNOWN_NAMES)
    assert all(key.doc and "|" not in key.doc and "\n" not in key.doc for key in KEYS)


def test_every_key_is_covered_by_these_tests() -> None:
    assert {key.name for key in KEYS} == set(EXAMPLES) | NOT_READ
    assert {key.name for key in KEYS} == set(BAD) | NEVER_REFUSED


NAMES = [(key, name) for key in KEYS for name in key.names]


@pytest.mark.parametrize(("key", "name"), NAMES, ids=[name for _, name in NAMES])
def test_every_name_of_a_key_reads_as_its_first_name(
    tmp_path: Path, key: Key[object], name: str
) -> None:
    if key.name in NOT_READ:
        post = post_of(tmp_path, {**BASE, name: "/somewhere/"})
        assert post.params == {} and fields(post) == fields(post_of(tmp_path, BASE))
        return
    value, extra = EXAMPLES[key.name]
    plain = post_of(tmp_path, {**BASE, **extra})
    first = post_of(tmp_path, {**BASE, **extra, key.name: value})
    assert first.params == {} and fields(first) != fields(plain)
    assert post_of(tmp_path, {**BASE, **extra, name: value}) == first


REFUSING = [(key, name) for key, name in NAMES if key.name in BAD]


@pytest.mark.parametrize(("key", "name"), REFUSING, ids=[name for _, name in REFUSING])
def test_a_refused_value_is_reported_at_the_line_of_the_name_written(
    tmp_path: Path, key: Key[object], name: str
) -> None:
    meta = {**BASE, "weight": 3, name: BAD[key.name]}
    post, problems = parse(tmp_path, meta)
    line = list(meta).index(name) + 2  # after the opening `---`
    assert post is None
    assert [(p.severity, p.location and p.location.line) for p in problems] == [("error", line)]
    assert name in problems[0].message


@pytest.mark.parametrize("fmt", ["yaml", "toml"])
def test_a_new_draft_writes_the_keys_the_table_marks_and_reads_back_clean(
    tmp_path: Path, fmt: str
) -> None:
    config = load_config(REPO / "config.toml")
    text = front_matter(config, "Hello", datetime(2024, 7, 1, 12, tzinfo=UTC), fmt)
    fence = "+++" if fmt == "toml" else "---"
    head = text.split(fence)[1]
    written = tomllib.loads(head) if fmt == "toml" else yaml.safe_load(head)
    marked = [k.name for k in KEYS if k.new and not (fmt == "toml" and k.new == "nothing")]
    assert list(written) == marked
    path = tmp_path / "posts" / "hello.md"
    path.parent.mkdir()
    path.write_text(text + "Write here.\n", encoding="utf-8")
    post, problems = parse_file(SourceFile(str(path), "posts", None), context(tmp_path))
    assert post is not None and post.draft and post.params == {} and not problems


@given(st.text(alphabet="[]()ab :/.hts", max_size=60))
def test_an_authors_name_loses_only_its_markdown_links(text: str) -> None:
    """Any name: without a link it is kept as written (spaces joined); with links, the text of
    each is in the name, and the URL taken is one of theirs, a web address."""
    from syndicate.content.frontmatter import _LINK, _linked_name

    name, url = _linked_name(" ".join(text.split()))
    links = _LINK.findall(" ".join(text.split()))
    if not links:
        assert (name, url) == (" ".join(text.split()), None)
    for link_text, _ in links:
        assert " ".join(link_text.split()) in name
    assert url is None or (
        url.startswith(("https://", "http://")) and [u for _, u in links] == [url]
    )
