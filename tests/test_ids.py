"""Item ids: what each id mode survives (the README's table), and the warning `check` gives
for `tag:` ids whose authority follows base_url."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from syndicate.content.loader import tag_id_warning

from .conftest import SiteDir

FEEDS = {
    "permalink": "",
    "tag, default authority": 'id = "tag"\n',
    "tag, tag_authority": 'id = "tag"\ntag_authority = "example.org,2020"\n',
}
POST = "---\ntitle: A\ndate: 2024-01-02\n{extra}---\nx\n"


def post_id(
    root: Path,
    feeds: str,
    base_url: str = "https://blog.example.com/",
    section: str = "posts",
    slug: str = "hello",
    front: str = "",
) -> str:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    site = SiteDir(root)
    site.config(
        replace=f'[site]\ntitle = "T"\nbase_url = "{base_url}"\n'
        f'permalink = "/{{section}}/{{slug}}/"\n[feeds]\n{feeds}'
    )
    (root / "content" / "posts").rmdir()
    site.post(f"{section}/{slug}.md", POST.format(extra=front))
    [post] = site.load().posts
    return post.id


# mode -> (domain change, site folder change, section folder change, slug change): survives?
SURVIVES = {
    "permalink": (False, False, False, False),
    "tag, default authority": (False, True, True, False),
    "tag, tag_authority": (True, True, True, False),
}


@pytest.mark.parametrize("mode", list(SURVIVES))
def test_what_each_id_mode_survives(tmp_path: Path, mode: str) -> None:
    feeds = FEEDS[mode]
    before = post_id(tmp_path / "s", feeds)
    after = (
        post_id(tmp_path / "s", feeds, base_url="https://new-domain.example.net/"),
        post_id(tmp_path / "s", feeds, base_url="https://blog.example.com/blog/"),
        post_id(tmp_path / "s", feeds, section="notes"),
        post_id(tmp_path / "s", feeds, slug="hello-again"),
    )
    assert tuple(a == before for a in after) == SURVIVES[mode], (before, after)


@pytest.mark.parametrize("mode", list(SURVIVES))
def test_an_id_in_front_matter_survives_everything(tmp_path: Path, mode: str) -> None:
    front = "id: urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427\n"
    ids = {
        post_id(tmp_path / "s", FEEDS[mode], front=front),
        post_id(tmp_path / "s", FEEDS[mode], base_url="https://n.example.net/x/", front=front),
        post_id(tmp_path / "s", FEEDS[mode], section="notes", slug="other", front=front),
    }
    assert ids == {"urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"}


def test_tag_ids_without_an_authority_get_a_warning_at_the_id_key(site: SiteDir) -> None:
    site.config('[feeds]\nlimit = 5\nid = "tag"\n')
    config = site.load_config()
    problem = tag_id_warning(config)
    assert problem is not None and problem.severity == "warning"
    assert problem.location is not None and problem.location.path == config.path
    lines = config.path.read_text().splitlines()
    assert problem.location.line is not None
    assert lines[problem.location.line - 1] == 'id = "tag"'
    assert "blog.example.com" in problem.message and "domain" in problem.message
    assert problem.hint is not None and 'tag_authority = "blog.example.com,' in problem.hint


@pytest.mark.parametrize(
    "feeds", ['id = "tag"\ntag_authority = "example.org,2020"\n', 'id = "permalink"\n', ""]
)
def test_no_warning_when_ids_do_not_follow_the_domain_silently(site: SiteDir, feeds: str) -> None:
    site.config(f"[feeds]\n{feeds}")
    assert tag_id_warning(site.load_config()) is None


def test_check_warns_about_tag_ids_without_an_authority(site: SiteDir) -> None:
    from click.testing import CliRunner

    from syndicate.cli import cli

    site.config('[feeds]\nid = "tag"\n')
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n")
    result = CliRunner().invoke(cli, ["check", "--config", str(site.root / "config.toml")])
    assert result.exit_code == 0, result.output
    assert 'config.toml:13: warning: feeds.id = "tag" without tag_authority' in result.stderr
