"""Hugo shortcodes in a post's body -> Markdown with their output, as Hugo renders them.

`{{< name args >}}` outputs HTML that Markdown leaves alone (it stands as a placeholder until
mistune is done); `{{% name args %}}` outputs Markdown, rendered with the post. Parameters are
positional or named (`key=value`), bare, "quoted" (with `\\"`) or `raw`; a call may span lines,
close itself (`{{< x />}}`) or enclose content up to `{{< /x >}}`, nested calls included.
`{{</* x */>}}` writes `{{< x >}}` out. As in Hugo, shortcodes are found in the whole body,
code blocks and code spans included: Hugo's page lexer (gohugoio/hugo parser/pageparser)
splits the raw content into shortcodes before goldmark sees it, which is why Hugo's own
documentation writes examples in code blocks with the escape form. HTML output is put back
after Markdown as Hugo's hugolib/shortcode.go `expandShortcodeTokens` does, a placeholder that
is a paragraph by itself replacing the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import field
from html import escape

from markupsafe import Markup

from ...datatype import datatype
from . import Context, Expansion, Issue, LineNumbers, finish, placeholder
from .builtins import BUILTINS, Call
from .templates import TemplateProblem

DELIMITERS = ("{{<", "{{%")
_OPEN = re.compile(r"\{\{([<%])")
_SPACE = re.compile(r"\s*")
_NAME = re.compile(r"[A-Za-z0-9_][\w./-]*")
# Hugo reads `src= "a.png"`, `src ="a.png"` and `src =\n"a.png"` as `src="a.png"` (0.111 and
# 0.168 alike; ropensci.org's posts write figures so).
_NAMED = re.compile(r"([A-Za-z_][\w-]*)\s*=\s*")
_BARE = re.compile(r"[^\s\"`]+")
_ESCAPE_END = {"<": re.compile(r"\*/\s*>\}\}"), "%": re.compile(r"\*/\s*%\}\}")}
# Built-ins that take their content as written (code), not rendered; `comment` drops it, so
# nothing inside it is reported either.
_RAW_INNER = frozenset({"highlight", "qr", "comment"})
_INLINE = ".inline"  # an inline shortcode's name ends so (pagelexer_shortcode.go)


@datatype(frozen=False)
class _Text:
    start: int
    end: int


@datatype(frozen=False)
class _Broken:
    start: int
    end: int
    message: str
    hint: str | None = None


@datatype(frozen=False)
class _Escaped:
    start: int
    end: int
    text: str


@datatype(frozen=False)
class _Open:
    start: int
    end: int
    kind: str
    name: str
    positional: list[str]
    named: dict[str, str]
    closed: bool  # `{{< x />}}`


@datatype(frozen=False)
class _Close:
    start: int
    end: int
    kind: str
    name: str


_Token = _Text | _Broken | _Escaped | _Open | _Close


@datatype(frozen=False)
class _Node:
    call: _Open
    children: list[_Item] | None = None
    inner_start: int = 0
    inner_end: int = 0


_Item = _Text | _Broken | _Escaped | _Node


class _Bad(Exception):
    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while True:
        found = _OPEN.search(text, pos)
        if found is None:
            if pos < len(text):
                tokens.append(_Text(pos, len(text)))
            return tokens
        if found.start() > pos:
            tokens.append(_Text(pos, found.start()))
        token = _call(text, found.start(), found.group(1))
        tokens.append(token)
        pos = token.end


def _call(text: str, start: int, kind: str) -> _Token:
    close = ">}}" if kind == "<" else "%}}"
    i = _SPACE.match(text, start + 3).end()  # type: ignore[union-attr]
    if text.startswith("/*", i):
        end = _ESCAPE_END[kind].search(text, i + 2)
        if end is None:
            return _broken(text, start, close, "an escaped shortcode ({{</* */>}}) is not closed")
        written = "{{" + kind + text[i + 2 : end.start()] + close
        return _Escaped(start, end.end(), written)
    try:
        if text.startswith("/", i):
            name, i = _name(text, _SPACE.match(text, i + 1).end(), start)  # type: ignore[union-attr]
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
            if not text.startswith(close, i):
                raise _Bad(f"expected {close} after the closing tag of {name!r}", i)
            return _Close(start, i + len(close), kind, name)
        name, i = _name(text, i, start)
        positional: list[str] = []
        named: dict[str, str] = {}
        while True:
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
            if text.startswith(close, i):
                return _Open(start, i + len(close), kind, name, positional, named, False)
            if text.startswith("/" + close, i):
                return _Open(start, i + 1 + len(close), kind, name, positional, named, True)
            if i >= len(text) or _OPEN.match(text, i):
                raise _Bad(f"shortcode {name!r} is not closed with {close}", i)
            key = _NAMED.match(text, i)
            if key is not None:
                value, i = _value(text, key.end(), close)
                named[key.group(1)] = value
            else:
                value, i = _value(text, i, close)
                positional.append(value)
    except _Bad as bad:
        return _broken(text, start, close, bad.message)


def _name(text: str, i: int, start: int) -> tuple[str, int]:
    found = _NAME.match(text, i)
    if found is None:
        raise _Bad("a shortcode call without a name", i)
    return found.group(), found.end()


def _value(text: str, i: int, close: str) -> tuple[str, int]:
    if i < len(text) and text[i] in '"`':
        quote = text[i]
        j = i + 1
        parts: list[str] = []
        while True:
            end = text.find(quote, j)
            stop = text.find(close, j)
            if end == -1 or (stop != -1 and stop < end):
                what = "quoted" if quote == '"' else "raw"
                raise _Bad(f"a {what} value is not closed before {close}", i)
            if quote == '"' and text[end - 1] == "\\":
                parts.append(text[j : end - 1] + '"')
                j = end + 1
                continue
            parts.append(text[j:end])
            return "".join(parts), end + 1
    found = _BARE.match(text, i)
    if found is None:
        raise _Bad("unexpected text in a shortcode call", i)
    value = found.group()
    for ending in ("/" + close, close, "{{<", "{{%"):
        cut = value.find(ending)
        if cut != -1:
            value = value[:cut]
    if not value:
        raise _Bad("unexpected text in a shortcode call", i)
    return value, i + len(value)


def _broken(text: str, start: int, close: str, message: str) -> _Broken:
    """A call that cannot be read: it is removed up to its closing delimiter when no other call
    starts before it, else to the end of its line; the rest of the post stays."""
    stop = text.find(close, start + 3)
    other = _OPEN.search(text, start + 3)
    if stop != -1 and (other is None or other.start() > stop):
        end = stop + len(close)
    else:
        line_end = text.find("\n", start)
        end = len(text) if line_end == -1 else line_end
    hint = "check the quotes and that the call ends with " + close
    return _Broken(start, end, message, hint)


def _tree(tokens: list[_Token]) -> list[_Item]:
    """Pair each closing tag with the nearest open call of its name; an open call left
    without one encloses nothing."""
    root: list[_Item] = []
    stack: list[tuple[_Open, list[_Item]]] = []

    def current() -> list[_Item]:
        return stack[-1][1] if stack else root

    def unwind(down_to: int) -> None:
        while len(stack) > down_to:
            opened, children = stack.pop()
            current().append(_Node(opened))
            current().extend(children)

    for token in tokens:
        if isinstance(token, _Open):
            if token.closed:
                current().append(_Node(token))
            else:
                stack.append((token, []))
        elif isinstance(token, _Close):
            names = [opened.name for opened, _ in stack]
            at = len(names) - 1 - names[::-1].index(token.name) if token.name in names else None
            if at is None:
                message = f"closing tag of {token.name!r} without an opening one; removed"
                current().append(_Broken(token.start, token.end, message))
                continue
            unwind(at + 1)
            opened, children = stack.pop()
            current().append(_Node(opened, children, opened.end, token.start))
        else:
            current().append(token)
    unwind(0)
    return root


@datatype(frozen=False)
class _Run:
    text: str
    context: Context
    expansion: Expansion
    line: LineNumbers
    # Each inline shortcode defined so far: its text, when it is one Hugo outputs as it stands
    # (no `{{` action in it); None for a Go template syndicate cannot run.
    inlines: dict[str, str | None] = field(default_factory=dict)

    def render(self, items: list[_Item]) -> str:
        out: list[str] = []
        for item in items:
            if isinstance(item, _Text):
                out.append(self.text[item.start : item.end])
            elif isinstance(item, _Escaped):
                out.append(self.expansion.hold(escape(item.text, quote=False)))
            elif isinstance(item, _Broken):
                self.error(item.start, item.message, item.hint)
                out.append(self.expansion.hold(""))
            else:
                out.append(self.node(item))
        return "".join(out)

    def error(self, at: int, message: str, hint: str | None = None) -> None:
        self.expansion.issues.append(Issue("error", self.line(at), message, hint))

    def node(self, node: _Node) -> str:
        opened = node.call
        markdown = opened.kind == "%"
        if opened.name.endswith(_INLINE):
            made = self.inline(node)
            return made if markdown else self.expansion.hold(made)
        call = Call(opened.name, opened.positional, opened.named, markdown=markdown)
        call.line = self.line(opened.start)
        shortcodes = self.context.shortcodes
        own = shortcodes is not None and opened.name in shortcodes
        if node.children is not None:
            call.raw_inner = self.text[node.inner_start : node.inner_end]
            if own or opened.name not in _RAW_INNER:
                inner = self.render(node.children)
                # A site's template may look at its inner HTML; a built-in's finds no problem in it.
                rendered = not markdown and (own or self.context.wants_html)
                call.inner = self.html(inner) if rendered else inner
        output = self.run(call, own)
        if output is None:
            self.expansion.issues.append(
                Issue(
                    "warning",
                    call.line,
                    f"unknown shortcode {opened.name!r}",
                    None,
                    opened.name,
                    _argument_names(opened.positional, opened.named),
                )
            )
            output = call.inner or ""
        return output if markdown else self.expansion.hold(output)

    def inline(self, node: _Node) -> str:
        """An inline shortcode (`{{< name.inline >}}…{{< /name.inline >}}`, Hugo's with
        `enableInlineShortcodes`; `{{< name.inline />}}` runs it again): its body is a Go
        template. One without an action is its own output, as Hugo's; one with actions cannot
        be run here and is left out with a warning (its template text would reach the feeds),
        as Hugo leaves every inline shortcode out without that setting (hugolib/shortcode.go)."""
        opened = node.call
        if not self.context.inline_shortcodes:
            return ""  # as Hugo without `enableInlineShortcodes`: left out, without a word
        if node.children is not None:
            body = self.text[node.inner_start : node.inner_end]
            self.inlines[opened.name] = None if "{{" in body else body
        output = self.inlines.get(opened.name)
        if output is None:
            why = (
                "its Go template is not run"
                if opened.name in self.inlines
                else "not defined before"
            )
            self.expansion.issues.append(
                Issue(
                    "warning",
                    self.line(opened.start),
                    f"inline shortcode {opened.name!r}: {why}; left out",
                    "to show what it makes in feeds, write it as a shortcode template instead",
                )
            )
            return ""
        return output

    def html(self, markdown: str) -> str:
        return finish(self.context.markdown(markdown), self.expansion)

    def run(self, call: Call, own: bool) -> str | None:
        issues = self.expansion.issues
        if own and self.context.shortcodes is not None:
            try:
                return self.context.shortcodes.render(call.name, _variables(call, self.context))
            except TemplateProblem as exc:
                issues.append(Issue("error", call.line, f"shortcode {call.name!r}: {exc.message}"))
                return call.inner or ""
        builtin = BUILTINS.get(call.name.lower())  # Hugo's template names ignore case
        if builtin is None:
            return None
        return builtin(call, self.context, issues)


def _variables(call: Call, context: Context) -> dict[str, object]:
    page = context.page
    variables: dict[str, object] = dict(call.named)
    variables.update(
        params=list(call.positional),
        named=dict(call.named),
        inner=Markup(call.inner) if call.inner is not None else None,
        page={"title": page.title, "permalink": page.permalink, "params": page.params},
        site=context.site,
    )
    return variables


_DELIMITER = re.compile(r"\{\{([<%])")
_BEFORE_HELD = re.compile(r"\{(?=" + placeholder(0)[:-5] + ")")


def expand(text: str, context: Context) -> Expansion:
    """`text` with its Hugo shortcodes rendered or removed."""
    if context.link_hook and not context.page.source.lower().endswith((".html", ".htm")):
        from .link_hook import look_up  # before any shortcode renders Markdown holding a link

        look_up(text, context)
    expansion = Expansion(text)
    line = LineNumbers(text)
    run = _Run(text, context, expansion, line)
    tree = _tree(_lex(text))
    out = run.render(tree)
    if context.wants_html:  # else only the problems and refs are read
        # Text on both sides of a call may meet as a delimiter (`{{` + `<`): a zero-width
        # space keeps them apart, so that no reader sees a shortcode the post did not escape.
        out = _BEFORE_HELD.sub("{\u200b", _DELIMITER.sub("{{\u200b\\1", out))
    expansion.text = out
    expansion.refs = dict(context.looked_up)
    return expansion


def _argument_names(positional: list[str], named: dict[str, str]) -> str | None:
    """The arguments an unknown shortcode's call takes with it when it is removed, as its
    warning names them (`Issue.dropped`): Hugo passes every one to the template, which may
    show its text (`{{< note title="Read this" >}}`); a positional one by its place."""
    names = [f"positional {i}" for i, v in enumerate(positional, start=1) if v.strip()]
    names += [k for k, v in named.items() if v.strip()]
    return ", ".join(names) or None
