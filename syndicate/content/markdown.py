"""Post Markdown -> safe HTML with absolute URLs, rendered on demand and cached.

mistune runs with raw HTML allowed (posts rely on lines like `<small>_photo_</small>`); nh3
then removes anything that could run in a reader or mail client: scripts, event handlers,
`javascript:` URLs, and iframes. An iframe from a host the site trusts becomes a link, since
neither feed readers nor mail clients show iframes and the W3C validator flags them. Media
(`<video>`, `<audio>`, `<picture>` with their `<source>` and `<track>`) are kept with the
attributes that show them, never `autoplay`, and absolute URLs in `src`, `srcset` and `poster`.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import nh3

from ..datatype import datatype
from ..errors import Location, Problem
from ..incremental.pool import Running, parallel_map_shared, start_map_shared
from ..model import Post
from ..urls import UrlResolver, absolute_srcset
from .loader import HTML_SUFFIXES, post_body, text_digest
from .plain_inline import Scanner, use_plain_inline
from .syntax import (
    OWN_MARKDOWN,
    Context,
    Expansion,
    Issue,
    Page,
    Setup,
    delimiters,
    expand,
    finish,
    has_syntax,
    parser,
    resolve_ref,
)
from .syntax import setup as setup_syntax
from .syntax.link_hook import written
from .syntax.refs import NeedsIndex, RefIndex

if TYPE_CHECKING:
    import mistune

    from ..config import Config
    from ..incremental.ahead import Ahead

# Every generator's; and each one's own (`syntax.Setup.plugins`, `linkify` among them).
_PLUGINS = ["table", "strikethrough", "footnotes", "task_lists"]
_URL_ATTRS = frozenset({"href", "src", "cite", "poster", "data-src"})
_DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "noscript",
    "template",
    "form",
}
_MEDIA = {"video", "audio", "picture", "source", "track"}
# The schemes a link or image keeps: none runs code (`javascript:`, `data:`, `vbscript:` are
# not here); posts link chat rooms (`irc:`), files (`ftp:`), calendars (`webcal:`).
URL_SCHEMES = frozenset(
    {"http", "https", "mailto", "tel", "sms", "irc", "ircs", "xmpp", "matrix", "ftp", "sftp"}
    | {"news", "nntp", "geo", "magnet", "webcal", "git", "ssh"}
)
# `tfoot` is missing from ammonia's defaults, which keep the rest of a table.
_TAGS = (
    set(nh3.ALLOWED_TAGS) | {"section", "figure", "figcaption", "tfoot"} | _MEDIA
) - _DROP_WITH_CONTENT
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir", "id"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "data-src"},
    "code": {"class"},
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "td": {"align", "colspan", "rowspan", "style"},
    "ol": {"start"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "abbr": {"title"},
    # Media, without `autoplay`: a reader or a mail client never starts playing by itself.
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "playsinline"}
    | {"preload"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "source": {"src", "srcset", "type", "media", "sizes", "width", "height"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
# A link left without a target: its text stays, without the link (nh3 writes `<a>` so, and
# nests no link in another).
_BARE_LINK = re.compile(r"<a>(.*?)</a>", re.DOTALL)
_IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe\s*>", re.IGNORECASE | re.DOTALL)
_NOSCRIPT = re.compile(r"<noscript\b[^>]*>(.*?)</noscript\s*>", re.IGNORECASE | re.DOTALL)
_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_SIZE = re.compile(r"""\b(width|height)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
_ATTR = re.compile(r"""\b(src|title)\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|section|figure|hr)\b[^>]*>",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_EMPHASIS_MARK = re.compile(r"[*_]")
# What mistune's `_parse_link_href` steps over one by one: all but ASCII controls and
# whitespace, DEL, parentheses, backslashes (and `<`, which may open `<...>` at the start).
_PLAIN_ADDRESS = re.compile(r"[^\x00-\x20\x7f()\\<]+")


def _task_list_item(renderer: Any, text: str, checked: bool = False) -> str:
    # A disabled <input> means nothing in a feed reader or an email: show the state as text.
    box = "☑ " if checked else "☐ "
    if text.startswith("<p>"):
        return f'<li class="task-list-item"><p>{box}{text[3:]}</li>\n'
    return f'<li class="task-list-item">{box}{text}</li>\n'


def make_markdown(
    quick_scan: bool = True,
    heading_ids: bool = False,
    block_attributes: bool = False,
    emoji: bool = False,
    plugins: Sequence[str] = (),
    typography: Mapping[str, str] | None = None,
    kramdown: Mapping[str, str] | None = None,
    raw_html: bool = True,
    link_hook: bool = False,
) -> mistune.Markdown:
    """The Markdown parser posts are rendered with. `quick_scan=False` leaves mistune's inline
    scanner as it is (see `_quick_scanner`); the emphasis change (see
    `next_emphasis_mark`) is made once, for the whole process, by the first quick parser.
    `heading_ids` reads `## Title {#id}` as Hugo does, `block_attributes` a `{.class}` line under
    a block (see `syntax.attributes`), `emoji` Hugo's `:smile:` codes (`syntax.emoji_codes`);
    `plugins` are mistune's, besides `_PLUGINS` (a generator's Markdown: `syntax.Setup`);
    `typography` makes quotes, dashes and dots typographic as Hugo's typographer does, with
    these substitutions (`syntax.typographer`); `kramdown`, what a Jekyll site's kramdown
    options write for its quotes and symbols (`syntax.kramdown_typography`); `raw_html=False`
    leaves raw HTML out, as Hugo does by default; `link_hook` writes a link naming a page as
    Hugo's embedded link render hook does (`syntax.link_hook`), from the lookups of the body
    being rendered (`_LINKS`)."""
    import mistune  # 20 ms: not for a digest or a rebuild whose posts' HTML is all cached

    # Every URL as written: the sanitizer, always last, keeps the schemes the README lists and
    # drops the rest. mistune's own check knows eight schemes, and wrote any other (`xmpp:`,
    # `magnet:`, `javascript:`) as `#harmful-link`, a link to the post itself.
    renderer = mistune.HTMLRenderer(escape=False, allow_harmful_protocols=True)
    md = mistune.create_markdown(renderer=renderer, plugins=[*_PLUGINS, *_named(plugins, kramdown)])
    renderer.register("task_list_item", _task_list_item)
    if not raw_html:  # the renderer's own methods, which `register` does not replace
        renderer.block_html = renderer.inline_html = _omitted  # type: ignore[method-assign]
    if link_hook:  # the renderer's own method, which `register` does not replace
        renderer.link = functools.partial(_hooked_link, renderer.link)  # type: ignore[method-assign]
    if heading_ids:
        from .syntax.attributes import heading_attributes

        heading_attributes(md, block_attributes)
    if emoji:
        from .syntax.emoji_codes import emoji_codes

        emoji_codes(md)
    _footnote_after_a_bang(md)
    if typography is not None:
        from .syntax.typographer import typographer

        typographer(md, typography)
    _gfm_table_rows()
    if quick_scan:
        scanner = _quick_scanner(md.inline)
        _find_emphasis_marks_in_c()
        _read_link_addresses_in_c()
        use_plain_inline(md, scanner)
    return md


def parser_for(syntax: Setup | None, quick_scan: bool = True) -> mistune.Markdown:
    """The Markdown parser of a site whose template syntax is `syntax`: its generator's
    Markdown, or syndicate's own without one (`syntax = "none"`)."""
    if syntax is None:
        return make_markdown(quick_scan, plugins=OWN_MARKDOWN)
    typography = syntax.typography
    return make_markdown(
        quick_scan,
        heading_ids=True,
        block_attributes=syntax.block_attributes,
        emoji=syntax.emoji,
        plugins=syntax.plugins,
        typography=dict(typography) if typography is not None else None,
        kramdown=dict(syntax.kramdown),
        raw_html=syntax.raw_html,
        link_hook=syntax.link_hook,
    )


