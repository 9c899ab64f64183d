"""A PTB persistence backed by the bot's own database (JSON rows, never pickle).

Loading happens once at start-up; every change is written as soon as PTB reports it (the
application flushes after each update, see bot/context.py), and a call returns once its
change is committed. Unchanged data is not rewritten. PTB reports the changes of one
flush all at once (user data, chat data, each conversation): they are written together,
in one transaction, instead of one transaction each racing the others for SQLite's
single writer lock.

A write that is not PTB state can ride along (`attach`): the update journal's "processed"
mark goes into the same transaction as the conversation state that update produced, so
the two are never apart after a crash, and an update costs one commit fewer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.repositories.ptb_state import PtbStateRepository

_BOT_DATA = "bot_data"
_CALLBACK_DATA = "callback_data"

Slot = tuple[str, object]
Write = Callable[[AsyncSession], Awaitable[None]]


def _fingerprint(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)


@dataclass
class _Batch:
    """Writes queued in the same turn of the event loop, committed together."""

    writes: list[Write] = field(default_factory=list)
    # What each written slot holds once committed (None: nothing, the row is gone).
    written: list[tuple[Slot, str | None]] = field(default_factory=list)
    done: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    committing: asyncio.Task[None] | None = None  # held here: the loop keeps tasks weakly


class DatabasePersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        update_interval: float = 60,
        store_data: PersistenceInput | None = None,
    ) -> None:
        super().__init__(store_data=store_data, update_interval=update_interval)
        self._sessions = session_factory
        # What the database holds for each slot, as far as this process wrote or read it.
        self._written: dict[Slot, str] = {}
        self._batch: _Batch | None = None
        self._commit_lock = asyncio.Lock()
        self._attached: list[Write] = []

    def _unchanged(self, slot: Slot, fingerprint: str) -> bool:
        return self._written.get(slot) == fingerprint

    async def _write(self, slot: Slot, fingerprint: str | None, write: Write) -> None:
        """Queue a write and return once it is committed (or raise what the commit raised).

        The first write of a turn starts the commit; the writes queued before it runs
        (every coroutine of one PTB flush) join the same transaction. Commits run one at a
        time, in order."""
        batch = self._batch
        if batch is None:
            batch = self._batch = _Batch()
            batch.committing = asyncio.get_running_loop().create_task(self._commit(batch))
        batch.writes.append(write)
        batch.written.append((slot, fingerprint))
        # Shielded: a caller cancelled while waiting does not fail the others' writes.
        await asyncio.shield(batch.done)

    def attach(self, write: Write) -> None:
        """Run `write` in the transaction of the next commit of PTB state (or of
        `commit_attached`, when nothing changed)."""
        self._attached.append(write)

    async def commit_attached(self) -> None:
        """Commit what was attached and no state write took along."""
        if self._attached:
            batch = _Batch()
            await self._commit(batch)
            batch.done.result()  # raises what the commit raised

    async def _commit(self, batch: _Batch) -> None:
        async with self._commit_lock:
            if self._batch is batch:
                self._batch = None  # later writes form the next batch
            attached, self._attached = self._attached, []
            try:
                async with self._sessions.begin() as session:
                    for write in (*attached, *batch.writes):
                        await write(session)
            except asyncio.CancelledError:
                self._attached[:0] = attached
                batch.done.cancel()
                raise
            except Exception as error:
                # Nothing is recorded as written: the next flush tries again, and the
                # attached writes go with the next commit.
                self._attached[:0] = attached
                batch.done.set_exception(error)
                return
            for slot, fingerprint in batch.written:
                if fingerprint is None:
                    self._written.pop(slot, None)
                else:
                    self._written[slot] = fingerprint
            batch.done.set_result(None)

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        async with self._sessions() as session:
            data = await PtbStateRepository(session).all_user_data()
        for user_id, value in data.items():
            self._written[("user", user_id)] = _fingerprint(value)
        return data

    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        async with self._sessions() as session:
            data = await PtbStateRepository(session).all_chat_data()
        for chat_id, value in data.items():
            self._written[("chat", chat_id)] = _fingerprint(value)
        return data

    async def get_bot_data(self) -> dict[str, Any]:
        async with self._sessions() as session:
            data = await PtbStateRepository(session).singleton(_BOT_DATA)
        self._written[("bot", None)] = _fingerprint(data or {})
        return dict(data or {})

    async def get_callback_data(self) -> CDCData | None:
        async with self._sessions() as session:
            data = await PtbStateRepository(session).singleton(_CALLBACK_DATA)
        if data is None:
            return None
        self._written[("callback", None)] = _fingerprint(data)
        keyboards = [(uuid, stamp, dict(buttons)) for uuid, stamp, buttons in data[0]]
        return keyboards, dict(data[1])

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self._sessions() as session:
            conversations = await PtbStateRepository(session).conversations(name)
        for key, state in conversations.items():
            self._written[("conversation", (name, key))] = _fingerprint(state)
        return conversations

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        slot: Slot = ("conversation", (name, key))
        fingerprint = _fingerprint(new_state)
        if self._unchanged(slot, fingerprint):
            return

        async def write(session: AsyncSession) -> None:
            await PtbStateRepository(session).put_conversation(name=name, key=key, state=new_state)

        await self._write(slot, None if new_state is None else fingerprint, write)

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        slot: Slot = ("user", user_id)
        fingerprint = _fingerprint(data)
        if self._unchanged(slot, fingerprint):
            return
        copied = deepcopy(data)

        async def write(session: AsyncSession) -> None:
            repository = PtbStateRepository(session)
            if copied:
                await repository.put_user_data(user_id=user_id, data=copied)
            else:
                # Empty data needs no row: keeps start-up loading proportional to active users.
                await repository.drop_user_data(user_id=user_id)

        await self._write(slot, fingerprint, write)

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        slot: Slot = ("chat", chat_id)
        fingerprint = _fingerprint(data)
        if self._unchanged(slot, fingerprint):
            return
        copied = deepcopy(data)

        async def write(session: AsyncSession) -> None:
            repository = PtbStateRepository(session)
            if copied:
                await repository.put_chat_data(chat_id=chat_id, data=copied)
            else:
                await repository.drop_chat_data(chat_id=chat_id)

        await self._write(slot, fingerprint, write)

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        slot: Slot = ("bot", None)
        fingerprint = _fingerprint(data)
        if self._unchanged(slot, fingerprint):
            return
        copied = deepcopy(data)

        async def write(session: AsyncSession) -> None:
            await PtbStateRepository(session).put_singleton(name=_BOT_DATA, data=copied)

        await self._write(slot, fingerprint, write)

    async def update_callback_data(self, data: CDCData) -> None:
        keyboards, mapping = data
        document = [[[uuid, stamp, buttons] for uuid, stamp, buttons in keyboards], mapping]
        slot: Slot = ("callback", None)
        fingerprint = _fingerprint(document)
        if self._unchanged(slot, fingerprint):
            return

        async def write(session: AsyncSession) -> None:
            await PtbStateRepository(session).put_singleton(name=_CALLBACK_DATA, data=document)

        await self._write(slot, fingerprint, write)

    async def drop_user_data(self, user_id: int) -> None:
        async def write(session: AsyncSession) -> None:
            await PtbStateRepository(session).drop_user_data(user_id=user_id)

        await self._write(("user", user_id), None, write)

    async def drop_chat_data(self, chat_id: int) -> None:
        async def write(session: AsyncSession) -> None:
            await PtbStateRepository(session).drop_chat_data(chat_id=chat_id)

        await self._write(("chat", chat_id), None, write)

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """Nothing to do: this process is the only writer while it runs (see HA notes)."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        """Nothing to do: this process is the only writer while it runs."""

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        """Nothing to do: this process is the only writer while it runs."""

    async def flush(self) -> None:
        """Nothing buffered: every change was written when PTB reported it."""
