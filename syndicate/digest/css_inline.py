"""HTML + CSS -> email HTML with every style inlined, as premailer does, with its traps closed.

premailer 3.10 (the only module that imports it) would, left to its defaults: fetch external
stylesheets over the network; strip `!important` from the @media rules it leaves behind, so
mobile and dark-mode rules lose to the inlined styles; shorten `#333333` to `#333`; and rewrite
or percent-encode provider placeholders such as `{{ UnsubscribeURL }}`, `*|UNSUB|*` or
`%unsubscribe_url%` inside href attributes. Each is prevented here and pinned by a test.
Its Outlook fix for floated images (an `align` attribute) is kept, but asked for only when
some CSS could float one: it validates every image's style against cssutils' CSS profiles.

Importing premailer (with cssutils and requests) and parsing the CSS with cssutils took most
of a digest's time, and both give the same answer for the same stylesheet every week. So the
transform below is premailer's own `transform` for these options, step for step, on lxml,
and only what it asks cssutils (a stylesheet's rules and left-over CSS, an inline style's
declarations, an image's float) goes to premailer, through `Memo`: kept in the state folder
(`digest-inline.json`), keyed by the code and the libraries' versions, so a digest whose CSS
did not change imports neither. The output is premailer's, byte for byte (tested against it).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import operator
import re
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..datatype import datatype
from ..errors import TemplateError

if TYPE_CHECKING:
    from premailer import Premailer

_TOKEN = "https://placeholder.syndicate.invalid/{}"
_STYLESHEET_LINK = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?stylesheet", re.IGNORECASE)
MEMO_FILE = "digest-inline.json"
MEMO_SHEETS = 16  # stylesheets remembered: a few templates and languages, not every edit
MEMO_ENTRIES = 4096  # inline styles, floats and selectors: the file stays small after edits
# The libraries whose answers the memo keeps (lxml, Python and syndicate are in code_key).
LIBRARIES = ("premailer", "cssutils", "cssselect")
# premailer's names for what it does (premailer.premailer, 3.10).
FILTER_PSEUDOSELECTORS = (":last-child", ":first-child", ":nth-child")
MARKER = "data-premailer"
BASIC_ATTRIBUTES_KEPT = ("width", "height")  # the template's, which Outlook reads

Pairs = tuple[tuple[str, str], ...]
Rule = tuple[tuple[int, ...], str, Pairs]  # specificity, selector, declarations


@datatype
class Sheet:
    """What premailer makes of one <style> block: the rules it inlines, sorted later by
    specificity, and the CSS it leaves in the block (None: the block is removed)."""

    rules: tuple[Rule, ...]
    leftover: str | None


@datatype(frozen=False)
class Memo:
    """premailer's answers for the stylesheets and styles seen, optionally kept in a file.

    Read from the file only when its key matches; anything malformed there is ignored (the
    answers are computed again), never trusted."""

    path: Path | None = None
    key: str = ""
    sheets: dict[str, Sheet] = field(default_factory=dict)
    styles: dict[str, Pairs] = field(default_factory=dict)
    floats: dict[str, str] = field(default_factory=dict)
    selectors: dict[str, str] = field(default_factory=dict)  # CSS -> cssselect's XPath
    changed: bool = False

    @classmethod
    def load(cls, state_dir: Path) -> Memo:
        memo = cls(state_dir / MEMO_FILE, memo_key())
        try:
            data = json.loads(memo.path.read_bytes())  # type: ignore[union-attr]
            if isinstance(data, dict) and data.get("key") == memo.key:
                memo.sheets = {k: _sheet(v) for k, v in data["sheets"].items()}
                memo.styles = {k: _pairs(v) for k, v in data["styles"].items()}
                memo.floats = {str(k): str(v) for k, v in data["floats"].items()}
                memo.selectors = {str(k): str(v) for k, v in data["selectors"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            memo.sheets, memo.styles, memo.floats, memo.selectors = {}, {}, {}, {}
        return memo

    def save(self) -> None:
        """Write the file if something was learnt. Raises OSError."""
        if self.path is None or not self.changed:
            return
        from ..output import atomic_write

        # The oldest go first (dicts keep insertion order); a stylesheet used moves last.
        _prune(self.sheets, MEMO_SHEETS)
        _prune(self.styles, MEMO_ENTRIES)
        _prune(self.floats, MEMO_ENTRIES)
        _prune(self.selectors, MEMO_ENTRIES)
        sheets = {k: [[list(r[0]), r[1], r[2]] for r in s.rules] for k, s in self.sheets.items()}
        data = {
            "key": self.key,
            "sheets": {k: [rules, self.sheets[k].leftover] for k, rules in sheets.items()},
            "styles": self.styles,
            "floats": self.floats,
            "selectors": self.selectors,
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic_write(self.path, text.encode("utf-8"), durable=False)
        self.changed = False

    def sheet(self, css: str | None, index: int) -> Sheet:
        if not css:
            return Sheet((), None)  # premailer parses nothing and removes the block
        key = f"{index}:{hashlib.sha256(css.encode('utf-8', 'surrogatepass')).hexdigest()}"
        found = self.sheets.pop(key, None)
        if found is None:
            found = _parse_sheet(css, index)
            self.changed = True
        self.sheets[key] = found  # (re)inserted last: the most recently used is kept longest
        return found

    def style(self, css: str) -> Pairs:
        if css not in self.styles:
            from premailer.merge_style import csstext_to_pairs

            _cssutils()
            self.styles[css] = tuple(csstext_to_pairs(css))
            self.changed = True
        return self.styles[css]

    def float(self, css: str) -> str:
        if css not in self.floats:
            self.floats[css] = str(_cssutils().parseStyle(css).float)
            self.changed = True
        return self.floats[css]

    def select(self, selector: str) -> Callable[[Any], list[Any]]:
        """What premailer's CSSSelector(selector) selects, from the XPath cssselect makes of
        it (importing cssselect only for a selector not seen before)."""
        if selector not in self.selectors:
            from lxml.cssselect import CSSSelector

            self.selectors[selector] = CSSSelector(selector).path
            self.changed = True
        return _xpath(self.selectors[selector])


def _prune(kept: dict[str, Any], limit: int) -> None:
    for key in list(kept)[: max(0, len(kept) - limit)]:
        del kept[key]


def memo_key() -> str:
    from ..incremental.cache import code_key, installed_version

    versions = [installed_version(name) for name in LIBRARIES]
    return hashlib.sha256(repr((code_key(), versions)).encode()).hexdigest()


def _sheet(value: Any) -> Sheet:
    rules, leftover = value
    if leftover is not None and not isinstance(leftover, str):
        raise TypeError("leftover")
    parsed = tuple((tuple(int(n) for n in s), str(sel), _pairs(p)) for s, sel, p in rules)
    return Sheet(parsed, leftover)


def _pairs(value: Any) -> Pairs:
    return tuple((str(k), str(v)) for k, v in value)


# --- what only premailer and cssutils know --------------------------------------------------


def _cssutils() -> Any:
    import cssutils

    # cssutils shortens colours unless told not to; Cerberus and most email guides want 6 digits.
    cssutils.ser.prefs.minimizeColorHash = False
    cssutils.log.setLevel(logging.CRITICAL)  # its warnings would reach stderr
    return cssutils


def _premailer(align_floating_images: bool = False, html: str | None = None) -> Premailer:
    _cssutils()
    from premailer import Premailer

    return Premailer(
        html,
        allow_network=False,
        allow_loading_external_files=False,
        strip_important=False,
        disable_link_rewrites=True,
        keep_style_tags=False,
        remove_classes=False,
        disable_validation=True,
        # Only a `float` declaration makes premailer add an align attribute (nothing else);
        # without one, checking every image's style would change nothing.
        align_floating_images=align_floating_images,
        # width/height attributes come from the template (Outlook reads them); premailer would
        # overwrite them with CSS values such as "100%".
        disable_basic_attributes=list(BASIC_ATTRIBUTES_KEPT),
        cssutils_logging_level=logging.CRITICAL,
    )


def _parse_sheet(css: str, index: int) -> Sheet:
    from premailer.merge_style import csstext_to_pairs

    inliner = _premailer()
    rules, leftover = inliner._parse_style_rules(css, index)
    kept = inliner._css_rules_to_string(leftover) if leftover else None
    parsed = tuple(
        (tuple(spec), selector, tuple(csstext_to_pairs(bulk, validate=False)))
        for spec, selector, bulk in rules
    )
    return Sheet(parsed, kept)


def premailer_transform(html: str) -> str:
    """premailer's own transform with the options above: what `inline_css` must equal."""
    return str(_premailer("float" in html.lower(), html).transform())


