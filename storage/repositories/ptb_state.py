"""PTB state (user_data, chat_data, bot_data, callback data, conversations) as JSON rows."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Delete, Insert

from storage.models import PtbChatData, PtbConversation, PtbSingleton, PtbUserData, utcnow

StateModel = type[PtbUserData | PtbChatData | PtbSingleton | PtbConversation]

ConversationKey = tuple[int | str, ...]


@cache
def _upsert_statement(dialect: str, model: StateModel, keys: tuple[str, ...]) -> Insert:
    """INSERT … ON CONFLICT (keys) DO UPDATE every other column given, built once: these
    run after most updates, and building them per call (on the mapped class, through the
    ORM's bulk machinery) cost more CPU than the write itself."""
    table = _table(model)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={
            column.name: statement.excluded[column.name]
            for column in table.columns
            if column.name not in keys
        },
    )


def _table(model: StateModel) -> Table:
    return cast(Table, model.__table__)


_DROP_USER_DATA: Delete = delete(_table(PtbUserData)).where(
    _table(PtbUserData).c.user_id == bindparam("dropped_id")
)
_DROP_CHAT_DATA: Delete = delete(_table(PtbChatData)).where(
    _table(PtbChatData).c.chat_id == bindparam("dropped_id")
)
_DROP_CONVERSATION: Delete = delete(_table(PtbConversation)).where(
    _table(PtbConversation).c.name == bindparam("dropped_name"),
    _table(PtbConversation).c.key == bindparam("dropped_key"),
)


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
        await self._upsert(PtbUserData, {"user_id": user_id}, {"data": data})

    async def drop_user_data(self, *, user_id: int) -> None:
        await self._session.execute(_DROP_USER_DATA, {"dropped_id": user_id})

    async def all_chat_data(self) -> dict[int, dict[str, Any]]:
        rows = await self._session.execute(select(PtbChatData.chat_id, PtbChatData.data))
        return {chat_id: data for chat_id, data in rows}

    async def chat_data(self, chat_id: int) -> dict[str, Any] | None:
        row = await self._session.get(PtbChatData, chat_id)
        return None if row is None else row.data

    async def put_chat_data(self, *, chat_id: int, data: dict[str, Any]) -> None:
        await self._upsert(PtbChatData, {"chat_id": chat_id}, {"data": data})

    async def drop_chat_data(self, *, chat_id: int) -> None:
        await self._session.execute(_DROP_CHAT_DATA, {"dropped_id": chat_id})

    async def singleton(self, name: str) -> Any:
        row = await self._session.get(PtbSingleton, name)
        return None if row is None else row.data

    async def put_singleton(self, *, name: str, data: Any) -> None:
        await self._upsert(PtbSingleton, {"name": name}, {"data": data})

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
                _DROP_CONVERSATION, {"dropped_name": name, "dropped_key": encoded}
            )
            return
        # PTB's default key is (chat_id, user_id): the last integer names the user.
        user_id = key[-1] if key and isinstance(key[-1], int) else None
        await self._upsert(
            PtbConversation,
            {"name": name, "key": encoded},
            {"user_id": user_id, "state": state, "updated_at": utcnow()},
        )

    async def _upsert(
        self, model: StateModel, keys: dict[str, Any], values: dict[str, Any]
    ) -> None:
        """Insert the row or overwrite its values: one statement (`merge` reads it first).
        `values` names every column that is not a key."""
        dialect = self._session.get_bind().dialect.name
        statement = _upsert_statement(dialect, model, tuple(keys))
        await self._session.execute(statement, {**keys, **values})
