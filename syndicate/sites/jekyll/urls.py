"""A Jekyll post's URL, as Jekyll computes it and jekyll-feed writes it.

The template is the post's `permalink` (front matter or `defaults:`), else the posts collection's
(`collections: posts: permalink:`), else the site's `permalink` style or template (default
`date`; https://jekyllrb.com/docs/permalinks/). Each `:token` is filled from the post
(`Drops::UrlDrop`), escaped (`URL.escape_path`), the result cleaned (`URL#sanitize_url`), then
normalised as jekyll-feed's `absolute_url` filter writes it in `<link>` and `<id>` (Addressable's
`normalize`). Rules from jekyll/jekyll at 91e00b2 (v4.3.1): lib/jekyll/url.rb,
drops/url_drop.rb, document.rb (`url`, `id`, `cleaned_relative_path`, `populate_title`),
collection.rb (`url_template`), configuration.rb (`STYLE_TO_PERMALINK`,
`add_default_collections`), utils.rb (`slugify`), renderer.rb (`output_ext`),
filters/url_filters.rb; addressable 2.8.1 (`URI.encode`, `normalized_path`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from ...datatype import datatype
from ...errors import kind_of

# `Configuration::STYLE_TO_PERMALINK`; any other value of `permalink` is a template.
STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
# The placeholders of a document's URL: the public methods of `Drops::UrlDrop`.
TOKENS = (
    "collection", "path", "name", "title", "slug", "categories", "slugified_categories",
    "year", "month", "day", "hour", "minute", "second", "i_day", "i_month", "short_month",
    "long_month", "short_year", "w_year", "week", "w_day", "short_day", "long_day", "y_day",
    "output_ext",
)  # fmt: skip
_TOKEN = re.compile(r":([a-z_]+)")  # `URL#generate_url_from_drop`
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# `URL.escape_path` leaves these values as they are.
_PLAIN = re.compile(r"[a-zA-Z0-9./-]+")
# Addressable's character classes (`Addressable::URI::CharacterClasses`), as `quote`'s safe set.
_SUB_DELIMS = "!$&'()*+,;="
_PCHAR = "-._~" + _SUB_DELIMS + ":@"
_PATH = _PCHAR + "/"
# A path segment `normalized` leaves as it is: ASCII, and nothing `quote` encodes with `_PCHAR`.
_UNCHANGED = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@]*")
_FRAGMENT = _PCHAR + "/?"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


class BadUrl(ValueError):
    """A URL Jekyll would not write, or would write in a way syndicate does not follow;
    `key` is the front-matter key at fault, if one is."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


@datatype
class Document:
    """What a post's URL is made of."""

    relative_path: str  # from the collections folder, with `/` (`Document#relative_path`)
    slug: object  # `data["slug"]`: the front matter's, else the file name's
    categories: Sequence[str]  # `data["categories"]` once Jekyll populated them
    date: datetime  # in the site's time zone
    output_ext: str


def template(permalink: object, posts_permalink: object, style: object) -> str:
    """The post's URL template: its own `permalink`, else the posts collection's, else the
    site's style (`add_default_collections`: `style_to_permalink(config["permalink"])`)."""
    if permalink is not None and permalink is not False:
        return permalink if isinstance(permalink, str) else _refuse_permalink(permalink)
    if isinstance(posts_permalink, str):
        return posts_permalink
    text = style if isinstance(style, str) else "date"
    return STYLES.get(text, text)


def _refuse_permalink(value: object) -> str:
    raise BadUrl(f"permalink: expected text, got {kind_of(value)}", "permalink")


def post_path(pattern: str, doc: Document) -> str:
    """The post's path below the site's URL as jekyll-feed links it (`/news/2024/01/02/x/`).
    Raises BadUrl."""
    return normalized(url(pattern, doc))


def url(pattern: str, doc: Document) -> str:
    """`URL#to_s` for a post: the template filled, escaped and cleaned (`/news/2024/x/`)."""
    return sanitize(fill(pattern, lambda name: placeholder(name, doc)))


