"""What each kind of prompt says, and what follows once it was sent (or dropped).

Kinds work on whole batches: one query per batch, not one per prompt, keeps the
dispatcher close to the speed of the HTTP calls themselves.
"""

from __future__ import annotations

import functools
import html
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.i18n import current_language
from bot.schedule import week_period
from bot.streak import checkin_streak
from scheduler.application_prompts import application_prompt_kinds
from scheduler.buddy_prompts import buddy_prompt_kinds
from scheduler.kinds import CHECKIN_REMINDER, WEEKLY_CHECKIN, checkin_reminder_key
from scheduler.planning import REMINDER_DELAY, next_checkin_rows
from scheduler.prompt_protocol import Item, Outgoing, PromptKind
from scheduler.retrospective_prompts import retrospective_prompt_kinds
from storage.models import CheckinState
from storage.repositories.checkins import CheckinRepository
from storage.repositories.prompts import ClaimedPrompt, PromptRepository
from storage.repositories.users import Recipient


def checkin_keyboard(period: str, *, with_later: bool = True) -> InlineKeyboardMarkup:
    """The same (immutable) keyboard for everyone in a week and language: built once."""
    return _checkin_keyboard(current_language(), period, with_later)


@functools.lru_cache(maxsize=64)
def _checkin_keyboard(language: str, period: str, with_later: bool) -> InlineKeyboardMarkup:
    # `language` is only the cache key: the texts read below are already in it.
    row = [InlineKeyboardButton(texts.CHECKIN_GO, callback_data=f"ci:go:{period}")]
    if with_later:
        row.append(InlineKeyboardButton(texts.CHECKIN_LATER, callback_data=f"ci:later:{period}"))
    return InlineKeyboardMarkup(
        [row, [InlineKeyboardButton(texts.CHECKIN_SKIP_WEEK, callback_data=f"ci:skip:{period}")]]
    )


async def current_streak(session: AsyncSession, user_id: int) -> int:
    history = await CheckinRepository(session).history(user_id=user_id)
    return checkin_streak((row.period, row.state) for row in history)


def _first_name(user: Recipient) -> str:
    return html.escape(user.first_name, quote=False)


class WeeklyCheckinPrompt:
    def __init__(self, default_zone: str) -> None:
        self._default_zone = default_zone

    def period(self, prompt: ClaimedPrompt, user: Recipient) -> str:
        period = prompt.payload.get("period")
        if isinstance(period, str):
            return period
        return week_period(prompt.due_at, user.timezone or self._default_zone)

    async def render(self, session: AsyncSession, items: list[Item]) -> dict[int, Outgoing | None]:
        return {
            prompt.id: Outgoing(
                text=texts.CHECKIN_PROMPT.format(name=_first_name(user)),
                markup=checkin_keyboard(self.period(prompt, user)),
            )
            for prompt, user in items
        }

    async def after_sent(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        weeks = [(user.id, self.period(prompt, user)) for prompt, user in items]
        checkins = CheckinRepository(session)
        await checkins.open_many(weeks=weeks, prompted_at=now)
        await checkins.mark_missed_before_many(weeks=weeks)
        reminders = [
            {
                "user_id": user.id,
                "kind": CHECKIN_REMINDER,
                "due_at": prompt.due_at + REMINDER_DELAY,
                "dedupe_key": checkin_reminder_key(user.id, period),
                "payload": {"period": period},
            }
            for (prompt, user), (_uid, period) in zip(items, weeks, strict=True)
        ]
        prompts = PromptRepository(session)
        await prompts.enqueue_many(reminders)
        await self._queue_next(session, items, now)

    async def after_dropped(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        # Whatever happened to this week's prompt, the weekly rhythm goes on — from the slot
        # after the dropped one, not after now: back from a week's downtime, this week's
        # check-in (a few hours late) still goes out; one too late is skipped in turn.
        await self._queue_next(session, items, now, after_now=False)

    async def _queue_next(
        self, session: AsyncSession, items: list[Item], now: datetime, *, after_now: bool = True
    ) -> None:
        upcoming = next_checkin_rows(
            [
                (user, max(prompt.due_at, now) if after_now else prompt.due_at)
                for prompt, user in items
            ],
            default_zone=self._default_zone,
        )
        await PromptRepository(session).enqueue_many(upcoming)


class CheckinReminderPrompt:
    async def render(self, session: AsyncSession, items: list[Item]) -> dict[int, Outgoing | None]:
        weeks = [(user.id, str(prompt.payload.get("period", ""))) for prompt, user in items]
        states = await CheckinRepository(session).states(weeks=weeks)
        rendered: dict[int, Outgoing | None] = {}
        for (prompt, user), week in zip(items, weeks, strict=True):
            if states.get(week, CheckinState.OPEN) != CheckinState.OPEN:
                rendered[prompt.id] = None  # answered (or skipped) in the meantime
                continue
            rendered[prompt.id] = Outgoing(
                text=texts.CHECKIN_REMINDER.format(name=_first_name(user)),
                markup=checkin_keyboard(week[1], with_later=False),
            )
        return rendered

    async def after_sent(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Nothing follows a reminder: an unanswered week counts as missed next week."""

    async def after_dropped(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Nothing to do."""


def prompt_kinds(default_zone: str) -> dict[str, PromptKind]:
    return {
        WEEKLY_CHECKIN: WeeklyCheckinPrompt(default_zone),
        CHECKIN_REMINDER: CheckinReminderPrompt(),
        **application_prompt_kinds(default_zone),
        **retrospective_prompt_kinds(default_zone),
        **buddy_prompt_kinds(default_zone),
    }
