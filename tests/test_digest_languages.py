"""A digest per language: the default digest lists the default language's posts (a translated
post once), `[digest] languages` adds a digest per language with its own id, web copy, texts,
audience and ledger rows, and dates are in the digest's language whatever the machine's locale.

The site's languages come from its generator's config; here a two-language site (English,
German) is made by giving the config those languages and the loaded posts their language, as
a generator's `adapt` does."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel import localedata
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.build import Site, choose_period, load_site, make_digest
from syndicate.config import Config, load_config
from syndicate.delivery.records import since_last_sent
from syndicate.delivery.run import deliver
from syndicate.digest.archive import republish
from syndicate.digest.editions import editions, language_edition
from syndicate.digest.labels import day_label, period_label
from syndicate.digest.outbox import read_outbox
from syndicate.digest.periods import between
from syndicate.errors import ConfigError
from syndicate.sites import Language, PostRules, SiteSettings

from .conftest import NOW, RunCli, SiteDir, examples
from .servers import smtp_server

WEEK = "2024-W46"  # Monday 11 to Sunday 17 November 2024
LANGUAGES = (
    Language("en", "Test Site", "https://blog.example.com/", "", 1, "en", True),
    Language("de", "Testseite", "https://blog.example.com/de/", "de/", 2, "de", False),
    Language("fr", "Site de test", "https://blog.example.com/fr/", "fr/", 3, "fr", False),
)
# slug -> (language, translation key)
POSTS = {
    "trip": ("en", "trip"),
    "reise": ("de", "trip"),
    "voyage": ("fr", "trip"),
    "notes": ("en", ""),
    "nur-deutsch": ("de", ""),
}
TITLES = {
    "trip": "Our Trip",
    "reise": "Unsere Reise",
    "voyage": "Notre voyage",
    "notes": "Field Notes",
    "nur-deutsch": "Nur auf Deutsch",
}
DIGEST = """
[digest]
from = "Test Site <news@example.com>"
intro = "This week."
languages = ["de"]

[digest.language.de]
subject = "Neu: {{ digest.count }} Beiträge ({{ digest.period_label }})"
intro = "Diese Woche."
"""


def site_settings(root: Path, languages: tuple[Language, ...] = LANGUAGES) -> SiteSettings:
    return SiteSettings(
        generator="hugo",
        root=root,
        files=(),
        site={},
        rules=PostRules("hugo"),
        origins={},
        languages=languages,
    )


@pytest.fixture
def multilingual(monkeypatch: pytest.MonkeyPatch) -> None:
    """The site's generator config declares English (the default), German and French."""
    monkeypatch.setattr(
        "syndicate.config._generator_settings", lambda raw, root, env: site_settings(root)
    )


def write_site(site: SiteDir, extra: str = DIGEST) -> Path:
    for day, slug in enumerate(POSTS, start=12):
        site.post(
            f"posts/{slug}.md",
            f"""
            ---
            title: "{TITLES[slug]}"
            date: 2024-11-{day}T10:00:00Z
            ---
            The text of {slug}.
            """,
        )
    return site.config(extra)


def load_languages(config: Config, *args: Any, **kwargs: Any) -> Site:
    """The site loaded as a plain folder of posts, each then given the language and the
    translation key a generator's adapt gives; the site keeps its generator's languages."""
    loaded = load_site(dataclasses.replace(config, generator=None), *args, **kwargs)
    loaded.loaded.posts[:] = [
        dataclasses.replace(p, language=POSTS[p.slug][0], translation_key=POSTS[p.slug][1])
        for p in loaded.loaded.posts
    ]
    return dataclasses.replace(loaded, config=config)


def load(path: Path) -> Site:
    return load_languages(load_config(path), now=NOW, env={})


def titles(summary: Any) -> list[str]:
    return sorted(p["title"] for p in summary["posts"])


# --- which posts ------------------------------------------------------------------------------


