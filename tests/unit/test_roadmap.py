from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.roadmap import (
    FocusItem,
    MilestoneKind,
    Phase,
    Roadmap,
    apportion,
    build_roadmap,
    phase_plan,
)

START = date(2026, 11, 25)  # a Wednesday
SQL = FocusItem("sql", "SQL", "course", "Sign up for the SQL course", 3, 4.5)  # effort 13.5
PYTHON = FocusItem("python", "Python", "project", None, 5, 2.0)  # effort 10
STORY = FocusItem("story", "Storytelling", "mentor", "Ask Anna for coffee", 2, 3.0)  # effort 6
FOCUS = (STORY, PYTHON, SQL)


def roadmap(days: int, *, hours: int = 8, focus: tuple[FocusItem, ...] = FOCUS) -> Roadmap:
    return build_roadmap(
        start=START, deadline=START + timedelta(days=days), hours_per_week=hours, focus=focus
    )


def kinds(roadmap: Roadmap, index: int) -> list[str]:
    return [milestone.kind for milestone in roadmap.weeks[index].milestones]


def test_six_month_roadmap_has_four_phases_in_order() -> None:
    plan = roadmap(days=179)  # 2027-05-23
    assert len(plan.weeks) == 26
    assert plan.weeks[0].start == date(2026, 11, 23)
    assert plan.weeks[-1].start == date(2027, 5, 17)
    assert plan.phases == (Phase.LEARN, Phase.BUILD_PROOF, Phase.APPLY, Phase.INTERVIEW)
    counts = [sum(week.phase == phase for week in plan.weeks) for phase in Phase]
    assert counts == [13, 6, 4, 3]


def test_six_month_roadmap_learns_the_biggest_gap_first_and_longest() -> None:
    plan = roadmap(days=179)
    learn = [week for week in plan.weeks if week.phase == Phase.LEARN]
    owners = [week.milestones[-1].focus_key for week in learn]
    assert owners == ["sql"] * 6 + ["python"] * 4 + ["story"] * 3
    assert kinds(plan, 0) == ["first_step", "learn"]
    assert kinds(plan, 5) == ["practice"]  # the last week of an item's block
    assert kinds(plan, 6) == ["practice"]  # a project method practises from the start
    assert kinds(plan, 10) == ["first_step", "learn"]


def test_six_month_roadmap_later_phases_have_their_milestones() -> None:
    plan = roadmap(days=179)
    proof = [week for week in plan.weeks if week.phase == Phase.BUILD_PROOF]
    assert [week.milestones[0].focus_key for week in proof] == ["sql"] * 3 + ["python"] * 2 + [
        "story"
    ]
    assert all(kinds(plan, week.index) == ["build_proof"] for week in proof)
    apply_weeks = [week.index for week in plan.weeks if week.phase == Phase.APPLY]
    assert kinds(plan, apply_weeks[0]) == ["polish_cv", "apply", "network"]
    assert kinds(plan, apply_weeks[1]) == ["apply", "network"]
    assert kinds(plan, len(plan.weeks) - 1) == ["interview_prep", "apply"]


def test_phase_span_is_clipped_to_start_and_deadline() -> None:
    plan = roadmap(days=179)
    assert plan.phase_span(Phase.LEARN) == (START, date(2027, 2, 21))
    assert plan.phase_span(Phase.INTERVIEW) == (date(2027, 5, 3), date(2027, 5, 23))


def test_three_week_roadmap_drops_build_proof() -> None:
    plan = roadmap(days=14)  # Wed 25 Nov to Wed 9 Dec: three Monday weeks
    assert [week.phase for week in plan.weeks] == [Phase.LEARN, Phase.APPLY, Phase.INTERVIEW]
    assert plan.phase_span(Phase.BUILD_PROOF) is None
    assert kinds(plan, 0)[0] == "first_step"


def test_two_week_roadmap_is_learn_then_apply() -> None:
    plan = roadmap(days=7)
    assert [week.phase for week in plan.weeks] == [Phase.LEARN, Phase.APPLY]


def test_one_week_roadmap_applies_and_keeps_the_top_first_step() -> None:
    plan = roadmap(days=2)
    assert len(plan.weeks) == 1
    assert plan.weeks[0].phase == Phase.APPLY
    first = plan.weeks[0].milestones[0]
    assert (first.kind, first.focus_key) == (MilestoneKind.FIRST_STEP, "sql")


def test_roadmap_on_the_deadline_day_is_one_week() -> None:
    plan = build_roadmap(start=START, deadline=START, hours_per_week=5, focus=FOCUS)
    assert len(plan.weeks) == 1
    assert plan.weeks[0].hours == 1  # one day of a five-hour week


def test_no_focus_items_leaves_learn_weeks_open() -> None:
    plan = roadmap(days=179, focus=())
    learn = [week for week in plan.weeks if week.phase == Phase.LEARN]
    assert learn and all(week.open for week in learn)
    later = [week for week in plan.weeks if week.phase != Phase.LEARN]
    assert all(not week.open for week in later)
    proof = next(week for week in later if week.phase == Phase.BUILD_PROOF)
    assert proof.milestones[0].kind == MilestoneKind.BUILD_PROOF
    assert proof.milestones[0].focus_key is None


def test_tiny_hours_keep_only_the_first_milestones() -> None:
    plan = roadmap(days=179, hours=1)
    assert all(len(week.milestones) == 1 for week in plan.weeks)
    assert kinds(plan, 0) == ["first_step"]
    apply_week = next(week for week in plan.weeks if week.phase == Phase.APPLY)
    assert apply_week.milestones[0].kind == MilestoneKind.POLISH_CV


