from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate.config import _PLAIN_ADDRESS, load_config
from syndicate.errors import ConfigError

from .conftest import BASE_CONFIG, REPO, SiteDir, examples
from .test_sites_jekyll import site as site_of_jekyll


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


def test_a_secret_written_in_a_table_that_takes_it_from_the_environment_is_explained(
    site: SiteDir,
) -> None:
    # `password = "..."` under [delivery.smtp] was only an "unknown key", with no word on
    # `password_env`, the one way the table takes it.
    path = site.config(
        """
        [delivery.smtp]
        host = "mail.example.org"
        password = "hunter2"
        pasword_env = "X"
        [delivery.webhook]
        url = "https://hooks.example.org/in"
        secret = "whsec_hunter2"
        """
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    told = dict(caught.value.told())
    never = "a secret is never written in the config file"
    smtp = told[f"{path}: delivery.smtp.password: unknown key: {never}"]
    assert smtp is not None and "secrets are read only from environment variables" in smtp
    assert 'set password_env = "SOME_VARIABLE" under [delivery.smtp]' in smtp
    webhook = told[f"{path}: delivery.webhook.secret: unknown key: {never}"]
    assert webhook is not None and "the variable SYNDICATE_WEBHOOK_SECRET" in webhook
    assert 'secret_env = "SOME_VARIABLE" under [delivery.webhook]' in webhook
    # A misspelt key of an optional table is still a misspelling, with its own (no) hint.
    misspelt = f'{path}: delivery.smtp.pasword_env: unknown key (did you mean "password_env"?)'
    assert told[misspelt] is None
    assert "hunter2" not in repr(told), "the value is never shown"


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


def with_site_keys(site: SiteDir, keys: str) -> Path:
    """The base config with `keys` added to its [site] table."""
    return site.config(replace=site.config_text.replace("[site]\n", f"[site]\n{keys}\n", 1))


@pytest.mark.parametrize(
    ("url", "fault"),
    [
        ("https://example.org/blog/?utm=1", "query"),
        ("https://example.org/blog/#top", "fragment"),
        ("https://example.org/my blog/", "whitespace"),
        ("https://example.org/blog/\n", "whitespace"),
        ("example.org/blog/", "absolute http(s) URL"),
        ("//example.org/blog/", "absolute http(s) URL"),
    ],
)
def test_base_url_with_a_query_fragment_whitespace_or_no_scheme_is_refused(
    site: SiteDir, url: str, fault: str
) -> None:
    path = site.config(
        replace=site.config_text.replace('"https://blog.example.com/"', json.dumps(url))
    )
    [message] = problems_of(path)
    assert message.startswith(f"{path}: site.base_url: ") and fault in message


@pytest.mark.parametrize(
    ("keys", "holds"),
    [
        ('output_dir = "."', "the config file"),
        ('output_dir = ".."', "the config file"),
        ('output_dir = "content"', "the content folder"),
        ('output_dir = "static/feeds"\nstatic_dir = "static"', None),
        ('output_dir = "static"', "the static folder"),
        ('output_dir = "out"\nstate_dir = "out/state"', "the state folder"),
        ('output_dir = "out"\ncontent_dir = "out/posts"', "the content folder"),
        # Inside it, the next build reads what it wrote and the generator publishes it twice.
        ('output_dir = "content/out"', "is inside the content folder (site.content_dir"),
        ('output_dir = "content/posts/feeds"', "is inside the content folder (site.content_dir"),
    ],
)
def test_an_output_folder_holding_the_site_is_refused(
    site: SiteDir, keys: str, holds: str | None
) -> None:
    path = with_site_keys(site, keys)
    if holds is None:
        load_config(path)  # a folder inside the static folder holds none of the site's own
        return
    problems = problems_of(path)
    assert problems[0].startswith(f"{path}: site.output_dir: ") and holds in problems[0]


def test_a_jekyll_sites_output_folder_inside_its_source_folder_is_its_own(tmp_path: Path) -> None:
    # Jekyll's content folder is its source folder, and `_site` is inside it: Jekyll and
    # syndicate skip that folder, so it is no output folder inside the content folder.
    root = site_of_jekyll(tmp_path / "jekyll", {"_posts/2024-01-01-a.md": "---\ntitle: A\n---\n"})
    config = load_config(root / "syndicate.toml")
    assert config.output_dir.is_relative_to(config.content_dir)


def test_the_issues_config_overwrite_repro_is_a_configuration_error(site: SiteDir) -> None:
    path = with_site_keys(site, 'output_dir = "."')
    path.write_text(path.read_text() + '\n[feeds.legacy]\n"config.toml" = "rss"\n')
    assert any("the config file" in p for p in problems_of(path))


def test_an_output_folder_that_is_a_file_or_holds_nul_is_refused(site: SiteDir) -> None:
    (site.root / "public").write_text("not a folder")
    [message] = problems_of(site.config())
    assert "site.output_dir" in message and "is a file" in message
    [message] = problems_of(with_site_keys(site, 'output_dir = "pub\\u0000lic"'))
    assert message.endswith("site.output_dir: must not contain a NUL character")


def test_a_state_folder_with_a_nul_is_a_config_error_not_a_crash(site: SiteDir) -> None:
    """The validated tables are kept in the state folder: a name no file can have is
    reported as the key's problem, as before they were kept."""
    [message] = problems_of(with_site_keys(site, 'state_dir = "st\\u0000ate"'))
    assert message.endswith("site.state_dir: must not contain a NUL character")


@pytest.mark.parametrize(
    ("table", "key", "fault"),
    [
        ('[feeds.legacy]\n"tags" = "rss"', 'feeds.legacy."tags"', "a folder the build writes"),
        ('[feeds.legacy]\n"tags/" = "rss"', 'feeds.legacy."tags/"', "inside tags/"),
        ('[feeds.legacy]\n"" = "rss"', 'feeds.legacy.""', "relative to the output folder"),
        ('[feeds.legacy]\n"." = "rss"', 'feeds.legacy."."', "empty, . or .. parts"),
        ('[feeds.legacy]\n"a/../b" = "rss"', "feeds.legacy", "inside the output folder"),
        ('[feeds.legacy]\n"/etc/x" = "rss"', "feeds.legacy", "inside the output folder"),
        (
            '[feeds.legacy]\n".syndicate-manifest.json" = "rss"',
            "feeds.legacy",
            "the manifest",
        ),
        ('[feeds.legacy]\n"rss.xml" = "atom"', 'feeds.legacy."rss.xml"', "already the file"),
        ('[feeds.legacy]\n"feeds.opml" = "rss"', "feeds.legacy", "a file the build writes"),
        (
            '[feeds.legacy]\n"feed" = "rss"\n"feed/" = "atom"',
            'feeds.legacy."feed/"',
            "needs a folder",
        ),
        ('[feeds.filenames]\nrss = ""', "feeds.filenames.rss", "relative to the output folder"),
        ('[feeds.filenames]\nrss = "tags"', "feeds.filenames.rss", "a folder the build writes"),
        ('[feeds.filenames]\natom = "rss.xml"', "feeds.filenames.atom", "already the file"),
        ('[feeds.filenames]\njson = "a/feed.json"', "feeds.filenames.json", "a file name"),
        (
            '[feeds.filenames]\nrss = "archive"\n[feeds]\narchives = true',
            "feeds.filenames.rss",
            "a folder",
        ),
    ],
)
def test_feed_and_legacy_names_that_clash_are_refused_naming_the_key(
    site: SiteDir, table: str, key: str, fault: str
) -> None:
    problems = problems_of(site.config("\n" + table + "\n"))
    assert any(p.startswith(f"{site.root / 'config.toml'}: {key}") and fault in p for p in problems)


def test_a_toml_array_nested_5000_deep_is_a_configuration_error(site: SiteDir) -> None:
    path = site.config("[feeds]\nformats = " + "[" * 5000 + "]" * 5000 + "\n")
    [message] = problems_of(path)
    assert message.startswith(f"{path}: ") and "nested too deeply" in message


def test_output_adopt_takes_relative_globs(site: SiteDir) -> None:
    path = site.config('[output]\nadopt = ["index.xml", "**/index.xml"]\n')
    assert load_config(path).output.adopt == ["index.xml", "**/index.xml"]
    [message] = problems_of(site.config('[output]\nadopt = ["../x"]\n'))
    assert "output.adopt" in message and "relative to the output folder" in message


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.sampled_from(["a", ".", "/", "-", "tags", "rss.xml", "\\", " "]), max_size=8).map(
        "".join
    )
)
def test_an_accepted_legacy_name_stays_inside_the_output_folder_and_clashes_with_nothing(
    site: SiteDir, name: str
) -> None:
    from syndicate.config import BUILD_FILES, BUILD_FOLDERS, legacy_path
    from syndicate.output import MANIFEST

    path = site.config(f'\n[feeds.legacy]\n{json.dumps(name)} = "rss"\n')
    try:
        config = load_config(path)
    except ConfigError:
        return
    rel = legacy_path(name, "rss")
    parts = rel.split("/")
    assert rel and not rel.startswith("/") and all(p not in ("", ".", "..") for p in parts)
    assert (config.output_dir / rel).resolve().is_relative_to(config.output_dir)
    assert rel not in (*BUILD_FILES, MANIFEST, "rss.xml", "atom.xml", "feed.json")
    assert parts[0] not in BUILD_FOLDERS


