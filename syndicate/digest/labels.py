"""Dates as a digest writes them, in the digest's language: `5 November 2024`, `5. November
2024`, and a period's span (`1–7 April 2024`, `1.–7. Apr. 2024` widened to full month names);
and which plural form of a label (`[digest.labels]`) a number takes in that language.

Month names, the order of day, month and year, and the separators come from Babel's copy of
the Unicode CLDR, never from the machine's locale (`LC_ALL`, `LANG`), so a digest reads the
same on every machine. English keeps the form digests have always had (`1–7 April 2024`,
day before month), which every English reader understands, so that English digests do not
change with the version of CLDR installed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, match_skeleton

from ..config import PluralWords
from .periods import Period

_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
# Day, month (in full) and year: CLDR often has only the abbreviated month's span ("yMMMd"),
# whose month fields are widened here as CLDR's matching rules allow.
_SKELETON = "yMMMMd"
_SHORT_MONTH = re.compile(r"(?<![ML])([ML])\1\1(?![ML])")


@lru_cache(maxsize=64)
def locale_of(tag: str) -> Locale | None:
    """The Babel locale of a language tag (`de`, `pt_BR`, `en-GB`, `zh-cn`), falling back to
    its language alone; None when Babel knows neither (the dates are then in English)."""
    parts = tag.replace("-", "_").split("_")
    candidates = ["_".join([parts[0].lower(), *(p.upper() for p in parts[1:2])]), parts[0]]
    for candidate in candidates:
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


def _english(locale: Locale | None) -> bool:
    return locale is None or locale.language == "en"


def day_label(moment: datetime | date, tag: str = "en") -> str:
    """One day, in full, in the language of `tag`."""
    locale = locale_of(tag)
    if _english(locale):
        return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"
    return format_date(moment, "long", locale=locale)


def period_label(period: Period, tag: str = "en") -> str:
    """The days a period covers (its end is exclusive), in the language of `tag`."""
    first, last = period.start, period.end - timedelta(microseconds=1)
    locale = locale_of(tag)
    if _english(locale):
        return _english_span(first, last)
    if first.date() == last.date():
        return day_label(first, tag)
    return _span(first.date(), last.date(), locale)


def _english_span(first: datetime, last: datetime) -> str:
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day_label(last)}"
    if first.year == last.year:
        return f"{first.day} {_MONTHS[first.month - 1]} – {day_label(last)}"
    return f"{day_label(first)} – {day_label(last)}"


def _span(first: date, last: date, locale: Locale | None) -> str:
    formats = locale.interval_formats if locale is not None else {}
    skeleton = _SKELETON if _SKELETON in formats else match_skeleton(_SKELETON, formats)
    field = "y" if first.year != last.year else "M" if first.month != last.month else "d"
    pieces = formats[skeleton].get(field) if skeleton else None
    if not pieces or len(pieces) != 2:
        return format_interval(first, last, _SKELETON, locale=locale)
    assert locale is not None  # pieces come from its formats
    # Widen the month as the language's own long date writes it (German "April", not "Apr.");
    # Chinese and Japanese write the month as a number there, which stays.
    long = locale.date_formats["long"].pattern
    wide = "MMMM" in long or "LLLL" in long
    return "".join(
        format_date(day, _SHORT_MONTH.sub(r"\1\1\1\1", p) if wide else p, locale=locale)
        for p, day in zip(pieces, (first, last), strict=True)
    )


def plural_words(words: PluralWords, count: int, tag: str = "en") -> str:
    """The form of `words` for `count` in the language of `tag` (CLDR's plural rules, from
    Babel: `one` for 1 in English, `few` for 2 to 4 in Polish), else its `other`."""
    # English (and a language Babel does not know) takes CLDR's English rule, one: i = 1 and
    # v = 0 for a whole number, without loading Babel's locale data: a tenth of a second of
    # every English digest.
    english = tag.replace("-", "_").split("_")[0].lower() == "en"
    locale = None if english else locale_of(tag)
    form = locale.plural_form(count) if locale is not None else ("one" if count == 1 else "other")
    return getattr(words, form, None) or words.other
