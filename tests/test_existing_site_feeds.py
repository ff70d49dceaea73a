"""After `syndicate init`, every post is at the URL its generator publishes, and each address of
the generator's built-in feeds holds the posts that feed lists, in its order, under its ids
(tests/fixtures/sites/*/*/expected.json: Hugo's and Jekyll's own output, Zola's rules)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import feedparser
import pytest

from syndicate.config import load_config

from .conftest import REPO, RunCli

FIXTURES = REPO / "tests/fixtures/sites"
SITES = sorted(p.parent for p in FIXTURES.glob("*/*/expected.json"))
BUILT = "2026-11-29T00:00:00+00:00"  # when the generators built them (see test_existing_sites)
# Held to every address of their generator's feeds, in every language. hextra-docs is not: its
# theme's own feed template (out of scope) lists nested sections, and Hugo breaks ties between
# its equally weighted, undated docs by each language's collation of their titles.
EVERY_ADDRESS = (
    "hugo/ananke-example",
    "hugo/nats-nested",
    "hugo/nats-site",
    "hugo/tidyverse-blog",
    "jekyll/jekyllrb",
    "jekyll/vespa-blog",
    "zola/fornjot",
    "zola/tabi",
)


def _name(fixture: Path) -> str:
    return f"{fixture.parent.name}/{fixture.name}"


def _expected(fixture: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((fixture / "expected.json").read_text())
    return data


# What a site's deploy sets outside its config, which `init` says it does not read: hextra's
# workflow passes HUGO_BASEURL (its NOTES.md), so its user writes the base URL under [site].
DEPLOYED = {"hugo/hextra-docs": 'base_url = "https://imfing.github.io/hextra/"\n'}


def _init(fixture: Path, tmp_path: Path, run_cli: RunCli, extra: str = "") -> Path:
    site = tmp_path / fixture.name
    shutil.copytree(fixture / "site", site)
    init = run_cli("init", cwd=site)
    assert init.returncode == 0, init.stderr
    config = site / "syndicate.toml"
    deployed = DEPLOYED.get(_name(fixture), "")
    text = config.read_text().replace("\n[site]\n", "\n[site]\n" + deployed)
    config.write_text(text + extra)
    build = run_cli("build", "--now", BUILT, cwd=site)
    assert build.returncode == 0, build.stderr
    return site


@pytest.mark.slow
@pytest.mark.parametrize("fixture", SITES, ids=_name)
def test_every_post_is_at_the_url_its_generator_publishes(
    fixture: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    site = _init(fixture, tmp_path, run_cli, "\n[feeds]\nlimit = 0\n")
    urls: set[str] = set()
    for prefix in _prefixes(site):  # each language's own feed (the default's at the root)
        feed = json.loads((site / _output(site) / prefix / "feed.json").read_text())
        urls.update(item["url"] for item in feed["items"])
    assert urls == {p["url"] for p in _expected(fixture)["posts"]}


@pytest.mark.slow
@pytest.mark.parametrize("fixture", [FIXTURES / n for n in EVERY_ADDRESS], ids=_name)
def test_each_address_of_the_generators_feeds_holds_what_that_feed_listed(
    fixture: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    site = _init(fixture, tmp_path, run_cli)
    output = site / _output(site)
    checked = 0
    for feed in _expected(fixture)["feeds"]:
        wanted = [(i["link"], i["guid_or_id"]) for i in feed["items"] if i["is_post"]]
        if not wanted:
            continue  # a feed of no post (a list of terms, an empty term): nothing to continue
        parsed = feedparser.parse((output / feed["address"].lstrip("/")).read_bytes())
        assert not parsed.bozo, (feed["address"], parsed.get("bozo_exception"))
        got = [(e.link, e.id) for e in parsed.entries]
        assert got == wanted, feed["address"]
        checked += 1
    assert checked == sum(
        any(i["is_post"] for i in f["items"]) for f in _expected(fixture)["feeds"]
    )


def _output(site: Path) -> str:
    return str(load_config(site / "syndicate.toml").output_dir.relative_to(site))


def _prefixes(site: Path) -> list[str]:
    settings = load_config(site / "syndicate.toml").generator
    languages = settings.languages if settings else ()
    return [lang.prefix for lang in languages] or [""]
