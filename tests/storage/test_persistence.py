from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import create_engine, create_session_factory
from storage.models import InboundUpdate, PtbConversation, PtbUserData
from storage.persistence import DatabasePersistence
from storage.repositories.inbound_updates import InboundUpdateRepository
from storage.repositories.ptb_state import PtbStateRepository
from tests.storage.commits import count_commits

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


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


async def test_changes_of_one_flush_are_written_in_one_transaction(engine: AsyncEngine) -> None:
    """PTB hands over a flush's changes all at once: one commit, not one each (on SQLite
    they would also queue for the single writer lock)."""
    persistence = _persistence(engine)
    commits = count_commits(engine)
    await asyncio.gather(
        persistence.update_user_data(21, {"flow": "why"}),
        persistence.update_conversation("why", (21, 21), 0),
        persistence.update_conversation("settings", (21, 21), None),
        persistence.update_bot_data({}),  # unchanged: nothing to write
    )
    assert commits() == 1
    second = _persistence(engine)
    assert await second.get_user_data() == {21: {"flow": "why"}}
    assert await second.get_conversations("why") == {(21, 21): 0}


async def test_a_write_that_failed_is_tried_again_on_the_next_flush(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    persistence = _persistence(engine)
    put = PtbStateRepository.put_user_data

    async def failing(self: PtbStateRepository, *, user_id: int, data: dict[str, Any]) -> None:
        raise OSError("database went away")

    monkeypatch.setattr(PtbStateRepository, "put_user_data", failing)
    with pytest.raises(OSError, match="went away"):
        await persistence.update_user_data(22, {"flow": "plan"})
    monkeypatch.setattr(PtbStateRepository, "put_user_data", put)
    await persistence.update_user_data(22, {"flow": "plan"})  # the same data: not skipped
    assert await _persistence(engine).get_user_data() == {22: {"flow": "plan"}}


async def test_unchanged_data_is_not_written_again(engine: AsyncEngine) -> None:
    persistence = _persistence(engine)
    await persistence.update_user_data(23, {"flow": "team"})
    commits = count_commits(engine)
    await persistence.update_user_data(23, {"flow": "team"})
    assert commits() == 0


def _journal(update_id: int) -> Callable[[AsyncSession], Awaitable[None]]:
    """A write that is not PTB state, as the update journal attaches one."""

    async def write(session: AsyncSession) -> None:
        await InboundUpdateRepository(session).record(
            update_id=update_id, user_id=None, payload={"update_id": update_id}, now=NOW
        )

    return write


async def _journaled(engine: AsyncEngine) -> list[int]:
    async with create_session_factory(engine)() as session:
        return list(await session.scalars(select(InboundUpdate.update_id)))


async def test_an_attached_write_goes_in_the_commit_of_the_next_state_change(
    engine: AsyncEngine,
) -> None:
    persistence = _persistence(engine)
    persistence.attach(_journal(31))
    commits = count_commits(engine)
    await persistence.update_conversation("why", (31, 31), 1)
    await persistence.commit_attached()  # nothing left: no commit of its own
    assert commits() == 1
    assert await _journaled(engine) == [31]
    assert await _persistence(engine).get_conversations("why") == {(31, 31): 1}


async def test_an_attached_write_is_committed_alone_when_no_state_changed(
    engine: AsyncEngine,
) -> None:
    persistence = _persistence(engine)
    await persistence.update_user_data(32, {"flow": "why"})
    persistence.attach(_journal(32))
    commits = count_commits(engine)
    await persistence.update_user_data(32, {"flow": "why"})  # unchanged
    assert await _journaled(engine) == []
    await persistence.commit_attached()
    await persistence.commit_attached()  # already done: nothing to commit
    assert commits() == 1
    assert await _journaled(engine) == [32]


async def test_an_attached_write_is_not_lost_when_the_state_write_fails(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    persistence = _persistence(engine)

    async def failing(self: PtbStateRepository, *, user_id: int, data: dict[str, Any]) -> None:
        raise OSError("database went away")

    monkeypatch.setattr(PtbStateRepository, "put_user_data", failing)
    persistence.attach(_journal(33))
    with pytest.raises(OSError, match="went away"):
        await persistence.update_user_data(33, {"flow": "plan"})
    assert await _journaled(engine) == []  # rolled back with the state it belonged to
    monkeypatch.undo()
    await persistence.commit_attached()
    assert await _journaled(engine) == [33]
