"""Job applications, their stage history, notes and contacts — always scoped to one user."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application, ApplicationEvent, ApplicationNote


class ApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self,
        *,
        user_id: int,
        company: str,
        role: str | None,
        status: str,
        on: date,
        url: str | None = None,
        next_event_at: datetime | None = None,
        now: datetime,
    ) -> Application:
        """A new application with its first stage in the history."""
        application = Application(
            user_id=user_id,
            company=company[:200],
            role=role[:200] if role else None,
            url=url,
            status=status,
            status_on=on,
            applied_on=on if status == "applied" else None,
            interview_rounds=1 if status == "interview" else 0,
            next_event_at=next_event_at,
            created_at=now,
            updated_at=now,
        )
        self._session.add(application)
        await self._session.flush()
        self._session.add(
            ApplicationEvent(
                application_id=application.id,
                user_id=user_id,
                status=status,
                happened_on=on,
                round=application.interview_rounds or None,
                created_at=now,
            )
        )
        await self._session.flush()
        return application

    async def get(self, *, user_id: int, application_id: int) -> Application | None:
        """The application if it is this user's; None for anyone else's (or a deleted one)."""
        application = await self._session.get(Application, application_id)
        if application is None or application.user_id != user_id:
            return None
        return application

    async def all_for_user(self, *, user_id: int) -> list[Application]:
        rows = await self._session.scalars(
            select(Application)
            .where(Application.user_id == user_id)
            .order_by(Application.status_on.desc(), Application.id.desc())
        )
        return list(rows)

    async def counts_by_status(self, *, user_id: int) -> dict[str, int]:
        rows = await self._session.execute(
            select(Application.status, func.count())
            .where(Application.user_id == user_id)
            .group_by(Application.status)
        )
        return {status: count for status, count in rows}

    async def page(
        self, *, user_id: int, statuses: Sequence[str], offset: int, limit: int
    ) -> list[Application]:
        rows = await self._session.scalars(
            select(Application)
            .where(Application.user_id == user_id, Application.status.in_(list(statuses)))
            .order_by(Application.status_on.desc(), Application.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(rows)

    async def change_status(
        self,
        *,
        application: Application,
        status: str,
        on: date,
        now: datetime,
        next_event_at: datetime | None = None,
    ) -> ApplicationEvent:
        """Move to a stage (an interview again counts one more round) and record it."""
        if status == "interview":
            application.interview_rounds += 1
        if status == "applied" and application.applied_on is None:
            application.applied_on = on
        application.status = status
        application.status_on = on
        application.next_event_at = next_event_at
        application.updated_at = now
        event = ApplicationEvent(
            application_id=application.id,
            user_id=application.user_id,
            status=status,
            happened_on=on,
            round=application.interview_rounds if status == "interview" else None,
            created_at=now,
        )
        self._session.add(event)
        await self._session.flush()
        return event

    async def applied_since(self, *, user_id: int, since: date) -> list[Application]:
        """The user's applications sent on `since` or later (for the pace of applying)."""
        rows = await self._session.scalars(
            select(Application)
            .where(Application.user_id == user_id, Application.applied_on >= since)
            .order_by(Application.applied_on, Application.id)
        )
        return list(rows)

    async def update_details(
        self,
        *,
        application: Application,
        role: str | None = None,
        url: str | None = None,
        now: datetime,
    ) -> None:
        """Set a new role and/or link (None leaves that field as it is)."""
        if role:
            application.role = role[:200]
        if url:
            application.url = url
        application.updated_at = now
        await self._session.flush()

    async def set_interview_round(self, *, application: Application, round: int) -> None:
        """Name the current interview round (the user said "3rd round"): the application's
        count and its latest interview stage in the history."""
        application.interview_rounds = round
        latest = await self._session.scalar(
            select(ApplicationEvent)
            .where(
                ApplicationEvent.application_id == application.id,
                ApplicationEvent.status == "interview",
            )
            .order_by(ApplicationEvent.id.desc())
            .limit(1)
        )
        if latest is not None:
            latest.round = round
        await self._session.flush()

    async def history(self, *, user_id: int, application_id: int) -> list[ApplicationEvent]:
        rows = await self._session.scalars(
            select(ApplicationEvent)
            .where(
                ApplicationEvent.user_id == user_id,
                ApplicationEvent.application_id == application_id,
            )
            .order_by(ApplicationEvent.happened_on, ApplicationEvent.id)
        )
        return list(rows)

    async def events_since(self, *, user_id: int, since: date) -> list[ApplicationEvent]:
        rows = await self._session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.user_id == user_id, ApplicationEvent.happened_on >= since)
            .order_by(ApplicationEvent.happened_on, ApplicationEvent.id)
        )
        return list(rows)

    async def all_events(self, *, user_id: int) -> list[ApplicationEvent]:
        rows = await self._session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.user_id == user_id)
            .order_by(
                ApplicationEvent.application_id, ApplicationEvent.happened_on, ApplicationEvent.id
            )
        )
        return list(rows)

    async def add_note(
        self,
        *,
        application: Application,
        kind: str,
        text: str,
        reach: str | None = None,
        now: datetime,
    ) -> ApplicationNote:
        note = ApplicationNote(
            application_id=application.id,
            user_id=application.user_id,
            kind=kind,
            text=text,
            reach=reach[:200] if reach else None,
            created_at=now,
        )
        self._session.add(note)
        await self._session.flush()
        return note

    async def notes(self, *, user_id: int, application_id: int) -> list[ApplicationNote]:
        rows = await self._session.scalars(
            select(ApplicationNote)
            .where(
                ApplicationNote.user_id == user_id,
                ApplicationNote.application_id == application_id,
            )
            .order_by(ApplicationNote.id)
        )
        return list(rows)

    async def delete(self, *, user_id: int, application_id: int) -> bool:
        """Delete one of the user's applications (history and notes go with it)."""
        result = await self._session.execute(
            delete(Application)
            .where(Application.user_id == user_id, Application.id == application_id)
            .returning(Application.id)
        )
        return result.first() is not None
