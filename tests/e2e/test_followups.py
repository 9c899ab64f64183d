"""Follow-up nudges on applications with no news, and the reminder the evening before an
interview, as a user in Paris lives them (the clock is moved by hand)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.application_status import Status
from scheduler.application_planning import log_application, record_status, timing_for
from scheduler.kinds import APPLICATION_KINDS
from storage.models import Application, ApplicationNote, PromptState, ScheduledPrompt, User
from storage.repositories.applications import ApplicationRepository
from storage.repositories.journey import JourneyRepository
from storage.repositories.prompts import PromptRepository
from tests.harness import BotHarness, ChatUser

PARIS = "Europe/Paris"
APPLIED_ON = date(2026, 11, 22)  # the harness clock starts on Sunday 22 November, 12:00 UTC
COMPANY = "Café <Crème> & Co"
ROLE = "Data Analyst"


def at_utc(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)


def sessions(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    assert harness.application is not None
    return harness.application.services.sessions


async def apply(
    harness: BotHarness,
    user: ChatUser,
    *,
    company: str = COMPANY,
    role: str | None = ROLE,
    status: Status = Status.APPLIED,
    on: date = APPLIED_ON,
    event_time: time | None = None,
) -> int:
    """Log an application the way /applied and plain messages do; returns its id."""
    assert harness.application is not None
    settings = harness.application.services.settings
    async with sessions(harness).begin() as session:
        application = await log_application(
            session,
            user_id=user.user_id,
            company=company,
            role=role,
            status=status,
            on=on,
            event_time=event_time,
            timing=timing_for(zone=PARIS, settings=settings),
            now=harness.clock.now,
        )
        return application.id


async def change_status(
    harness: BotHarness,
    user: ChatUser,
    application_id: int,
    status: Status,
    on: date,
    event_time: time | None = None,
) -> None:
    assert harness.application is not None
    settings = harness.application.services.settings
    async with sessions(harness).begin() as session:
        application = await ApplicationRepository(session).get(
            user_id=user.user_id, application_id=application_id
        )
        assert application is not None
        await record_status(
            session,
            application=application,
            status=status,
            on=on,
            event_time=event_time,
            timing=timing_for(zone=PARIS, settings=settings),
            now=harness.clock.now,
        )


async def load_application(harness: BotHarness, application_id: int) -> Application | None:
    async with sessions(harness)() as session:
        return await session.get(Application, application_id)


async def notes(harness: BotHarness, user: ChatUser, application_id: int) -> list[ApplicationNote]:
    async with sessions(harness)() as session:
        return await ApplicationRepository(session).notes(
            user_id=user.user_id, application_id=application_id
        )


async def application_prompts(harness: BotHarness, user: ChatUser) -> list[ScheduledPrompt]:
    async with sessions(harness)() as session:
        rows = await PromptRepository(session).all_for_user(user.user_id)
    return [row for row in rows if row.kind in APPLICATION_KINDS]


async def pending(harness: BotHarness, user: ChatUser) -> list[tuple[str, datetime]]:
    rows = await application_prompts(harness, user)
    return [(row.kind, row.due_at) for row in rows if row.state == PromptState.PENDING]


async def save_why(harness: BotHarness, user: ChatUser, statement: str) -> None:
    async with sessions(harness).begin() as session:
        await JourneyRepository(session).save(
            user_id=user.user_id,
            step="why",
            key="statement",
            value=statement,
            now=harness.clock.now,
        )


def sent_html(harness: BotHarness, user: ChatUser, fragment: str) -> str:
    """The HTML of the newest message sent to `user` containing `fragment` (as sent)."""
    for call in reversed(harness.stub.calls):
        text = str(call.params.get("text", ""))
        if (
            call.method == "sendMessage"
            and str(call.params.get("chat_id")) == str(user.user_id)
            and fragment in text
        ):
            return text
    raise AssertionError(f"nothing containing {fragment!r} was sent to {user.first_name}")


def last_message_id(harness: BotHarness, user: ChatUser) -> int:
    return harness.stub.messages(user.user_id)[-1].message_id


async def dispatch_at(harness: BotHarness, moment: datetime) -> int:
    """Move the clock and run the dispatcher once; returns how many prompts were sent."""
    harness.clock.now = moment
    return (await harness.dispatch()).sent


DAY_7 = at_utc(APPLIED_ON + timedelta(days=7), 9)  # 10:00 in Paris (UTC+1 in winter)
DAY_14 = at_utc(APPLIED_ON + timedelta(days=14), 9)
DAY_21 = at_utc(APPLIED_ON + timedelta(days=21), 9)


async def test_followups_arrive_at_10_local_on_days_7_14_21_with_done_snooze_and_no_answer(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    app_id = await apply(harness, ada)
    assert await pending(harness, ada) == [
        ("app_followup", DAY_7),
        ("app_followup", DAY_14),
        ("app_followup", DAY_21),
    ]

    assert await dispatch_at(harness, DAY_7 - timedelta(seconds=1)) == 0
    assert await dispatch_at(harness, DAY_7 + timedelta(seconds=5)) == 1
    first = await ada.expect("7 days since you applied", ROLE, COMPANY)
    assert first.buttons == ["✅ Done, I followed up", "⏰ Snooze 3 days", "🙈 Mark no answer"]
    html = sent_html(harness, ada, "7 days since you applied")
    assert (
        "<code>Hello, I applied for the Data Analyst position at Café &lt;Crème&gt; &amp; Co "
        "on 22 Nov and wanted to follow up." in html
    )
    await ada.press("Done, I followed up")
    await ada.expect("following up is the step most applicants skip", COMPANY)
    assert [n.text for n in await notes(harness, ada, app_id)] == [
        "Followed up (7 days after applying)"
    ]

    assert await dispatch_at(harness, DAY_14 + timedelta(seconds=5)) == 1
    await ada.expect("14 days without news", "Hi again, I'm following up on my application")
    await ada.press("Snooze 3 days")
    await ada.expect("bring it up again on", "Wednesday 9 December 2026")
    snoozed = DAY_14 + timedelta(days=3)
    assert await dispatch_at(harness, snoozed - timedelta(seconds=1)) == 0
    assert await dispatch_at(harness, snoozed + timedelta(seconds=5)) == 1
    await ada.expect("17 days without news")

    assert await dispatch_at(harness, DAY_21 + timedelta(seconds=5)) == 1
    third = await ada.expect("21 days", "still nothing from", "Shall I mark it as no answer?")
    assert "checking in one last time" in third.text
    await ada.press("Mark no answer")
    await ada.expect("Marked", "as no answer", "follow up after a week")
    application = await load_application(harness, app_id)
    assert application is not None
    assert application.status == "no_answer"
    assert await pending(harness, ada) == []


async def test_mark_no_answer_at_the_first_nudge_cancels_the_rest(harness: BotHarness) -> None:
    ada = await harness.onboard()
    app_id = await apply(harness, ada, role=None)
    await dispatch_at(harness, DAY_7 + timedelta(seconds=5))
    await ada.expect("7 days since you applied", "Hello, I applied for a position at")
    await ada.press("Mark no answer")
    await ada.expect("as no answer")
    async with sessions(harness)() as session:
        history = await ApplicationRepository(session).history(
            user_id=ada.user_id, application_id=app_id
        )
    assert [(e.status, e.happened_on) for e in history] == [
        ("applied", APPLIED_ON),
        ("no_answer", DAY_7.date()),
    ]
    states = [(row.payload["step"], row.state) for row in await application_prompts(harness, ada)]
    assert states == [(1, "sent"), (2, "cancelled"), (3, "cancelled")]
    assert await dispatch_at(harness, DAY_14 + timedelta(seconds=5)) == 0
    assert await dispatch_at(harness, DAY_21 + timedelta(seconds=5)) == 0


async def test_status_change_before_day_7_means_no_nudge(harness: BotHarness) -> None:
    ada = await harness.onboard()
    app_id = await apply(harness, ada)
    harness.clock.now = at_utc(APPLIED_ON + timedelta(days=3), 16)
    await change_status(
        harness, ada, app_id, Status.SCREENING, on=date(2026, 12, 1), event_time=time(11, 0)
    )
    assert await pending(harness, ada) == [("app_interview", at_utc(date(2026, 11, 30), 17))]
    followups = [p for p in await application_prompts(harness, ada) if p.kind == "app_followup"]
    assert {p.state for p in followups} == {PromptState.CANCELLED}
    assert await dispatch_at(harness, DAY_7 + timedelta(seconds=5)) == 0
    assert await ada.settle() == []


async def test_nudge_for_a_deleted_or_moved_on_application_is_dropped_unsent(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard("Ada")
    bob = await harness.onboard("Bob")
    deleted = await apply(harness, ada)
    moved = await apply(harness, bob)
    async with sessions(harness).begin() as session:
        assert await ApplicationRepository(session).delete(
            user_id=ada.user_id, application_id=deleted
        )
        # A change that bypassed record_status (its nudges still stand): render must notice.
        application = await session.get(Application, moved)
        assert application is not None
        application.status = "interview"
    assert await dispatch_at(harness, DAY_7 + timedelta(seconds=5)) == 0
    dropped = [
        p
        for user in (ada, bob)
        for p in await application_prompts(harness, user)
        if p.state == PromptState.SKIPPED
    ]
    assert [p.last_error for p in dropped] == ["no longer applies", "no longer applies"]


async def test_interview_reminder_arrives_at_18_local_the_evening_before(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await save_why(harness, ada, "I want my work to <matter> to patients")
    app_id = await apply(
        harness, ada, status=Status.INTERVIEW, on=date(2026, 12, 2), event_time=time(14, 30)
    )
    evening_before = at_utc(date(2026, 12, 1), 17)  # 18:00 in Paris
    assert await pending(harness, ada) == [("app_interview", evening_before)]
    assert await dispatch_at(harness, evening_before - timedelta(seconds=1)) == 0
    assert await dispatch_at(harness, evening_before + timedelta(seconds=5)) == 1
    reminder = await ada.expect(
        "Tomorrow at 14:30: your interview",
        f"{COMPANY} ({ROLE})",
        "60-second story for this role",
        "Two examples with numbers",
        "Three questions to ask them",
        "I want my work to <matter> to patients",
    )
    assert reminder.buttons == ["💪 I'm ready"]
    await ada.press("I'm ready")
    await ada.expect("Good luck tomorrow")
    application = await load_application(harness, app_id)
    assert application is not None
    assert application.status == "interview"


async def test_interview_reminder_for_a_moved_interview_is_dropped(harness: BotHarness) -> None:
    ada = await harness.onboard()
    app_id = await apply(
        harness, ada, status=Status.SCREENING, on=date(2026, 12, 2), event_time=time(9, 0)
    )
    async with sessions(harness).begin() as session:
        application = await session.get(Application, app_id)
        assert application is not None
        application.next_event_at = at_utc(date(2026, 12, 9), 8)
    assert await dispatch_at(harness, at_utc(date(2026, 12, 1), 17, second=5)) == 0
    (reminder,) = await application_prompts(harness, ada)
    assert (reminder.state, reminder.last_error) == (PromptState.SKIPPED, "no longer applies")


async def test_second_user_cannot_press_buttons_naming_someone_elses_application(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard("Ada")
    bob = await harness.onboard("Bob")
    app_id = await apply(harness, ada)
    await dispatch_at(harness, DAY_7 + timedelta(seconds=5))
    await ada.expect("7 days since you applied")
    before = await pending(harness, ada)
    bobs_message = last_message_id(harness, bob)
    for data in (
        f"fu:noans:{app_id}",
        f"fu:snooze:{app_id}:1",
        f"fu:done:{app_id}:1",
        f"iv:ready:{app_id}",
    ):
        await bob.press_data(bobs_message, data)
        await bob.expect_alert("isn't in your log")
    assert await bob.settle() == []
    application = await load_application(harness, app_id)
    assert application is not None
    assert application.status == "applied"
    assert await notes(harness, ada, app_id) == []
    assert await pending(harness, ada) == before
    assert await pending(harness, bob) == []


async def test_buttons_on_a_nudge_for_an_application_that_moved_on_change_nothing(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    app_id = await apply(harness, ada)
    await dispatch_at(harness, DAY_7 + timedelta(seconds=5))
    nudge = await ada.expect("7 days since you applied")
    await change_status(harness, ada, app_id, Status.REJECTED, on=DAY_7.date())
    await ada.press("Mark no answer", message_id=nudge.message_id)
    await ada.expect_alert("moved on since")
    await ada.press("Done, I followed up", message_id=nudge.message_id)
    await ada.expect_alert("moved on since")
    application = await load_application(harness, app_id)
    assert application is not None
    assert application.status == "rejected"
    assert await notes(harness, ada, app_id) == []


async def test_two_applications_sent_the_same_day_both_get_their_nudge(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await apply(harness, ada, company="Initech")
    await apply(harness, ada, company="Globex")
    assert await dispatch_at(harness, DAY_7 + timedelta(seconds=5)) == 2


async def test_follow_up_due_during_a_dated_pause_arrives_when_it_ends(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    pause_ends = at_utc(date(2026, 12, 2), 12)
    async with sessions(harness).begin() as session:
        user = await session.get(User, ada.user_id)
        assert user is not None
        user.paused, user.paused_until = True, pause_ends
    await apply(harness, ada)

    harness.clock.now = at_utc(date(2026, 11, 29), 9, second=5)  # day 7, 10:00 Paris
    assert (await harness.dispatch()).sent == 0
    async with sessions(harness)() as session:
        pending = await PromptRepository(session).pending_for_user(ada.user_id)
    waiting = [p for p in pending if p.payload.get("step") == 1]
    assert [p.due_at for p in waiting] == [pause_ends]  # postponed, not lost

    harness.clock.now = pause_ends + timedelta(seconds=5)
    assert (await harness.dispatch()).sent == 1
    await ada.expect("10 days since you applied", COMPANY)  # counted on the day it arrives
