"""The prompts about job applications: follow-up nudges, the interview reminder, and the
reflection after a rejection — and the two prompts the user's buttons queue again.

A prompt is queued days or weeks ahead, so each kind reads the application again when
the prompt comes due and sends nothing when it no longer applies: the application was
deleted, moved to another stage, or the interview was moved.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import locale_format
from bot.application_status import Status
from bot.texts import followups as ft
from bot.texts import reflections as rt
from bot.timezones import resolve_zone
from scheduler.application_planning import (
    FOLLOWUP_TIME,
    INTERVIEW_STAGES,
    ApplicationTiming,
)
from scheduler.kinds import (
    APPLICATION_FOLLOWUP,
    INTERVIEW_REMINDER,
    REJECTION_REFLECTION,
    application_prompt_key,
)
from scheduler.prompt_protocol import Item, Outgoing, PromptKind
from storage.models import Application, JourneyAnswer
from storage.repositories.prompts import ClaimedPrompt, PromptRepository
from storage.repositories.reflections import ReflectionRepository

SNOOZE = timedelta(days=3)
REFLECTION_AGAIN_AFTER = timedelta(days=3)
LAST_FOLLOWUP_STEP = 3

# Callback data: "<prefix>:<action>:<application id>[:<step>]" (well under 64 bytes).
FOLLOWUP_DONE = "fu:done"
FOLLOWUP_SNOOZE = "fu:snooze"
FOLLOWUP_NO_ANSWER = "fu:noans"
INTERVIEW_READY = "iv:ready"
REFLECT_GO = "rf:go"
REFLECT_LATER = "rf:later"  # "Not now" on the first prompt: one more, later
REFLECT_OK = "rf:ok"  # "Not now" on that later one: no more


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def _short_date(day: date) -> str:
    return locale_format.short_date(day)


def _application_id(prompt: ClaimedPrompt) -> int | None:
    value = prompt.payload.get("application_id")
    return value if isinstance(value, int) else None


async def _applications(session: AsyncSession, items: list[Item]) -> dict[int, Application]:
    """The application each prompt is about (by prompt id), if it still exists and is its user's.

    One query for the whole batch, across users: the repository's per-user lookups would
    cost one query per prompt.
    """
    ids = {app_id for prompt, _user in items if (app_id := _application_id(prompt)) is not None}
    if not ids:
        return {}
    rows = await session.scalars(select(Application).where(Application.id.in_(ids)))
    by_id = {application.id: application for application in rows}
    found: dict[int, Application] = {}
    for prompt, user in items:
        app_id = _application_id(prompt)
        application = by_id.get(app_id) if app_id is not None else None
        if application is not None and application.user_id == user.id:
            found[prompt.id] = application
    return found


async def why_statements(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's why statement (from /why), for a batch of users at once."""
    ids = set(user_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(JourneyAnswer.user_id, JourneyAnswer.value).where(
            JourneyAnswer.user_id.in_(ids),
            JourneyAnswer.step == "why",
            JourneyAnswer.key == "statement",
        )
    )
    return {user_id: value for user_id, value in rows if value}


def what(application: Application) -> str:
    """ "<b>Acme</b> (Analyst)", or the company alone (escaped)."""
    company = escape(application.company)
    if application.role:
        return ft.WHAT_WITH_ROLE.format(role=escape(application.role), company=company)
    return ft.WHAT_COMPANY.format(company=company)


def _keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


# --- follow-up nudges ---------------------------------------------------------------------


def followup_text(application: Application, step: int, days: int) -> str:
    position = (
        ft.POSITION_WITH_ROLE.format(role=escape(application.role))
        if application.role
        else ft.POSITION_ANY
    )
    message = ft.MESSAGES[step].format(
        position=position,
        company=escape(application.company),
        date=_short_date(application.status_on),
    )
    return ft.NUDGES[step].format(days=days, what=what(application), message=message)


def followup_keyboard(application_id: int, step: int) -> InlineKeyboardMarkup:
    return _keyboard(
        [
            [(ft.DONE_BUTTON, f"{FOLLOWUP_DONE}:{application_id}:{step}")],
            [
                (ft.SNOOZE_BUTTON, f"{FOLLOWUP_SNOOZE}:{application_id}:{step}"),
                (ft.NO_ANSWER_BUTTON, f"{FOLLOWUP_NO_ANSWER}:{application_id}"),
            ],
        ]
    )


def _step(prompt: ClaimedPrompt) -> int:
    step = prompt.payload.get("step")
    return step if isinstance(step, int) and step in ft.NUDGES else LAST_FOLLOWUP_STEP


