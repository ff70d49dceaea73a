"""Jekyll's Liquid in a post's body -> Markdown, as Jekyll renders it before kramdown.

Jekyll runs Liquid over the whole body first, code blocks and code spans included, and hands
the result to kramdown: so does this module, with python-liquid, against `site` (the values of
`_config.yml`) and `page` (the post's front matter, date, url, tags and categories). Jekyll's
own tags (`highlight`, `link`, `post_url`) and filters (`relative_url`, `absolute_url`,
`date_to_xmlschema`, `markdownify`, `xml_escape`, `slugify`, ...) are added; `include` is
removed with a warning (the site's `_includes` are theme code, not the post). `{% raw %}`
writes its content out as it is: its `{{` and `{%` are the only ones a reader sees. An unknown
tag is removed and its content kept; an unknown filter leaves its value as it is; a tag that
cannot be read is an error at its line, and the rest of the post renders. kramdown's attribute
lists (`{: .note}`, `## Title {:#id}`) are applied to headings (their id) and otherwise
removed, outside code.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import field
from datetime import UTC, date, datetime
from html import escape
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from liquid import Environment, Mode
from liquid.ast import BlockNode, Node
from liquid.builtin.content import ContentNode, Literal
from liquid.exceptions import LiquidError
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token
from markupsafe import Markup

from ...datatype import datatype
from ...errors import ConfigError
from . import (
    POST_URL,
    RELATIVE_LINK,
    Context,
    Expansion,
    Issue,
    LineNumbers,
    Severity,
    finish,
    placeholder,
)
from .templates import TemplateProblem

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

    from ...config import Config
    from ...sites.jekyll.data import DataFolder
    from ...sites.jekyll.post_url import Found

DELIMITERS = ("{{", "{%", "{:")
_LIQUID = re.compile(r"\{([{%])")
_BEFORE_DELIMITER = re.compile(r"\{(?=[{%])")
_ID = re.compile(r"[\w+#.-]+")


@datatype(frozen=False)
class _Run:
    """One body being expanded: where problems and held HTML go."""

    text: str
    context: Context
    expansion: Expansion
    line: LineNumbers
    unknown: set[str] = field(default_factory=set)
    filters: set[str] = field(default_factory=set)
    # A parse error that took the rest of the body with it (an unclosed block, an unreadable
    # tag): the offset to remove, found again before the next try.
    swallowed: list[tuple[str, int]] = field(default_factory=list)

    def issue(self, severity: Severity, at: int, message: str, hint: str | None = None) -> None:
        self.expansion.issues.append(Issue(severity, self.line(at), message, hint))


_RUN: ContextVar[_Run] = ContextVar("jekyll_run")


def _at(token: Token | None) -> int:
    return token.start_index if token is not None else -1


# --- tags -----------------------------------------------------------------------------------


class _Text(ContentNode):
    """Text between tags; a `{{` or `{%` in it was written by `{% raw %}`: held, so that it is
    the one a reader sees (every other one is broken up after rendering)."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        text = self.text
        if "{" in text and _LIQUID.search(text):
            run = _RUN.get()
            text = _LIQUID.sub(lambda m: run.expansion.hold(m.group()), text)
        return buffer.write(text)


class _TextTag(Literal):
    node_class = _Text


class _Empty(Node):
    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return 0


class _Unknown(Tag):
    """A tag no one registered: removed (a block's content stays, as its closing tag is removed
    too), one warning per name; a known tag out of place (`endif` alone) is an error."""

    name = "illegal"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, arguments = _arguments(stream)
        run = _RUN.get()
        name = token.value
        shortcodes = run.context.shortcodes
        if name and shortcodes is not None and name in shortcodes:
            return self._own(stream, token, arguments)
        tags = self.env.tags
        base = name[3:] if name.startswith("end") else None
        if not name:
            run.issue("error", _at(token), "a Liquid tag without a name; removed")
        elif name in tags or (base is not None and base in tags) or name in _INNER:
            run.issue("error", _at(token), f"Liquid tag {name!r} out of place; removed")
        elif base is not None and base in run.unknown:
            pass  # the end of an unknown block: its opening tag was reported
        else:
            run.unknown.add(name)
            run.expansion.issues.append(
                Issue("warning", run.line(_at(token)), f"unknown tag {name!r}", None, name)
            )
        return _Empty(token)

    def _own(self, stream: TokenStream, token: Token, arguments: str) -> Node:
        """A tag the site's own template renders; a block when its end tag follows."""
        name = token.value
        end = re.compile(r"\{%-?\s*end" + re.escape(name) + r"\s*-?%\}")
        if not end.search(token.source, max(token.start_index, 0)):
            return _Own(token, arguments, None)
        next(stream)
        block = get_parser(self.env).parse_block(stream, frozenset(("end" + name, TOKEN_EOF)))
        stream.expect(TOKEN_TAG, value="end" + name)
        return _Own(token, arguments, block)


