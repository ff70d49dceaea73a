"""What each transport's receiving end does with the email's text: its unsubscribe placeholder,
and the merge-tag syntax it would evaluate.

A digest is rendered for one transport ("changing transport means rendering again"): the
placeholder goes into the footer, and any of the provider's syntax that appears in post text
(a title like "Using {{ x }} in Go templates") is neutralised so the provider shows it
literally. Values are marked while templates render (with private-use characters, which survive
the CSS inliner untouched), then written out as HTML character references in the HTML part and
with an invisible zero-width non-joiner in the text part.
"""

from __future__ import annotations

import re

from ..config import Config
from ..datatype import datatype

# Sentinel for each character that starts a provider's syntax.
_SENTINELS = {"{": "\ue001", "%": "\ue002", "<": "\ue003", "*": "\ue004"}
_ENTITIES = {"{": "&#123;", "%": "&#37;", "<": "&lt;", "*": "&#42;"}
_ZWNJ = "\u200c"


@datatype
class Dialect:
    """`patterns` are regular expressions; the first character of each match is neutralised."""

    unsubscribe: str | None = None
    patterns: tuple[str, ...] = ()

    def mark(self, value: str) -> str:
        for pattern in self.patterns:
            value = re.sub(pattern, lambda m: _SENTINELS[m.group(0)[0]] + m.group(0)[1:], value)
        return value


PLAIN = Dialect()
DIALECTS: dict[str, Dialect] = {
    # Django templates: {{ var }} and {% tag %}. https://docs.buttondown.com
    "buttondown": Dialect("{{ unsubscribe_url }}", (r"\{[{%]",)),
    # Postmark broadcast streams replace {{{ pm:unsubscribe }}} in the body.
    "postmark": Dialect("{{{ pm:unsubscribe }}}", (r"\{\{",)),
    # Resend broadcasts: {{{FIRST_NAME|there}}}, {{{RESEND_UNSUBSCRIBE_URL}}}.
    "resend": Dialect("{{{RESEND_UNSUBSCRIBE_URL}}}", (r"\{\{",)),
    # Mailgun: %recipient.name%, %unsubscribe_url%, %mailing_list_unsubscribe_url%.
    "mailgun": Dialect("%mailing_list_unsubscribe_url%", (r"%(?=[A-Za-z_][\w.]*%)",)),
    # SendGrid: <%asm_group_unsubscribe_raw_url%> and other <% %> tags; {{ }} in templates.
    "sendgrid": Dialect("<%asm_group_unsubscribe_raw_url%>", (r"<%", r"\{\{")),
    # listmonk campaign bodies are Go templates: {{ UnsubscribeURL }}.
    "listmonk": Dialect("{{ UnsubscribeURL }}", (r"\{\{",)),
}


def dialect_for(config: Config) -> Dialect:
    """The dialect of the configured transport; `digest.unsubscribe_url` overrides its
    placeholder."""
    transport = config.delivery.transport
    found = DIALECTS.get(transport, PLAIN)
    mailgun = config.delivery.mailgun
    if transport == "mailgun" and mailgun is not None and mailgun.recipients_file:
        found = Dialect("%unsubscribe_url%", found.patterns)  # batch sending, not a list
    if config.digest.unsubscribe_url:
        found = Dialect(config.digest.unsubscribe_url, found.patterns)
    return found


def restore_html(text: str) -> str:
    for char, sentinel in _SENTINELS.items():
        text = text.replace(sentinel, _ENTITIES[char])
        text = text.replace(f"&#{ord(sentinel)};", _ENTITIES[char])
    return text


def restore_text(text: str) -> str:
    for char, sentinel in _SENTINELS.items():
        text = text.replace(sentinel, char + _ZWNJ)
    return text
