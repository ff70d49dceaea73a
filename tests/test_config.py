from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.config import load_config
from syndicate.errors import ConfigError

from .conftest import REPO, SiteDir


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def test_sample_config_loads() -> None:
    config = load_config(REPO / "config.toml")
    assert config.site.title == "Slow Data"
    assert config.base_url == "https://slowdata.example.org/"
    assert config.tz.key == "Europe/Lisbon"


def test_wrong_type_names_file_key_and_expectation(site: SiteDir) -> None:
    path = site.config('[feeds]\nlimit = "twenty"\n')
    assert problems_of(path) == [f'{path}: feeds.limit: expected an integer, got "twenty"']


def test_every_problem_is_reported_at_once(site: SiteDir) -> None:
    path = site.config(
        replace="""
[site]
base_url = "example.org"
timezone = "Europe/Lisbn"
permalink = "/{sectoin}/{slug}/"
[feeds]
formats = ["rss", "atum"]
lmit = 3
"""
    )
    assert problems_of(path) == [
        f"{path}: site.title: missing required key",
        f'{path}: site.base_url: expected an absolute http(s) URL, got "example.org"',
        f'{path}: site.timezone: unknown time zone "Europe/Lisbn"; use an IANA name such as '
        '"Europe/Lisbon" or "UTC"',
        f"{path}: site.permalink: unknown placeholder {{sectoin}}; use {{year}}, {{month}}, "
        "{day}, {slug} and {section}",
        f"{path}: feeds.formats[1]: expected one of 'rss', 'atom' or 'json', got \"atum\"",
        f'{path}: feeds.lmit: unknown key (did you mean "limit"?)',
    ]


def test_unknown_table_and_list_item_type(site: SiteDir) -> None:
    path = site.config("[[site.authors]]\nname = 3\n[unknown]\nx = 1\n")
    assert problems_of(path) == [
        f"{path}: site.authors[1].name: expected a string, got 3",
        f"{path}: unknown: unknown key",
    ]


def test_toml_syntax_error_names_the_line(site: SiteDir) -> None:
    path = site.config(replace='[site]\ntitle = "x"\nbase_url = \n')
    [message] = problems_of(path)
    assert message.startswith(f"{path}: invalid TOML:")
    assert "line 3" in message


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    [message] = problems_of(tmp_path / "nope.toml")
    assert "no such file" in message and "--config" in message


def test_secret_values_are_not_accepted(site: SiteDir) -> None:
    # Secrets live in the environment; config.toml has no key that could hold one.
    path = site.config('[feeds]\nhub_password = "hunter2"\n')
    assert problems_of(path) == [f"{path}: feeds.hub_password: unknown key"]


def test_paths_are_relative_to_the_config_file_not_the_cwd(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.config(
        "[site]\n",
        replace=site.config_text.replace(
            'permalink = "/{section}/{slug}/"',
            'permalink = "/{section}/{slug}/"\noutput_dir = "out/feeds"\ncontent_dir = "./content"',
        ),
    )
    monkeypatch.chdir(tmp_path)
    config = load_config(Path("site/config.toml"))
    assert config.output_dir == (site.root / "out" / "feeds").resolve()
    assert config.content_dir == (site.root / "content").resolve()
    assert config.state_dir == (site.root / ".syndicate").resolve()


def test_base_url_gets_a_trailing_slash(site: SiteDir) -> None:
    site.config(replace=site.config_text.replace("blog.example.com/", "blog.example.com/sub"))
    assert site.load_config().base_url == "https://blog.example.com/sub/"


def test_tag_authority_must_follow_rfc_4151(site: SiteDir) -> None:
    path = site.config('[feeds]\nid = "tag"\ntag_authority = "example.org"\n')
    [message] = problems_of(path)
    assert "feeds.tag_authority" in message and "RFC 4151" in message
