"""PostgreSQL connections are checked only after being idle: a connection the server
dropped meanwhile (a restart) is replaced unseen, and a busy bot pays no check."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import db
from storage.db import create_engine, create_session_factory
from tests.conftest import ADMIN_POSTGRES_URL


@pytest.fixture
async def engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(postgres_url)
    yield engine
    await engine.dispose()


def _count_pings(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    dialect = engine.sync_engine.dialect
    pings: list[object] = []
    ping = dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return pings


async def _backend_pid(engine: AsyncEngine) -> int:
    async with create_session_factory(engine).begin() as session:
        return int(await session.scalar(text("SELECT pg_backend_pid()")))


async def _terminate(pid: int) -> None:
    admin = await asyncpg.connect(ADMIN_POSTGRES_URL)
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_connection_used_a_moment_ago_is_not_pinged(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings = _count_pings(engine, monkeypatch)
    first = await _backend_pid(engine)
    for _ in range(20):
        assert await _backend_pid(engine) == first  # the same pooled connection
    assert pings == []


async def test_idle_connection_dropped_by_the_server_is_replaced_unseen(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings = _count_pings(engine, monkeypatch)
    dead = await _backend_pid(engine)
    await _terminate(dead)  # as a server restart would, while the bot was quiet
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    replacement = await _backend_pid(engine)  # no error reaches the caller
    assert replacement != dead
    assert len(pings) == 1
