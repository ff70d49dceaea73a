"""`syndicate init` then `syndicate build` on real sites of each generator, with no other edit,
find exactly the posts the site's own generator publishes (tests/fixtures/sites/*/*/: the ground
truth comes from Hugo's and Jekyll's own output, and from Zola's documented rules)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from syndicate.build import load_site
from syndicate.config import load_config
from syndicate.sites import GENERATORS, Generator, GeneratorName, generator

from .conftest import REPO, RunCli

FIXTURES = REPO / "tests/fixtures/sites"
SITES = sorted(p.parent for p in FIXTURES.glob("*/*/expected.json"))
# The moment the real generators built these sites (Hugo's --clock): posts dated later were
# future posts then, and are not in the expected lists.
BUILT = "2026-11-29T00:00:00+00:00"
LABELS = {"hugo": "Hugo", "jekyll": "Jekyll", "zola": "Zola"}


def _copy(fixture: Path, tmp_path: Path) -> Path:
    site = tmp_path / fixture.name
    shutil.copytree(fixture / "site", site)
    return site


def _expected(fixture: Path) -> set[str]:
    return {post["source"] for post in json.loads((fixture / "expected.json").read_text())["posts"]}


@pytest.mark.slow
@pytest.mark.parametrize("fixture", SITES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_init_then_build_finds_exactly_the_posts_the_generator_publishes(
    fixture: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    site = _copy(fixture, tmp_path)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    init = run_cli("init", cwd=site)
    assert init.returncode == 0, init.stderr
    assert f"{LABELS[fixture.parent.name]} site" in init.stdout
    expected = _expected(fixture)
    assert f"{len(expected):,} post" in init.stdout
    # counted from the generator's own feed templates, which a theme's may replace
    assert "feeds are not posts" not in init.stdout.replace("built-in feeds are not posts", "")
    build = run_cli("build", "--now", BUILT, cwd=site)
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    config = load_config(site / "syndicate.toml")
    # Each language's whole-site feed is one of the sites counted (ananke: English, French).
    languages = len(config.generator.languages) if config.generator else 0
    sites = f"{languages} sites" if languages > 1 else "1 site"
    assert re.search(rf"\bfeeds for .*\b{sites}\b", build.stdout), build.stdout
    loaded = load_site(config, BUILT, os.environ, use_cache=False).loaded
    found = {p.source.relative_to(site).as_posix() for p in loaded.posts}
    assert found == expected
    assert not loaded.report.errors
    # Nothing of the site was changed: init wrote one file, build wrote into the output folder.
    output, state = config.output_dir, config.state_dir
    for path, data in before.items():
        if not path.is_relative_to(output) and not path.is_relative_to(state):
            assert path.read_bytes() == data, path


@pytest.mark.parametrize("generator", sorted(LABELS))
def test_a_generator_site_without_syndicate_toml_is_told_to_run_init(
    generator: str, tmp_path: Path, run_cli: RunCli
) -> None:
    fixture = next(p for p in SITES if p.parent.name == generator)
    site = _copy(fixture, tmp_path)
    result = run_cli("build", "--now", BUILT, cwd=site)
    assert result.returncode == 2
    assert f"this looks like a {LABELS[generator]} site; run `syndicate init`" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_never_replaces_a_config(tmp_path: Path, run_cli: RunCli) -> None:
    site = _copy(FIXTURES / "hugo/ananke-example", tmp_path)
    (site / "syndicate.toml").write_text("# mine\n")
    result = run_cli("init", cwd=site)
    assert result.returncode == 2
    assert "already exists; init never replaces a file" in result.stderr
    assert (site / "syndicate.toml").read_text() == "# mine\n"


# A deploy that gives the generator its base URL on the command line keeps a relative one in
# the config (fluxcd.io's hugo.yaml: `baseURL: /`; Netlify's `hugo --baseURL $URL`): init
# writes its file all the same and says where to set it, and syndicate's `base_url` wins.
@pytest.mark.parametrize(
    ("config", "text", "problem"),
    [
        (
            "hugo.yaml",
            "baseURL: /\ntitle: T\n",
            'hugo.yaml: baseURL: expected an absolute http(s) URL, got "/"',
        ),
        (
            "_config.yml",
            "url: example.org\ntitle: T\n",
            '_config.yml: url: expected an absolute http(s) URL, got "example.org/"',
        ),
        (
            "config.toml",
            'base_url = "/"\ntitle = "T"\n',
            'config.toml: base_url: expected an absolute http(s) URL, got "/"',
        ),
    ],
)
def test_a_relative_base_url_of_the_generator_is_replaced_by_syndicates(
    tmp_path: Path, run_cli: RunCli, config: str, text: str, problem: str
) -> None:
    (tmp_path / config).write_text(text)
    folder = {"_config.yml": "_posts", "hugo.yaml": "content/posts"}.get(config, "content")
    (tmp_path / folder).mkdir(parents=True)
    name = "2024-01-02-a.md" if config == "_config.yml" else "a.md"
    (tmp_path / folder / name).write_text("---\ntitle: A\ndate: 2024-01-02\n---\nText.\n")
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"error: {problem}" in result.stderr
    assert (
        "set `base_url` under [site] in syndicate.toml: it wins over the generator's"
        in result.stderr
    )
    own = tmp_path / "syndicate.toml"
    text = own.read_text().replace(
        "\n[site]\n", '\n[site]\nbase_url = "https://example.org/blog/"\n', 1
    )
    own.write_text(text)
    build = run_cli("build", "--now", BUILT, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    feed = next(load_config(own).output_dir.rglob("*.xml")).read_text()
    assert "https://example.org/blog/" in feed


def test_init_counts_the_published_posts_of_each_section_the_top_one_named(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A Zola site whose posts are the content folder's own pages (blog.rust-embedded.org):
    the section was shown as an empty name, its count with the draft the summary left out."""
    (tmp_path / "content/notes").mkdir(parents=True)
    (tmp_path / "config.toml").write_text('base_url = "https://example.org"\ntitle = "T"\n')
    for name, extra in (("a", ""), ("b", "draft = true\n"), ("notes/c", "")):
        text = f"+++\ntitle = '{name}'\ndate = 2024-01-02\n{extra}+++\nText.\n"
        (tmp_path / f"content/{name}.md").write_text(text)
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "  post sections: (the content folder itself) (1), notes (1)\n" in result.stdout
    assert "  posts: 2 posts, 1 draft skipped" in result.stdout


