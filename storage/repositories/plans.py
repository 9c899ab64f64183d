"""The re-skilling plan (deadline, hours a week, how each top gap will be closed) and its
weekly milestones. Repositories never commit: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import GapItem, Milestone, MilestoneState, Plan, PlanFocus
from storage.upsert import insert_for


@dataclass(frozen=True, slots=True)
class FocusGap:
    """A gap the plan focuses on, as the plan stores it (key and display name)."""

    key: str
    name: str


@dataclass(frozen=True, slots=True)
class NewMilestone:
    """One week's piece of a freshly laid-out roadmap, before it is stored."""

    week_start: date
    phase: int
    kind: str
    focus_key: str | None
    focus_name: str | None
    hours: int

    def same_slot(self, row: Milestone) -> bool:
        """True when `row` is this milestone already (the same week, kind and focus)."""
        return (row.week_start, row.kind, row.focus_key) == (
            self.week_start,
            self.kind,
            self.focus_key,
        )


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, *, user_id: int) -> Plan | None:
        return await self._session.get(Plan, user_id, populate_existing=True)

    async def _upsert(self, *, user_id: int, now: datetime, **values: object) -> None:
        insert = insert_for(self._session)
        statement = insert(Plan).values(user_id=user_id, updated_at=now, **values)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id"], set_={**values, "updated_at": now}
            )
        )

    async def save_deadline(
        self, *, user_id: int, deadline: date, text: str, now: datetime
    ) -> None:
        """The confirmed deadline, with the words the user gave it in."""
        await self._upsert(user_id=user_id, now=now, deadline=deadline, deadline_text=text)

    async def save_hours(self, *, user_id: int, hours: int, now: datetime) -> None:
        await self._upsert(user_id=user_id, now=now, hours_per_week=hours)

    async def mark_built(self, *, user_id: int, now: datetime) -> None:
        """Record that the milestones were (re)laid out from the plan as it stands."""
        await self._upsert(user_id=user_id, now=now, built_at=now)

    async def focus(self, *, user_id: int) -> list[PlanFocus]:
        """The gaps the plan works on, in the order they were ranked."""
        rows = await self._session.scalars(
            select(PlanFocus)
            .where(PlanFocus.user_id == user_id)
            .order_by(PlanFocus.position, PlanFocus.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def sync_focus(
        self, *, user_id: int, gaps: Sequence[FocusGap], now: datetime
    ) -> list[PlanFocus]:
        """Make the plan focus on exactly `gaps`, in that order.

        A gap already in the plan keeps its method and first step (the user chose them);
        gaps that dropped out of the top are removed so they are not asked about again.
        """
        keys = [gap.key for gap in gaps]
        await self._session.execute(
            delete(PlanFocus).where(PlanFocus.user_id == user_id, PlanFocus.gap_key.not_in(keys))
        )
        insert = insert_for(self._session)
        for position, gap in enumerate(gaps):
            statement = insert(PlanFocus).values(
                user_id=user_id, gap_key=gap.key, name=gap.name, position=position, updated_at=now
            )
            await self._session.execute(
                statement.on_conflict_do_update(
                    index_elements=["user_id", "gap_key"],
                    set_={"name": gap.name, "position": position, "updated_at": now},
                )
            )
        return await self.focus(user_id=user_id)

    async def save_method(self, *, user_id: int, gap_key: str, method: str, now: datetime) -> bool:
        """The way the user will close this gap; False when the gap is not in the plan."""
        return await self._set_focus(user_id, gap_key, now, method=method)

    async def save_first_step(
        self, *, user_id: int, gap_key: str, first_step: str, now: datetime
    ) -> bool:
        """The first concrete step ("" when skipped); False when the gap is not in the plan."""
        return await self._set_focus(user_id, gap_key, now, first_step=first_step)

    async def _set_focus(self, user_id: int, gap_key: str, now: datetime, **values: str) -> bool:
        result = await self._session.execute(
            update(PlanFocus)
            .where(PlanFocus.user_id == user_id, PlanFocus.gap_key == gap_key)
            .values(**values, updated_at=now)
            .returning(PlanFocus.id)
        )
        return result.first() is not None

    async def assessed_gaps(self, *, user_id: int) -> list[GapItem]:
        """The audit's items with both levels filled in (only those can be ranked)."""
        rows = await self._session.scalars(
            select(GapItem)
            .where(
                GapItem.user_id == user_id,
                GapItem.required_level.is_not(None),
                GapItem.current_level.is_not(None),
            )
            .order_by(GapItem.position, GapItem.id)
        )
        return list(rows)


class MilestoneRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_user(self, *, user_id: int) -> list[Milestone]:
        """Every milestone of the user, week by week."""
        rows = await self._session.scalars(
            select(Milestone)
            .where(Milestone.user_id == user_id)
            .order_by(Milestone.week_start, Milestone.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def milestones_for_week(self, *, user_id: int, week_start: date) -> list[Milestone]:
        """The milestones of the week starting on Monday `week_start`, in plan order."""
        rows = await self._session.scalars(
            select(Milestone)
            .where(Milestone.user_id == user_id, Milestone.week_start == week_start)
            .order_by(Milestone.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def mark_done(self, *, user_id: int, milestone_id: int, now: datetime) -> bool:
        """Tick a milestone off. False when it is not this user's (or does not exist).

        Ticking an already done milestone keeps its first done time, so a repeated
        check-in answer does not rewrite history.
        """
        milestone = await self._session.get(Milestone, milestone_id)
        if milestone is None or milestone.user_id != user_id:
            return False
        if milestone.state != MilestoneState.DONE:
            milestone.state = MilestoneState.DONE
            milestone.done_at = now
            await self._session.flush()
        return True

    async def replace_planned(
        self, *, user_id: int, milestones: Sequence[NewMilestone], keep_done: bool = True
    ) -> list[Milestone]:
        """Lay out a new roadmap: planned milestones are replaced by `milestones`.

        With `keep_done`, done and moved milestones stay as the record of what happened,
        and a new milestone that is already done (same week, kind and focus) is not added
        twice. Without it, the user's milestones are all replaced. Returns every milestone.
        """
        removed = delete(Milestone).where(Milestone.user_id == user_id)
        if keep_done:
            removed = removed.where(Milestone.state == MilestoneState.PLANNED)
        await self._session.execute(removed)
        kept = await self.for_user(user_id=user_id) if keep_done else []
        done = [row for row in kept if row.state == MilestoneState.DONE]
        for milestone in milestones:
            if any(milestone.same_slot(row) for row in done):
                continue
            self._session.add(
                Milestone(
                    user_id=user_id,
                    week_start=milestone.week_start,
                    phase=milestone.phase,
                    kind=milestone.kind,
                    focus_key=milestone.focus_key,
                    focus_name=milestone.focus_name,
                    hours=milestone.hours,
                    state=MilestoneState.PLANNED,
                )
            )
        await self._session.flush()
        return await self.for_user(user_id=user_id)


class MilestoneReviewRepository:
    """What the weekly check-in does with the roadmap: review, tick off, carry over."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def due_for_review(self, *, user_id: int, up_to: date) -> list[Milestone]:
        """Planned milestones of every week that started on or before `up_to`."""
        rows = await self._session.scalars(
            select(Milestone)
            .where(
                Milestone.user_id == user_id,
                Milestone.state == MilestoneState.PLANNED,
                Milestone.week_start <= up_to,
            )
            .order_by(Milestone.week_start, Milestone.id)
        )
        return list(rows)

    async def carry_over(self, *, user_id: int, up_to: date, to_week: date) -> int:
        """Move what is still planned up to `up_to` into the week `to_week`; returns how many.

        The missed row stays (as moved) so the record shows what slipped, and a planned
        copy joins the later week.
        """
        missed = await self.due_for_review(user_id=user_id, up_to=up_to)
        for row in missed:
            row.state = MilestoneState.MOVED
            self._session.add(
                Milestone(
                    user_id=user_id,
                    week_start=to_week,
                    phase=row.phase,
                    kind=row.kind,
                    focus_key=row.focus_key,
                    focus_name=row.focus_name,
                    hours=row.hours,
                    state=MilestoneState.PLANNED,
                )
            )
        await self._session.flush()
        return len(missed)

    async def set_commitment(
        self, *, user_id: int, week_start: date, phase: int, kind: str, text: str
    ) -> None:
        """The check-in's commitment becomes that week's milestone (a redo replaces it)."""
        await self._session.execute(
            delete(Milestone).where(
                Milestone.user_id == user_id,
                Milestone.week_start == week_start,
                Milestone.kind == kind,
                Milestone.state == MilestoneState.PLANNED,
            )
        )
        self._session.add(
            Milestone(
                user_id=user_id,
                week_start=week_start,
                phase=phase,
                kind=kind,
                focus_name=text[:200],
                hours=1,
                state=MilestoneState.PLANNED,
            )
        )
        await self._session.flush()
