"""Users: create on first contact, read, and change their settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User


@dataclass
class Recipient:
    """What sending a scheduled prompt needs to know of a user: a light row, not an entity."""

    id: int
    first_name: str
    timezone: str | None
    checkin_weekday: int
    checkin_time: time
    paused: bool
    paused_until: datetime | None
    active: bool
    language: str


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def ensure(
        self,
        *,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language: str | None = None,
    ) -> User:
        """Return the user, creating them on first contact and refreshing their names; their
        language follows `language` (Telegram's) until they chose one themselves."""
        user = await self._session.get(User, user_id)
        if user is None:
            user = User(
                id=user_id,
                first_name=first_name[:128],
                last_name=last_name[:128] if last_name else None,
                username=username[:64] if username else None,
                language=(language or "en")[:16],
            )
            self._session.add(user)
            await self._session.flush()
            return user
        if (user.first_name, user.last_name, user.username) != (first_name, last_name, username):
            user.first_name = first_name[:128]
            user.last_name = last_name[:128] if last_name else None
            user.username = username[:64] if username else None
        if language and not user.language_chosen and user.language != language[:16]:
            user.language = language[:16]
        if not user.active:
            # Writing to the bot again means they unblocked it.
            user.active = True
        return user

    async def set_timezone(self, *, user_id: int, timezone: str) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(timezone=timezone)
        )

    async def follow_language(self, *, user_id: int, language: str) -> None:
        """Telegram's language changed: follow it, unless the user chose one themselves."""
        await self._session.execute(
            update(User)
            .where(User.id == user_id, User.language_chosen.is_(False))
            .values(language=language[:16])
        )

    async def choose_language(self, *, user_id: int, language: str) -> None:
        """The user's own choice: Telegram's language no longer changes it."""
        await self._session.execute(
            update(User)
            .where(User.id == user_id)
            .values(language=language[:16], language_chosen=True)
        )

    async def set_checkin_schedule(self, *, user_id: int, weekday: int, at: time) -> None:
        if not 0 <= weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        await self._session.execute(
            update(User).where(User.id == user_id).values(checkin_weekday=weekday, checkin_time=at)
        )

    async def pause(self, *, user_id: int, until: datetime | None) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(paused=True, paused_until=until)
        )

    async def resume(self, *, user_id: int) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(paused=False, paused_until=None)
        )

    async def mark_inactive(self, *, user_id: int) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(active=False))

    async def recipients(self, user_ids: Iterable[int]) -> dict[int, Recipient]:
        """Many users at once, without the ORM's per-object bookkeeping (a hot path)."""
        rows = await self._session.execute(
            select(
                User.id,
                User.first_name,
                User.timezone,
                User.checkin_weekday,
                User.checkin_time,
                User.paused,
                User.paused_until,
                User.active,
                User.language,
            ).where(User.id.in_(set(user_ids)))
        )
        return {row.id: Recipient(*row) for row in rows}

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(User)) or 0)
