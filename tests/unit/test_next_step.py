"""Choosing the single best next step."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.next_step import JourneySnapshot, NextStep, choose_next_step, journey_set_up

TODAY = date(2026, 11, 23)
SET_UP = JourneySnapshot(
    today=TODAY,
    has_timezone=True,
    completed=frozenset({"why", "target", "gaps", "plan"}),
    deadline=date(2027, 5, 23),
)


def test_next_step_without_time_zone_is_start() -> None:
    assert choose_next_step(replace(SET_UP, has_timezone=False)) is NextStep.START


@pytest.mark.parametrize(
    ("completed", "expected"),
    [
        (set(), NextStep.WHY),
        ({"why"}, NextStep.TARGET),
        ({"why", "target"}, NextStep.GAPS),
        ({"why", "target", "gaps"}, NextStep.PLAN),
        ({"target", "gaps", "plan"}, NextStep.WHY),
    ],
)
def test_next_step_follows_the_method_in_order(completed: set[str], expected: NextStep) -> None:
    assert choose_next_step(replace(SET_UP, completed=frozenset(completed))) is expected


def test_next_step_after_the_deadline_is_replan() -> None:
    assert choose_next_step(replace(SET_UP, deadline=TODAY)) is NextStep.REPLAN
    assert choose_next_step(replace(SET_UP, deadline=None)) is NextStep.REPLAN


def test_next_step_due_target_test_comes_before_the_team() -> None:
    snapshot = replace(SET_UP, target_action_due=TODAY)
    assert choose_next_step(snapshot) is NextStep.TEST_TARGET
    assert choose_next_step(replace(snapshot, target_action_due=date(2026, 12, 1))) is NextStep.TEAM


def test_next_step_once_set_up_goes_checkin_then_milestones_then_pitch() -> None:
    with_team = replace(SET_UP, completed=SET_UP.completed | {"team"})
    assert choose_next_step(replace(with_team, checkin_open_this_week=True)) is NextStep.CHECKIN
    assert choose_next_step(replace(with_team, milestones_this_week=2)) is NextStep.MILESTONES
    assert choose_next_step(with_team) is NextStep.PITCH
    everything = replace(with_team, completed=with_team.completed | {"pitch"})
    assert choose_next_step(everything) is NextStep.KEEP_GOING


def test_journey_set_up_needs_the_four_foundation_steps() -> None:
    assert journey_set_up(SET_UP)
    assert not journey_set_up(replace(SET_UP, completed=frozenset({"why", "target", "gaps"})))
