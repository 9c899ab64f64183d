"""/next, and where the journey meets the weekly check-in (why statement, support team)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from storage.models import Plan
from storage.repositories.journey import JourneyRepository
from tests.harness import BotHarness, ChatUser


async def _store(harness: BotHarness, user: ChatUser, step: str, **answers: str) -> None:
    assert harness.application is not None
    async with harness.application.services.sessions.begin() as session:
        journey = JourneyRepository(session)
        for key, value in answers.items():
            await journey.save(
                user_id=user.user_id, step=step, key=key, value=value, now=harness.clock.now
            )


async def _complete(harness: BotHarness, user: ChatUser, *steps: str) -> None:
    assert harness.application is not None
    async with harness.application.services.sessions.begin() as session:
        for step in steps:
            await JourneyRepository(session).complete(
                user_id=user.user_id, step=step, now=harness.clock.now
            )


async def test_next_for_a_new_user_is_the_why(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/next")
    answer = await ada.expect("/why", "start with your reason")
    assert "Next check-in" not in answer.text


async def test_next_without_time_zone_is_start(harness: BotHarness) -> None:
    bob = harness.user("Bob")
    await bob.send("/next")
    await bob.expect("/start", "sensible hours")


async def test_next_after_the_foundation_names_the_next_checkin(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await _complete(harness, ada, "why", "target", "gaps", "plan")
    assert harness.application is not None
    async with harness.application.services.sessions.begin() as session:
        session.add(Plan(user_id=ada.user_id, deadline=date(2027, 5, 23), hours_per_week=5))
    await ada.send("/next")
    await ada.expect("/team", "Next check-in: Monday 23 Nov at 09:00")


async def test_next_after_a_passed_deadline_is_to_replan(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await _complete(harness, ada, "why", "target", "gaps", "plan", "team")
    assert harness.application is not None
    async with harness.application.services.sessions.begin() as session:
        session.add(Plan(user_id=ada.user_id, deadline=date(2026, 11, 1), hours_per_week=5))
    await ada.send("/next")
    await ada.expect("deadline has passed", "/plan")


async def test_next_due_target_test_quotes_the_action(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await _complete(harness, ada, "why", "target", "gaps", "plan")
    await _store(harness, ada, "target", action="Coffee with <Priya>", action_date="2026-11-20")
    assert harness.application is not None
    async with harness.application.services.sessions.begin() as session:
        session.add(Plan(user_id=ada.user_id, deadline=date(2027, 5, 23), hours_per_week=5))
    await ada.send("/next")
    await ada.expect("test of the target is due", "Coffee with <Priya>")


async def _low_confidence_checkin(harness: BotHarness, ada: ChatUser) -> None:
    harness.clock.now = datetime(2026, 11, 23, 8, 0, 5, tzinfo=UTC)
    assert (await harness.dispatch()).sent == 1
    await ada.press("Let's go")
    for _ in range(4):
        await ada.expect("/5")
        await ada.send("/skip")
    await ada.expect("How confident")
    await ada.press("2")


async def test_checkin_low_confidence_quotes_the_why_statement(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await _store(harness, ada, "why", statement="I want work where <curiosity> is the job.")
    await _low_confidence_checkin(harness, ada)
    await ada.expect("Remember why you started", "I want work where <curiosity> is the job.")


async def test_checkin_asks_about_a_team_member_not_yet_involved(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await _store(
        harness,
        ada,
        "team",
        emotional_who="Léa",
        emotional_how="Call on Sunday",
        mentor_who="nobody",
    )
    await _low_confidence_checkin(harness, ada)
    done = await ada.expect("Check-in saved", "did you reach out to Léa")
    assert done.buttons == ["✅ Yes, done", "Not yet"]
    await ada.press("Yes, done")
    await ada.expect("one more person on your side")
    assert harness.application is not None
    async with harness.application.services.sessions() as session:
        answers = await JourneyRepository(session).answers(user_id=ada.user_id, step="team")
    assert answers["emotional_activated"] == "2026-11-23"

    # Next week the empty mentor role comes back instead, with a way to find one.
    harness.clock.now += timedelta(days=7)
    assert (await harness.dispatch()).sent >= 1
    await ada.press("Let's go")
    for _ in range(4):
        await ada.expect("/5")
        await ada.send("/skip")
    await ada.press("4")
    await ada.expect("you still have no mentor", "LinkedIn")