_INNER = frozenset({"else", "elsif", "when"})
_ARGUMENT = re.compile(r"""([A-Za-z_][\w-]*)=("[^"]*"|'[^']*'|\S+)|("[^"]*"|'[^']*'|\S+)""")


class _Own(Node):
    """A tag of the site's own: its template (`shortcodes/NAME.html`) with the tag's arguments
    (`params`, the positional ones; each `key=value` by its key, and all as `named`), `inner`
    (a block's content, rendered) and `page` and `site`."""

    __slots__ = ("arguments", "block")

    def __init__(self, token: Token, arguments: str, block: BlockNode | None) -> None:
        super().__init__(token)
        self.arguments = arguments
        self.block = block

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        run = _RUN.get()
        inner: str | None = None
        if self.block is not None:
            written = StringIO()
            self.block.render(context, written)
            inner = finish(run.context.markdown(written.getvalue()), run.expansion)
        positional: list[str] = []
        named: dict[str, str] = {}
        for found in _ARGUMENT.finditer(self.arguments):
            if found.group(1):
                named[found.group(1)] = _unquote(found.group(2))
            else:
                positional.append(_unquote(found.group(3)))
        variables: dict[str, object] = dict(named)
        variables.update(
            params=positional,
            named=named,
            inner=Markup(inner) if inner is not None else None,
            page=_page(run.context),
            site=run.context.site,
        )
        shortcodes = run.context.shortcodes
        assert shortcodes is not None
        try:
            html = shortcodes.render(self.token.value, variables)
        except TemplateProblem as exc:
            run.issue("error", _at(self.token), f"tag {self.token.value!r}: {exc.message}")
            html = inner or ""
        return buffer.write(run.expansion.hold(html))


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"" else value


def _arguments(stream: TokenStream) -> tuple[Token, str]:
    """A tag without a block: its token and the text of its arguments; the stream is left on
    its last token, as the parser expects."""
    token = stream.expect(TOKEN_TAG)
    if stream.peek.kind == TOKEN_EXPRESSION:
        next(stream)
        return token, str(stream.current.value).strip()
    return token, ""


def _expression(stream: TokenStream) -> str:
    """The text of a tag's arguments, as written."""
    if stream.current.kind == TOKEN_EXPRESSION:
        value = stream.current.value
        next(stream)
        return str(value).strip()
    return ""


class _Include(Tag):
    """`include` and `include_relative`: the site's includes are not run; removed."""

    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, what = _arguments(stream)
        run = _RUN.get()
        run.issue(
            "warning",
            _at(token),
            f"{{% {token.value} {what} %}} removed: the site's includes are not run",
            "write what the include shows into the post to keep it in the feeds",
        )
        return _Empty(token)


class _IncludeTag(_Include):
    name = "include"


class _IncludeRelativeTag(_Include):
    name = "include_relative"


class _Ref(Node):
    """`link` and `post_url`: the path of the post named, `baseurl` included, as Jekyll 4's tags
    give it (they output `relative_url`: https://jekyllrb.com/docs/upgrading/3-to-4/), so
    that `{{ site.url }}{% post_url x %}` is one URL; the sanitizer makes a bare path absolute."""

    __slots__ = ("target", "tries")

    def __init__(self, token: Token, target: str, tries: list[str]) -> None:
        super().__init__(token)
        self.target = target
        self.tries = tries

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        run = _RUN.get()
        found = _resolve(run.context, self.tries)
        if found is None:
            run.issue(
                "error",
                _at(self.token),
                f"{self.token.value}: no published post at {self.target!r}; the link keeps "
                "its text",
                "name the file from the site's folder ({% link _posts/2024-01-02-name.md %}, "
                "{% link about.md %}); a draft, a future post or one with `published: false` "
                "is not published",
            )
            return 0
        path = urlsplit(found)._replace(scheme="", netloc="").geturl()
        return buffer.write(escape(path))


def _resolve(context: Context, tries: list[str]) -> str | None:
    for target in tries:
        if target not in context.looked_up:
            refs = context.refs
            context.looked_up[target] = refs.resolve(target, context.page.source) if refs else None
        found = context.looked_up[target]
        if found is not None:
            return found
    return None


class _LinkTag(Tag):
    name = "link"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, target = _arguments(stream)
        return _Ref(token, target, ["/" + target.lstrip("/")])