class ApplicationFollowupPrompt:
    """7, 14 and 21 days after applying with no news: a message to copy, then "no answer?"."""

    def __init__(self, default_zone: str) -> None:
        self._default_zone = default_zone

    async def render(self, session: AsyncSession, items: list[Item]) -> dict[int, Outgoing | None]:
        applications = await _applications(session, items)
        rendered: dict[int, Outgoing | None] = {}
        for prompt, user in items:
            application = applications.get(prompt.id)
            if application is None or application.status != Status.APPLIED:
                rendered[prompt.id] = None  # deleted, or there was news in the meantime
                continue
            zone = resolve_zone(user.timezone or self._default_zone)
            days = (prompt.due_at.astimezone(zone).date() - application.status_on).days
            step = _step(prompt)
            rendered[prompt.id] = Outgoing(
                followup_text(application, step, days), followup_keyboard(application.id, step)
            )
        return rendered

    async def after_sent(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Nothing follows: the next steps were queued with the application."""

    async def after_dropped(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Nothing to do: a dropped nudge is one that no longer applies."""


async def queue_snoozed_followup(
    session: AsyncSession,
    *,
    application: Application,
    step: int,
    timing: ApplicationTiming,
    now: datetime,
) -> datetime:
    """The same nudge again in three days, mid-morning; returns when it is due."""
    day = timing.today(now) + SNOOZE
    due = timing.at(day, FOLLOWUP_TIME)
    await PromptRepository(session).enqueue(
        user_id=application.user_id,
        kind=APPLICATION_FOLLOWUP,
        due_at=due,
        # Under the application's prefix, so any change of status cancels it too.
        dedupe_key=application_prompt_key(application.id, f"followup{step}-snooze{day:%Y%m%d}"),
        payload={"application_id": application.id, "step": step},
    )
    return due


# --- the evening before an interview ---------------------------------------------------------


def _event_at(prompt: ClaimedPrompt) -> datetime | None:
    value = prompt.payload.get("event_at")
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _interview_kind(application: Application) -> str:
    if application.status == Status.SCREENING:
        return ft.KIND_SCREENING
    if application.interview_rounds > 1:
        return ft.KIND_INTERVIEW_ROUND.format(round=application.interview_rounds)
    return ft.KIND_INTERVIEW


class InterviewReminderPrompt:
    """18:00 the evening before a screen or interview: three things to prepare."""

    def __init__(self, default_zone: str) -> None:
        self._default_zone = default_zone

    async def render(self, session: AsyncSession, items: list[Item]) -> dict[int, Outgoing | None]:
        applications = await _applications(session, items)
        statements = await why_statements(session, (user.id for _prompt, user in items))
        rendered: dict[int, Outgoing | None] = {}
        for prompt, user in items:
            application = applications.get(prompt.id)
            event_at = _event_at(prompt)
            if (
                application is None
                or application.status not in INTERVIEW_STAGES
                or event_at is None
                or application.next_event_at != event_at
            ):
                rendered[prompt.id] = None  # moved on, or the interview was moved
                continue
            zone = resolve_zone(user.timezone or self._default_zone)
            statement = statements.get(user.id)
            text = ft.INTERVIEW_REMINDER.format(
                time=event_at.astimezone(zone).strftime("%H:%M"),
                kind=_interview_kind(application),
                what=what(application),
                why=ft.INTERVIEW_WHY.format(statement=escape(statement)) if statement else "",
            )
            markup = _keyboard([[(ft.READY_BUTTON, f"{INTERVIEW_READY}:{application.id}")]])
            rendered[prompt.id] = Outgoing(text, markup)
        return rendered

    async def after_sent(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Nothing follows: the next stage brings its own prompts."""

    async def after_dropped(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Nothing to do."""


# --- the reflection after a rejection --------------------------------------------------------


def reflection_keyboard(application_id: int, *, again: bool) -> InlineKeyboardMarkup:
    not_now = REFLECT_OK if again else REFLECT_LATER
    return _keyboard(
        [
            [(rt.REFLECT_BUTTON, f"{REFLECT_GO}:{application_id}")],
            [(rt.NOT_NOW_BUTTON, f"{not_now}:{application_id}")],
        ]
    )


def reflection_text(name: str, company: str, statement: str | None, *, again: bool) -> str:
    if again:
        return rt.PROMPT_AGAIN.format(name=escape(name), company=escape(company))
    text = rt.PROMPT.format(name=escape(name), company=escape(company))
    if statement:
        text += rt.PROMPT_WHY.format(statement=escape(statement))
    return text + rt.PROMPT_INVITE


class RejectionReflectionPrompt:
    """The morning after a rejection: a warm word, the why, and an invitation to reflect."""

    async def render(self, session: AsyncSession, items: list[Item]) -> dict[int, Outgoing | None]:
        applications = await _applications(session, items)
        statements = await why_statements(session, (user.id for _prompt, user in items))
        finished = await ReflectionRepository(session).finished_for_applications(
            application.id for application in applications.values()
        )
        rendered: dict[int, Outgoing | None] = {}
        for prompt, user in items:
            application = applications.get(prompt.id)
            if (
                application is None
                or application.status != Status.REJECTED
                or application.id in finished
            ):
                rendered[prompt.id] = None  # deleted, corrected, or reflected on already
                continue
            again = bool(prompt.payload.get("again"))
            text = reflection_text(
                user.first_name, application.company, statements.get(user.id), again=again
            )
            rendered[prompt.id] = Outgoing(text, reflection_keyboard(application.id, again=again))
        return rendered

    async def after_sent(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Nothing follows unless the user says "Not now" (see queue_reflection_again)."""

    async def after_dropped(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Nothing to do."""


async def queue_reflection_again(
    session: AsyncSession, *, application: Application, timing: ApplicationTiming, now: datetime
) -> bool:
    """One more invitation three days later, at the reflection hour; False if one stands."""
    day = timing.today(now) + REFLECTION_AGAIN_AFTER
    return await PromptRepository(session).enqueue(
        user_id=application.user_id,
        kind=REJECTION_REFLECTION,
        due_at=timing.at(day, time(timing.reflection_hour, 0)),
        dedupe_key=application_prompt_key(application.id, "reflection-again"),
        payload={"application_id": application.id, "again": True},
    )


def application_prompt_kinds(default_zone: str) -> dict[str, PromptKind]:
    return {
        APPLICATION_FOLLOWUP: ApplicationFollowupPrompt(default_zone),
        INTERVIEW_REMINDER: InterviewReminderPrompt(default_zone),
        REJECTION_REFLECTION: RejectionReflectionPrompt(),
    }
