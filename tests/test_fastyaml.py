from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from frontmatter.default_handlers import YAMLHandler
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndicate.content import fastyaml
from syndicate.content.fastyaml import NOT_SIMPLE

from .conftest import examples

ROOT = Path(__file__).resolve().parent.parent


def pyyaml(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (`True == 1` and `1 == 1.0` in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


# Fragments chosen to hit YAML's edges: indicators, comment and mapping markers, quotes,
# YAML 1.1's implicit types (and near misses), non-ASCII spaces and line breaks.
ATOMS = [
    *("true", "yes", "No", "on", "OFF", "y", "n", "null", "~", "Null", "NULL", "nul"),
    *("0", "-1", "+1", "012", "0o7", "0x1F", "0b101", "1_000", "1:20", "190:20:30"),
    *("1.5", ".5", "1e3", "1.0e+3", ".inf", "-.Inf", ".NaN", "1.2.3", "6.8523015e+5"),
    *("2024-01-01", "2024-10-31T08:00:00Z", "2024-10-31 08:00:00 +01:00", "2024-13-45"),
    *("'2021-11-05T00:48:00+01:00'", '"x"', "'it''s'", "''", '""', "it's", 'say "hi"'),
    *("a: b", "a:b", "a:", "C#", "a #b", "#", "[a, b]", "[]", "[ a ,b ]", "[a,]", "{a: b}"),
    *("- a", "-a", "--", "?a", "? a", ":a", "&x a", "*x", "!x a", "!!str 1", "|", ">"),
    *("%x", "@x", "`x`", "<<", "=", "a\\b", '"a\\nb"', "café", "a\xa0b", "a\tb", "x\u2028y"),
    *("../static/img/cover-0.jpg", "https://example.com/a?b=c#d", "king’s college", "Ana"),
]
values = st.one_of(
    st.sampled_from(ATOMS),
    st.text(alphabet=st.sampled_from(list("ab 1:#'\"[],-{}!&*\\.é\xa0\t~_")), max_size=8),
    st.lists(st.sampled_from(ATOMS), max_size=3).map(" ".join),
    st.text(alphabet=st.sampled_from(list("abé XY-.:'/#")), min_size=1, max_size=10),
)
keys = st.sampled_from(
    ["title", "tags", "draft", "a-b", "_x", "on", "no", "null", "Yes", "k k", "1", "<<", "ü"]
)
separators = st.sampled_from([": ", ":", ":   ", " : ", ":\t"])
indents = st.sampled_from(["", " ", "  ", "    "])


@st.composite
def lines(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["key", "key", "open", "item", "item", "comment", "blank"]))
    if kind == "key":
        return draw(keys) + draw(separators) + draw(values)
    if kind == "open":
        return draw(keys) + draw(st.sampled_from([":", ":  "]))
    if kind == "item":
        return draw(indents) + draw(st.sampled_from(["- ", "-", "-  "])) + draw(values)
    if kind == "comment":
        return draw(indents) + "# " + draw(values)
    return draw(st.sampled_from(["", "  "]))


documents = st.lists(lines(), min_size=1, max_size=8).map("\n".join).map(lambda t: f"\n{t}\n")


@st.composite
def entries(draw: st.DrawFn) -> str:
    """A well-formed entry around a possibly awkward value: most of these are simple."""
    key = draw(keys)
    kind = draw(st.sampled_from(["scalar", "flow", "block"]))
    if kind == "scalar":
        return f"{key}: {draw(values)}"
    if kind == "flow":
        return f"{key}: [{', '.join(draw(st.lists(values, max_size=3)))}]"
    indent = draw(indents)
    items = draw(st.lists(values, min_size=1, max_size=3))
    return f"{key}:" + "".join(f"\n{indent}- {item}" for item in items)


well_formed = st.lists(entries(), min_size=1, max_size=6).map("\n".join).map(lambda t: f"\n{t}\n")


@pytest.mark.slow
@given(st.one_of(documents, well_formed))
@settings(max_examples=examples(3000), deadline=None)
@example("\ntags:\n  - a\n  - b\ndraft: false\n")
@example("\ntags:\n- a\n  - b\n")
@example("\ntags:\n  - a\n- b\n")
@example("\na:\n# note\n  - x\nb: [1, yes, c]\n")
@example("\ntitle: a\ntitle: b\n")
def test_agrees_with_pyyaml_or_stands_aside(text: str) -> None:
    fast = fastyaml.load(text)
    try:
        slow = pyyaml(text)
    except (yaml.YAMLError, ValueError):
        assert fast is NOT_SIMPLE, text
        return
    assert fast is NOT_SIMPLE or same(fast, slow), (text, fast, slow)


@given(st.text(max_size=60))
@settings(max_examples=examples(1000), deadline=None)
def test_any_text_agrees_or_stands_aside(text: str) -> None:
    fast = fastyaml.load(text)
    if fast is NOT_SIMPLE:
        return
    assert same(fast, pyyaml(text)), text


def front_matters() -> list[str]:
    posts = sorted((ROOT / "content").rglob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in posts]
    return [YAMLHandler().split(t)[0] for t in texts if t.startswith("---")]


@pytest.mark.parametrize("fm", front_matters())
def test_takes_the_sample_sites_front_matter(fm: str) -> None:
    """The fast path is taken for posts as people write them, not only stood aside from."""
    fast = fastyaml.load(fm)
    assert fast is not NOT_SIMPLE, fm
    assert same(fast, pyyaml(fm))


def test_takes_the_shapes_posts_use() -> None:
    fm = (
        "\ntitle: Rebuilding the garden\ndescription: 'Two pallets: a tarp'\nauthors:\n"
        "  - Ana Costa\n  - Bruno\ntags: [soil, gardening, 2024]\ndate: '2024-10-29T00:48:00+00:00'"
        "\nlastmod:\nupdated: 2024-10-31T08:00:00Z\nfeaturedImage: ../static/images/a.jpg\n"
        "draft: false\nweight: 3\n# a comment\ntoc: yes\n"
    )
    fast = fastyaml.load(fm)
    assert same(fast, pyyaml(fm))
    assert fast["tags"] == ["soil", "gardening", 2024]
    assert fast["lastmod"] is None and fast["toc"] is True


@pytest.mark.parametrize(
    "fm",
    [
        "\nparams:\n  a: 1\n",  # nesting
        "\nsummary: |\n  text\n",  # block scalar
        "\ntitle: a\n  continued\n",  # multi-line plain scalar
        '\ntitle: "tab\\tbed"\n',  # escape
        "\ntitle: x # comment\n",
        "\nauthors:\n  - name: Ana\n",
        "\ntitle: &a x\nother: *a\n",
        "\non: x\n",  # the key is the boolean true in YAML 1.1
        "\ndate: 2024-13-45\n",  # PyYAML reports it
        "\r\ntitle: x\r\n",
        "\n# only a comment\n",
    ],
)
def test_stands_aside_for_everything_else(fm: str) -> None:
    assert fastyaml.load(fm) is NOT_SIMPLE


def test_every_character_yaml_reads_specially_takes_the_general_path() -> None:
    """Checked for every code point: what YAML 1.1 does not allow, and the tab, carriage return,
    NEL, line and paragraph separators and BOM, which it reads in ways the fast path does not."""

    printable = ((0x20, 0x7E), (0xA0, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF))  # 5.1
    bounds = [(-1, -1), *printable, (0x110000, 0x110000)]
    outside = set().union(*(range(a[1] + 1, b[0]) for a, b in pairwise(bounds)))
    special = {0x9, 0xD, 0x85, 0x2028, 0x2029, 0xFEFF}
    everything = "".join(map(chr, range(0x110000)))
    flagged = {m.start() for m in fastyaml._UNUSUAL.finditer(everything)}
    assert flagged == (outside - {0x9, 0xA, 0xD, 0x85}) | special  # 0xA: the line break


@pytest.mark.slow
@given(st.one_of(documents, well_formed))
@settings(max_examples=examples(2000), deadline=None)
@example("\ntitle: On\nlang: no\ntags: [no, on, yes, true, False]\nno: 3\n")
def test_yaml12_agrees_with_pyyamls_yaml12_loader_or_stands_aside(text: str) -> None:
    # Hugo (goccy/go-yaml since 0.152) and Zola (serde_yaml) read YAML 1.2: `no`, `yes`, `on`
    # and `off` are text there, keys included; only true/false are booleans.
    fast = fastyaml.load(text, yaml12=True)
    try:
        slow = yaml.load(text, Loader=fastyaml.Loader12)
    except (yaml.YAMLError, ValueError):
        assert fast is NOT_SIMPLE, text
        return
    assert fast is NOT_SIMPLE or same(fast, slow), (text, fast, slow)


def test_yaml12_reads_only_true_and_false_as_booleans() -> None:
    text = "\ntitle: On\nlang: no\ntags: [no, on, yes, off, true, False, TRUE]\nno: 3\n"
    expected = {"title": "On", "lang": "no", "tags": ["no", "on", "yes", "off", True, False, True]}
    expected["no"] = 3
    assert fastyaml.load(text, yaml12=True) == expected
    assert yaml.load(text, Loader=fastyaml.Loader12) == expected
    assert fastyaml.load(text) is NOT_SIMPLE  # YAML 1.1: a key `no` is false, for PyYAML
