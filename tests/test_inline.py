"""One test per premailer 3.10 trap that syndicate/digest/css_inline.py closes."""

from __future__ import annotations

import pytest

from syndicate.digest.css_inline import inline_css, placeholder_token
from syndicate.errors import TemplateError

PAGE = """<!DOCTYPE html>
<html><head><style>
p {{ color: #333333; }}
.c {{ width: 600px; }}
@media (max-width: 600px) {{ .c {{ width: 100% !important; }} }}
@media (prefers-color-scheme: dark) {{ p {{ color: #eeeeee !important; }} }}
</style></head>
<body><div class="c"><p>Hi <a href="{href}">link</a></p></div></body></html>"""


def test_important_survives_in_leftover_media_queries() -> None:
    out = inline_css(PAGE.format(href="https://e.org/"), {})
    assert "width: 100% !important" in out
    assert "color: #eeeeee !important" in out


def test_six_digit_colours_are_not_shortened() -> None:
    out = inline_css(PAGE.format(href="https://e.org/"), {})
    assert 'style="color:#333333"' in out
    assert "#333;" not in out and '#333"' not in out


@pytest.mark.parametrize(
    "placeholder",
    ["{{ UnsubscribeURL }}", "*|UNSUB|*", "%unsubscribe_url%", "{{{ pm:unsubscribe }}}"],
)
def test_placeholders_are_neither_rewritten_nor_percent_encoded(placeholder: str) -> None:
    token = placeholder_token(0)
    out = inline_css(PAGE.format(href=token), {token: placeholder})
    assert f'href="{placeholder}"' in out


def test_raw_premailer_would_break_placeholders() -> None:
    # Documents the trap itself: the protection above is needed, not decorative.
    from premailer import Premailer

    raw = Premailer(PAGE.format(href="{{ UnsubscribeURL }}"), allow_network=False).transform()
    assert 'href="{{ UnsubscribeURL }}"' not in raw


def test_external_stylesheets_are_refused_never_fetched() -> None:
    page = PAGE.format(href="https://e.org/").replace(
        "<head>", '<head><link rel="stylesheet" href="https://cdn.example/x.css">'
    )
    with pytest.raises(TemplateError, match="external stylesheet"):
        inline_css(page, {})


@pytest.mark.parametrize(("css", "align"), [("float: left", "left"), ("FLOAT:right", "right")])
def test_floated_images_still_get_outlooks_align_attribute(css: str, align: str) -> None:
    page = (
        PAGE.format(href="https://e.org/")
        .replace("</style>", f"img.thumb {{ {css}; }}</style>")
        .replace("<p>Hi", '<p><img class="thumb" src="https://e.org/a.png" alt="">Hi')
    )
    out = inline_css(page, {})
    assert f'align="{align}"' in out


def test_images_are_not_checked_for_floats_when_no_css_floats_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checking means validating each image's style with cssutils (~100 ms the first time in a
    process); without a `float` anywhere it could change nothing."""
    from cssutils.css import Property

    def validate(self: object) -> None:
        raise AssertionError("a style was validated")

    monkeypatch.setattr(Property, "validate", validate)
    page = (
        PAGE.format(href="https://e.org/")
        .replace("</style>", "img.thumb { display: block; margin: 0; }</style>")
        .replace("<p>Hi", '<p><img class="thumb" src="https://e.org/a.png" alt="">Hi')
    )
    assert 'style="display:block; margin:0"' in inline_css(page, {})
