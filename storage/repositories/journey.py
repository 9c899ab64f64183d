"""Answers of the coaching steps, one row per answer, and which steps are finished."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JourneyAnswer, StepCompletion
from storage.upsert import insert_for


class JourneyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def answers(self, *, user_id: int, step: str) -> dict[str, str]:
        """Every saved answer of one step, by question key."""
        rows = await self._session.execute(
            select(JourneyAnswer.key, JourneyAnswer.value).where(
                JourneyAnswer.user_id == user_id, JourneyAnswer.step == step
            )
        )
        return {key: value for key, value in rows}

    async def answer(self, *, user_id: int, step: str, key: str) -> str | None:
        return await self._session.scalar(
            select(JourneyAnswer.value).where(
                JourneyAnswer.user_id == user_id,
                JourneyAnswer.step == step,
                JourneyAnswer.key == key,
            )
        )

    async def save(self, *, user_id: int, step: str, key: str, value: str, now: datetime) -> None:
        """Store one answer, replacing the earlier answer to the same question."""
        insert = insert_for(self._session)
        statement = insert(JourneyAnswer).values(
            user_id=user_id, step=step, key=key, value=value, updated_at=now
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id", "step", "key"],
                set_={"value": statement.excluded.value, "updated_at": now},
            )
        )

    async def forget(self, *, user_id: int, step: str, key: str) -> None:
        """Remove one answer (a skipped question, or one that no longer applies)."""
        await self._session.execute(
            delete(JourneyAnswer).where(
                JourneyAnswer.user_id == user_id,
                JourneyAnswer.step == step,
                JourneyAnswer.key == key,
            )
        )

    async def complete(self, *, user_id: int, step: str, now: datetime) -> None:
        insert = insert_for(self._session)
        await self._session.execute(
            insert(StepCompletion)
            .values(user_id=user_id, step=step, completed_at=now, updated_at=now)
            .on_conflict_do_update(index_elements=["user_id", "step"], set_={"updated_at": now})
        )

    async def is_complete(self, *, user_id: int, step: str) -> bool:
        found = await self._session.scalar(
            select(StepCompletion.step).where(
                StepCompletion.user_id == user_id, StepCompletion.step == step
            )
        )
        return found is not None

    async def completed_steps(self, *, user_id: int) -> set[str]:
        rows = await self._session.scalars(
            select(StepCompletion.step).where(StepCompletion.user_id == user_id)
        )
        return set(rows)
