"""The journal of updates received from Telegram (see `InboundUpdate`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboundUpdate
from storage.upsert import insert_for


class InboundUpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self, *, update_id: int, user_id: int | None, payload: dict[str, Any], now: datetime
    ) -> bool:
        """Journal an update; False when this id was journaled before (a re-delivery)."""
        statement = (
            insert_for(self._session)(InboundUpdate)
            .values(update_id=update_id, user_id=user_id, payload=payload, received_at=now)
            .on_conflict_do_nothing(index_elements=[InboundUpdate.update_id])
            .returning(InboundUpdate.update_id)
        )
        return (await self._session.execute(statement)).scalar_one_or_none() is not None

    async def mark_processed(self, *, update_id: int, now: datetime) -> None:
        """Done with it: the payload (the user's words) is no longer kept here."""
        await self._session.execute(
            update(InboundUpdate)
            .where(InboundUpdate.update_id == update_id)
            .values(processed_at=now, payload=None)
        )

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