def _hooked_link(link: Callable[..., str], text: str, url: str, title: str | None = None) -> str:
    """A Markdown link, at the page Hugo's link render hook finds for it, if any."""
    if _LINKS:
        url = written(url, _LINKS) or url
    return link(text, url, title)


def _omitted(html: str) -> str:
    return ""  # goldmark's `<!-- raw HTML omitted -->`, a comment the sanitizer drops


def _footnote_after_a_bang(md: mistune.Markdown) -> None:
    """`9mb![^2]` is "9mb!" and a footnote reference, as goldmark (Hugo 0.168) reads it;
    mistune took `![` for an image's start and, none following, left `[^2]` as text and the
    note out. A `!` right before a reference is text, read before the image rule sees it."""

    def parse(inline: Any, m: re.Match[str], state: Any) -> int:
        inline.process_text("!", state)
        return m.end()

    md.inline.register(
        "footnote_after_bang", r"!(?=\[\^[^\]\s]+\](?!\())", parse, before="link", start_chars="!"
    )


def _named(plugins: Sequence[str], kramdown: Mapping[str, str] | None = None) -> list[Any]:
    """mistune's plugins by name; `linkify`, `kramdown_typography`, `kramdown_html`,
    `kramdown_spans`, `kramdown_tables`, `kramdown_links`, `kramdown_math`, `smart_punctuation`
    and the footnotes' markups are syndicate's (`_OWN_PLUGINS`), each module imported only for a
    site that asks for it (with its patterns, ~1.5 ms for kramdown's typography)."""
    named = []
    for name in plugins:
        where = _OWN_PLUGINS.get(name)
        if where is None:
            named.append(name)
            continue
        module, attribute = where.split(":")
        plugin = getattr(importlib.import_module(module, __package__), attribute)
        if name == "kramdown_typography":
            plugin = functools.partial(plugin, overrides=kramdown)
        named.append(plugin)
    return named


# A plugin of syndicate's by name: "module:function".
_OWN_PLUGINS = {
    "linkify": ".syntax.linkify:linkify",
    "linkify_http": ".syntax.linkify:linkify_http",
    "kramdown_typography": ".syntax.kramdown_typography:kramdown_typography",
    "kramdown_html": ".syntax.html_blocks:html_blocks",
    "kramdown_spans": ".syntax.kramdown_spans:kramdown_spans",
    "kramdown_footnotes": ".syntax.footnotes:kramdown_footnotes",
    "goldmark_footnotes": ".syntax.footnotes:goldmark_footnotes",
    "zola_footnotes": ".syntax.footnotes:zola_footnotes",
    "zola_bottom_footnotes": ".syntax.footnotes:zola_bottom_footnotes",
    "kramdown_tables": ".syntax.kramdown_tables:kramdown_tables",
    "kramdown_lists": ".syntax.kramdown_lists:kramdown_lists",
    "kramdown_eob": ".syntax.kramdown_eob:kramdown_eob",
    "kramdown_math": ".syntax.kramdown_math:kramdown_math",
    "kramdown_links": ".syntax.kramdown_links:kramdown_links",
    "smart_punctuation": ".syntax.smart_punctuation:smart_punctuation",
}


def next_emphasis_mark(text: str, pos: int) -> int:
    """Where the next `*` or `_` of `text` is from `pos` (its length if none): what mistune's
    `_next_delimiter_run` returns, found by a regex instead of a loop over each character."""
    found = _EMPHASIS_MARK.search(text, pos)
    return found.start() if found is not None else max(pos, len(text))


