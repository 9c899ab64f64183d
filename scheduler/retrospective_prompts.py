"""The retrospective prompt: queued when one is due, sent with "Let's look" and "Not now".

When is it checked? After every answered check-in, and on /progress. After a check-in the
prompt comes the next day at the user's check-in time (a bigger question deserves its own
moment, not the tail of a check-in), or the day after when the next day is check-in day.
On /progress it comes at once: the user is looking at the numbers right now. Not on the
application save path: that runs on every message about an application and belongs to
another flow, while the weekly check-in reaches an active user within a week anyway — a
retrospective a few days later loses nothing.

The offer is recorded when the prompt is sent (a journey answer under step "retro",
keyed by the day it was due), so a prompt that was never delivered does not count, and
the next check is free to queue it again. Rendering checks again that it is still due:
an interview that came in the meantime silences the "no interview" one.
"""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.retrospective import (
    Due,
    RetroRecord,
    Trigger,
    decode_records,
    due_retrospective,
    encode_record,
    sent_applications,
)
from bot.texts import retrospective as rt
from bot.timezones import resolve_zone
from scheduler.kinds import RETROSPECTIVE, retrospective_key
from scheduler.prompt_protocol import Item, Outgoing, PromptKind
from storage.models import Checkin, CheckinState, PromptState, ScheduledPrompt
from storage.repositories.applications import ApplicationRepository
from storage.repositories.journey import JourneyRepository
from storage.repositories.prompts import ClaimedPrompt, PromptRepository

STEP = "retro"  # the journey step the records are kept under
RETRO_GO = "rt:go"  # + ":<day>": open the retrospective offered that day
RETRO_NOT_NOW = "rt:no"  # + ":<day>"


class RetroOwner(Protocol):
    """What queueing needs of a user: a stored User or a dispatcher's Recipient."""

    @property
    def id(self) -> int: ...
    @property
    def timezone(self) -> str | None: ...
    @property
    def active(self) -> bool: ...
    @property
    def paused(self) -> bool: ...
    @property
    def paused_until(self) -> datetime | None: ...
    @property
    def checkin_weekday(self) -> int: ...
    @property
    def checkin_time(self) -> time: ...


# --- reading and writing records ----------------------------------------------------------


async def retro_records(session: AsyncSession, user_id: int) -> list[RetroRecord]:
    """The user's retrospectives, oldest first."""
    answers = await JourneyRepository(session).answers(user_id=user_id, step=STEP)
    return decode_records(answers)


async def save_record(
    session: AsyncSession, *, user_id: int, record: RetroRecord, now: datetime
) -> None:
    await JourneyRepository(session).save(
        user_id=user_id, step=STEP, key=record.key, value=encode_record(record), now=now
    )


async def _first_checkin(session: AsyncSession, user_id: int, zone: str) -> date | None:
    """The local day of the user's first answered check-in."""
    first = await session.scalar(
        select(func.min(Checkin.answered_at)).where(
            Checkin.user_id == user_id, Checkin.state == CheckinState.ANSWERED
        )
    )
    if first is None:
        return None
    moment = first if first.tzinfo else first.replace(tzinfo=UTC)
    return moment.astimezone(resolve_zone(zone)).date()


async def due_for(session: AsyncSession, *, user_id: int, zone: str, today: date) -> Due | None:
    """The retrospective due for this user today, if any."""
    applications = ApplicationRepository(session)
    sent = sent_applications(
        await applications.all_for_user(user_id=user_id),
        await applications.all_events(user_id=user_id),
    )
    return due_retrospective(
        today=today,
        first_checkin=await _first_checkin(session, user_id, zone),
        records=await retro_records(session, user_id),
        applications=sent,
    )


async def newest_application_id(session: AsyncSession, user_id: int) -> int:
    applications = await ApplicationRepository(session).all_for_user(user_id=user_id)
    return max((application.id for application in applications), default=0)


# --- queueing ------------------------------------------------------------------------------


def _quiet(user: RetroOwner, now: datetime) -> bool:
    """Inactive (blocked the bot) or reminders paused: no prompts."""
    paused = user.paused and (user.paused_until is None or user.paused_until > now)
    return not user.active or paused


async def _pending(session: AsyncSession, user_id: int) -> bool:
    found = await session.scalar(
        select(ScheduledPrompt.id)
        .where(
            ScheduledPrompt.user_id == user_id,
            ScheduledPrompt.kind == RETROSPECTIVE,
            ScheduledPrompt.state.in_(
                [PromptState.PENDING, PromptState.CLAIMED, PromptState.SENDING]
            ),
        )
        .limit(1)
    )
    return found is not None


