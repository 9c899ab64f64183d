"""Reflections after rejections: one row per rejected application, answers saved one by one.

Every method is scoped to one user: a reflection id or application id from a button is
never trusted on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application, Reflection

ReflectionField = Literal["feedback", "went_well", "would_change"]


class ReflectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def start(self, *, application: Application, now: datetime) -> Reflection:
        """The reflection on this application: the one begun (or done) before, or a new one."""
        existing = await self.for_application(
            user_id=application.user_id, application_id=application.id
        )
        if existing is not None:
            return existing
        reflection = Reflection(
            user_id=application.user_id,
            application_id=application.id,
            company=application.company[:200],
            created_at=now,
        )
        self._session.add(reflection)
        await self._session.flush()
        return reflection

    async def for_application(self, *, user_id: int, application_id: int) -> Reflection | None:
        return await self._session.scalar(
            select(Reflection)
            .where(Reflection.user_id == user_id, Reflection.application_id == application_id)
            .order_by(Reflection.id.desc())
            .limit(1)
        )

    async def get(self, *, user_id: int, reflection_id: int) -> Reflection | None:
        """The reflection if it is this user's; None for anyone else's."""
        reflection = await self._session.get(Reflection, reflection_id)
        if reflection is None or reflection.user_id != user_id:
            return None
        return reflection

    async def set_stage(
        self, *, user_id: int, reflection_id: int, stage: str | None, round_: int | None
    ) -> None:
        await self._update(user_id, reflection_id, stage=stage, round=round_)

    async def save_answer(
        self, *, user_id: int, reflection_id: int, field: ReflectionField, text: str | None
    ) -> None:
        await self._update(user_id, reflection_id, **{field: text})

    async def finish(
        self, *, user_id: int, reflection_id: int, next_action: str | None, now: datetime
    ) -> None:
        """The last answer: what to do next; the reflection counts as done from now on."""
        await self._update(user_id, reflection_id, next_action=next_action, completed_at=now)

    async def _update(self, user_id: int, reflection_id: int, **values: object) -> None:
        await self._session.execute(
            update(Reflection)
            .where(Reflection.id == reflection_id, Reflection.user_id == user_id)
            .values(**values)
        )

    async def completed_count(self, *, user_id: int) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(Reflection)
            .where(Reflection.user_id == user_id, Reflection.completed_at.is_not(None))
        )
        return int(count or 0)

    async def completed_page(self, *, user_id: int, offset: int, limit: int) -> list[Reflection]:
        """Finished reflections, newest first."""
        rows = await self._session.scalars(
            select(Reflection)
            .where(Reflection.user_id == user_id, Reflection.completed_at.is_not(None))
            .order_by(Reflection.completed_at.desc(), Reflection.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(rows)

    async def all_for_user(self, *, user_id: int) -> list[Reflection]:
        """Every reflection, finished or not, oldest first (patterns read the stages)."""
        rows = await self._session.scalars(
            select(Reflection).where(Reflection.user_id == user_id).order_by(Reflection.id)
        )
        return list(rows)

    async def unreflected_rejections(self, *, user_id: int, limit: int) -> list[Application]:
        """Rejected applications with no finished reflection yet, newest first."""
        finished = select(Reflection.application_id).where(
            Reflection.user_id == user_id,
            Reflection.completed_at.is_not(None),
            Reflection.application_id.is_not(None),
        )
        rows = await self._session.scalars(
            select(Application)
            .where(
                Application.user_id == user_id,
                Application.status == "rejected",
                Application.id.not_in(finished),
            )
            .order_by(Application.status_on.desc(), Application.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def finished_for_applications(self, application_ids: Iterable[int]) -> set[int]:
        """Which of these applications (any user's: the dispatcher asks in batches) already
        have a finished reflection."""
        ids = list(application_ids)
        if not ids:
            return set()
        rows = await self._session.scalars(
            select(Reflection.application_id).where(
                Reflection.application_id.in_(ids), Reflection.completed_at.is_not(None)
            )
        )
        return {row for row in rows if row is not None}