def _find_emphasis_marks_in_c() -> None:
    """mistune (3.2 and later) splits text into emphasis runs by stepping through it one
    character at a time in Python: a fifth of all rendering time. Its helper is swapped for
    `next_emphasis_mark`, which returns the same index for every input (a property test checks
    it against mistune's own); if the helper is not there, nothing changes."""
    try:
        from mistune._inline import emphasis
    except ImportError:
        return
    helper = getattr(emphasis, "_next_delimiter_run", None)
    if callable(helper) and getattr(helper, "__module__", None) == emphasis.__name__:
        emphasis._next_delimiter_run = next_emphasis_mark


def _read_link_addresses_in_c() -> None:
    """mistune (3.4) reads a link's address, `[text](address)`, one character at a time in
    Python: 3-4% of rendering the bench's posts, which link every few lines. Its reader is
    wrapped, once for the process (as `_find_emphasis_marks_in_c`), by one that skips a run of
    plain characters with a regex and returns what mistune would when the run ends the address
    (at the text's end, whitespace or a `)`), and otherwise asks mistune's own reader; a
    property test checks both return the same for every input. If the reader is not there,
    nothing changes."""
    try:
        from mistune import helpers
    except ImportError:
        return
    Address = tuple[str | None, int | None, int]  # the address, where it ends, where it stopped
    reader: Callable[..., Address] | None = getattr(helpers, "_parse_link_href", None)
    levels = getattr(helpers, "DEFAULT_MAX_NESTED_LEVEL", None)
    if not callable(reader) or getattr(reader, "quick", False) or not isinstance(levels, int):
        return

    def quick(
        src: str, start_pos: int, block: bool = False, *, max_nested_level: int = levels
    ) -> Address:
        run = _PLAIN_ADDRESS.match(src, start_pos)
        if run is not None:
            end = run.end()
            if end == len(src) or src[end] in " \t\n\r\f)":
                return src[start_pos:end], end, end
        return reader(src, start_pos, block, max_nested_level=max_nested_level)

    quick.quick = True  # type: ignore[attr-defined]
    helpers._parse_link_href = quick


def _gfm_table_rows() -> None:
    """mistune's table plugin follows PHP Markdown Extra: one row with fewer or more cells than
    the header turned the whole table into a paragraph of pipes. Hugo's goldmark and Zola's
    pulldown-cmark read tables as GFM does (spec 0.29, "Tables"; Jekyll's kramdown its own way,
    `syntax.kramdown_tables`): a short row gets empty cells, a long one loses those past the
    header's; and a body cell's `\\|` is a
    `|` even in a code span (GFM example 200; Hugo 0.168 wrote `<code>x|y</code>` for
    `` `x\\|y` ``, mistune kept the backslash). mistune's row reader is given rows of the
    header's width, once for the process (as `_find_emphasis_marks_in_c`); if its internals
    differ, nothing changes."""
    try:
        from mistune.plugins import table
    except ImportError:
        return
    reader, split = getattr(table, "_process_row", None), getattr(table, "_split_table_cells", None)
    if not callable(reader) or not callable(split) or getattr(reader, "gfm", False):
        return

    def gfm_row(text: str, aligns: list[str | None]) -> Any:
        cells = split(text)[: len(aligns)]
        cells += [""] * (len(aligns) - len(cells))
        row = reader(" | ".join(cells), aligns)
        for cell in row["children"] if row else ():
            cell["text"] = cell["text"].replace("\\|", "|")
        return row

    gfm_row.gfm = True  # type: ignore[attr-defined]
    table._process_row = gfm_row


def _stops_of(rule: str) -> dict[str, str]:
    """The characters a typographic rule may start at, each with what must follow it
    (`STOPS` of its module, imported only for a site whose Markdown has that rule)."""
    stops: dict[str, str] = importlib.import_module(f".syntax.{rule}", __package__).STOPS
    return stops


def _quick_scanner(inline: mistune.InlineParser) -> Scanner:
    """mistune's inline scanner skips plain text up to the next character some rule can start
    with. An email address may start with any letter (`syntax.linkify`), a typographic
    substitution with any `.` or `-` (`syntax.typographer`, `syntax.kramdown_typography`,
    `syntax.smart_punctuation`), so
    the scanner would stop at each to try every rule (mistune's own `url` rule, which starts
    with "h", cost a quarter of all rendering time that way). Stop instead where another rule's
    character is, or where one of those can begin (`linkify.scanners`; email addresses only in
    a text with an `@`). This reaches into mistune (3.2 and later), so it stands aside when
    those internals differ; tests/test_markup.py checks, with generated text, that the HTML is
    the same as mistune's own scanning gives. Returns the pattern the scanner finds a rule's
    start with in a text, None where it reads the text otherwise (`plain_inline`)."""
    from .syntax.linkify import scanners

    own = _own_scanner(inline)
    tuned = {
        name: {} if name == "linkify" else _stops_of(name)
        for name in ("linkify", "typographer", "kramdown_typography", "smart_punctuation")
        if name in inline.rules
    }
    try:
        from mistune.inline_parser import _KNOWN_RULE_START_CHARS

        known: dict[str, set[str]] = {**_KNOWN_RULE_START_CHARS, **inline._rule_start_chars}
    except (ImportError, AttributeError):
        return own
    present = list(tuned)
    if not hasattr(inline, "_get_fast_trigger_re") or not present:
        return own
    others = [known.get(name) for name in inline.rules if name not in tuned]
    if any(s is None for s in others):
        return own
    chars = re.escape("".join(sorted(set().union(*(s for s in others if s is not None)))))
    stops = {char: follow for name in present for char, follow in tuned[name].items()}
    plain, with_email = scanners(chars, stops, addresses="linkify" in present)
    current = [plain]
    inline._get_fast_trigger_re = lambda chars: current[0]  # type: ignore[method-assign]

    def chars_known() -> bool:
        return inline._get_fast_trigger_chars() is not None

    if with_email is plain:
        return lambda src: plain if chars_known() else None
    parse = inline.parse

    def parse_choosing(state: Any) -> Any:
        # One pattern for each text parsed (a text inside it is parsed on its own, in turn).
        outer = current[0]
        current[0] = with_email if "@" in state.src else plain
        try:
            return parse(state)
        finally:
            current[0] = outer

    inline.parse = parse_choosing  # type: ignore[method-assign]
    return lambda src: (with_email if "@" in src else plain) if chars_known() else None


