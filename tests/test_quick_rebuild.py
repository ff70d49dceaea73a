"""The quick rebuild of a site with template syntax: an edit reads only the edited post, and
the output and the problems reported are exactly a full build's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate.build import load_site, write_feeds
from syndicate.config import load_config
from syndicate.content.loader import discover
from syndicate.dates import resolve_now
from syndicate.errors import Problem, Report
from syndicate.incremental.quick_rebuild import Rebuilt, rebuild

from .conftest import BASE_CONFIG, NOW, REPO, RunCli, copy_fixture
from .test_cache import build, cold_snapshot, edit, quick, snapshot
from .test_sites_hugo import (
    ELSEWHERE,
    ELSEWHERE_CONFIG,
    HOOK_SITE,
    OWN_CONFIG,
    SHARING,
    SHARING_CONFIG,
    TARGET,
    make_site,
    post,
)

TEMPLATED = {
    # A ref to another post, one to a page that is not there yet, an unknown shortcode.
    "second.md": (
        "And this is the rest",
        'See [the first]({{< ref "first" >}}) and [about]({{< relref "/about" >}}).\n\n'
        "{{< gallery >}}pictures{{< /gallery >}}\n\nAnd this is the rest",
    ),
    "first.md": ("Code:", '{{< figure src="/cover.png" caption="The cover" >}}\n\nCode:'),
    "fourth.md": ("Too old", "{{< gallery >}}old{{< /gallery >}} Too old"),
}


def templated_site(root: Path) -> Path:
    copy_fixture("feedsite", root)
    config = root / "config.toml"
    config.write_text(config.read_text() + '\n[markdown]\ntemplate_syntax = "hugo"\n')
    for name, (old, new) in TEMPLATED.items():
        edit(root / "content/posts" / name, old, new)
    return root


def full_problems(root: Path) -> list[tuple[str, str | None, int | None, str]]:
    """What a full build, without the cache, reports reading the posts of `root`."""
    config = load_config(root / "config.toml")
    site = load_site(config, now=NOW, env={}, use_cache=False, workers=1)
    return [_seen(p, root) for p in site.report.problems]


def _seen(problem: Problem, root: Path) -> tuple[str, str | None, int | None, str]:
    where = problem.location
    path = str(where.path.relative_to(root)) if where is not None else None
    return (problem.severity, path, where.line if where else None, problem.message)


TEMPLATED_EDITS = [
    # The text around a ref and an unknown shortcode.
    ("second.md", "the rest, which", "the edited rest, which"),
    # The title of the post a ref names: its address stays, so only its own feeds change.
    ("first.md", 'title: First <post> & "quotes"', "title: First, renamed"),
    # A post without template syntax gains an unknown shortcode and a broken one.
    ("third.md", "never reaches a feed.", "never {{< gallery >}} {{< figure src= >}}"),
    # The only use of a shortcode goes away: the count of its uses changes.
    ("fourth.md", "{{< gallery >}}old{{< /gallery >}} ", ""),
    # A ref to a missing post is added (an error, but the post is kept).
    ("first.md", "Code:", '[gone]({{< ref "nowhere" >}}) Code:'),
]


@pytest.mark.parametrize(("name", "old", "new"), TEMPLATED_EDITS)
def test_a_templated_site_takes_the_quick_rebuild_exactly_like_a_cold_build(
    tmp_path: Path, name: str, old: str, new: str
) -> None:
    root = templated_site(tmp_path / "site")
    build(root)
    edit(root / "content/posts" / name, old, new)
    rebuilt = quick(root)
    assert rebuilt is not None, "the quick rebuild should have been used"
    cold = cold_snapshot(root, tmp_path / "cold")
    assert snapshot(root / "public") == cold
    assert [_seen(p, root) for p in rebuilt.problems] == full_problems(tmp_path / "cold")
    assert quick(root) is not None  # and again, from the plan the quick rebuild saved
    assert snapshot(root / "public") == cold


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("first.md", "[Intro, python]", "[python]"),  # the ref target leaves a tag
        ("first.md", "---\n", "---\nslug: moved\n"),  # the ref target moves
    ],
)
def test_a_templated_edit_that_moves_a_post_takes_the_full_build_like_a_cold_one(
    tmp_path: Path, name: str, old: str, new: str
) -> None:
    root = templated_site(tmp_path / "site")
    build(root)
    edit(root / "content/posts" / name, old, new)
    assert quick(root) is None
    build(root)
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")


def test_a_jekyll_post_url_target_edited_takes_the_quick_rebuild_like_a_cold_build(
    tmp_path: Path,
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    config = root / "config.toml"
    config.write_text(config.read_text() + '\n[markdown]\ntemplate_syntax = "jekyll"\n')
    second = root / "content/posts/second.md"
    edit(second, "And this", "See [the first]({% post_url posts/first %}).\n\nAnd this")
    build(root)
    assert "/blog/2024/03/first/" in (root / "public/rss.xml").read_text()
    edit(root / "content/posts/first.md", 'title: First <post> & "quotes"', "title: Renamed")
    edit(second, "the rest", "the edited rest")
    assert quick(root) is not None
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")


def test_a_jekyll_sites_post_url_keeps_its_post_and_warning_in_the_quick_rebuild(
    tmp_path: Path,
) -> None:
    # `{% post_url %}` to a post of a category folder, found by date and slug (Jekyll's
    # deprecated match, with its warning): the quick rebuild gives the cold build's feeds and
    # problems from the names its plan kept.
    root = tmp_path / "site"
    (root / "news/_posts").mkdir(parents=True)
    (root / "_posts").mkdir()
    (root / "_config.yml").write_text("title: T\nurl: https://e.org\n")
    (root / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\n')
    (root / "news/_posts/2024-03-01-item.md").write_text("---\ntitle: Item\n---\nNews.\n")
    links = root / "_posts/2024-04-01-links.md"
    links.write_text("---\ntitle: Links\n---\nSee [it]({% post_url 2024-03-01-item %}), then.\n")
    config = load_config(root / "syndicate.toml")
    write_feeds(config, load_site(config, now=NOW, env={}))
    edit(links, "then.", "then more.")
    report = Report()
    moment = resolve_now(NOW, {}, config.tz)
    rebuilt = rebuild(config, moment, (discover(config, report), []), (False, False), 1)
    assert rebuilt is not None, "the quick rebuild should have been used"
    feed = (root / "_site/atom.xml").read_text()
    assert 'href="https://e.org/news/2024/03/01/item.html"&gt;it&lt;/a&gt;, then more.' in feed
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns(".syndicate", "_site"))
    cold_config = load_config(cold / "syndicate.toml")
    site = load_site(cold_config, now=NOW, env={}, use_cache=False, workers=1)
    write_feeds(cold_config, site)
    assert snapshot(root / "_site") == snapshot(cold / "_site")
    [warning] = [str(p).replace(str(root), "") for p in rebuilt.problems]
    assert [str(p).replace(str(cold), "") for p in site.report.problems] == [warning]
    assert "2024-04-01-links.md:4: warning: post_url: {% post_url 2024-03-01-item %}" in warning


SNIPPETS = [
    "plain words",
    '{{< ref "first" >}}',
    '[x]({{< relref "third" >}})',
    '{{< ref "nowhere" >}}',
    "{{< gallery >}}",
    "{{< gallery >}}in{{< /gallery >}}",
    '{{< figure src="/cover.png" caption="c" >}}',
    "{{< figure src= >}}",
]


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["first.md", "second.md", "third.md", "fourth.md"]),
            st.sampled_from(SNIPPETS),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_sequence_of_templated_edits_matches_a_cold_build(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, str, bool]]
) -> None:
    tmp = tmp_path_factory.mktemp("seq")
    root = templated_site(tmp / "site")
    build(root)
    for name, snippet, replace in edits:
        path = root / "content/posts" / name
        head, _, body = path.read_text().partition("\n---\n")
        path.write_text(f"{head}\n---\n{snippet if replace else body + snippet}\n")
        if quick(root) is None:
            build(root)
    assert snapshot(root / "public") == cold_snapshot(root, tmp / "cold")
    again = quick(root)  # nothing changed: what the last build reported, again
    assert again is not None
    assert [_seen(p, root) for p in again.problems] == full_problems(tmp / "cold")


def test_a_page_a_ref_names_appearing_takes_the_full_build(tmp_path: Path) -> None:
    root = templated_site(tmp_path / "site")
    build(root)
    assert "/blog/about/" not in (root / "public/rss.xml").read_text()
    edit(root / "content/posts/third.md", "never reaches", "still never reaches")
    assert quick(root, strict=True) is None  # --strict: the relref to no page is an error
    (root / "content/about.md").write_text("---\ntitle: About\n---\nWho we are.\n")
    edit(root / "content/posts/first.md", "Hello", "Hello again")
    assert quick(root) is None  # second's ref to /about resolves now: its HTML changes
    build(root)
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")
    assert "/blog/about/" in (root / "public/rss.xml").read_text()


def test_a_templated_rebuild_after_a_full_one_matches_a_cold_build(tmp_path: Path) -> None:
    root = templated_site(tmp_path / "site")
    config = load_config(root / "config.toml")
    write_feeds(config, load_site(config, now=NOW, env={}, workers=1))
    for name, old, new in TEMPLATED_EDITS[:3]:
        edit(root / "content/posts" / name, old, new)
        assert quick(root) is not None
    assert snapshot(root / "public") == cold_snapshot(root, tmp_path / "cold")


# --- a multilingual site (Zola's tabi: four languages, translations, template syntax) --------

TABI = REPO / "tests/fixtures/sites/zola/tabi/site"
BUILT = "2026-11-29T00:00:00+00:00"  # as tests/test_existing_site_feeds.py builds it


def tabi(dest: Path, run_cli: RunCli) -> Path:
    shutil.copytree(TABI, dest)
    assert run_cli("init", cwd=dest).returncode == 0
    return dest


def full_build(root: Path, use_cache: bool = True) -> list[tuple[str, str | None, int | None, str]]:
    config = load_config(root / "syndicate.toml")
    site = load_site(config, now=BUILT, env={}, use_cache=use_cache, workers=1)
    write_feeds(config, site, adopt=True)
    return [_seen(p, root) for p in site.report.problems]


def quick_tabi(root: Path) -> Rebuilt | None:
    config = load_config(root / "syndicate.toml")
    report = Report()
    sources = discover(config, report)
    moment = resolve_now(BUILT, {}, config.tz)
    return rebuild(config, moment, (sources, report.problems), (False, False), 1)


def cold_tabi(root: Path, dest: Path) -> tuple[dict[str, bytes], list[tuple[str, ...]]]:
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(".syndicate", "public"))
    problems = full_build(dest, use_cache=False)
    return snapshot(dest / "public"), problems  # type: ignore[return-value]


BLOG = "content/blog"
TRANSLATED_EDITS = [
    # A post's title: its translations link it by URL, so their feeds stay as they are.
    ("markdown/index.md", 'title = "Markdown examples"', 'title = "Markdown, edited"'),
    # A translation's text.
    ("markdown/index.es.md", "## $\\KaTeX$", "## $\\KaTeX$ editado"),
    # A translation's unknown shortcode is another: only the problems reported change.
    ("markdown/index.ar.md", "{{ aside(", "{{ nothing("),
]


@pytest.mark.parametrize(("name", "old", "new"), TRANSLATED_EDITS)
def test_a_multilingual_site_takes_the_quick_rebuild_exactly_like_a_cold_build(
    tmp_path: Path, run_cli: RunCli, name: str, old: str, new: str
) -> None:
    root = tabi(tmp_path / "site", run_cli)
    full_build(root)
    before = snapshot(root / "public")
    edit(root / BLOG / name, old, new)
    rebuilt = quick_tabi(root)
    assert rebuilt is not None, "the quick rebuild should have been used"
    after = snapshot(root / "public")
    cold, problems = cold_tabi(root, tmp_path / "cold")
    assert after == cold
    assert [_seen(p, root) for p in rebuilt.problems] == problems
    changed = {p for p in after if after[p] != before.get(p)}
    assert changed == set(rebuilt.result.written.written)


def test_a_post_given_another_translation_key_takes_the_full_build(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "site"
    shutil.copytree(REPO / "tests/fixtures/sites/hugo/ananke-example/site", root)
    assert run_cli("init", cwd=root).returncode == 0
    full_build(root)
    post = root / "content/en/post/chapter-1.md"
    edit(post, "to-day, the", "today, the")
    assert quick_tabi(root) is not None  # an edit that moves nothing
    edit(post, "---\n", '---\ntranslationKey: "grand-hall"\n')
    assert quick_tabi(root) is None  # its French translation no longer links it
    full_build(root)
    assert snapshot(root / "public") == cold_tabi(root, tmp_path / "cold")[0]


def test_loading_the_cache_and_rebuilding_leave_garbage_collection_on(tmp_path: Path) -> None:
    import gc

    from syndicate.incremental.cache import BuildCache

    root = copy_fixture("feedsite", tmp_path / "site")
    build(root)
    edit(root / "content/posts/second.md", "the rest", "the edited rest")
    assert gc.isenabled()
    assert quick(root) is not None
    assert gc.isenabled()  # `serve` rebuilds again and again in one process
    (root / ".syndicate/cache/build.bin").write_bytes(b"damaged")
    assert BuildCache.load(root / ".syndicate", "key").discarded
    assert gc.isenabled()


def test_a_site_whose_static_folder_holds_the_output_keeps_its_cache_between_builds(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "site"  # Jekyll's: the site itself is the static folder, _site inside
    shutil.copytree(REPO / "tests/fixtures/sites/jekyll/jekyllrb/site", root)
    assert run_cli("init", cwd=root).returncode == 0
    config = load_config(root / "syndicate.toml")
    assert config.output_dir.is_relative_to(config.static_dir)
    for _ in range(2):
        site = load_site(config, now=BUILT, env={}, workers=1)
        write_feeds(config, site, adopt=True)
    assert site.cache is not None and not site.cache.discarded  # the first build's, kept
    post = sorted((root / "_posts").glob("*.markdown"))[-1]
    post.write_text(post.read_text() + "\nAn edited line.\n")
    assert quick_tabi(root) is not None


SITE_FIXTURES = sorted(p.parent for p in (REPO / "tests/fixtures/sites").glob("*/*/expected.json"))


@pytest.mark.slow
@pytest.mark.parametrize("fixture", SITE_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_post_edited_on_each_real_site_takes_the_quick_rebuild_like_a_cold_build(
    tmp_path: Path, run_cli: RunCli, fixture: Path
) -> None:
    root = tmp_path / "site"
    shutil.copytree(fixture / "site", root)
    assert run_cli("init", cwd=root).returncode == 0
    assert run_cli("build", "--now", BUILT, cwd=root).returncode == 0
    config = load_config(root / "syndicate.toml")
    sources = discover(config, Report())
    post = Path(sources[len(sources) // 2].file)
    post.write_text(post.read_text() + "\n\nAn edited line.\n")
    assert quick_tabi(root) is not None, "the quick rebuild should have been used"
    cold = tmp_path / "cold"
    ignore = shutil.ignore_patterns(".syndicate", config.output_dir.name)
    shutil.copytree(root, cold, ignore=ignore)
    assert run_cli("build", "--now", BUILT, "--no-cache", cwd=cold).returncode == 0
    rel = config.output_dir.relative_to(root)
    assert snapshot(root / rel) == snapshot(cold / rel)


# --- Hugo's bundle files published under another page's address ------------------------------


def hugo_site(root: Path, config: str, files: dict[str, str]) -> Path:
    make_site(root, {"hugo.toml": config, "syndicate.toml": OWN_CONFIG, **files})
    return root


def quick_as_cold(root: Path, cold: Path) -> dict[str, bytes]:
    """The quick rebuild of `root` (which must run), the same files and problems as a cold
    build of a copy at `cold`; its files."""
    rebuilt = quick_tabi(root)
    assert rebuilt is not None, "the quick rebuild should have been used"
    built = snapshot(root / "public")
    expected, problems = cold_tabi(root, cold)
    assert built == expected
    here = [(*seen[:3], seen[3].replace(str(cold), str(root))) for seen in problems]
    assert [_seen(p, root) for p in rebuilt.problems] == here  # a clash names the other file
    return built


def test_a_shared_bundle_file_follows_the_page_that_publishes_it_as_a_cold_build_does(
    tmp_path: Path,
) -> None:
    """A translation's image is under its default language's page: every build, from the
    cache too, finds where that page is now; the quick rebuild, which reads only the edited
    posts, gives the others what loading gave them last time (`LoadingPlan`) and settles the
    edited ones among the bundle pages it kept."""
    root = hugo_site(tmp_path / "site", SHARING_CONFIG, SHARING)
    full_build(root)
    full_build(root)  # from the cache
    edit(root / "content/posts/shared/index.zh-cn.md", "Body of", "Edited body of")
    built = quick_as_cold(root, tmp_path / "cold")
    assert '"image": "https://example.org/posts/shared/featured-image.jpg"' in (
        built["zh-cn/feed.json"].decode()
    )
    edit(root / "content/posts/french/index.md", "Body of", "Edited body of")  # from fr's
    quick_as_cold(root, tmp_path / "cold-french")
    edit(root / "content/posts/shared/index.md", "title: Shared\n", "title: Shared\nurl: /s/\n")
    full_build(root)  # the translation comes from the cache, its image from its page's address
    built = snapshot(root / "public")
    assert built == cold_tabi(root, tmp_path / "cold-moved")[0]
    assert (
        '"image": "https://example.org/s/featured-image.jpg"' in built["zh-cn/feed.json"].decode()
    )


def test_an_edit_giving_a_translation_a_file_it_shares_takes_the_quick_rebuild_as_cold(
    tmp_path: Path,
) -> None:
    files = {k: v for k, v in SHARING.items() if "/translated/" in k}
    root = hugo_site(tmp_path / "site", SHARING_CONFIG, files)
    full_build(root)
    translation = root / "content/posts/translated/index.zh-cn.md"
    edit(translation, "Body of", "Edited body of")
    quick_as_cold(root, tmp_path / "cold")  # each has a file of its own language
    edit(translation, "images: [cover.jpg]", "featuredImage: cover.jpg")  # the default's
    built = quick_as_cold(root, tmp_path / "cold-shared")
    assert "https://example.org/posts/translated/cover.jpg" in built["zh-cn/feed.json"].decode()
    edit(translation, "Edited body of", "Body of")  # the plan kept what it was given
    quick_as_cold(root, tmp_path / "cold-again")


def test_an_edit_naming_a_file_another_bundle_publishes_takes_the_quick_rebuild_as_cold(
    tmp_path: Path,
) -> None:
    """Reading it alone warns that the image is not found; loading it among the other posts
    finds it in another bundle and takes the warning back, in the quick rebuild too."""
    names = ("0102-target", "nowhere", "plain")
    files = {k: v for k, v in ELSEWHERE.items() if any(f"/{n}" in k for n in names)}
    plain = "content/posts/plain.md"
    files[plain] = post("Plain", date="2024-02-03")
    root = hugo_site(tmp_path / "site", ELSEWHERE_CONFIG, files)
    full_build(root)
    # A file found nowhere, named again: still nowhere, whatever the other posts.
    edit(root / "content/posts/nowhere/index.md", "Body of", "Edited body of")
    quick_as_cold(root, tmp_path / "cold")
    edit(root / plain, "date: 2024-02-03\n", f"date: 2024-02-03\nimages: [/{TARGET}]\n")
    built = quick_as_cold(root, tmp_path / "cold-named")
    assert f'"image": "https://example.org/{TARGET}"' in built["feed.json"].decode()
    edit(root / "content/posts/nowhere/index.md", "Edited body of", "Body of")
    quick_as_cold(root, tmp_path / "cold-other")  # the plain post's image, from the plan
    edit(root / plain, "Body of", "Edited body of")
    quick_as_cold(root, tmp_path / "cold-edited")


def test_links_hugos_link_hook_looks_up_take_the_quick_rebuild_as_a_cold_build_does(
    tmp_path: Path,
) -> None:
    """A Markdown link to a page (Hugo's embedded link render hook, on for a multilingual
    site at one host) is looked up again in the edited post; a page it names that moves takes
    the full build."""
    root = hugo_site(tmp_path / "site", SHARING_CONFIG, HOOK_SITE)
    full_build(root)
    plain = root / "content/posts/plain.zh-cn.md"
    edit(plain, "Body of", "[z](/posts/moved/) Body of")
    rebuilt = quick_tabi(root)
    assert rebuilt is not None
    built = snapshot(root / "public")
    assert built == cold_tabi(root, tmp_path / "cold")[0]
    assert (
        'href=\\"https://example.org/zh-cn/posts/moved/\\">z<' in built["zh-cn/feed.json"].decode()
    )
    edit(root / "content/posts/moved/index.zh-cn.md", "---\nBody", "url: /zh-cn/m/\n---\nBody")
    assert quick_tabi(root) is None
    full_build(root)
    built = snapshot(root / "public")
    assert built == cold_tabi(root, tmp_path / "cold-moved")[0]
    assert 'href=\\"https://example.org/zh-cn/m/\\">z<' in built["zh-cn/feed.json"].decode()


# --- posts that share a permalink or id -----------------------------------------------------


def test_posts_that_share_a_permalink_take_the_quick_rebuild_as_a_cold_build_does(
    tmp_path: Path,
) -> None:
    """Of two posts that share a permalink or id, the earlier by date and path keeps it, and
    the other is given `-<section>` or skipped: their dates and paths decide it, which an
    edit keeps, so the quick rebuild gives each what the last full build gave it (every edit
    took the full build: digital.gov, two of 2,100 news posts sharing one)."""
    root = tmp_path / "site"
    config = BASE_CONFIG.replace("/{section}/{slug}/", "/{slug}/")
    files = {
        "syndicate.toml": config,
        "content/posts/hello.md": "---\ntitle: Old\ndate: 2024-01-01\n---\nold\n",
        "content/notes/hello.md": "---\ntitle: New\ndate: 2024-02-01\n---\nnew\n",
        "content/posts/given.md": "---\ntitle: Given\ndate: 2024-02-01\nid: fixed\n---\nx\n",
        "content/notes/given.md": "---\ntitle: Given2\ndate: 2024-02-02\nid: fixed\n---\ny\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    assert any("same id as" in p[3] for p in full_build(root))
    for n, (rel, old) in enumerate(
        [("notes/hello.md", "new"), ("posts/hello.md", "old"), ("notes/given.md", "y")]
    ):
        edit(root / "content" / rel, f"\n{old}\n", f"\n{old}, edited\n")
        built = quick_as_cold(root, tmp_path / f"cold-{n}")
    rss = built["rss.xml"].decode()
    assert "https://blog.example.com/hello-notes/" in rss and "new, edited" in rss
