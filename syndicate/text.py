"""Plain text for places with little room: a summary cut short, a title for an untitled post."""

from __future__ import annotations

import html
import re
from datetime import datetime

_TAG = re.compile(r"<[^>]*>")
# About as much as a feed reader's list or an email's heading shows of a title on one line.
STAND_IN_LENGTH = 60


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary, with an ellipsis; 0 means no limit."""
    text = " ".join(text.split())
    if not limit or len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


def stand_in_title(summary: str, published: datetime) -> str:
    """What shows where a title must be (an Atom entry, a digest's heading) for a post that has
    none, as Hugo and Zola allow: its first words, else its day."""
    return shorten(summary, STAND_IN_LENGTH) or published.date().isoformat()


def html_as_text(text: str) -> str:
    """HTML written where text is meant (a title, a site's description): its tags dropped and
    its entities read, as a page that writes it unescaped shows it to a reader."""
    if "&" not in text and "<" not in text:
        return text
    return html.unescape(_TAG.sub("", text))
