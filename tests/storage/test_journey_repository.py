"""The coaching steps' answers and completions, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import create_engine, create_session_factory
from storage.models import StepCompletion
from storage.repositories.journey import JourneyRepository
from storage.repositories.users import UserRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    factory = create_session_factory(engine)
    async with factory.begin() as session:
        for user_id in (1, 2):
            await UserRepository(session).ensure(user_id=user_id, first_name=f"User {user_id}")
    yield factory
    await engine.dispose()


async def test_answer_save_replaces_the_earlier_answer_only_for_that_user(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        journey = JourneyRepository(session)
        await journey.save(user_id=1, step="why", key="pull", value="Data 📊 <b>", now=NOW)
        await journey.save(user_id=2, step="why", key="pull", value="Teaching", now=NOW)
    async with sessions.begin() as session:
        await JourneyRepository(session).save(
            user_id=1, step="why", key="pull", value="x" * 5000, now=NOW + timedelta(minutes=1)
        )
    async with sessions() as session:
        journey = JourneyRepository(session)
        assert await journey.answers(user_id=1, step="why") == {"pull": "x" * 5000}
        assert await journey.answer(user_id=2, step="why", key="pull") == "Teaching"
        assert await journey.answers(user_id=1, step="team") == {}


async def test_forget_removes_one_answer(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        journey = JourneyRepository(session)
        await journey.save(user_id=1, step="target", key="title", value="Nurse", now=NOW)
        await journey.save(user_id=1, step="target", key="occupation", value="29-1141.00", now=NOW)
        await journey.forget(user_id=1, step="target", key="occupation")
    async with sessions() as session:
        assert await JourneyRepository(session).answers(user_id=1, step="target") == {
            "title": "Nurse"
        }


async def test_complete_twice_keeps_the_first_completion_time(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await JourneyRepository(session).complete(user_id=1, step="why", now=NOW)
    async with sessions.begin() as session:
        await JourneyRepository(session).complete(
            user_id=1, step="why", now=NOW + timedelta(days=3)
        )
    async with sessions() as session:
        journey = JourneyRepository(session)
        assert await journey.is_complete(user_id=1, step="why")
        assert not await journey.is_complete(user_id=2, step="why")
        assert await journey.completed_steps(user_id=1) == {"why"}
        completion = await session.get(StepCompletion, (1, "why"))
    assert completion is not None
    assert completion.completed_at == NOW
    assert completion.updated_at == NOW + timedelta(days=3)
