"""A running bot on a fresh SQLite file, talking to the Bot API stub over real HTTP."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import User
from tests.harness import BotHarness, bot_harness


@pytest.fixture
async def harness(sqlite_url: str, caplog: pytest.LogCaptureFixture) -> AsyncIterator[BotHarness]:
    caplog.set_level(logging.WARNING)
    async with bot_harness(sqlite_url) as started, started.running():
        yield started
        rejected = [(c.method, c.description) for c in started.stub.rejected_calls]
    assert rejected == [], f"the bot made calls Telegram would reject: {rejected}"
    errors = [
        r.getMessage()
        for r in caplog.records
        if r.name == "handlers.errors" and r.levelno >= logging.ERROR
    ]
    assert errors == [], f"the error handler was reached: {errors}"


async def load_user(harness: BotHarness, user_id: int) -> User:
    assert harness.application is not None
    sessions: async_sessionmaker[AsyncSession] = harness.application.services.sessions
    async with sessions() as session:
        user = await session.get(User, user_id)
    assert user is not None, f"user {user_id} was never stored"
    return user
