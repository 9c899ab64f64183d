"""Read a career-change deadline from the user's own words ("in 6 months", "by 1 March").

The answer is a date plus, when the date cannot be used as a deadline, a problem code;
the bot turns both into words (texts package) and always confirms the date back.

How text is read, in order (first match wins):

1. Clean-up: lower case, at most `MAX_INPUT_CHARS` characters, filler words around the
   date dropped ("by", "before", "around", "in about", "the", "at the latest", "from now"…).
2. A gate: the text must contain a digit or a calendar word (month, weekday, "week",
   "spring", "today"…). A bare number is refused unless it is a four-digit year: dateparser
   would happily read "42" as the year 2042 and "a" as the first of this month.
3. Durations, including the ones dateparser gets wrong: "6 months", "1.5 years",
   "half a year", "a year and a half", "6m", "2 wks".
4. Calendar spans, optionally with a position ("start of", "mid", "end of", "early", "late"):
   a month name ("March", "end of March 2027"), a quarter ("Q2 2027", "by Q3"), a season
   ("next spring", "this autumn"), a year ("2027", "end of next year") and "the week / month /
   quarter" relative ones ("end of next month").
5. Everything else goes to dateparser (English, relative to today's midnight, preferring
   future dates): "March 1st", "1 March 2027", "2027-03-01", "tomorrow", "next Friday".

Spanish ("en 6 meses", "a finales del año que viene", "el 1 de marzo") is first rewritten
into its English twin (`bot.spanish_dates`) and read by the same rules; what that leaves
unread goes to dateparser's Spanish.

Rules for spans (documented here because they are choices, not facts):

* Without a position a month means its first day ("by March" = before March starts), a
  season its first day (northern hemisphere, astronomical: spring 20 March, summer
  21 June, autumn 22 September, winter 21 December), a quarter and a year their last day.
* "mid" is the 15th of a month, 1 July of a year, the middle day of a quarter or season.
* Without a year the span is the current one if it has not ended yet, else the next one;
  when the chosen day of the current span is already past: a bare span moves to its last
  day ("March" said on 10 March = 31 March; "this autumn" said in November = 20 December),
  an explicit position moves to the next span ("early March" said on 20 March = next
  year's 1 March) except with "this", which stays (and is reported as past).
* "next <span>" is the first span that starts after today.
* A season with a year is the one that starts in that year (winter 2027 = from
  21 December 2027).
* Numeric dates with slashes or dots are day-first ("01/03/2027" = 1 March 2027), as in
  most of the world; when the second number cannot be a month ("12/25/2027") dateparser
  reads it month-first.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from bot.spanish_dates import to_english

MAX_INPUT_CHARS = 200
DEFAULT_MAX_YEARS = 5


class DeadlineProblem(StrEnum):
    UNPARSABLE = "unparsable"
    PAST = "past"
    TODAY = "today"
    TOO_FAR = "too_far"


@dataclass(frozen=True, slots=True)
class DeadlineResult:
    """`deadline` is set whenever a date was read, even a past or too distant one, so the
    bot can say which date it understood; `problem` is None when the date is usable."""

    deadline: date | None
    problem: DeadlineProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None and self.deadline is not None


def parse_deadline(text: str, *, today: date, max_years: int = DEFAULT_MAX_YEARS) -> DeadlineResult:
    """The deadline in `text`, read relative to `today` (the user's local date)."""
    clipped = text[:MAX_INPUT_CHARS]
    english = to_english(clipped)
    found = _read_date(_clean(english if english is not None else clipped), today)
    if found is None and english is not None:
        found = _read_with_dateparser(clipped, today, language="es")
    if found is None:
        return DeadlineResult(None, DeadlineProblem.UNPARSABLE)
    return DeadlineResult(found, _problem_with(found, today=today, max_years=max_years))


def _problem_with(deadline: date, *, today: date, max_years: int) -> DeadlineProblem | None:
    if deadline < today:
        return DeadlineProblem.PAST
    if deadline == today:
        return DeadlineProblem.TODAY
    if today.year + max_years <= date.max.year and deadline <= add_years(today, max_years):
        return None
    return DeadlineProblem.TOO_FAR


# --- calendar arithmetic -------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _month_length(year, month + 1)))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


# --- clean-up and gate ---------------------------------------------------------------

_LEADING_FILLER = re.compile(
    r"^(?:by|before|around|about|approximately|approx\.?|roughly|until|till|til|within|in|"
    r"no later than|not later than|at the latest|at latest|at|on|sometime|some time|"
    r"hopefully|ideally|maybe|probably|say|the|of|ca\.?|circa|~)(?:\s+|$)"
)
_TRAILING_FILLER = re.compile(
    r"(?:^|\s+)(?:at the latest|at latest|or so|or sooner|ish|hopefully|ideally|"
    r"from now|from today|time)$"
)
_EDGE_PUNCTUATION = " \t\n.,;:!?'\"()-~"
_ALIASES = {"eoy": "end of this year", "year end": "end of this year"}

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_SEASON_STARTS = {"spring": (3, 20), "summer": (6, 21), "autumn": (9, 22), "winter": (12, 21)}
_SEASON_ALIASES = {"fall": "autumn"}
_CALENDAR_WORDS = re.compile(
    r"\b(?:" + "|".join(_MONTHS) + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|today|tomorrow|yesterday|now|tonight|fortnights?"
    r"|days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?|quarter"
    r"|spring|summer|autumn|fall|winter)\b"
)


def _clean(text: str) -> str:
    cleaned = " ".join(text.lower().replace("’", "'").split()).strip(_EDGE_PUNCTUATION)
    cleaned = cleaned.replace("year-end", "year end")
    previous = None
    while cleaned != previous:
        previous = cleaned
        cleaned = _LEADING_FILLER.sub("", cleaned)
        cleaned = _TRAILING_FILLER.sub("", cleaned).strip(_EDGE_PUNCTUATION)
    return _ALIASES.get(cleaned, cleaned)


def _looks_like_a_date(text: str) -> bool:
    has_digit = any(char.isdigit() for char in text)
    return has_digit or _CALENDAR_WORDS.search(text) is not None


def _read_date(text: str, today: date) -> date | None:
    if not _looks_like_a_date(text):
        return None
    if text.isdigit():
        return _read_bare_year(text)
    try:
        for reader in (_read_duration, _read_span):
            found = reader(text, today)
            if found is not None:
                return found
    except (ValueError, OverflowError):
        return date.max  # past year 9999: "in 9999 years" is simply too far
    return _read_with_dateparser(text, today)


def _read_bare_year(text: str) -> date | None:
    """ "2027" is the end of that year; any other bare number is not a date."""
    if len(text) == 4 and 1900 <= int(text) <= 2199:
        return date(int(text), 12, 31)
    return None


# --- durations -----------------------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0,
    "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "eleven": 11.0,
    "twelve": 12.0, "eighteen": 18.0, "twenty": 20.0, "twenty-four": 24.0, "thirty": 30.0,
    "a couple of": 2.0, "couple of": 2.0, "half a": 0.5, "half an": 0.5,
}  # fmt: skip
# Unit -> (months, days) per unit; months are calendar months so "6 months" keeps the day.
_UNITS: dict[str, tuple[int, int]] = {
    "day": (0, 1), "days": (0, 1), "d": (0, 1),
    "week": (0, 7), "weeks": (0, 7), "wk": (0, 7), "wks": (0, 7), "w": (0, 7),
    "fortnight": (0, 14), "fortnights": (0, 14),
    "month": (1, 0), "months": (1, 0), "mo": (1, 0), "mos": (1, 0), "mth": (1, 0),
    "mths": (1, 0), "m": (1, 0),
    "year": (12, 0), "years": (12, 0), "yr": (12, 0), "yrs": (12, 0), "y": (12, 0),
}  # fmt: skip
_DURATION = re.compile(
    r"^(?P<number>\d{1,4}(?:[.,]\d{1,2})?|"
    + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
    + r")\s*(?P<unit>"
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r")(?P<half>\s+and\s+a\s+half)?$"
)
_AVERAGE_MONTH_DAYS = 30.44


