"""Choose the single best next step of the coaching journey (pure; no Telegram, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class NextStep(StrEnum):
    START = "start"  # no time zone yet: reminders would come at odd hours
    WHY = "why"
    TARGET = "target"
    TEST_TARGET = "test_target"  # the target's uncertainty test is due
    GAPS = "gaps"
    PLAN = "plan"
    REPLAN = "replan"  # the deadline has passed
    TEAM = "team"
    MILESTONES = "milestones"  # this week's roadmap work
    PITCH = "pitch"
    CHECKIN = "checkin"  # this week's check-in is still open
    KEEP_GOING = "keep_going"


@dataclass(frozen=True, slots=True)
class JourneySnapshot:
    """What /next needs to know about where the user stands."""

    today: date
    has_timezone: bool
    completed: frozenset[str]
    target_action_due: date | None = None
    deadline: date | None = None
    milestones_this_week: int = 0  # planned, not yet done
    checkin_open_this_week: bool = False


# The journey in the order the method walks it; the first unfinished step comes next.
_FOUNDATION = (
    ("why", NextStep.WHY),
    ("target", NextStep.TARGET),
    ("gaps", NextStep.GAPS),
    ("plan", NextStep.PLAN),
)


def choose_next_step(snapshot: JourneySnapshot) -> NextStep:
    if not snapshot.has_timezone:
        return NextStep.START
    for step, choice in _FOUNDATION:
        if step not in snapshot.completed:
            return choice
    if snapshot.deadline is None or snapshot.deadline <= snapshot.today:
        return NextStep.REPLAN
    if snapshot.target_action_due is not None and snapshot.target_action_due <= snapshot.today:
        return NextStep.TEST_TARGET
    if "team" not in snapshot.completed:
        return NextStep.TEAM
    if snapshot.checkin_open_this_week:
        return NextStep.CHECKIN
    if snapshot.milestones_this_week:
        return NextStep.MILESTONES
    if "pitch" not in snapshot.completed:
        return NextStep.PITCH
    return NextStep.KEEP_GOING


def journey_set_up(snapshot: JourneySnapshot) -> bool:
    """The foundation is laid: from here on, /next also says when the next check-in is."""
    return all(step in snapshot.completed for step, _choice in _FOUNDATION)