class _PostUrl(_Ref):
    """`post_url` on a Jekyll site: the post Jekyll 4.3.1 finds for the name
    (`sites.jekyll.post_url`), with Jekyll's deprecation where it finds it by its date and
    slug only. Elsewhere (Jekyll's syntax on another site) the name is a path, as `link`'s."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        run = _RUN.get()
        refs = run.context.refs
        names = refs.names() if refs is not None else None
        if names is None:
            return super().render_to_output(context, buffer)
        from ...sites.jekyll.post_url import find

        key = POST_URL + self.target
        found = find(names, self.target)
        run.context.looked_up[key] = found.key()
        problem = _post_url_problem(self.target, found)
        if problem is not None:
            run.issue(problem[0], _at(self.token), problem[1], problem[2])
        if found.url is None:
            return 0
        path = urlsplit(found.url)._replace(scheme="", netloc="").geturl()
        return buffer.write(escape(path))


def _post_url_problem(name: str, found: Found) -> tuple[Severity, str, str] | None:
    """What Jekyll 4.3.1 says of the tag (post_url.rb): a deprecation where the name matched
    no post by its folder, date and slug but one by its date and slug; an error where it
    stops the build."""
    tag = f"{{% post_url {name} %}}"
    shape = "{% post_url 2024-01-02-name %}, {% post_url news/2024-01-02-name %} in news/_posts"
    if found.how == "date-and-slug":
        more = (
            f" ({found.matches} posts have that date and slug: the first, by date and then "
            "path, is taken)"
            if found.matches > 1
            else ""
        )
        return (
            "warning",
            f"post_url: {tag} names no post by its file's folder, date and name; Jekyll finds "
            f"it by its date and slug only, with a deprecation warning{more}",
            f"name the post by its file, below the folder of its _posts: "
            f"{{% post_url {found.name} %}}",
        )
    if found.how == "unpublished":
        return (
            "error",
            f"post_url: the post {tag} names is not published (a draft, `published: false` or "
            "a future date); Jekyll stops the build here; the link keeps its text",
            "publish the post, or link to another",
        )
    if found.how == "unreadable":
        return (
            "error",
            f"post_url: cannot read the name in {tag}: {found.problem}; Jekyll stops the build "
            "here; the link keeps its text",
            "name the post by its file name without the extension: " + shape,
        )
    if found.how == "missing":
        return (
            "error",
            f"post_url: no post is named {name!r}; Jekyll stops the build here; the link keeps "
            "its text",
            "name the post by its file name without the extension: " + shape,
        )
    return None


class _PostUrlTag(Tag):
    name = "post_url"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, target = _arguments(stream)
        name = target.strip("/")
        return _PostUrl(token, target, [f"/_posts/{name}", f"/{name}"])


_HELD = re.compile(placeholder(0)[:-5] + r"(\d+)HBHB")


def _put_back(text: str, expansion: Expansion) -> str:
    """Text with what was held in it (a `{% raw %}` delimiter) put back."""
    return _HELD.sub(lambda m: expansion.outputs[int(m.group(1))], text)


class _Highlight(Node):
    __slots__ = ("block", "language")

    def __init__(self, token: Token, language: str, block: BlockNode) -> None:
        super().__init__(token)
        self.language = language
        self.block = block

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        inner = StringIO()
        self.block.render(context, inner)
        run = _RUN.get()
        code = _put_back(inner.getvalue(), run.expansion).strip("\n")
        cls = f' class="language-{escape(self.language)}"' if _ID.fullmatch(self.language) else ""
        html = f"<pre><code{cls}>{escape(code, quote=False)}\n</code></pre>"
        return buffer.write(run.expansion.hold(html))

    def children(self, static_context: RenderContext, *, include_partials: bool = True) -> Any:
        yield self.block


class _HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"
    block = True

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        words = _expression(stream).split()
        block = get_parser(self.env).parse_block(stream, frozenset(("endhighlight", TOKEN_EOF)))
        stream.expect(TOKEN_TAG, value="endhighlight")
        return _Highlight(token, words[0] if words else "", block)


# --- filters --------------------------------------------------------------------------------


class _Filters(dict[str, Callable[..., Any]]):
    """The filters; an unknown one leaves its value unchanged, with a warning per name."""

    def __missing__(self, name: str) -> Callable[..., Any]:
        run = _RUN.get(None)
        if run is not None and name not in run.filters:
            run.filters.add(name)
            used = re.search(r"\|\s*" + re.escape(name) + r"\b", run.text)
            at = used.start() if used is not None else 0
            run.issue("warning", at, f"unknown Liquid filter {name!r}: the value is left as it is")
        return _unchanged


def _unchanged(value: Any, *args: Any, **kwargs: Any) -> Any:
    return value


def _site(key: str) -> str:
    value = _RUN.get().context.site.get(key)
    return value if isinstance(value, str) else ""


def relative_url(value: Any) -> str:
    text = _text(value)
    if urlsplit(text).scheme or text.startswith("//"):
        return text
    base = _site("baseurl").strip("/")
    path = text if text.startswith("/") else "/" + text
    return f"/{base}{path}" if base else path


def absolute_url(value: Any) -> str:
    text = _text(value)
    if urlsplit(text).scheme or text.startswith("//"):
        return text
    return _site("url").rstrip("/") + relative_url(text)


def _text(value: Any) -> str:
    return "" if value is None or _undefined(value) else str(value)


def _undefined(value: Any) -> bool:
    return type(value).__name__.endswith("Undefined")


def _date(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def date_to_xmlschema(value: Any) -> Any:
    found = _date(value)
    return found.isoformat() if found is not None else value


def date_to_rfc822(value: Any) -> Any:
    found = _date(value)
    return found.strftime("%a, %d %b %Y %H:%M:%S %z") if found is not None else value


def date_to_string(value: Any) -> Any:
    found = _date(value)
    return found.strftime("%d %b %Y") if found is not None else value


def date_to_long_string(value: Any) -> Any:
    found = _date(value)
    return found.strftime("%d %B %Y") if found is not None else value


def markdownify(value: Any) -> str:
    run = _RUN.get()
    html = run.context.markdown(_text(value)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]  # one paragraph: its text, which fits where the filter is
    return run.expansion.hold(html)


def xml_escape(value: Any) -> str:
    return escape(_text(value), quote=True)


def slugify(value: Any, mode: Any = "default") -> str:
    # Jekyll's default mode: every run of characters that are not letters or digits -> "-".
    return re.sub(r"[^\w]+|_+", "-", _text(value).lower()).strip("-")


def jsonify(value: Any) -> str:
    return json.dumps(value if not _undefined(value) else None, default=str)


_JEKYLL_FILTERS: dict[str, Callable[..., Any]] = {
    "relative_url": relative_url,
    "absolute_url": absolute_url,
    "date_to_xmlschema": date_to_xmlschema,
    "date_to_rfc822": date_to_rfc822,
    "date_to_string": date_to_string,
    "date_to_long_string": date_to_long_string,
    "markdownify": markdownify,
    "xml_escape": xml_escape,
    "slugify": slugify,
    "jsonify": jsonify,
}


# --- the environment ------------------------------------------------------------------------


class _Environment(Environment):
    """Lax: an error is recorded where it is and parsing goes on with the next tag."""

    def error(
        self,
        exc: type[LiquidError] | LiquidError,
        msg: str | None = None,
        token: Token | None = None,
    ) -> None:
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        run = _RUN.get()
        where = exc.token if exc.token is not None else token
        message = str(exc.message if hasattr(exc, "message") else exc).splitlines()[0]
        at = _at(where)
        if where is None or where.kind == TOKEN_EOF or at < 0:
            run.swallowed.append((message, at))
            return
        run.issue("error", at, f"Liquid: {message}", "check the tag's syntax and its closing tag")


def _environment() -> _Environment:
    env = _Environment(tolerance=Mode.LAX, strict_filters=False)
    filters = _Filters(env.filters)
    filters.update(_JEKYLL_FILTERS)
    env.filters = filters
    for tag in (_TextTag, _Unknown, _IncludeTag, _IncludeRelativeTag, _LinkTag, _PostUrlTag):
        env.add_tag(tag)
    env.add_tag(_HighlightTag)
    return env


_ENV: _Environment | None = None


def _env() -> _Environment:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


# --- expanding a body -----------------------------------------------------------------------

_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_TAG_NAMED = re.compile(r"\{%-?\s*(end)?(\w+)")
_EXPECTED_END = re.compile(r"expected tag end(\w+)")


def expand(text: str, context: Context) -> Expansion:
    """`text` with its Liquid rendered; problems at their lines. jekyll-relative-links, where
    the site has it rewrite posts, rewrites the text first, as its generator runs before
    Jekyll renders a post (`relative_links`)."""
    if context.relative_links is not None:
        text = _relative_links(text, context)
    expansion = Expansion(text)
    if context.page.params.get("render_with_liquid") is False or not _LIQUID.search(text):
        # Jekyll 4's switch for a post that shows Liquid as it is (an HTML import, a tutorial);
        # or only an attribute list (`{:`): no Liquid to run
        expansion.text = _attribute_lists(text) if context.wants_html else text
        expansion.refs = dict(context.looked_up)
        return expansion
    source, carried = _unclosed_delimiters(text)  # carried: the tags removed, each an error
    out: str | None = None
    for _ in range(_TRIES):
        expansion.issues = list(carried)
        expansion.outputs = []
        run = _Run(source, context, expansion, LineNumbers(source))
        out, broken = _attempt(run)
        if broken is None:
            break
        fixed = _remove_at(source, broken[1])
        if fixed is None:
            out = None
            break
        carried.append(Issue("error", run.line(broken[1]), broken[0], _HINT))
        source = fixed
    if out is None:
        expansion.issues = carried
        expansion.outputs = []
        out = source
    # A `{` before a `{` or `%` the rendering left (a string printed, text meeting text):
    # a zero-width space keeps them apart, so no reader sees Liquid that `raw` did not write.
    if context.wants_html:  # else only the problems and refs are read
        out = _attribute_lists(_BEFORE_DELIMITER.sub("{\u200b", out))
    expansion.issues += _data_problems(text, context)
    expansion.issues += _unavailable(text, context)
    expansion.text = out
    expansion.refs = dict(context.looked_up)
    return expansion


def _data_problems(text: str, context: Context) -> list[Issue]:
    """A data file this post asks for that could not be parsed (`sites.jekyll.data`): an
    error at the line that names it, where Jekyll would stop the build."""
    from ...sites.jekyll.data import DataFolder

    folder = context.site.get("data") if "site.data" in text else None
    failures = folder.failures() if isinstance(folder, DataFolder) else []
    found = []
    for name, why in failures:
        at = text.find(name)
        if at >= 0:
            hint = "fix the data file; until then, what the post takes from it is empty"
            found.append(Issue("error", LineNumbers(text)(at), f"site.data: {why}", hint))
    return found


# What a post's Liquid may name that syndicate has not: the site's documents (Jekyll 4.3.1's
# drops/site_drop.rb: `site.posts`, `pages`, `categories` and `tags` (posts by name),
# `collections`, `documents`, `static_files`, `html_pages`, `related_posts`, and each
# collection by its label) and a post's neighbours (drops/document_drop.rb: `page.next`,
# `page.previous`). syndicate renders each post on its own, cached by its own text: a post
# whose HTML were made of every other post would be made again at any change of any of them,
# and Jekyll's own `p.content` or `p.excerpt` there depend on the order it renders posts in.
_SITE_LISTS = frozenset(
    [
        *("posts", "pages", "categories", "tags", "collections", "documents"),
        *("static_files", "html_pages", "html_files", "related_posts"),
    ]
)
_NEIGHBOURS = frozenset(["next", "previous"])
# `site.posts`, `site["posts"]`, `page.next`: a name not after another's `.` or `]`
_NAMED = re.compile(
    r"""(?<![\w.\]])(site|page)\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*(["'])([^"']*)\3\s*\])"""
)


def _unavailable(text: str, context: Context) -> list[Issue]:
    """A warning at the first use of each value of `site` or `page` that holds other
    documents of the site (`_SITE_LISTS`, `_NEIGHBOURS`): it gives nothing in a feed, as the
    site's includes give nothing (`_Include`)."""
    if "site" not in text and "page" not in text:
        return []
    lists = _SITE_LISTS | _collection_labels(context.site)
    masked = _MASKED.sub(lambda m: " " * len(m.group()), text)
    line_of = LineNumbers(text)
    found: dict[str, Issue] = {}
    resume = 0
    for opener in _LIQUID.finditer(masked):
        end = _closed(masked, opener.start() + 2, _CLOSERS[opener.group()])
        if opener.start() < resume or end == -1:
            continue
        resume = end
        for named in _NAMED.finditer(masked, opener.start() + 2, end):
            root, name = named.group(1), named.group(2) or named.group(4)
            value = f"{root}.{name}"
            if value in found or name not in (lists if root == "site" else _NEIGHBOURS):
                continue
            found[value] = Issue(
                "warning",
                line_of(named.start()),
                f"{value} is not available in feeds: syndicate renders each post on its "
                "own, without the site's other pages and posts; it gives nothing",
                "write what it would show into the post to keep it in the feeds",
            )
    return list(found.values())


def _collection_labels(site: Mapping[str, Any]) -> frozenset[str]:
    """The labels of the site's collections (`collections:` in `_config.yml`, a mapping or a
    list): `site.<label>` is each one's documents."""
    given = site.get("collections")
    if isinstance(given, dict):
        return frozenset(str(k) for k in given)
    if isinstance(given, list):
        return frozenset(str(k) for k in given if isinstance(k, str))
    return frozenset()


_TRIES = 30
_HINT = "close each {{ with }}, each {% with %}, and each block with its end tag"


def _attempt(run: _Run) -> tuple[str | None, tuple[str, int] | None]:
    """The body rendered, or the tag that keeps it from rendering (a message, an offset)."""
    token = _RUN.set(run)
    try:
        out = _render(run.text, run.context)
    except LiquidError as exc:
        message = str(getattr(exc, "message", exc)).splitlines()[0]
        return None, (f"Liquid: {message}; removed to the end of the tag", _at(exc.token))
    finally:
        _RUN.reset(token)
    if not run.swallowed:
        return out, None
    message, _ = run.swallowed[0]
    opener = _unclosed(run.text, message)
    if opener is None:
        return out, None
    return None, (f"Liquid: {message}: the tag is not closed; removed", opener)


_MASKED = re.compile(
    r"\{%-?\s*(raw|comment)\s*-?%\}.*?\{%-?\s*end\1\s*-?%\}|\{%-?\s*(?:raw|comment)\b.*\Z",
    re.DOTALL,
)
_CLOSERS = {"{{": "}}", "{%": "%}"}


def _unclosed_delimiters(text: str) -> tuple[str, list[Issue]]:
    """`text` without each `{{` or `{%` that another one, a blank line or the end of the text
    comes before its `}}` or `%}` (Liquid would take the rest of the post with it): removed to
    the end of its line, an error each. `{% raw %}` and `{% comment %}` blocks are left."""
    masked = _MASKED.sub(lambda m: " " * len(m.group()), text)
    line_of = LineNumbers(text)
    cuts: list[tuple[int, int]] = []
    issues: list[Issue] = []
    resume = 0  # the end of the last tag read: an opener before it is inside that tag
    for opener in _LIQUID.finditer(masked):
        at = opener.start()
        if at < resume:
            continue
        end = _closed(masked, at + 2, _CLOSERS[opener.group()])
        if end != -1:
            resume = end
            continue
        close = _CLOSERS[opener.group()]
        line_end = text.find("\n", at)
        cuts.append((at, len(text) if line_end == -1 else line_end))
        resume = cuts[-1][1]
        line = line_of(at)
        issues.append(
            Issue(
                "error",
                line,
                f"Liquid: {opener.group()} is not closed with {close}; removed "
                "to the end of its line",
                _HINT,
            )
        )
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return text, issues


_TAG_PART = re.compile(r"""'[^'\n]*'|"[^"\n]*"|\n\s*\n|\{[{%]|[%}]\}""")


def _closed(text: str, pos: int, close: str) -> int:
    """Where the tag or output from `pos` ends, if with `close` before another `{{` or `{%`
    (not one in a quoted string) and before a blank line; else -1."""
    for part in _TAG_PART.finditer(text, pos):
        found = part.group()
        if found == close:
            return part.end()
        if found[0] in "{\n" or found in _CLOSERS.values():
            return -1
    return -1


def _render(source: str, context: Context) -> str:
    env = _env()
    template = env.from_string(source)
    return template.render(site=context.site, page=_page(context))


def _remove_at(source: str, at: int) -> str | None:
    """`source` without the tag or output starting at or just before `at` (to its closing
    delimiter, else to the end of its line); newlines kept, so lines stay where they were."""
    if at < 0 or at > len(source):
        return None
    start = max(source.rfind("{%", 0, at + 2), source.rfind("{{", 0, at + 2))
    if start == -1:
        return None
    close = "%}" if source.startswith("{%", start) else "}}"
    stop = source.find(close, start + 2)
    other = _LIQUID.search(source, start + 2)
    if stop != -1 and (other is None or other.start() > stop):
        end = stop + 2
    else:
        line_end = source.find("\n", start)
        end = len(source) if line_end == -1 else line_end
    removed = source[start:end]
    return source[:start] + "\n" * removed.count("\n") + source[end:]


def _unclosed(source: str, message: str) -> int | None:
    """Where the block the message names opens without being closed (the innermost one)."""
    found = _EXPECTED_END.search(message)
    if found is None:
        return None
    name = found.group(1)
    masked = _RAW.sub(lambda m: " " * len(m.group()), source)
    opened: list[int] = []
    for tag in _TAG_NAMED.finditer(masked):
        if tag.group(2) != name:
            continue
        if tag.group(1):
            if opened:
                opened.pop()
        else:
            opened.append(tag.start())
    return opened[-1] if opened else None


def _page(context: Context) -> dict[str, Any]:
    page = context.page
    values: dict[str, Any] = dict(page.params)
    path = urlsplit(page.permalink).path
    base = "/" + _text(context.site.get("baseurl")).strip("/")
    if base != "/" and path.startswith(base):
        path = path[len(base) :] or "/"
    values.update(
        title=page.title,
        url=path,
        permalink=page.permalink,
        date=_local(page.date, context.site.get("time")),
        tags=list(page.tags),
        categories=list(page.categories),
    )
    if page.authors:
        # Jekyll's page.author is the front matter's value: one name, or the list it wrote.
        values.setdefault(
            "author", page.authors[0] if len(page.authors) == 1 else list(page.authors)
        )
        values.setdefault("authors", list(page.authors))
    if page.image is not None and "image" not in values:
        # as the front matter wrote it: below the site's address when it is the site's own
        site = _text(context.site.get("url")).rstrip("/") + base.rstrip("/") + "/"
        values["image"] = page.image.removeprefix(site) if site != "/" else page.image
    return values


# --- jekyll-relative-links -------------------------------------------------------------------


def _relative_links(text: str, context: Context) -> str:
    """The post's links to files of the site as their pages' addresses, each file looked up
    once and kept in `looked_up` (the HTML changes when its page moves)."""
    from .relative_links import rewrite

    rules, refs = context.relative_links, context.refs
    if rules is None or refs is None or ("](" not in text and "]: " not in text):
        return text
    rel = refs.below(context.page.source)
    if rel is None or not rules.applies(rel):
        return text

    def lookup(path: str) -> str | None:
        key = RELATIVE_LINK + path
        if key not in context.looked_up:
            context.looked_up[key] = refs.resolve_file(path)
        return context.looked_up[key]

    return rewrite(text, posixpath.dirname(rel), lookup)


# --- kramdown attribute lists ---------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# `#id`, `.class`, `key="value"`, and a bare name (a reference to a named list, or `toc`).
# kramdown scans the list for these and passes over anything else: `:rel="noopener"` is its
# `rel="noopener"` (scala-lang.org writes `{:target="_blank" :rel="noopener"}`). Possessive
# (`++`, `*+`): a name is never cut into shorter ones, nor a list taken back item by item, when
# what follows does not close it; with plain `+` and `*`, a line such as `{:a.bcd…z%` took
# time exponential in its length (20 s for 34 characters) before it was found not to be one.
# The one cut that could make a list (`#a:b=1` as `#a` and `:b=1`) is the first alternative.
_IAL_VALUE = r"""(?:"[^"]*+"|'[^']*+'|[^\s"'}]++)"""
_IAL_BODY = (
    r"(?:\s*+(?:[#.][\w:-]++(?<=[\w-])(?<![#.][\w-])=" + _IAL_VALUE + r"|[#.][\w:-]++"
    r"|:?[\w-]++=" + _IAL_VALUE + r"|[\w-]++))*+\s*"
)
# kramdown's extensions on one line: `{::options ... /}`, `{::comment}...{:/comment}`, and the
# markers of `{::nomarkdown}...{:/}` (its content is HTML already); a name is taken whole (cut
# anywhere, it was read to the line's end from each cut: quadratic in a long one)
_EXTENSION = re.compile(
    r"\{::comment\}.*?\{:/(?:comment)?\}|\{::\w++[^{}]*?/\}|\{::nomarkdown\}|\{:/\w*\}"
)
_TOC = re.compile(r"\{:\s*toc\s*\}")
_LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|\d+[.)])\s")
_BLOCK_IAL = re.compile(r"^ {0,3}\{:" + _IAL_BODY + r"\}\s*$|^ {0,3}\{:[\w-]+:[^}\n]*\}\s*$")
_HEADING_IAL = re.compile(r"^( {0,3}#{1,6} .*?)[ \t]*\{:(" + _IAL_BODY + r")\}[ \t]*$")
_SPAN_IAL = re.compile(r"\{:" + _IAL_BODY + r"\}")
_IAL_ID = re.compile(r"#([\w:-]+)")
_BACKTICKS = re.compile(r"`+")
_ATX = re.compile(r" {0,3}#{1,6} ")
_HEADING_ID = re.compile(r"\{#[^{}]*\}[ \t]*$")


