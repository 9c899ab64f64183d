"""The weekly check-in, from the prompt arriving on time to the streak after answering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from botapi_stub import Fault
from storage.models import Checkin, PromptState, ScheduledPrompt
from storage.repositories.checkins import CheckinRepository
from storage.repositories.prompts import PromptRepository
from tests.e2e.conftest import load_user
from tests.e2e.test_applications_capture import button_data
from tests.harness import BotHarness, ChatUser, bot_harness

MONDAY_9_PARIS = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _sessions(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    assert harness.application is not None
    return harness.application.services.sessions


async def _prompts(harness: BotHarness, user_id: int) -> list[ScheduledPrompt]:
    async with _sessions(harness)() as session:
        return await PromptRepository(session).all_for_user(user_id)


async def _checkin(harness: BotHarness, user_id: int, period: str) -> Checkin | None:
    async with _sessions(harness)() as session:
        return await CheckinRepository(session).get(user_id=user_id, period=period)


async def _answer_checkin(user: ChatUser, confidence: str = "4") -> None:
    await user.press("Let's go")
    await user.expect("1/5", "What did you do")
    await user.send("Finished the SQL course, module 3 <joins> & all")
    await user.expect("2/5", "What got in the way")
    await user.send("/skip")
    await user.expect("3/5", "went well")
    await user.send("I studied every morning before work, it stuck")
    await user.expect("4/5", "one small, concrete thing")
    await user.send("Apply to 2 analyst roles on Tuesday")
    await user.expect("5/5", "How confident")
    await user.press(confidence)


async def test_checkin_arrives_at_the_chosen_local_time_and_is_answered(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    (queued,) = await _prompts(harness, ada.user_id)
    assert queued.due_at == MONDAY_9_PARIS

    harness.clock.now = MONDAY_9_PARIS - timedelta(seconds=1)
    assert (await harness.dispatch()).sent == 0  # not yet
    harness.clock.now = MONDAY_9_PARIS + timedelta(seconds=5)
    assert (await harness.dispatch()).sent == 1
    prompt = await ada.expect("Weekly check-in", "Hi Ada")
    assert prompt.buttons == ["✍️ Let's go", "⏰ Later today", "Skip this week"]

    await _answer_checkin(ada)
    done = await ada.expect(
        "Check-in saved", "Apply to 2 analyst roles on Tuesday", "1 week in a row"
    )
    assert "tiny step" not in done.text
    checkin = await _checkin(harness, ada.user_id, "2026-W48")
    assert checkin is not None
    assert checkin.state == "answered"
    assert checkin.did == "Finished the SQL course, module 3 <joins> & all"
    assert checkin.obstacles is None
    assert checkin.confidence == 4
    pending = [p for p in await _prompts(harness, ada.user_id) if p.state == PromptState.PENDING]
    assert sorted((p.kind, p.due_at) for p in pending) == [
        ("checkin_reminder", MONDAY_9_PARIS + timedelta(hours=48)),
        ("weekly_checkin", MONDAY_9_PARIS + timedelta(days=7)),
    ]
    # The reminder finds the week answered and stays silent.
    harness.clock.now = MONDAY_9_PARIS + timedelta(hours=48, seconds=1)
    stats = await harness.dispatch()
    assert (stats.sent, stats.skipped) == (0, 1)


async def test_the_real_repeating_tick_delivers_due_prompts(sqlite_url: str) -> None:

    async with bot_harness(sqlite_url, dispatch_interval_seconds=0.2) as harness:
        async with harness.running():
            ada = await harness.onboard()
            harness.clock.now = MONDAY_9_PARIS + timedelta(seconds=1)
            await ada.expect("Weekly check-in", timeout=10)  # no manual dispatch: APScheduler
        assert harness.stub.rejected_calls == []


async def test_unanswered_checkin_gets_one_reminder_then_counts_as_missed(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    harness.clock.now = MONDAY_9_PARIS
    await harness.dispatch()
    await ada.expect("Weekly check-in")
    harness.clock.now = MONDAY_9_PARIS + timedelta(hours=48)
    assert (await harness.dispatch()).sent == 1
    reminder = await ada.expect("gentle nudge", "still open")
    assert reminder.buttons == ["✍️ Let's go", "Skip this week"]
    harness.clock.now = MONDAY_9_PARIS + timedelta(days=7)
    await harness.dispatch()
    await ada.expect("Weekly check-in")
    missed = await _checkin(harness, ada.user_id, "2026-W48")
    assert missed is not None
    assert missed.state == "missed"
    await _answer_checkin(ada, confidence="5")
    await ada.expect("Check-in saved", "1 week in a row")


async def test_low_confidence_gets_a_tiny_step(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/checkin")
    await ada.expect("1/5")
    for answer in ("Not much", "Work was intense", "I kept going", "Read one posting"):
        await ada.send(answer)
    await ada.press("1 😟")
    await ada.expect("Low weeks are part of every change", "One tiny step")


async def test_checkin_command_any_time_and_back_and_redo(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/checkin")
    await ada.expect("1/5")
    await ada.send("Did a thing")
    await ada.expect("2/5")
    await ada.send("/back")
    await ada.expect("1/5")
    await ada.send("Did two things")
    await ada.expect("2/5")
    await ada.send("Nothing")
    await ada.send("Momentum")
    await ada.send("Call a mentor")
    await ada.press("3")
    await ada.expect("Check-in saved", "Call a mentor")
    checkin = await _checkin(harness, ada.user_id, "2026-W47")  # Sunday 22 Nov is in W47
    assert checkin is not None
    assert checkin.did == "Did two things"
    await ada.send("/checkin")
    await ada.expect("already checked in this week", "3/5")
    await ada.press("Keep them")
    await ada.expect("→ 👍 Keep them")


async def test_later_today_queues_a_nudge_and_skip_week_ends_it(harness: BotHarness) -> None:
    ada = await harness.onboard()
    harness.clock.now = MONDAY_9_PARIS
    await harness.dispatch()
    await ada.expect("Weekly check-in")
    await ada.press("Later today")
    await ada.expect("nudge you again")
    harness.clock.now = MONDAY_9_PARIS + timedelta(hours=3, seconds=1)
    await harness.dispatch()
    await ada.expect("gentle nudge")
    await ada.press("Skip this week")
    await ada.expect("we'll skip this week")
    skipped = await _checkin(harness, ada.user_id, "2026-W48")
    assert skipped is not None
    assert skipped.state == "missed"
    harness.clock.now = MONDAY_9_PARIS + timedelta(hours=48)
    assert (await harness.dispatch()).sent == 0  # the 48-hour reminder sees the skip


async def test_paused_user_gets_nothing_and_pause_until_resumes_by_itself(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    await ada.press("Pause reminders")
    await ada.press("2 weeks")  # until Sunday 6 December
    await ada.expect("paused until")
    harness.clock.now = MONDAY_9_PARIS
    assert (await harness.dispatch()).sent == 0
    (queued,) = [p for p in await _prompts(harness, ada.user_id) if p.state == "pending"]
    assert queued.due_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    harness.clock.now = queued.due_at
    assert (await harness.dispatch()).sent == 1
    await ada.expect("Weekly check-in")
    assert not (await load_user(harness, ada.user_id)).paused


async def test_429_from_telegram_is_honoured_and_sent_once_later(harness: BotHarness) -> None:
    ada = await harness.onboard()
    refused: list[str] = []

    def once_too_many(method: str, params: dict[str, object]) -> Fault | None:
        if method == "sendMessage" and not refused:
            refused.append(method)
            return Fault(status=429, description="Too Many Requests: retry after 7", retry_after=7)
        return None

    harness.stub.fault_injector = once_too_many
    harness.clock.now = MONDAY_9_PARIS
    stats = await harness.dispatch()
    assert (stats.sent, stats.retried) == (0, 1)
    (waiting,) = [
        p
        for p in await _prompts(harness, ada.user_id)
        if p.state == "pending" and p.kind == "weekly_checkin"
    ]
    assert waiting.due_at == MONDAY_9_PARIS + timedelta(seconds=7)
    harness.clock.now = MONDAY_9_PARIS + timedelta(seconds=8)
    assert (await harness.dispatch()).sent == 1
    await ada.expect("Weekly check-in")
    sent = [
        c for c in harness.stub.calls if c.ok and "Weekly check-in" in str(c.params.get("text"))
    ]
    assert len(sent) == 1


async def test_blocked_user_becomes_inactive_and_prompts_stop(harness: BotHarness) -> None:
    ada = await harness.onboard()
    harness.stub.block(ada.user_id)
    harness.clock.now = MONDAY_9_PARIS
    stats = await harness.dispatch()
    assert stats.cancelled == 1
    assert not (await load_user(harness, ada.user_id)).active
    assert [p for p in await _prompts(harness, ada.user_id) if p.state == "pending"] == []
    harness.clock.now = MONDAY_9_PARIS + timedelta(days=7)
    assert (await harness.dispatch()).sent == 0
    # Writing again makes them active, and their weekly rhythm is queued again.
    harness.stub.unblock(ada.user_id)
    await ada.send("/help")
    await ada.expect("Here's what I can do")
    assert (await load_user(harness, ada.user_id)).active
    pending = [p for p in await _prompts(harness, ada.user_id) if p.state == "pending"]
    assert [p.kind for p in pending] == ["weekly_checkin"]


async def test_after_downtime_stale_prompts_are_skipped_with_a_record_not_burst(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    harness.clock.now = MONDAY_9_PARIS + timedelta(days=3)  # the bot was down for days
    stats = await harness.dispatch()
    assert (stats.sent, stats.skipped) == (0, 1)
    rows = await _prompts(harness, ada.user_id)
    skipped = [p for p in rows if p.state == PromptState.SKIPPED]
    assert skipped[0].last_error is not None
    assert "overdue" in skipped[0].last_error
    pending = [p for p in rows if p.state == PromptState.PENDING]
    assert [p.due_at for p in pending] == [MONDAY_9_PARIS + timedelta(days=7)]


async def test_server_errors_are_retried_with_backoff_then_delivered(harness: BotHarness) -> None:
    ada = await harness.onboard()
    failures: list[int] = []

    def flaky(method: str, params: dict[str, object]) -> Fault | None:
        if method == "sendMessage" and len(failures) < 2:
            failures.append(1)
            return Fault(status=502, description="Bad Gateway")
        return None

    harness.stub.fault_injector = flaky
    harness.clock.now = MONDAY_9_PARIS
    assert (await harness.dispatch()).retried == 1
    (waiting,) = [
        p
        for p in await _prompts(harness, ada.user_id)
        if p.kind == "weekly_checkin" and p.state == "pending"
    ]
    assert waiting.due_at == MONDAY_9_PARIS + timedelta(seconds=5)
    assert waiting.last_error is not None
    harness.clock.now = MONDAY_9_PARIS + timedelta(seconds=6)
    assert (await harness.dispatch()).retried == 1
    harness.clock.now = MONDAY_9_PARIS + timedelta(seconds=30)
    assert (await harness.dispatch()).sent == 1
    await ada.expect("Weekly check-in")


async def test_prompt_that_keeps_failing_ends_failed_with_its_error_kept(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    harness.stub.fault_injector = lambda method, params: (
        Fault(status=500, description="Internal Server Error") if method == "sendMessage" else None
    )
    harness.clock.now = MONDAY_9_PARIS
    for _ in range(6):
        await harness.dispatch()
        harness.clock.advance(minutes=15)
    rows = await _prompts(harness, ada.user_id)
    failed = [p for p in rows if p.state == PromptState.FAILED]
    assert len(failed) == 1
    assert failed[0].attempts == 5
    assert failed[0].last_error is not None
    assert "gave up" in failed[0].last_error
    # The weekly rhythm survives a lost week.
    assert [p.due_at for p in rows if p.state == "pending" and p.kind == "weekly_checkin"] == [
        MONDAY_9_PARIS + timedelta(days=7)
    ]


async def test_checkin_flow_on_postgresql(postgres_url: str) -> None:
    async with bot_harness(postgres_url) as harness, harness.running():
        ada = await harness.onboard()
        harness.clock.now = MONDAY_9_PARIS
        assert (await harness.dispatch()).sent == 1
        await ada.expect("Weekly check-in")
        await _answer_checkin(ada, confidence="2")
        await ada.expect("Check-in saved", "One tiny step")
        checkin = await _checkin(harness, ada.user_id, "2026-W48")
        assert checkin is not None
        assert checkin.confidence == 2
        assert harness.stub.rejected_calls == []


async def test_back_from_a_weeks_downtime_this_weeks_check_in_still_goes_out(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard("Ada", "Madrid")  # Monday 09:00 Madrid = 08:00 UTC
    harness.clock.advance(days=8)  # Monday 30 Nov, 12:00 UTC: last week's is 7 days late
    # Last week's is skipped, too late to be worth sending; this week's, planned when that
    # skip is recorded, goes out in the same drain or the next, whichever comes first.
    first = await harness.dispatch()
    second = await harness.dispatch()
    assert first.skipped + second.skipped == 1
    assert first.sent + second.sent == 1  # this week's, four hours late, still arrives
    await ada.expect("Weekly check-in")


async def test_skip_week_tapped_twice_quickly_skips_once(harness: BotHarness) -> None:
    ada = await harness.onboard()
    harness.clock.now = MONDAY_9_PARIS
    await harness.dispatch()
    prompt = await ada.expect("Weekly check-in")
    data = button_data(prompt, "Skip this week")
    # A double tap: both presses leave before the bot answers, both with the keyboard.
    harness.stub.press(ada.user_id, prompt.message_id, data)
    harness.stub.press(ada.user_id, prompt.message_id, data)
    await ada.expect("we'll skip this week")
    await ada.expect_alert("earlier message")
    await ada.settle()
    said = [
        m.text for m in harness.stub.messages(ada.user_id) if "skip this week" in (m.text or "")
    ]
    assert len(said) == 1, said
