from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from syndicate.build import load_site
from syndicate.config import load_config
from syndicate.content.newpost import front_matter

from .conftest import NOW, RunCli


def test_new_post_in_the_sites_style(run_cli: RunCli, sample_site: Path) -> None:
    result = run_cli(
        "new", "Why feeds still matter", "--now", "2024-11-20T12:00:00+00:00", cwd=sample_site
    )
    assert result.returncode == 0, result.stderr
    path = sample_site / "content/posts/why-feeds-still-matter.md"
    assert "created content/posts/why-feeds-still-matter.md" in result.stdout  # site-relative
    text = path.read_text()
    assert text.startswith('---\ntitle: "Why feeds still matter"\n')
    assert "date: '2024-11-20T12:00:00+00:00'\n" in text  # the site's zone: Lisbon in winter
    for line in (
        "lastmod:",
        "tags: []",
        "categories: []",
        "series: []",
        "draft: true",
        '  - "Slow Data Editors"',
    ):
        assert line in text
    site = load_site(load_config(sample_site / "config.toml"), now=NOW, env={}, drafts=True)
    post = next(p for p in site.posts if p.slug == "why-feeds-still-matter")
    assert post.draft and post.date.utcoffset() is not None and not site.report.errors


def test_bundle_and_refusal_to_overwrite(run_cli: RunCli, sample_site: Path) -> None:
    assert run_cli("new", "Garden diary", "--bundle", cwd=sample_site).returncode == 0
    bundle = sample_site / "content/posts/garden-diary/index.md"
    assert bundle.is_file()
    bundle.write_text(bundle.read_text() + "My words.\n")
    again = run_cli("new", "Garden Diary!", cwd=sample_site)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert bundle.read_text().endswith("My words.\n")
    existing = run_cli("new", "Publishing checklist", "--section", "notes", cwd=sample_site)
    assert (
        existing.returncode == 1
        and "notes/publishing-checklist.md already exists" in existing.stderr
    )


def test_toml_sites_get_toml(run_cli: RunCli, site) -> None:  # type: ignore[no-untyped-def]
    site.config()
    for i in range(3):
        site.post(f"posts/p{i}.md", f'+++\ntitle = "P{i}"\ndate = 2024-01-0{i + 1}\n+++\nx\n')
    result = run_cli("new", "Hello", cwd=site.root)
    assert result.returncode == 0, result.stderr
    text = (site.root / "content/posts/hello.md").read_text()
    assert text.startswith('+++\ntitle = "Hello"\n') and "draft = true" in text
    loaded = load_site(
        load_config(site.root / "config.toml"), now="2099-01-01T00:00:00+00:00", env={}, drafts=True
    )
    assert any(p.slug == "hello" for p in loaded.posts) and not loaded.report.errors


def test_an_unreadable_now_is_a_usage_error(run_cli: RunCli, sample_site: Path) -> None:
    result = run_cli("new", "Hello", "--now", "garbage", cwd=sample_site)
    assert result.returncode == 2 and "--now" in result.stderr
    assert "internal error" not in result.stderr
    assert not list((sample_site / "content").rglob("hello*"))


def test_draft_front_matter_is_written_byte_for_byte_as_before(sample_site: Path) -> None:
    config = load_config(sample_site / "config.toml")
    now = datetime(2024, 7, 1, 12, tzinfo=UTC)
    title = 'Say "hi" — naïve'
    assert front_matter(config, title, now, "yaml") == (
        '---\ntitle: "Say \\"hi\\" — naïve"\ndescription: ""\n'
        "date: '2024-07-01T13:00:00+01:00'\nlastmod:\n"
        'authors:\n  - "Slow Data Editors"\ntags: []\ncategories: []\nseries: []\n'
        "draft: true\n---\n\n"
    )
    assert front_matter(config, title, now, "toml") == (
        '+++\ntitle = "Say \\"hi\\" — naïve"\ndescription = ""\n'
        "date = 2024-07-01T13:00:00+01:00\n"
        'authors = ["Slow Data Editors"]\ntags = []\ncategories = []\nseries = []\n'
        "draft = true\n+++\n\n"
    )
