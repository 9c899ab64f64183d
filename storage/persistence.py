"""A PTB persistence backed by the bot's own database (JSON rows, never pickle).

Loading happens once at start-up; every change is written in its own short transaction
as soon as PTB reports it (the application flushes after each update, see bot/app.py).
Unchanged data is not rewritten.
"""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.repositories.ptb_state import PtbStateRepository

_BOT_DATA = "bot_data"
_CALLBACK_DATA = "callback_data"


def _fingerprint(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)


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
        self._written: dict[tuple[str, object], str] = {}

    def _changed(self, slot: tuple[str, object], data: Any) -> bool:
        fingerprint = _fingerprint(data)
        if self._written.get(slot) == fingerprint:
            return False
        self._written[slot] = fingerprint
        return True

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
        if not self._changed(("conversation", (name, key)), new_state):
            return
        async with self._sessions.begin() as session:
            await PtbStateRepository(session).put_conversation(name=name, key=key, state=new_state)
        if new_state is None:
            self._written.pop(("conversation", (name, key)), None)

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        if not self._changed(("user", user_id), data):
            return
        async with self._sessions.begin() as session:
            repository = PtbStateRepository(session)
            if data:
                await repository.put_user_data(user_id=user_id, data=deepcopy(data))
            else:
                # Empty data needs no row: keeps start-up loading proportional to active users.
                await repository.drop_user_data(user_id=user_id)

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        if not self._changed(("chat", chat_id), data):
            return
        async with self._sessions.begin() as session:
            repository = PtbStateRepository(session)
            if data:
                await repository.put_chat_data(chat_id=chat_id, data=deepcopy(data))
            else:
                await repository.drop_chat_data(chat_id=chat_id)

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        if not self._changed(("bot", None), data):
            return
        async with self._sessions.begin() as session:
            await PtbStateRepository(session).put_singleton(name=_BOT_DATA, data=deepcopy(data))

    async def update_callback_data(self, data: CDCData) -> None:
        keyboards, mapping = data
        document = [[[uuid, stamp, buttons] for uuid, stamp, buttons in keyboards], mapping]
        if not self._changed(("callback", None), document):
            return
        async with self._sessions.begin() as session:
            await PtbStateRepository(session).put_singleton(name=_CALLBACK_DATA, data=document)

    async def drop_user_data(self, user_id: int) -> None:
        self._written.pop(("user", user_id), None)
        async with self._sessions.begin() as session:
            await PtbStateRepository(session).drop_user_data(user_id=user_id)

    async def drop_chat_data(self, chat_id: int) -> None:
        self._written.pop(("chat", chat_id), None)
        async with self._sessions.begin() as session:
            await PtbStateRepository(session).drop_chat_data(chat_id=chat_id)

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """Nothing to do: this process is the only writer while it runs (see HA notes)."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        """Nothing to do: this process is the only writer while it runs."""

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        """Nothing to do: this process is the only writer while it runs."""

    async def flush(self) -> None:
        """Nothing buffered: every change was written when PTB reported it."""
