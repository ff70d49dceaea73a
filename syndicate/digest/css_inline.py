"""HTML + CSS -> email HTML with every style inlined, through premailer, with its traps closed.

premailer 3.10 (the only module that imports it) would, left to its defaults: fetch external
stylesheets over the network; strip `!important` from the @media rules it leaves behind, so
mobile and dark-mode rules lose to the inlined styles; shorten `#333333` to `#333`; and rewrite
or percent-encode provider placeholders such as `{{ UnsubscribeURL }}`, `*|UNSUB|*` or
`%unsubscribe_url%` inside href attributes. Each is prevented here and pinned by a test.
Its Outlook fix for floated images (an `align` attribute) is kept, but asked for only when
some CSS could float one: it validates every image's style against cssutils' CSS profiles,
~100 ms the first time in a process, which is most of a digest's rendering time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

import cssutils
from premailer import Premailer

from ..errors import TemplateError

# cssutils shortens colours unless told not to; Cerberus and most email guides want 6 digits.
cssutils.ser.prefs.minimizeColorHash = False
_TOKEN = "https://placeholder.syndicate.invalid/{}"
_STYLESHEET_LINK = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?stylesheet", re.IGNORECASE)


def inline_css(html: str, placeholders: Mapping[str, str]) -> str:
    """Inline the CSS of `html` (its <style> blocks) into style attributes.

    `placeholders` maps tokens written into the HTML (see `placeholder_token`) to the exact text
    that must appear there afterwards, untouched by the inliner.
    """
    if _STYLESHEET_LINK.search(html):
        raise TemplateError(
            "the email template links an external stylesheet, which is never fetched; "
            "put the CSS in digest.css instead"
        )
    inliner = Premailer(
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
        align_floating_images="float" in html.lower(),
        # width/height attributes come from the template (Outlook reads them); premailer would
        # overwrite them with CSS values such as "100%".
        disable_basic_attributes=["width", "height"],
        cssutils_logging_level=logging.CRITICAL,
    )
    out: str = inliner.transform()
    for token, value in placeholders.items():
        out = out.replace(token, value)
    return out


def placeholder_token(index: int) -> str:
    """A URL the inliner leaves alone, swapped for a provider placeholder after inlining."""
    return _TOKEN.format(index)