# --- premailer's transform, on lxml -----------------------------------------------------------


def inline_css(html: str, placeholders: Mapping[str, str], memo: Memo | None = None) -> str:
    """Inline the CSS of `html` (its <style> blocks) into style attributes.

    `placeholders` maps tokens written into the HTML (see `placeholder_token`) to the exact text
    that must appear there afterwards, untouched by the inliner. `memo` keeps premailer's
    answers between calls (and, loaded from the state folder, between runs).
    """
    if _STYLESHEET_LINK.search(html):
        raise TemplateError(
            "the email template links an external stylesheet, which is never fetched; "
            "put the CSS in digest.css instead"
        )
    out = _transform(html, memo or Memo(), align_floating_images="float" in html.lower())
    for token, value in placeholders.items():
        out = out.replace(token, value)
    return out


@functools.lru_cache(maxsize=256)
def _xpath(path: str) -> Callable[[Any], list[Any]]:
    """A compiled XPath (typed loosely: lxml's stubs type its result as anything an XPath may
    return; a selector's is a list of elements)."""
    if "__lxml_internal_css:" in path:
        import lxml.cssselect  # noqa: F401  (registers the function such a path calls)
    return etree.XPath(path)  # type: ignore[return-value]


def _transform(html: str, memo: Memo, align_floating_images: bool) -> str:
    stripped = html.strip()
    tree: Any = etree.fromstring(stripped, etree.HTMLParser()).getroottree()
    page: Any = tree.getroot()
    # lxml inserts a doctype if none exists: the root includes it only if the HTML had one.
    root = tree if stripped.startswith(tree.docinfo.doctype) else page
    _head(tree, memo)
    rules = _style_blocks(page, memo)
    rules.sort(key=operator.itemgetter(0))
    elements: dict[int, tuple[Any, list[Pairs], list[str]]] = {}
    for _, selector, pairs in rules:
        target, pseudo = selector, ""
        if ":" in selector:
            target, pseudo = selector.split(":", 1)
            pseudo = ":" + pseudo
        if pseudo in FILTER_PSEUDOSELECTORS or pseudo.startswith(":nth-child"):
            pseudo, target = "", selector  # a filter: the selector is kept whole
        for item in memo.select(target)(page):
            found = elements.setdefault(id(item), (item, [], []))
            found[1].append(pairs)
            found[2].append(pseudo)
    for item, styles, pseudos in elements.values():
        final = _merge_styles(item.attrib.get("style", ""), styles, pseudos, memo)
        if final:
            item.attrib["style"] = final
        _basic_attributes(item, final)
    if align_floating_images:
        for item in page.xpath("//img[@style]"):
            floated = memo.float(item.attrib["style"])
            if floated in ("right", "left"):
                item.attrib["align"] = floated
    out: bytes = etree.tostring(root, method="html", pretty_print=True, encoding="utf-8")
    return out.decode("utf-8")


