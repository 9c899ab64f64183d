from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.kinds import WEEKLY_CHECKIN
from scheduler.planning import queue_next_checkin, reschedule_checkins
from storage.db import create_engine, create_session_factory
from storage.models import PromptState
from storage.repositories.prompts import PromptRepository
from storage.repositories.users import UserRepository

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # Sunday


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    async with sessions.begin() as session:
        users = UserRepository(session)
        for user_id in (1, 2):
            await users.ensure(user_id=user_id, first_name=f"User{user_id}")
            await users.set_timezone(user_id=user_id, timezone="Europe/Paris")
    yield sessions
    await engine.dispose()


async def _enqueue(sessions: async_sessionmaker[AsyncSession], key: str, due: datetime) -> bool:
    async with sessions.begin() as session:
        return await PromptRepository(session).enqueue(
            user_id=1, kind=WEEKLY_CHECKIN, due_at=due, dedupe_key=key
        )


async def test_same_dedupe_key_is_queued_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    assert await _enqueue(sessions, "checkin:1:2026-W48", NOW)
    assert not await _enqueue(sessions, "checkin:1:2026-W48", NOW + timedelta(hours=1))
    async with sessions() as session:
        assert len(await PromptRepository(session).pending_for_user(1)) == 1


async def test_claim_takes_only_due_prompts_and_not_twice(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _enqueue(sessions, "due", NOW - timedelta(minutes=1))
    await _enqueue(sessions, "later", NOW + timedelta(hours=1))
    async with sessions.begin() as session:
        first = await PromptRepository(session).claim_due(
            now=NOW, lease_until=NOW + timedelta(seconds=60), claimer="a", limit=10
        )
    async with sessions.begin() as session:
        again = await PromptRepository(session).claim_due(
            now=NOW + timedelta(seconds=30), lease_until=NOW, claimer="b", limit=10
        )
    assert [p.dedupe_key for p in first] == ["due"]
    assert first[0].attempts == 1
    assert again == []


async def test_expired_lease_returns_the_prompt_to_be_claimed_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _enqueue(sessions, "due", NOW)
    async with sessions.begin() as session:
        await PromptRepository(session).claim_due(
            now=NOW, lease_until=NOW + timedelta(seconds=60), claimer="crashed", limit=10
        )
    later = NOW + timedelta(seconds=61)
    async with sessions.begin() as session:
        reclaimed = await PromptRepository(session).claim_due(
            now=later, lease_until=later + timedelta(seconds=60), claimer="b", limit=10
        )
    assert [p.dedupe_key for p in reclaimed] == ["due"]
    assert reclaimed[0].attempts == 2


async def test_mark_sent_only_by_the_claimer(sessions: async_sessionmaker[AsyncSession]) -> None:
    await _enqueue(sessions, "due", NOW)
    async with sessions.begin() as session:
        claimed = await PromptRepository(session).claim_due(
            now=NOW, lease_until=NOW + timedelta(seconds=60), claimer="a", limit=10
        )
    async with sessions.begin() as session:
        repository = PromptRepository(session)
        await repository.mark_sent(prompt_ids=[claimed[0].id], claimer="someone-else", now=NOW)
        await repository.mark_sent(prompt_ids=[claimed[0].id], claimer="a", now=NOW)
    async with sessions() as session:
        (row,) = await PromptRepository(session).all_for_user(1)
    assert row.state == PromptState.SENT
    assert row.sent_at == NOW


async def test_cancel_frees_the_dedupe_key(sessions: async_sessionmaker[AsyncSession]) -> None:
    await _enqueue(sessions, "checkin:1:2026-W48", NOW)
    async with sessions.begin() as session:
        assert await PromptRepository(session).cancel_pending(user_id=1, reason="test") == 1
    assert await _enqueue(sessions, "checkin:1:2026-W48", NOW + timedelta(hours=2))


async def test_zone_change_moves_the_next_checkin(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        first = await reschedule_checkins(session, user_id=1, now=NOW, default_zone="UTC")
    async with sessions.begin() as session:
        await UserRepository(session).set_timezone(user_id=1, timezone="America/New_York")
        moved = await reschedule_checkins(session, user_id=1, now=NOW, default_zone="UTC")
    async with sessions() as session:
        pending = await PromptRepository(session).pending_for_user(1)
    assert first == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 Paris
    assert moved == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Monday 09:00 New York
    assert [p.due_at for p in pending] == [moved]


async def test_pause_stops_and_pause_until_resumes_after_the_date(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        users = UserRepository(session)
        await users.pause(user_id=1, until=None)
        assert await reschedule_checkins(session, user_id=1, now=NOW, default_zone="UTC") is None
        until = datetime(2026, 12, 9, 23, 0, tzinfo=UTC)  # Thursday 10 Dec, Paris midnight
        await users.pause(user_id=1, until=until)
        resumed = await reschedule_checkins(session, user_id=1, now=NOW, default_zone="UTC")
        await users.resume(user_id=1)
        back = await reschedule_checkins(session, user_id=1, now=NOW, default_zone="UTC")
    assert resumed == datetime(2026, 12, 14, 8, 0, tzinfo=UTC)  # first Monday after the pause
    assert back == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def test_a_week_that_had_its_checkin_is_not_queued_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        user = await UserRepository(session).get(1)
        assert user is not None
        monday = await queue_next_checkin(session, user=user, after=NOW, default_zone="UTC")
    async with sessions.begin() as session:
        # This week's check-in went out; then the user moves it to Friday of the same week.
        prompts = PromptRepository(session)
        claimed = await prompts.claim_due(
            now=NOW + timedelta(days=1), lease_until=NOW + timedelta(days=2), claimer="a", limit=5
        )
        await prompts.mark_sent(prompt_ids=[c.id for c in claimed], claimer="a", now=NOW)
        await UserRepository(session).set_checkin_schedule(user_id=1, weekday=4, at=time(9))
        friday = await reschedule_checkins(
            session, user_id=1, now=NOW + timedelta(days=1), default_zone="UTC"
        )
    assert monday == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert friday == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # next week's Friday


async def test_concurrent_claimers_never_share_a_prompt(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    for index in range(60):
        await _enqueue(sessions, f"k{index}", NOW - timedelta(seconds=index))

    async def claim(name: str) -> list[int]:
        taken: list[int] = []
        while True:
            async with sessions.begin() as session:
                batch = await PromptRepository(session).claim_due(
                    now=NOW, lease_until=NOW + timedelta(minutes=1), claimer=name, limit=7
                )
            if not batch:
                return taken
            taken += [p.id for p in batch]
            await asyncio.sleep(0)

    first, second = await asyncio.gather(claim("a"), claim("b"))
    assert len(first) + len(second) == 60
    assert not set(first) & set(second)


async def test_prune_forgets_old_finished_prompts_but_never_pending_ones(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _enqueue(sessions, "old-sent", NOW)
    await _enqueue(sessions, "old-pending", NOW)
    async with sessions.begin() as session:
        prompts = PromptRepository(session)
        (sent,) = [p for p in await prompts.all_for_user(1) if p.dedupe_key == "old-sent"]
        await prompts.finish(prompt_ids=[sent.id], state=PromptState.SENT, reason="")
    later = datetime.now(UTC) + timedelta(days=1)  # both were created before this
    async with sessions.begin() as session:
        assert await PromptRepository(session).prune(finished_before=later) == 1
    async with sessions() as session:
        left = await PromptRepository(session).all_for_user(1)
    assert [p.dedupe_key for p in left] == ["old-pending"]
