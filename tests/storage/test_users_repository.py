from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import create_engine, create_session_factory
from storage.repositories.users import UserRepository


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    yield create_session_factory(engine)
    await engine.dispose()


async def test_ensure_creates_user_once_with_defaults(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await UserRepository(session).ensure(user_id=42, first_name="Ada", language="fr")
    async with sessions.begin() as session:
        await UserRepository(session).ensure(user_id=42, first_name="Ada", username="ada")
    async with sessions() as session:
        repository = UserRepository(session)
        user = await repository.get(42)
        assert await repository.count() == 1
    assert user is not None
    assert (user.first_name, user.username, user.language) == ("Ada", "ada", "fr")
    assert (user.checkin_weekday, user.checkin_time) == (0, time(9, 0))
    assert user.active and not user.paused
    assert user.created_at.tzinfo is not None


async def test_large_telegram_ids_and_emoji_names_round_trip(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    big_id = 7_999_999_999  # Telegram ids exceed 32 bits
    async with sessions.begin() as session:
        await UserRepository(session).ensure(user_id=big_id, first_name="Zoë 🚀 <b>&")
    async with sessions() as session:
        user = await UserRepository(session).get(big_id)
    assert user is not None
    assert user.first_name == "Zoë 🚀 <b>&"


async def test_settings_changes_are_saved_by_the_caller_commit(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    until = datetime(2027, 1, 15, 23, 0, tzinfo=UTC)
    async with sessions.begin() as session:
        repository = UserRepository(session)
        await repository.ensure(user_id=1, first_name="Ada")
        await repository.set_timezone(user_id=1, timezone="Europe/Paris")
        await repository.set_checkin_schedule(user_id=1, weekday=4, at=time(18, 30))
        await repository.pause(user_id=1, until=until)
    async with sessions() as session:
        user = await UserRepository(session).get(1)
    assert user is not None
    assert (user.timezone, user.checkin_weekday, user.checkin_time) == (
        "Europe/Paris",
        4,
        time(18, 30),
    )
    assert user.paused
    assert user.paused_until == until


async def test_repository_leaves_transaction_to_caller_so_rollback_discards(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        await UserRepository(session).ensure(user_id=5, first_name="Ada")
        await session.rollback()
    async with sessions() as session:
        assert await UserRepository(session).get(5) is None


async def test_resume_and_inactive_flags_change_and_writing_again_reactivates(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        repository = UserRepository(session)
        await repository.ensure(user_id=9, first_name="Ada")
        await repository.pause(user_id=9, until=None)
        await repository.resume(user_id=9)
        await repository.mark_inactive(user_id=9)
    async with sessions() as session:
        user = await UserRepository(session).get(9)
        assert user is not None
        assert not user.paused
        assert not user.active
    async with sessions.begin() as session:
        user = await UserRepository(session).ensure(user_id=9, first_name="Ada")
        assert user.active


async def test_invalid_weekday_is_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        with pytest.raises(ValueError, match="weekday"):
            await UserRepository(session).set_checkin_schedule(user_id=1, weekday=7, at=time(9))