def _own_scanner(inline: mistune.InlineParser) -> Scanner:
    """The pattern mistune's own scanner skips plain text with (None where it has none: a
    rule whose first characters it does not know)."""
    chars_of = getattr(inline, "_get_fast_trigger_chars", None)
    pattern_of = getattr(inline, "_get_fast_trigger_re", None)
    if chars_of is None or pattern_of is None:
        return lambda src: None
    made: list[Any] = [None, None]  # the characters and their pattern: mistune sorts them each call

    def scanner(src: str) -> re.Pattern[str] | None:
        chars = chars_of()
        if chars is None:
            return None
        if made[0] is not chars:
            made[:] = [chars, pattern_of(chars)]
        pattern: re.Pattern[str] = made[1]
        return pattern

    return scanner


def renderer_for(
    config: Config,
    html_cache: dict[str, str] | None = None,
    summary_cache: dict[str, str] | None = None,
) -> Renderer:
    """The site's renderer (its caches, when given, from the build cache)."""
    from_base = config.site.root_links == "base_url"
    resolver = UrlResolver(
        config.base_url,
        config.static_dir,
        root_links_from_base=from_base,
        content_dir=config.content_dir,
    )
    syntax = setup_syntax(config)
    hosts = config.markdown.iframe_hosts
    return Renderer(resolver, hosts, html_cache, summary_cache, syntax)


# The resolver and post `Renderer.sanitize` is at, for `_rewritten`, which nh3 calls back from
# the one cleaner of the process: a renderer's own method there would keep the renderer, and
# every post it holds, from ever being freed (an nh3 cleaner holds its callback where the
# collector cannot see it).
_SANITIZING: tuple[UrlResolver, Post] | None = None
# What the expansion of the body being rendered looked up, which `_hooked_link` writes its links
# from (`syntax.link_hook`): set for its rendering only, so that no other body's is used.
_LINKS: Mapping[str, str | None] | None = None


@functools.cache
def _cleaner() -> nh3.Cleaner:
    """One cleaner a process: nh3.clean converted the allow-lists at each call, a quarter of
    its time on the bench's posts."""
    return nh3.Cleaner(
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=_rewritten,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel=None,
    )


def _rewritten(tag: str, attr: str, value: str) -> str | None:
    """An attribute of the post being sanitized, as the feed shows it (None: dropped)."""
    assert _SANITIZING is not None
    resolver, post = _SANITIZING
    if attr in _URL_ATTRS:
        url = _resolved(resolver, post, value)
        # An empty link (a ref to no published page is written so) is dropped below:
        # `href=""` names whatever document shows it, which feed validators warn of.
        return None if not url and tag == "a" else url
    if attr == "srcset":
        return absolute_srcset(value, lambda ref: _resolved(resolver, post, ref))
    if attr == "class" and tag == "code":
        language = _fence_language(value.removeprefix("language-"))
        return f"language-{language}" if language else None
    return value


def _resolved(resolver: UrlResolver, post: Post, ref: str) -> str:
    """The absolute URL of `ref`, written in the post."""
    return _shared(post, ref) or resolver.resolve(ref, post.source, post.permalink).url


def _shared(post: Post, ref: str) -> str | None:
    """The URL Hugo publishes the bundle file `ref` names at, where it is not the one `ref`
    resolves to against the post's address (`Post.shared_files`), its query and fragment kept;
    else None."""
    if not post.shared_files:
        return None
    ref = ref.strip()
    try:
        parts = urlsplit(ref)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path or ref.startswith("/"):
        return None
    path = posixpath.normpath(unquote(parts.path))
    for name, url in post.shared_files:
        if name == path:
            return url + ref[len(parts.path) :]
    return None


