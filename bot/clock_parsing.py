"""Read a time of day ("07:30", "6pm", "18h") and a future date ("in 2 weeks") from text."""

from __future__ import annotations

import re
from datetime import date, datetime, time

_CLOCK = re.compile(
    r"^(?:at\s+)?(?P<hour>\d{1,2})(?:\s*[:h.]\s*(?P<minute>\d{2})|\s*h)?"
    r"\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$"
)
MAX_DATE_TEXT = 60


def parse_clock_time(text: str) -> time | None:
    """A wall-clock time from short text, or None when it is not one."""
    match = _CLOCK.match(text.strip().lower())
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
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

    parsed = dateparser.parse(
        cleaned,
        languages=list(languages),
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now.replace(tzinfo=None),
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if parsed is None or parsed.date() <= local_now.date():
        return None
    found: date = parsed.date()
    return found