def _attribute_lists(text: str) -> str:
    """kramdown's attribute lists as kramdown applies them, outside code: a heading's id is
    kept (as `{#id}`, which the heading plugin reads); every other list is removed."""
    if "{:" not in text:
        return text
    out: list[str] = []
    code = _CodeLines()
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if code.holds(line):
            out.append(line)
            continue
        while index < len(lines) and _runs_on(line, lines[index]):
            line = f"{line}\n{lines[index]}"
            index += 1
        kept = _ial_line(line) if "{:" in line else line
        if kept is not None:
            out.append(kept)
        elif _TOC.match(line.strip()) and out and _LIST_ITEM.match(out[-1]):
            out.pop()  # kramdown's `* TOC` + `{:toc}`: a table of contents a feed does not need
        elif out and _ATX.match(out[-1]) and not _HEADING_ID.search(out[-1]):
            # a list under a heading is the heading's (kramdown's block attribute lists)
            ident = _IAL_ID.search(line)
            if ident is not None:
                out[-1] = out[-1].rstrip() + f" {{#{ident.group(1)}}}"
    return "\n".join(out)


# An attribute list still open at the end of a line: kramdown's may hold line breaks
# (parser/kramdown/extensions.rb: `ALD_ANY_CHARS = /\\\}|[^\}]/`).
_OPEN_IAL = re.compile(r"\{:[^{}]*$")


