"""A site generator's config -> syndicate's settings, and the generator's rules for its posts.

In: the folder of a Hugo, Jekyll or Zola site. Out: `SiteSettings`, what the generator's own
config says in the terms of syndicate's `[site]` table (read at every build, never copied into
`syndicate.toml`), every config file read (they key the build cache, and `serve` watches them),
and `PostRules`, what reading one post needs of that config. Each generator is one module of
this package with the same functions (`Generator`): `detect`, `read`, `find_posts`, `adapt`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from ..datatype import datatype

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..config import Config
    from ..content.loader import SourceFile
    from ..errors import Report
    from ..model import Post

GeneratorName = Literal["hugo", "jekyll", "zola"]
GENERATORS: tuple[GeneratorName, ...] = ("hugo", "jekyll", "zola")
# What `build` and `check` read (Hugo's `config/production/`); `serve` reads "development".
ENVIRONMENTS = ("production", "development")
OWN_CONFIG = "syndicate.toml"  # what `syndicate init` writes beside the generator's config


# The key under which a generator's `adapt` may give a post's path below the site's URL
# (`/blog/post/`), or its absolute URL when it is on another host (a language at a host of its
# own), as the generator publishes it: the loader takes it out of the front matter (it never
# reaches `params`) and makes the permalink of it instead of `[site] permalink`. No front
# matter can hold it unquoted.
URL_PATH = "@path"
# Likewise, where it differs from URL_PATH: the path in the id the generator's own feeds give
# the post (Zola writes `/über-uns/` unencoded in its guid and Atom id), so that the ids
# syndicate writes are the ones readers already hold.
ID_PATH = "@idpath"
# Likewise: the post's language, as the generator names it ("en", "zh-cn"; from the file name,
# the language's content folder or the front matter), and a key its translations share (Hugo's
# `translationKey`, else the bundle or base name). Neither reaches `params`.
LANGUAGE = "@lang"
TRANSLATION = "@translation"
# Likewise: the language the front matter says the post is written in, a BCP 47 tag (Jekyll's
# `lang`, which jekyll-feed writes on the post's entry), where its feeds are in the site's.
WRITTEN_IN = "@writtenin"
# Likewise: the sections whose own feeds list the post (`Post.feed_sections`), a tuple of
# paths of folders below the content folder as written ("posts/guides"); without it, the
# post's top-level section.
FEED_SECTIONS = "@sections"
# Likewise: the summary as Markdown, rendered as the post's text is (Hugo's front matter
# `summary`: https://gohugo.io/content-management/summaries/); a summary the body marks with
# `<!--more-->` wins over it, as in Hugo ("a manual summary takes precedence over a front
# matter summary").
SUMMARY = "@summary"
# Likewise: what reading the page as its generator does found worth telling, the post
# published all the same: a list of (front-matter key, message, hint or None).
WARNINGS = "@warnings"
# Likewise: what ends the post's summary, as a generator that cuts the body there reads it
# (Jekyll's `Excerpt#extract_excerpt` partitions it at the post's `excerpt_separator`, else
# the site's): the text before it, the whole body when it is not there, none when it is "".
# Without it, the loader's own rule with `PostRules.summary_separator` (Hugo's, Zola's).
EXCERPT_SEPARATOR = "@excerpt"


@datatype
class Language:
    """One language of a multilingual site, as its generator's config declares it."""

    code: str  # as the generator names it: "en", "zh-cn"
    title: str  # the site's title in this language
    base_url: str  # absolute, ending in "/": where this language's pages are, prefix included
    prefix: str  # its folder in the output, "" for a language at the site's root, else "fr/"
    weight: int
    locale: str  # for dates and month names (Babel): "de", "pt_BR"
    default: bool
    # At a host of its own (Hugo's multihost): `base_url` is that host's, without the prefix;
    # the generator writes the language to its folder `prefix`, the default language too.
    own_host: bool = False
    # The site's description in this language, as text ("": its feeds describe themselves
    # by the language's title).
    description: str = ""


class NotAPost(Exception):
    """Raised by a generator's `adapt` for a file its generator publishes, but not as a post
    (a Zola page without a date, a Hugo headless bundle): left out without a problem. `reason`
    says why, for a build that finds no post at all (`build.left_out_files`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@datatype
class PostRules:
    """What reading one post needs from the generator's config. Small, hashable and
    picklable: it travels to worker processes, and its repr is part of the build cache's key."""

    generator: GeneratorName
    # The generator publishes drafts, posts dated in the future, expired posts (Hugo's
    # buildDrafts/buildFuture/buildExpired, Jekyll's show_drafts/future, Zola's --drafts).
    drafts: bool = False
    future: bool = False
    expired: bool = False
    # Front-matter defaults, lowest precedence first: (scope, JSON text of the values). The
    # scope is a path relative to the site's folder (Jekyll `defaults:` scope paths, Hugo
    # `cascade` targets); what a scope means is the generator module's business.
    defaults: tuple[tuple[str, str], ...] = ()
    # The generator's taxonomies: (front-matter name, syndicate's grouping: "tags",
    # "categories", "series" or "authors").
    taxonomies: tuple[tuple[str, str], ...] = ()
    # What ends a post's summary in its body (Jekyll's `excerpt_separator`; `<!--more-->` for
    # Hugo and Zola).
    summary_separator: str = "<!--more-->"
    # The site's folder, as an absolute path (scopes and file-name rules are relative to it).
    root: str = ""
    # Any other setting of the generator that reading a post needs, as (name, JSON text): the
    # generator module's business (Jekyll's `unpublished`, `collections_dir`, `permalink`).
    settings: tuple[tuple[str, str], ...] = ()


