"""A config read before is rebuilt from its validated values, equal to a fresh validation."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
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


def test_a_process_that_read_the_config_before_does_not_import_pydantic(site: SiteDir) -> None:
    path = rich_site(site)
    probe = (
        "import sys; from syndicate.config import load_config; "
        f"load_config(__import__('pathlib').Path({str(path)!r})); "
        "print('pydantic' in sys.modules)"
    )

    def run() -> str:
        env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run() == "True"
    assert run() == "False"


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