def test_init_without_a_generator_writes_a_starter_config(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("init", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no Hugo, Jekyll or Zola config found" in result.stdout
    text = (tmp_path / "syndicate.toml").read_text()
    assert "title = " in text and "base_url = " in text
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "content/posts/a.md").write_text("---\ntitle: A\ndate: 2024-01-01\n---\nHi\n")
    build = run_cli("build", "--now", BUILT, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "public/rss.xml").is_file()


def test_init_hands_the_generators_feed_files_over(tmp_path: Path, run_cli: RunCli) -> None:
    site = _copy(FIXTURES / "hugo/nats-site", tmp_path)
    result = run_cli("init", cwd=site)
    assert result.returncode == 0, result.stderr
    text = (site / "syndicate.toml").read_text()
    assert '[site]\ngenerator = "hugo"' in text
    assert 'adopt = ["**/index.xml"]' in text  # `**` is zero or more folders: index.xml too
    assert 'disableKinds = ["RSS"]' in result.stdout
    assert "https://nats.io/" in result.stdout
    # The digest's sender, the one thing no generator's config holds: shown, commented out.
    assert '\n# [digest]\n# from = "' in text
    uncommented = text.replace("# [digest]\n# from", "[digest]\nfrom")
    (site / "syndicate.toml").write_text(uncommented)
    digest = run_cli("digest", "--since", "2020-01-01", "--until", BUILT, cwd=site)
    assert digest.returncode == 0, digest.stderr


def test_config_may_come_before_or_after_the_command(tmp_path: Path, run_cli: RunCli) -> None:
    site = _copy(FIXTURES / "hugo/ananke-example", tmp_path)
    (site / "elsewhere.toml").write_text('[site]\ngenerator = "hugo"\n')
    before = run_cli("--config", "elsewhere.toml", "check", "--now", BUILT, cwd=site)
    after = run_cli("check", "--config", "elsewhere.toml", "--now", BUILT, cwd=site)
    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    assert before.stdout == after.stdout
    assert "7 posts" in before.stdout


def test_editing_the_generators_config_changes_the_next_build(
    tmp_path: Path, run_cli: RunCli
) -> None:
    site = _copy(FIXTURES / "hugo/nats-site", tmp_path)
    assert run_cli("init", cwd=site).returncode == 0
    first = run_cli("build", "--now", BUILT, cwd=site)
    assert first.returncode == 0, first.stderr
    again = run_cli("build", "--now", BUILT, cwd=site)
    assert "nothing changed" in again.stdout  # the shortcut is taken while nothing changes
    config = site / "config.toml"
    stat = config.stat()
    text = config.read_text()
    assert text.count('\ntitle = "NATS.io"\n') == 2  # the site's, then one in [params]
    config.write_text(text.replace('\ntitle = "NATS.io"\n', '\ntitle = "NATS.IO"\n', 1))
    # The same size and time as before: only its bytes tell the edit.
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    third = run_cli("build", "--now", BUILT, cwd=site)
    assert third.returncode == 0, third.stderr
    assert "nothing changed" not in third.stdout
    assert "<title>NATS.IO</title>" in (site / "public/atom.xml").read_text()


def test_a_generator_config_problem_names_its_file_and_key(tmp_path: Path, run_cli: RunCli) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntimeZone = "Mars/Base"\n')
    (site / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    result = run_cli("build", "--now", BUILT, cwd=site)
    assert result.returncode == 2
    assert "hugo.toml: timeZone: unknown time zone" in result.stderr
    (site / "hugo.toml").write_text('baseURL = "https://example.org/\n')
    result = run_cli("build", "--now", BUILT, cwd=site)
    assert result.returncode == 2
    assert "hugo.toml:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("name", GENERATORS)
def test_each_generator_module_has_every_function_of_the_protocol(name: GeneratorName) -> None:
    module = generator(name)
    members = {m for m in vars(Generator) if not m.startswith("_")} - {"NAME", "DATE_FORMS"}
    assert members and all(callable(getattr(module, m, None)) for m in members), members
    assert name == module.NAME and module.DATE_FORMS


def test_init_in_a_folder_with_syndicates_own_config_toml_writes_nothing(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "config.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://e.org/"\n')
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 2
    assert "already has syndicate's config" in result.stderr
    assert not (tmp_path / "syndicate.toml").exists()


@pytest.mark.parametrize(
    "fixture",
    [FIXTURES / "hugo/ananke-example", FIXTURES / "zola/tabi"],
    ids=lambda p: p.parent.name,
)
def test_init_names_the_line_of_a_generators_config_toml_it_cannot_read(
    fixture: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """A config.toml that is not TOML may be the generator's or syndicate's: init says where
    it breaks (as a build would), not that the folder has syndicate's config."""
    site = _copy(fixture, tmp_path)
    config = site / "config.toml"
    config.write_text(config.read_text() + "\n[broken\n")
    result = run_cli("init", cwd=site)
    assert result.returncode == 2
    lines = config.read_text().count("\n")
    assert "config.toml: invalid TOML: " in result.stderr and f"line {lines}" in result.stderr
    assert "already has syndicate's config" not in result.stderr
    assert "Traceback" not in result.stderr and not (site / "syndicate.toml").exists()


@pytest.mark.parametrize(
    ("fixture", "name", "label"),
    [
        (FIXTURES / "hugo/ananke-example", "config.toml", "Hugo"),
        (FIXTURES / "zola/tabi", "config.toml", "Zola"),
        (FIXTURES / "jekyll/basically-basic", "_config.yml", "Jekyll"),
    ],
    ids=["hugo", "zola", "jekyll"],
)
def test_config_given_the_generators_own_file_says_to_run_init(
    fixture: Path, name: str, label: str, tmp_path: Path, run_cli: RunCli
) -> None:
    """`--config` at the generator's file, not syndicate's: one line saying so, rather than
    every key of it syndicate does not know (or, for YAML, that it is no TOML)."""
    site = _copy(fixture, tmp_path)
    result = run_cli("build", "--config", str(site / name), cwd=tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and lines[0].startswith("error: ") and name in lines[0]
    assert lines[0].endswith(
        f"{name}: this is {label}'s config, not syndicate's; run `syndicate init` in its folder,"
        " then build there (or pass --config its syndicate.toml)"
    )
    assert not (site / "public").exists()


def test_init_says_how_to_stop_the_generators_feeds_only_when_it_writes_some(
    tmp_path: Path, run_cli: RunCli
) -> None:
    site = _copy(FIXTURES / "jekyll/vespa-blog", tmp_path)  # its feed.xml is its own template
    result = run_cli("init", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "to stop Jekyll writing them" not in result.stdout


@pytest.mark.parametrize(
    "fixture",
    [FIXTURES / "hugo/ananke-example", FIXTURES / "zola/tabi", FIXTURES / "jekyll/basically-basic"],
    ids=lambda p: p.parent.name,
)
def test_a_first_builds_record_of_its_files_lets_the_next_end_where_nothing_changed(
    fixture: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """A first build finds the files without their times and sizes (`loader.UNSTATED`) and has
    them from the read: what it records must be what the next build's discovery finds."""
    site = _copy(fixture, tmp_path)
    assert run_cli("init", cwd=site).returncode == 0
    first = run_cli("build", "--now", BUILT, cwd=site)
    assert first.returncode == 0, first.stderr
    assert "nothing changed" not in first.stdout
    again = run_cli("build", "--now", BUILT, cwd=site)
    assert "nothing changed" in again.stdout, again.stdout + again.stderr
