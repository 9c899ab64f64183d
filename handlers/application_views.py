"""What the application handlers share: naming an application, its stage and its dates,
the user's clock, and handing on input that reached a flow the user already left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from telegram import InlineKeyboardMarkup, Update

from bot.application_match import Known
from bot.application_status import CLOSED, FUNNEL, Status
from bot.context import Context
from bot.texts import applications as t
from bot.timezones import local_now, resolve_zone
from handlers.common import (
    END,
    current_flow,
    current_user,
    edit_in_place,
    escape,
    handle_again,
    long_date,
)
from scheduler.application_planning import REMINDER_TIME, ApplicationTiming, timing_for
from storage.models import Application

# The pipeline's order: saved, the funnel, then the ways a story ends.
PIPELINE: tuple[Status, ...] = (
    Status.SAVED,
    *FUNNEL,
    *(status for status in Status if status in CLOSED and status not in FUNNEL),
)
MAX_NAME = 200
MAX_ID_DIGITS = 18  # a BIGINT holds any 18-digit number


@dataclass(frozen=True, slots=True)
class UserClock:
    """Who is acting, and their day and timing for application prompts."""

    user_id: int
    now: datetime  # UTC
    local: datetime  # the user's wall clock
    timing: ApplicationTiming

    @property
    def today(self) -> date:
        return self.local.date()


async def user_clock(update: Update, context: Context) -> UserClock:
    """The stored user behind the update, with their local time and prompt timing."""
    user = await current_user(update, context)
    now = context.now()
    zone = user.timezone or context.settings.default_timezone
    return UserClock(
        user_id=user.id,
        now=now,
        local=local_now(zone, now),
        timing=timing_for(zone=user.timezone, settings=context.settings),
    )


def what(company: str, role: str | None) -> str:
    """ "Stripe — Senior PM", or "Stripe" (escaped)."""
    if role:
        return t.WHAT_WITH_ROLE.format(company=escape(company), role=escape(role))
    return escape(company)


def stage(status: Status, rounds: int = 0) -> str:
    """ "interview, round 2", "applied"."""
    name = t.STATUS_NAMES[status]
    if status is Status.INTERVIEW and rounds >= 2:
        return t.ROUND.format(status=name, round=rounds)
    return name


def clock_time(moment: time) -> str:
    """ "14:00"."""
    return t.TIME.format(hour=moment.hour, minute=moment.minute)


def day_and_time(day: date, moment: time | None) -> str:
    """ "Tuesday 24 November 2026 at 14:00"."""
    if moment is None:
        return long_date(day)
    return t.DATE_AT_TIME.format(date=long_date(day), time=clock_time(moment))


def is_id(text: str) -> bool:
    """Digits that fit a database id (a forged 30-digit number is not one)."""
    return text.isdigit() and len(text) <= MAX_ID_DIGITS


def known(application: Application) -> Known:
    """An application as matching sees it."""
    return Known(
        id=application.id,
        company=application.company,
        role=application.role,
        status=Status(application.status),
        updated_at=application.updated_at,
    )


def reminder_ahead(application: Application, clock: UserClock) -> bool:
    """Will the evening-before reminder of its next interview still come?"""
    event_at = application.next_event_at
    if event_at is None:
        return False
    event_day = event_at.astimezone(resolve_zone(clock.timing.zone)).date()
    return clock.timing.at(event_day - timedelta(days=1), REMINDER_TIME) > clock.now


def in_flow(context: Context, flow: str) -> bool:
    """Is the user still in `flow`? (Another flow's command may have taken over since.)"""
    return current_flow(context) == flow


async def hand_on(update: Update, context: Context) -> int:
    """This conversation was left for another flow: end it and let the update be handled
    afresh, as if the conversation had not been waiting."""
    handle_again(update, context)
    return END


async def edit_message(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the message whose button was pressed (an unchanged message is fine)."""
    await edit_in_place(update, text, markup)