def _read_duration(text: str, today: date) -> date | None:
    match = _DURATION.match(text)
    if match is None:
        return None
    raw = match["number"]
    count = _NUMBER_WORDS.get(raw)
    if count is None:
        count = float(raw.replace(",", "."))
    if match["half"]:
        count += 0.5
    unit_months, unit_days = _UNITS[match["unit"]]
    if unit_months:
        return _after_months(today, count * unit_months)
    return today + timedelta(days=round(count * unit_days))


def _after_months(today: date, months: float) -> date:
    """Whole months on the calendar, a fraction of a month as days (1.5 months = 1 month + 15 d)."""
    whole = math.floor(months)
    extra_days = round((months - whole) * _AVERAGE_MONTH_DAYS)
    return add_months(today, whole) + timedelta(days=extra_days)


# --- calendar spans ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Span:
    first: date
    last: date
    mid: date
    default: str  # the day a span without a position means: "start" or "end"

    def day(self, position: str | None) -> date:
        chosen = position or self.default
        if chosen == "start":
            return self.first
        if chosen == "mid":
            return self.mid
        return self.last


def _span(first: date, last: date, default: str, mid: date | None = None) -> _Span:
    return _Span(first, last, mid or first + (last - first) // 2, default)


def _year_span(year: int) -> _Span:
    return _span(date(year, 1, 1), date(year, 12, 31), "end", date(year, 7, 1))


def _month_span(year: int, month: int) -> _Span:
    return _span(
        date(year, month, 1), date(year, month, _month_length(year, month)), "start",
        date(year, month, 15),
    )  # fmt: skip


def _quarter_span(year: int, quarter: int) -> _Span:
    first = date(year, 3 * quarter - 2, 1)
    return _span(first, add_months(first, 3) - timedelta(days=1), "end")


def _season_span(year: int, season: str) -> _Span:
    names = list(_SEASON_STARTS)
    month, day = _SEASON_STARTS[season]
    following = names[(names.index(season) + 1) % len(names)]
    next_month, next_day = _SEASON_STARTS[following]
    next_year = year + 1 if following == "spring" else year
    return _span(
        date(year, month, day), date(next_year, next_month, next_day) - timedelta(1), "start"
    )


def _week_span(monday: date) -> _Span:
    return _span(monday, monday + timedelta(days=6), "end")


_POSITIONS = {
    "start": "start", "beginning": "start", "early": "start",
    "mid": "mid", "middle": "mid",
    "end": "end", "late": "end",
}  # fmt: skip
_POSITION = r"(?:(?P<position>" + "|".join(_POSITIONS) + r")(?:\s+of\s+|\s*-\s*|\s+)(?:the\s+)?)?"
_QUALIFIER = r"(?:(?P<qualifier>this|next|the)\s+)?"
_YEAR_NUMBER = r"(?:19|20|21)\d{2}"  # other four-digit numbers are not years people plan to
_YEAR = r"(?:\s+(?:of\s+)?(?P<year>" + _YEAR_NUMBER + r"|this year|next year))?"
_SEASONS = "spring|summer|autumn|fall|winter"

_MONTH_FORM = re.compile(
    "^" + _POSITION + _QUALIFIER + r"(?P<name>" + "|".join(_MONTHS) + r")" + _YEAR + "$"
)
_QUARTER_FORM = re.compile(
    "^" + _POSITION + _QUALIFIER
    + r"(?:q(?P<quarter>[1-4])(?:\s*(?P<year>" + _YEAR_NUMBER + r"))?"
    + r"|(?P<year_first>" + _YEAR_NUMBER + r")\s*q(?P<quarter_last>[1-4]))$"
)  # fmt: skip
_SEASON_FORM = re.compile(
    "^" + _POSITION + _QUALIFIER + r"(?P<name>" + _SEASONS + r")" + _YEAR + "$"
)
_YEAR_FORM = re.compile("^" + _POSITION + r"(?P<year>" + _YEAR_NUMBER + r")$")
_RELATIVE_FORM = re.compile(
    "^" + _POSITION + r"(?P<qualifier>this|next|the)?\s*(?P<unit>week|month|quarter|year)$"
)


def _read_span(text: str, today: date) -> date | None:
    for form, reader in _SPAN_READERS:
        match = form.match(text)
        if match is not None:
            return reader(match, today)
    return None


def _position_of(match: re.Match[str]) -> str | None:
    word = match["position"]
    return _POSITIONS[word] if word else None


def _explicit_year(word: str | None, today: date) -> int | None:
    if word is None:
        return None
    if word == "this year":
        return today.year
    if word == "next year":
        return today.year + 1
    return int(word)


def _read_month_form(match: re.Match[str], today: date) -> date | None:
    month = _MONTHS[match["name"]]
    return _resolve_periodic(
        lambda year: _month_span(year, month), match, today, _explicit_year(match["year"], today)
    )


def _read_quarter_form(match: re.Match[str], today: date) -> date | None:
    quarter = int(match["quarter"] or match["quarter_last"])
    year = _explicit_year(match["year"] or match["year_first"], today)
    return _resolve_periodic(lambda y: _quarter_span(y, quarter), match, today, year)


def _read_season_form(match: re.Match[str], today: date) -> date | None:
    name = _SEASON_ALIASES.get(match["name"], match["name"])
    year = _explicit_year(match["year"], today)
    return _resolve_periodic(lambda y: _season_span(y, name), match, today, year)


def _read_year_form(match: re.Match[str], today: date) -> date | None:
    return _year_span(int(match["year"])).day(_position_of(match))


def _read_relative_form(match: re.Match[str], today: date) -> date | None:
    """ "end of next month", "this quarter": the span around today, or the one after it."""
    position = _position_of(match)
    unit = match["unit"]
    if position is None and unit != "quarter":
        return None  # "next year" alone means a year from today: dateparser reads that
    step = 1 if match["qualifier"] == "next" else 0
    if unit == "week":
        span = _week_span(today - timedelta(days=today.weekday()) + timedelta(weeks=step))
    elif unit == "month":
        first = add_months(today.replace(day=1), step)
        span = _month_span(first.year, first.month)
    elif unit == "quarter":
        first = add_months(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), 3 * step)
        span = _quarter_span(first.year, (first.month + 2) // 3)
    else:
        span = _year_span(today.year + step)
    return span.day(position)


def _resolve_periodic(
    span_in: Callable[[int], _Span], match: re.Match[str], today: date, year: int | None
) -> date:
    """Which March / Q3 / spring is meant: see the module docstring."""
    position = _position_of(match)
    if year is not None:
        return span_in(year).day(position)
    candidates = [span_in(y) for y in range(today.year - 1, today.year + 3)]
    if match["qualifier"] == "next":
        return next(span for span in candidates if span.first > today).day(position)
    index = next(i for i, span in enumerate(candidates) if span.last >= today)
    chosen = candidates[index].day(position)
    if chosen >= today or (match["qualifier"] == "this" and position is not None):
        return chosen
    if position is None:
        return candidates[index].last  # we are inside the span: its end is still ahead
    return candidates[index + 1].day(position)


_SPAN_READERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]], ...] = (
    (_MONTH_FORM, _read_month_form),
    (_QUARTER_FORM, _read_quarter_form),
    (_SEASON_FORM, _read_season_form),
    (_YEAR_FORM, _read_year_form),
    (_RELATIVE_FORM, _read_relative_form),
)


# --- dateparser ----------------------------------------------------------------------


@lru_cache(maxsize=8)
def _parser_for(today: date, language: str) -> Any:
    """One parser per local day (its settings hold the day); parsing itself is well under 1 ms."""
    from dateparser.date import DateDataParser  # imported late: it loads language data

    return DateDataParser(
        languages=[language],
        settings={
            "RELATIVE_BASE": datetime.combine(today, time()),
            "PREFER_DATES_FROM": "future",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "DATE_ORDER": "DMY",
        },
    )


def _read_with_dateparser(text: str, today: date, language: str = "en") -> date | None:
    try:
        found = _parser_for(today, language).get_date_data(text).date_obj
    except (ValueError, OverflowError):  # dateparser can trip over odd numbers; not a date
        return None
    if not isinstance(found, datetime):
        return None
    return found.date()
