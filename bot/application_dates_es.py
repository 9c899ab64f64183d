"""Spanish dates and times inside a job-application message ("ayer", "hace 3 días", "el
próximo martes", "el 2 de diciembre", "a las 10", "7 de la tarde"), found by pattern like
the English ones in `bot.application_dates`, whose resolution rules they share: each
mention carries an English phrase for dateparser, or a calendar day.

Patterns run on a folded copy (`bot.spanish_dates.fold`: lower case, no accents, same
length), so "mañana" and "manana" are one word and positions point into the message.

Choices: "el próximo martes" / "el martes que viene" is the coming Tuesday (a date ahead);
"el martes de la semana que viene" is the Tuesday of next calendar week; "mañana" is a
day unless it is a time of day ("esta mañana" is today, "por/de la mañana" is no date).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time

from bot.date_mentions import DateMention, TimeMention
from bot.spanish_dates import MONTHS, NUMBERS, WEEKDAY_NAMES_EN, WEEKDAYS, fold

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_MONTHS = "|".join(name for name in MONTHS if len(name) > 4 or name == "mayo")
_WEEKDAY_ALT = "|".join(WEEKDAYS)
_NUMBER_ALT = r"\d{1,2}|" + "|".join(
    sorted((re.escape(w).replace(r"\ ", r"\s+") for w in NUMBERS), key=len, reverse=True)
)
# "para el viernes", "antes del 3 de diciembre", "hasta el lunes": a date ahead.
_LEAD = r"(?P<lead>(?:para|antes\s+del?|hasta)\s+)?"
_SILENCE = re.compile(r"\b(?:noticias|respuesta|nada|silencio|contestan|contestado|responden)\b")

_RELATIVE = re.compile(
    _LEAD + r"\b(?P<word>pasado\s+manana|antes\s+de\s+ayer|anteayer|antier|anoche|ayer|hoy|"
    r"esta\s+(?:manana|tarde|noche)|(?<!la\s)(?<!esta\s)manana)\b"
    r"(?:\s+(?:por\s+la\s+)?(?:manana|tarde|noche))?"
)
_RELATIVE_PHRASES = {
    "pasado manana": "day after tomorrow",
    "antes de ayer": "day before yesterday",
    "anteayer": "day before yesterday",
    "antier": "day before yesterday",
    "anoche": "yesterday",
    "ayer": "yesterday",
    "hoy": "today",
    "manana": "tomorrow",
}
_AGO = re.compile(r"\bhace\s+(?P<number>" + _NUMBER_ALT + r")\s+(?P<unit>dias?|semanas?)\b")
_IN = re.compile(
    r"\b(?:en|dentro\s+de)\s+(?P<number>" + _NUMBER_ALT + r")\s+(?P<unit>dias?|semanas?)\b"
)
_WEEKDAY = re.compile(
    _LEAD + r"(?:(?P<article>el|este)\s+)?(?P<before>(?:proximo|pasado)\s+)?"
    r"\b(?P<weekday>" + _WEEKDAY_ALT + r")\b"
    r"(?P<after>\s+(?:que\s+viene|proximo|pasado|de\s+la\s+(?:semana\s+que\s+viene|proxima\s+semana)))?"
    r"(?:,?\s+(?:dia\s+)?(?P<day>\d{1,2})\b(?!\s*(?:de\s+)?(?:" + _MONTH_ALT + r")\b|[:.h]\d))?"
)
_DAY_MONTH = re.compile(
    _LEAD + r"\b(?:el\s+)?(?:dia\s+)?(?P<day>\d{1,2})(?:\s+de\s+|\s*-\s*|\s+)"
    r"(?P<month>" + _MONTH_ALT + r")\b\.?(?:\s+(?:de|del)?\s*(?P<year>(?:19|20)\d{2})\b)?"
)
_DAY_ONLY = re.compile(
    _LEAD + r"\bel\s+(?:dia\s+)?(?P<day>\d{1,2})\b(?=\s*(?:$|[,.!?;]|a\s+las?\b|por\s+la\b|y\b))"
)
_VAGUE = re.compile(
    r"\b(?:(?:la|el|esta|este)\s+(?:semana|mes|ano|fin\s+de\s+semana)"
    r"(?:\s+(?:pasad[oa]|que\s+viene|proxim[oa]))?"
    r"|(?:la|el)\s+(?:proxim[oa]|pasad[oa])\s+(?:semana|mes|ano)"
    r"|hace\s+(?:unos|unas|algunos|algunas|varios|varias|poco|tiempo|mucho)"
    r"(?:\s+(?:dias|semanas|meses))?"
    r"|recientemente|el\s+otro\s+dia"
    r"|(?:desde\s+hace|durante|en)\s+(?:" + _NUMBER_ALT + r"|unos|unas|varios|varias)"
    r"\s+(?:meses|mes)"
    r"|desde\s+hace\s+(?:" + _NUMBER_ALT + r"|unos|unas|varios|varias)\s+(?:dias?|semanas?)"
    r"|(?:en|desde|a\s+(?:principios|finales|mediados)\s+de)\s+(?:" + _FULL_MONTHS + r"))\b"
)


def _count(number: str) -> int:
    squashed = " ".join(number.split())
    return int(squashed) if squashed.isdigit() else NUMBERS[squashed]


def _unit(word: str) -> str:
    return "weeks" if word.startswith("s") else "days"


def _find_relative(text: str) -> list[DateMention]:
    found = []
    for match in _RELATIVE.finditer(text):
        word = " ".join(match["word"].split())
        phrase = "today" if word.startswith("esta ") else _RELATIVE_PHRASES[word]
        found.append(DateMention(match.start(), match.end(), phrase, bool(match["lead"])))
    for match in _AGO.finditer(text):
        count = _count(match["number"])
        found.append(DateMention(match.start(), match.end(), f"{count} {_unit(match['unit'])} ago"))
    for match in _IN.finditer(text):
        sentence_so_far = re.split(r"[.!?\n]", text[: match.start()])[-1]
        if _SILENCE.search(sentence_so_far):
            found.append(DateMention(match.start(), match.end(), None))  # a duration
            continue
        count = _count(match["number"])
        phrase = f"in {count} {_unit(match['unit'])}"
        found.append(DateMention(match.start(), match.end(), phrase, True))
    return found


def _find_weekday(text: str) -> list[DateMention]:
    found = []
    for match in _WEEKDAY.finditer(text):
        weekday = WEEKDAYS[match["weekday"]]
        qualifier = " ".join(((match["before"] or "") + (match["after"] or "")).split())
        ahead = bool(match["lead"])
        if match["day"] and 1 <= int(match["day"]) <= 31:
            found.append(DateMention(match.start(), match.end(), "", ahead, int(match["day"])))
        elif "semana" in qualifier:
            found.append(DateMention(match.start(), match.end(), "", True, next_week=weekday))
        elif "proximo" in qualifier or "que viene" in qualifier:
            name = WEEKDAY_NAMES_EN[weekday]
            found.append(DateMention(match.start(), match.end(), name, True, weekday=True))
        else:
            name = WEEKDAY_NAMES_EN[weekday]
            if "pasado" in qualifier:
                name = f"last {name}"
            elif match["article"] == "este":
                name = f"this {name}"
            found.append(DateMention(match.start(), match.end(), name, ahead, weekday=True))
    return found


def _find_day_month(text: str) -> list[DateMention]:
    found = []
    for match in _DAY_MONTH.finditer(text):
        day = int(match["day"])
        if 1 <= day <= 31:
            year = int(match["year"]) if match["year"] else None
            month = MONTHS[match["month"]]
            ahead = bool(match["lead"])
            found.append(DateMention(match.start(), match.end(), "", ahead, day, month, year))
    return found


def _find_day_only(text: str) -> list[DateMention]:
    return [
        DateMention(m.start(), m.end(), "", bool(m["lead"]), int(m["day"]))
        for m in _DAY_ONLY.finditer(text)
        if 1 <= int(m["day"]) <= 31
    ]


def _find_vague(text: str) -> list[DateMention]:
    return [DateMention(m.start(), m.end(), None) for m in _VAGUE.finditer(text)]


# In the order `bot.application_dates.find_dates` tries them, on the folded text: the more
# specific first ("el martes de la semana que viene" is a day, not "la semana que viene").
SPANISH_DATE_FINDERS: tuple[Callable[[str], list[DateMention]], ...] = (
    _find_day_month,
    _find_weekday,
    _find_vague,
    _find_relative,
    _find_day_only,
)


# --- times ------------------------------------------------------------------------------

_CLOCK = re.compile(
    r"\b(?:a|sobre|hacia)\s+las?\s+(?P<hour>\d{1,2})(?![\d/])(?:[:.](?P<minute>[0-5]\d))?"
    r"\s*(?:h\b|hs\b|horas\b)?"
    r"(?:\s+(?:de|por)\s+la\s+(?P<part>manana|tarde|noche|madrugada))?"
)
_PART_OF_DAY = re.compile(
    r"\b(?P<hour>\d{1,2})\s+(?:de|por)\s+la\s+(?P<part>manana|tarde|noche|madrugada)\b"
)
_NOON = re.compile(r"\b(?:a|al)\s+mediodia\b")
# "a las 3" for a meeting means 3 pm: nobody is interviewed at 3 in the morning.
_EARLIEST_MORNING_HOUR = 8


def _clock(hour: int, minute: int, part: str | None, *, bare: bool) -> time | None:
    afternoon = part in ("tarde", "noche") and 1 <= hour <= 11
    meeting_hour = part is None and bare and 1 <= hour < _EARLIEST_MORNING_HOUR
    if afternoon or meeting_hour:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def find_times_es(text: str) -> list[TimeMention]:
    """Clock times in Spanish ("a las 10", "a las 14:30h", "7 de la tarde", "al mediodía")."""
    folded = fold(text)
    found = []
    for match in _CLOCK.finditer(folded):
        minute = int(match["minute"] or 0)
        value = _clock(int(match["hour"]), minute, match["part"], bare=not match["minute"])
        if value is not None:
            found.append(TimeMention(match.start(), match.end(), value))
    for match in _PART_OF_DAY.finditer(folded):
        value = _clock(int(match["hour"]), 0, match["part"], bare=False)
        if value is not None:
            found.append(TimeMention(match.start(), match.end(), value))
    for match in _NOON.finditer(folded):
        found.append(TimeMention(match.start(), match.end(), time(12)))
    return found