def test_the_default_digest_lists_only_the_default_languages_posts_and_a_translation_once(
    site: SiteDir, multilingual: None
) -> None:
    loaded = load(write_site(site, '[digest]\nfrom = "T <t@example.com>"\n'))
    outcome = make_digest(loaded, choose_period(loaded.config, loaded.now, week=WEEK))
    assert outcome.result is not None
    email = outcome.result.email
    assert email.digest_id == WEEK
    assert titles(email.summary) == ["Field Notes", "Our Trip"]
    assert "Unsere Reise" not in email.text and "Notre voyage" not in email.html
    assert "language" not in email.summary  # the default's record is as it always was


def test_a_language_digest_has_its_own_id_posts_texts_and_web_copy(
    site: SiteDir, multilingual: None
) -> None:
    loaded = load(write_site(site))
    config = loaded.config
    period = choose_period(config, loaded.now, week=WEEK)
    make_digest(loaded, period)
    outcome = make_digest(loaded, period, edition=language_edition(config, "de"))
    assert outcome.result is not None
    email = outcome.result.email
    assert email.digest_id == f"{WEEK}-de"
    assert titles(email.summary) == ["Nur auf Deutsch", "Unsere Reise"]
    assert email.summary["language"] == "de"
    assert email.subject == "Neu: 2 Beiträge (11.–17. November 2024)"
    assert "Diese Woche." in email.text and "This week." not in email.text
    assert "13. November 2024" in email.text  # Unsere Reise's date, in German
    web = config.output_dir / "digests" / "de" / f"{WEEK}-de"
    assert email.web_url == f"https://blog.example.com/digests/de/{WEEK}-de/"
    assert "Unsere Reise" in (web / "index.html").read_text(encoding="utf-8")
    assert (config.outbox_dir / f"{WEEK}-de" / "message.eml").is_file()
    # The digests' feed and index list the default language's digest, not the German one.
    index = (config.output_dir / "digests" / "index.html").read_text(encoding="utf-8")
    assert f"digests/{WEEK}/" in index and f"{WEEK}-de" not in index
    assert not (config.output_dir / "digests" / f"{WEEK}-de").exists()


def test_a_language_table_has_its_own_templates(site: SiteDir, multilingual: None) -> None:
    folder = site.root / "templates-de"
    folder.mkdir()
    (folder / "subject.txt").write_text("Wochenpost {{ digest.id }}\n", encoding="utf-8")
    path = write_site(
        site, DIGEST.replace('subject = "Neu: ', 'templates_dir = "templates-de"\n# "')
    )
    loaded = load(path)
    period = choose_period(loaded.config, loaded.now, week=WEEK)
    german = make_digest(loaded, period, edition=language_edition(loaded.config, "de"))
    english = make_digest(loaded, period)
    assert german.result is not None and english.result is not None
    assert german.result.email.subject == f"Wochenpost {WEEK}-de"
    assert english.result.email.subject.startswith("Test Site: ")


# --- dates ------------------------------------------------------------------------------------


def test_a_language_digests_web_copy_is_published_again_under_its_folder(
    site: SiteDir, multilingual: None
) -> None:
    loaded = load(write_site(site))
    config = loaded.config
    period = choose_period(config, loaded.now, week=WEEK)
    for edition in editions(config):
        make_digest(loaded, period, edition=edition)
    digests = config.output_dir / "digests"
    published = {p: p.read_bytes() for p in sorted(digests.rglob("*")) if p.is_file()}
    assert digests / "de" / f"{WEEK}-de" / "index.html" in published
    shutil.rmtree(config.output_dir)  # the site's generator, before its build
    republished = republish(config)
    assert {p: p.read_bytes() for p in sorted(digests.rglob("*")) if p.is_file()} == published
    assert len(republished.written) == len(published) and not republished.problems


