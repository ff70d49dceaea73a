"""A post's template syntax -> Markdown/HTML with every shortcode rendered or removed.

In: a post's Markdown body and the site's syntax (`[markdown] template_syntax`: "hugo", "jekyll",
"zola" or "none"). Out: an `Expansion`, the Markdown with every shortcode rendered or removed
(HTML output stands in the text as placeholders, put back once mistune has rendered it, as
Hugo does), plus the problems found, each with its line in the body (the caller adds the
post's file and the line its body starts on).

One module per syntax (`hugo`, `jekyll`, `zola`), each with `DELIMITERS` (a body with none of
them is left as it is, at the cost of a substring check) and `expand(text, context)`.
`builtins` holds the renderings the syntaxes share
(figure, youtube, ...); `templates` the site's own, Jinja2 files in `[markdown]
shortcodes_dir`; `refs` finds the post a `ref` names; `attributes` is the mistune plugin for
heading ids (`## Setup {#setup}`).
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from ...datatype import datatype

if TYPE_CHECKING:
    from ...config import Config
    from ...sites import PostRules
    from .refs import RefIndex
    from .relative_links import Rules as RelativeLinks
    from .templates import Shortcodes

SyntaxName = Literal["hugo", "jekyll", "zola", "none"]
SYNTAXES: tuple[SyntaxName, ...] = ("hugo", "jekyll", "zola", "none")
# The syntaxes that have a parser; any other reads as "none".
PARSED: frozenset[str] = frozenset({"hugo", "jekyll", "zola"})
Severity = Literal["error", "warning"]
# Where any syntax's markup may begin (`Post.templated`), whichever syntax the site reads: the
# modules' `DELIMITERS` but kramdown's `{:`, which makes no problem to look for in a body.
MAY_BEGIN = ("{{", "{%", "@/")
# The prefix of a file a jekyll-relative-links link named, among a post's refs (`relative_links`).
RELATIVE_LINK = "relative_links:"
# The prefix of a path Hugo's link render hook looked up, among a post's refs (`link_hook`).
LINK_HOOK = "link_hook:"
# The prefix of a name a Jekyll `{% post_url %}` looked up, among a post's refs (`jekyll`).
POST_URL = "post_url:"


def syntax_of(config: Config) -> SyntaxName:
    """The site's template syntax: `[markdown] template_syntax`, else its generator's, else
    "none". Never guessed from a post."""
    chosen = config.markdown.template_syntax
    if chosen is not None:
        return chosen
    return config.generator.generator if config.generator is not None else "none"


@datatype
class Issue:
    """A problem in a body: `line` counts from the body's first line (1)."""

    severity: Severity
    line: int
    message: str
    hint: str | None = None
    # An unknown shortcode's name: those are reported once per name for the whole site.
    unknown: str | None = None
    # The names of its arguments holding text ("body, header"): removed with the call, which a
    # theme's template shows (`{{ note(body="...") }}`), so the warning must not say it is kept.
    dropped: str | None = None


@datatype
class Page:
    """What a shortcode may know of the post it is in."""

    title: str
    permalink: str
    params: Mapping[str, Any]
    source: str  # the post's file (refs are resolved from its folder)
    date: datetime | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    image: str | None = None  # the featured image's absolute URL
    authors: tuple[str, ...] = ()  # names, as the front matter gave them
    description: str | None = None
    language: str = ""  # the post's language ("": the site's own)


@datatype
class RefMissing:
    """What a ref that names no page gives: Hugo's `refLinksErrorLevel` ("ERROR", which stops
    its build, or "WARNING": `warning`) and `refLinksNotFoundURL`, the link's address ("": none,
    the link keeps its text)."""

    warning: bool = False
    url: str = ""


