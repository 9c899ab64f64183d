"""Read a time of day ("07:30", "6pm", "18h", "7 de la tarde") and a future date ("in 2
weeks", "el próximo viernes") from text, in English or Spanish."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from bot.spanish_dates import fold, to_english

_CLOCK = re.compile(
    r"^(?:(?:at|a\s+las?)\s+)?(?P<hour>\d{1,2})(?:\s*[:h.]\s*(?P<minute>\d{2})|\s*h)?"
    r"\s*(?:(?P<ampm>am|pm|a\.m\.|p\.m\.)"
    r"|(?:de\s+la\s+|por\s+la\s+)?(?P<part>manana|tarde|noche|madrugada))?$"
)
MAX_DATE_TEXT = 60


def parse_clock_time(text: str) -> time | None:
    """A wall-clock time from short text, or None when it is not one."""
    match = _CLOCK.match(" ".join(fold(text).split()))
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    if match["part"] in ("tarde", "noche") and 1 <= hour <= 11:
        hour += 12  # "7 de la tarde" is 19:00
    ampm = (match["ampm"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def parse_future_date(
    text: str, *, local_now: datetime, languages: tuple[str, ...] = ("en",)
) -> date | None:
    """A date strictly after today in the user's zone ("next Monday", "15 January"), or None."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_DATE_TEXT or not re.search(r"[a-zA-Z0-9]", cleaned):
        return None
    if re.fullmatch(r"\d{1,3}", cleaned):
        return None  # a bare number is not a date (dateparser would guess a day of this month)
    import dateparser

    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    english = to_english(cleaned)  # Spanish: its English twin first, then dateparser's Spanish
    attempts = [(english, ["en"]), (cleaned, ["es"])] if english else [(cleaned, list(languages))]
    parsed = None
    for phrase, phrase_languages in attempts:
        parsed = dateparser.parse(phrase, languages=phrase_languages, settings=settings)
        if parsed is not None:
            break
    if parsed is None or parsed.date() <= local_now.date():
        return None
    found: date = parsed.date()
    return found