def _runs_on(line: str, following: str) -> bool:
    """Whether an attribute list that `line` opens is closed on the `following` line
    (`{:\n.icon width="70"}`)."""
    opened = _OPEN_IAL.search(line) if "{:" in line else None
    if opened is None or not following.strip():
        return False
    return _SPAN_IAL.match(f"{line[opened.start() :]}\n{following}") is not None


# A list item's marker, and the spaces after it, which set where its content is indented.
_ITEM_MARKER = re.compile(r"([ \t]*)([*+-]|\d+[.)])([ \t]+|$)")


class _CodeLines:
    """Which lines of a post are code, read line by line as kramdown reads its blocks: a
    fence's, or an indented code block's: after a blank line, four columns past the content
    of the list item the line is in (kramdown's parser/kramdown/codeblock.rb and list.rb,
    which takes an item's indentation off its lines). A fence or code in a list item is
    indented: read from the line's start alone, `p h.except(:a) #=> {:b=>2, :c=>3}` lost
    its hash, as an attribute list."""

    def __init__(self) -> None:
        self.fence: str | None = None
        self.indented = False
        self.blank_before = True
        self.columns: list[int] = []  # the content column of each list item the line is in

    def holds(self, line: str) -> bool:
        if self.fence is not None:
            closing = _FENCE.match(line.lstrip(" \t"))
            if closing is not None and _closes(closing.group(1), self.fence):
                self.fence = None
            return True
        if not line.strip():
            self.blank_before = True
            return self.indented
        blank_before, self.blank_before = self.blank_before, False
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        indent = len(lead.expandtabs(4))
        column = self.columns[-1] if self.columns else 0
        if indent >= column + 4 and (self.indented or blank_before):
            self.indented = True
            return True
        self.indented = False
        self._follow_lists(line, indent, blank_before)
        opened = _FENCE.match(line[len(lead) :])
        if opened is not None:
            self.fence = opened.group(1)
            return True
        return False

    def _follow_lists(self, line: str, indent: int, blank_before: bool) -> None:
        """The list items the line is in: a marker's starts one (closing those it is not
        inside); a line after a blank one, indented less than an item's content, leaves it."""
        marker = _ITEM_MARKER.match(line)
        if marker is not None or blank_before:
            while self.columns and indent < self.columns[-1]:
                self.columns.pop()
        if marker is not None:
            spaces = len(marker.group(3).expandtabs(4)) if marker.group(3) else 1
            self.columns.append(indent + len(marker.group(2)) + (spaces if spaces <= 4 else 1))


