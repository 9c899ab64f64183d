"""Dates and times inside a job-application message ("3 days ago", "next Tuesday", "20 Nov",
"tmrw 10am"), found by pattern and resolved relative to the user's local today.

Finding is deliberately narrow: only phrases shaped like dates count, so "me", "do",
"may" as a verb, "march on", bare numbers, "2nd round" (masked by the parser before this
runs) and names such as "Monday.com" or "May Corp" never become dates. dateparser would
happily read most of those; here it only resolves phrases already known to be dates.

Resolution rules (choices, documented because a human could choose otherwise):

* Relative days and weekdays ("yesterday", "3 days ago", "friday", "last friday") go to
  dateparser (English, relative to today's midnight). A bare weekday takes the direction
  the caller prefers: the past for "applied on Friday", the future for "interview Friday".
* "next <weekday>" is that weekday in the following calendar week (Monday-first):
  said on Monday 23 November, "next Tuesday" is 1 December, not tomorrow (dateparser
  would say tomorrow; people who mean tomorrow say "tomorrow").
* A day and month without a year ("20 Nov", "20/11", "the 20th") is the occurrence in the
  preferred direction, unless that one is over 60 days away and the other is near: within
  14 days for a past preference ("applied 25 Nov" said on the 23rd is a slip to question,
  not last year), within 90 days for a future one ("interview on 2 Oct" said in November
  was this October, not next year).
* Numbers with slashes are day-first ("3/11" = 3 November), as in `bot.deadline`, unless
  the second cannot be a month ("11/20" = 20 November).
* Vague spans ("last week", "next week", "a few days ago", "in January", "for 2 weeks")
  are recognised, so that no word of them is mistaken for something else, but give no date.

Spanish phrases ("ayer", "hace 3 días", "el próximo martes", "el 2 de diciembre", "a las
10") are found by `bot.application_dates_es` and resolved by the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal

from bot.application_dates_es import SPANISH_DATE_FINDERS, find_times_es

# Re-exported: the mentions were defined here before the Spanish finders needed them too.
from bot.date_mentions import DateMention as DateMention
from bot.date_mentions import TimeMention as TimeMention
from bot.spanish_dates import fold

Preference = Literal["past", "future"]

PAST_WINDOW_DAYS = 14
FUTURE_WINDOW_DAYS = 90
FAR_DAYS = 60

_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
    "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
    # frequent slips
    "mondy": 0, "munday": 0, "tuseday": 1, "teusday": 1, "tuesdy": 1, "wendesday": 2,
    "wednsday": 2, "wedensday": 2, "wensday": 2, "thrusday": 3, "thurday": 3, "thursay": 3,
    "thurdsay": 3, "firday": 4, "fridy": 4, "friady": 4, "saturady": 5, "sunady": 6,
}  # fmt: skip
# Abbreviations that are also ordinary words ("sat", "sun", "wed", "c'mon") need a qualifier.
_QUALIFIED_ONLY = frozenset({"mon", "wed", "sat", "sun"})
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "couple": 2, "a couple": 2,
    "a couple of": 2, "couple of": 2,
}  # fmt: skip
_RELATIVE_WORDS = {
    "today": "today", "tonight": "today", "2day": "today", "tday": "today", "tdy": "today",
    "tomorrow": "tomorrow", "tomorow": "tomorrow", "tommorow": "tomorrow",
    "tommorrow": "tomorrow", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow",
    "tmw": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow", "2mrw": "tomorrow",
    "yesterday": "yesterday", "yday": "yesterday", "yest": "yesterday", "ystd": "yesterday",
    "yesterdy": "yesterday", "yesturday": "yesterday", "last night": "yesterday",
    "this morning": "today", "this afternoon": "today", "this evening": "today",
    "day before yesterday": "day before yesterday", "day after tomorrow": "day after tomorrow",
}  # fmt: skip

_WEEKDAY_ALT = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBER_ALT = r"\d{1,2}|" + "|".join(
    sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _NUMBER_WORDS), key=len, reverse=True)
)
# "by Friday", "due Monday", "have until Sunday": a date ahead, whatever the verb.
_LEAD = r"(?P<lead>(?:due|by|until|till|before|deadline(?:\s+is)?)\s+(?:on\s+|the\s+)?)?"
_ON = r"(?:(?:on|for)\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)"

_RELATIVE = re.compile(
    _LEAD + _ON + r"\b(?:the\s+)?(?:earlier\s+|later\s+)?(?P<word>day\s+before\s+yesterday|"
    r"day\s+after\s+tomorrow|last\s+night|this\s+(?:morning|afternoon|evening)|"
    + "|".join(sorted((w for w in _RELATIVE_WORDS if " " not in w), key=len, reverse=True))
    + r")\b(?:\s+(?:morning|afternoon|evening|night))?"
)
_AGO = re.compile(r"\b(?P<number>" + _NUMBER_ALT + r")\s*(?P<unit>days?|d|weeks?|wks?)\s+ago\b")
_IN_DAYS = re.compile(r"\bin\s+(?P<number>" + _NUMBER_ALT + r")\s*(?P<unit>days?|weeks?|wks?)\b")
_WEEKDAY = re.compile(
    _LEAD
    + r"(?:(?P<qualifier>this\s+coming|coming|next|last|this|past|on)\s+)?"
    + r"\b(?P<weekday>"
    + _WEEKDAY_ALT
    + r")\b(?![.'’]\w)(?:,?\s+(?:the\s+)?(?P<day>\d{1,2})"
    + _ORDINAL
    + r"\b)?"
)
_DAY_MONTH = re.compile(
    _LEAD + _ON + r"\b(?:the\s+)?(?P<day>\d{1,2})" + _ORDINAL + r"?(?:\s+of)?[\s-]*"
    r"(?P<month>" + _MONTH_ALT + r")\b\.?(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?"
)
_MONTH_DAY = re.compile(
    _LEAD
    + _ON
    + r"\b(?P<month>"
    + _MONTH_ALT
    + r")\.?\s+(?:the\s+)?(?P<day>\d{1,2})"
    + _ORDINAL
    + r"?\b(?!:)(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?"
)
_NUMERIC = re.compile(
    _LEAD + _ON + r"(?<![\d/.])\b(?P<first>\d{1,2})/(?P<second>\d{1,2})"
    r"(?:/(?P<year>\d{4}|\d{2}))?\b(?![/\d])"
)
_DOTTED = re.compile(
    _LEAD + _ON + r"(?<![\d.])\b(?P<first>\d{1,2})\.(?P<second>\d{1,2})\.(?P<year>\d{4}|\d{2})\b"
)
_ISO = re.compile(_LEAD + _ON + r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_DAY_ONLY = re.compile(
    _LEAD + _ON + r"\bthe\s+(?P<day>\d{1,2})" + _ORDINAL + r"\b"
    r"(?!\s+(?:round|interview|stage|floor|time|attempt|place|try|candidate|person|one))"
)
_VAGUE = re.compile(
    r"\b(?:(?:last|this|next|past|the\s+past|earlier\s+this|later\s+this|end\s+of\s+the|"
    r"end\s+of\s+this|end\s+of\s+next)\s+(?:week|month|year|weekend)"
    r"|(?:a\s+)?few\s+(?:days|weeks|months)\s+ago|(?:a\s+)?(?:week|month)\s+or\s+(?:so|two)\s+ago"
    r"|recently|the\s+other\s+day|a\s+while\s+(?:ago|back)|ages\s+ago"
    r"|(?:for|over)\s+(?:the\s+(?:last|past)\s+)?(?:" + _NUMBER_ALT + r"|a\s+few|few|several)"
    r"\s+(?:days?|weeks?|wks?|months?)"
    r"|in\s+(?:" + _NUMBER_ALT + r"|a\s+few|several)\s+months?"
    r"|(?:in|since|by|early|mid|late|end\s+of|beginning\s+of|start\s+of)\s+(?:january|february|"
    r"march|april|june|july|august|september|october|november|december))\b"
)
# "haven't heard from them in 2 weeks" is a duration, not a date two weeks ahead.
_SILENCE_WORDS = re.compile(r"\b(?:heard|response|reply|answer|news|word|silence|nothing)\b")


def find_dates(text: str) -> list[DateMention]:
    """Date phrases in lower-case `text`, most specific first, never overlapping."""
    found: list[DateMention] = []
    taken = [False] * len(text)
    folded = fold(text)  # the Spanish finders' copy: same length, so the same positions
    searches: list[tuple[Callable[[str], list[DateMention]], str]]
    searches = [(finder, text) for finder in _FINDERS]
    searches += [(finder, folded) for finder in SPANISH_DATE_FINDERS]
    for finder, searched in searches:
        for mention in finder(searched):
            if not any(taken[mention.start : mention.end]):
                found.append(mention)
                taken[mention.start : mention.end] = [True] * (mention.end - mention.start)
    return _merge_weekdays(text, sorted(found, key=lambda mention: mention.start))


_BETWEEN_WEEKDAY_AND_DATE = re.compile(r"^[\s,]*(?:the\s+)?$")


def _merge_weekdays(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """A weekday next to a calendar date names the same day: one mention, the date's."""
    merged: list[DateMention] = []
    for mention in mentions:
        previous = merged[-1] if merged else None
        if previous is not None and _BETWEEN_WEEKDAY_AND_DATE.match(
            text[previous.end : mention.start]
        ):
            if previous.weekday and mention.day is not None:
                merged[-1] = replace(
                    mention, start=previous.start, ahead=previous.ahead or mention.ahead
                )
                continue
            if mention.weekday and previous.day is not None:
                merged[-1] = replace(previous, end=mention.end)
                continue
        merged.append(mention)
    return merged


