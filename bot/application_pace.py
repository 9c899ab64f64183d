"""The caring check on application pace (pure): many applications in a week and not one
answer usually means the aim or the CV needs a look, not more applications."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.application_status import AWAITING_ANSWER, Status

PACE_LIMIT = 15  # more than this many applications in the window …
PACE_WINDOW = timedelta(days=7)  # … applied within the last seven days (today included) …
PACE_REPEAT_AFTER = timedelta(days=7)  # … and the note is not repeated within a week


@dataclass(frozen=True, slots=True)
class Logged:
    """One logged application: the day the user applied and where it stands now."""

    applied_on: date
    status: Status


def window_start(today: date) -> date:
    """The first day of the seven-day window that ends today."""
    return today - PACE_WINDOW + timedelta(days=1)


def recent(logged: Iterable[Logged], *, today: date) -> list[Logged]:
    """The applications sent in the seven days ending today."""
    first_day = window_start(today)
    return [item for item in logged if first_day <= item.applied_on <= today]


def pace_note_due(logged: Iterable[Logged], *, today: date, last_noted: date | None) -> bool:
    """True when more than PACE_LIMIT applications went out in the last seven days, none has
    had an answer yet, and the note was not given in the past week."""
    if last_noted is not None and today - last_noted < PACE_REPEAT_AFTER:
        return False
    sent = recent(logged, today=today)
    return len(sent) > PACE_LIMIT and all(item.status in AWAITING_ANSWER for item in sent)