def _closes(run: str, fence: str) -> bool:
    return run[0] == fence[0] and len(run) >= len(fence)


def _ial_line(line: str) -> str | None:
    if "{::" in line or "{:/" in line:
        line = _EXTENSION.sub("", line)
        if not line.strip():
            return None
    if _BLOCK_IAL.match(line):
        return None
    heading = _HEADING_IAL.match(line)
    if heading is not None:
        ident = _IAL_ID.search(heading.group(2))
        return heading.group(1) + (f" {{#{ident.group(1)}}}" if ident else "")
    parts: list[str] = []
    pos = 0
    for start, end in _code_spans(line):
        parts.append(_SPAN_IAL.sub("", line[pos:start]))
        parts.append(line[start:end])
        pos = end
    parts.append(_SPAN_IAL.sub("", line[pos:]))
    return "".join(parts)


def _code_spans(line: str) -> Iterator[tuple[int, int]]:
    r"""The code spans of a line, as `(`+).*?\1` finds them: from a run of backticks, the most
    of its backticks found again later on the line, up to where they first are. Found from the
    runs' lengths: the pattern tried each length from each backtick, reading the rest of the
    line for each (a line of 10,000 backticks took 8 s)."""
    runs = [found.span() for found in _BACKTICKS.finditer(line)]
    longest = [0] * (len(runs) + 1)  # longest[i]: the longest run of runs[i:]
    for i in range(len(runs) - 1, -1, -1):
        longest[i] = max(runs[i][1] - runs[i][0], longest[i + 1])
    pos = i = 0
    while i < len(runs):
        start = max(runs[i][0], pos)  # a span may end inside a run: the rest is a run
        length = runs[i][1] - start
        # its own run holds `ticks` again after them, or a later run does
        ticks = max(length // 2, min(length, longest[i + 1]))
        if not ticks:  # one backtick, the line's last
            return
        if 2 * ticks <= length:
            pos = start + 2 * ticks
        else:
            i += 1
            while runs[i][1] - runs[i][0] < ticks:
                i += 1
            pos = runs[i][0] + ticks
        yield start, pos
        while i < len(runs) and runs[i][1] <= pos:
            i += 1


# --- the site -------------------------------------------------------------------------------


def site_values(config: Config) -> dict[str, Any]:
    """`site` as a post's Liquid sees it: the plain values of `_config.yml`, with `title`,
    `url`, `baseurl`, `description` and `time`."""
    values: dict[str, Any] = {}
    generator = config.generator
    if generator is not None and generator.generator == "jekyll" and generator.files:
        from ...sites.jekyll.config import load

        try:
            data = load(generator.files[0], str(generator.files[0]))
        except ConfigError:  # read once already: changed or removed since
            data = {}
        values.update({str(k): _plain(v) for k, v in data.items()})
        values.setdefault("data", _data_folder(generator.root, data, generator.files))
    base = urlsplit(config.base_url)
    values.setdefault("url", f"{base.scheme}://{base.netloc}" if base.netloc else "")
    values.setdefault("baseurl", base.path.rstrip("/"))
    values["title"] = config.site.title
    values.setdefault("description", "")
    values["time"] = datetime.now(config.tz)  # Jekyll's times are in the site's `timezone`
    return values


def _data_folder(root: Path, settings: Mapping[str, Any], files: tuple[Path, ...]) -> DataFolder:
    """`site.data`: the data folder's files among those the config reading found."""
    from ...sites.jekyll.data import SUFFIXES, DataFolder, data_folder

    folder = data_folder(root, settings)
    inside = tuple(f for f in files if f.is_relative_to(folder) and f.suffix.lower() in SUFFIXES)
    return DataFolder(folder, inside)


def _local(moment: datetime | None, now: object) -> datetime | None:
    """`moment` in the site's time zone (that of `site.time`), as Jekyll shows every time: its
    `timezone` setting is the TZ of the process (jekyllrb.com/docs/configuration/options/)."""
    if moment is None or not isinstance(now, datetime) or now.tzinfo is None:
        return moment
    return moment.astimezone(now.tzinfo)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool | date) or value is None:
        return value
    return str(value)


__all__ = ["DELIMITERS", "expand", "site_values"]
