from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, create_session_factory
from storage.models import PtbConversation, PtbUserData
from storage.persistence import DatabasePersistence


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


def _persistence(engine: AsyncEngine) -> DatabasePersistence:
    return DatabasePersistence(create_session_factory(engine))


async def test_conversation_state_survives_a_new_persistence_instance(engine: AsyncEngine) -> None:
    first = _persistence(engine)
    await first.get_conversations("start")
    await first.update_conversation("start", (11, 11), 2)
    await first.update_conversation("start", (12, 12), 0)
    await first.update_conversation("start", (12, 12), None)  # that conversation ended

    second = _persistence(engine)
    assert await second.get_conversations("start") == {(11, 11): 2}
    assert await second.get_conversations("settings") == {}


async def test_user_chat_and_bot_data_round_trip_as_json(engine: AsyncEngine) -> None:
    first = _persistence(engine)
    await first.update_user_data(7, {"flow": "settings", "checkin_day": 3, "note": "é 🚀"})
    await first.update_chat_data(7, {"seen": [1, 2]})
    await first.update_bot_data({"version": 1})
    await first.update_callback_data(([("kb1", 1700000000.0, {"b1": "payload"})], {"q1": "kb1"}))

    second = _persistence(engine)
    assert await second.get_user_data() == {
        7: {"flow": "settings", "checkin_day": 3, "note": "é 🚀"}
    }
    assert await second.get_chat_data() == {7: {"seen": [1, 2]}}
    assert await second.get_bot_data() == {"version": 1}
    assert await second.get_callback_data() == (
        [("kb1", 1700000000.0, {"b1": "payload"})],
        {"q1": "kb1"},
    )


async def test_empty_user_data_leaves_no_row(engine: AsyncEngine) -> None:
    persistence = _persistence(engine)
    await persistence.update_user_data(8, {"flow": "start"})
    await persistence.update_user_data(8, {})
    async with create_session_factory(engine)() as session:
        rows = await session.scalar(select(func.count()).select_from(PtbUserData))
    assert rows == 0


async def test_conversation_rows_record_the_user_they_belong_to(engine: AsyncEngine) -> None:
    persistence = _persistence(engine)
    await persistence.update_conversation("settings", (500, 501), 3)
    async with create_session_factory(engine)() as session:
        row = await session.get(PtbConversation, ("settings", "[500,501]"))
    assert row is not None
    assert row.user_id == 501


async def test_drop_user_data_forgets_the_user(engine: AsyncEngine) -> None:
    persistence = _persistence(engine)
    await persistence.update_user_data(9, {"flow": "start"})
    await persistence.drop_user_data(9)
    assert await _persistence(engine).get_user_data() == {}
