"""The real-site fixtures are whole: every post the ground truth names is in the trimmed copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SITES = sorted((Path(__file__).parent / "fixtures" / "sites").glob("*/*/expected.json"))


def test_there_is_a_real_site_of_each_generator() -> None:
    assert {path.parent.parent.name for path in SITES} == {"hugo", "jekyll", "zola"}


@pytest.mark.parametrize("expected", SITES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_every_published_post_is_in_the_trimmed_copy(expected: Path) -> None:
    truth = json.loads(expected.read_text(encoding="utf-8"))
    site = expected.parent / "site"
    assert truth["posts"], "a site with no posts tests nothing"
    for post in truth["posts"]:
        assert (site / post["source"]).is_file(), post["source"]
        assert post["url"].startswith(("https://", "http://")), post["url"]
    keys = [(post["source"], post.get("lang")) for post in truth["posts"]]
    assert len(keys) == len(set(keys)), "each post is listed once"