@pytest.mark.parametrize("system_locale", ["fr_FR.UTF-8", "ja_JP.UTF-8", "C"])
def test_dates_are_in_the_digests_language_never_the_machines_locale(
    site: SiteDir, multilingual: None, monkeypatch: pytest.MonkeyPatch, system_locale: str
) -> None:
    for name in ("LC_ALL", "LC_TIME", "LANG", "LANGUAGE"):
        monkeypatch.setenv(name, system_locale)
    loaded = load(write_site(site))
    period = choose_period(loaded.config, loaded.now, week=WEEK)
    german = make_digest(loaded, period, edition=language_edition(loaded.config, "de"))
    english = make_digest(loaded, period)
    assert german.result is not None and english.result is not None
    assert "11.–17. November 2024" in german.result.email.text
    assert "12. November 2024" not in german.result.email.text  # an English post's day
    assert "11–17 November 2024" in english.result.email.text
    assert "12 November 2024" in english.result.email.text


def test_a_one_language_site_in_german_gets_german_dates(site: SiteDir) -> None:
    path = write_site(site, '[digest]\nfrom = "T <t@example.com>"\n')
    path.write_text(
        path.read_text().replace('title = "Test Site"', 'title = "T"\nlanguage = "de-DE"')
    )
    loaded = load_site(load_config(path), now=NOW, env={})
    outcome = make_digest(loaded, choose_period(loaded.config, loaded.now, week=WEEK))
    assert outcome.result is not None
    # Every post, whatever its language: a one-language site's digest lists them all.
    assert len(outcome.posts) == len(POSTS)
    assert "11.–17. November 2024" in outcome.result.email.text
    assert day_label(outcome.posts[0].date, "de-DE").endswith(". November 2024")


# --- configuration ----------------------------------------------------------------------------


