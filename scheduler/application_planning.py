"""What follows a change in a job application: the stage history, follow-up nudges, the
interview reminder and the reflection after a rejection (no Telegram here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.application_status import Status
from bot.config import Settings
from bot.timezones import resolve_zone
from scheduler.kinds import (
    APPLICATION_FOLLOWUP,
    INTERVIEW_REMINDER,
    REJECTION_REFLECTION,
    application_key_prefix,
    application_prompt_key,
)
from storage.models import Application
from storage.repositories.applications import ApplicationRepository
from storage.repositories.prompts import PromptRepository

FOLLOWUP_TIME = time(10, 0)  # nudges arrive mid-morning, local time
REMINDER_TIME = time(18, 0)  # the evening before an interview
INTERVIEW_STAGES = frozenset({Status.SCREENING, Status.INTERVIEW})


@dataclass(frozen=True, slots=True)
class ApplicationTiming:
    """The user's zone and the configured delays."""

    zone: str
    followup_days: tuple[int, int, int] = (7, 14, 21)
    reflection_hour: int = 9

    def at(self, day: date, moment: time) -> datetime:
        """A local wall-clock moment as an aware UTC datetime."""
        return datetime.combine(day, moment, tzinfo=resolve_zone(self.zone)).astimezone(UTC)

    def today(self, now: datetime) -> date:
        return now.astimezone(resolve_zone(self.zone)).date()


def timing_for(*, zone: str | None, settings: Settings) -> ApplicationTiming:
    """The timing of one user's application prompts, from their zone and the settings."""
    return ApplicationTiming(
        zone=zone or settings.default_timezone,
        followup_days=settings.followup_days,
        reflection_hour=settings.reflection_hour,
    )


async def log_application(
    session: AsyncSession,
    *,
    user_id: int,
    company: str,
    role: str | None,
    status: Status,
    on: date,
    event_time: time | None = None,
    url: str | None = None,
    timing: ApplicationTiming,
    now: datetime,
) -> Application:
    """A new application, with the prompts its first stage calls for."""
    # The interview time goes into the INSERT: set afterwards, it cost an UPDATE each time.
    application = await ApplicationRepository(session).create(
        user_id=user_id,
        company=company,
        role=role,
        status=status,
        on=on,
        url=url,
        next_event_at=_event_at(status, on, event_time, timing),
        now=now,
    )
    await _queue_prompts(session, application, timing, now)
    return application


async def record_status(
    session: AsyncSession,
    *,
    application: Application,
    status: Status,
    on: date,
    event_time: time | None = None,
    timing: ApplicationTiming,
    now: datetime,
) -> None:
    """Move an application to a stage: history, then the old nudges out and the new ones in."""
    await ApplicationRepository(session).change_status(
        application=application,
        status=status,
        on=on,
        now=now,
        next_event_at=_event_at(status, on, event_time, timing),
    )
    await PromptRepository(session).cancel_with_prefix(
        user_id=application.user_id,
        prefix=application_key_prefix(application.id),
        reason=f"status changed to {status}",
    )
    await _queue_prompts(session, application, timing, now)


def _event_at(
    status: Status, on: date, event_time: time | None, timing: ApplicationTiming
) -> datetime | None:
    if status not in INTERVIEW_STAGES:
        return None
    return timing.at(on, event_time or time(9, 0))


async def _queue_prompts(
    session: AsyncSession, application: Application, timing: ApplicationTiming, now: datetime
) -> None:
    status = Status(application.status)
    if status is Status.APPLIED:
        await _queue_followups(session, application, timing, now)
    elif status in INTERVIEW_STAGES:
        await _queue_interview_reminder(session, application, timing, now)
    elif status is Status.REJECTED:
        await _queue_reflection(session, application, timing, now)


async def _queue_followups(
    session: AsyncSession, application: Application, timing: ApplicationTiming, now: datetime
) -> None:
    """7, 14 and 21 days (configurable) after applying; the past ones are not sent late."""
    prompts = PromptRepository(session)
    since = application.status_on
    due = [
        (step, timing.at(since + timedelta(days=days), FOLLOWUP_TIME))
        for step, days in enumerate(timing.followup_days, 1)
    ]
    upcoming = [(step, at) for step, at in due if at > now]
    if not upcoming:
        # Logged long after applying: ask about "no answer" tomorrow rather than never.
        upcoming = [(3, timing.at(timing.today(now) + timedelta(days=1), FOLLOWUP_TIME))]
    # One statement for all of them (each one on its own was a round trip).
    await prompts.enqueue_many(
        [
            {
                "user_id": application.user_id,
                "kind": APPLICATION_FOLLOWUP,
                "due_at": at,
                "dedupe_key": application_prompt_key(application.id, f"followup{step}"),
                "payload": {"application_id": application.id, "step": step},
            }
            for step, at in upcoming
        ]
    )


async def _queue_interview_reminder(
    session: AsyncSession, application: Application, timing: ApplicationTiming, now: datetime
) -> None:
    event_at = application.next_event_at
    if event_at is None:
        return
    event_day = event_at.astimezone(resolve_zone(timing.zone)).date()
    remind_at = timing.at(event_day - timedelta(days=1), REMINDER_TIME)
    if remind_at <= now:
        return  # too late for "the evening before"
    await PromptRepository(session).enqueue(
        user_id=application.user_id,
        kind=INTERVIEW_REMINDER,
        due_at=remind_at,
        dedupe_key=application_prompt_key(application.id, f"interview{event_day.isoformat()}"),
        payload={"application_id": application.id, "event_at": event_at.isoformat()},
    )


async def _queue_reflection(
    session: AsyncSession, application: Application, timing: ApplicationTiming, now: datetime
) -> None:
    """The next morning: a night's sleep between the no and the lesson."""
    morning = timing.at(timing.today(now) + timedelta(days=1), time(timing.reflection_hour, 0))
    await PromptRepository(session).enqueue(
        user_id=application.user_id,
        kind=REJECTION_REFLECTION,
        due_at=morning,
        dedupe_key=application_prompt_key(application.id, "reflection"),
        payload={"application_id": application.id},
    )
