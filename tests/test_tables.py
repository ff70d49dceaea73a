"""A config read before is rebuilt from its validated values, equal to a fresh validation."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate import tables
from syndicate.config import Config, DigestLabels, FeedLabels, load_config
from syndicate.errors import ConfigError

from .conftest import REPO, SiteDir

# Every kind of value the tables hold: nested tables, tables in a dict and a list, aliases
# (`json`, `from`), plural words, constraints, normalised values (base_url's slash), labels
# tables that set some keys only.
RICH = """
[site]
title = "Rich"
base_url = "https://rich.example.org"
language = "en"
timezone = "Europe/Lisbon"
[[site.authors]]
name = "Ana"
email = "ana@example.org"
[authors.ana]
url = "https://ana.example.org/"
[markdown]
iframe_hosts = ["example.org"]
[feeds]
limit = 5
formats = ["rss", "json"]
hub = "https://hub.example.org/"
[feeds.filenames]
json = "items.json"
[feeds.groups.tags]
limit = 3
content = "summary"
[feeds.addresses."tags/{term}.xml"]
feed = "tags"
format = "rss"
terms = ["a", "b"]
[feeds.labels]
tags = "Etikett"
posts = { one = "{count} Beitrag", other = "{count} Beiträge" }
[digest]
from = "Rich <news@example.org>"
[digest.labels]
read_more = "Ler mais"
[delivery]
transport = "postmark"
[delivery.postmark]
recipients_file = "all.txt"
[output]
adopt = ["index.xml"]
"""


def rich_site(site: SiteDir) -> Path:
    path = site.config(replace=RICH)
    (site.root / ".syndicate").mkdir()
    return path


def test_a_config_read_again_equals_the_one_validated(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = rich_site(site)
    first = load_config(path)
    assert (site.root / ".syndicate" / "config.marshal").is_file()

    def no_validation(cls: type[Any], data: Any) -> Any:
        raise AssertionError("validated again")

    monkeypatch.setattr(tables, "validate", no_validation)
    again = load_config(path)
    assert again == first
    assert again.feeds.filenames.json_feed == "items.json"
    assert again.digest.sender == "Rich <news@example.org>"
    assert again.base_url == "https://rich.example.org/"
    # Which keys a table wrote survives: a language's labels fall back key by key.
    assert tables.given(again.digest.labels) == {"read_more"}
    assert tables.given(again.feeds.labels) == {"tags", "posts"}


def test_only_a_config_with_a_problem_imports_pydantic(site: SiteDir) -> None:
    path = site.config(replace=RICH)
    probe = (
        "import pathlib, sys\n"
        "from syndicate.config import load_config\n"
        "from syndicate.errors import ConfigError\n"
        "try:\n"
        f"    load_config(pathlib.Path({str(path)!r}))\n"
        "except ConfigError as exc:\n"
        "    print(exc.problems)\n"
        "print('pydantic' in sys.modules)\n"
    )

    def run() -> list[str]:
        env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    assert run() == ["False"]  # valid: the quick check took it, no store needed
    path.write_text(RICH.replace("limit = 5", 'limit = "5"'), encoding="utf-8")
    problems, imported = run()
    assert "feeds.limit: expected an integer" in problems
    assert imported == "True"  # pydantic found and worded the problem


def test_a_changed_config_is_validated_again_and_its_problems_reported(site: SiteDir) -> None:
    path = rich_site(site)
    load_config(path)
    path.write_text(RICH.replace("limit = 5", 'limit = "5"'), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [f'{path}: feeds.limit: expected an integer, got "5"']


@pytest.mark.parametrize(
    "damage", [b"", b"SYNDICATE-TABLES-1\n\x00garbage", b"not ours", b"SYNDICATE-TABLES-1\n"]
)
def test_a_damaged_store_is_ignored_and_written_again(site: SiteDir, damage: bytes) -> None:
    path = rich_site(site)
    expected = load_config(path)
    store = site.root / ".syndicate" / "config.marshal"
    store.write_bytes(damage)
    assert load_config(path) == expected
    assert store.read_bytes().startswith(b"SYNDICATE-TABLES-1\n")
    assert store.read_bytes() != damage


def test_a_store_naming_a_table_that_does_not_exist_is_not_used(site: SiteDir) -> None:
    path = rich_site(site)
    expected = load_config(path)
    store = site.root / ".syndicate" / "config.marshal"
    text = store.read_bytes().replace(
        b"syndicate.config.BuildTable", b"syndicate.config.Nope_Table"
    )
    store.write_bytes(text)
    assert load_config(path) == expected


def test_nothing_is_written_without_a_state_folder(site: SiteDir) -> None:
    load_config(site.config())
    assert not (site.root / ".syndicate").exists()


def test_the_state_folder_the_config_names_holds_the_store(site: SiteDir) -> None:
    path = site.config()
    text = path.read_text(encoding="utf-8").replace("[site]\n", '[site]\nstate_dir = "state"\n', 1)
    path.write_text(text, encoding="utf-8")
    (site.root / "state").mkdir()
    load_config(path)
    assert (site.root / "state" / "config.marshal").is_file()


def _kept_sizes(site: SiteDir) -> int:
    store = site.root / ".syndicate" / "config.marshal"
    return len(tables._read(store))


def test_the_store_keeps_the_last_few_configs(site: SiteDir) -> None:
    path = rich_site(site)
    for limit in range(10):
        path.write_text(RICH.replace("limit = 5", f"limit = {limit}"), encoding="utf-8")
        load_config(path)
    assert _kept_sizes(site) == 4


# Label text: any Unicode XML can hold, no braces (they are placeholders, checked elsewhere).
LABEL = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="{}\ufffe\uffff"),
    min_size=1,
    max_size=20,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    feeds=st.dictionaries(st.sampled_from(["series", "tags", "everything", "newsletter"]), LABEL),
    digest=st.dictionaries(st.sampled_from(["read_more", "unsubscribe", "follow"]), LABEL),
)
def test_labels_come_back_from_the_store_as_validated(
    feeds: dict[str, str], digest: dict[str, str]
) -> None:
    for cls, data in ((FeedLabels, feeds), (DigestLabels, digest)):
        made = tables.validate(cls, data)
        back = tables._rebuilt(tables._plain(made))
        assert back == made
        assert tables.given(back) == set(data)


def test_every_table_of_the_sample_config_round_trips() -> None:
    config = load_config(REPO / "config.toml")
    for field in dataclasses.fields(Config):
        value = getattr(config, field.name)
        if isinstance(value, tables.Table):
            assert tables._rebuilt(tables._plain(value)) == value, field.name


def test_the_store_is_marshal_data_never_pickle(site: SiteDir) -> None:
    path = rich_site(site)
    load_config(path)
    data = (site.root / ".syndicate" / "config.marshal").read_bytes()
    assert data.startswith(b"SYNDICATE-TABLES-1\n")
    assert b"pickle" not in data and not data[19:].startswith(b"\x80")  # pickle's PROTO opcode
    assert json.dumps(sorted(tables._read(site.root / ".syndicate" / "config.marshal")))


# --- the quick check takes only what pydantic takes, and makes the same tables ----------------

# Strings that pass or fail each check of the config's tables.
WORDS = [
    *["", "x", "UTC", "Europe/Lisbon", "Nowhere/City", "A_NAME", "1bad", "index.xml", "/abs"],
    *["https://e.org", "https://e.org/x?y", "ftp://e.org", "https://hub.e.org/", "../up"],
    *["/{section}/{slug}/", "/{slug}", "/{nope}/", "{permalink}", "{nope}", "{site}", "a{b"],
    *["Site <news@e.org>", "news@e.org", "bad address", "mailto:x@e.org", "e.org,2020"],
    *["{count} posts", "\x01", "rss", "atom", "json", "tags", "series", "outbox", "hugo"],
]
ANY = st.one_of(
    st.integers(-1, 2), st.sampled_from(WORDS), st.booleans(), st.lists(st.integers(), max_size=1)
)


def values_for(kind: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of `kind`, and now and then a value of another kind."""
    return st.one_of(_values_for(kind, depth), ANY) if depth else _values_for(kind, depth)