def test_one_click_unsubscribe_needs_an_https_uri(site: SiteDir) -> None:
    # RFC 8058: the one-click request is a POST to the header's https URI.
    mailto = '[digest]\nlist_unsubscribe = ["mailto:leave@example.org"]\n'
    site.config(mailto + "list_unsubscribe_post = true\n")
    [problem] = problems_of(site.root / "config.toml")
    assert "config.toml: digest.list_unsubscribe_post: true needs an https:// URI" in problem
    site.config(
        '[digest]\nlist_unsubscribe = ["mailto:leave@example.org", "https://e.org/leave"]\n'
        "list_unsubscribe_post = true\n"
    )
    assert load_config(site.root / "config.toml").digest.list_unsubscribe_post


def test_feeds_need_at_least_one_format(site: SiteDir) -> None:
    site.config("[feeds]\nformats = []\n")  # only the legacy copies would be written
    [problem] = problems_of(site.root / "config.toml")
    assert problem.endswith('feeds.formats: list at least one of "rss", "atom" and "json"')


def _with_language(site: SiteDir, written: str) -> Path:
    return site.config(replace=BASE_CONFIG.replace("[site]\n", f'[site]\nlanguage = "{written}"\n'))


@pytest.mark.parametrize(
    ("written", "tag"),
    [
        *(("en", "en"), ("en_US", "en-US"), ("pt_BR", "pt-BR")),
        *(("zh-Hant-TW", "zh-Hant-TW"), ("x-klingon", "x-klingon")),
    ],
)
def test_site_language_is_a_language_tag(site: SiteDir, written: str, tag: str) -> None:
    # A locale's `en_US` is written as the `en-US` RSS, Atom's xml:lang and JSON Feed take.
    assert load_config(_with_language(site, written)).site.language == tag


