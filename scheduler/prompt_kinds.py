"""What each kind of prompt says, and what follows once it was sent (or dropped)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.schedule import week_period
from bot.streak import checkin_streak
from scheduler.kinds import CHECKIN_REMINDER, WEEKLY_CHECKIN
from scheduler.planning import REMINDER_DELAY, queue_checkin_reminder, queue_next_checkin
from storage.models import CheckinState, User
from storage.repositories.checkins import CheckinRepository
from storage.repositories.prompts import ClaimedPrompt


@dataclass(frozen=True)
class Outgoing:
    text: str
    markup: InlineKeyboardMarkup | None = None


class PromptKind(Protocol):
    async def render(
        self, session: AsyncSession, *, prompt: ClaimedPrompt, user: User
    ) -> Outgoing | None:
        """The message to send, or None when it no longer applies."""

    async def after_sent(
        self, session: AsyncSession, *, prompt: ClaimedPrompt, user: User, now: datetime
    ) -> None:
        """Follow-ups in the same transaction that records the send."""

    async def after_dropped(
        self, session: AsyncSession, *, prompt: ClaimedPrompt, user: User, now: datetime
    ) -> None:
        """Follow-ups when the prompt was skipped, cancelled or failed."""


def checkin_keyboard(period: str, *, with_later: bool = True) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(texts.CHECKIN_GO, callback_data=f"ci:go:{period}")]
    if with_later:
        row.append(InlineKeyboardButton(texts.CHECKIN_LATER, callback_data=f"ci:later:{period}"))
    return InlineKeyboardMarkup(
        [row, [InlineKeyboardButton(texts.CHECKIN_SKIP_WEEK, callback_data=f"ci:skip:{period}")]]
    )


async def current_streak(session: AsyncSession, user_id: int) -> int:
    history = await CheckinRepository(session).history(user_id=user_id)
    return checkin_streak((row.period, row.state) for row in history)


class WeeklyCheckinPrompt:
    def __init__(self, default_zone: str) -> None:
        self._default_zone = default_zone

    def _period(self, prompt: ClaimedPrompt, user: User) -> str:
        period = prompt.payload.get("period")
        if isinstance(period, str):
            return period
        return week_period(prompt.due_at, user.timezone or self._default_zone)

    async def render(
        self, session: AsyncSession, *, prompt: ClaimedPrompt, user: User
    ) -> Outgoing | None:
        text = texts.CHECKIN_PROMPT.format(name=html.escape(user.first_name, quote=False))
        streak = await current_streak(session, user.id)
        if streak >= 2:
            text += texts.CHECKIN_PROMPT_STREAK.format(streak=streak)
        return Outgoing(text=text, markup=checkin_keyboard(self._period(prompt, user)))

    async def after_sent(
        self, session: AsyncSession, *, prompt: ClaimedPrompt, user: User, now: datetime
    ) -> None:
        period = self._period(prompt, user)
        checkins = CheckinRepository(session)
        await checkins.open(user_id=user.id, period=period, prompted_at=now)
        await checkins.mark_missed_before(user_id=user.id, period=period)
        await queue_checkin_reminder(
            session, user_id=user.id, period=period, due_at=prompt.due_at + REMINDER_DELAY
        )
        await queue_next_checkin(
            session, user=user, after=max(prompt.due_at, now), default_zone=self._default_zone
        )

    async def after_dropped(
        self, session: AsyncSession, *, prompt: ClaimedPrompt, user: User, now: datetime
    ) -> None:
        # Whatever happened to this week's prompt, the weekly rhythm goes on.
        await queue_next_checkin(
            session, user=user, after=max(prompt.due_at, now), default_zone=self._default_zone
        )


class CheckinReminderPrompt:
    async def render(
        self, session: AsyncSession, *, prompt: ClaimedPrompt, user: User
    ) -> Outgoing | None:
        period = str(prompt.payload.get("period", ""))
        checkin = await CheckinRepository(session).get(user_id=user.id, period=period)
        if checkin is not None and checkin.state != CheckinState.OPEN:
            return None  # answered (or skipped) in the meantime
        return Outgoing(
            text=texts.CHECKIN_REMINDER.format(name=html.escape(user.first_name, quote=False)),
            markup=checkin_keyboard(period, with_later=False),
        )

    async def after_sent(
        self, session: AsyncSession, *, prompt: ClaimedPrompt, user: User, now: datetime
    ) -> None:
        """Nothing follows a reminder: an unanswered week counts as missed next week."""

    async def after_dropped(
        self, session: AsyncSession, *, prompt: ClaimedPrompt, user: User, now: datetime
    ) -> None:
        """Nothing to do."""


def prompt_kinds(default_zone: str) -> dict[str, PromptKind]:
    return {
        WEEKLY_CHECKIN: WeeklyCheckinPrompt(default_zone),
        CHECKIN_REMINDER: CheckinReminderPrompt(),
    }