@datatype(frozen=False)
class Context:
    """What expanding one body needs: the page, the site, the shortcodes on hand, and how to
    render Markdown (the inner content of an HTML shortcode)."""

    page: Page
    site: Mapping[str, Any]
    shortcodes: Shortcodes | None
    refs: RefIndex | None
    markdown: Callable[[str], str]
    # Every `ref` looked up, and what it gave (the HTML depends on it: part of its cache key).
    looked_up: dict[str, str | None] = field(default_factory=dict)
    # Hugo's `enableInlineShortcodes`: without it every inline shortcode is left out.
    inline_shortcodes: bool = True
    # False when only the problems and refs are wanted (a record): the built-in shortcodes
    # then leave their Markdown unrendered, a fifth of expanding the bench's html corpus, and
    # the expanded text is left as the calls made it (not ready to render).
    wants_html: bool = True
    # A Jekyll site's jekyll-relative-links, where it rewrites posts (`relative_links`).
    relative_links: RelativeLinks | None = None
    # Hugo's embedded link render hook is on: each link's destination is looked up as a page
    # (`link_hook`).
    link_hook: bool = False
    # A ref naming no page (`RefMissing`).
    ref_missing: RefMissing = RefMissing()


@datatype(frozen=False)
class Expansion:
    """A body with its shortcodes expanded: `text` is Markdown in which `outputs[i]` stands as
    `placeholder(i)`."""

    text: str
    outputs: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    refs: dict[str, str | None] = field(default_factory=dict)

    def hold(self, html: str) -> str:
        """A placeholder for HTML that mistune must not touch."""
        self.outputs.append(html)
        return placeholder(len(self.outputs) - 1)


# Letters and digits only: mistune leaves them alone anywhere, in a link's URL too (Hugo's
# own placeholders are `HAHAHUGOSHORTCODE-n-HBHB`).
_PREFIX = "HAHASYNDSC"
_HELD = re.compile(_PREFIX + r"(\d+)HBHB")
_HELD_IN_P = re.compile(r"<p>" + _PREFIX + r"(\d+)HBHB</p>\n?")
_BLOCK = re.compile(
    r"\s*<(?:address|article|aside|blockquote|details|div|dl|figure|footer|h[1-6]|header|hr|ol"
    r"|p|pre|section|table|ul)\b",
    re.IGNORECASE,
)


def placeholder(index: int) -> str:
    return f"{_PREFIX}{index}HBHB"


def finish(rendered: str, expansion: Expansion) -> str:
    """Put each held output back into the HTML mistune made of `expansion.text`; a placeholder
    that is a paragraph by itself replaces that paragraph (Hugo's issue #1148)."""
    if not expansion.outputs:
        return rendered
    outputs = expansion.outputs

    def block(match: re.Match[str]) -> str:
        out = outputs[int(match.group(1))]
        if not out.strip():
            return ""
        return out + "\n" if _BLOCK.match(out) else f"<p>{out}</p>\n"

    def inline(match: re.Match[str]) -> str:
        return outputs[int(match.group(1))]

    return _HELD.sub(inline, _HELD_IN_P.sub(block, rendered))


class LineNumbers:
    """Offsets -> line numbers, 1-based, for one body. Counted from the offset asked last
    (calls are visited in order), at C speed: a table of every line's start cost more than
    the calls looked up in most bodies."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def __call__(self, offset: int) -> int:
        offset = max(offset, 0)
        if offset < self._offset:
            self._offset, self._line = 0, 1
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


class Parser(Protocol):
    """What each syntax module provides."""

    DELIMITERS: tuple[str, ...]

    def expand(self, text: str, context: Context) -> Expansion: ...


def parser(name: str) -> Parser | None:
    """The module of a syntax, or None for one read as "none"."""
    if name not in PARSED:
        return None
    module: ModuleType = importlib.import_module(f"{__name__}.{name}")
    return cast(Parser, module)


def has_syntax(text: str, delimiters: Sequence[str]) -> bool:
    """Whether `text` holds one of `delimiters`. Each is looked for by its first character:
    CPython finds one character at memory speed, but a two-character string in a text with
    non-ASCII characters at ~4 µs a kilobyte (40 µs for a long post, every post, every build)."""
    ends = tuple(delimiters)
    for first in {d[0] for d in ends}:
        at = text.find(first)
        while at != -1:
            if text.startswith(ends, at):
                return True
            at = text.find(first, at + 1)
    return False


def expand(text: str, syntax: str, context: Context) -> Expansion:
    """`text` with the shortcodes of `syntax` expanded; text without any of its delimiters
    comes back as it is."""
    module = parser(syntax)
    if module is None:
        return Expansion(text)
    if not has_syntax(text, delimiters(module, context.relative_links, context.link_hook)):
        return Expansion(text)
    return module.expand(text, context)


def delimiters(
    module: Parser, relative_links: RelativeLinks | None, link_hook: bool = False
) -> tuple[str, ...]:
    """Where the syntax's markup may begin in a body: its `DELIMITERS`, and a link's brackets
    where jekyll-relative-links rewrites links (`relative_links`) or Hugo's link render hook
    looks them up (`link_hook`)."""
    return (*module.DELIMITERS, *_link_brackets(relative_links is not None, link_hook))


@functools.cache
def may_begin(rules: PostRules | None) -> tuple[str, ...]:
    """`MAY_BEGIN` of a site's posts (`Post.templated`): with a link's brackets too where
    jekyll-relative-links rewrites them or Hugo's link render hook looks them up, whose
    addresses a post's record holds."""
    if rules is None:
        return MAY_BEGIN
    settings = dict(rules.settings)
    relative = relative_links_of(settings) is not None
    hooked = bool(json.loads(settings.get("link_hook", "false")))
    return (*MAY_BEGIN, *_link_brackets(relative, hooked))


