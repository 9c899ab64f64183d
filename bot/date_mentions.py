"""What the date and time finders of an application message return (pure data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date phrase at [start, end) of the text. `phrase` is what dateparser reads (always
    English, whatever the message's language); a mention with `day` set is an absolute
    calendar date resolved here instead."""

    start: int
    end: int
    phrase: str | None  # None: vague, no date
    ahead: bool = False  # "by/due/until": a deadline, so a future date
    day: int | None = None
    month: int | None = None
    year: int | None = None
    next_week: int | None = None  # "next <weekday>": that weekday (0 = Monday) next week
    weekday: bool = False  # a weekday name: "Friday, 27 November" keeps only the date


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int
    end: int
    value: time
