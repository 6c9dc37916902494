"""Snapshots of what each edition prints for one publication time.

2026-03-05T21:30Z is already 6 March in Moscow (UTC+3) and still 5 March everywhere else;
March puts Russian months to the test ("6 марта", genitive, not "март"). CLDR data change
between Babel releases, so the CLDR version is pinned: a Babel upgrade that changes it must
come with a look at these snapshots.
"""

import zoneinfo
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.core import get_cldr_version

from l10n.localise.dates import (
    DEFAULT_TIMEZONES,
    Byline,
    byline,
    currency,
    date_line,
    date_text,
    day_month,
    local_time,
    number,
    percent,
    relative_time,
    time_text,
    timezones,
)
from l10n.localise.glossary import Glossary

PUBLISHED = datetime(2026, 3, 5, 21, 30, tzinfo=UTC)
NOW = PUBLISHED + timedelta(hours=3, minutes=10)
NNBSP = "\u202f"  # CLDR's narrow no-break space (Russian "г.", French/Russian groups)
NBSP = "\xa0"


def test_cldr_version_is_pinned():
    assert get_cldr_version() == "47"


def test_default_time_zones():
    assert DEFAULT_TIMEZONES == {
        "en": "Europe/London", "ru": "Europe/Moscow", "de": "Europe/Berlin",
        "fr": "Europe/Paris", "pt": "America/Sao_Paulo", "es": "Europe/Madrid",
    }


@pytest.mark.parametrize("lang, expected", [
    ("en", "5 March 2026, 21:30"),
    ("ru", f"6 марта 2026{NNBSP}г., 00:30"),
    ("de", "5. März 2026, 22:30"),
    ("fr", "5 mars 2026, 22:30"),
    ("pt", "5 de março de 2026 18:30"),
    ("es", "5 de marzo de 2026, 22:30"),
])
def test_date_line(lang, expected):
    assert date_line(PUBLISHED, lang) == expected


@pytest.mark.parametrize("lang, expected", [
    ("en", "5 March 2026, 21:30 (3 hours ago)"),
    ("ru", f"6 марта 2026{NNBSP}г., 00:30 (3 часа назад)"),
    ("de", "5. März 2026, 22:30 (vor 3 Stunden)"),
    ("fr", "5 mars 2026, 22:30 (il y a 3 heures)"),
    ("pt", "5 de março de 2026 18:30 (há 3 horas)"),
    ("es", "5 de marzo de 2026, 22:30 (hace 3 horas)"),
])
def test_date_line_of_a_fresh_article_says_how_long_ago(lang, expected):
    assert date_line(PUBLISHED, lang, now=NOW) == expected


def test_date_line_drops_the_relative_time_after_a_day_and_for_future_times():
    assert date_line(PUBLISHED, "en", now=PUBLISHED + timedelta(hours=24)) == "5 March 2026, 21:30"
    assert date_line(PUBLISHED, "en", now=PUBLISHED - timedelta(hours=1)) == "5 March 2026, 21:30"


@pytest.mark.parametrize("lang, hours_ago, days_ago, ahead", [
    ("en", "3 hours ago", "2 days ago", "in 5 minutes"),
    ("ru", "3 часа назад", "2 дня назад", "через 5 минут"),
    ("de", "vor 3 Stunden", "vor 2 Tagen", "in 5 Minuten"),
    ("fr", "il y a 3 heures", "il y a 2 jours", "dans 5 minutes"),
    ("pt", "há 3 horas", "há 2 dias", "em 5 minutos"),
    ("es", "hace 3 horas", "hace 2 días", "dentro de 5 minutos"),
])
def test_relative_time(lang, hours_ago, days_ago, ahead):
    assert relative_time(PUBLISHED, NOW, lang) == hours_ago
    assert relative_time(PUBLISHED, PUBLISHED + timedelta(days=2, hours=1), lang) == days_ago
    assert relative_time(PUBLISHED, PUBLISHED - timedelta(minutes=5), lang) == ahead


def test_relative_time_does_not_round_23_hours_up_to_a_day():
    assert relative_time(PUBLISHED, PUBLISHED + timedelta(hours=23), "en") == "23 hours ago"
    assert relative_time(PUBLISHED, PUBLISHED + timedelta(seconds=20), "en") == "1 minute ago"


@pytest.mark.parametrize("lang, full, short", [
    ("en", "Thursday, 5 March 2026", "05/03/2026"),
    ("ru", f"пятница, 6 марта 2026{NNBSP}г.", "06.03.2026"),
    ("de", "Donnerstag, 5. März 2026", "05.03.26"),
    ("fr", "jeudi 5 mars 2026", "05/03/2026"),
    ("pt", "quinta-feira, 5 de março de 2026", "05/03/2026"),
    ("es", "jueves, 5 de marzo de 2026", "5/3/26"),
])
def test_full_and_short_dates(lang, full, short):
    assert date_text(PUBLISHED, lang) == full
    assert date_text(PUBLISHED, lang, "short") == short


@pytest.mark.parametrize("month, expected", [
    (1, "5 января"), (2, "5 февраля"), (5, "5 мая"), (8, "5 августа"), (12, "5 декабря"),
])
def test_russian_day_month_uses_the_genitive(month, expected):
    assert day_month(datetime(2026, month, 5, 12, tzinfo=UTC), "ru") == expected


