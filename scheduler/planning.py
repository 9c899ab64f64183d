"""Decide the next weekly check-in for a user and queue it (no Telegram here)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.schedule import next_weekly, week_period
from scheduler.kinds import (
    CHECKIN_REMINDER,
    WEEKLY_CHECKIN,
    checkin_reminder_key,
    weekly_checkin_key,
)
from storage.models import User
from storage.repositories.prompts import PromptRepository

REMINDER_DELAY = timedelta(hours=48)


class CheckinOwner(Protocol):
    """What planning needs of a user: a stored User or a dispatcher's Recipient."""

    @property
    def id(self) -> int: ...
    @property
    def active(self) -> bool: ...
    @property
    def paused(self) -> bool: ...
    @property
    def paused_until(self) -> datetime | None: ...
    @property
    def timezone(self) -> str | None: ...
    @property
    def checkin_weekday(self) -> int: ...
    @property
    def checkin_time(self) -> time: ...


def _checkin_row(user: CheckinOwner, after: datetime, default_zone: str) -> dict[str, Any] | None:
    """The user's next weekly check-in strictly after `after` (and after any pause), as a
    prompt row; None while they are inactive or paused with no end date."""
    if not user.active or (user.paused and user.paused_until is None):
        return None
    zone = user.timezone or default_zone
    start = max(after, user.paused_until) if user.paused and user.paused_until else after
    due = next_weekly(start, zone_id=zone, weekday=user.checkin_weekday, at=user.checkin_time)
    period = week_period(due, zone)
    return {
        "user_id": user.id,
        "kind": WEEKLY_CHECKIN,
        "due_at": due,
        "dedupe_key": weekly_checkin_key(user.id, period),
        "payload": {"period": period},
    }


def next_checkin_rows(
    users_after: list[tuple[CheckinOwner, datetime]], *, default_zone: str
) -> list[dict[str, Any]]:
    """Rows for each user's next weekly check-in after the given moment (bulk path)."""
    rows = (_checkin_row(user, after, default_zone) for user, after in users_after)
    return [row for row in rows if row is not None]


async def queue_next_checkin(
    session: AsyncSession, *, user: CheckinOwner, after: datetime, default_zone: str
) -> datetime | None:
    """Queue the user's next weekly check-in strictly after `after`; return its time.

    Weeks that already had their check-in are passed over, so changing the day after this
    week's prompt went out schedules next week's, not a second one this week.
    """
    prompts = PromptRepository(session)
    candidate = after
    for _ in range(4):
        row = _checkin_row(user, candidate, default_zone)
        if row is None:
            return None
        if await prompts.enqueue(**row):
            due: datetime = row["due_at"]
            return due
        candidate = row["due_at"]
    return None


async def reschedule_checkins(
    session: AsyncSession, *, user_id: int, now: datetime, default_zone: str
) -> datetime | None:
    """After a change of zone, day, time, pause or resume: drop what was queued, queue anew.

    Nothing is queued before the user has told us where they are.
    """
    await PromptRepository(session).cancel_pending(
        user_id=user_id, kinds=[WEEKLY_CHECKIN], reason="rescheduled"
    )
    user = await session.get(User, user_id, populate_existing=True)
    if user is None or user.timezone is None:
        return None
    return await queue_next_checkin(session, user=user, after=now, default_zone=default_zone)


async def queue_checkin_reminder(
    session: AsyncSession,
    *,
    user_id: int,
    period: str,
    due_at: datetime,
    label: str = "48h",
) -> bool:
    return await PromptRepository(session).enqueue(
        user_id=user_id,
        kind=CHECKIN_REMINDER,
        due_at=due_at,
        dedupe_key=checkin_reminder_key(user_id, period, label),
        payload={"period": period},
    )
