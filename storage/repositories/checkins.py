"""Weekly check-ins: one row per user and ISO week, answers saved one at a time."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Checkin, CheckinState
from storage.upsert import insert_for

CheckinField = Literal["did", "obstacles", "went_well", "commitment"]


class CheckinRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def open(self, *, user_id: int, period: str, prompted_at: datetime | None) -> Checkin:
        """The check-in of that week, created when first needed."""
        insert = insert_for(self._session)
        await self._session.execute(
            insert(Checkin)
            .values(
                user_id=user_id,
                period=period,
                state=CheckinState.OPEN,
                prompted_at=prompted_at,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "period"])
        )
        checkin = await self._session.scalar(
            select(Checkin).where(Checkin.user_id == user_id, Checkin.period == period)
        )
        assert checkin is not None
        return checkin

    async def open_many(self, *, weeks: list[tuple[int, str]], prompted_at: datetime) -> None:
        """Open the check-ins of many (user, period) pairs at once (existing ones stay)."""
        if not weeks:
            return
        insert = insert_for(self._session)
        # The table, not the mapped class: a plain executemany, without ORM bulk machinery.
        await self._session.execute(
            insert(cast(Table, Checkin.__table__)).on_conflict_do_nothing(
                index_elements=["user_id", "period"]
            ),
            [
                {
                    "user_id": user_id,
                    "period": period,
                    "state": CheckinState.OPEN,
                    "prompted_at": prompted_at,
                    "created_at": prompted_at,
                    "updated_at": prompted_at,
                }
                for user_id, period in weeks
            ],
        )

    async def mark_missed_before_many(self, *, weeks: list[tuple[int, str]]) -> None:
        """For each (user, period): earlier weeks never answered count as missed."""
        by_period: dict[str, list[int]] = {}
        for user_id, period in weeks:
            by_period.setdefault(period, []).append(user_id)
        for period, user_ids in by_period.items():
            await self._session.execute(
                update(Checkin)
                .where(
                    Checkin.user_id.in_(user_ids),
                    Checkin.period < period,
                    Checkin.state == CheckinState.OPEN,
                )
                .values(state=CheckinState.MISSED)
            )

    async def states(self, *, weeks: list[tuple[int, str]]) -> dict[tuple[int, str], str]:
        """The state of each (user, period) check-in that exists."""
        if not weeks:
            return {}
        user_ids = {user_id for user_id, _ in weeks}
        rows = await self._session.execute(
            select(Checkin.user_id, Checkin.period, Checkin.state).where(
                Checkin.user_id.in_(user_ids), Checkin.period.in_({p for _, p in weeks})
            )
        )
        return {(user_id, period): state for user_id, period, state in rows}

    async def get(self, *, user_id: int, period: str) -> Checkin | None:
        return await self._session.scalar(
            select(Checkin).where(Checkin.user_id == user_id, Checkin.period == period)
        )

    async def save_answer(
        self, *, user_id: int, period: str, field: CheckinField, text: str | None
    ) -> None:
        await self._session.execute(
            update(Checkin)
            .where(Checkin.user_id == user_id, Checkin.period == period)
            .values({field: text})
        )

    async def save_confidence(
        self, *, user_id: int, period: str, confidence: int, now: datetime
    ) -> None:
        if not 1 <= confidence <= 5:
            raise ValueError("confidence is 1 to 5")
        await self._session.execute(
            update(Checkin)
            .where(Checkin.user_id == user_id, Checkin.period == period)
            .values(confidence=confidence, state=CheckinState.ANSWERED, answered_at=now)
        )

    async def history(self, *, user_id: int, limit: int = 60) -> list[Checkin]:
        rows = await self._session.scalars(
            select(Checkin)
            .where(Checkin.user_id == user_id)
            .order_by(Checkin.period.desc())
            .limit(limit)
        )
        return list(rows)
