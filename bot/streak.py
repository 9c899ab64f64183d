"""Check-in streaks: consecutive answered weeks, counted back from the latest."""

from __future__ import annotations

from collections.abc import Iterable

ANSWERED = "answered"
OPEN = "open"


def checkin_streak(weeks: Iterable[tuple[str, str]]) -> int:
    """`weeks` are (period, state) pairs; an open week at the head does not break the run.

    Weeks with no check-in at all (reminders paused) neither break nor extend it.
    """
    ordered = sorted(weeks, reverse=True)
    streak = 0
    for index, (_period, state) in enumerate(ordered):
        if state == ANSWERED:
            streak += 1
        elif state == OPEN and index == 0:
            continue
        else:
            break
    return streak
