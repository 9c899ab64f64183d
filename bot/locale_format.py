"""Dates, weekday and month names and numbers in the current language (Babel, CLDR data).

The date patterns themselves are texts (`texts.LONG_DATE`, `texts.SHORT_DATE`), so a
translator sets the word order ("lunes 23 de noviembre de 2026") in the catalog.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date, get_day_names, get_month_names
from babel.numbers import format_decimal

from bot import texts
from bot.i18n import current_language


def long_date(day: date) -> str:
    """ "Monday 23 November 2026", "lunes 23 de noviembre de 2026"."""
    return format_date(day, texts.LONG_DATE, locale=current_language())


def short_date(day: date) -> str:
    """ "23 Nov", "23 nov"."""
    return format_date(day, texts.SHORT_DATE, locale=current_language())


def weekday_name(weekday: int) -> str:
    """0 = Monday: "Monday", "lunes" (lower case in Spanish, as inside a sentence)."""
    return str(get_day_names("wide", locale=current_language())[weekday])


def weekday_button(weekday: int) -> str:
    """A short label for a button: "Mon", "Lun"."""
    name = str(get_day_names("abbreviated", locale=current_language())[weekday])
    return name[:1].upper() + name[1:]


def month_short_names() -> tuple[str, ...]:
    """Twelve short month names, January first: "Jan"…, "ene"…."""
    names = get_month_names("abbreviated", locale=current_language())
    return tuple(str(names[month]) for month in range(1, 13))


def number(value: float) -> str:
    """A number as the language writes it: 1,234.5 in English, 1234,5 in Spanish."""
    return format_decimal(value, locale=current_language())