def fill(pattern: str, value: Callable[[str], str]) -> str:
    """`generate_url_from_drop`: each `:name` (lower-case letters and `_`) is a placeholder; a
    trailing `_` that is no placeholder's is left after the value (`/:month_:day`)."""

    def replace(found: re.Match[str]) -> str:
        name = found.group(1)
        key = name[:-1] if name.endswith("_") else name
        if key not in TOKENS:
            shown = f":{name}" if key == name else f":{name} or :{key}"
            raise BadUrl(
                f"the permalink's {shown} is no placeholder Jekyll has (Jekyll stops the build)"
            )
        return escape_path(value(key)) + name[len(key) :]

    return _TOKEN.sub(replace, pattern)


def placeholder(name: str, doc: Document) -> str:
    """The value of one `Drops::UrlDrop` placeholder for `doc`."""
    date = doc.date
    if name in _DATE_PARTS:
        return _DATE_PARTS[name](date)
    if name == "collection":
        return "posts"
    if name == "path":
        return _cleaned_relative_path(doc.relative_path)
    if name == "name":
        return slugify(_basename_without_ext(doc.relative_path))
    if name in ("title", "slug"):
        slug = doc.slug
        if not isinstance(slug, str):
            # `Utils.slugify` calls `gsub` on it: Jekyll stops the build.
            raise BadUrl(f"slug: expected text for the permalink's :{name}, got {slug!r}", "slug")
        return slugify(slug, "pretty", cased=True) if name == "title" else slugify(slug)
    if name == "categories":
        return "/".join(dict.fromkeys(_downcase(c) for c in doc.categories))
    if name == "slugified_categories":
        return "/".join(dict.fromkeys(slugify(c) for c in doc.categories))
    return doc.output_ext  # "output_ext"


_DATE_PARTS: dict[str, Callable[[datetime], str]] = {
    "year": lambda d: f"{d.year:04d}",
    "month": lambda d: f"{d.month:02d}",
    "day": lambda d: f"{d.day:02d}",
    "hour": lambda d: f"{d.hour:02d}",
    "minute": lambda d: f"{d.minute:02d}",
    "second": lambda d: f"{d.second:02d}",
    "i_day": lambda d: str(d.day),
    "i_month": lambda d: str(d.month),
    "short_month": lambda d: _MONTHS[d.month - 1][:3],
    "long_month": lambda d: _MONTHS[d.month - 1],
    "short_year": lambda d: f"{d.year % 100:02d}",
    "w_year": lambda d: str(d.isocalendar()[0]),
    "week": lambda d: f"{d.isocalendar()[1]:02d}",
    "w_day": lambda d: str(d.isoweekday()),
    "short_day": lambda d: _DAYS[d.weekday()][:3],
    "long_day": lambda d: _DAYS[d.weekday()],
    "y_day": lambda d: f"{d.timetuple().tm_yday:03d}",
}


def _cleaned_relative_path(relative_path: str) -> str:
    """`Document#cleaned_relative_path`: without the extension and the first `_posts`, and
    without trailing dots."""
    ext = extname(relative_path)
    stem = relative_path[: -len(ext)] if ext else relative_path
    return stem.replace("_posts", "", 1).rstrip(".")


def _basename_without_ext(relative_path: str) -> str:
    name = relative_path.rsplit("/", 1)[-1]
    ext = extname(name)
    return name[: -len(ext)] if ext else name


def extname(path: str) -> str:
    """Ruby's `File.extname`: the last `.suffix` of the base name (`"a."` gives `"."`), none
    for a name that only starts with a dot."""
    return os.path.splitext(path.rsplit("/", 1)[-1])[1]


def _downcase(text: str) -> str:
    """Ruby's `String#downcase`: full Unicode mapping, but a final capital sigma is "σ" (no
    "ς" at the end of a word, as Python's `lower` gives)."""
    return text.replace("Σ", "σ").lower()


# --- escaping, cleaning, normalising -------------------------------------------------------


