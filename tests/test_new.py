from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from syndicate.build import load_site
from syndicate.config import load_config
from syndicate.content.newpost import front_matter

from .conftest import NOW, RunCli
from .test_sites_jekyll import site as site_of_jekyll


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


def jekyll_site(root: Path) -> Path:
    """A Jekyll site whose posts sit in `blog/_posts` (any folder Jekyll reads may hold one)."""
    return site_of_jekyll(root, {"blog/_posts/2024-01-01-first.md": "---\ntitle: First\n---\nHi\n"})


def test_a_jekyll_draft_goes_in_drafts_beside_the_posts(run_cli: RunCli, tmp_path: Path) -> None:
    # Jekyll reads drafts from `_drafts`, named without a date, and has no `draft` key: a post
    # in a folder of its own would never be published (https://jekyllrb.com/docs/posts/#drafts).
    root = jekyll_site(tmp_path / "site")
    result = run_cli("new", "Hello there", "--now", "2024-05-01T10:00:00+00:00", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "created blog/_drafts/hello-there.md" in result.stdout
    text = (root / "blog/_drafts/hello-there.md").read_text()
    assert text.startswith('---\ntitle: "Hello there"\n') and "draft:" not in text
    config = load_config(root / "syndicate.toml")
    shown = load_site(config, now=NOW, env={}, drafts=True).posts
    assert [p.draft for p in shown if p.slug == "hello-there"] == [True]
    assert [p.slug for p in load_site(config, now=NOW, env={}).posts] == ["first"]
    other = run_cli("new", "Notes", "--section", "notes", cwd=root)
    assert other.returncode == 0 and (root / "notes/_drafts/notes.md").is_file()


def test_a_jekyll_draft_never_takes_a_published_posts_name(run_cli: RunCli, tmp_path: Path) -> None:
    root = jekyll_site(tmp_path / "site")
    again = run_cli("new", "First", cwd=root)
    # Published, the draft would be `2024-…-first.md` beside it; the path is the site's own.
    assert (
        again.returncode == 1 and "error: blog/_posts/2024-01-01-first.md already" in again.stderr
    )
    assert not (root / "blog/_drafts").exists()
    bundle = run_cli("new", "Garden", "--bundle", cwd=root)
    assert bundle.returncode == 2 and "--bundle" in bundle.stderr
    assert not list(root.rglob("garden*"))


def test_a_zola_draft_files_its_terms_under_taxonomies(run_cli: RunCli, tmp_path: Path) -> None:
    # Zola reads terms from `[taxonomies]` only, one list per taxonomy of its config
    # (https://www.getzola.org/documentation/content/taxonomies/).
    root = tmp_path / "site"
    (root / "content/blog").mkdir(parents=True)
    (root / "config.toml").write_text(
        'base_url = "https://e.org"\ntitle = "T"\n'
        'taxonomies = [{name = "tags"}, {name = "series"}, {name = "moods"}]\n'
    )
    (root / "content/blog/_index.md").write_text('+++\ntitle = "Blog"\n+++\n')
    (root / "content/blog/a.md").write_text('+++\ntitle = "A"\ndate = 2024-01-01\n+++\nHi\n')
    (root / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n')
    result = run_cli("new", "Hello", "--now", "2024-05-01T10:00:00+00:00", cwd=root)
    assert result.returncode == 0, result.stderr
    text = (root / "content/blog/hello.md").read_text()
    assert text == (
        '+++\ntitle = "Hello"\ndescription = ""\ndate = 2024-05-01T10:00:00+00:00\n'
        "authors = []\ndraft = true\n\n[taxonomies]\nseries = []\ntags = []\n+++\n\nWrite here.\n"
    )
    config = load_config(root / "syndicate.toml")
    shown = load_site(config, now=NOW, env={}, drafts=True)
    assert [p.draft for p in shown.posts if p.slug == "hello"] == [True]
    assert not shown.report.errors


def test_a_post_outside_the_post_sections_is_written_with_a_warning(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = jekyll_site(tmp_path / "site")
    ok = run_cli("new", "Fine", cwd=root)
    assert ok.returncode == 0 and "warning" not in ok.stderr
    hugo = tmp_path / "hugo"
    (hugo / "content/posts").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(
        'baseURL = "https://e.org/"\ntitle = "T"\n[params]\nmainSections = ["posts"]\n'
    )
    (hugo / "content/posts/a.md").write_text("---\ntitle: A\ndate: 2024-01-01\n---\nHi\n")
    (hugo / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    usual = run_cli("new", "Usual", cwd=hugo)
    assert usual.returncode == 0 and "warning" not in usual.stderr, usual.stderr
    aside = run_cli("new", "Aside", "--section", "notes", cwd=hugo)
    assert aside.returncode == 0 and (hugo / "content/notes/aside.md").is_file()
    assert "warning: content/notes/aside.md is not in a folder of posts" in aside.stderr


def test_a_section_must_be_a_folder_inside_the_content_folder(
    run_cli: RunCli, sample_site: Path
) -> None:
    # A file as the section stopped `mkdir` with an internal error; a path leaving the content
    # folder wrote the post where no build reads it, with only a warning.
    before = sorted(sample_site.rglob("*"))
    for section, said in (
        ("about.md", "content/about.md is a file"),
        ("posts/seed-library/seeds.jpg", "content/posts/seed-library/seeds.jpg is a file"),
        ("about.md/deeper", "content/about.md is a file"),
        ("../outside", "this path leaves it"),
        ("posts/../../outside", "this path leaves it"),
        ("/elsewhere", "this path leaves it"),
    ):
        result = run_cli("new", "Z", "--section", section, cwd=sample_site)
        assert result.returncode == 2, (section, result.stderr)
        assert f"error: --section {section}: " in result.stderr and said in result.stderr
        assert "a section is a folder inside the content folder (content)" in result.stderr
        assert "hint:" in result.stderr and "internal error" not in result.stderr
    assert sorted(sample_site.rglob("*")) == before, "nothing written"
    fresh = run_cli("new", "Z", "--section", "notes/2024", cwd=sample_site)
    assert fresh.returncode == 0 and (sample_site / "content/notes/2024/z.md").is_file()


def test_a_title_with_nothing_to_name_the_file_after_is_a_usage_error(
    run_cli: RunCli, sample_site: Path
) -> None:
    # Exit 1 is for content problems and `new` refusing to replace a file (README's table).
    for title in ("", "!!!"):
        result = run_cli("new", title, cwd=sample_site)
        assert result.returncode == 2, result.stderr
        assert f"error: title {title!r} has no letters or digits" in result.stderr
        assert "hint:" in result.stderr
