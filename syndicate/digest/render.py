"""Posts + period -> `Email`: the weekly digest rendered from Jinja2 templates, inlined once by
premailer, with a plain-text part of its own and a reproducible MIME message."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import field
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jinja2
import markupsafe

from ..config import (
    WORDS_PLACEHOLDER,
    Config,
    DigestLabels,
    DigestTable,
    PluralWords,
    fill_words,
)
from ..content.markdown import Renderer
from ..datatype import datatype
from ..errors import ConfigError, TemplateError
from ..model import Email, Post
from ..text import shorten, stand_in_title
from .compiled import CompiledTemplates
from .css_inline import Memo, inline_css, placeholder_token
from .editions import Edition, default_edition, require_sender
from .labels import day_label, period_label, plural_words
from .merge_tags import PLAIN, Dialect, dialect_for, restore_html, restore_text
from .mime import build_message
from .periods import Period

TEMPLATES = ("digest.html", "digest.txt", "subject.txt", "digest.css")
WIDTH = 78


# --- choosing posts --------------------------------------------------------------------------


def posts_in(period: Period, posts: Sequence[Post]) -> list[Post]:
    """Posts published in the period (drafts, future and `feed: false` posts never are)."""
    return [p for p in posts if p.in_feeds and not p.draft and period.contains(p.date)]


GroupKind = Literal["series", "category", "other", ""]


@datatype
class Group:
    """Posts shown under one heading: `title` is the heading as the digest's labels word it,
    from the group's `kind` and `name` (the series' or category's; "" for the others)."""

    title: str
    posts: tuple[dict[str, Any], ...]
    kind: GroupKind = ""
    name: str = ""


def group_posts(posts: Sequence[Post], by: str) -> list[tuple[GroupKind, str, list[Post]]]:
    """Series first (in order of their newest post), then categories for posts in no series,
    then the posts in neither (kind "other", or "" when they are the only group)."""
    if by == "none":
        return [("", "", list(posts))]
    groups: dict[tuple[GroupKind, str], list[Post]] = {}
    rest: list[Post] = []
    for post in posts:
        key: tuple[GroupKind, str] | None = None
        if by == "series" and post.series:
            key = ("series", post.series[0])
        elif post.categories:
            key = ("category", post.categories[0][:1].upper() + post.categories[0][1:])
        if key is None:
            rest.append(post)
        else:
            groups.setdefault(key, []).append(post)
    ordered: list[tuple[GroupKind, str, list[Post]]] = [
        (kind, name, members) for (kind, name), members in groups.items()
    ]
    if rest:
        ordered.append(("other" if ordered else "", "", rest))
    return ordered


def heading(labels: DigestLabels, kind: GroupKind, name: str) -> str:
    """A group's heading in the words of `labels` (none for the only group)."""
    if not kind:
        return ""
    return fill_words(getattr(labels, f"{kind}_heading"), name=name)


# --- text helpers ----------------------------------------------------------------------------


def wrap(text: str, width: int = WIDTH, indent: str = "") -> str:
    """Wrap prose at `width` columns; URLs and other long words are never broken."""
    return textwrap.fill(
        " ".join(str(text).split()),
        width=width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def add_utm(url: str, params: dict[str, str], site_host: str) -> str:
    """UTM parameters on links to the site, keeping the query and any utm_* already there."""
    parts = urlsplit(url)
    if parts.hostname != site_host or not params:
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {k for k, _ in query}
    query += [(k, v) for k, v in params.items() if k not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))


# --- templates -------------------------------------------------------------------------------


def template_dirs(config: Config) -> list[Path]:
    """The site's template folder, then the built-in one. Raises ConfigError for a folder the
    config names that is not there: the built-in templates would stand in for a mistyped name
    without a word (the default name may be missing: most sites keep the built-in ones)."""
    builtin = Path(str(resources.files("syndicate.email_templates")))
    own = config.templates_dir
    if not own.is_dir() and config.digest.templates_dir != DigestTable.templates_dir:
        raise ConfigError(
            f"{config.path}: digest.templates_dir: {own} is not a folder",
            hint="create it, or leave the key out to use the built-in templates",
        )
    return [own, builtin] if own.is_dir() and own.resolve() != builtin.resolve() else [builtin]


def environment(
    config: Config, dialect: Dialect = PLAIN, compiled: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    def finalize(value: Any) -> Any:
        # Every value a template outputs is marked for the provider's escaping (see dialects).
        if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
            return dialect.mark(value)
        return value

    env = jinja2.Environment(
        finalize=finalize,
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(config)]),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=compiled,
    )
    env.filters["wrap"] = wrap
    return env


