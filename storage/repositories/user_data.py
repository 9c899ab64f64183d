"""Everything stored about one user: collected for /export, erased for /delete_me.

Erasing follows the schema rather than a list kept by hand: every column that references
users.id, plus the PTB persistence tables, which are keyed by a user id or a chat id (a
private chat's id is its user's id) without a foreign key. A table added later with a
foreign key to users is therefore erased too, without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Column, Select, Table, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    Base,
    BuddyLink,
    Checkin,
    GapItem,
    InboundUpdate,
    JourneyAnswer,
    Milestone,
    Plan,
    PlanFocus,
    PromptState,
    PtbConversation,
    Reflection,
    ScheduledPrompt,
    StepCompletion,
    User,
)
from storage.repositories.ptb_state import encode_key

Row = TypeVar("Row")
# PTB's tables name their owner this way (they have no foreign key: PTB writes them for
# chats and users the bot may never have registered).
ID_COLUMN_NAMES = frozenset({"user_id", "chat_id"})


@dataclass(frozen=True, slots=True)
class UserRecords:
    """One user's rows, table by table (ORM objects, read in one session)."""

    user: User
    answers: list[JourneyAnswer]
    completions: list[StepCompletion]
    gaps: list[GapItem]
    plan: Plan | None
    focus: list[PlanFocus]
    milestones: list[Milestone]
    checkins: list[Checkin]
    applications: list[Application]
    events: list[ApplicationEvent]
    notes: list[ApplicationNote]
    reflections: list[Reflection]
    pending_prompts: list[ScheduledPrompt]
    buddy_links: list[BuddyLink]


def _references_users(column: Column[Any]) -> bool:
    users = User.__table__
    return any(key.column.table is users for key in column.foreign_keys)


def user_id_columns() -> list[Column[Any]]:
    """Every column outside `users` that holds a user's (or their private chat's) id,
    dependent tables first so deleting in this order never trips a foreign key."""
    columns: list[Column[Any]] = []
    for table in reversed(Base.metadata.sorted_tables):
        if table is User.__table__:
            continue
        for column in table.columns:
            if _references_users(column) or column.name in ID_COLUMN_NAMES:
                columns.append(column)
    return columns


def conversation_keys(user_id: int) -> list[str]:
    """PTB's conversation keys for a private chat: per chat, per user, or both (same id)."""
    return [encode_key((user_id,)), encode_key((user_id, user_id))]


class UserDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _all(self, statement: Select[Row]) -> list[Row]:
        return list(await self._session.scalars(statement))

    async def collect(self, *, user_id: int) -> UserRecords | None:
        """Every row about the user, oldest first; None when the user is not stored."""
        user = await self._session.get(User, user_id)
        if user is None:
            return None
        return UserRecords(
            user=user,
            answers=await self._all(
                select(JourneyAnswer)
                .where(JourneyAnswer.user_id == user_id)
                .order_by(JourneyAnswer.step, JourneyAnswer.key)
            ),
            completions=await self._all(
                select(StepCompletion)
                .where(StepCompletion.user_id == user_id)
                .order_by(StepCompletion.completed_at)
            ),
            gaps=await self._all(
                select(GapItem)
                .where(GapItem.user_id == user_id)
                .order_by(GapItem.position, GapItem.id)
            ),
            plan=await self._session.get(Plan, user_id),
            focus=await self._all(
                select(PlanFocus)
                .where(PlanFocus.user_id == user_id)
                .order_by(PlanFocus.position, PlanFocus.id)
            ),
            milestones=await self._all(
                select(Milestone)
                .where(Milestone.user_id == user_id)
                .order_by(Milestone.week_start, Milestone.id)
            ),
            checkins=await self._all(
                select(Checkin).where(Checkin.user_id == user_id).order_by(Checkin.period)
            ),
            applications=await self._all(
                select(Application)
                .where(Application.user_id == user_id)
                .order_by(Application.created_at, Application.id)
            ),
            events=await self._all(
                select(ApplicationEvent)
                .where(ApplicationEvent.user_id == user_id)
                .order_by(ApplicationEvent.happened_on, ApplicationEvent.id)
            ),
            notes=await self._all(
                select(ApplicationNote)
                .where(ApplicationNote.user_id == user_id)
                .order_by(ApplicationNote.id)
            ),
            reflections=await self._all(
                select(Reflection).where(Reflection.user_id == user_id).order_by(Reflection.id)
            ),
            pending_prompts=await self._all(
                select(ScheduledPrompt)
                .where(
                    ScheduledPrompt.user_id == user_id,
                    ScheduledPrompt.state == PromptState.PENDING,
                )
                .order_by(ScheduledPrompt.due_at, ScheduledPrompt.id)
            ),
            buddy_links=await self._all(
                select(BuddyLink)
                .where(or_(BuddyLink.user_id == user_id, BuddyLink.buddy_id == user_id))
                .order_by(BuddyLink.created_at, BuddyLink.id)
            ),
        )

    async def erase(self, *, user_id: int) -> int:
        """Delete every row about the user, the user last; returns how many rows went.

        Explicit deletes rather than the ON DELETE CASCADE alone: the PTB tables have no
        foreign key, and nothing then depends on SQLite having foreign keys switched on.
        """
        erased = 0
        for column in user_id_columns():
            table = column.table
            assert isinstance(table, Table)
            erased += await self._delete(delete(table).where(column == user_id))
        erased += await self._delete(
            delete(PtbConversation).where(PtbConversation.key.in_(conversation_keys(user_id)))
        )
        erased += await self._delete(delete(User).where(User.id == user_id))
        return erased

    async def _delete(self, statement: Any) -> int:
        result = await self._session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0)

    async def is_blank(self, *, user_id: int) -> bool:
        """True for a user who never told the bot anything: no time zone and no row
        anywhere but their bare `users` row (what registering on first contact creates).

        The update journal does not count: it records that an update arrived (the very
        press asking this has a row), not anything the user told."""
        user = await self._session.get(User, user_id, populate_existing=True)
        if user is None:
            return True
        if user.timezone is not None:
            return False
        for column in user_id_columns():
            if column.table is InboundUpdate.__table__:
                continue
            if await self._session.scalar(select(exists().where(column == user_id))):
                return False
        in_conversation = exists().where(PtbConversation.key.in_(conversation_keys(user_id)))
        return not await self._session.scalar(select(in_conversation))
