"""/plan as a user lives it: a deadline in their words, hours a week, a method and a first
step per top gap, the roadmap laid out, and changes that rebuild it.

The harness clock starts on Sunday 22 November 2026, 12:00 UTC; onboarded users are in
Paris, so their today is that Sunday and the roadmap's first week starts Monday 16 Nov.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import GapItem, Milestone, MilestoneState, Plan, PlanFocus
from tests.harness import BotHarness, ChatUser, Reply, bot_harness

THIS_MONDAY = date(2026, 11, 16)
IN_SIX_MONTHS = date(2027, 5, 22)  # "in 6 months" from Sunday 22 November 2026
# (key, name, required, current, importance): ranked SQL (13.5), Python (6), Statistics (2),
# then Excel (1), which stays out of the top three.
GAPS = (
    ("sql", "SQL", 4, 1, 4.5),
    ("python", "Python & <pandas>", 3, 1, 3.0),
    ("stats", "Statistics", 3, 2, 2.0),
    ("excel", "Excel", 2, 1, 1.0),
)


def sessions(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    assert harness.application is not None
    return harness.application.services.sessions


async def add_gaps(harness: BotHarness, user: ChatUser) -> None:
    """What /gaps would have stored: assessed items of the audit."""
    async with sessions(harness).begin() as session:
        for position, (key, name, required, current, importance) in enumerate(GAPS):
            session.add(
                GapItem(
                    user_id=user.user_id,
                    key=key,
                    name=name,
                    area="technical",
                    source="own",
                    importance=importance,
                    required_level=required,
                    current_level=current,
                    position=position,
                )
            )


async def saved_plan(harness: BotHarness, user: ChatUser) -> Plan | None:
    async with sessions(harness)() as session:
        return await session.get(Plan, user.user_id)


async def saved_focus(harness: BotHarness, user: ChatUser) -> list[PlanFocus]:
    async with sessions(harness)() as session:
        rows = await session.scalars(
            select(PlanFocus).where(PlanFocus.user_id == user.user_id).order_by(PlanFocus.position)
        )
        return list(rows)


async def saved_milestones(harness: BotHarness, user: ChatUser) -> list[Milestone]:
    async with sessions(harness)() as session:
        rows = await session.scalars(
            select(Milestone)
            .where(Milestone.user_id == user.user_id)
            .order_by(Milestone.week_start, Milestone.id)
        )
        return list(rows)


async def answer_deadline(ada: ChatUser, words: str = "in 6 months") -> Reply:
    await ada.send(words)
    confirm = await ada.expect("Right?")
    await ada.press("Yes")
    return confirm


async def plan_with_gaps(ada: ChatUser) -> Reply:
    """The whole /plan with three top gaps; returns the summary."""
    await ada.send("/plan")
    await ada.expect("turn your change into a plan", "By when")
    await answer_deadline(ada)
    await ada.expect("How many hours a week")
    await ada.press("8 h")
    await ada.expect("1/3 · SQL", "Coursera, edX, Udemy, Udacity, MIT OpenCourseWare")
    await ada.press("Online course")
    await ada.expect("first concrete step", "SQL")
    await ada.send("Enrol in the <SQL> basics course & do module 1")
    await ada.expect("2/3 · Python & <pandas>")
    await ada.press("Practical project")
    await ada.expect("first concrete step", "Python & <pandas>")
    await ada.send("/skip")
    await ada.expect("3/3 · Statistics")
    await ada.press("Mentor")
    await ada.expect("first concrete step", "Statistics")
    await ada.send("Ask Anna for coffee")
    return await ada.expect("Your roadmap is ready")


async def plan_without_gaps(ada: ChatUser, deadline: str = "next spring") -> Reply:
    await ada.send("/plan")
    await ada.expect("By when")
    await answer_deadline(ada, deadline)
    await ada.expect("How many hours a week")
    await ada.send("6")
    return await ada.expect("Your roadmap is ready")


async def test_plan_with_gaps_lays_out_weekly_milestones_to_the_deadline(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await add_gaps(harness, ada)
    summary = await plan_with_gaps(ada)
    for fragment in (
        "26 weeks to Saturday 22 May 2027, 8 h a week",
        "📚 Learn · 22 Nov –",
        "🏗 Build proof",
        "📨 Apply",
        "🎤 Interview ·",
        "– 22 May",
        "This week",
        "First step for SQL: Enrol in the <SQL> basics course & do module 1",
        "/roadmap",
    ):
        assert fragment in summary, fragment

    plan = await saved_plan(harness, ada)
    assert plan is not None and plan.built_at is not None
    assert (plan.deadline, plan.deadline_text, plan.hours_per_week) == (
        IN_SIX_MONTHS,
        "in 6 months",
        8,
    )
    focus = [(f.gap_key, f.method, f.first_step) for f in await saved_focus(harness, ada)]
    assert focus == [
        ("sql", "course", "Enrol in the <SQL> basics course & do module 1"),
        ("python", "project", ""),  # skipped, and remembered as skipped
        ("stats", "mentor", "Ask Anna for coffee"),
    ]
    milestones = await saved_milestones(harness, ada)
    weeks = sorted({m.week_start for m in milestones})
    assert (weeks[0], weeks[-1], len(weeks)) == (THIS_MONDAY, date(2027, 5, 17), 27)
    assert [m.phase for m in milestones] == sorted(m.phase for m in milestones)
    assert {m.phase for m in milestones} == {1, 2, 3, 4}
    assert {m.state for m in milestones} == {MilestoneState.PLANNED}
    assert "excel" not in {m.focus_key for m in milestones}
    # Only Sunday is left of this week: one hour, the SQL first step.
    first_week = [m for m in milestones if m.week_start == THIS_MONDAY]
    assert [(m.kind, m.focus_key, m.hours) for m in first_week] == [("first_step", "sql", 1)]
    full_week = [m for m in milestones if m.week_start == THIS_MONDAY + timedelta(weeks=3)]
    assert sum(m.hours for m in full_week) == 8


async def test_plan_without_gaps_leaves_learning_weeks_open_and_suggests_gaps(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    summary = await plan_without_gaps(ada)
    assert "learning weeks stay open" in summary
    assert "fine not to have the whole plan at first" in summary
    assert "/gaps" in summary
    assert "Open — fill it at your check-in" in summary
    assert "to Saturday 20 March 2027, 6 h a week" in summary
    milestones = await saved_milestones(harness, ada)
    assert milestones, "the later phases are planned even without gaps"
    assert {m.phase for m in milestones} == {2, 3, 4}  # learn weeks stay open
    assert await saved_focus(harness, ada) == []


async def test_plan_deadline_in_six_months_is_confirmed_as_a_date(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/plan")
    await ada.expect("By when")
    await ada.send("in 6 months")
    confirm = await ada.expect("Saturday 22 May 2027", "about 26 weeks from now. Right?")
    assert confirm.buttons == ["✅ Yes", "✏️ No, let me fix it"]
    assert (await saved_plan(harness, ada)) is None  # not saved before it is confirmed
    await ada.press("Yes")
    await ada.expect("How many hours a week")
    plan = await saved_plan(harness, ada)
    assert plan is not None
    assert (plan.deadline, plan.deadline_text) == (IN_SIX_MONTHS, "in 6 months")


async def test_plan_deadline_next_spring_is_the_first_day_of_spring(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/plan")
    await ada.expect("By when")
    await ada.send("next spring")
    await ada.expect("Saturday 20 March 2027", "about 17 weeks from now")


async def test_plan_unusable_deadlines_are_explained_and_asked_again(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/plan")
    await ada.expect("By when")
    await ada.send("yesterday")
    await ada.expect("Saturday 21 November 2026", "already behind us")
    await ada.send("asdf")
    await ada.expect("couldn't find a date in “asdf”", "in 6 months")
    await ada.send("in 10 years")
    await ada.expect("Saturday 22 November 2036", "more than 5 years away")
    await ada.send("today")
    await ada.expect("That's today")
    await ada.send("/skip")
    await ada.expect("I need a date")
    assert await saved_plan(harness, ada) is None
    await ada.send("by March 1st")
    await ada.expect("Monday 1 March 2027", "Right?")


async def test_plan_deadline_no_lets_the_user_fix_it(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/plan")
    await ada.expect("By when")
    await ada.send("in 6 months")
    await ada.expect("Right?")
    await ada.press("No, let me fix it")
    await ada.expect("when would you like it to be?")
    await answer_deadline(ada, "end of next year")
    await ada.expect("How many hours a week")
    plan = await saved_plan(harness, ada)
    assert plan is not None
    assert (plan.deadline, plan.deadline_text) == (date(2027, 12, 31), "end of next year")


async def test_plan_typing_a_new_date_instead_of_confirming_asks_again(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send("/plan")
    await ada.expect("By when")
    await ada.send("in 6 months")
    first = await ada.expect("Right?")
    await ada.send("in 3 months")
    await ada.expect("Monday 22 February 2027", "Right?")
    await ada.press_data(first.message_id, "pl:dl:yes:2027-05-22")  # the first date's Yes
    await ada.expect_alert("earlier message")
    await ada.press("Yes")
    await ada.expect("How many hours a week")
    plan = await saved_plan(harness, ada)
    assert plan is not None and plan.deadline == date(2027, 2, 22)


async def test_plan_hours_typed_are_checked_and_saved(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/plan")
    await ada.expect("By when")
    await answer_deadline(ada)
    question = await ada.expect("How many hours a week")
    assert question.buttons == ["2 h", "5 h", "8 h", "10 h", "15 h", "20 h"]
    await ada.send("0")
    await ada.expect("Even one hour a week")
    await ada.send("100")
    await ada.expect("100 hours", "between 1 and 60")
    await ada.send("lots")
    await ada.expect("whole number of hours from 1 to 60")
    await ada.send("/skip")
    await ada.expect("I need a rough number")
    await ada.send("12 hours a week")
    await ada.expect("Your roadmap is ready", "12 h a week")
    plan = await saved_plan(harness, ada)
    assert plan is not None and plan.hours_per_week == 12


async def test_plan_back_and_skip_move_between_questions(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await add_gaps(harness, ada)
    await ada.send("/plan")
    await ada.expect("By when")
    await answer_deadline(ada)
    await ada.expect("How many hours a week")
    await ada.send("/back")
    await ada.expect("By when")
    await ada.send("/back")  # nothing before the first question: asked again
    await ada.expect("By when")
    await answer_deadline(ada, "in 4 months")
    await ada.expect("How many hours a week")
    await ada.press("10 h")
    await ada.expect("1/3 · SQL")
    await ada.send("/skip")
    await ada.expect("first concrete step", "SQL")
    await ada.send("/back")
    await ada.expect("1/3 · SQL")
    await ada.press("Certificate")
    await ada.expect("first concrete step", "SQL", "syllabus")
    await ada.send("/back")
    await ada.send("/back")
    await ada.expect("How many hours a week")
    focus = await saved_focus(harness, ada)
    assert (focus[0].method, focus[0].first_step) == ("certificate", None)
    plan = await saved_plan(harness, ada)
    assert plan is not None and plan.deadline_text == "in 4 months"


async def test_plan_cancel_keeps_answers_and_plan_resumes_at_the_same_question(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await add_gaps(harness, ada)
    await ada.send("/plan")
    await ada.expect("By when")
    await answer_deadline(ada)
    await ada.press("5 h")
    await ada.expect("1/3 · SQL")
    await ada.press("Volunteering")
    await ada.expect("first concrete step")
    await ada.send("/cancel")
    await ada.expect("Everything you already told me is saved")
    await ada.send("/plan")
    await ada.expect("Welcome back", "first concrete step", "SQL")
    await ada.send("Write to the food bank")
    await ada.expect("2/3 · Python")
    plan = await saved_plan(harness, ada)
    assert plan is not None and (plan.hours_per_week, plan.built_at) == (5, None)
    focus = await saved_focus(harness, ada)
    assert (focus[0].method, focus[0].first_step) == ("volunteering", "Write to the food bank")


async def test_plan_old_and_double_button_presses_get_a_toast(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await add_gaps(harness, ada)
    await ada.send("/plan")
    await ada.expect("By when")
    confirm = await answer_deadline(ada)
    hours = await ada.expect("How many hours a week")
    await ada.press_data(confirm.message_id, "pl:dl:yes:2027-05-22")  # pressed twice
    await ada.expect_alert("earlier message")
    await ada.press("20 h")
    method = await ada.expect("1/3 · SQL")
    await ada.press_data(hours.message_id, "pl:h:20")  # pressed twice
    await ada.expect_alert("earlier message")
    await ada.press_data(method.message_id, "pl:m:2:course")  # another gap's button
    await ada.expect_alert("earlier message")
    await ada.press_data(method.message_id, "pl:e:dl")  # a review button, no review open
    await ada.expect_alert("earlier message")
    await ada.send("typing instead")
    await ada.expect("tap one of the buttons")
    await ada.press("Mentor")
    await ada.expect("first concrete step")
    await ada.press_data(method.message_id, "pl:m:0:course")  # the answered question
    await ada.expect_alert("earlier message")
    await ada.send("/cancel")
    await ada.expect("saved")
    await ada.press_data(method.message_id, "pl:m:0:project")  # after the flow ended
    await ada.expect_alert("earlier message")
    plan = await saved_plan(harness, ada)
    assert plan is not None and plan.hours_per_week == 20
    assert (await saved_focus(harness, ada))[0].method == "mentor"


async def test_plan_reopened_shows_answers_and_changes_rebuild_the_roadmap(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await add_gaps(harness, ada)
    await plan_with_gaps(ada)
    first_step = (await saved_milestones(harness, ada))[0]
    async with sessions(harness).begin() as session:
        done = await session.get(Milestone, first_step.id)
        assert done is not None
        done.state = MilestoneState.DONE  # ticked off at a check-in

    await ada.send("/plan")
    review = await ada.expect(
        "Your plan",
        "Saturday 22 May 2027 (“in 6 months”)",
        "Hours a week: 8",
        "SQL: 🎓 Online course",
        "First step: Enrol in the <SQL> basics course",
        "Python & <pandas>: 🛠 Practical project",
        "First step: —",
    )
    assert review.buttons[:2] == ["✏️ Deadline", "✏️ Hours a week"]
    assert "✏️ Python & <pandas>: method" in review.buttons
    assert review.buttons[-1] == "👍 Keep all"

    await ada.press("Hours a week")
    await ada.expect("How many hours a week")
    await ada.press("15 h")
    await ada.expect("roadmap is rebuilt", "Hours a week: 15")
    week = [m for m in await saved_milestones(harness, ada) if m.week_start == date(2026, 12, 7)]
    assert sum(m.hours for m in week) == 15

    await ada.press("SQL: method")
    await ada.expect("SQL", "How will you build this up?")
    await ada.press("Certificate")
    await ada.expect("roadmap is rebuilt", "SQL: 📜 Certificate")

    await ada.press("Deadline")
    await ada.expect("By when")
    await answer_deadline(ada, "end of next year")
    await ada.expect("roadmap is rebuilt", "Friday 31 December 2027 (“end of next year”)")
    milestones = await saved_milestones(harness, ada)
    assert milestones[-1].week_start == date(2027, 12, 27)
    kept = [m for m in milestones if m.id == first_step.id]
    assert [m.state for m in kept] == [MilestoneState.DONE]
    assert [m for m in milestones if m.kind == "first_step" and m.focus_key == "sql"] == kept

    await ada.press("Keep all")
    await ada.expect("Your roadmap is updated", "to Friday 31 December 2027, 15 h a week")


async def test_plan_reopened_keep_all_changes_nothing(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await plan_without_gaps(ada)
    before = [(m.id, m.week_start) for m in await saved_milestones(harness, ada)]
    await ada.send("/plan")
    review = await ada.expect("Your plan", "No skill gaps yet")
    assert review.buttons == ["✏️ Deadline", "✏️ Hours a week", "👍 Keep all"]
    await ada.send("/skip")
    await ada.expect("tap one of the buttons")
    await ada.press("Keep all")
    await ada.expect("Your plan stays as it is")
    assert [(m.id, m.week_start) for m in await saved_milestones(harness, ada)] == before
    await ada.press_data(review.message_id, "pl:e:h")  # the review after it was closed
    await ada.expect_alert("earlier message")


async def test_plan_back_while_changing_an_answer_returns_to_the_review(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await plan_without_gaps(ada)
    await ada.send("/plan")
    await ada.expect("Your plan")
    await ada.press("Deadline")
    await ada.expect("By when")
    await ada.send("/back")
    await ada.expect("Your plan", "Saturday 20 March 2027")
    plan = await saved_plan(harness, ada)
    assert plan is not None and plan.deadline == date(2027, 3, 20)


async def test_plan_another_flow_command_switches_flow(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/plan")
    await ada.expect("By when")
    await ada.send("/settings")
    await ada.expect("Your settings")


async def test_plan_restart_midway_continues_at_the_same_question(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    async with bot_harness(url) as harness:
        async with harness.running():
            ada = await harness.onboard()
            await add_gaps(harness, ada)
            await ada.send("/plan")
            await ada.expect("By when")
            await answer_deadline(ada)
            await ada.press("8 h")
            await ada.expect("1/3 · SQL")
        # A brand-new application: the place in /plan comes back from the database.
        async with harness.running():
            await ada.press("Online course")
            await ada.expect("first concrete step", "SQL")
            await ada.send("Enrol today")
            await ada.expect("2/3 · Python")
            focus = await saved_focus(harness, ada)
            assert (focus[0].method, focus[0].first_step) == ("course", "Enrol today")
        async with harness.running():
            await ada.send("/plan")
            await ada.expect("Welcome back", "2/3 · Python")
        assert harness.stub.rejected_calls == []