def _head(tree: Any, memo: Memo) -> None:
    if not memo.select("head")(tree):
        body = memo.select("body")(tree)[0]
        body.getparent().insert(0, etree.Element("head"))


def _style_blocks(page: Any, memo: Memo) -> list[Rule]:
    """The rules of every <style> block; each block keeps only what cannot be inlined."""
    rules: list[Rule] = []
    index = 0
    for element in memo.select("style")(page):
        media = element.attrib.get("media")
        if media and media not in ("all", "screen"):
            continue
        marker = element.attrib.get(MARKER)
        if marker == "ignore":
            del element.attrib[MARKER]
            continue
        if marker:
            warnings.warn(f"Unrecognized {MARKER} attribute ({marker!r})", stacklevel=2)
        sheet = memo.sheet(element.text, index)
        index += 1
        rules.extend(sheet.rules)
        if sheet.leftover is None:
            element.getparent().remove(element)  # and its tail, as premailer does
        else:
            element.text = sheet.leftover
    return rules


def _merge_styles(inline: str, styles: list[Pairs], pseudos: list[str], memo: Memo) -> str:
    """premailer.merge_style.merge_styles: later rules win, the element's own style last."""
    merged: OrderedDict[str, OrderedDict[str, str]] = OrderedDict([("", OrderedDict())])
    for pseudo in set(pseudos):
        merged[pseudo] = OrderedDict()
    for pseudo, style in zip(pseudos, styles, strict=True):
        for name, value in style:
            merged[pseudo][name] = value
    if inline:
        for name, value in memo.style(inline):
            merged[""][name] = value
    normal, pseudo_styles = [], []
    for pseudo, declarations in merged.items():
        kept = [(k, v) for k, v in declarations.items() if v.lower() != "unset"]
        if not kept:
            continue
        text = "; ".join(f"{k}:{v}" for k, v in kept)
        if pseudo:
            pseudo_styles.append(f"{pseudo}{{{text}}}")
        else:
            normal.append(text)
    if pseudo_styles:
        parts = ["{" + "".join(normal) + "}", *pseudo_styles] if normal else pseudo_styles
    else:
        parts = normal
    return " ".join(parts).strip()


def _basic_attributes(element: Any, style: str) -> None:
    """premailer's `_style_to_basic_html_attributes` (forced): align, valign, bgcolor."""
    if style.count("}") and style.count("{") == style.count("}"):
        style = style.split("}")[0][1:]
    attributes: OrderedDict[str, str] = OrderedDict()
    for key, value in [x.split(":") for x in style.split(";") if len(x.split(":")) == 2]:
        key = key.strip()
        if key == "text-align":
            attributes["align"] = value.strip()
        elif key == "vertical-align":
            attributes["valign"] = value.strip()
        elif key == "background-color" and "transparent" not in value.lower():
            attributes["bgcolor"] = _SHORT_COLOUR.sub(r"#\1\1\2\2\3\3", value.strip())
        elif key in BASIC_ATTRIBUTES_KEPT:
            attributes[key] = value  # recorded, never written: the template's stay
    for key, value in attributes.items():
        if key not in BASIC_ATTRIBUTES_KEPT:
            element.attrib[key] = value


_SHORT_COLOUR = re.compile(r"^#([0-9a-f])([0-9a-f])([0-9a-f])$", re.I)


def placeholder_token(index: int) -> str:
    """A URL the inliner leaves alone, swapped for a provider placeholder after inlining."""
    return _TOKEN.format(index)
