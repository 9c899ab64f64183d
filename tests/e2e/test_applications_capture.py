"""Applications told in plain words: understood, confirmed with one tap on a card, fixed
with buttons, matched to the user's earlier applications — and nothing saved twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.application_status import Status
from scheduler.application_planning import ApplicationTiming, log_application
from scheduler.kinds import APPLICATION_FOLLOWUP, INTERVIEW_REMINDER, REJECTION_REFLECTION
from storage.models import Application, PromptState, ScheduledPrompt
from storage.repositories.applications import ApplicationRepository
from storage.repositories.prompts import PromptRepository
from tests.harness import BotHarness, ChatUser, Reply, bot_harness

SUNDAY = date(2026, 11, 22)  # the harness clock: Sunday 22 November 2026, 13:00 in Paris
YESTERDAY = date(2026, 11, 21)
STRIPE = "Applied to Stripe for a Senior PM role yesterday"


def sessions_of(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    assert harness.application is not None
    return harness.application.services.sessions


async def applications(harness: BotHarness, user: ChatUser) -> list[Application]:
    async with sessions_of(harness)() as session:
        return await ApplicationRepository(session).all_for_user(user_id=user.user_id)


async def pending(harness: BotHarness, user: ChatUser, kind: str) -> list[datetime]:
    async with sessions_of(harness)() as session:
        prompts: list[ScheduledPrompt] = await PromptRepository(session).all_for_user(user.user_id)
    return sorted(p.due_at for p in prompts if p.kind == kind and p.state == PromptState.PENDING)


def button_data(reply: Reply, label: str) -> str:
    assert reply.markup is not None, f"no buttons on {reply.text!r}"
    for row in reply.markup["inline_keyboard"]:
        for button in row:
            if label.casefold() in str(button["text"]).casefold():
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r} in {reply.buttons}")


async def seed(
    harness: BotHarness,
    user: ChatUser,
    company: str,
    role: str | None,
    status: Status = Status.APPLIED,
    on: date = YESTERDAY,
) -> int:
    """An application logged earlier (straight into the database)."""
    async with sessions_of(harness).begin() as session:
        application = await log_application(
            session,
            user_id=user.user_id,
            company=company,
            role=role,
            status=status,
            on=on,
            timing=ApplicationTiming(zone="Europe/Paris"),
            now=harness.clock.now,
        )
        return application.id


async def log_stripe(ada: ChatUser) -> None:
    await ada.send(STRIPE)
    await ada.expect("New application", "Stripe")
    await ada.press("Save")
    await ada.expect("Saved")


async def test_plain_message_confirmed_with_one_tap_is_saved_with_followups_queued(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send(STRIPE)
    card = await ada.expect(
        "New application", "Stripe", "Senior PM", "Applied", "Saturday 21 November 2026"
    )
    assert card.buttons == [
        "✅ Save",
        "✏️ Change company",
        "✏️ Change role",
        "📅 Change date",
        "🔄 Change status",
        "✖️ Cancel",
    ]
    assert await applications(harness, ada) == []  # nothing stored before the tap
    await ada.press("Save")
    saved = await ada.expect("Saved", "Stripe — Senior PM", "applied", "/apps")
    assert saved.message_id == card.message_id  # the card itself turns into the confirmation
    assert saved.buttons == []
    (stored,) = await applications(harness, ada)
    assert (stored.company, stored.role, stored.status) == ("Stripe", "Senior PM", "applied")
    assert stored.applied_on == YESTERDAY
    # 7, 14 and 21 days after applying, at 10:00 in Paris (09:00 UTC in winter).
    assert await pending(harness, ada, APPLICATION_FOLLOWUP) == [
        datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
        datetime(2026, 12, 5, 9, 0, tzinfo=UTC),
        datetime(2026, 12, 12, 9, 0, tzinfo=UTC),
    ]


async def test_change_company_asks_for_it_and_shows_the_card_again(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send(STRIPE)
    await ada.expect("New application")
    await ada.press("Change company")
    await ada.expect("Which company")
    await ada.send("Globex <Corp> & Sons")
    card = await ada.expect("New application", "Globex <Corp> & Sons", "Senior PM")
    assert "✅ Save" in card.buttons
    await ada.press("Change role")
    await ada.expect("What's the role")
    await ada.send("Product Lead")
    await ada.expect("Globex <Corp> & Sons", "Product Lead")
    await ada.press("Change date")
    await ada.expect("When?")
    await ada.press("Today")
    await ada.expect("Sunday 22 November 2026")
    await ada.press("Save")
    await ada.expect("Saved")
    (stored,) = await applications(harness, ada)
    assert (stored.company, stored.role, stored.applied_on) == (
        "Globex <Corp> & Sons",
        "Product Lead",
        SUNDAY,
    )


async def test_interview_news_updates_the_existing_application(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await log_stripe(ada)
    await ada.send("Interview with stripe next Tuesday at 2pm")
    card = await ada.expect(
        "Update Stripe — Senior PM: applied → interview", "Tuesday 24 November 2026 at 14:00"
    )
    assert "✅ Save" in card.buttons
    await ada.press("Save")
    await ada.expect("Updated", "Stripe — Senior PM", "interview", "evening before")
    (stored,) = await applications(harness, ada)  # an update, not a second application
    assert (stored.status, stored.interview_rounds) == ("interview", 1)
    assert stored.next_event_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    # The evening before, Monday 23 November at 18:00 in Paris; no more follow-ups.
    assert await pending(harness, ada, INTERVIEW_REMINDER) == [
        datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    ]
    assert await pending(harness, ada, APPLICATION_FOLLOWUP) == []


async def test_two_applications_at_one_company_ask_which_one(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await seed(harness, ada, "Stripe", "Senior PM")
    analyst = await seed(harness, ada, "Stripe Inc", "Data Analyst")
    await ada.send("Stripe rejected me")
    choice = await ada.expect("more than one application at", "Which one")
    assert choice.buttons[-2:] == ["➕ A new application", "✖️ Cancel"]
    await ada.press("Data Analyst")
    await ada.expect("Update Stripe Inc — Data Analyst: applied → rejected")
    await ada.press("Save")
    await ada.expect("Updated", "rejected", "Tomorrow morning")
    stored = {a.id: a.status for a in await applications(harness, ada)}
    assert stored[analyst] == "rejected"
    assert sorted(stored.values()) == ["applied", "rejected"]
    assert await pending(harness, ada, REJECTION_REFLECTION) == [
        datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # the next morning, 09:00 Paris
    ]


async def test_applied_in_the_future_is_questioned_not_stored(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("Applied to Acme next Friday")
    card = await ada.expect("Friday 27 November 2026", "still ahead", "Did you mean")
    assert "✅ Save" not in card.buttons
    assert card.buttons[:3] == ["✅ Yes, 20 Nov", "📅 Today", "✏️ Fix the date"]
    await ada.press("Yes, 20 Nov")
    fixed = await ada.expect("Friday 20 November 2026")
    assert "✅ Save" in fixed.buttons
    await ada.press("Save")
    await ada.expect("Saved")
    (stored,) = await applications(harness, ada)
    assert stored.applied_on == date(2026, 11, 20)


async def test_interview_in_the_past_is_questioned_and_fixed_by_typing(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send("Interview with Initech last Friday")
    card = await ada.expect("already behind us", "Friday 20 November 2026")
    assert "👍 It already happened" in card.buttons
    await ada.press("Fix the date")
    await ada.expect("When is the interview with Initech")
    await ada.send("purple")
    await ada.expect("couldn't read")
    await ada.send("Thursday 9:30")
    fixed = await ada.expect("Thursday 26 November 2026 at 09:30")
    assert "✅ Save" in fixed.buttons
    await ada.press("Save")
    await ada.expect("Saved", "evening before")
    (stored,) = await applications(harness, ada)
    assert stored.next_event_at == datetime(2026, 11, 26, 8, 30, tzinfo=UTC)


async def test_unclear_company_is_asked_then_the_card_follows(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("Interview tomorrow at 10am")
    await ada.expect("Which company is it?")
    await ada.send("/skip")
    await ada.expect("need the company")
    await ada.send("Initech")
    await ada.expect("New application", "Initech", "Monday 23 November 2026 at 10:00")
    await ada.press("Save")
    await ada.expect("Saved")
    (stored,) = await applications(harness, ada)
    assert (stored.company, stored.status) == ("Initech", "interview")


async def test_company_read_only_from_a_link_is_confirmed_first(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("https://boards.greenhouse.io/stripe/jobs/123")
    question = await ada.expect("Which company is it?", "Is it stripe?")
    assert question.buttons == ["✅ stripe"]
    await ada.press("✅ stripe")
    card = await ada.expect("New application", "stripe", "Saved", "greenhouse.io/stripe")
    assert "✅ Save" in card.buttons
    await ada.send("https://apply.workable.com/huggingface/j/ABC123/ interesting")
    await ada.expect("Which company is it?")
    await ada.send("Hugging Face")  # typed instead of the guess
    await ada.expect("New application", "Hugging Face")
    await ada.press("Save")
    await ada.expect("Saved", "Hugging Face")
    (stored,) = await applications(harness, ada)
    assert (stored.company, stored.status) == ("Hugging Face", "saved")
    assert stored.url == "https://apply.workable.com/huggingface/j/ABC123/"


async def test_named_round_is_counted_as_said(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await log_stripe(ada)
    await ada.send("2nd round interview with Stripe on Thursday")
    await ada.expect("applied → interview, round 2", "Thursday 26 November 2026")
    await ada.press("Save")
    await ada.expect("Updated", "interview, round 2")
    (stored,) = await applications(harness, ada)
    assert stored.interview_rounds == 2


async def test_interview_without_a_date_asks_when_and_may_be_skipped(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send("Interview with Hooli")
    await ada.expect("When is the interview with Hooli?", "/skip")
    await ada.send("/skip")
    card = await ada.expect("New application", "Hooli", "date not set yet")
    await ada.press("Save", message_id=card.message_id)
    await ada.expect("Saved")
    assert await pending(harness, ada, INTERVIEW_REMINDER) == []


async def test_text_not_about_applications_gets_the_help_answer(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("What a lovely day it is")
    await ada.expect("not sure what to do with that", "/help")
    assert await applications(harness, ada) == []


async def test_save_pressed_twice_or_on_an_old_card_saves_once(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send(STRIPE)
    first = await ada.expect("New application")
    old_save = button_data(first, "Save")
    await ada.press("Change role")
    await ada.expect("What's the role")
    await ada.send("Staff PM")
    card = await ada.expect("Staff PM")
    save = button_data(card, "Save")
    await ada.press_data(first.message_id, old_save)  # the card before the change
    await ada.expect_alert("out of date")
    assert await applications(harness, ada) == []
    await ada.press("Save")
    await ada.expect("Saved")
    await ada.press_data(card.message_id, save)  # a double tap arriving late
    await ada.expect_alert("Already saved")
    assert len(await applications(harness, ada)) == 1


async def test_cancel_on_the_card_or_mid_question_saves_nothing(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send(STRIPE)
    await ada.press("Cancel")
    await ada.expect("didn't save")
    await ada.send(STRIPE)
    await ada.press("Change company")
    await ada.expect("Which company")
    await ada.send("/cancel")
    await ada.expect("didn't save")
    await ada.send("Initech")  # no longer an answer: just text again
    await ada.expect("not sure what to do with that")
    assert await applications(harness, ada) == []


async def test_command_mid_question_switches_flow(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send(STRIPE)
    await ada.press("Change company")
    await ada.expect("Which company")
    await ada.send("/why")
    await ada.expect("pushing you away")
    await ada.send("/cancel")
    await ada.expect("stopped there")
    await ada.send("Applied to Initech yesterday")  # a new message, not the company answer
    await ada.expect("New application", "Initech")


async def test_many_applications_and_no_answer_get_a_caring_note_once_a_week(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    for number in range(15):
        await seed(harness, ada, f"Company {number}", "Analyst", on=SUNDAY - timedelta(days=3))
    await log_stripe(ada)
    note = ada.seen[-1]
    assert "16 applications in a week" in note
    assert "/target" in note.text
    await ada.send("Applied to Initech yesterday")
    await ada.press("Save")
    again = await ada.expect("Saved")
    assert "applications in a week" not in again.text


async def test_restart_in_the_middle_of_a_card_edit_loses_nothing(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    async with bot_harness(url) as harness:
        async with harness.running():
            ada = await harness.onboard()
            await ada.send(STRIPE)
            await ada.expect("New application")
            await ada.press("Change company")
            await ada.expect("Which company")
        async with harness.running():
            await ada.send("Globex")
            await ada.expect("New application", "Globex", "Senior PM", "Saturday 21 November")
            await ada.press("Save")
            await ada.expect("Saved")
            (stored,) = await applications(harness, ada)
            assert (stored.company, stored.applied_on) == ("Globex", YESTERDAY)
        assert harness.stub.rejected_calls == []


async def test_capture_update_and_apps_on_postgresql(postgres_url: str) -> None:
    async with bot_harness(postgres_url) as harness, harness.running():
        ada = await harness.onboard()
        await log_stripe(ada)
        await ada.send("Stripe rejected me")
        await ada.expect("Update Stripe — Senior PM: applied → rejected")
        await ada.press("Save")
        await ada.expect("Updated")
        await ada.send("/apps")
        await ada.press("1. Stripe")
        await ada.expect("21 Nov — applied", "22 Nov — rejected")
        await ada.press("Delete")
        await ada.press("Yes, delete it")
        await ada.expect("Deleted Stripe — Senior PM", "No applications yet")
        assert await applications(harness, ada) == []
        assert harness.stub.rejected_calls == []