def escape_path(value: str) -> str:
    """`URL.escape_path` (Jekyll 4.3 and 4.4): a value Addressable parses as a URI and encodes
    part by part, then the first `#` encoded. Raises BadUrl where released Jekyll stops the
    build, or keeps a `?` that ends the path (Jekyll after 4.4.1 encodes it, jekyll/jekyll
    #9850): syndicate would then give no URL the site serves."""
    if not value or any(_PLAIN.fullmatch(line) for line in value.split("\n")):
        return value  # Ruby's `^...$` matches any line: a value with a plain line is kept
    if "?" in value:
        raise BadUrl(f"{value!r} holds `?`, which ends the path of the URL Jekyll writes")
    if "\n" in value or value.startswith("//"):
        raise BadUrl(f"{value!r} is no URL path (Addressable reads it as a URI)")
    before, _, fragment = value.partition("#")
    head, colon, rest = before.partition(":")
    out = ""
    if colon and "/" not in head:
        if not _SCHEME.fullmatch(head):
            raise BadUrl(f"{value!r}: Jekyll stops the build (Addressable: invalid scheme)")
        if rest.startswith("//"):
            raise BadUrl(f"{value!r} is no URL path (Addressable reads it as a URI)")
        out, before = head + ":", rest
    out += quote(before, safe=_PATH)
    if "#" in value:
        out += "%23" + quote(fragment, safe=_FRAGMENT)
    return out


def sanitize(text: str) -> str:
    """`URL#sanitize_url`: a leading `/`, `..` made `/`, `./` removed, runs of `/` made one."""
    text = ("/" + text).replace("..", "/").replace("./", "")
    return re.sub("/{2,}", "/", text)


def normalized(path: str) -> str:
    """The path as jekyll-feed writes it (`absolute_url`: Addressable's `normalize`): each
    segment decoded, put in Addressable's NFKC form and encoded but for `pchar`s; `.`
    segments removed. Raises BadUrl for a path with a query or fragment, or a `..` segment."""
    if "?" in path or "#" in path:
        raise BadUrl(f"{path!r} holds `?` or `#`: the URL Jekyll writes is not this path")
    segments = []
    for segment in path.strip().split("/"):
        if _UNCHANGED.fullmatch(segment) and segment != "..":
            segments.append(segment)  # nothing to decode, compose or encode: most segments
            continue
        try:
            text = unquote_to_bytes(segment).decode("utf-8")
        except UnicodeDecodeError:
            raise BadUrl(f"{path!r} encodes bytes that are not UTF-8") from None
        if text == "..":
            raise BadUrl(f"{path!r} climbs out of a folder with `..`")
        segments.append(quote(_normalize_kc(text), safe=_PCHAR))
    result = "/".join(segments)
    # RFC 3986 5.2.4 for `.` (`..` is refused above): "/./" is "/", a final "/." is "/".
    while "/./" in result:
        result = result.replace("/./", "/")
    return result[:-1] if result.endswith("/.") else result


def _normalize_kc(text: str) -> str:
    """Addressable 2.8.1's `IDNA.unicode_normalize_kc` (idna/pure.rb): compatibility
    decomposition, then each character joined to the one just before it where a composite
    exists, and none at all when the text opens with a combining mark (it keeps the first
    character's class). Mostly NFKC."""
    chars = unicodedata.normalize("NFKD", text)
    if not chars:
        return chars
    composing = unicodedata.combining(chars[0]) == 0
    out: list[str] = []
    starter = chars[0]
    for char in chars[1:]:
        pair = unicodedata.normalize("NFC", starter + char) if composing else ""
        if len(pair) == 1:
            starter = pair
        else:
            out.append(starter)
            starter = char
    out.append(starter)
    return "".join(out)


# --- Utils.slugify ---------------------------------------------------------------------------

SLUGIFY_MODES = ("raw", "default", "pretty", "ascii")
_PRETTY_KEPT = frozenset("._~!$&'()+,;=@")


def slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """`Utils.slugify`: every run of characters the mode does not keep made one `-`, a `-` at
    either end removed, lower-cased unless `cased`. `default` keeps letters, marks and decimal
    digits; `pretty` also `._~!$&'()+,;=@`; `ascii` only A-Z, a-z, 0-9; `raw` all but
    whitespace. Another mode returns the text (lower-cased unless `cased`)."""
    if mode not in SLUGIFY_MODES:
        return text if cased else _downcase(text)
    slug = re.sub(r"^-|-$", "", _collapse(text, _KEEP[mode]))
    return slug if cased else _downcase(slug)