class Renderer:
    """Renders posts to HTML once each; `html()` and `summary()` are pure functions of the post.

    The caches may come from the build cache: their keys name everything the result depends
    on (the text, the file it came from and its permalink, which relative URLs resolve against).
    """

    def __init__(
        self,
        resolver: UrlResolver,
        iframe_hosts: Iterable[str],
        html_cache: dict[str, str] | None = None,
        summary_cache: dict[str, str] | None = None,
        syntax: Setup | None = None,
    ) -> None:
        self._syntax = syntax if syntax is not None and parser(syntax.name) else None
        self._delimiters = _delimiters(self._syntax)
        self._parser: mistune.Markdown | None = None  # made when a post is first rendered
        self._resolver = resolver
        self._iframe_hosts = frozenset(iframe_hosts)
        self._html = html_cache if html_cache is not None else {}
        self._summary = summary_cache if summary_cache is not None else {}
        # Records made as the posts were parsed (`early_record`): source -> (permalink, record).
        self._early: dict[str, tuple[str, str]] = {}
        self._ahead: Ahead | None = None  # posts being rendered ahead (`use_ahead`)
        # Post bodies as another process read them (`use_ahead`), by file: a post loaded
        # without its body is read again otherwise (`_body`).
        self._bodies: Mapping[str, str] = {}

    @staticmethod
    def _key(post: Post, *texts: str | None) -> str:
        text = "\0".join(t or "" for t in texts)
        hashed = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        return f"{post.permalink}\0{post.source}\0{hashed}"

    def _base_key(self, post: Post) -> str:
        digest = post.body_digest or text_digest(post.body)
        if post.shared_files:  # where its links to bundle files lead depends on other posts
            digest += _hash(json.dumps(post.shared_files))
        return f"{post.permalink}\0{post.source}\0{digest}"

    def _html_key(self, post: Post) -> str:
        """The body's key; with template syntax, also what each `ref` in it resolves to (the
        HTML changes when the post it names moves)."""
        key = self._base_key(post)
        if self._syntax is None:
            return key
        record = self.syntax_record(post)
        if record is None or not record.refs:
            return key
        return f"{key}\0refs\0{_hash(json.dumps(record.refs, sort_keys=True))}"

    def html(self, post: Post) -> str:
        key = self._html_key(post)
        cached = self._html.get(key)
        if cached is None:
            cached = self.render_fragment(self._body(post), post)
            self._html[key] = cached
        return cached

    # --- template syntax -----------------------------------------------------------------------

    @property
    def expands_syntax(self) -> bool:
        """Whether posts are read with a template syntax (then `use_refs` is needed)."""
        return self._syntax is not None

    def use_refs(self, refs: RefIndex) -> None:
        """The posts `ref` shortcodes may name, once loaded."""
        if self._syntax is not None:
            self._syntax.refs = refs

    def early_record(self, post: Post) -> str | None:
        """The encoded record of a post just parsed, its body at hand (on the worker that
        parsed it): None when it has no syntax, or looks a ref up, which needs every post
        loaded (`use_refs(UNRESOLVED)` first). `remember_early` keeps it for `_records`."""
        if self._syntax is None or not has_syntax(post.body, self._delimiters):
            return None
        try:
            return self._new_record(post)
        except NeedsIndex:
            return None

    def remember_early(self, post: Post, encoded: str) -> None:
        """An `early_record` of the post, kept until its record is asked for: it holds if the
        post kept the address it was parsed with (a clash moves one, `loader._unique`)."""
        self._early[str(post.source)] = (post.permalink, encoded)

    def syntax_record(self, post: Post) -> SyntaxRecord | None:
        """What expanding the post's body found (problems, refs); None without any syntax.
        Kept in the HTML cache under the body's key, so a rebuild does not read the body again;
        a record whose refs now resolve elsewhere is made again."""
        if self._syntax is None:
            return None
        found, record = self._kept_record(post)
        if found or not self._may_hold_syntax(post):
            return record
        return self._keep_record(post, self._new_record(post))

    def _record_key(self, post: Post) -> str:
        return f"{self._base_key(post)}\0syntax"

    def _kept_record(self, post: Post) -> tuple[bool, SyntaxRecord | None]:
        """Whether the cache holds the post's record, still true, and that record."""
        stored = self._html.get(self._record_key(post))
        if stored is not None:
            record = SyntaxRecord.decode(stored)
            if record is None or self._refs_hold(record, post):
                return True, record
        return False, None

    def _body(self, post: Post) -> str:
        if post.body or not post.body_digest:
            return post.body
        found = self._bodies.get(str(post.source))
        return found if found is not None else post_body(post)

    def _may_hold_syntax(self, post: Post) -> bool:
        # False: nothing to read, the loader saw no `{{` or `{%` in the body.
        return post.templated or has_syntax(post.body, self._delimiters)

    def _new_record(self, post: Post) -> str:
        """The encoded record of the post's body, read and expanded ("" without syntax)."""
        body = self._body(post)
        if not has_syntax(body, self._delimiters):
            return ""
        # Not kept for the HTML: the expanded texts of a whole site (50 MB on the bench's html
        # corpus) would all be held until the ~400 posts the feeds show are rendered.
        expansion = self._expand(body, post, wants_html=False)
        return SyntaxRecord(expansion.issues, expansion.refs).encode()

    def _keep_record(self, post: Post, encoded: str) -> SyntaxRecord | None:
        self._html[self._record_key(post)] = encoded
        return SyntaxRecord.decode(encoded)

    def _records(self, posts: Sequence[Post], workers: int) -> list[SyntaxRecord | None]:
        """`syntax_record` of each post (None for some that found nothing: `syntax_findings`
        keeps only those that did): kept by the cache, made as it was parsed
        (`early_record`), or else made here on `workers` processes (reading and expanding the
        7,000 bodies with shortcodes of the bench's html corpus took half of its cold build on
        one core): those that look a ref up, and those parsed by an earlier build."""
        # A cold build's cache holds none: no key made for each post to learn that.
        kept = [self._kept_record(p) for p in posts] if self._html else _NONE_KEPT * len(posts)
        records = [record for _, record in kept]
        todo: list[int] = []
        for i, (found, _) in enumerate(kept):
            if found or not self._may_hold_syntax(posts[i]):
                continue
            early = self._early.pop(str(posts[i].source), None)
            if early is None or early[0] != posts[i].permalink:
                todo.append(i)
            elif early[1] == _CLEAN:  # most: kept, but no object made of nothing found
                self._html[self._record_key(posts[i])] = _CLEAN
            else:
                records[i] = self._keep_record(posts[i], early[1])
        if todo:
            self._markdown("")  # the parser (shortcodes may render Markdown), made once here
        unread = [posts[i] for i in todo]
        made = parallel_map_shared(_record_one, (self, unread), range(len(todo)), workers)
        for i, encoded in zip(todo, made, strict=True):
            records[i] = self._keep_record(posts[i], encoded)
        return records

    def _refs_hold(self, record: SyntaxRecord, post: Post) -> bool:
        return self.refs_hold(record, str(post.source))

    def refs_hold(self, record: SyntaxRecord, source: str) -> bool:
        """Whether every ref the record of the post file `source` looked up still names what
        it named then."""
        setup = self._syntax
        if not record.refs or setup is None or setup.refs is None:
            return True
        return all(resolve_ref(setup, t, source) == url for t, url in record.refs.items())

    def syntax_findings(self, posts: Iterable[Post], workers: int = 1) -> list[Finding]:
        """Each post whose template syntax has an issue or looks a ref up, in order, with where
        its body starts: what `syntax_problems` reports, kept by the build cache's plan so that
        a quick rebuild reports the same after reading only the edited posts."""
        if self._syntax is None:
            return []
        posts = list(posts)
        found: list[Finding] = []
        for post, record in zip(posts, self._records(posts, workers), strict=True):
            if record is not None and (record.issues or record.refs):
                found.append(Finding(str(post.source), post.body_line, record))
        return found

    def syntax_problems(self, posts: Iterable[Post]) -> list[Problem]:
        """Every problem of the posts' template syntax (see `problems_found`)."""
        return problems_found(self.syntax_findings(posts))

    def _expand(self, markdown: str, post: Post, *, wants_html: bool = True) -> Expansion:
        assert self._syntax is not None
        setup = self._syntax
        page = Page(
            post.title,
            post.permalink,
            post.params,
            str(post.source),
            post.date,
            post.tags,
            post.categories,
            post.image.url if post.image is not None else None,
            tuple(author.name for author in post.authors),
            post.description,
            post.language,
        )
        context = Context(
            page,
            setup.site,
            setup.shortcodes,
            setup.refs,
            self._markdown,
            inline_shortcodes=setup.inline_shortcodes,
            wants_html=wants_html,
            relative_links=setup.relative_links,
            link_hook=setup.link_hook,
            ref_missing=setup.ref_missing,
        )
        if setup.link_hook and wants_html:  # filled as the expansion starts (`link_hook`)
            global _LINKS
            _LINKS = context.looked_up
        return expand(markdown, setup.name, context)

    def _markdown(self, text: str) -> str:
        if self._parser is None:
            self._parser = parser_for(self._syntax)
        return str(self._parser(text))

    def _finish(self, expansion: Expansion, post: Post) -> str:
        if post.source.suffix.lower() in HTML_SUFFIXES:
            return finish(expansion.text, expansion)
        return finish(self._markdown(expansion.text), expansion)

    def summary(self, post: Post) -> str:
        """Plain text: the description, else the excerpt (before `<!--more-->`, or the first
        paragraph)."""
        if post.description:
            return _SPACE.sub(" ", post.description).strip()
        key = self._summary_key(post)
        cached = self._summary.get(key)
        if cached is None:
            cached = html_to_text(self.render_fragment(post.excerpt, post)) if post.excerpt else ""
            self._summary[key] = cached
        return cached

    def missing(self, posts: Iterable[Post]) -> list[Post]:
        """The posts whose HTML or summary is not rendered yet."""
        return [p for p in posts if self.rendered(p) is None]

    def prefetch(self, posts: Iterable[Post], workers: int) -> int:
        """Render every post that lacks HTML, on several cores; returns how many were rendered."""
        return self.rendering(posts, workers).finish()

    def ready_to_render(self) -> None:
        """Import mistune and make the parser now (`rendering` makes it otherwise): a build
        does it while the workers parse the posts, rather than between loading and rendering,
        when it runs on one core (cold builds of a tmpfs copy of the bench's html site,
        alternating with the code before: 1.659 -> 1.640 s at 10,000 posts, medians of 12; at
        1,000, 0.743 / 0.745 s, where the parse is short)."""
        self._markdown("")

    def rendering(self, posts: Iterable[Post], workers: int) -> Rendering:
        """Start rendering every post that lacks HTML, on several cores, in `posts`' order;
        each is stored here as it arrives (see `Rendering`). With posts rendered ahead
        (`use_ahead`), those come from there, and the rest are rendered here."""
        todo = self.missing(dict.fromkeys(posts))
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            return Rendering(self, todo, _FromAhead(self, todo, ahead))
        if todo:
            self._markdown("")  # the parser, made once here for every worker forked below
        results = start_map_shared(_render_one, (self, todo), range(len(todo)), workers)
        return Rendering(self, todo, results)

    def use_ahead(self, ahead: Ahead) -> None:
        """Take the posts `ahead` renders (`incremental.ahead`) for the next `rendering`, and
        the bodies it read."""
        self._ahead = ahead
        self._bodies = ahead.bodies

    def ahead_entry(self, post: Post) -> tuple[str, str, str | None, str | None]:
        """The post rendered, as `keep_rendered` takes it: its HTML's cache key and HTML, and
        its summary's (None for a post whose description is its summary)."""
        html = self.html(post)
        summary = None if post.description else self.summary(post)
        key = None if post.description else self._summary_key(post)
        return self._html_key(post), html, key, summary

    def keep_rendered(
        self, html_key: str, html: str, summary_key: str | None, summary: str | None
    ) -> None:
        """What `ahead_entry` made of a post, in another process: kept under the keys it was
        made for, which name everything it depends on; a post that does not have these keys
        here (its address moved, see `loader._unique`) never finds it."""
        self._html[html_key] = html
        if summary_key is not None and summary is not None:
            self._summary[summary_key] = summary

    def rendered(self, post: Post) -> Rendered | None:
        """The post's HTML and summary when both are kept, else None."""
        html = self._html.get(self._html_key(post))
        if html is None:
            return None
        if post.description:
            return html, self.summary(post)
        summary = self._summary.get(self._summary_key(post))
        return None if summary is None else (html, summary)

    def _store(self, post: Post, rendered: str, summary: str) -> None:
        self._html[self._html_key(post)] = rendered
        if not post.description:
            self._summary[self._summary_key(post)] = summary

    def _summary_key(self, post: Post) -> str:
        key = self._key(post, post.excerpt)
        excerpt = post.excerpt
        if self._syntax is None or not excerpt or not has_syntax(excerpt, self._delimiters):
            return key
        return self._html_key(post).replace(self._base_key(post), key, 1)

    def render_fragment(self, markdown: str, post: Post) -> str:
        """Markdown (a body, an excerpt) -> safe HTML: template syntax first (its problems are
        reported by `syntax_problems`), then mistune, then the sanitizer, always last."""
        if self._syntax is not None and has_syntax(markdown, self._delimiters):
            if self._syntax.link_hook:
                return self._hooked_fragment(markdown, post)
            return self.sanitize(self._finish(self._expand(markdown, post), post), post)
        # Hugo publishes `.html` content files as they are: their body is HTML already.
        raw = markdown if post.source.suffix.lower() in HTML_SUFFIXES else self._markdown(markdown)
        return self.sanitize(raw, post)

    def _hooked_fragment(self, markdown: str, post: Post) -> str:
        """`render_fragment` where Hugo's link render hook is on: its links are written from
        what the expansion looks up (`_LINKS`), and from no other body's."""
        global _LINKS
        try:
            return self.sanitize(self._finish(self._expand(markdown, post), post), post)
        finally:
            _LINKS = None

    def sanitize(self, raw: str, post: Post) -> str:
        """Keep only safe markup, and make every URL in it absolute."""
        raw = _IFRAME.sub(self._iframe_to_link, raw)
        if "noscript" in raw or "NOSCRIPT" in raw:
            raw = _NOSCRIPT.sub(_without_script, raw)
        global _SANITIZING
        _SANITIZING = (self._resolver, post)
        try:
            clean = _cleaner().clean(raw).strip()
        finally:
            _SANITIZING = None
        return _BARE_LINK.sub(r"\1", clean) if "<a>" in clean else clean

    def _iframe_to_link(self, match: re.Match[str]) -> str:
        attrs = {
            m.group(1).lower(): m.group(3) or m.group(4) or ""
            for m in _ATTR.finditer(match.group(1))
        }
        src = html.unescape(attrs.get("src", ""))
        if src.startswith("//"):
            src = "https:" + src
        host = urlsplit(src).hostname or ""
        if urlsplit(src).scheme not in ("http", "https") or host not in self._iframe_hosts:
            return ""
        label = html.escape(html.unescape(attrs.get("title") or f"Embedded content on {host}"))
        return f'<p><a href="{html.escape(src)}">{label}</a></p>'


