"""Where a user stands: check-ins, roadmap, applications — one snapshot from plain data (pure).

/progress, the chart, the two summary lines after a check-in and the retrospective all
read the same snapshot, so they never disagree. Inputs are protocols the storage rows
already satisfy; the result is numbers and codes — the words live in bot/texts/progress.py.

Counting rules worth knowing:

* Streak: consecutive answered weeks (see bot/streak.py). Weeks answered and missed count
  every stored week; a week still open is neither.
* Confidence: the last CONFIDENCE_WEEKS answered weeks with a confidence, oldest first.
  The trend compares the mean of the later half with the earlier half; a difference of
  TREND_STEP or more is a rise or a fall, anything smaller is steady.
* Funnel (applied → screening → interview → offer): an application counts at the
  furthest stage its history reached and at every stage before it — an interview means
  the CV got through the screen even without a recruiter call — so each stage's
  conversion rate (its count over the previous stage's) never exceeds 100 %. A rejection
  or "no answer" shows the application was sent; "saved" and "withdrawn" alone do not.
  Accepted counts as an offer.
* Milestones: done over planned, where a milestone moved to a later week counts once
  (its copy in the later week). Overdue: still planned in a week that has ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from bot.application_patterns import (
    ApplicationFacts,
    Patterns,
    ReflectionFacts,
    StageEvent,
    find_patterns,
)
from bot.application_status import Status
from bot.roadmap import Phase, monday_of
from bot.streak import checkin_streak

CONFIDENCE_WEEKS = 8
TREND_STEP = 0.5
ANSWERED, MISSED = "answered", "missed"  # check-in states (storage.models.CheckinState)
DONE, MOVED = "done", "moved"  # milestone states (storage.models.MilestoneState)

FUNNEL_STAGES = (Status.APPLIED, Status.SCREENING, Status.INTERVIEW, Status.OFFER)
# The furthest funnel stage (an index into FUNNEL_STAGES) each status proves was reached.
STAGE_INDEX: dict[str, int] = {
    Status.APPLIED: 0,
    Status.REJECTED: 0,
    Status.NO_ANSWER: 0,
    Status.SCREENING: 1,
    Status.INTERVIEW: 2,
    Status.OFFER: 3,
    Status.ACCEPTED: 3,
}
INTERVIEW_INDEX = FUNNEL_STAGES.index(Status.INTERVIEW)


class Trend(StrEnum):
    RISING = "rising"
    STEADY = "steady"
    FALLING = "falling"


class CheckinFacts(Protocol):
    @property
    def period(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def confidence(self) -> int | None: ...


class MilestoneFacts(Protocol):
    @property
    def week_start(self) -> date: ...

    @property
    def state(self) -> str: ...


@dataclass(frozen=True, slots=True)
class StageCount:
    """How many applications reached a stage, and what share of the stage before did."""

    status: Status
    count: int
    rate: float | None  # None for the first stage, or when the stage before is empty


@dataclass(frozen=True, slots=True)
class RoadmapProgress:
    done: int
    total: int
    overdue: int
    phase: Phase | None  # the phase of this week; None past the deadline
    deadline: date
    days_left: int  # negative once the deadline has passed


@dataclass(frozen=True, slots=True)
class ProgressSnapshot:
    today: date
    streak: int
    weeks_answered: int
    weeks_missed: int
    confidence: tuple[tuple[str, int], ...]  # (ISO week, 1–5), oldest first
    trend: Trend | None  # None with fewer than two answers
    roadmap: RoadmapProgress | None  # None before the first plan is built
    funnel: tuple[StageCount, ...]
    patterns: Patterns

    @property
    def applied(self) -> int:
        return self.funnel[0].count

    def reached(self, status: Status) -> int:
        """How many applications reached `status` (one of FUNNEL_STAGES)."""
        return self.funnel[FUNNEL_STAGES.index(status)].count

    @property
    def has_checkins(self) -> bool:
        return bool(self.weeks_answered or self.weeks_missed)

    @property
    def is_empty(self) -> bool:
        return not (self.has_checkins or self.roadmap or self.applied)


def furthest_stage(statuses: Iterable[str]) -> int | None:
    """The index in FUNNEL_STAGES of the furthest stage these statuses prove, if any."""
    reached = [STAGE_INDEX[status] for status in statuses if status in STAGE_INDEX]
    return max(reached) if reached else None


def application_stages(
    applications: Sequence[ApplicationFacts], events: Sequence[StageEvent]
) -> dict[int, int]:
    """The furthest funnel stage of each application that was sent, by application id."""
    statuses: dict[int, list[str]] = {app.id: [app.status] for app in applications}
    for event in events:
        if event.application_id in statuses:  # events of a deleted application are gone too
            statuses[event.application_id].append(event.status)
    stages = {app_id: furthest_stage(found) for app_id, found in statuses.items()}
    return {app_id: stage for app_id, stage in stages.items() if stage is not None}


def funnel(
    applications: Sequence[ApplicationFacts], events: Sequence[StageEvent]
) -> tuple[StageCount, ...]:
    """Applied → screening → interview → offer, each with its conversion from the one before."""
    furthest = list(application_stages(applications, events).values())
    counts = [sum(1 for stage in furthest if stage >= index) for index in range(len(FUNNEL_STAGES))]
    return tuple(
        StageCount(
            status=status,
            count=counts[index],
            rate=counts[index] / counts[index - 1] if index and counts[index - 1] else None,
        )
        for index, status in enumerate(FUNNEL_STAGES)
    )


def confidence_points(
    checkins: Iterable[CheckinFacts], limit: int = CONFIDENCE_WEEKS
) -> tuple[tuple[str, int], ...]:
    """The confidence of the last `limit` answered weeks, oldest first."""
    answered = sorted(
        (row.period, row.confidence)
        for row in checkins
        if row.state == ANSWERED and row.confidence is not None
    )
    return tuple((period, value) for period, value in answered[-limit:] if value is not None)


def confidence_trend(values: Sequence[int]) -> Trend | None:
    """Rising, steady or falling: the later half's mean against the earlier half's."""
    if len(values) < 2:
        return None
    half = len(values) // 2
    earlier, later = values[:half], values[-half:]
    change = sum(later) / len(later) - sum(earlier) / len(earlier)
    if change >= TREND_STEP:
        return Trend.RISING
    if change <= -TREND_STEP:
        return Trend.FALLING
    return Trend.STEADY


def roadmap_progress(
    milestones: Iterable[MilestoneFacts], *, deadline: date, today: date, phase: Phase | None
) -> RoadmapProgress:
    """Milestones done over planned (moved ones count once), overdue ones, days left."""
    counted = [row for row in milestones if row.state != MOVED]
    this_monday = monday_of(today)
    return RoadmapProgress(
        done=sum(1 for row in counted if row.state == DONE),
        total=len(counted),
        overdue=sum(
            1
            for row in counted
            if row.state != DONE and row.week_start + timedelta(days=7) <= this_monday
        ),
        phase=phase,
        deadline=deadline,
        days_left=(deadline - today).days,
    )


def build_snapshot(
    *,
    today: date,
    checkins: Sequence[CheckinFacts],
    milestones: Sequence[MilestoneFacts] = (),
    deadline: date | None = None,
    phase: Phase | None = None,
    applications: Sequence[ApplicationFacts] = (),
    events: Sequence[StageEvent] = (),
    reflections: Sequence[ReflectionFacts] = (),
) -> ProgressSnapshot:
    """Everything /progress shows, from the user's rows (`deadline` None: no roadmap yet)."""
    points = confidence_points(checkins)
    return ProgressSnapshot(
        today=today,
        streak=checkin_streak((row.period, row.state) for row in checkins),
        weeks_answered=sum(1 for row in checkins if row.state == ANSWERED),
        weeks_missed=sum(1 for row in checkins if row.state == MISSED),
        confidence=points,
        trend=confidence_trend([value for _period, value in points]),
        roadmap=(
            roadmap_progress(milestones, deadline=deadline, today=today, phase=phase)
            if deadline is not None
            else None
        ),
        funnel=funnel(applications, events),
        patterns=find_patterns(applications, events, reflections),
    )