@datatype
class SiteSettings:
    """What a generator's config says, in syndicate's terms."""

    generator: GeneratorName
    root: Path
    # Every config file read, in merge order: they key the build cache; `serve` watches them.
    files: tuple[Path, ...]
    # Values for keys of syndicate's `[site]` table (`title`, `base_url`, `language`,
    # `timezone`, `content_dir`, `output_dir`, `static_dir`, `main_sections`, ...), paths
    # relative to `root`. `syndicate.toml` overrides each.
    site: Mapping[str, object]
    rules: PostRules
    # Where each value of `site` was read, as `file: key` (a bad value is reported there).
    origins: Mapping[str, str]
    # The generator's own feed files in its output folder, as `[output] adopt` globs.
    feed_globs: tuple[str, ...] = ()
    # The setting that turns the generator's own feeds off, as a user would write it.
    feeds_off: str = ""
    # Feed files the generator writes from templates syndicate does not continue (a Hugo
    # output format of its own, `rssalt` writing `rss.xml`): names syndicate's own must avoid.
    other_feeds: tuple[str, ...] = ()
    # Anything else `init` should tell the user (a theme's config is not read, ...).
    notes: tuple[str, ...] = ()
    # The addresses the generator's built-in feeds use, as `init` writes them into
    # `[feeds.addresses]`: (address pattern relative to the output folder, JSON object of the
    # entry's keys: `feed`, `format`, `limit`, `id_template`, `terms`), e.g.
    # ("tags/{term}/index.xml", '{"feed": "tags", "format": "rss"}').
    addresses: tuple[tuple[str, str], ...] = ()
    # Every language of a multilingual site, the default first (empty: one language).
    languages: tuple[Language, ...] = ()
    # The title of each section page that gives one, as (language code, "" for the default
    # language; the section's path below the content folder, "posts/guides"; the title):
    # the name its section's feeds are titled with, as the generator titles them.
    section_titles: tuple[tuple[str, str, str], ...] = ()


class Generator(Protocol):
    """What each generator module (`hugo`, `jekyll`, `zola`) provides."""

    NAME: GeneratorName
    # The date forms its front matter accepts, as the README and error messages list them.
    DATE_FORMS: tuple[str, ...]

    def detect(self, root: Path) -> Path | None:
        """The generator's main config file in `root`, if `root` holds one of its sites."""
        ...

    def read(self, root: Path, environment: str) -> SiteSettings:
        """The site's config, merged as the generator merges it. Raises `ConfigError` listing
        every problem as `file: key: message`."""
        ...

    def find_posts(
        self, config: Config, report: Report, with_stat: bool = True
    ) -> list[SourceFile]:
        """Every file the generator publishes as a post (drafts, future and expired posts
        included: the loader leaves those out by date and flag), sorted by path;
        `with_stat=False` leaves each one's time and size UNSTATED (`content.loader.discover`)."""
        ...

    def address_name(self, name: str, kind: str, settings: SiteSettings) -> str:
        """A term's name (`kind` "tags", "categories", "series", "authors") or a section's
        (`kind` "sections") as the generator writes it in a URL path (`{term}` and
        `{section}` in a feed address): Hugo's urlize, Zola's slugify, Jekyll's as written."""
        ...

    def feed_order(self, posts: Sequence[Post]) -> list[Post]:
        """The posts (newest first, as syndicate orders them) in the order the generator's
        built-in feeds list them: Hugo's weight first, Zola's ties by permalink."""
        ...

    def pages_in_feeds(self, config: Config, report: Report) -> int:
        """How many pages that are not posts the generator's built-in feeds list (syndicate's
        feeds leave them out; `init` says how many)."""
        ...

    def adapt(
        self, meta: dict[str, Any], source: SourceFile, rules: PostRules, tz: ZoneInfo
    ) -> dict[str, Any]:
        """One post's front matter in syndicate's terms (`KEYS` in content/frontmatter.py):
        defaults applied, dates parsed by the generator's rules (and taken from the file name
        where the generator does), taxonomies mapped. Raises `Invalid` naming the key, or
        `NotAPost`."""
        ...


def generator(name: GeneratorName) -> Generator:
    """The module of one generator, imported when first needed."""
    return cast(Generator, importlib.import_module(f"{__name__}.{name}"))


def detect(root: Path) -> tuple[GeneratorName, Path] | None:
    """The generator whose config `root` holds, and that file; Hugo first, then Jekyll, then
    Zola (a `config.toml` is Hugo's or Zola's by its keys)."""
    for name in GENERATORS:
        found = generator(name).detect(root)
        if found is not None:
            return name, found
    return None


__all__ = [
    "ENVIRONMENTS",
    "EXCERPT_SEPARATOR",
    "FEED_SECTIONS",
    "GENERATORS",
    "ID_PATH",
    "LANGUAGE",
    "TRANSLATION",
    "URL_PATH",
    "WARNINGS",
    "WRITTEN_IN",
    "Generator",
    "GeneratorName",
    "Language",
    "NotAPost",
    "PostRules",
    "SiteSettings",
    "detect",
    "generator",
]