def test_day_month_in_every_edition():
    assert [day_month(PUBLISHED, lang) for lang in ("en", "ru", "de", "fr", "pt", "es")] == [
        "5 March", "6 марта", "5. März", "5 mars", "5 de março", "5 de marzo",
    ]


def test_summer_time_and_day_boundary():
    summer = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert date_line(summer, "en") == "2 July 2026, 00:30"  # BST, UTC+1
    assert date_line(summer, "pt") == "1 de julho de 2026 20:30"  # São Paulo, UTC-3
    assert local_time(summer, "ru").utcoffset() == timedelta(hours=3)


def test_time_zone_can_be_overridden_per_call_and_per_edition():
    assert time_text(PUBLISHED, "ru", tz="Asia/Vladivostok") == "07:30"
    zones = timezones(["ru=Asia/Vladivostok", " pt = America/Manaus "])
    assert zones["ru"] == ZoneInfo("Asia/Vladivostok")
    assert zones["pt"] == ZoneInfo("America/Manaus")
    assert zones["de"] == ZoneInfo("Europe/Berlin")
    assert date_line(PUBLISHED, "ru", tz=zones["ru"]) == f"6 марта 2026{NNBSP}г., 07:30"


def test_time_zones_work_without_a_system_zone_database():
    # Slim containers have no /usr/share/zoneinfo: the tzdata dependency must cover them.
    zoneinfo.reset_tzpath(to=[])
    try:
        assert ZoneInfo.no_cache("America/Sao_Paulo").utcoffset(PUBLISHED.replace(tzinfo=None)) \
            == timedelta(hours=-3)
    finally:
        zoneinfo.reset_tzpath()


@pytest.mark.parametrize("overrides", [["ru=Mars/Olympus"], ["it=Europe/Rome"], ["Europe/Moscow"]])
def test_bad_time_zone_settings_are_rejected(overrides):
    with pytest.raises(ValueError):
        timezones(overrides)


def test_naive_datetimes_are_rejected():
    with pytest.raises(ValueError, match="aware"):
        date_line(datetime(2026, 3, 5, 21, 30), "ru")


def test_unknown_edition_is_rejected():
    with pytest.raises(ValueError):
        date_line(PUBLISHED, "it")


@pytest.mark.parametrize("lang, num, pct, eur, brl", [
    ("en", "1,234,567.5", "26%", "€1,234.50", "R$1,234.50"),
    ("ru", f"1{NBSP}234{NBSP}567,5", f"26{NBSP}%", f"1{NBSP}234,50{NBSP}€",
     f"1{NBSP}234,50{NBSP}R$"),
    ("de", "1.234.567,5", f"26{NBSP}%", f"1.234,50{NBSP}€", f"1.234,50{NBSP}R$"),
    ("fr", f"1{NNBSP}234{NNBSP}567,5", f"26{NBSP}%", f"1{NNBSP}234,50{NBSP}€",
     f"1{NNBSP}234,50{NBSP}R$"),
    ("pt", "1.234.567,5", "26%", f"€{NBSP}1.234,50", f"R${NBSP}1.234,50"),
    # Babel ignores CLDR's minimumGroupingDigits (es: 2), so Spanish gets "1.234" here.
    ("es", "1.234.567,5", f"26{NBSP}%", f"1.234,50{NBSP}€", f"1.234,50{NBSP}BRL"),
])
def test_numbers_percent_currency(lang, num, pct, eur, brl):
    assert number(1234567.5, lang) == num
    assert percent(Decimal("0.256"), lang) == pct
    assert currency(1234.5, "EUR", lang) == eur
    assert currency(1234.5, "BRL", lang) == brl


@pytest.fixture(scope="module")
def glossary():
    return Glossary.load()


@pytest.mark.parametrize("lang, author", [
    ("en", "Anton Kulikov"), ("ru", "Антон Куликов"), ("de", "Anton Kulikov"),
    ("fr", "Anton Kulikov"), ("pt", "Anton Kulikov"), ("es", "Anton Kulikov"),
])
def test_byline_takes_the_name_from_the_glossary(glossary, lang, author):
    result = byline("Anton Kulikov", PUBLISHED, lang, glossary, now=NOW)
    assert result == Byline(author, date_line(PUBLISHED, lang, now=NOW), needs_review=False)


def test_byline_snapshot_ru(glossary):
    assert byline("Maria Sokolova", PUBLISHED, "ru", glossary, now=NOW) == Byline(
        "Мария Соколова", f"6 марта 2026{NNBSP}г., 00:30 (3 часа назад)", needs_review=False
    )


def test_byline_transliterates_unknown_names_for_russian_and_flags_them(glossary):
    assert byline("Lyuba Lulko", PUBLISHED, "ru", glossary) == Byline(
        "Люба Лулко", f"6 марта 2026{NNBSP}г., 00:30", needs_review=True
    )
    assert byline("Lyuba Lulko", PUBLISHED, "de", glossary) == Byline(
        "Lyuba Lulko", "5. März 2026, 22:30", needs_review=False
    )