def _without_script(match: re.Match[str]) -> str:
    """What a `<noscript>` shows where scripts do not run, as in every feed reader and mail
    client: its content (a link to what a script would have shown), less the tracking pixels
    an analytics snippet puts there (an image of 1 by 1, or 0). The sanitizer reads a
    `<noscript>` as text, so one left unclosed is dropped with what follows it."""
    return _IMG.sub(lambda img: "" if _is_pixel(img.group(1)) else img.group(0), match.group(1))


def _is_pixel(attributes: str) -> bool:
    found = {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in _SIZE.finditer(attributes)
    }
    return all(found.get(side, "").strip() in ("0", "1", "1px") for side in ("width", "height"))


@datatype(frozen=False)
class SyntaxRecord:
    """What expanding a body found, as the HTML cache keeps it (JSON text)."""

    issues: list[Issue] = field(default_factory=list)
    refs: dict[str, str | None] = field(default_factory=dict)

    def encode(self) -> str:
        if not self.issues and not self.refs:
            return _CLEAN  # most records: made without the JSON encoder (as `decode` reads them)
        issues = [
            [i.severity, i.line, i.message, i.hint, i.unknown, i.dropped] for i in self.issues
        ]
        return json.dumps({"issues": issues, "refs": self.refs})

    @classmethod
    def decode(cls, text: str) -> SyntaxRecord | None:
        if not text:
            return None
        if text == _CLEAN:
            return cls()  # most records: read without the JSON parser (a build reads them all)
        data = json.loads(text)
        return cls([Issue(*row) for row in data["issues"]], data["refs"])