def test_full_weeks_use_exactly_the_hours_per_week() -> None:
    plan = roadmap(days=179, hours=10)
    assert all(week.hours == 10 for week in plan.weeks[1:-1])
    assert plan.weeks[0].hours == 7  # Wednesday to Sunday: 5 of 7 days


def test_more_items_than_learn_weeks_share_weeks() -> None:
    items = tuple(
        FocusItem(f"k{i}", f"Item {i}", "course", f"step {i}", 1 + i % 5, 3.0) for i in range(9)
    )
    plan = roadmap(days=50, focus=items, hours=40)  # 8 weeks, 4 of them learning
    learn = [week for week in plan.weeks if week.phase == Phase.LEARN]
    keys = {m.focus_key for week in learn for m in week.milestones if m.kind == "learn"}
    assert keys == {item.key for item in items}


def test_week_of_finds_the_week_or_none() -> None:
    plan = roadmap(days=179)
    assert plan.week_of(date(2026, 11, 23)) == plan.weeks[0]
    assert plan.week_of(date(2026, 12, 6)) == plan.weeks[1]
    assert plan.week_of(date(2027, 5, 23)) == plan.weeks[-1]
    assert plan.week_of(date(2026, 11, 22)) is None
    assert plan.week_of(date(2027, 5, 24)) is None


@pytest.mark.parametrize(
    ("deadline", "hours", "message"),
    [
        (START - timedelta(days=1), 5, "before"),
        (START, 0, "hours_per_week"),
        (START, 61, "hours_per_week"),
    ],
)
def test_invalid_input_is_refused(deadline: date, hours: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_roadmap(start=START, deadline=deadline, hours_per_week=hours, focus=())


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [(4, [1, 1, 1, 1]), (5, [2, 1, 1, 1]), (10, [5, 3, 1, 1]), (26, [13, 6, 4, 3])],
)
def test_phase_plan_splits_about_50_25_15_10(weeks: int, expected: list[int]) -> None:
    plan = phase_plan(weeks)
    assert [plan.count(phase) for phase in Phase] == expected


def test_apportion_gives_each_weight_at_least_one() -> None:
    assert apportion(5, [100.0, 1.0, 1.0]) == [3, 1, 1]
    assert apportion(3, [1.0, 1.0, 1.0]) == [1, 1, 1]
    with pytest.raises(ValueError, match="at least one"):
        apportion(2, [1.0, 1.0, 1.0])


# --- properties ----------------------------------------------------------------------

_focus_items = st.lists(
    st.builds(
        FocusItem,
        key=st.text(alphabet="abcdef", min_size=1, max_size=3),
        name=st.sampled_from(["SQL", "Python", "Stats", "Pitch"]),
        method=st.sampled_from(["course", "project", "certificate", "mentor", "other"]),
        first_step=st.one_of(st.none(), st.just(""), st.just("Do the first thing")),
        gap_size=st.integers(min_value=1, max_value=5),
        importance=st.floats(min_value=1.0, max_value=5.0),
    ),
    max_size=7,
)
_inputs = st.fixed_dictionaries(
    {
        "start": st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
        "length": st.integers(min_value=0, max_value=5 * 366),
        "hours_per_week": st.integers(min_value=1, max_value=60),
        "focus": _focus_items,
    }
)


def _build(spec: dict[str, object]) -> Roadmap:
    start = spec["start"]
    length = spec["length"]
    hours = spec["hours_per_week"]
    focus = spec["focus"]
    assert isinstance(start, date) and isinstance(length, int) and isinstance(hours, int)
    assert isinstance(focus, list)
    return build_roadmap(
        start=start, deadline=start + timedelta(days=length), hours_per_week=hours, focus=focus
    )


@settings(max_examples=60, deadline=None)
@given(spec=_inputs)
def test_weeks_cover_start_to_deadline_contiguously(spec: dict[str, object]) -> None:
    plan = _build(spec)
    first, last = plan.weeks[0], plan.weeks[-1]
    assert first.start <= plan.start < first.start + timedelta(days=7)
    assert last.start <= plan.deadline < last.start + timedelta(days=7)
    assert all(week.start.weekday() == 0 for week in plan.weeks)
    assert [week.index for week in plan.weeks] == list(range(len(plan.weeks)))
    assert all(b.start - a.start == timedelta(days=7) for a, b in pairwise(plan.weeks))


@settings(max_examples=60, deadline=None)
@given(spec=_inputs)
def test_no_week_is_over_capacity(spec: dict[str, object]) -> None:
    plan = _build(spec)
    for week in plan.weeks:
        assert week.hours <= plan.hours_per_week
        assert all(milestone.hours >= 1 for milestone in week.milestones)


@settings(max_examples=60, deadline=None)
@given(spec=_inputs)
def test_phases_never_go_back(spec: dict[str, object]) -> None:
    plan = _build(spec)
    assert all(a.phase <= b.phase for a, b in pairwise(plan.weeks))
    if len(plan.weeks) >= 4:
        assert plan.phases == tuple(Phase)


@settings(max_examples=40, deadline=None)
@given(spec=_inputs)
def test_building_twice_gives_the_same_roadmap(spec: dict[str, object]) -> None:
    assert _build(spec) == _build(spec)


@settings(max_examples=40, deadline=None)
@given(spec=_inputs)
def test_every_focus_item_is_learned_when_there_are_enough_weeks(spec: dict[str, object]) -> None:
    plan = _build(spec)
    focus = spec["focus"]
    assert isinstance(focus, list)
    learn_weeks = [week for week in plan.weeks if week.phase == Phase.LEARN]
    if len(learn_weeks) >= len(focus):
        planned = {m.focus_key for week in learn_weeks for m in week.milestones}
        assert planned == {item.key for item in focus}