def _link_brackets(relative_links: bool, link_hook: bool) -> tuple[str, ...]:
    """Where a link may begin for jekyll-relative-links (`relative_links`) or Hugo's link
    render hook (`link_hook`), each module's own (a site has one generator); none without."""
    if relative_links:
        from .relative_links import DELIMITERS

        return DELIMITERS
    if link_hook:
        from .link_hook import DELIMITERS as LINKS

        return LINKS
    return ()


def relative_links_of(settings: Mapping[str, str]) -> RelativeLinks | None:
    """A Jekyll site's jekyll-relative-links, where it rewrites posts: its `relative_links`
    setting (`sites.jekyll.config`), JSON text; None where it does not."""
    found = json.loads(settings.get("relative_links", "null"))
    if not isinstance(found, dict):
        return None
    from .relative_links import Rules

    return Rules(tuple(found["markdown_ext"]), tuple(found["exclude"]))


__all__ = [
    "LINK_HOOK",
    "MAY_BEGIN",
    "OWN_MARKDOWN",
    "PARSED",
    "POST_URL",
    "RELATIVE_LINK",
    "SYNTAXES",
    "Context",
    "Expansion",
    "Issue",
    "LineNumbers",
    "Page",
    "Setup",
    "SyntaxName",
    "delimiters",
    "expand",
    "finish",
    "has_syntax",
    "may_begin",
    "parser",
    "placeholder",
    "relative_links_of",
    "resolve_ref",
    "setup",
    "shortcodes_key",
    "syntax_of",
]


@datatype(frozen=False)
class Setup:
    """A site's template syntax, as the renderer needs it; `refs` is set once posts are loaded."""

    name: str
    site: Mapping[str, Any]
    shortcodes: Shortcodes | None
    refs: RefIndex | None = None
    # Hugo's `markup.goldmark.parser.attribute.block`: `{.class}` lines under blocks are read.
    block_attributes: bool = False
    # Hugo's `enableEmoji`: `:smile:` codes in the text become emoji (`emoji_codes`).
    emoji: bool = False
    # Hugo's `security.enableInlineShortcodes` (or the older top-level key): inline
    # shortcodes are run; without it Hugo leaves them out (hugolib/shortcode.go).
    inline_shortcodes: bool = False
    # mistune plugins for what the generator's Markdown reads besides what all of them read:
    # bare URLs as links, definition lists (Hugo's goldmark, kramdown), abbreviations
    # (kramdown): `_markdown_plugins`.
    plugins: tuple[str, ...] = ()
    # Hugo's typographer (on by default): its substitutions (`typographer.DEFAULTS`' keys);
    # None where the generator has none, or the site turns it off.
    typography: tuple[tuple[str, str], ...] | None = None
    # A Jekyll site's kramdown `smart_quotes` and `typographic_symbols`: what it writes
    # instead of each quote and symbol, by kramdown's names (`kramdown_typography`).
    kramdown: tuple[tuple[str, str], ...] = ()
    # Raw HTML in Markdown is kept (sanitized); Hugo's goldmark leaves it out unless
    # `markup.goldmark.renderer.unsafe`.
    raw_html: bool = True
    # A Jekyll site's jekyll-relative-links, where it rewrites posts (`relative_links`).
    relative_links: RelativeLinks | None = None
    # Hugo's embedded link render hook is on (`link_hook`).
    link_hook: bool = False
    ref_missing: RefMissing = RefMissing()