_CLEAN = json.dumps({"issues": [], "refs": {}})  # what `encode` wrote for an empty record
_NONE_KEPT: list[tuple[bool, SyntaxRecord | None]] = [(False, None)]


@datatype
class Finding:
    """A post's syntax record, with the file and the line its body starts on."""

    source: str
    body_line: int
    record: SyntaxRecord

    def to_row(self) -> tuple[str, int, str]:
        return (self.source, self.body_line, self.record.encode())

    @classmethod
    def from_row(cls, row: tuple[str, int, str]) -> Finding:
        record = SyntaxRecord.decode(row[2])
        return cls(row[0], row[1], record if record is not None else SyntaxRecord())


def problems_found(findings: Iterable[Finding], folder: str = "shortcodes") -> list[Problem]:
    """Every problem of the posts' template syntax, with file and line; an unknown shortcode
    once per name, with how many times it is used and where first, and the file of `folder`
    (`[markdown] shortcodes_dir`) that would render it."""
    problems: list[Problem] = []
    unknown: dict[str, list[Location]] = {}
    dropped: dict[str, set[str]] = {}
    liquid: set[str] = set()
    for found in findings:
        path = Path(found.source)
        for issue in found.record.issues:
            where = Location(path, found.body_line + issue.line - 1)
            if issue.unknown is not None:
                unknown.setdefault(issue.unknown, []).append(where)
                names = issue.dropped.split(", ") if issue.dropped else []
                dropped.setdefault(issue.unknown, set()).update(names)
                if issue.message.startswith("unknown tag"):  # a Jekyll post's Liquid tag
                    liquid.add(issue.unknown)
            else:
                problems.append(
                    Problem(issue.severity, where, issue.message, issue.hint, kept=True)
                )
    for name, places in sorted(unknown.items()):
        first = min(places, key=_first_place)
        uses = f"{len(places)} uses" if len(places) > 1 else "1 use"
        text = sorted(dropped.get(name, ()))
        template = f"{folder.rstrip('/')}/{name}.html"
        problems.append(_unknown_call(name, uses, first, name in liquid, template, text))
    return problems


