from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import create_engine, create_session_factory
from storage.repositories.inbound_updates import InboundUpdateRepository

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    yield create_session_factory(engine)
    await engine.dispose()


def _payload(update_id: int, text: str) -> dict[str, object]:
    return {"update_id": update_id, "message": {"message_id": update_id, "text": text}}


async def _record(sessions: async_sessionmaker[AsyncSession], update_id: int) -> bool:
    async with sessions.begin() as session:
        return await InboundUpdateRepository(session).record(
            update_id=update_id, user_id=7, payload=_payload(update_id, "héllo <b>"), now=NOW
        )


async def test_same_update_id_is_journaled_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert await _record(sessions, 10)
    assert not await _record(sessions, 10)


async def test_unprocessed_updates_come_back_in_order_with_their_payload(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    for update_id in (12, 10, 11):
        await _record(sessions, update_id)
    async with sessions.begin() as session:
        await InboundUpdateRepository(session).mark_processed(update_id=11, now=NOW)
    async with sessions() as session:
        unprocessed = await InboundUpdateRepository(session).unprocessed()
    assert unprocessed == [_payload(10, "héllo <b>"), _payload(12, "héllo <b>")]


async def test_processed_update_keeps_no_payload_and_is_still_recognised(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _record(sessions, 10)
    async with sessions.begin() as session:
        await InboundUpdateRepository(session).mark_processed(update_id=10, now=NOW)
    async with sessions() as session:
        assert await InboundUpdateRepository(session).unprocessed() == []
    assert not await _record(sessions, 10)


async def test_prune_forgets_only_processed_updates_older_than_the_cut(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    for update_id in (10, 11, 12):
        await _record(sessions, update_id)
    async with sessions.begin() as session:
        repository = InboundUpdateRepository(session)
        await repository.mark_processed(update_id=10, now=NOW - timedelta(days=3))
        await repository.mark_processed(update_id=11, now=NOW)
    async with sessions.begin() as session:
        pruned = await InboundUpdateRepository(session).prune(
            processed_before=NOW - timedelta(days=2)
        )
    assert pruned == 1
    assert await _record(sessions, 10)  # forgotten
    assert not await _record(sessions, 11)
    assert not await _record(sessions, 12)  # never processed: kept


async def test_a_batch_is_journaled_at_once_and_re_deliveries_are_told_apart(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert await _record(sessions, 20)
    batch = [(update_id, 7, _payload(update_id, "hi")) for update_id in (20, 21, 22)]
    async with sessions.begin() as session:
        new = await InboundUpdateRepository(session).record_many(updates=batch, now=NOW)
    assert new == {21, 22}
    async with sessions.begin() as session:
        assert await InboundUpdateRepository(session).record_many(updates=batch, now=NOW) == set()
        assert await InboundUpdateRepository(session).record_many(updates=[], now=NOW) == set()
        payloads = await InboundUpdateRepository(session).unprocessed()
    assert [payload["update_id"] for payload in payloads] == [20, 21, 22]