def _ahead(match: re.Match[str]) -> bool:
    return bool(match["lead"]) if "lead" in match.re.groupindex else False


def _find_iso(text: str) -> list[DateMention]:
    return [
        DateMention(
            m.start(), m.end(), "", _ahead(m), int(m["day"]), int(m["month"]), int(m["year"])
        )
        for m in _ISO.finditer(text)
    ]


def _find_numeric(text: str) -> list[DateMention]:
    found = []
    for pattern in (_NUMERIC, _DOTTED):
        for match in pattern.finditer(text):
            first, second = int(match["first"]), int(match["second"])
            day, month = (first, second) if second <= 12 else (second, first)
            if match.group() == "24/7" or not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            year = _full_year(match["year"])
            found.append(
                DateMention(match.start(), match.end(), "", _ahead(match), day, month, year)
            )
    return found


def _full_year(text: str | None) -> int | None:
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _find_day_month(text: str) -> list[DateMention]:
    found = []
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            day = int(match["day"])
            if 1 <= day <= 31:
                month = _MONTHS[match["month"]]
                year = _full_year(match["year"])
                found.append(
                    DateMention(match.start(), match.end(), "", _ahead(match), day, month, year)
                )
    return found


def _find_weekday(text: str) -> list[DateMention]:
    found = []
    for match in _WEEKDAY.finditer(text):
        word, qualifier = match["weekday"], _squash(match["qualifier"])
        if word in _QUALIFIED_ONLY and qualifier is None and not match["lead"]:
            continue
        weekday = _WEEKDAYS[word]
        if match["day"] and 1 <= int(match["day"]) <= 31:
            # "Friday 27th": the day of the month says more than the weekday.
            found.append(
                DateMention(match.start(), match.end(), "", _ahead(match), int(match["day"]))
            )
        elif qualifier == "next":
            found.append(DateMention(match.start(), match.end(), "", True, next_week=weekday))
        else:
            phrase = _WEEKDAY_NAMES[weekday]
            if qualifier in ("last", "past", "this"):
                phrase = f"{'last' if qualifier == 'past' else qualifier} {phrase}"
            ahead = _ahead(match) or qualifier in ("coming", "this coming")
            found.append(DateMention(match.start(), match.end(), phrase, ahead, weekday=True))
    return found