def _collapse(text: str, keep: Callable[[str], bool]) -> str:
    out: list[str] = []
    dropping = False
    for char in text:
        if keep(char):
            out.append(char)
            dropping = False
        elif not dropping:
            out.append("-")
            dropping = True
    return "".join(out)


def _word(char: str) -> bool:
    kind = unicodedata.category(char)
    return kind[0] in "LM" or kind == "Nd"


_KEEP: dict[str, Callable[[str], bool]] = {
    "raw": lambda c: c not in " \t\r\n\f\v",  # Ruby's `\s`
    "default": _word,
    "pretty": lambda c: _word(c) or c in _PRETTY_KEPT,
    "ascii": lambda c: c.isascii() and c.isalnum(),
}


# --- pages -----------------------------------------------------------------------------------

# `Page::HTML_EXTENSIONS`: a page with another output extension keeps its name as it is.
_HTML_EXTENSIONS = (".html", ".xhtml", ".htm")


def page_path(rel: str, permalink: object, style: str, markdown_ext: Sequence[str]) -> str:
    """The URL path of the page at `rel` (below the site's source, extension included), as
    `Page#url` makes it: its `permalink`, else `Page#template` with
    `Utils.add_permalink_suffix` for the site's permalink style, filled from the page's folder,
    base name and output extension (`url_placeholders`; `URL#generate_url_from_hash`, then
    `sanitize_url`). page.rb, utils.rb and url.rb of v4.3.1."""
    folder, _, name = rel.rpartition("/")
    base, ext = os.path.splitext(name)
    output_ext = _output_ext(ext, markdown_ext)
    if isinstance(permalink, str) and permalink:
        pattern = permalink
    elif output_ext not in _HTML_EXTENSIONS:
        pattern = "/:path/:basename:output_ext"
    elif base == "index":
        pattern = "/:path/"
    else:
        pattern = "/:path/:basename" + _page_suffix(style)
    for token, value in (("path", folder), ("basename", base), ("output_ext", output_ext)):
        if ":" not in pattern:
            break
        pattern = pattern.replace(f":{token}", escape_path(value))
    return sanitize(pattern)


def document_path(
    rel: str,
    collection: str,
    permalink: object,
    meta: Mapping[str, Any],
    style: str,
    markdown_ext: Sequence[str],
) -> str:
    """The URL path of the document at `rel` (`_docs/intro.md`, below the collections
    folder) of a collection Jekyll writes: its `permalink`, else the collection's, else
    `/:collection/:path` with the site style's ending (`Collection#url_template`), filled as
    `Drops::UrlDrop` fills it. A date placeholder raises BadUrl (not followed here)."""
    ext = extname(rel)
    output_ext = _output_ext(ext, markdown_ext)
    own = meta.get("permalink")
    if isinstance(own, str) and own:
        pattern = own
    elif isinstance(permalink, str) and permalink:
        pattern = permalink
    else:
        pattern = "/:collection/:path" + _page_suffix(style)
    stem = rel[: -len(ext)] if ext else rel
    slug = meta.get("slug") if isinstance(meta.get("slug"), str) else None
    base = _basename_without_ext(rel)
    values = {
        "collection": collection,
        "path": stem.replace(f"_{collection}", "", 1).rstrip("."),
        "name": slugify(base),
        "slug": slugify(slug or base),
        "title": slugify(slug or base, "pretty", cased=True),
        "output_ext": output_ext,
    }

    def value(name: str) -> str:
        if name not in values:
            raise BadUrl(f"the permalink's :{name} is not followed for a collection's page")
        return values[name]

    return sanitize(fill(pattern, value))


def _output_ext(ext: str, markdown_ext: Sequence[str]) -> str:
    """`Renderer#output_ext`: Markdown becomes HTML; any other file keeps its extension."""
    return ".html" if ext.lower() in markdown_ext else ext


def _page_suffix(style: str) -> str:
    """`Utils.add_permalink_suffix`: what ends a page's URL under the site's permalink style."""
    if style == "pretty":
        return "/"
    if style in ("date", "ordinal", "none"):
        return ":output_ext"
    return ("/" if style.endswith("/") else "") + (
        ":output_ext" if style.endswith(":output_ext") else ""
    )
