"""PTB state (user_data, chat_data, bot_data, callback data, conversations) as JSON rows."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PtbChatData, PtbConversation, PtbSingleton, PtbUserData

ConversationKey = tuple[int | str, ...]


def encode_key(key: ConversationKey) -> str:
    return json.dumps(list(key), separators=(",", ":"))


def decode_key(text: str) -> ConversationKey:
    return tuple(json.loads(text))


class PtbStateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all_user_data(self) -> dict[int, dict[str, Any]]:
        rows = await self._session.execute(select(PtbUserData.user_id, PtbUserData.data))
        return {user_id: data for user_id, data in rows}

    async def user_data(self, user_id: int) -> dict[str, Any] | None:
        row = await self._session.get(PtbUserData, user_id)
        return None if row is None else row.data

    async def put_user_data(self, *, user_id: int, data: dict[str, Any]) -> None:
        await self._session.merge(PtbUserData(user_id=user_id, data=data))

    async def drop_user_data(self, *, user_id: int) -> None:
        await self._session.execute(delete(PtbUserData).where(PtbUserData.user_id == user_id))

    async def all_chat_data(self) -> dict[int, dict[str, Any]]:
        rows = await self._session.execute(select(PtbChatData.chat_id, PtbChatData.data))
        return {chat_id: data for chat_id, data in rows}

    async def chat_data(self, chat_id: int) -> dict[str, Any] | None:
        row = await self._session.get(PtbChatData, chat_id)
        return None if row is None else row.data

    async def put_chat_data(self, *, chat_id: int, data: dict[str, Any]) -> None:
        await self._session.merge(PtbChatData(chat_id=chat_id, data=data))

    async def drop_chat_data(self, *, chat_id: int) -> None:
        await self._session.execute(delete(PtbChatData).where(PtbChatData.chat_id == chat_id))

    async def singleton(self, name: str) -> Any:
        row = await self._session.get(PtbSingleton, name)
        return None if row is None else row.data

    async def put_singleton(self, *, name: str, data: Any) -> None:
        await self._session.merge(PtbSingleton(name=name, data=data))

    async def conversations(self, name: str) -> dict[ConversationKey, Any]:
        rows = await self._session.execute(
            select(PtbConversation.key, PtbConversation.state).where(PtbConversation.name == name)
        )
        return {decode_key(key): state for key, state in rows}

    async def put_conversation(self, *, name: str, key: ConversationKey, state: Any) -> None:
        """Store the state, or forget the conversation when the state is None (it ended)."""
        encoded = encode_key(key)
        if state is None:
            await self._session.execute(
                delete(PtbConversation).where(
                    PtbConversation.name == name, PtbConversation.key == encoded
                )
            )
            return
        # PTB's default key is (chat_id, user_id): the last integer names the user.
        user_id = key[-1] if key and isinstance(key[-1], int) else None
        await self._session.merge(
            PtbConversation(name=name, key=encoded, user_id=user_id, state=state)
        )
