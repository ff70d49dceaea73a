"""Built-in shortcodes shared by the syntaxes: a call -> HTML for a feed reader or a mail client.

Embedded media (YouTube, Vimeo, gists, posts on X, Instagram) become a linked thumbnail or a
link: nothing is fetched at build time, and readers show no iframes or scripts anyway. Every
value is escaped for where it is printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field
from html import escape, unescape
from typing import Any
from urllib.parse import quote

from ...datatype import datatype
from . import Context, Issue, Page, Severity
from .refs import not_found, ref_key


@datatype(frozen=False)
class Call:
    """One shortcode call: `inner` is its content rendered (HTML for an HTML call, Markdown for
    a Markdown one, None without a closing tag), `raw_inner` that content as written."""

    name: str
    positional: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    inner: str | None = None
    raw_inner: str | None = None
    markdown: bool = False
    line: int = 1

    def get(self, name: str, index: int | None = None, default: str = "") -> str:
        """A named parameter, else the positional one at `index`."""
        if name in self.named:
            return self.named[name]
        if index is not None and index < len(self.positional):
            return self.positional[index]
        return default


Builtin = Callable[[Call, Context, list[Issue]], str]
_ID = re.compile(r"[\w-]+")


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _inline_markdown(context: Context, text: str) -> str:
    if not context.wants_html:
        return text  # a built-in's HTML finds no problem: nothing to render it for
    rendered = context.markdown(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def _link(url: str, text: str) -> str:
    return f'<a href="{_attr(url)}">{escape(text)}</a>'


def figure(call: Call, context: Context, issues: list[Issue]) -> str:
    src = call.get("src", 0)
    img = [f'<img src="{_attr(src)}"']
    img.append(f' alt="{_attr(_alt_text(call, context))}"')
    for key in ("width", "height"):
        if call.get(key):
            img.append(f' {key}="{_attr(call.get(key))}"')
    image = "".join(img) + ">"
    if call.get("link"):
        image = f'<a href="{_attr(call.get("link"))}">{image}</a>'
    caption = []
    if call.get("title"):
        caption.append(f"<h4>{escape(call.get('title'))}</h4>")
    text = _inline_markdown(context, call.get("caption")) if call.get("caption") else ""
    attr = call.get("attr")
    if attr:
        label = escape(attr)
        if call.get("attrlink"):
            label = f'<a href="{_attr(call.get("attrlink"))}">{label}</a>'
        text = f"{text} {label}" if text else label
    if text:
        caption.append(f"<p>{text}</p>")
    captioned = f"<figcaption>{''.join(caption)}</figcaption>" if caption else ""
    return f"<figure>{image}{captioned}</figure>"


_TAG = re.compile(r"<[^>]*>")


def _alt_text(call: Call, context: Context) -> str:
    """`alt` as written, else the caption as the reader sees it: Hugo's figure writes
    `caption | markdownify | plainify` (tpl/tplimpl/embedded/templates/_shortcodes/figure.html),
    so `A *cat* by [Ann](/a)` is "A cat by Ann", never its Markdown. The title stands in when
    there is neither, so that the image is not described by nothing."""
    if call.get("alt"):
        return call.get("alt")
    caption = call.get("caption")
    if caption:
        return unescape(_strip_tags(_inline_markdown(context, caption)))
    return call.get("title")


def _strip_tags(text: str) -> str:
    return _TAG.sub("", text)


def _need(call: Call, issues: list[Issue], value: str, what: str) -> bool:
    if value:
        return True
    issues.append(Issue("error", call.line, f"shortcode {call.name}: {what} is missing", None))
    return False


def youtube(call: Call, context: Context, issues: list[Issue]) -> str:
    video = call.get("id", 0)
    if not _need(call, issues, video, "the video id"):
        return ""
    url = f"https://www.youtube.com/watch?v={quote(video, safe='')}"
    start = call.get("start")
    if start.isdigit():
        url += f"&t={start}s"
    title = call.get("title") or "Video on YouTube"
    thumb = f"https://i.ytimg.com/vi/{quote(video, safe='')}/hqdefault.jpg"
    return f'<a href="{_attr(url)}"><img src="{_attr(thumb)}" alt="{_attr(title)}"></a>'


def vimeo(call: Call, context: Context, issues: list[Issue]) -> str:
    video = call.get("id", 0)
    if not _need(call, issues, video, "the video id"):
        return ""
    title = call.get("title") or "Video on Vimeo"
    return _link(f"https://vimeo.com/{quote(video, safe='')}", title)


def gist(call: Call, context: Context, issues: list[Issue]) -> str:
    user, gist_id = call.get("user", 0), call.get("id", 1)
    if not _need(call, issues, user and gist_id, "the user and the gist id"):
        return ""
    url = f"https://gist.github.com/{quote(user, safe='')}/{quote(gist_id, safe='')}"
    file = call.get("file", 2)
    if file:
        url += "#file-" + re.sub(r"[^\w-]", "-", file.lower())
    return _link(url, f"Gist {file or gist_id} by {user} on GitHub")


def x_post(call: Call, context: Context, issues: list[Issue]) -> str:
    # Hugo's `x` and `twitter` take `user` and `id`; the old `tweet` an id alone.
    if len(call.positional) == 1 and not call.named:
        user, post = "i", call.positional[0]
    else:
        user, post = call.get("user", 0), call.get("id", 1)
    if not _need(call, issues, post, "the post id"):
        return ""
    url = f"https://x.com/{quote(user or 'i', safe='')}/status/{quote(post, safe='')}"
    who = f"@{user}" if user and user != "i" else "a user"
    return _link(url, f"Post by {who} on X")


def instagram(call: Call, context: Context, issues: list[Issue]) -> str:
    post = call.get("id", 0)
    if not _need(call, issues, post, "the post id"):
        return ""
    return _link(f"https://www.instagram.com/p/{quote(post, safe='')}/", "Post on Instagram")


def highlight(call: Call, context: Context, issues: list[Issue]) -> str:
    language = call.get("lang", 0) or call.get("type")
    code = (call.raw_inner or "").strip("\n")
    cls = f' class="language-{_attr(language)}"' if _ID.fullmatch(language or "-") else ""
    return f"<pre><code{cls}>{escape(code, quote=False)}\n</code></pre>"


def details(call: Call, context: Context, issues: list[Issue]) -> str:
    summary = call.get("summary", 0) or call.get("title") or "Details"  # `title`: Hextra's
    body = call.inner or ""
    if call.markdown and context.wants_html:
        body = context.markdown(body)
    opened = " open" if call.get("open").lower() in ("true", "open") else ""
    return f"<details{opened}><summary>{escape(summary)}</summary>{body}</details>"


def comment(call: Call, context: Context, issues: list[Issue]) -> str:
    # Hugo's embedded `comment` (new in 0.137.1, still in 0.168) outputs nothing: what a post
    # comments out is not published (https://gohugo.io/shortcodes/comment/).
    return ""


def qr(call: Call, context: Context, issues: list[Issue]) -> str:
    # No image is made (that needs a QR library): what it encodes is shown, a link if a URL.
    text = call.get("text", 0) or (call.raw_inner or "").strip()
    if not text:
        return ""
    if re.match(r"https?://", text):
        return _link(text, text)
    return escape(text)


def param(call: Call, context: Context, issues: list[Issue]) -> str:
    name = call.get("name", 0)
    value: Any = _own_field(context.page, name)
    if value is None:
        value = _lookup(context.page.params, name)
    if value is None:
        # The post's language's site params (Hugo's `.Param` reads the page's own site).
        own = (context.site.get("language_params") or {}).get(context.page.language)
        value = _lookup(own if own is not None else context.site.get("params") or {}, name)
    if value is None:
        issues.append(
            Issue(
                "warning",
                call.line,
                f"shortcode param: {name!r} is set neither in the post's front matter "
                "nor in the site's params",
                None,
            )
        )
        return ""
    return escape(str(value))


def _own_field(page: Page, name: str) -> str | None:
    """A front-matter field syndicate reads itself, so not among the post's params: Hugo's
    `.Param` finds every field of the page before the site's (`.Params` holds them all:
    https://gohugo.io/methods/page/param/)."""
    own = {"title": page.title, "description": page.description}.get(name.lower())
    return own or None


