"""Dates, times and numbers as each edition writes them (Babel, CLDR data).

Publication times arrive as aware UTC datetimes; each edition shows them in its own time zone
(`DEFAULT_TIMEZONES`, overridable per edition), so an article published 2026-03-05 21:30 UTC
is dated "6 марта 2026 г., 00:30" in Moscow and "5 March 2026, 21:30" in London. CLDR's
formatting ("d MMMM" in a date) puts Russian months in the genitive ("6 марта").

Relative times ("3 hours ago") are only added when the caller passes `now`: pre-rendered
editions are static files, and a relative time baked into one would go stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from l10n.editions import EDITIONS
from l10n.localise.glossary import Glossary
from l10n.localise.languages import locale_for
from l10n.localise.names import render_name

DEFAULT_TIMEZONES: dict[str, str] = {code: e.timezone for code, e in EDITIONS.items()}
RELATIVE_WITHIN = timedelta(hours=24)
"""A date line adds "3 hours ago" for articles younger than this (when given `now`)."""

Number = int | float | Decimal


@dataclass(frozen=True)
class Byline:
    author: str  # the author's name as this edition writes it
    date_line: str
    needs_review: bool  # the name was transliterated, not taken from the glossary


def timezones(overrides: Iterable[str] = ()) -> dict[str, ZoneInfo]:
    """Each edition's time zone: the defaults, overridden by "lang=Area/City" items (the
    L10N_TIMEZONES setting). Unknown languages or zones raise ValueError."""
    names = dict(DEFAULT_TIMEZONES)
    for item in overrides:
        lang, sep, zone = (part.strip() for part in item.partition("="))
        if not sep or lang not in names:
            raise ValueError(f"{item!r}: expected lang=Area/City with lang in {sorted(names)}")
        names[lang] = zone
    return {lang: _zone(zone) for lang, zone in names.items()}


def local_time(published: datetime, lang: str, tz: tzinfo | str | None = None) -> datetime:
    """`published` on the edition's clock (`tz`, default the edition's zone)."""
    if published.utcoffset() is None:
        raise ValueError("published must be an aware datetime (UTC), not a naive one")
    if tz is None:
        if lang not in DEFAULT_TIMEZONES:
            raise ValueError(f"unsupported edition language {lang!r}")
        tz = DEFAULT_TIMEZONES[lang]
    return published.astimezone(_zone(tz) if isinstance(tz, str) else tz)


def date_text(
    published: datetime, lang: str, width: str = "full", tz: tzinfo | str | None = None
) -> str:
    """The day of publication, CLDR width "full" (with weekday), "long", "medium" or "short"."""
    return babel_dates.format_date(local_time(published, lang, tz), width, locale=locale_for(lang))


def day_month(published: datetime, lang: str, tz: tzinfo | str | None = None) -> str:
    """Day and month without the year: "6 марта", "6. März", "6 de março"."""
    return babel_dates.format_skeleton(
        "MMMMd", local_time(published, lang, tz), locale=locale_for(lang)
    )


def time_text(published: datetime, lang: str, tz: tzinfo | str | None = None) -> str:
    """Hours and minutes on the edition's clock."""
    local = local_time(published, lang, tz)
    return babel_dates.format_time(local, "short", locale=locale_for(lang))


def relative_time(published: datetime, now: datetime, lang: str) -> str:
    """How long ago (or, for a future time, in how long): "3 часа назад", "vor 3 Stunden".
    Minutes are the finest unit, and a unit is only rounded up once it is reached (23 hours
    stay "23 hours", not "1 day")."""
    return babel_dates.format_timedelta(
        published - now, granularity="minute", threshold=1, add_direction=True,
        locale=locale_for(lang),
    )


def date_line(
    published: datetime, lang: str, now: datetime | None = None, tz: tzinfo | str | None = None
) -> str:
    """The article header's date: "6 марта 2026 г., 00:30", plus " (3 часа назад)" when `now`
    is given and the article is younger than RELATIVE_WITHIN."""
    locale = locale_for(lang)
    glue = str(babel_dates.get_datetime_format("long", locale)).replace("'", "")
    line = glue.replace("{1}", date_text(published, lang, "long", tz)).replace(
        "{0}", time_text(published, lang, tz)
    )
    if now is not None and timedelta(0) <= now - published < RELATIVE_WITHIN:
        line += f" ({relative_time(published, now, lang)})"
    return line


def byline(
    author: str,
    published: datetime,
    lang: str,
    glossary: Glossary,
    now: datetime | None = None,
    tz: tzinfo | str | None = None,
) -> Byline:
    """The author's name as the edition writes it, and the date line."""
    name = render_name(author, lang, glossary)
    return Byline(name.text, date_line(published, lang, now, tz), name.needs_review)


def number(value: Number, lang: str) -> str:
    """1 234 567,5 (ru), 1.234.567,5 (de, pt, es), 1,234,567.5 (en)."""
    return babel_numbers.format_decimal(value, locale=locale_for(lang))


def percent(value: Number, lang: str) -> str:
    """A fraction as a percentage: 0.25 → "25 %" (ru, de, fr, es), "25%" (en, pt)."""
    return babel_numbers.format_percent(value, locale=locale_for(lang))


def currency(value: Number, code: str, lang: str) -> str:
    """An amount in ISO 4217 currency `code` as the edition writes it: "1 234,50 €"."""
    return babel_numbers.format_currency(value, code, locale=locale_for(lang))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, LookupError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"unknown time zone {name!r}") from exc
