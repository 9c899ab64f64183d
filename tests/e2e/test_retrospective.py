"""The retrospective as a user in Paris lives it: after eight weeks (queued by a check-in)
and after twenty applications with no interview (queued by /progress), each choice
leading on, never offered twice, and harmless to /cancel, old buttons and forged ones."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from bot.application_status import Status
from storage.models import PromptState, ScheduledPrompt
from storage.repositories.journey import JourneyRepository
from storage.repositories.prompts import PromptRepository
from tests.e2e.test_followups import apply, change_status, sessions
from tests.e2e.test_plan import plan_without_gaps
from tests.e2e.test_progress import seed_checkins
from tests.harness import BotHarness, ChatUser

TUESDAY_9_PARIS = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # the harness starts on Sunday 22


async def retro_prompts(harness: BotHarness, user: ChatUser) -> list[ScheduledPrompt]:
    async with sessions(harness)() as session:
        rows = await PromptRepository(session).all_for_user(user.user_id)
    return [row for row in rows if row.kind == "retrospective"]


async def pending_retro(harness: BotHarness, user: ChatUser) -> list[datetime]:
    return [p.due_at for p in await retro_prompts(harness, user) if p.state == PromptState.PENDING]


async def records(harness: BotHarness, user: ChatUser) -> dict[str, dict[str, object]]:
    async with sessions(harness)() as session:
        answers = await JourneyRepository(session).answers(user_id=user.user_id, step="retro")
    return {day: json.loads(value) for day, value in answers.items()}


async def save_target(harness: BotHarness, user: ChatUser, title: str) -> None:
    async with sessions(harness).begin() as session:
        await JourneyRepository(session).save(
            user_id=user.user_id, step="target", key="title", value=title, now=harness.clock.now
        )


async def answer_checkin(user: ChatUser, confidence: str = "3") -> None:
    await user.send("/checkin")
    for answer in ("Two job postings read", "/skip", "/skip", "Call an analyst"):
        await user.send(answer)
    await user.press(confidence)
    await user.expect("Check-in saved")


async def twenty_applications(harness: BotHarness, user: ChatUser) -> None:
    """Twenty sent in early November; two got a screening call, none an interview."""
    ids = [
        await apply(harness, user, company=f"Firm {n}", on=date(2026, 11, 1 + n % 7))
        for n in range(20)
    ]
    for app_id in ids[:2]:
        await change_status(harness, user, app_id, Status.SCREENING, on=date(2026, 11, 12))


async def last_message_id(harness: BotHarness, user: ChatUser) -> int:
    return harness.stub.messages(user.user_id)[-1].message_id


async def test_retrospective_comes_the_day_after_a_checkin_eight_weeks_on_and_keep_ends_it(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await save_target(harness, ada, "Data <Analyst>")
    # The first check-in was eight weeks and six days ago (Monday 21 September).
    await seed_checkins(harness, ada, {"2026-W39": 3, "2026-W41": 3, "2026-W43": 2, "2026-W45": 2})
    await answer_checkin(ada, confidence="2")
    # Sunday's check-in: tomorrow is check-in day, so the retrospective waits a day more.
    assert await pending_retro(harness, ada) == [TUESDAY_9_PARIS]

    harness.clock.now = TUESDAY_9_PARIS - timedelta(seconds=1)
    await harness.dispatch()
    assert [r for r in await ada.settle() if "step back" in r] == []
    harness.clock.now = TUESDAY_9_PARIS + timedelta(seconds=5)
    await harness.dispatch()
    prompt = await ada.expect("🔭 Time to step back", "Ada", "Eight weeks")
    assert prompt.buttons == ["🔭 Let's look", "Not now"]
    assert list(await records(harness, ada)) == ["2026-11-24"]  # the offer counts once sent

    await ada.press("Let's look")
    feeling = await ada.expect("1/2", "is Data <Analyst> still the job you want?")
    assert feeling.buttons == ["✅ Yes", "🤔 Not sure", "❌ No"]
    await ada.press("Not sure")
    evidence = await ada.expect("2/2", "what the evidence says", "What now?")
    assert "💪 Confidence, last 5 weeks: 3 → 3 → 2 → 2 → 2 · falling ↘" in evidence
    assert "None logged yet" in evidence
    assert "low for weeks" in evidence
    assert evidence.buttons == ["💡 👍 Keep course", "🎯 Adjust the target", "🗺 Adjust the plan"]
    await ada.send("/back")
    await ada.expect("1/2", "Gut feeling first")
    await ada.press("Yes")
    await ada.expect("2/2", "What now?")
    await ada.press("Keep course")
    await ada.expect("Keeping course", "eight weeks")
    (record,) = (await records(harness, ada)).values()
    assert (record["trigger"], record["feeling"], record["choice"]) == ("weeks", "yes", "keep")

    # Done: the old button says so, and next week's check-in queues nothing new.
    await ada.press_data(prompt.message_id, "rt:go:2026-11-24")
    await ada.expect("already", "keep course")
    harness.clock.now = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    await answer_checkin(ada)
    assert await pending_retro(harness, ada) == []


async def test_retrospective_after_twenty_applications_without_interview_leads_to_target(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await twenty_applications(harness, ada)
    await ada.send("/progress")
    text = await ada.expect("Applied 20 → screening 2 (10%) → interview 0 (0%)")
    assert "I'll send you a short retrospective" in text
    assert await pending_retro(harness, ada) == [harness.clock.now]
    await harness.dispatch()
    prompt = await ada.expect("Time to step back", "20 applications since your last interview")
    assert prompt.buttons == ["🔭 Let's look", "Not now"]

    await ada.press("Let's look")
    await ada.expect("1/2", "the change you're working toward")  # no target named yet
    await ada.press("❌ No")
    evidence = await ada.expect("2/2", "Applied 20 → screening 2 (10%) → interview 0 (0%)")
    assert "Your gut says" in evidence
    assert "aren't turning into interviews" in evidence
    assert "💡 🎯 Adjust the target" in evidence.buttons
    await ada.press("Adjust the target")
    await ada.expect("Tap /target")
    (record,) = (await records(harness, ada)).values()
    assert (record["trigger"], record["choice"]) == ("applications", "target")
    await ada.send("/target")
    await ada.expect("Let's name the job you're aiming for")

    # Not twice for the same applications: /progress stays quiet, even one application on.
    await ada.send("/cancel")
    harness.clock.now += timedelta(days=2)
    await apply(harness, ada, company="Firm 21", on=date(2026, 11, 20))
    await ada.send("/progress")
    again = await ada.expect("Applied 21")
    assert "retrospective" not in again
    assert await pending_retro(harness, ada) == []


async def test_retrospective_adjust_the_plan_leads_to_the_plan_review(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await plan_without_gaps(ada)
    await twenty_applications(harness, ada)
    await ada.send("/progress")
    await ada.expect("I'll send you a short retrospective")
    await harness.dispatch()
    await ada.press("Let's look")
    await ada.expect("1/2")
    await ada.send("/skip")  # straight to the numbers
    evidence = await ada.expect("2/2", "milestones", "days to your deadline")
    assert "💡 🗺 Adjust the plan" in evidence.buttons  # no interviews, confidence unknown
    await ada.press("Adjust the plan")
    await ada.expect("Tap /plan", "what you've done stays done")
    await ada.send("/plan")
    await ada.expect("Your plan", "here's what we have")


async def test_retrospective_not_now_cancel_old_and_forged_buttons_are_harmless(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await save_target(harness, ada, "UX designer")
    await seed_checkins(harness, ada, {"2026-W38": 4, "2026-W46": 4})
    await ada.send("/progress")  # nine weeks since the first check-in
    await ada.expect("I'll send you a short retrospective")
    await harness.dispatch()
    await ada.expect("Eight weeks")
    prompt_id = await last_message_id(harness, ada)
    await ada.press("Not now")
    await ada.expect("I'll ask again in eight weeks")
    (record,) = (await records(harness, ada)).values()
    assert record["choice"] is None
    await ada.send("/progress")
    assert "retrospective" not in (await ada.expect("Your progress")).text

    # An old client can still send the button: the retrospective opens, /cancel leaves it.
    day = "2026-11-22"
    await ada.press_data(prompt_id, f"rt:go:{day}")
    await ada.expect("1/2", "UX designer")
    await ada.send("/cancel")
    await ada.expect("stopped there")
    await ada.press("Yes")  # the question's button, after /cancel
    await ada.expect_alert("earlier message")
    await ada.press_data(prompt_id, "rt:go:2099-01-01")  # a day that never had one
    await ada.expect_alert("isn't there any more")

    # Someone else's day opens only their own retrospective, with their own data.
    bob = await harness.onboard("Bob")
    await bob.press_data(await last_message_id(harness, bob), f"rt:go:{day}")
    theirs = await bob.expect("1/2")
    assert "UX designer" not in theirs
    assert "working toward" in theirs
    (ada_record,) = (await records(harness, ada)).values()
    assert ada_record == record