# syndicate's own Markdown, besides what every generator's reads: a bare URL, a `www.`
# address and an email address are links (`linkify`).
OWN_MARKDOWN = ("linkify",)


def setup(config: Config) -> Setup | None:
    """The site's syntax, or None for "none"."""
    name = syntax_of(config)
    if parser(name) is None:
        return None
    from .templates import Shortcodes

    folder = config.path_of(config.markdown.shortcodes_dir)
    site = {
        "title": config.site.title,
        "base_url": config.base_url,
        "params": _params(config),
        "language_params": _decoded(config, "language_params", "{}"),
    }
    if name == "jekyll":
        from .jekyll import site_values

        site = site_values(config)
    blocks, emoji = _hugo_flag(config, "block_attributes"), _hugo_flag(config, "emoji")
    inline = config.generator is None or _hugo_flag(config, "inline_shortcodes")
    return Setup(
        name,
        site,
        Shortcodes(folder),
        block_attributes=blocks,
        emoji=emoji,
        inline_shortcodes=inline,
        plugins=_markdown_plugins(config),
        typography=_typography(config),
        kramdown=_kramdown(config),
        raw_html=_raw_html(config),
        relative_links=_relative_links(config),
        link_hook=_hugo_flag(config, "link_hook"),
        ref_missing=_ref_missing(config),
    )


def _ref_missing(config: Config) -> RefMissing:
    if config.generator is None or config.generator.generator != "hugo":
        return RefMissing()
    return RefMissing(
        _setting(config, "ref_warning"), str(_decoded(config, "ref_not_found_url", '""'))
    )


def _relative_links(config: Config) -> RelativeLinks | None:
    """jekyll-relative-links, where the site's Jekyll config has it rewrite posts."""
    if config.generator is None or config.generator.generator != "jekyll":
        return None
    return relative_links_of(dict(config.generator.rules.settings))


def _raw_html(config: Config) -> bool:
    """Whether raw HTML in Markdown reaches the page: on a Hugo site only with
    `markup.goldmark.renderer.unsafe` (goldmark writes `<!-- raw HTML omitted -->` instead)."""
    if config.generator is None or config.generator.generator != "hugo":
        return True
    return _setting(config, "raw_html")


def _typography(config: Config) -> tuple[tuple[str, str], ...] | None:
    """Hugo's typographer substitutions, unless its config turns the typographer off
    (`markup.goldmark.extensions.typographer.disable`); None for other generators."""
    if config.generator is None or config.generator.generator != "hugo":
        return None
    found = _decoded(config, "typographer", "{}")
    return tuple(sorted(found.items())) if isinstance(found, dict) else None


def _kramdown(config: Config) -> tuple[tuple[str, str], ...]:
    """What a Jekyll site's `kramdown: smart_quotes` and `typographic_symbols` write instead
    of kramdown's own quotes and symbols (`kramdown_typography.overrides`)."""
    if config.generator is None or config.generator.generator != "jekyll":
        return ()
    from .kramdown_typography import overrides

    quotes = _decoded(config, "kramdown_smart_quotes", "null")
    return overrides(quotes, _decoded(config, "kramdown_typographic_symbols", "{}"))