def _squash(words: str | None) -> str | None:
    return " ".join(words.split()) if words else None


def _find_day_only(text: str) -> list[DateMention]:
    return [
        DateMention(m.start(), m.end(), "", _ahead(m), int(m["day"]))
        for m in _DAY_ONLY.finditer(text)
        if 1 <= int(m["day"]) <= 31
    ]


def _find_relative(text: str) -> list[DateMention]:
    found = [
        DateMention(m.start(), m.end(), _RELATIVE_WORDS[_squash(m["word"]) or ""], _ahead(m))
        for m in _RELATIVE.finditer(text)
    ]
    for match in _AGO.finditer(text):
        count = _count(match["number"])
        found.append(DateMention(match.start(), match.end(), f"{count} {_unit(match)} ago"))
    for match in _IN_DAYS.finditer(text):
        sentence_so_far = re.split(r"[.!?\n]", text[: match.start()])[-1]
        if _SILENCE_WORDS.search(sentence_so_far):
            found.append(DateMention(match.start(), match.end(), None))
            continue
        count = _count(match["number"])
        found.append(DateMention(match.start(), match.end(), f"in {count} {_unit(match)}", True))
    return found


def _count(number: str) -> int:
    squashed = _squash(number) or "1"
    return int(squashed) if squashed.isdigit() else _NUMBER_WORDS[squashed]


def _unit(match: re.Match[str]) -> str:
    return "weeks" if match["unit"].startswith("w") else "days"


def _find_vague(text: str) -> list[DateMention]:
    return [DateMention(m.start(), m.end(), None) for m in _VAGUE.finditer(text)]


_FINDERS = (
    _find_iso,
    _find_numeric,
    _find_day_month,
    _find_vague,
    _find_relative,
    _find_weekday,
    _find_day_only,
)


# --- resolution ----------------------------------------------------------------------


def resolve_date(mention: DateMention, *, today: date, prefer: Preference) -> date | None:
    """The calendar date `mention` means, seen from the user's `today`; None when vague."""
    if mention.phrase is None:
        return None
    if mention.ahead:
        prefer = "future"
    if mention.next_week is not None:
        try:
            return today + timedelta(days=7 - today.weekday() + mention.next_week)
        except OverflowError:  # next week is past year 9999
            return None
    if mention.day is not None:
        return _calendar_date(mention, today, prefer)
    return _with_dateparser(mention.phrase, today, prefer)