def _lookup(params: Any, name: str) -> Any:
    value = params
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        found = {str(k).lower(): v for k, v in value.items()}.get(part.lower())
        if found is None:
            return None
        value = found
    return value


def ref(call: Call, context: Context, issues: list[Issue]) -> str:
    target = call.get("path", 0)
    if target.startswith("#"):
        return escape(context.page.permalink + target)
    # `lang`: the language whose page is named (https://gohugo.io/shortcodes/ref/).
    lang = call.get("lang") or None
    key = ref_key(target, lang)
    if key not in context.looked_up:
        refs = context.refs
        context.looked_up[key] = refs.resolve(target, context.page.source, lang) if refs else None
    found = context.looked_up[key]
    if found is None:
        issues.append(_missing_ref(call, context, target, lang))
        return escape(context.ref_missing.url)
    return escape(found)


def _missing_ref(call: Call, context: Context, target: str, lang: str | None) -> Issue:
    """The problem of a ref that names no page, saying why (`RefIndex.miss`): an error, or a
    warning where Hugo's `refLinksErrorLevel` makes it one (`RefMissing`)."""
    refs = context.refs
    path = target.partition("#")[0]
    miss = refs.miss(target, context.page.source, lang) if refs else not_found(path)
    url = context.ref_missing.url
    kept = f"its link is {url!r}, refLinksNotFoundURL" if url else "the link keeps its text"
    severity: Severity = "warning" if context.ref_missing.warning else "error"
    return Issue(severity, call.line, f"{call.name}: {miss.reason}; {kept}", miss.hint)


BUILTINS: dict[str, Builtin] = {
    "figure": figure,
    "youtube": youtube,
    "vimeo": vimeo,
    "vimeo_simple": vimeo,
    "gist": gist,
    "x": x_post,
    "twitter": x_post,
    "tweet": x_post,
    "twitter_simple": x_post,
    "instagram": instagram,
    "highlight": highlight,
    "details": details,
    "comment": comment,
    "qr": qr,
    "param": param,
    "ref": ref,
    "relref": ref,
}
