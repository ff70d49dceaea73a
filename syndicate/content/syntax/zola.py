"""Zola shortcodes in a post's body -> Markdown with their output, as Zola renders them.

Zola reads shortcodes before Markdown, in the whole body, code blocks and code spans included
(getzola/zola components/markdown/src/content.pest and shortcode/parser.rs: the page grammar
splits the raw content first; that is why Zola's docs write examples with the escape form):

- `{{ name(key=value, ...) }}`: inline, its output HTML inserted after Markdown as it is;
- `{% name(key=value) %}body{% end %}`: the body (up to the first `{% end %}`, trimmed) is
  handed to the template as text, `body`;
- arguments are named only, comma-separated, the parentheses required: strings in `"`, `'` or
  backticks (no escapes), integers, floats, `true`/`false` and arrays of those; a name is
  `[A-Za-z_][A-Za-z0-9_]*`; whitespace and newlines may stand between any two parts;
- `{{/* name() */}}` and `{%/* name() */%}` ... `{%/* end */%}` are written out without the
  comment markers.

Anything else in braces (`{{ page.title }}`, `{{ toc }}` without parentheses, a Tera comment
`{# ... #}`) is text to Zola, and stays text here. Zola has no built-in shortcodes and its
site's Tera templates are not run: a name is known only through the site's own Jinja2
templates (`templates`); any other is removed, its body kept as Markdown. Where Zola would
publish a call it cannot read as text (a trailing comma, an unclosed quote, a body without
`{% end %}`), syndicate reports it at its line and removes it, keeping the rest of the post.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import field
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from markupsafe import Markup

from ...datatype import datatype
from . import Context, Expansion, Issue, LineNumbers, finish, placeholder
from .templates import TemplateProblem

if TYPE_CHECKING:
    from .refs import RefIndex

DELIMITERS = ("{{", "{%", "@/")
Value = str | int | float | bool | list["Value"]

_OPEN = re.compile(r"\{([{%])")
_SPACE = re.compile(r"\s*")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# What Zola would read as the start of a call: `{{ name(`, `{% name(`, `{% end %}`, the
# escape forms, whose `/*` follows the braces at once (`{{/*` is one token of content.pest:
# `{{ /* name() */ }}` is text). Anything else after `{{`/`{%` is text.
_CALLISH = re.compile(r"(?:/\*\s*|\s*)(?:[A-Za-z_][A-Za-z0-9_]*\s*\(|end\s*(?:\*/\s*)?%\})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_BOOL = re.compile(r"(?:true|false)\b")
_END = re.compile(r"\{%\s*end\s*%\}")
_ESCAPED_END = re.compile(r"\s*end\s*\*/%\}")
# A call that joins text on both of its sides may leave a call's start behind (`{` + `{ x(`).
_REFORMED = re.compile(r"\{(?=[{%]" + _CALLISH.pattern + ")")
_BEFORE_HELD = re.compile(r"\{(?=" + placeholder(0)[:-5] + ")")


class _Bad(Exception):
    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


@datatype(frozen=False)
class _Call:
    start: int
    end: int  # after its `}}` or `%}`
    name: str
    args: dict[str, Value]
    body: bool  # `{% %}`: a body up to `{% end %}` follows


@datatype(frozen=False)
class _Reader:
    """Reads one call's arguments from `text` at `i`, as Zola's grammar does."""

    text: str
    i: int

    def skip(self) -> None:
        self.i = _SPACE.match(self.text, self.i).end()  # type: ignore[union-attr]

    def take(self, literal: str) -> bool:
        self.skip()
        if self.text.startswith(literal, self.i):
            self.i += len(literal)
            return True
        return False

    def ident(self, what: str) -> str:
        self.skip()
        found = _IDENT.match(self.text, self.i)
        if found is None:
            raise _Bad(f"expected {what}", self.i)
        self.i = found.end()
        return found.group()

    def arguments(self) -> dict[str, Value]:
        args: dict[str, Value] = {}
        if not self.take("("):
            raise _Bad("expected ( after the shortcode's name", self.i)
        if self.take(")"):
            return args
        while True:
            key = self.ident("an argument's name (arguments are named: key=value)")
            if not self.take("="):
                raise _Bad(f"expected = after the argument {key!r}", self.i)
            args[key] = self.literal()
            if self.take(")"):
                return args
            # `sc_def = ident "(" kwargs* ")"` (content.pest): runs of comma-separated
            # arguments one after another, so a comma between two is optional.
            if self.take(",") and self.take(")"):
                raise _Bad("a comma after the last argument (Zola then reads no call)", self.i - 1)

    def literal(self) -> Value:
        self.skip()
        text, i = self.text, self.i
        if i < len(text) and text[i] in "\"'`":
            end = text.find(text[i], i + 1)
            if end == -1:
                raise _Bad("a quoted value is not closed", i)
            self.i = end + 1
            return text[i + 1 : end]
        if text.startswith("[", i):
            self.i += 1
            items: list[Value] = []
            while not self.take("]"):
                items.append(self.literal())
                if not self.take(","):
                    if self.take("]"):
                        break
                    raise _Bad("expected , or ] in an array", self.i)
            return items
        for pattern, kind in ((_BOOL, "bool"), (_FLOAT, "float"), (_INT, "int")):
            found = pattern.match(text, i)
            if found is not None:
                self.i = found.end()
                value = found.group()
                if kind == "bool":
                    return value == "true"
                return float(value) if kind == "float" else int(value)
        raise _Bad("expected a value: a quoted string, a number, true, false or an array", i)


def _call(text: str, start: int, kind: str) -> _Call:
    """The call at `start` (`{{` or `{%`, not escaped). Raises _Bad."""
    close = "}}" if kind == "{" else "%}"
    reader = _Reader(text, start + 2)
    name = reader.ident("a shortcode's name")
    args = reader.arguments()
    if not reader.take(close):
        raise _Bad(f"expected {close} after the call of {name!r}", reader.i)
    return _Call(start, reader.i, name, args, kind == "%")


def _escaped(text: str, start: int, kind: str) -> tuple[str, int]:
    """`{{/* call */}}` -> (`{{ call }}`, end). Raises _Bad."""
    close = "*/}}" if kind == "{" else "*/%}"
    reader = _Reader(text, start + 4)
    if kind == "%" and _ESCAPED_END.match(text, reader.i):
        reader.take("end")
    else:
        reader.ident("a shortcode's name")
        reader.arguments()
    if not reader.take(close):
        raise _Bad(f"an escaped shortcode is not closed with {close}", reader.i)
    inside = text[start + 4 : reader.i - len(close)]
    return ("{{" if kind == "{" else "{%") + inside + close[2:], reader.i


@datatype(frozen=False)
class _Run:
    text: str
    context: Context
    expansion: Expansion
    line: LineNumbers
    nth: dict[str, int] = field(default_factory=dict)

    def render(self, start: int, stop: int) -> str:
        """The text from `start` to `stop` with every call in it rendered or removed."""
        text = self.text
        out: list[str] = []
        pos = start
        while pos < stop:
            found = _OPEN.search(text, pos, stop)
            if found is None:
                break
            at, kind = found.start(), found.group(1)
            if not _CALLISH.match(text, at + 2):
                out.append(text[pos : at + 1])  # text to Zola: `{{ page.title }}`, `{# #}`
                pos = at + 1
                continue
            out.append(text[pos:at])
            pos = self.one(at, kind, stop, out)
        out.append(text[pos:stop])
        return "".join(out)

    def one(self, at: int, kind: str, stop: int, out: list[str]) -> int:
        """Render the call at `at` into `out`; returns where the text goes on."""
        text = self.text
        close = "}}" if kind == "{" else "%}"
        try:
            if text.startswith("/*", at + 2):
                written, end = _escaped(text, at, kind)
                out.append(self.expansion.hold(escape(written, quote=False)))
                return end
            if kind == "%":
                ended = _END.match(text, at)
                if ended is not None:
                    raise _Bad("{% end %} without a shortcode to close; removed", at)
            call = _call(text, at, kind)
        except _Bad as bad:
            self.error(at, bad.message, f"check the call's arguments and that it ends with {close}")
            out.append(self.expansion.hold(""))
            return _broken_end(text, at, close, stop)
        if call.end > stop:  # a call running past the body it is in
            self.error(at, f"shortcode {call.name!r} runs past {{% end %}}")
            out.append(self.expansion.hold(""))
            return stop
        if not call.body:
            out.append(self.call(call, None, None))
            return call.end
        ended = _END.search(text, call.end, stop)
        if ended is None:
            message = f"shortcode {call.name!r} is not closed with {{% end %}}; its call removed"
            self.error(at, message, "end its body with {% end %}")
            out.append(self.expansion.hold(""))
            return call.end
        out.append(self.call(call, call.end, ended.start()))
        return ended.end()

    def error(self, at: int, message: str, hint: str | None = None) -> None:
        self.expansion.issues.append(Issue("error", self.line(at), message, hint))

    def call(self, call: _Call, body_start: int | None, body_end: int | None) -> str:
        inner: str | None = None
        if body_start is not None and body_end is not None:
            inner = self.render(body_start, body_end)
        shortcodes = self.context.shortcodes
        if shortcodes is None or call.name not in shortcodes:
            self.expansion.issues.append(
                Issue(
                    "warning",
                    self.line(call.start),
                    f"unknown shortcode {call.name!r}",
                    None,
                    call.name,
                    ", ".join(k for k, v in call.args.items() if isinstance(v, str)) or None,
                )
            )
            if inner is None:
                return self.expansion.hold("")
            return inner  # the body stays Markdown, rendered with the post
        body = self.text[body_start:body_end].strip() if body_start is not None else None
        rendered = finish(self.context.markdown(inner), self.expansion) if inner else inner
        variables = self.variables(call, body, rendered)
        try:
            output = shortcodes.render(call.name, variables)
        except TemplateProblem as exc:
            self.error(call.start, f"shortcode {call.name!r}: {exc.message}")
            return inner or self.expansion.hold("")
        return self.expansion.hold(output)

    def variables(self, call: _Call, body: str | None, inner: str | None) -> dict[str, object]:
        page = self.context.page
        self.nth[call.name] = self.nth.get(call.name, 0) + 1
        variables: dict[str, object] = dict(call.args)
        variables.update(
            params=[],
            named=dict(call.args),
            nth=self.nth[call.name],
            page={"title": page.title, "permalink": page.permalink, "params": page.params},
            site=self.context.site,
        )
        # A call without a body has none: the template's `{{ body }}` is then empty, not "None".
        if body is not None:
            variables["body"] = body
        if inner is not None:
            variables["inner"] = Markup(inner)
        return variables


def _broken_end(text: str, start: int, close: str, stop: int) -> int:
    """Where a call that cannot be read ends: at its closing delimiter when no other call
    starts before it, else at the end of its line or the next call, whichever comes first."""
    end = text.find(close, start + 2, stop)
    other = _OPEN.search(text, start + 2, stop)
    while other is not None and not _CALLISH.match(text, other.start() + 2):
        other = _OPEN.search(text, other.start() + 1, stop)
    if end != -1 and (other is None or other.start() >= end):
        return end + len(close)
    line_end = text.find("\n", start, stop)
    line_end = stop if line_end == -1 else line_end
    return line_end if other is None else min(line_end, other.start())


# Zola 0.23 (getzola/zola CHANGELOG, "0.23.x": shortcodes removed) renders a page's content as
# a Tera 2 template: components called as `{{<name key={value} />}}` or `{% <name> %}...{%
# </name> %}`, and `{% raw %}...{% endraw %}` around what is to stay text. None of these is a
# call of Zola 0.22 and earlier, whose shortcodes syndicate reads: such a post is reported. A
# name is taken whole (cut anywhere, it was read to the line's end from each cut: quadratic).
_TERA2 = re.compile(
    r"\{\{<[A-Za-z_][\w-]*+[^\n]*?/>\}\}|\{%-?\s*</?[A-Za-z_][\w-]*+[^\n]*?%\}"
    r"|\{%-?\s*raw\s*-?%\}"
)


def expand(text: str, context: Context) -> Expansion:
    """`text` with its Zola shortcodes rendered or removed, and its internal links made the
    permalinks of the posts they name."""
    expansion = Expansion(text)
    if (newer := _TERA2.search(text)) is not None:
        expansion.issues.append(_newer_syntax(text, newer))
    text = _internal_links(text, context, expansion)
    run = _Run(text, context, expansion, LineNumbers(text))
    out = run.render(0, len(text))
    if context.wants_html:  # else only the problems and refs are read
        # Text on both sides of a removed call may meet as a call's start: a zero-width
        # space keeps them apart, so that no reader sees a shortcode the post did not escape.
        out = _BEFORE_HELD.sub("{\u200b", _REFORMED.sub("{\u200b", out))
    expansion.text = out
    expansion.refs = dict(context.looked_up)
    return expansion


def _newer_syntax(text: str, found: re.Match[str]) -> Issue:
    return Issue(
        "warning",
        LineNumbers(text)(found.start()),
        f"Zola 0.23's template syntax ({found.group()[:40]}) is not read: the feed shows it "
        "as written",
        "syndicate reads the shortcodes of Zola 0.22 and earlier; Zola 0.23 renders content "
        "with Tera 2 components, which it does not run",
    )


# An internal link, `[text](@/blog/post.md#part)` or `[ref]: @/blog/post.md` (https://www.
# getzola.org/documentation/content/linking/#internal-links): a path below `content/`.
_INTERNAL = re.compile(r"(\]\(\s*<?|^[ \t]*\[[^\]\n]+\]:[ \t]*<?)@/([^)\s>#]+)(#[^)\s>]*)?", re.M)


def _internal_links(text: str, context: Context, expansion: Expansion) -> str:
    """Each internal link as the absolute permalink of the page it names; one to no published
    page is an error at its line (Zola stops the build there), its target left empty."""
    if "@/" not in text:
        return text
    lines = LineNumbers(text)

    def swap(found: re.Match[str]) -> str:
        target = "/" + found.group(2)
        if target not in context.looked_up:
            context.looked_up[target] = _resolve(target, context)
        url = context.looked_up[target]
        if url is None:
            expansion.issues.append(
                Issue(
                    "error",
                    lines(found.start(2)),
                    f"internal link: no published page at '@/{found.group(2)}'; the link "
                    "keeps its text",
                    "give the path of a page below content/ (e.g. @/blog/post.md)",
                )
            )
            # An empty target: the sanitizer keeps the text without a link. A reference
            # definition needs `<>` to stay one (CommonMark: a destination is required).
            opened = found.group(1)
            return opened if opened.startswith("]") or opened.endswith("<") else opened + "<>"
        return found.group(1) + url + (found.group(3) or "")

    return _INTERNAL.sub(swap, text)


_SECTION_IN = re.compile(r"/_index\.([a-z]{2}(?:-[a-z]{2,4})?)\.md$")


def _resolve(target: str, context: Context) -> str | None:
    refs = context.refs
    if refs is None:
        return None
    return resolve_internal(target, refs, context.page.source, context.site)


def resolve_internal(
    target: str, refs: RefIndex, source: str, site: Mapping[str, Any]
) -> str | None:
    """The permalink an internal link in the post file `source` names: the page of the file
    at its path below content/, percent-decoded and looked up as it is (components/utils/src/
    site.rs `resolve_internal_link`), in that file's language; its fragment kept. Without
    the generator's addresses (a site that is not Zola's), a section page in another
    language (`@/projects/_index.es.md`) is its default language's address under `/es/`,
    as Zola publishes every other language."""
    path, hashmark, fragment = target.partition("#")
    found = refs.resolve_file(unquote(path.lstrip("/")))
    if found is not None:
        return found + (f"#{fragment}" if hashmark else "")
    section = _SECTION_IN.search(path)
    if section is None or refs.pages is not None:
        return None
    base = str(site.get("base_url", ""))
    default = refs.resolve(path[: section.start()] + "/_index.md", source)
    if default is None or not base or not default.startswith(base):
        return None
    return f"{base}{section.group(1)}/{default[len(base) :]}"
