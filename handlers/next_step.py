"""/next: the single best next step and why, plus when the next check-in comes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import locale_format
from bot.context import Context
from bot.next_step import JourneySnapshot, NextStep, choose_next_step, journey_set_up
from bot.schedule import week_period
from bot.texts import next_step as t
from bot.timezones import local_now
from handlers.common import current_user, escape, reply, short_date
from scheduler.kinds import WEEKLY_CHECKIN
from storage.models import CheckinState, MilestoneState, Plan, User
from storage.repositories.checkins import CheckinRepository
from storage.repositories.journey import JourneyRepository
from storage.repositories.plans import MilestoneRepository
from storage.repositories.prompts import PromptRepository


def _monday(day: date) -> date:
    return date.fromordinal(day.toordinal() - day.weekday())


def _as_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


async def _snapshot(session: AsyncSession, user: User, now: datetime, zone: str) -> JourneySnapshot:
    journey = JourneyRepository(session)
    today = local_now(zone, now).date()
    plan = await session.get(Plan, user.id)
    checkin = await CheckinRepository(session).get(user_id=user.id, period=week_period(now, zone))
    return JourneySnapshot(
        today=today,
        has_timezone=user.timezone is not None,
        completed=frozenset(await journey.completed_steps(user_id=user.id)),
        target_action_due=_as_date(
            await journey.answer(user_id=user.id, step="target", key="action_date")
        ),
        deadline=plan.deadline if plan else None,
        milestones_this_week=sum(
            1
            for milestone in await MilestoneRepository(session).milestones_for_week(
                user_id=user.id, week_start=_monday(today)
            )
            if milestone.state == MilestoneState.PLANNED
        ),
        checkin_open_this_week=checkin is not None
        and checkin.state == CheckinState.OPEN
        and checkin.prompted_at is not None,
    )


async def _next_checkin(session: AsyncSession, user: User, zone: str) -> str:
    if user.paused:
        return t.CHECKIN_PAUSED
    pending = await PromptRepository(session).pending_for_user(user.id)
    due = next((p.due_at for p in pending if p.kind == WEEKLY_CHECKIN), None)
    if due is None:
        return ""
    local = local_now(zone, due)
    return t.NEXT_CHECKIN.format(
        weekday=locale_format.weekday_name(local.weekday()),
        date=short_date(local.date()),
        time=local.strftime("%H:%M"),
    )


async def show_next_step(update: Update, context: Context) -> None:
    """Answer with the one step that matters most now, and why."""
    user = await current_user(update, context)
    zone = user.timezone or context.settings.default_timezone
    async with context.sessions() as session:
        snapshot = await _snapshot(session, user, context.now(), zone)
        step = choose_next_step(snapshot)
        text = t.STEPS[step]
        if step is NextStep.TEST_TARGET:
            action = await JourneyRepository(session).answer(
                user_id=user.id, step="target", key="action"
            )
            text = text.format(action=escape(action or ""))
        elif step is NextStep.MILESTONES:
            count = snapshot.milestones_this_week
            text = text.format(count=count, plural="" if count == 1 else "s")
        if journey_set_up(snapshot):
            text += await _next_checkin(session, user, zone)
    await reply(update, text)


def next_step_handlers() -> list[BaseHandler[Update, Context, object]]:
    return [CommandHandler("next", show_next_step)]