def _unknown_call(
    name: str, uses: str, first: Location, liquid: bool, template: str, dropped: Sequence[str]
) -> Problem:
    """The warning for a shortcode, or a Jekyll post's Liquid tag, that nothing defines: such
    a tag comes from a Ruby plugin (al-folio's `{% twitter %}`), not from a template. The hint
    names the file by its path: on a Zola site "the shortcodes folder" reads as
    `templates/shortcodes/`, where a Jinja2 file would replace the theme's own."""
    kind, source = (
        ("Liquid tag", "a tag of the site's plugins or gems is Ruby")
        if liquid
        else ("shortcode", "a theme's own template is its generator's language")
    )
    return Problem(
        "warning",
        first,
        f"unknown {kind} {name!r} ({uses}, the first here): removed, its content kept"
        + (f", not the text of its arguments ({', '.join(dropped)})" if dropped else ""),
        f"to render it, write {template}, a Jinja2 template ([markdown] shortcodes_dir, from "
        f"the config file's folder): {source}, which syndicate does not run",
    )


def _first_place(where: Location) -> tuple[str, int, str, int]:
    """Where a name is said to be used first: in order of folders, a file before its
    translations (`index.md` before `index.de.md`), then of lines."""
    path = where.path
    return (str(path.parent), path.name.count("."), path.name, where.line or 0)


def _delimiters(setup: Setup | None) -> tuple[str, ...]:
    module = parser(setup.name) if setup is not None else None
    if module is None or setup is None:
        return ()
    return delimiters(module, setup.relative_links, setup.link_hook)


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _record_one(shared: tuple[Renderer, Sequence[Post]], index: int) -> str:
    """Runs in a worker, which has the renderer and the posts from its parent by fork."""
    renderer, posts = shared
    return renderer._new_record(posts[index])


class Rendering:
    """Posts being rendered (`Renderer.rendering`): `until` waits for those a feed document
    shows, so that the documents are made while the workers render the posts of the next
    ones. The posts come in the order the documents first show them, so each waits only for
    what it needs; a post asked for before it arrives would be rendered again, not wrongly."""

    def __init__(self, renderer: Renderer, todo: Sequence[Post], results: Running[Rendered]):
        self._renderer = renderer
        self._todo = todo
        self._order = {post.id: i for i, post in enumerate(todo)}
        self._results = iter(results)
        self._running = results
        self._stored = 0

    def until(self, posts: Iterable[Post]) -> None:
        """Store results until every one of `posts` that is being rendered is stored."""
        last = max((self._order.get(post.id, -1) for post in posts), default=-1)
        while self._stored <= last:
            self._store_next()

    def finish(self, wait: bool = True) -> int:
        """Store every result left, and end the workers (`close`); how many posts were
        rendered."""
        self.until(self._todo[-1:])
        self.close(wait)
        return len(self._todo)

    def close(self, wait: bool = True) -> None:
        """Stop rendering what is left (after an error), and end the workers; `wait=False`
        does not wait for them to be gone (`pool.Forked.close`)."""
        self._running.close(wait)

    def _store_next(self) -> None:
        post = self._todo[self._stored]
        self._renderer._store(post, *next(self._results))
        self._stored += 1


Rendered = tuple[str, str]  # a post's HTML and its summary


class _FromAhead:
    """`Running` results of posts rendered ahead (`incremental.ahead`), in `todo`'s order.
    The child renders them in that order from now on (`Claims.want`); this process, while it
    waits for the next, renders the last that nobody has claimed: the two meet between. One the
    child did not render as it is here (it ended, or made it under other keys) is rendered
    here too."""

    def __init__(self, renderer: Renderer, todo: Sequence[Post], ahead: Ahead) -> None:
        self._renderer, self._todo, self._ahead = renderer, todo, ahead
        self._last = len(todo)  # this process renders from the end, down to here
        ahead.claims.want(todo)

    def __iter__(self) -> Iterator[Rendered]:
        for post in self._todo:
            yield self._result(post)

    def _result(self, post: Post) -> Rendered:
        renderer, ahead = self._renderer, self._ahead
        while (found := renderer.rendered(post)) is None:
            if ahead.claim(post):
                return renderer.html(post), renderer.summary(post)
            if not ahead.pending() and self._render_last():
                continue
            if not ahead.receive(renderer.keep_rendered):
                return renderer.html(post), renderer.summary(post)
        return found

    def _render_last(self) -> bool:
        """Render the last post of `todo` nobody has claimed; False when there is none."""
        while self._last > 0:
            self._last -= 1
            post = self._todo[self._last]
            if self._renderer.rendered(post) is None and self._ahead.claim(post):
                self._renderer.html(post), self._renderer.summary(post)
                return True
        return False

    def close(self, wait: bool = True) -> None:
        self._ahead.rendered_all(wait)  # it may live on to write the build's files


def _render_one(shared: tuple[Renderer, Sequence[Post]], index: int) -> Rendered:
    """Runs in a worker, which has the renderer and the posts from its parent by fork."""
    renderer, posts = shared
    return renderer.html(posts[index]), renderer.summary(posts[index])


def _fence_language(info: str) -> str | None:
    """A fenced block's language from its info word: Zola's annotations around it
    (```` ```name=a.rs,rust,linenos,hl_lines=3 ````) are not it: `linenos`, and `key=value`
    (https://www.getzola.org/documentation/content/syntax-highlighting/)."""
    for token in info.split(","):
        if token and token != "linenos" and "=" not in token:
            return token if re.fullmatch(r"[\w+#.-]+", token) else None
    return None


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, on one line."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", fragment))
    return _SPACE.sub(" ", html.unescape(text)).strip()
