"""Applications, their stages, notes and contacts, and what the planning queues after each
change — on SQLite and PostgreSQL, always scoped to one user."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.application_status import Status
from scheduler.application_planning import ApplicationTiming, log_application, record_status
from scheduler.kinds import APPLICATION_FOLLOWUP, INTERVIEW_REMINDER, REJECTION_REFLECTION
from storage.db import create_engine, create_session_factory
from storage.models import ApplicationEvent, ApplicationNote, PromptState, ScheduledPrompt
from storage.repositories.applications import ApplicationRepository
from storage.repositories.prompts import PromptRepository
from storage.repositories.users import UserRepository

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # Sunday, 13:00 in Paris
PARIS = ApplicationTiming(zone="Europe/Paris")
YESTERDAY = date(2026, 11, 21)
NEXT_TUESDAY = date(2026, 11, 24)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    factory = create_session_factory(engine)
    async with factory.begin() as session:
        for user_id in (1, 2):
            await UserRepository(session).ensure(user_id=user_id, first_name=f"User {user_id}")
    yield factory
    await engine.dispose()


async def _log(
    sessions: async_sessionmaker[AsyncSession],
    *,
    user_id: int = 1,
    company: str = "Stripe",
    role: str | None = "Senior PM",
    status: Status = Status.APPLIED,
    on: date = YESTERDAY,
    now: datetime = NOW,
) -> int:
    async with sessions.begin() as session:
        application = await log_application(
            session,
            user_id=user_id,
            company=company,
            role=role,
            status=status,
            on=on,
            timing=PARIS,
            now=now,
        )
        return application.id


async def _prompts(
    sessions: async_sessionmaker[AsyncSession], user_id: int = 1
) -> list[ScheduledPrompt]:
    async with sessions() as session:
        return await PromptRepository(session).all_for_user(user_id)


def _pending(prompts: list[ScheduledPrompt], kind: str) -> list[datetime]:
    return sorted(p.due_at for p in prompts if p.kind == kind and p.state == PromptState.PENDING)


async def test_applied_queues_three_followups_at_ten_local(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application_id = await _log(sessions)
    prompts = await _prompts(sessions)
    # 10:00 in Paris is 09:00 UTC in winter: 7, 14 and 21 days after applying.
    assert _pending(prompts, APPLICATION_FOLLOWUP) == [
        datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
        datetime(2026, 12, 5, 9, 0, tzinfo=UTC),
        datetime(2026, 12, 12, 9, 0, tzinfo=UTC),
    ]
    assert {p.payload["application_id"] for p in prompts} == {application_id}
    async with sessions() as session:
        application = await ApplicationRepository(session).get(
            user_id=1, application_id=application_id
        )
    assert application is not None
    assert (application.status, application.applied_on, application.status_on) == (
        "applied",
        YESTERDAY,
        YESTERDAY,
    )


async def test_interview_cancels_followups_and_queues_the_evening_before(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application_id = await _log(sessions)
    async with sessions.begin() as session:
        application = await ApplicationRepository(session).get(
            user_id=1, application_id=application_id
        )
        assert application is not None
        await record_status(
            session,
            application=application,
            status=Status.INTERVIEW,
            on=NEXT_TUESDAY,
            event_time=time(14, 0),
            timing=PARIS,
            now=NOW,
        )
    prompts = await _prompts(sessions)
    assert _pending(prompts, APPLICATION_FOLLOWUP) == []
    cancelled = [p for p in prompts if p.state == PromptState.CANCELLED]
    assert len(cancelled) == 3
    assert all(p.dedupe_key is None for p in cancelled)  # the slots are free again
    # Monday 23 November, 18:00 in Paris.
    assert _pending(prompts, INTERVIEW_REMINDER) == [datetime(2026, 11, 23, 17, 0, tzinfo=UTC)]
    async with sessions() as session:
        application = await ApplicationRepository(session).get(
            user_id=1, application_id=application_id
        )
        assert application is not None
        assert application.next_event_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
        assert application.interview_rounds == 1
        history = await ApplicationRepository(session).history(
            user_id=1, application_id=application_id
        )
    assert [(e.status, e.happened_on, e.round) for e in history] == [
        ("applied", YESTERDAY, None),
        ("interview", NEXT_TUESDAY, 1),
    ]


async def test_second_interview_counts_a_round_and_rejection_queues_the_reflection(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application_id = await _log(sessions, status=Status.INTERVIEW, on=NEXT_TUESDAY)
    async with sessions.begin() as session:
        repository = ApplicationRepository(session)
        application = await repository.get(user_id=1, application_id=application_id)
        assert application is not None
        await record_status(
            session,
            application=application,
            status=Status.INTERVIEW,
            on=date(2026, 12, 1),
            timing=PARIS,
            now=NOW,
        )
        assert application.interview_rounds == 2
        await record_status(
            session,
            application=application,
            status=Status.REJECTED,
            on=date(2026, 12, 3),
            timing=PARIS,
            now=NOW + timedelta(days=11),
        )
    prompts = await _prompts(sessions)
    assert _pending(prompts, INTERVIEW_REMINDER) == []
    # The next morning at 09:00 Paris after the day it was recorded (3 December).
    assert _pending(prompts, REJECTION_REFLECTION) == [datetime(2026, 12, 4, 8, 0, tzinfo=UTC)]
    async with sessions() as session:
        history = await ApplicationRepository(session).history(
            user_id=1, application_id=application_id
        )
    assert [(e.status, e.round) for e in history] == [
        ("interview", 1),
        ("interview", 2),
        ("rejected", None),
    ]


async def test_another_users_application_is_invisible_and_cannot_be_deleted(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application_id = await _log(sessions, user_id=1)
    async with sessions.begin() as session:
        repository = ApplicationRepository(session)
        assert await repository.get(user_id=2, application_id=application_id) is None
        assert await repository.history(user_id=2, application_id=application_id) == []
        assert not await repository.delete(user_id=2, application_id=application_id)
        assert await repository.all_for_user(user_id=2) == []
    async with sessions() as session:
        assert (
            await ApplicationRepository(session).get(user_id=1, application_id=application_id)
            is not None
        )


async def test_notes_and_contacts_are_kept_in_order_and_go_with_a_deleted_application(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application_id = await _log(sessions)
    async with sessions.begin() as session:
        repository = ApplicationRepository(session)
        application = await repository.get(user_id=1, application_id=application_id)
        assert application is not None
        await repository.add_note(
            application=application, kind="note", text="Ask <about> & equity", now=NOW
        )
        await repository.add_note(
            application=application,
            kind="recruiter",
            text="Jane Doe",
            reach="jane@stripe.com",
            now=NOW,
        )
    async with sessions() as session:
        notes = await ApplicationRepository(session).notes(user_id=1, application_id=application_id)
        assert [(n.kind, n.text, n.reach) for n in notes] == [
            ("note", "Ask <about> & equity", None),
            ("recruiter", "Jane Doe", "jane@stripe.com"),
        ]
        assert (
            await ApplicationRepository(session).notes(user_id=2, application_id=application_id)
            == []
        )
    async with sessions.begin() as session:
        assert await ApplicationRepository(session).delete(user_id=1, application_id=application_id)
    async with sessions() as session:
        events = await session.scalar(select(func.count()).select_from(ApplicationEvent))
        notes_left = await session.scalar(select(func.count()).select_from(ApplicationNote))
    assert (events, notes_left) == (0, 0)


async def test_applied_since_counts_the_days_applied_not_the_days_logged(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _log(sessions, company="Old", on=date(2026, 11, 10))
    recent_id = await _log(sessions, company="Recent", on=date(2026, 11, 16))
    await _log(sessions, company="Saved", status=Status.SAVED, on=date(2026, 11, 20))
    await _log(sessions, user_id=2, company="Someone else's", on=date(2026, 11, 20))
    async with sessions() as session:
        found = await ApplicationRepository(session).applied_since(
            user_id=1, since=date(2026, 11, 16)
        )
    assert [a.id for a in found] == [recent_id]


async def test_update_details_sets_role_and_link_only_when_given(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application_id = await _log(sessions, role=None)
    later = NOW + timedelta(hours=1)
    async with sessions.begin() as session:
        repository = ApplicationRepository(session)
        application = await repository.get(user_id=1, application_id=application_id)
        assert application is not None
        await repository.update_details(
            application=application, role="PM", url="https://x.io/1", now=later
        )
        await repository.update_details(application=application, role=None, url=None, now=later)
    async with sessions() as session:
        application = await ApplicationRepository(session).get(
            user_id=1, application_id=application_id
        )
    assert application is not None
    assert (application.role, application.url, application.updated_at) == (
        "PM",
        "https://x.io/1",
        later,
    )


async def test_counts_by_status_and_page_are_per_user(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    for company in ("A", "B", "C"):
        await _log(sessions, company=company)
    await _log(sessions, company="D", status=Status.REJECTED, on=YESTERDAY)
    await _log(sessions, user_id=2, company="E")
    async with sessions() as session:
        repository = ApplicationRepository(session)
        assert await repository.counts_by_status(user_id=1) == {"applied": 3, "rejected": 1}
        page = await repository.page(user_id=1, statuses=["applied"], offset=1, limit=1)
    assert len(page) == 1


async def test_set_interview_round_names_the_latest_interview(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application_id = await _log(sessions, status=Status.INTERVIEW, on=NEXT_TUESDAY)
    async with sessions.begin() as session:
        repository = ApplicationRepository(session)
        application = await repository.get(user_id=1, application_id=application_id)
        assert application is not None
        await repository.set_interview_round(application=application, round=3)
    async with sessions() as session:
        repository = ApplicationRepository(session)
        application = await repository.get(user_id=1, application_id=application_id)
        history = await repository.history(user_id=1, application_id=application_id)
    assert application is not None
    assert application.interview_rounds == 3
    assert [(e.status, e.round) for e in history] == [("interview", 3)]