def next_day_at_checkin_time(user: RetroOwner, *, zone: str, now: datetime) -> datetime:
    """Tomorrow at the hour the user chose for check-ins (their zone), in UTC — or the day
    after, when tomorrow is check-in day: not on top of the weekly prompt."""
    tz = resolve_zone(zone)
    day = now.astimezone(tz).date() + timedelta(days=1)
    if day.weekday() == user.checkin_weekday:
        day += timedelta(days=1)
    return datetime.combine(day, user.checkin_time, tzinfo=tz).astimezone(UTC)


async def queue_retrospective_if_due(
    session: AsyncSession,
    *,
    user: RetroOwner,
    now: datetime,
    default_zone: str,
    at: datetime | None = None,
) -> Due | None:
    """Queue a retrospective when one is due and none is waiting; returns what was queued.

    `at`: when to send it (default: tomorrow at the user's check-in time).
    """
    if _quiet(user, now) or await _pending(session, user.id):
        return None
    zone = user.timezone or default_zone
    today = now.astimezone(resolve_zone(zone)).date()
    due = await due_for(session, user_id=user.id, zone=zone, today=today)
    if due is None:
        return None
    when = at or next_day_at_checkin_time(user, zone=zone, now=now)
    day = when.astimezone(resolve_zone(zone)).date().isoformat()
    queued = await PromptRepository(session).enqueue(
        user_id=user.id,
        kind=RETROSPECTIVE,
        due_at=when,
        # One a day at most: a prompt that was skipped keeps its key, and tomorrow's check
        # may queue again under a new one.
        dedupe_key=retrospective_key(user.id, day),
        payload={"trigger": due.trigger.value},
    )
    return due if queued else None


# --- the prompt ---------------------------------------------------------------------------------


def prompt_day(prompt: ClaimedPrompt, zone: str) -> date:
    """The day a retrospective prompt stands for: its due day, in the user's zone."""
    return prompt.due_at.astimezone(resolve_zone(zone)).date()


def retro_keyboard(day: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(rt.GO_BUTTON, callback_data=f"{RETRO_GO}:{day}")],
            [InlineKeyboardButton(rt.NOT_NOW_BUTTON, callback_data=f"{RETRO_NOT_NOW}:{day}")],
        ]
    )


def prompt_text(name: str, due: Due) -> str:
    name = html.escape(name, quote=False)
    if due.trigger is Trigger.APPLICATIONS:
        return rt.PROMPT_APPLICATIONS.format(name=name, count=due.applications)
    return rt.PROMPT_WEEKS.format(name=name)


class RetrospectivePrompt:
    """Every eight weeks, or after twenty applications with no interview: time to step back.

    Retrospectives are rare (one per user every few weeks at most), so each prompt reads
    its user's data on its own rather than in one query per batch.
    """

    def __init__(self, default_zone: str) -> None:
        self._default_zone = default_zone

    async def _due(self, session: AsyncSession, item: Item, now: datetime) -> Due | None:
        _prompt, user = item
        zone = user.timezone or self._default_zone
        today = now.astimezone(resolve_zone(zone)).date()
        return await due_for(session, user_id=user.id, zone=zone, today=today)

    async def render(self, session: AsyncSession, items: list[Item]) -> dict[int, Outgoing | None]:
        rendered: dict[int, Outgoing | None] = {}
        for prompt, user in items:
            # Judged on the day it was due (render has no clock; a late send is < 24 h late).
            due = await self._due(session, (prompt, user), prompt.due_at)
            if due is None:
                rendered[prompt.id] = None  # offered already, or an interview came since
                continue
            day = prompt_day(prompt, user.timezone or self._default_zone).isoformat()
            rendered[prompt.id] = Outgoing(prompt_text(user.first_name, due), retro_keyboard(day))
        return rendered

    async def after_sent(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Record the offer: the eight weeks count again from it, and so do applications."""
        for prompt, user in items:
            due = await self._due(session, (prompt, user), now)
            trigger = due.trigger if due else Trigger(prompt.payload.get("trigger", "weeks"))
            record = RetroRecord(
                offered_on=prompt_day(prompt, user.timezone or self._default_zone),
                trigger=trigger,
                last_application_id=await newest_application_id(session, user.id),
            )
            await save_record(session, user_id=user.id, record=record, now=now)

    async def after_dropped(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Nothing: an undelivered offer is not recorded, so the next check queues it again."""


def retrospective_prompt_kinds(default_zone: str) -> dict[str, PromptKind]:
    return {RETROSPECTIVE: RetrospectivePrompt(default_zone)}
