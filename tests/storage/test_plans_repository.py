"""The plan and milestone repositories, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import create_engine, create_session_factory
from storage.models import GapItem, MilestoneState
from storage.repositories.plans import (
    FocusGap,
    MilestoneRepository,
    NewMilestone,
    PlanRepository,
)
from storage.repositories.users import UserRepository

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 16)
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    async with sessions.begin() as session:
        for user_id in (1, 2):
            await UserRepository(session).ensure(user_id=user_id, first_name=f"User{user_id}")
    yield sessions
    await engine.dispose()


def _milestone(week: int, kind: str = "learn", focus: str | None = "sql") -> NewMilestone:
    return NewMilestone(
        week_start=MONDAY + timedelta(weeks=week),
        phase=1,
        kind=kind,
        focus_key=focus,
        focus_name=focus.upper() if focus else None,
        hours=3,
    )


async def test_plan_answers_are_saved_one_by_one_and_overwritten(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        plans = PlanRepository(session)
        await plans.save_deadline(
            user_id=1, deadline=date(2027, 5, 22), text="in 6 months", now=NOW
        )
        await plans.save_hours(user_id=1, hours=5, now=NOW)
    async with sessions.begin() as session:
        await PlanRepository(session).save_hours(user_id=1, hours=8, now=NOW)
    async with sessions() as session:
        plan = await PlanRepository(session).get(user_id=1)
        assert await PlanRepository(session).get(user_id=2) is None
    assert plan is not None
    assert (plan.deadline, plan.deadline_text, plan.hours_per_week) == (
        date(2027, 5, 22),
        "in 6 months",
        8,
    )
    assert plan.built_at is None


async def test_plan_mark_built_keeps_the_answers(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        plans = PlanRepository(session)
        await plans.save_hours(user_id=1, hours=5, now=NOW)
        await plans.mark_built(user_id=1, now=NOW)
    async with sessions() as session:
        plan = await PlanRepository(session).get(user_id=1)
    assert plan is not None
    assert (plan.hours_per_week, plan.built_at) == (5, NOW)


async def test_sync_focus_keeps_choices_of_gaps_that_stay_and_drops_the_rest(
    sessions: Sessions,
) -> None:
    async with sessions.begin() as session:
        plans = PlanRepository(session)
        await plans.sync_focus(
            user_id=1, gaps=[FocusGap("sql", "SQL"), FocusGap("stats", "Statistics")], now=NOW
        )
        assert await plans.save_method(user_id=1, gap_key="sql", method="course", now=NOW)
        assert await plans.save_first_step(
            user_id=1, gap_key="sql", first_step="Enrol <today>", now=NOW
        )
        await plans.save_method(user_id=1, gap_key="stats", method="project", now=NOW)
    async with sessions.begin() as session:
        focus = await PlanRepository(session).sync_focus(
            user_id=1,
            gaps=[FocusGap("python", "Python"), FocusGap("sql", "SQL (advanced)")],
            now=NOW,
        )
    assert [(f.gap_key, f.name, f.position) for f in focus] == [
        ("python", "Python", 0),
        ("sql", "SQL (advanced)", 1),
    ]
    assert (focus[0].method, focus[0].first_step) == (None, None)
    assert (focus[1].method, focus[1].first_step) == ("course", "Enrol <today>")


async def test_focus_answers_for_a_gap_outside_the_plan_are_refused(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        plans = PlanRepository(session)
        assert not await plans.save_method(user_id=1, gap_key="nope", method="course", now=NOW)
        await plans.sync_focus(user_id=2, gaps=[FocusGap("sql", "SQL")], now=NOW)
        assert not await plans.save_first_step(user_id=1, gap_key="sql", first_step="x", now=NOW)
    async with sessions() as session:
        assert await PlanRepository(session).focus(user_id=1) == []


async def test_assessed_gaps_skip_items_without_both_levels(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        for position, (key, required, current) in enumerate(
            [("sql", 4, 1), ("excel", None, 2), ("stats", 3, None), ("python", 3, 3)]
        ):
            session.add(
                GapItem(
                    user_id=1,
                    key=key,
                    name=key.title(),
                    area="technical",
                    source="own",
                    required_level=required,
                    current_level=current,
                    position=position,
                )
            )
        session.add(
            GapItem(
                user_id=2,
                key="sql",
                name="SQL",
                area="technical",
                source="own",
                required_level=5,
                current_level=0,
            )
        )
    async with sessions() as session:
        gaps = await PlanRepository(session).assessed_gaps(user_id=1)
    assert [gap.key for gap in gaps] == ["sql", "python"]


async def test_replace_planned_keeps_done_milestones_and_does_not_duplicate_them(
    sessions: Sessions,
) -> None:
    async with sessions.begin() as session:
        rows = await MilestoneRepository(session).replace_planned(
            user_id=1, milestones=[_milestone(0, "first_step"), _milestone(0), _milestone(1)]
        )
        first_step = rows[0]
        assert await MilestoneRepository(session).mark_done(
            user_id=1, milestone_id=first_step.id, now=NOW
        )
    async with sessions.begin() as session:
        rows = await MilestoneRepository(session).replace_planned(
            user_id=1,
            milestones=[_milestone(0, "first_step"), _milestone(0, "practice"), _milestone(2)],
        )
    assert [(r.week_start, r.kind, r.state) for r in rows] == [
        (MONDAY, "first_step", MilestoneState.DONE),
        (MONDAY, "practice", MilestoneState.PLANNED),
        (MONDAY + timedelta(weeks=2), "learn", MilestoneState.PLANNED),
    ]
    assert rows[0].id == first_step.id
    assert rows[0].done_at == NOW


async def test_replace_planned_without_keep_done_starts_over(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        milestones = MilestoneRepository(session)
        rows = await milestones.replace_planned(user_id=1, milestones=[_milestone(0)])
        await milestones.mark_done(user_id=1, milestone_id=rows[0].id, now=NOW)
        rows = await milestones.replace_planned(
            user_id=1, milestones=[_milestone(0)], keep_done=False
        )
    assert [(r.kind, r.state) for r in rows] == [("learn", MilestoneState.PLANNED)]


async def test_replace_planned_leaves_other_users_alone(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        milestones = MilestoneRepository(session)
        await milestones.replace_planned(user_id=2, milestones=[_milestone(0), _milestone(1)])
        await milestones.replace_planned(user_id=1, milestones=[_milestone(3, focus=None)])
        await milestones.replace_planned(user_id=1, milestones=[], keep_done=False)
    async with sessions() as session:
        assert len(await MilestoneRepository(session).for_user(user_id=2)) == 2
        assert await MilestoneRepository(session).for_user(user_id=1) == []


async def test_milestones_for_week_returns_only_that_week_of_that_user(
    sessions: Sessions,
) -> None:
    async with sessions.begin() as session:
        milestones = MilestoneRepository(session)
        await milestones.replace_planned(
            user_id=1, milestones=[_milestone(0, "first_step"), _milestone(0), _milestone(1)]
        )
        await milestones.replace_planned(user_id=2, milestones=[_milestone(0)])
    async with sessions() as session:
        week = await MilestoneRepository(session).milestones_for_week(user_id=1, week_start=MONDAY)
        empty = await MilestoneRepository(session).milestones_for_week(
            user_id=1, week_start=MONDAY + timedelta(weeks=5)
        )
    assert [m.kind for m in week] == ["first_step", "learn"]
    assert {m.user_id for m in week} == {1}
    assert empty == []


async def test_mark_done_refuses_another_users_milestone_and_keeps_the_first_time(
    sessions: Sessions,
) -> None:
    async with sessions.begin() as session:
        milestones = MilestoneRepository(session)
        (row,) = await milestones.replace_planned(user_id=2, milestones=[_milestone(0)])
        assert not await milestones.mark_done(user_id=1, milestone_id=row.id, now=NOW)
        assert not await milestones.mark_done(user_id=2, milestone_id=row.id + 999, now=NOW)
        assert await milestones.mark_done(user_id=2, milestone_id=row.id, now=NOW)
        later = NOW + timedelta(days=1)
        assert await milestones.mark_done(user_id=2, milestone_id=row.id, now=later)
    async with sessions() as session:
        (stored,) = await MilestoneRepository(session).for_user(user_id=2)
    assert (stored.state, stored.done_at) == (MilestoneState.DONE, NOW)
