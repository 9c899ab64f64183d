"""A getUpdates answer is journaled as a whole before PTB sees it, on SQLite and on
PostgreSQL; the update queue then only looks each update up."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot, Update
from telegram._utils.types import ODVInput
from telegram.error import Conflict, NetworkError
from telegram.request import BaseRequest, RequestData

from bot.journaling_request import JournalingUpdatesRequest
from bot.update_journal import JournaledUpdateQueue
from storage.db import create_engine, create_session_factory
from storage.models import InboundUpdate
from storage.repositories.inbound_updates import InboundUpdateRepository
from tests.storage.commits import count_commits

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
URL = "http://127.0.0.1:1/bot1:token/"
ADA = {"id": 601, "is_bot": False, "first_name": "Ada"}


def _message(update_id: int, text: str) -> dict[str, Any]:
    chat = {"id": 601, "type": "private"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": ADA, "text": text}
    return {"update_id": update_id, "message": message}


class CannedRequest(BaseRequest):
    """Answers every call with the same body, like a Bot API that has these updates."""

    def __init__(self, body: dict[str, Any], code: int = 200) -> None:
        self.body = body
        self.code = code

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        return self.code, json.dumps(self.body).encode()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def _journal(engine: AsyncEngine) -> dict[int, Any]:
    async with create_session_factory(engine)() as session:
        rows = await session.execute(select(InboundUpdate.update_id, InboundUpdate.payload))
        return {update_id: payload for update_id, payload in rows}


async def test_a_batch_is_journaled_in_one_commit_with_the_payloads_as_sent(
    engine: AsyncEngine,
) -> None:
    queue = JournaledUpdateQueue(create_session_factory(engine), lambda: NOW)
    batch = [_message(1, "hi <b>é</b> 🚀"), _message(2, "/help"), _message(3, "x" * 4000)]
    request = JournalingUpdatesRequest(CannedRequest({"ok": True, "result": batch}), queue)
    commits = count_commits(engine)
    await request.post(URL + "getUpdates")
    assert commits() == 1
    assert await _journal(engine) == {1: batch[0], 2: batch[1], 3: batch[2]}
    bot = Bot("1:" + "x" * 34)
    for payload in batch:
        await queue.put(Update.de_json(payload, bot))
    assert commits() == 1  # put only looked them up
    assert [queue.get_nowait().update_id for _ in batch] == [1, 2, 3]  # type: ignore[attr-defined]


async def test_a_batch_delivered_again_is_dropped_by_the_queue(engine: AsyncEngine) -> None:
    queue = JournaledUpdateQueue(create_session_factory(engine), lambda: NOW)
    batch = [_message(4, "hello"), _message(5, "again")]
    request = JournalingUpdatesRequest(CannedRequest({"ok": True, "result": batch}), queue)
    bot = Bot("1:" + "x" * 34)
    await request.post(URL + "getUpdates")
    for payload in batch:
        await queue.put(Update.de_json(payload, bot))
    await request.post(URL + "getUpdates")  # not confirmed before a crash: sent again
    for payload in batch:
        await queue.put(Update.de_json(payload, bot))
    assert queue.qsize() == 2


async def test_other_calls_and_empty_or_failed_answers_are_not_journaled(
    engine: AsyncEngine,
) -> None:
    queue = JournaledUpdateQueue(create_session_factory(engine), lambda: NOW)
    commits = count_commits(engine)
    empty = JournalingUpdatesRequest(CannedRequest({"ok": True, "result": []}), queue)
    assert await empty.post(URL + "getUpdates") == []
    conflict = {"ok": False, "error_code": 409, "description": "Conflict: other getUpdates"}
    refused = JournalingUpdatesRequest(CannedRequest(conflict, code=409), queue)
    with pytest.raises(Conflict):
        await refused.post(URL + "getUpdates")
    request = JournalingUpdatesRequest(
        CannedRequest({"ok": True, "result": [_message(6, "not an update list")]}), queue
    )
    await request.post(URL + "sendMessage")
    assert commits() == 0
    assert await _journal(engine) == {}


async def test_a_batch_that_cannot_be_journaled_is_not_handed_to_ptb(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = JournaledUpdateQueue(create_session_factory(engine), lambda: NOW)
    request = JournalingUpdatesRequest(
        CannedRequest({"ok": True, "result": [_message(7, "hi")]}), queue
    )

    async def failing(*_args: object, **_kwargs: object) -> set[int]:
        raise OSError("database went away")

    monkeypatch.setattr(InboundUpdateRepository, "record_many", failing)
    # PTB's poller takes a network error as "ask again with the same offset".
    with pytest.raises(NetworkError, match="went away"):
        await request.post(URL + "getUpdates")
    monkeypatch.undo()
    assert await request.post(URL + "getUpdates")
    assert await _journal(engine) == {7: _message(7, "hi")}