def _markdown_plugins(config: Config) -> tuple[str, ...]:
    """What the site's Markdown reads besides what every generator's does. A bare URL, `www.`
    address or email address is a link (`syntax.linkify`) on syndicate's own sites, and on
    Hugo's unless `markup.goldmark.extensions.linkify` is false (`www.` ones with its
    `linkifyProtocol`); kramdown (Jekyll 4.3.1 left `https://example.com/x` as text) and Zola's
    pulldown-cmark (no extended autolinks) leave it text. Hugo's goldmark has its own footnote
    ids (`syntax.footnotes`), and definition lists unless
    `markup.goldmark.extensions.definitionList` is false
    (https://gohugo.io/configuration/markup/#extensions); kramdown, Jekyll's, has them and
    abbreviations (`*[CSS]: Cascading Style Sheets`), HTML blocks that run to their end tag
    (`html_blocks`) and span elements whose content it keeps as written (`kramdown_spans`),
    footnotes with its own ids, its own tables (`kramdown_tables`), links
    (`kramdown_links`) and math (`kramdown_math`); Zola's
    pulldown-cmark has them with `[markdown] definition_list = true`, footnotes with its own
    ids, at the end with `bottom_footnotes` (`syntax.footnotes`), and typographic quotes,
    dashes and dots with `smart_punctuation` (`syntax.smart_punctuation`)."""
    generator = config.generator.generator if config.generator is not None else None
    if generator is None:
        return OWN_MARKDOWN
    if generator == "jekyll":
        return (
            *("def_list", "abbr", "kramdown_html", "kramdown_footnotes", "kramdown_tables"),
            *("kramdown_links", "kramdown_spans", "kramdown_typography", "kramdown_lists"),
            *("kramdown_eob", "kramdown_math"),
        )
    found = []
    if generator == "hugo" and _setting(config, "linkify"):
        found.append("linkify_http" if _setting(config, "linkify_http") else "linkify")
    if generator == "hugo":
        found.append("goldmark_footnotes")
    if generator == "zola":
        bottom = _setting(config, "bottom_footnotes")
        found.append("zola_bottom_footnotes" if bottom else "zola_footnotes")
        if _setting(config, "smart_punctuation"):
            found.append("smart_punctuation")
    if _setting(config, "definition_list"):
        found.append("def_list")
    return tuple(found)


def _params(config: Config) -> dict[str, Any]:
    """The site's params as its generator's config gives them (Hugo's `[params]`)."""
    value = _decoded(config, "params", "{}")
    return value if isinstance(value, dict) else {}


def _hugo_flag(config: Config, name: str) -> bool:
    """A markup setting of the site's Hugo config (`block_attributes`: Hugo's
    `markup.goldmark.parser.attribute.block`; `emoji`: `enableEmoji`); False on other sites."""
    if config.generator is None or config.generator.generator != "hugo":
        return False
    return _setting(config, name)


def _setting(config: Config, name: str) -> bool:
    """A true/false setting the site's generator config gave (`SiteSettings.rules`)."""
    return bool(_decoded(config, name, "false"))


def _decoded(config: Config, name: str, default: str) -> Any:
    """A setting the site's generator config gave (`SiteSettings.rules`, JSON text), read;
    `default` (JSON text too) when it gave none, or the site has no generator."""
    settings = dict(config.generator.rules.settings) if config.generator is not None else {}
    return json.loads(settings.get(name, default))


def resolve_ref(setup: Setup, target: str, source: str) -> str | None:
    """What a ref to `target` in the post file `source` names, as expanding its body looked it
    up (a record of it holds while this gives the same)."""
    if setup.refs is None:
        return None
    if setup.name == "zola":
        from .zola import resolve_internal

        return resolve_internal(target, setup.refs, source, setup.site)
    if setup.name == "hugo" and target.startswith(LINK_HOOK):
        return setup.refs.page(target[len(LINK_HOOK) :], source)
    if setup.name == "jekyll" and target.startswith(RELATIVE_LINK):
        return setup.refs.resolve_file(target[len(RELATIVE_LINK) :])
    if setup.name == "jekyll" and target.startswith(POST_URL):
        from ...sites.jekyll.post_url import find

        return find(setup.refs.names(), target[len(POST_URL) :]).key()
    from .refs import split_ref_key

    path, lang = split_ref_key(target)
    return setup.refs.resolve(path, source, lang)


def shortcodes_key(config: Config) -> list[tuple[str, str]]:
    """The shortcode templates' files and hashes (part of the build cache's key)."""
    from .templates import listing

    return listing(config.path_of(config.markdown.shortcodes_dir))
