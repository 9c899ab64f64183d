"""The progress snapshot: streak, weeks, confidence trend, funnel, milestones, deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from bot.application_patterns import RejectionStage
from bot.application_status import Status
from bot.progress import (
    CONFIDENCE_WEEKS,
    FUNNEL_STAGES,
    Trend,
    build_snapshot,
    confidence_trend,
    funnel,
)
from bot.roadmap import Phase

TODAY = date(2026, 11, 25)  # a Wednesday; its week starts on Monday 23 November
THIS_MONDAY = date(2026, 11, 23)


@dataclass(frozen=True)
class Week:
    period: str
    state: str
    confidence: int | None = None


@dataclass(frozen=True)
class App:
    id: int
    status: str


@dataclass(frozen=True)
class Event:
    application_id: int
    status: str
    happened_on: date


@dataclass(frozen=True)
class Step:
    week_start: date
    state: str


def _path(app_id: int, *statuses: str) -> tuple[App, list[Event]]:
    """An application that went through `statuses`, one a week, and stands at the last."""
    events = [
        Event(app_id, s, date(2026, 10, 1) + timedelta(days=7 * i)) for i, s in enumerate(statuses)
    ]
    return App(app_id, statuses[-1]), events


def _apps(*paths: tuple[str, ...]) -> tuple[list[App], list[Event]]:
    apps: list[App] = []
    events: list[Event] = []
    for app_id, statuses in enumerate(paths, 1):
        app, history = _path(app_id, *statuses)
        apps.append(app)
        events += history
    return apps, events


def test_snapshot_of_nothing_is_empty() -> None:
    snapshot = build_snapshot(today=TODAY, checkins=[])
    assert snapshot.is_empty
    assert (snapshot.streak, snapshot.weeks_answered, snapshot.weeks_missed) == (0, 0, 0)
    assert snapshot.confidence == ()
    assert snapshot.trend is None
    assert snapshot.roadmap is None
    assert [stage.count for stage in snapshot.funnel] == [0, 0, 0, 0]
    assert all(stage.rate is None for stage in snapshot.funnel)
    assert snapshot.patterns.is_empty


def test_streak_counts_back_from_the_latest_answer_and_an_open_week_does_not_break_it() -> None:
    weeks = [
        Week("2026-W40", "answered", 3),
        Week("2026-W41", "missed"),
        Week("2026-W42", "answered", 3),
        Week("2026-W43", "answered", 4),
        Week("2026-W44", "answered", 4),
        Week("2026-W45", "open"),  # this week, not answered yet
    ]
    snapshot = build_snapshot(today=TODAY, checkins=weeks)
    assert snapshot.streak == 3
    assert (snapshot.weeks_answered, snapshot.weeks_missed) == (4, 1)
    assert not snapshot.is_empty


def test_confidence_keeps_the_last_eight_answered_weeks_oldest_first() -> None:
    weeks = [Week(f"2026-W{n:02d}", "answered", 1 + n % 5) for n in range(30, 42)]
    weeks.append(Week("2026-W42", "missed"))
    weeks.reverse()  # the repository hands them newest first
    snapshot = build_snapshot(today=TODAY, checkins=weeks)
    assert len(snapshot.confidence) == CONFIDENCE_WEEKS
    assert snapshot.confidence[0][0] == "2026-W34"
    assert snapshot.confidence[-1] == ("2026-W41", 2)


@pytest.mark.parametrize(
    ("values", "trend"),
    [
        ([3], None),
        ([2, 4], Trend.RISING),
        ([4, 4, 3, 2], Trend.FALLING),
        ([3, 4, 4, 3], Trend.STEADY),
        ([2, 3, 3, 3, 4, 4, 5, 4], Trend.RISING),
        ([5, 5, 4, 4, 4, 3, 3, 3], Trend.FALLING),
    ],
)
def test_confidence_trend_compares_the_later_half_with_the_earlier(
    values: list[int], trend: Trend | None
) -> None:
    assert confidence_trend(values) == trend


def test_funnel_counts_each_application_at_every_stage_it_reached() -> None:
    apps, events = _apps(
        ("applied",),
        ("applied", "no_answer"),
        ("applied", "rejected"),  # rejected on the CV: counts as applied only
        ("applied", "screening", "rejected"),  # current status rejected, reached screening
        ("applied", "screening", "interview", "interview", "rejected"),
        ("applied", "interview", "offer", "accepted"),  # no screen: the interview proves it
        ("saved",),  # never sent: not in the funnel
        ("saved", "withdrawn"),
    )
    stages = funnel(apps, events)
    assert [stage.status for stage in stages] == list(FUNNEL_STAGES)
    assert [stage.count for stage in stages] == [6, 3, 2, 1]
    assert stages[0].rate is None
    assert stages[1].rate == pytest.approx(3 / 6)
    assert stages[2].rate == pytest.approx(2 / 3)
    assert stages[3].rate == pytest.approx(1 / 2)


def test_funnel_reads_the_history_not_only_the_current_status() -> None:
    # Logged straight at the interview (no "applied" event): still sent, screened, interviewed.
    apps = [App(1, "rejected")]
    events = [
        Event(1, "interview", date(2026, 10, 1)),
        Event(1, "rejected", date(2026, 10, 9)),
    ]
    assert [stage.count for stage in funnel(apps, events)] == [1, 1, 1, 0]


def test_funnel_rate_after_an_empty_stage_is_none_not_a_division_by_zero() -> None:
    apps, events = _apps(("applied",), ("applied",))
    stages = funnel(apps, events)
    assert [stage.count for stage in stages] == [2, 0, 0, 0]
    assert stages[1].rate == 0.0
    assert stages[2].rate is None
    assert stages[3].rate is None


def test_rejections_by_stage_and_advice_come_from_the_patterns() -> None:
    apps, events = _apps(
        ("applied", "rejected"),
        ("applied", "rejected"),
        ("applied", "rejected"),
        ("applied", "screening", "rejected"),
    )
    patterns = build_snapshot(today=TODAY, checkins=[], applications=apps, events=events).patterns
    assert patterns.rejections == 4
    assert patterns.rejections_by_stage[RejectionStage.NO_CALLBACK] == 3
    assert patterns.rejections_by_stage[RejectionStage.SCREENING] == 1
    assert [advice.suggestion.value for advice in patterns.advice] == ["review_cv"]


def test_milestones_done_over_planned_count_a_moved_one_once_and_name_the_overdue() -> None:
    milestones = [
        Step(THIS_MONDAY - timedelta(weeks=3), "done"),
        Step(THIS_MONDAY - timedelta(weeks=2), "moved"),  # carried into last week …
        Step(THIS_MONDAY - timedelta(weeks=1), "planned"),  # … where it is still open
        Step(THIS_MONDAY - timedelta(weeks=1), "done"),
        Step(THIS_MONDAY, "planned"),  # this week: not overdue yet
        Step(THIS_MONDAY + timedelta(weeks=1), "planned"),
    ]
    snapshot = build_snapshot(
        today=TODAY,
        checkins=[],
        milestones=milestones,
        deadline=date(2027, 1, 2),
        phase=Phase.BUILD_PROOF,
    )
    roadmap = snapshot.roadmap
    assert roadmap is not None
    assert (roadmap.done, roadmap.total, roadmap.overdue) == (2, 5, 1)
    assert roadmap.phase is Phase.BUILD_PROOF
    assert roadmap.days_left == 38
    assert not snapshot.is_empty


@pytest.mark.parametrize(("deadline", "days"), [(TODAY, 0), (TODAY - timedelta(days=3), -3)])
def test_days_to_the_deadline_reach_zero_and_go_negative_once_passed(
    deadline: date, days: int
) -> None:
    snapshot = build_snapshot(today=TODAY, checkins=[], deadline=deadline)
    assert snapshot.roadmap is not None
    assert snapshot.roadmap.days_left == days
    assert (snapshot.roadmap.done, snapshot.roadmap.total) == (0, 0)


def test_reached_names_a_stage_by_its_status() -> None:
    apps, events = _apps(("applied", "screening"), ("applied",))
    snapshot = build_snapshot(today=TODAY, checkins=[], applications=apps, events=events)
    assert snapshot.applied == 2
    assert snapshot.reached(Status.SCREENING) == 1
    assert snapshot.reached(Status.OFFER) == 0
