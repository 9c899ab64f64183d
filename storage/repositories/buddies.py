"""Buddy links: invites, the two agreements, what is shared, and the weekly update's time.

Every change of state is one conditional UPDATE (`… WHERE state IN (…)`), so a button
pressed twice, or by two instances at once, changes a link at most once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.buddy import ShareField
from storage.models import Application, BuddyLink, BuddyState, Checkin
from storage.upsert import insert_for

SHARE_COLUMNS = {
    ShareField.STREAK: "share_streak",
    ShareField.COMMITMENT: "share_commitment",
    ShareField.APPLICATIONS: "share_applications",
}


def shared_fields(link: BuddyLink) -> frozenset[ShareField]:
    """What the user currently lets their buddy see."""
    return frozenset(field for field, column in SHARE_COLUMNS.items() if getattr(link, column))


class BuddyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, link_id: int) -> BuddyLink | None:
        """The link, read afresh (a press may follow another one's change)."""
        return await self._session.get(BuddyLink, link_id, populate_existing=True)

    async def by_token_hash(self, token_hash: str) -> BuddyLink | None:
        return await self._session.scalar(
            select(BuddyLink).where(BuddyLink.token_hash == token_hash)
        )

    async def live_for_user(self, user_id: int) -> BuddyLink | None:
        """The user's own link that has not ended (at most one: a unique index says so)."""
        return await self._session.scalar(
            select(BuddyLink)
            .where(BuddyLink.user_id == user_id, BuddyLink.state != BuddyState.ENDED)
            .execution_options(populate_existing=True)
        )

    async def live_as_buddy(self, buddy_id: int) -> list[BuddyLink]:
        """The links in which this person is (or is becoming) someone's buddy."""
        rows = await self._session.scalars(
            select(BuddyLink)
            .where(BuddyLink.buddy_id == buddy_id, BuddyLink.state != BuddyState.ENDED)
            .order_by(BuddyLink.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def create_invite(
        self, *, user_id: int, token_hash: str, expires_at: datetime, now: datetime
    ) -> BuddyLink | None:
        """A new invite; None when the user already has a live link (a double /buddy)."""
        insert = insert_for(self._session)
        new_id = await self._session.scalar(
            insert(BuddyLink)
            .values(
                user_id=user_id,
                state=BuddyState.INVITED,
                token_hash=token_hash,
                expires_at=expires_at,
                created_at=now,
            )
            .on_conflict_do_nothing(
                index_elements=["user_id"], index_where=BuddyLink.state != BuddyState.ENDED
            )
            .returning(BuddyLink.id)
        )
        return None if new_id is None else await self.get(new_id)

    async def _move(self, link_id: int, *, from_states: Iterable[str], **values: Any) -> bool:
        """Change the link only if it is still in one of `from_states`; True if it was."""
        result = await self._session.execute(
            update(BuddyLink)
            .where(BuddyLink.id == link_id, BuddyLink.state.in_(list(from_states)))
            .values(**values)
            .returning(BuddyLink.id)
            .execution_options(synchronize_session=False)
        )
        return result.first() is not None

    async def open_invite(self, link_id: int, *, buddy_id: int, now: datetime) -> bool:
        """The invite is used up: its opener is offered the link (once, and in time)."""
        result = await self._session.execute(
            update(BuddyLink)
            .where(
                BuddyLink.id == link_id,
                BuddyLink.state == BuddyState.INVITED,
                BuddyLink.expires_at > now,
                BuddyLink.user_id != buddy_id,
            )
            .values(state=BuddyState.OFFERED, buddy_id=buddy_id, opened_at=now)
            .returning(BuddyLink.id)
            .execution_options(synchronize_session=False)
        )
        return result.first() is not None

    async def accept(self, link_id: int) -> bool:
        """The buddy said yes; the user now chooses what to share."""
        return await self._move(
            link_id, from_states=[BuddyState.OFFERED], state=BuddyState.ACCEPTED
        )

    async def confirm(self, link_id: int, *, next_summary_at: datetime, now: datetime) -> bool:
        """The user agreed too: the link is active and the first update has a time."""
        return await self._move(
            link_id,
            from_states=[BuddyState.ACCEPTED],
            state=BuddyState.ACTIVE,
            confirmed_at=now,
            next_summary_at=next_summary_at,
        )

    async def set_shared(self, link_id: int, field: ShareField, *, shared: bool) -> bool:
        """Share one fact or stop sharing it (while the link stands)."""
        return await self._move(
            link_id,
            from_states=[BuddyState.ACCEPTED, BuddyState.ACTIVE],
            **{SHARE_COLUMNS[field]: shared},
        )

    async def end(
        self,
        link_id: int,
        *,
        reason: str,
        now: datetime,
        from_states: Iterable[str] = BuddyState.LIVE,
    ) -> bool:
        """End the link (from any live state unless told otherwise); False if it had ended."""
        return await self._move(
            link_id,
            from_states=from_states,
            state=BuddyState.ENDED,
            end_reason=reason,
            ended_at=now,
            next_summary_at=None,
        )

    async def end_all_of(self, person_id: int, *, reason: str, now: datetime) -> list[BuddyLink]:
        """End every live link the person is in, on either side; the links that ended."""
        result = await self._session.scalars(
            update(BuddyLink)
            .where(
                or_(BuddyLink.user_id == person_id, BuddyLink.buddy_id == person_id),
                BuddyLink.state != BuddyState.ENDED,
            )
            .values(state=BuddyState.ENDED, end_reason=reason, ended_at=now, next_summary_at=None)
            .returning(BuddyLink)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        return list(result)

    # --- weekly updates ---------------------------------------------------------------------

    async def due_for_buddy(self, buddy_id: int, *, until: datetime) -> list[BuddyLink]:
        """The buddy's active links whose weekly update is due by `until`."""
        rows = await self._session.scalars(
            select(BuddyLink)
            .where(
                BuddyLink.buddy_id == buddy_id,
                BuddyLink.state == BuddyState.ACTIVE,
                BuddyLink.next_summary_at <= until,
            )
            .order_by(BuddyLink.next_summary_at, BuddyLink.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def due_for_buddies(self, until_by_buddy: dict[int, datetime]) -> list[BuddyLink]:
        """`due_for_buddy` for a batch of buddies in one query."""
        if not until_by_buddy:
            return []
        rows = await self._session.scalars(
            select(BuddyLink)
            .where(
                BuddyLink.buddy_id.in_(list(until_by_buddy)),
                BuddyLink.state == BuddyState.ACTIVE,
                BuddyLink.next_summary_at <= max(until_by_buddy.values()),
            )
            .order_by(BuddyLink.next_summary_at, BuddyLink.id)
            .execution_options(populate_existing=True)
        )
        return [
            link
            for link in rows
            if link.buddy_id is not None
            and link.next_summary_at is not None
            and link.next_summary_at <= until_by_buddy[link.buddy_id]
        ]

    async def reschedule(self, link_id: int, *, next_summary_at: datetime) -> bool:
        return await self._move(
            link_id, from_states=[BuddyState.ACTIVE], next_summary_at=next_summary_at
        )

    async def earliest_summary(self, buddy_id: int) -> datetime | None:
        """When this buddy's next weekly update is due, across everyone they cheer on."""
        earliest: datetime | None = await self._session.scalar(
            select(func.min(BuddyLink.next_summary_at)).where(
                BuddyLink.buddy_id == buddy_id, BuddyLink.state == BuddyState.ACTIVE
            )
        )
        return earliest

    # --- what a weekly update may read (and nothing else) ----------------------------------

    async def checkin_weeks(
        self, user_id: int, *, limit: int = 60
    ) -> list[tuple[str, str, str | None]]:
        """(period, state, commitment) of the user's latest check-ins: only the columns an
        update can use, never the answers about the week."""
        rows = await self._session.execute(
            select(Checkin.period, Checkin.state, Checkin.commitment)
            .where(Checkin.user_id == user_id)
            .order_by(Checkin.period.desc())
            .limit(limit)
        )
        return [(period, state, commitment) for period, state, commitment in rows]

    async def applications_since(self, user_id: int, *, since: date) -> int:
        """How many applications the user sent on `since` or later (a count, no names)."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.user_id == user_id, Application.applied_on >= since)
        )
        return int(count or 0)