def _calendar_date(mention: DateMention, today: date, prefer: Preference) -> date | None:
    day = mention.day or 1
    if mention.month is None:
        candidates = [
            _safe_date(*_shift_month(today.year, today.month, step), day) for step in (-1, 0, 1)
        ]
    elif mention.year is not None:
        return _safe_date(mention.year, mention.month, day)
    else:
        candidates = [_safe_date(today.year + step, mention.month, day) for step in (-1, 0, 1)]
    return _closest([found for found in candidates if found is not None], today, prefer)


def _shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31 June, 29 February in a common year
        return None


def _closest(candidates: list[date], today: date, prefer: Preference) -> date | None:
    """The candidate in the preferred direction, unless that one is far and the other near."""
    if not candidates:
        return None
    if prefer == "past":
        preferred = [c for c in candidates if c <= today]
        other = [c for c in candidates if c > today]
        window = PAST_WINDOW_DAYS
    else:
        preferred = [c for c in candidates if c >= today]
        other = [c for c in candidates if c < today]
        window = FUTURE_WINDOW_DAYS
    best = min(preferred, key=lambda c: abs((c - today).days), default=None)
    nearest_other = min(other, key=lambda c: abs((c - today).days), default=None)
    if nearest_other is None:
        return best
    distance = abs((nearest_other - today).days)
    if best is None or (distance <= window and abs((best - today).days) > FAR_DAYS):
        return nearest_other
    return best


@lru_cache(maxsize=16)
def _parser_for(today: date, prefer: Preference) -> Any:
    """One dateparser per local day and direction (its settings hold both); building one
    costs milliseconds, reading a phrase with it a fraction of one."""
    from dateparser.date import DateDataParser  # imported late: it loads language data

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime.combine(today, time()),
            "PREFER_DATES_FROM": prefer,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def _with_dateparser(phrase: str, today: date, prefer: Preference) -> date | None:
    try:
        found = _parser_for(today, prefer).get_date_data(phrase).date_obj
    except (ValueError, OverflowError):  # far-off arithmetic; not a usable date
        return None
    return found.date() if isinstance(found, datetime) else None


# --- times ---------------------------------------------------------------------------

_AT = r"(?:(?:at|@|around|by)\s*)?"
_CLOCK_12 = re.compile(
    _AT + r"\b(?P<hour>\d{1,2})(?:[:.](?P<minute>[0-5]\d))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)(?!\w)"
)
_CLOCK_24 = re.compile(
    _AT + r"(?<![\d/.])\b(?P<hour>[01]?\d|2[0-3])(?::|h)(?P<minute>[0-5]\d)\b(?![/.]\d)"
)
_AT_HOUR = re.compile(r"\b(?:at|@)\s*(?P<hour>\d{1,2})\b(?![:./]\d)")
_NOON = re.compile(r"\b(?:at\s+)?(?:noon|midday|lunchtime)\b")
# After "at 3" only these may follow: otherwise "at 3 companies" would be a time.
_AFTER_BARE_HOUR = re.compile(
    r"^\s*(?:$|[,.!?;:)\-]|(?:tomorrow|today|tonight|tmrw|on|this|next|o'?clock|sharp|ish|"
    + _WEEKDAY_ALT
    + r")\b)"
)
# "at 3" for a meeting means 3 pm: nobody is interviewed at 3 in the morning.
_EARLIEST_MORNING_HOUR = 8


def find_times(text: str) -> list[TimeMention]:
    """Clock times in lower-case `text` ("10am", "14:30", "at 3", "noon", "a las 10")."""
    # Spanish first: "a las 14:30" is one mention, not "14:30" with "a las" left over.
    found: list[TimeMention] = find_times_es(text)
    for match in _CLOCK_12.finditer(text):
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if 1 <= hour <= 12:
            hour = hour % 12 + (12 if match["ampm"].startswith("p") else 0)
            found.append(TimeMention(match.start(), match.end(), time(hour, minute)))
    for match in _CLOCK_24.finditer(text):
        found.append(
            TimeMention(match.start(), match.end(), time(int(match["hour"]), int(match["minute"])))
        )
    for match in _AT_HOUR.finditer(text):
        hour = int(match["hour"])
        if 1 <= hour <= 12 and _AFTER_BARE_HOUR.match(text[match.end() :]):
            if hour < _EARLIEST_MORNING_HOUR:
                hour += 12
            found.append(TimeMention(match.start(), match.end(), time(hour % 24)))
    for match in _NOON.finditer(text):
        found.append(TimeMention(match.start(), match.end(), time(12)))
    return _without_overlaps(found)


def _without_overlaps(mentions: list[TimeMention]) -> list[TimeMention]:
    kept: list[TimeMention] = []
    for mention in mentions:  # earlier patterns are the more specific ones
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda mention: mention.start)
