"""The weekly check-in shows last week's roadmap, ticks milestones off and carries the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from storage.models import Milestone, MilestoneState, Plan, PlanFocus
from tests.harness import BotHarness, ChatUser

LAST_WEEK = date(2026, 11, 16)
THIS_WEEK = date(2026, 11, 23)
MONDAY_9_PARIS = datetime(2026, 11, 23, 8, 0, 5, tzinfo=UTC)


async def _plan_with_milestones(harness: BotHarness, user: ChatUser) -> None:
    assert harness.application is not None
    async with harness.application.services.sessions.begin() as session:
        session.add(
            Plan(
                user_id=user.user_id,
                deadline=date(2027, 5, 23),
                hours_per_week=5,
                built_at=datetime(2026, 11, 16, 9, 0, tzinfo=UTC),
            )
        )
        session.add(
            PlanFocus(
                user_id=user.user_id,
                gap_key="sql",
                name="SQL <joins>",
                method="course",
                first_step="Enrol in the SQL course",
            )
        )
        for kind, week in (("first_step", LAST_WEEK), ("learn", LAST_WEEK), ("learn", THIS_WEEK)):
            session.add(
                Milestone(
                    user_id=user.user_id,
                    week_start=week,
                    phase=1,
                    kind=kind,
                    focus_key="sql",
                    focus_name="SQL <joins>",
                    hours=2,
                )
            )


async def _milestones(harness: BotHarness, user: ChatUser) -> list[tuple[date, str, str]]:
    assert harness.application is not None
    async with harness.application.services.sessions() as session:
        rows = await session.scalars(
            select(Milestone).where(Milestone.user_id == user.user_id).order_by(Milestone.id)
        )
        return [(row.week_start, row.kind, row.state) for row in rows]


async def _checkin(harness: BotHarness, ada: ChatUser) -> None:
    harness.clock.now = MONDAY_9_PARIS
    assert (await harness.dispatch()).sent == 1
    await ada.press("Let's go")
    first = await ada.expect("1/5", "On your roadmap", "Enrol in the SQL course", "SQL <joins>")
    assert first.text.count("•") == 2  # last week's two, not this week's
    await ada.send("Did the first module")
    for _ in range(3):
        await ada.expect("/5")
        await ada.send("/skip")
    await ada.expect("How confident")
    await ada.press("4")


async def test_checkin_ticks_a_milestone_and_carries_the_rest(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await _plan_with_milestones(harness, ada)
    await _checkin(harness, ada)
    done = await ada.expect("Check-in saved", "tap what you finished")
    assert done.buttons == ["✅ 1", "✅ 2", "➡️ Move the rest to the week of 23 Nov"]
    await ada.press("✅ 1")
    await ada.expect_alert("Ticked off")
    await ada.press("Move the rest")
    await ada.expect("Moved 1 to the week of 23 Nov", "/roadmap")
    assert await _milestones(harness, ada) == [
        (LAST_WEEK, "first_step", MilestoneState.DONE),
        (LAST_WEEK, "learn", MilestoneState.MOVED),
        (THIS_WEEK, "learn", MilestoneState.PLANNED),
        (THIS_WEEK, "learn", MilestoneState.PLANNED),
    ]


async def test_checkin_tick_pressed_twice_or_forged_changes_nothing_else(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await _plan_with_milestones(harness, ada)
    await _checkin(harness, ada)
    done = await ada.expect("Check-in saved")
    await ada.press("✅ 2")
    edited = await ada.expect("tap what you finished")  # the button is gone from the message
    assert "✅ 2" not in edited.buttons
    await ada.press_data(done.message_id, "ms:done:2")  # pressed again from an old screen
    await ada.expect_alert("Ticked off")
    await ada.press_data(done.message_id, "ms:done:999999")  # not hers / not there
    await ada.expect_alert("earlier message")
    await ada.press_data(done.message_id, "ms:carry:2030-01-01")  # forged future week
    await ada.expect_alert("earlier message")
    states = [state for _week, _kind, state in await _milestones(harness, ada)]
    assert states == [MilestoneState.PLANNED, MilestoneState.DONE, MilestoneState.PLANNED]


async def test_checkin_commitment_fills_the_coming_week_of_the_roadmap(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await _plan_with_milestones(harness, ada)
    harness.clock.now = MONDAY_9_PARIS
    assert (await harness.dispatch()).sent == 1
    await ada.press("Let's go")
    for _ in range(3):
        await ada.expect("/5")
        await ada.send("/skip")
    await ada.expect("4/5")
    await ada.send("Finish <module 2> & email Priya")
    await ada.expect("How confident")
    await ada.press("3")
    await ada.expect("Check-in saved")
    assert (THIS_WEEK, "commitment", MilestoneState.PLANNED) in await _milestones(harness, ada)
    await ada.send("/roadmap")
    await ada.expect("This week", "Your commitment: Finish <module 2> & email Priya")
