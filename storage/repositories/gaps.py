"""The items of a user's skill-gap audit: one row per skill, tool or other requirement.

A row exists while the item is on the user's list (picking a candidate adds it, unpicking
removes it); its levels are filled in as the user rates it. The caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import GapItem
from storage.upsert import insert_for

OWN_PREFIX = "own:"


class GapRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def items(self, *, user_id: int) -> list[GapItem]:
        """The user's items in the order they were added."""
        rows = await self._session.scalars(
            select(GapItem).where(GapItem.user_id == user_id).order_by(GapItem.position, GapItem.id)
        )
        return list(rows)

    async def get(self, *, user_id: int, item_id: int) -> GapItem | None:
        """One item, only if it belongs to this user (ids travel in button data)."""
        return await self._session.scalar(
            select(GapItem).where(GapItem.user_id == user_id, GapItem.id == item_id)
        )

    async def keys(self, *, user_id: int) -> set[str]:
        rows = await self._session.scalars(select(GapItem.key).where(GapItem.user_id == user_id))
        return set(rows)

    async def count(self, *, user_id: int) -> int:
        found = await self._session.scalar(
            select(func.count()).select_from(GapItem).where(GapItem.user_id == user_id)
        )
        return int(found or 0)

    async def add(
        self,
        *,
        user_id: int,
        key: str,
        name: str,
        area: str,
        source: str,
        importance: float,
        suggested_level: int | None,
        now: datetime,
    ) -> GapItem:
        """Put an item on the list (at the end); an item already there is kept as it is."""
        insert = insert_for(self._session)
        await self._session.execute(
            insert(GapItem)
            .values(
                user_id=user_id,
                key=key,
                name=name,
                area=area,
                source=source,
                importance=importance,
                suggested_level=suggested_level,
                required_level=suggested_level,
                current_level=None,
                position=await self._next_position(user_id),
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "key"])
        )
        item = await self._session.scalar(
            select(GapItem)
            .where(GapItem.user_id == user_id, GapItem.key == key)
            .execution_options(populate_existing=True)
        )
        assert item is not None
        return item

    async def add_own(
        self, *, user_id: int, name: str, area: str, importance: float, now: datetime
    ) -> GapItem:
        """Add an item in the user's own words, under a fresh "own:<n>" key."""
        return await self.add(
            user_id=user_id,
            key=await self._next_own_key(user_id),
            name=name,
            area=area,
            source="own",
            importance=importance,
            suggested_level=None,
            now=now,
        )

    async def remove(self, *, user_id: int, item_id: int) -> bool:
        """Take an item off the list; False when it was not there."""
        result = await self._session.execute(
            delete(GapItem).where(GapItem.user_id == user_id, GapItem.id == item_id)
        )
        return bool(getattr(result, "rowcount", 0))

    async def remove_key(self, *, user_id: int, key: str) -> None:
        await self._session.execute(
            delete(GapItem).where(GapItem.user_id == user_id, GapItem.key == key)
        )

    async def set_current(
        self, *, user_id: int, item_id: int, level: int | None, now: datetime
    ) -> None:
        await self._set(user_id, item_id, now, current_level=level)

    async def set_required(
        self, *, user_id: int, item_id: int, level: int | None, now: datetime
    ) -> None:
        await self._set(user_id, item_id, now, required_level=level)

    async def set_area(self, *, user_id: int, item_id: int, area: str, now: datetime) -> None:
        await self._set(user_id, item_id, now, area=area)

    async def _set(self, user_id: int, item_id: int, now: datetime, **values: object) -> None:
        await self._session.execute(
            update(GapItem)
            .where(GapItem.user_id == user_id, GapItem.id == item_id)
            .values(updated_at=now, **values)
        )

    async def _next_position(self, user_id: int) -> int:
        highest = await self._session.scalar(
            select(func.max(GapItem.position)).where(GapItem.user_id == user_id)
        )
        return 0 if highest is None else int(highest) + 1

    async def _next_own_key(self, user_id: int) -> str:
        """One past the highest own number on the list (a removed item's key may come back)."""
        keys = await self._session.scalars(
            select(GapItem.key).where(
                GapItem.user_id == user_id, GapItem.key.startswith(OWN_PREFIX)
            )
        )
        numbers = [int(key[len(OWN_PREFIX) :]) for key in keys if key[len(OWN_PREFIX) :].isdigit()]
        return f"{OWN_PREFIX}{max(numbers, default=0) + 1}"
