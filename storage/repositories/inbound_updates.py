"""The journal of updates received from Telegram (see `InboundUpdate`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert, Update

from storage.models import InboundUpdate

# Written twice for every update (journaled, then processed): plain Core statements built
# once, on the table rather than the mapped class. Building them per call, through the
# ORM's bulk machinery, took about a third more CPU than the database work itself.
_TABLE = cast(Table, InboundUpdate.__table__)


@cache
def _record_statement(dialect: str) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(_TABLE)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(_TABLE.c.update_id)
    )


_MARK_PROCESSED: Update = update(_TABLE).where(_TABLE.c.update_id == bindparam("journaled_id"))


class InboundUpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self, *, update_id: int, user_id: int | None, payload: dict[str, Any], now: datetime
    ) -> bool:
        """Journal an update; False when this id was journaled before (a re-delivery)."""
        statement = _record_statement(self._session.get_bind().dialect.name)
        result = await self._session.execute(
            statement,
            {"update_id": update_id, "user_id": user_id, "payload": payload, "received_at": now},
        )
        return result.scalar_one_or_none() is not None

    async def record_many(
        self, *, updates: Sequence[tuple[int, int | None, dict[str, Any]]], now: datetime
    ) -> set[int]:
        """Journal a batch of (update_id, user_id, payload) in one statement; returns the ids
        that are new (the others are re-deliveries)."""
        if not updates:
            return set()
        statement = _record_statement(self._session.get_bind().dialect.name)
        result = await self._session.execute(
            statement,
            [
                {"update_id": update_id, "user_id": user_id, "payload": payload, "received_at": now}
                for update_id, user_id, payload in updates
            ],
        )
        return set(result.scalars())

    async def mark_processed(self, *, update_id: int, now: datetime) -> None:
        """Done with it: the payload (the user's words) is no longer kept here."""
        await self._session.execute(
            _MARK_PROCESSED, {"journaled_id": update_id, "processed_at": now, "payload": None}
        )

    async def last_update_id(self) -> int:
        """The highest update id journaled (0 for none)."""
        return int(await self._session.scalar(select(func.max(InboundUpdate.update_id))) or 0)

    async def unprocessed(self) -> list[dict[str, Any]]:
        """Payloads journaled but not processed (a crash came between), oldest first."""
        rows = await self._session.scalars(
            select(InboundUpdate.payload)
            .where(InboundUpdate.processed_at.is_(None))
            .order_by(InboundUpdate.update_id)
        )
        return [payload for payload in rows if payload is not None]

    async def prune(self, *, processed_before: datetime) -> int:
        """Forget processed updates older than the given time; returns how many."""
        result = await self._session.execute(
            delete(InboundUpdate).where(InboundUpdate.processed_at < processed_before)
        )
        return int(getattr(result, "rowcount", 0) or 0)