def test_a_language_not_among_the_sites_is_a_config_error_naming_the_key(
    site: SiteDir, run_cli: RunCli
) -> None:
    path = write_site(site)  # a one-language site: [site] language alone ("en")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        f'{path}: digest.languages[0]: "de" is not one of the site\'s languages (en)'
    ]
    result = run_cli("digest", "--week", WEEK, "--now", NOW, cwd=site.root)
    assert result.returncode == 2
    assert "digest.languages[0]" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            'languages = ["es"]',
            'digest.languages[0]: "es" is not one of the site\'s languages (en, de, fr)',
        ),
        ('languages = ["en"]', 'digest.languages[0]: "en" is the site\'s default language'),
        ('languages = ["de", "de"]', 'digest.languages[1]: "de" is listed twice'),
        (
            '[digest.language.fr]\nintro = "x"',
            'digest.language.fr: "fr" is not in digest.languages',
        ),
        (
            'languages = ["de"]\n[digest.language.de]\ntemplates_dir = "de\\u0000x"',
            "digest.language.de.templates_dir: must not contain a NUL character",
        ),
    ],
)
def test_language_settings_that_cannot_work_are_config_errors(
    site: SiteDir, multilingual: None, extra: str, message: str
) -> None:
    text = '[digest]\nfrom = "T <t@example.com>"\n'
    text += extra if extra.startswith("[") else extra + "\n"
    path = write_site(site, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any(message in line for line in caught.value.problems), caught.value.problems


def test_a_language_without_an_audience_of_its_own_is_refused(
    site: SiteDir, multilingual: None
) -> None:
    """Without one, the German digest would go to the English list."""
    delivery = '\n[delivery]\ntransport = "smtp"\n[delivery.smtp]\nhost = "localhost"\nto = "list@example.com"\n'
    path = write_site(site, DIGEST + delivery)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any(
        line.endswith(
            "digest.language.de: the smtp transport needs `to` or `recipients_file` here: "
            "who receives the de digest (without it, that digest would go to the default "
            "language's readers)"
        )
        for line in caught.value.problems
    ), caught.value.problems
    (site.root / "de.txt").write_text("leser@example.com\n", encoding="utf-8")
    path.write_text(
        path.read_text().replace('intro = "Diese Woche."', 'recipients_file = "de.txt"')
    )
    config = load_config(path)
    german = language_edition(config, "de").config.delivery.smtp
    english = editions(config)[0].config.delivery.smtp
    assert german is not None and english is not None
    assert (german.recipients_file, german.to) == ("de.txt", None)
    assert (english.recipients_file, english.to) == (None, "list@example.com")


# --- sending ----------------------------------------------------------------------------------


def ledger_rows(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as db:
        found = db.execute(
            "SELECT digest_id, chunk, status FROM sends ORDER BY digest_id"
        ).fetchall()
    return [tuple(row) for row in found]


def test_each_language_digest_is_sent_once_by_its_id(
    site: SiteDir, multilingual: None, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    """Through the command line, the outbox transport and a real SQLite ledger: both digests
    go out, and a second run sends neither again, even with their sent copies gone."""
    loaded = load(write_site(site))
    monkeypatch.setattr("syndicate.build.load_site", load_languages)
    result = run_cli("digest", "--week", WEEK, "--now", NOW, "--send", cwd=site.root)
    assert result.returncode == 0, result.stderr
    sent = site.root / "sent"
    assert sorted(p.name for p in sent.glob("*.eml")) == [f"{WEEK}-de.eml", f"{WEEK}.eml"]
    ledger = loaded.config.ledger_path
    assert ledger_rows(ledger) == [(WEEK, "all", "sent"), (f"{WEEK}-de", "all", "sent")]
    for eml in sent.glob("*.eml"):
        eml.unlink()
    again = run_cli("digest", "--week", WEEK, "--now", NOW, "--send", cwd=site.root)
    assert again.returncode == 0, again.stderr
    assert f"{WEEK}-de already went out via outbox" in again.stdout
    assert f"{WEEK} already went out via outbox" in again.stdout
    by_send = run_cli("send", f"{WEEK}-de", cwd=site.root)
    assert by_send.returncode == 0 and "already went out" in by_send.stdout
    assert list(sent.glob("*.eml")) == []
    assert ledger_rows(ledger) == [(WEEK, "all", "sent"), (f"{WEEK}-de", "all", "sent")]


def test_send_without_an_id_sends_the_newest_period_in_every_language(
    site: SiteDir, multilingual: None, run_cli: RunCli
) -> None:
    loaded = load(write_site(site))
    period = choose_period(loaded.config, loaded.now, week=WEEK)
    make_digest(loaded, period)
    make_digest(loaded, period, edition=language_edition(loaded.config, "de"))
    result = run_cli("send", cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (site.root / "sent").glob("*.eml")) == [
        f"{WEEK}-de.eml",
        f"{WEEK}.eml",
    ]


def test_since_last_sent_follows_each_language_on_its_own(
    site: SiteDir, multilingual: None
) -> None:
    """The English digest went out, the German one did not: the German is still due."""
    loaded = load(write_site(site))
    config = loaded.config
    period = choose_period(config, loaded.now, week=WEEK)
    make_digest(loaded, period)
    make_digest(loaded, period, edition=language_edition(config, "de"))
    report = deliver(config, read_outbox(config, WEEK), env={})
    assert report.sent
    now = period.end.replace(hour=12)
    english, german = editions(config)
    assert since_last_sent(config, now, english).period is None
    due = since_last_sent(config, now, german).period
    assert due is not None and (due.start, due.end) == (period.start, period.end)
    record = json.loads((config.outbox_dir / f"{WEEK}-de" / "digest.json").read_text())
    assert record["id"] == f"{WEEK}-de"


def test_each_language_goes_to_its_own_audience_over_real_smtp(
    site: SiteDir, multilingual: None, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    """The English digest to the transport's list address, the German one to the German
    recipients file only; a second run sends nothing."""
    (site.root / "de.txt").write_text("leser@example.com\n", encoding="utf-8")
    monkeypatch.setattr("syndicate.build.load_site", load_languages)
    with smtp_server() as box:
        write_site(
            site,
            DIGEST.replace('intro = "Diese Woche."', 'recipients_file = "de.txt"').replace(
                'intro = "This week."',
                'unsubscribe_url = "https://blog.example.com/unsubscribe/"\n'
                'list_unsubscribe = ["mailto:leave@example.com"]',
            )
            + '[delivery]\ntransport = "smtp"\n'
            + f'[delivery.smtp]\nhost = "127.0.0.1"\nport = {box.port}\nsecurity = "none"\n'
            + 'to = "list@example.com"\n',
        )
        for _ in range(2):
            result = run_cli("digest", "--week", WEEK, "--now", NOW, "--send", cwd=site.root)
            assert result.returncode == 0, result.stderr
    assert sorted(box.envelopes) == [
        ("news@example.com", ["leser@example.com"]),
        ("news@example.com", ["list@example.com"]),
    ]
    pairs = zip(box.envelopes, box.messages, strict=True)
    subjects = {rcpt[0]: m["Subject"] for (_, rcpt), m in pairs}
    assert subjects["leser@example.com"] == "Neu: 2 Beiträge (11.–17. November 2024)"
    assert subjects["list@example.com"].startswith("Test Site: ")


def test_a_missing_language_recipients_file_names_the_languages_key(
    site: SiteDir, multilingual: None, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    # The file is the language's, not the transport table's: the message names that key.
    monkeypatch.setattr("syndicate.build.load_site", load_languages)
    write_site(
        site,
        DIGEST.replace('intro = "Diese Woche."', 'recipients_file = "de.txt"').replace(
            'intro = "This week."', 'unsubscribe_url = "https://blog.example.com/unsubscribe/"'
        )
        + '[delivery]\ntransport = "smtp"\n[delivery.smtp]\nhost = "127.0.0.1"\n'
        + 'to = "list@example.com"\nunsubscribe_mailto = "leave@example.com"\n',
    )
    assert run_cli("digest", "--week", WEEK, "--now", NOW, cwd=site.root).returncode == 0
    result = run_cli("send", "--dry-run", cwd=site.root)
    assert result.returncode == 2, result.stderr
    assert "digest.language.de.recipients_file: cannot read de.txt" in result.stderr


def test_a_broken_language_subject_names_its_key(
    site: SiteDir, multilingual: None, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("syndicate.build.load_site", load_languages)
    write_site(site, DIGEST.replace("{{ digest.count }}", "{{ digest.nope }}"))
    result = run_cli("digest", "--week", WEEK, "--now", NOW, cwd=site.root)
    assert result.returncode == 2
    assert "digest.language.de.subject: 'dict object' has no attribute 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


@settings(max_examples=examples(200), deadline=None)
@given(
    tag=st.sampled_from(sorted(localedata.locale_identifiers())),
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)),
    days=st.integers(min_value=1, max_value=800),
)
def test_every_locale_babel_knows_labels_any_period(tag: str, start: date, days: int) -> None:
    tz = ZoneInfo("UTC")
    first = datetime.combine(start, time(0), tzinfo=tz)
    period = between(first, first + timedelta(days=days), tz)
    label = period_label(period, tag)
    assert label.strip() and "\n" not in label
    assert day_label(first, tag).strip()


def test_buttondown_cannot_send_a_digest_per_language(site: SiteDir, multilingual: None) -> None:
    """It sends to every subscriber of the newsletter: each language would reach everyone."""
    path = write_site(
        site, DIGEST + '\n[delivery]\ntransport = "buttondown"\n[delivery.buttondown]\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any(
        "digest.languages: buttondown sends every digest to all the newsletter's subscribers"
        in line
        for line in caught.value.problems
    ), caught.value.problems