@pytest.mark.parametrize("written", ["English", "en us", "", "e", "en-", "en-toolongsubtag"])
def test_a_site_language_that_is_no_tag_is_refused(site: SiteDir, written: str) -> None:
    path = _with_language(site, written)
    assert problems_of(path) == [
        f"{path}: site.language: {json.dumps(written)} is not a language tag; use a BCP 47 tag "
        'such as "en", "en-GB" or "pt-BR"'
    ]


@given(st.from_regex(r"[a-z]{2,3}([_-][A-Za-z0-9]{1,8}){0,3}", fullmatch=True))
@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_tag_or_locale_is_taken_as_its_tag(site: SiteDir, written: str) -> None:
    tag = load_config(_with_language(site, written)).site.language
    assert tag == written.replace("_", "-")


@given(st.from_regex(_PLAIN_ADDRESS, fullmatch=True))
def test_a_plainly_valid_address_is_one_the_email_package_reads_as_one(value: str) -> None:
    """The quick check of `sender` and `to` takes only what email.utils takes: an address in
    any other form goes to email.utils."""
    import email.utils

    _name, addr = email.utils.parseaddr(value)
    assert "@" in addr and addr in value


@given(st.text(max_size=60))
def test_an_address_is_checked_the_same_with_or_without_the_quick_path(value: str) -> None:
    import email.utils

    from syndicate.config import _address

    _name, addr = email.utils.parseaddr(value)
    valid = "@" in addr and "\n" not in value and "\r" not in value
    try:
        assert _address(value) == value and valid
    except ValueError:
        assert not valid