def _values_for(kind: Any, depth: int) -> st.SearchStrategy[Any]:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Annotated:
        return values_for(args[0], depth + 1)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(
            *(values_for(a, depth + 1) for a in args if a is not type(None)), st.none()
        )
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(values_for(args[0], depth + 1), max_size=2)
    if origin is dict:
        keys = values_for(args[0], depth + 1).filter(lambda k: isinstance(k, str))
        return st.dictionaries(keys, values_for(args[1], depth + 1), max_size=2)
    if isinstance(kind, type) and issubclass(kind, tables.Table):
        return table_data(kind, depth + 1)
    scalars: dict[Any, st.SearchStrategy[Any]] = {
        str: st.sampled_from(WORDS) | st.text(max_size=4),
        int: st.integers(-1, 700) | st.sampled_from([2**70]),
        float: st.floats() | st.integers(-1, 99),
        bool: st.booleans(),
    }
    return scalars[kind]


def table_data(cls: type[tables.Table], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = {cls.key_of(f.name): f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    required = {
        k for k, f in fields.items() if f.default is f.default_factory is dataclasses.MISSING
    }
    optional = {k: values_for(hints[f.name], depth) for k, f in fields.items() if k not in required}
    written = st.fixed_dictionaries(
        {k: values_for(hints[fields[k].name], depth) for k in required}, optional=optional
    )
    unknown = st.dictionaries(st.sampled_from(["zzz"]), st.integers(), max_size=1)
    return st.builds(lambda a, b: {**a, **b}, written, unknown | st.just({}))


def config_tables() -> list[type[tables.Table]]:
    import syndicate.config as config

    return [
        c
        for c in vars(config).values()
        if isinstance(c, type) and issubclass(c, tables.Table) and c is not tables.Table
    ]


# Values that make the required keys valid, so that the rest of the table is what varies.
VALID_SITE = {"title": "T", "base_url": "https://e.org"}
SETTLED: dict[str, dict[str, Any]] = {"SiteTable": VALID_SITE, "ConfigFile": {"site": VALID_SITE}}


@pytest.mark.parametrize("cls", config_tables(), ids=lambda c: c.__name__)
def test_the_quick_check_takes_what_pydantic_takes_as_pydantic_makes_it(
    cls: type[tables.Table],
) -> None:
    """Both ways: a value pydantic takes never costs its import (all TOML can give is known
    here), and the quick check never takes what pydantic refuses."""
    settled = SETTLED.get(cls.__name__, {})

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=table_data(cls), keep=st.booleans())
    def check(data: dict[str, Any], keep: bool) -> None:
        if keep:
            data = {**data, **settled}
        fast = tables.quick(cls, data)
        try:
            slow = tables.checked(cls, data)
        except tables.Invalid:
            slow = None
        assert (fast is None) == (slow is None), data
        assert repr(tables._plain(fast)) == repr(tables._plain(slow))

    check()


@pytest.mark.parametrize("text", [RICH, (REPO / "config.toml").read_text(encoding="utf-8")])
def test_the_quick_check_takes_a_whole_real_config(text: str) -> None:
    from syndicate.config import ConfigFile

    data = tomllib.loads(text)
    made = tables.quick(ConfigFile, data)
    assert made is not None
    assert repr(tables._plain(made)) == repr(tables._plain(tables.checked(ConfigFile, data)))


def test_tables_are_equal_by_value_and_equal_ones_hash_alike() -> None:
    from syndicate.config import FeedFilenames, PluralWords

    assert FeedLabels() == FeedLabels() and FeedLabels() is not FeedLabels()
    assert FeedLabels(tags="Etikett") != FeedLabels()
    assert hash(FeedLabels(tags="x")) == hash(FeedLabels(tags="x"))
    assert PluralWords(other="a") != FeedFilenames()  # another table: never equal
    assert FeedLabels() != "FeedLabels()"
