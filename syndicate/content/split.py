"""A content file's text -> its front matter (YAML, TOML or JSON, read) and its body.

Apart from the loader because of what it imports: PyYAML and python-frontmatter take ~25 ms,
and a build whose posts all come from the cache, the nothing-changed check and the digest
split no post file (a Hugo site's config still splits its section pages, `_index.md`).
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from . import fastyaml
from .frontmatter import Invalid, RepeatedKey

HAS_LIBYAML = fastyaml.LOADER is not yaml.SafeLoader
_TOML_LINE = re.compile(r"at line (\d+)(?:, )?")


class TOMLHandler(BaseHandler):
    """`+++` front matter, read by the standard library (python-frontmatter's needs `toml`)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


_HANDLERS: tuple[BaseHandler, ...] = (YAMLHandler(), TOMLHandler(), JSONHandler())


def kind_of(handler: BaseHandler) -> str:
    """ "yaml", "toml" or "json": the form `handler` reads (see `loader.KeyLines`)."""
    if isinstance(handler, YAMLHandler):
        return "yaml"
    return "toml" if isinstance(handler, TOMLHandler) else "json"


def parts(text: str) -> tuple[BaseHandler | None, str, str]:
    """The front matter's handler (None without front matter), the front matter, and the raw
    body after it: one split for parse_file and read_body, so both see the same body."""
    # Hugo and Zola read front matter after blank lines (Hugo's page lexer skips leading
    # whitespace; Zola's front-matter regex starts with `^[[:space:]]*`); a BOM is gone already.
    start = text.lstrip() if text[:1].isspace() else text
    handler = next((h for h in _HANDLERS if h.detect(start)), None)
    if handler is None:
        return None, "", text
    try:
        fm, body = handler.split(start)
    except ValueError:
        raise Invalid(
            "front matter is not closed", 1, f"end it with a line of {handler.END_DELIMITER or '}'}"
        ) from None
    return handler, fm, body


def read_front_matter(
    path: Path, yaml12: bool, last_key_wins: bool = False
) -> dict[str, Any] | None:
    """A file's front matter as `split` reads it, for a file the loader does not read (a
    section page, a page a link names): None when it has none, empty when it cannot be read
    (the generator would stop on it; the loader reports a post's)."""
    try:
        handler, fm, _ = parts(path.read_text(encoding="utf-8-sig"))
        if handler is None:
            return None
        meta = load_front_matter(handler, fm, yaml12, last_key_wins)
    except (Invalid, OSError, UnicodeDecodeError):
        return {}
    return meta if isinstance(meta, dict) else {}


def split(
    text: str, yaml12: bool = False, last_key_wins: bool = False
) -> tuple[dict[str, Any], str, int, str, str]:
    """The front matter read, the body, the body's first line, and the text before the body
    with its form (`kind_of`), where a key's line is looked for; `yaml12`: YAML front matter
    with YAML 1.2's booleans (`fastyaml.Loader12`), where a key given twice raises RepeatedKey
    unless `last_key_wins`. Raises Invalid."""
    handler, fm, body = parts(text)
    if handler is None:
        return {}, text, 1, "", ""
    meta = load_front_matter(handler, fm, yaml12, last_key_wins)
    offset = len(text) - len(body)
    stripped = body.lstrip("\r\n")
    line = text.count("\n", 0, offset) + 1 + body[: len(body) - len(stripped)].count("\n")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise Invalid("front matter must be a set of `key: value` pairs", 1)
    return meta, stripped, line, text[:offset], kind_of(handler)


def load_front_matter(
    handler: BaseHandler, fm: str, yaml12: bool = False, last_key_wins: bool = False
) -> Any:
    """The value of front matter `fm` in `handler`'s form. Raises Invalid, at its line."""
    try:
        if isinstance(handler, YAMLHandler):
            meta = fastyaml.load(fm, yaml12)
            if meta is not fastyaml.NOT_SIMPLE:
                return meta
            return _load_yaml(fm, yaml12 and not last_key_wins, yaml12)
        return handler.load(fm)
    except yaml.YAMLError as exc:
        raise Invalid(*_yaml_problem(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        # "(at line 3, column 9)" -> "(column 9)": the line is the problem's own.
        message = _TOML_LINE.sub("", str(exc)).replace("()", "").strip()
        if found is None and "end of document" in message:  # a list or a text left open
            raise Invalid(
                f"invalid TOML front matter: {message}",
                fm.rstrip("\n").count("\n") + 1,
                "a `[`, `{` or quote above is not closed",
            ) from None
        raise Invalid(
            f"invalid TOML front matter: {message}", int(found.group(1)) if found else 1
        ) from None
    except json.JSONDecodeError as exc:
        raise Invalid(f"invalid JSON front matter: {exc.msg}", exc.lineno) from None
    except (ValueError, OverflowError) as exc:  # from PyYAML's constructors: `date: 2024-13-45`
        said = str(exc)
        if said.startswith("offset must be a timedelta"):  # Python's words for `+25:00`
            said = "a time zone offset is out of range (from -23:59 to +23:59)"
        raise Invalid(
            f"invalid YAML front matter: {said}",
            _unbuildable_line(fm),
            "check the dates and numbers in it",
        ) from None


def _load_yaml(fm: str, unique: bool, yaml12: bool) -> Any:
    """YAML front matter as PyYAML reads it (`yaml12`: with YAML 1.2's booleans); with
    `unique`, a key given twice is refused, as Zola's reader (serde_yaml) and Hugo's from 0.152
    (goccy/go-yaml: "mapping key already defined") refuse the page. YAML itself requires unique
    keys; PyYAML keeps the last, as Hugo's reader did before 0.152."""
    loader = (fastyaml.Loader12 if yaml12 else fastyaml.LOADER)(fm)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if unique:
            _refuse_repeated_keys(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _refuse_repeated_keys(node: yaml.Node) -> None:
    """Raises RepeatedKey for the first top-level key given twice."""
    if not isinstance(node, yaml.MappingNode):
        return
    seen: dict[str, int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        line = key.start_mark.line + 1
        if key.value in seen:
            raise RepeatedKey(key.value, (seen[key.value], line))
        seen[key.value] = line


# What PyYAML finds only at the end when a quote or a flow collection (`[...]`, `{...}`) is
# left open, or on the line after one that is no `key: value`: the error's context then marks
# where it opens, the line to fix.
_LEFT_OPEN = (
    "while scanning a quoted scalar",
    "while parsing a flow",
    "while scanning a simple key",
)

# What to do about PyYAML's errors, matched on its context and problem, in the words of both
# its readers (libyaml's and the pure Python one's differ: "mapping values are not allowed in
# this context" / "... here"). PyYAML names the grammar it was in; a post's author needs the
# usual cause: a value that needed quotes, or a quote or bracket left open.
_YAML_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), hint)
    for pattern, hint in (
        (
            r"quoted scalar.*end of stream",
            "the quote that opens the value on this line is not closed: end the value with "
            "the same quote mark",
        ),
        (
            r"flow sequence",
            "the `[` on this line is not closed, or its items lack a comma: write `[a, b]`",
        ),
        (
            r"flow mapping",
            "the `{` on this line is not closed, or its pairs lack a comma: write `{a: 1, b: 2}`",
        ),
        (
            r"unknown escape",
            "in double quotes a backslash starts an escape: write it `\\\\`, or put the value in "
            "single quotes",
        ),
        (r"\btab\b|'\\t'", "YAML indents with spaces only: replace the tab with spaces"),
        (
            r"mapping values are not allowed",
            'a value holding `: ` needs quotes (title: "Part 1: the start"), and a key starts '
            "in the same column as the keys beside it",
        ),
        (r"while scanning an alias", 'a value that starts with `*` needs quotes: "*word* …"'),
        (
            r"cannot start any token",
            'a value that starts with `@`, a backquote or `%` needs quotes: "@name"',
        ),
        (
            r"constructor for the tag",
            'a value that starts with `!` needs quotes: "!important"',
        ),
        (
            r"simple key.*expected ':'",
            "each line is `key: value`, a list item `- value`, or the indented rest of a value "
            "above; this one is none of them",
        ),
        (
            r"expected key|expected <block end>",
            "text follows a quoted value (quote the whole of it), or a line is indented unlike "
            "the lines beside it",
        ),
    )
)


def _yaml_problem(exc: yaml.YAMLError) -> tuple[str, int, str | None]:
    """The message, line and hint of a PyYAML error: the line of the problem, except for a
    quote or a flow collection left open, which PyYAML finds only at the end of the front
    matter (the closing `---`): there, the line where it opens, with PyYAML's words for both."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    said = f"{context or ''} {problem}"
    hint = next((hint for pattern, hint in _YAML_HINTS if pattern.search(said)), None)
    if start is not None and isinstance(context, str) and context.startswith(_LEFT_OPEN):
        return f"invalid YAML front matter: {context}, {problem}", start.line + 1, hint
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    return f"invalid YAML front matter: {problem}", line, hint


def _unbuildable_line(fm: str) -> int | None:
    """The line of the first value PyYAML reads as a date or a number but cannot make one of
    (a constructor's error carries no position, unlike a syntax error's)."""
    try:
        root = yaml.compose(fm, Loader=fastyaml.LOADER)
    except yaml.YAMLError:
        return None
    builder = fastyaml.LOADER("")
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop(0)
        if isinstance(node, yaml.MappingNode):
            pending[:0] = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            pending[:0] = node.value
        else:
            try:
                builder.construct_object(node, deep=True)
            except (ValueError, OverflowError):
                return int(node.start_mark.line) + 1
    return None
