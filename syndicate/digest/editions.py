"""Editions: one digest per language. The default language's edition keeps the period's id
(`2024-W44`), its web copy at `digests/<id>/` and the `[digest]` and `[delivery]` settings as
written; each language of `[digest] languages` adds an edition with the id `2024-W44-de`, its
web copy at `digests/de/<id>/`, and its `[digest.language.<code>]` table applied to a copy of
the config (subject, intro, outro, labels, templates, and the transport's audience), with the
site's title in that language (its masthead, subject and footer name the language's title),
and links to that language's home page and feeds page.

An edition's id is its own in the ledger, so each language's digest is sent at most once, and
one language's failure says nothing about another's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from ..config import AUDIENCE, Config, DigestLanguageTable, over
from ..datatype import datatype
from ..errors import ConfigError, UsageError
from ..feeds.newsletter import web_folder
from ..model import Post
from ..tables import replace
from .periods import Period


@datatype
class Edition:
    """The digest in one language."""

    code: str  # "" for the default language's digest, else the language's code ("de")
    language: str  # the code the posts of this edition carry ("" matches it too by default)
    locale: str  # for dates and month names (Babel), e.g. "de", "pt_BR", "en-GB"
    config: Config  # the site's config with this language's table applied
    subject: str | None = None  # a template of the subject line, replacing subject.txt
    multilingual: bool = False  # the site has more than one language
    # A language's edition: its home page and its feeds page ("": the site's).
    home: str = ""
    feeds_url: str = ""

    @property
    def direction(self) -> str:
        """How its language is written: "rtl" (Arabic, Hebrew, Persian...) or "ltr"."""
        from ..feeds.listing import text_direction  # and the feeds' modules: only to render

        return text_direction(self.locale)

    @property
    def suffix(self) -> str:
        return f"-{self.code}" if self.code else ""

    def period(self, period: Period) -> Period:
        """The period under this edition's id."""
        return Period(period.start, period.end, period.id + self.suffix)

    def folder(self, digest_id: str) -> str:
        """The web copy's folder in the output folder."""
        return web_folder(digest_id, self.code)

    def posts(self, posts: Sequence[Post]) -> list[Post]:
        """The posts in this edition's language: on a one-language site, every post."""
        if not self.multilingual:
            return list(posts)
        if self.code:
            return [p for p in posts if p.language == self.language]
        return [p for p in posts if p.language in ("", self.language)]

    def owns(self, digest_id: str, others: Sequence[str]) -> bool:
        """Whether a ledger's digest id is one of this edition's (`others`: every other
        edition's code)."""
        if self.code:
            return digest_id.endswith(self.suffix)
        return not any(digest_id.endswith(f"-{code}") for code in others)


def require_sender(config: Config) -> str:
    """`[digest] from`, which every edition's email needs; raises ConfigError when it is not
    set. Checked before the posts are read, so that a digest without one stops at once,
    whether or not its period has new posts."""
    if not config.digest.sender:
        raise ConfigError(
            f"{config.path}: digest.from: missing required key (the sender address)",
            hint='set it under [digest] in the config, e.g. from = "News <news@example.org>"',
        )
    return config.digest.sender


def editions(config: Config) -> list[Edition]:
    """The default language's edition, then one per language of `[digest] languages`."""
    others = [language_edition(config, code) for code in config.digest.languages]
    return [default_edition(config), *others]


def default_edition(config: Config) -> Edition:
    languages = config.generator.languages if config.generator else ()
    if not languages:
        return Edition("", config.site.language, config.site.language, config)
    return Edition("", languages[0].code, languages[0].locale, config, multilingual=True)


def language_edition(config: Config, code: str) -> Edition:
    """The edition of `code`, one of `[digest] languages` (checked when the config was
    loaded). Raises UsageError for any other code."""
    languages = config.generator.languages if config.generator else ()
    found = next((lang for lang in languages if lang.code == code), None)
    if found is None or code not in config.digest.languages:
        raise UsageError(
            f"no digest in the language {code!r}",
            "list the language in [digest] languages; it must be one of the site's",
        )
    table = config.digest.language.get(code, DigestLanguageTable())
    applied = _applied(config, table)
    if found.title:  # the generator's title of the site in that language
        site = replace(applied.site, title=found.title)
        applied = dataclasses.replace(applied, site=site)
    from ..feeds.channels import feed_languages  # and the content loader: only for this edition

    pages = next((lang for lang in feed_languages(config) if lang.code == code), None)
    return Edition(
        code,
        code,
        found.locale,
        applied,
        table.subject,
        multilingual=True,
        home=pages.home if pages else "",
        feeds_url=pages.url(f"{pages.prefix}feeds.html") if pages else "",
    )


def edition_of(config: Config, summary: dict[str, Any]) -> Edition:
    """The edition a rendered digest (its digest.json) belongs to."""
    code = summary.get("language")
    return language_edition(config, code) if isinstance(code, str) and code else editions(config)[0]


def belongs(config: Config, edition: Edition) -> Callable[[str], bool]:
    """Whether a digest id in the ledger is one of `edition`'s."""
    if not config.digest.languages:
        return lambda _: True
    others = list(config.digest.languages)
    return lambda digest_id: edition.owns(digest_id, others)


def _applied(config: Config, table: DigestLanguageTable) -> Config:
    """`config` with a language's table in place of the `[digest]` and audience values."""
    digest: dict[str, Any] = {
        key: getattr(table, key)
        for key in ("intro", "outro", "templates_dir", "to")
        if getattr(table, key) is not None
    }
    if table.labels is not None:  # each label it leaves out is [digest]'s
        digest["labels"] = over(config.digest.labels, table.labels)
    changed = dataclasses.replace(config, digest=replace(config.digest, **digest))
    transport = config.delivery.transport
    current = getattr(config.delivery, transport, None)
    keys = AUDIENCE.get(transport, ())
    if current is None or not keys:
        return changed
    # The language's audience replaces the transport's whole: a German recipients file never
    # goes out together with the default language's list or segment.
    audience = replace(current, **{key: getattr(table, key) for key in keys})
    delivery = replace(config.delivery, **{transport: audience})
    return dataclasses.replace(changed, delivery=delivery)