def word_filters(env: jinja2.Environment, dialect: Dialect, locale: str) -> None:
    """`fill` (a label's placeholders filled) and `plural` (the form of a label for a number,
    in the language of `locale`, with `{count}` filled), each value escaped and marked as
    where it lands: `{{ labels.read_post|fill(title=post.title) }}`,
    `{{ labels.more_posts|plural(more_count) }}`."""

    @jinja2.pass_eval_context
    def fill(context: jinja2.nodes.EvalContext, text: Any, **values: Any) -> str:
        return filled(str(text), values, dialect if context.autoescape else None)

    @jinja2.pass_eval_context
    def plural(
        context: jinja2.nodes.EvalContext, words: PluralWords, count: int, **values: Any
    ) -> str:
        text = plural_words(words, count, locale)
        return filled(text, {"count": count, **values}, dialect if context.autoescape else None)

    env.filters["fill"] = fill
    env.filters["plural"] = plural


def filled(text: str, values: dict[str, Any], html: Dialect | None) -> str:
    """`text` with its placeholders filled: as it is for plain text (`html` None), or as HTML
    whose every piece, words and values, is marked for `html`'s dialect and escaped, except a
    value that is already markup (a link the template made)."""
    if html is None:
        return fill_words(text, **{name: str(value) for name, value in values.items()})

    def piece(value: Any) -> markupsafe.Markup:
        if isinstance(value, markupsafe.Markup):
            return value
        return markupsafe.escape(html.mark(str(value)))

    out: list[markupsafe.Markup] = []
    start = 0
    for found in WORDS_PLACEHOLDER.finditer(text):
        name = found.group(1)
        out += [piece(text[start : found.start()])]
        out += [piece(values[name]) if name in values else piece(found.group(0))]
        start = found.end()
    out.append(piece(text[start:]))
    return markupsafe.Markup("").join(out)


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; any failure is a TemplateError naming the template and line."""
    try:
        template = env.get_template(name)
        return template.render(context)
    except jinja2.TemplateNotFound:
        searched = ", ".join(str(p) for p in env.loader.searchpath)  # type: ignore[union-attr]
        raise TemplateError(f"template {name} not found (looked in {searched})") from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise TemplateError(f"{where}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_template_line(exc, name)}: {exc}") from None


def _template_line(exc: BaseException, name: str) -> str:
    """`path:line` of the template frame a runtime error came from (Jinja rewrites tracebacks)."""
    tb = exc.__traceback__
    where = name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATES):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def read_css(env: jinja2.Environment) -> str:
    loader = env.loader
    assert loader is not None
    source, _, _ = loader.get_source(env, "digest.css")
    return source


# --- the digest ------------------------------------------------------------------------------


@datatype(frozen=False)
class DigestResult:
    email: Email
    web_html: str
    more_count: int
    warnings: list[str] = field(default_factory=list)


class DigestRenderer:
    def __init__(
        self,
        config: Config,
        renderer: Renderer,
        dialect: Dialect | None = None,
        edition: Edition | None = None,
    ) -> None:
        """`edition` (by default the default language's) supplies the config it is built on."""
        self.edition = edition or default_edition(config)
        self.config = config = self.edition.config
        self.renderer = renderer
        self.dialect = dialect or dialect_for(config)
        # The compiled templates and premailer's answers for this CSS, kept in the state folder
        # when the build cache is.
        keep = config.build.cache
        self.compiled = CompiledTemplates(config.state_dir) if keep else None
        self.env = environment(config, self.dialect, self.compiled)
        self.unsubscribe_url = self.dialect.unsubscribe
        self.locale = self.edition.locale
        self.labels = config.digest.labels
        word_filters(self.env, self.dialect, self.locale)
        # The edition's own subject, compiled at its first render: the env caches the file
        # templates it loads, but not a template made from a string.
        self.subject_template: jinja2.Template | None = None
        self.memo = Memo.load(config.state_dir) if keep else Memo()

    def web_url(self, digest_id: str) -> str:
        return self.config.base_url + self.edition.folder(digest_id)

    def render(self, period: Period, posts: Sequence[Post]) -> DigestResult:
        """Render the digest of `posts` (already chosen for `period`, newest first)."""
        digest = self.config.digest
        sender = require_sender(self.config)
        shown = list(posts[: digest.max_posts])
        context = self._context(period, posts, shown)
        subject = shorten(self._fitted_subject(context), WIDTH)
        context["digest"]["subject"] = subject
        email_html = self._html(context, web=False)
        web_html = self._html(context, web=True)
        text = _tidy_text(render_template(self.env, "digest.txt", context))
        text = restore_text(text.replace(placeholder_token(0), self.unsubscribe_url or ""))
        message = build_message(
            config=self.config,
            digest_id=period.id,
            subject=subject,
            date=period.end,
            text=text,
            html=email_html,
        )
        email = Email(
            digest_id=period.id,
            period_start=period.start,
            period_end=period.end,
            subject=subject,
            preheader=context["digest"]["preheader"],
            sender=sender,
            to=digest.to,
            html=email_html,
            text=text,
            message=message,
            web_url=self.web_url(period.id),
            posts=tuple(posts),
            summary=self._summary(period, subject, context["digest"]["preheader"], posts),
        )
        result = DigestResult(email, web_html, len(posts) - len(shown))
        result.warnings += self._remember()
        size = len(email_html.encode("utf-8"))
        if size > digest.size_limit_kb * 1024:
            result.warnings.append(
                f"the HTML email is {size // 1024} KB; Gmail clips messages over "
                f"{digest.size_limit_kb} KB (lower digest.max_posts or digest.summary_length)"
            )
        return result

    def _fitted_subject(self, context: dict[str, Any]) -> str:
        """The subject on one line, the first post's title cut to fit WIDTH when the subject
        is longer: cutting the whole took what follows the title ("and 4 more") with it."""
        subject = " ".join(self._subject(context).split())
        over = len(subject) - WIDTH
        if over <= 0 or not context["posts"]:
            return subject
        first = context["posts"][0]
        title = first["title"]
        if len(title) - over < MIN_TITLE:
            return subject  # too little of the title would be left: cut the whole instead
        posts = [{**first, "title": shorten(title, len(title) - over)}, *context["posts"][1:]]
        return " ".join(self._subject({**context, "posts": posts}).split())

    def _subject(self, context: dict[str, Any]) -> str:
        """subject.txt, or the edition's own `subject` (a template with the same variables)."""
        source = self.edition.subject
        if source is None:
            return render_template(self.env, "subject.txt", context)
        key = f"digest.language.{self.edition.code}.subject"
        try:
            if self.subject_template is None:
                self.subject_template = self.env.from_string(source)
            return self.subject_template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{self.config.path}: {key}: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{self.config.path}: {key}: {exc}") from None

    def _context(self, period: Period, posts: Sequence[Post], shown: list[Post]) -> dict[str, Any]:
        config = self.config
        utm = config.digest.utm
        params = (
            {
                "utm_source": utm.source,
                "utm_medium": utm.medium,
                "utm_campaign": utm.campaign.format(id=period.id),
            }
            if utm
            else {}
        )
        host = urlsplit(config.base_url).hostname or ""

        @jinja2.pass_context
        def utm_filter(context: jinja2.runtime.Context, url: Any) -> str:
            # The web copy is not the email: its links would count web visits as email clicks.
            if context.get("web_version"):
                return str(url)
            return add_utm(str(url), params, host)

        self.env.filters["utm"] = utm_filter
        shared = _shared_images(shown)
        groups = [
            Group(
                heading(self.labels, kind, name),
                tuple(self._post_view(p, shared) for p in members),
                kind,
                name,
            )
            for kind, name, members in group_posts(shown, config.digest.group_by)
        ]
        return {
            "site": {
                "title": config.site.title,
                "url": self.edition.home or config.base_url,
                "language": self.edition.language if self.edition.code else config.site.language,
                "dir": self.edition.direction,
            },
            "digest": {
                "id": period.id,
                "subject": "",
                "preheader": self._preheader(posts),
                "count": len(posts),  # every post of the period; `posts` holds those shown
                "period_label": period_label(period, self.locale),
                "start": period.start,
                "end": period.end,
            },
            "posts": [self._post_view(p, shared) for p in shown],
            "groups": groups,
            "labels": self.labels,
            "more_count": len(posts) - len(shown),
            "intro": config.digest.intro,
            "outro": config.digest.outro,
            "postal_address": config.digest.postal_address,
            "web_url": self.web_url(period.id),
            "feeds_url": self.edition.feeds_url or f"{config.base_url}feeds.html",
            # A token the inliner leaves alone; the provider's placeholder replaces it after.
            "unsubscribe_url": placeholder_token(0) if self.unsubscribe_url else "",
        }

    def _preheader(self, posts: Sequence[Post]) -> str:
        words = plural_words(self.labels.preheader, len(posts), self.locale)
        titles = " · ".join(self._title(p) for p in posts)
        return shorten(fill_words(words, count=str(len(posts)), titles=titles), 140)

    def _post_view(self, post: Post, shared: frozenset[str] = frozenset()) -> dict[str, Any]:
        """What the templates get of a post; its image left out when it is one of `shared`."""
        image = None
        if (
            post.image is not None
            and post.image.url.startswith(("https://", "http://"))
            and post.image.url not in shared
        ):
            alt = post.image_alt or post.title
            image = {"url": post.image.url, "alt": alt, "width": self.config.digest.image_width}
        names = [a.name for a in post.authors]
        local = post.date.astimezone(self.config.tz)
        return {
            "title": self._title(post),
            "url": post.permalink,
            "date": post.date,
            "date_label": day_label(local, self.locale),
            "authors": " and ".join(
                [", ".join(names[:-1]), names[-1]] if len(names) > 1 else names
            ),
            "label": self._label(post),
            "series": list(post.series),
            "categories": list(post.categories),
            "summary": shorten(self.renderer.summary(post), self.config.digest.summary_length),
            "image": image,
        }

    def _title(self, post: Post) -> str:
        """The post's title; a post without one (Hugo and Zola publish them) is headed by its
        first words, linked to it, as a heading with nothing to click would not be."""
        return post.title or stand_in_title(self.renderer.summary(post), post.date)

    def _label(self, post: Post) -> str:
        """What the group title does not already say: the category in a series group, the
        series in a category group."""
        series = post.series[0] if post.series else ""
        category = post.categories[0] if post.categories else ""
        by = self.config.digest.group_by
        if by == "series":
            return category if series else ""
        if by == "category":
            return series
        return series or category

    def _html(self, context: dict[str, Any], web: bool) -> str:
        css = markupsafe.Markup(read_css(self.env))  # CSS, not text: never HTML-escaped
        page = render_template(self.env, "digest.html", {**context, "web_version": web, "css": css})
        # Quotes are the only character a placeholder may not carry into an attribute as it is
        # (SendGrid's <%...%> tags are written with their angle brackets).
        placeholder = (self.unsubscribe_url or "").replace('"', "&quot;")
        return restore_html(inline_css(page, {placeholder_token(0): placeholder}, self.memo))

    def _remember(self) -> list[str]:
        """Keep what the inliner learnt for the next run; failing to (there, or to keep the
        compiled templates) is a warning."""
        trouble, where = None, None
        if self.compiled and self.compiled.trouble:
            trouble, where = self.compiled.trouble, self.compiled.folder
            self.compiled.trouble = None  # told once
        try:
            self.memo.save()
        except OSError as exc:
            trouble, where = exc, self.memo.path
        if trouble is None:
            return []
        return [
            f"{where}: cannot write: {trouble.strerror or trouble}; the next digest compiles "
            "its templates or inlines its CSS again (check the state folder's permissions)"
        ]

    def _summary(
        self, period: Period, subject: str, preheader: str, posts: Sequence[Post]
    ) -> dict[str, Any]:
        views = [self._post_view(p) for p in posts]
        # Only a language's edition says which it is: the default's record stays as it was.
        language = {"language": self.edition.code} if self.edition.code else {}
        return {
            "id": period.id,
            **language,
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "subject": subject,
            "preheader": preheader,
            "web_url": self.web_url(period.id),
            "posts": [
                {
                    "title": v["title"],
                    "url": v["url"],
                    "date": v["date"].isoformat(),
                    "authors": [a.name for a in p.authors],
                    "series": v["series"],
                    "categories": v["categories"],
                    "summary": v["summary"],
                    "image": v["image"]["url"] if v["image"] else None,
                }
                for v, p in zip(views, posts, strict=True)
            ],
        }


MIN_TITLE = 20  # characters of the first title a subject keeps when it is cut to fit


def _shared_images(posts: Sequence[Post]) -> frozenset[str]:
    """The images two or more of the digest's posts have: a site's default card (Jekyll's
    front-matter `defaults`, a theme's site-wide image), which would repeat the same picture
    above each post of the email. Left out of the email; the feeds and `digest.json` keep each
    post's image."""
    counts = Counter(p.image.url for p in posts if p.image is not None)
    return frozenset(url for url, n in counts.items() if n > 1)


def _tidy_text(text: str) -> str:
    """At most one blank line in a row, and a single newline at the end."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
