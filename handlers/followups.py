"""Buttons on follow-up nudges (done, snooze, mark no answer) and interview reminders (ready).

The application id in a button is never trusted on its own: it must be one of the
presser's applications, still waiting for news, or nothing happens.
"""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.application_status import Status
from bot.context import Context
from bot.texts import followups as ft
from handlers.common import answer_button, current_user, escape, long_date, reply
from scheduler.application_planning import record_status, timing_for
from scheduler.application_prompts import (
    FOLLOWUP_DONE,
    FOLLOWUP_NO_ANSWER,
    FOLLOWUP_SNOOZE,
    INTERVIEW_READY,
    queue_snoozed_followup,
)
from storage.models import Application
from storage.repositories.applications import ApplicationRepository

_ID = r"(\d{1,18})"
_STEP = r"([1-3])"


def _numbers(update: Update) -> list[int]:
    """The numbers in the pressed button's data: the application id, then the step."""
    query = update.callback_query
    assert query is not None and query.data is not None
    return [int(part) for part in query.data.split(":")[2:]]


class _Refused(Exception):
    """A press that cannot act (not the presser's application, or it moved on); the
    message says why. Raised inside the transaction, so nothing is written."""


async def _refuse(update: Update, refused: _Refused) -> None:
    """Answer the press with a small notice, and change nothing."""
    query = update.callback_query
    assert query is not None
    await query.answer(str(refused))


async def _own(session: AsyncSession, user_id: int, application_id: int) -> Application:
    application = await ApplicationRepository(session).get(
        user_id=user_id, application_id=application_id
    )
    if application is None:
        raise _Refused(ft.NOT_YOURS)
    return application


async def _awaiting_news(session: AsyncSession, user_id: int, application_id: int) -> Application:
    application = await _own(session, user_id, application_id)
    if application.status != Status.APPLIED:
        raise _Refused(ft.MOVED_ON)
    return application


async def followup_done(update: Update, context: Context) -> None:
    """ "Done, I followed up": note it on the application; later nudges stay queued."""
    application_id, _step = _numbers(update)
    user = await current_user(update, context)
    timing = timing_for(zone=user.timezone, settings=context.settings)
    try:
        async with context.sessions.begin() as session:
            application = await _awaiting_news(session, user.id, application_id)
            days = (timing.today(context.now()) - application.status_on).days
            await ApplicationRepository(session).add_note(
                application=application,
                kind="note",
                text=ft.DONE_NOTE.format(days=days),
                now=context.now(),
            )
    except _Refused as refused:
        await _refuse(update, refused)
        return
    await answer_button(update)
    await reply(update, ft.DONE.format(company=escape(application.company)))


async def followup_snooze(update: Update, context: Context) -> None:
    """ "Snooze 3 days": the same nudge again three days later, mid-morning."""
    application_id, step = _numbers(update)
    user = await current_user(update, context)
    timing = timing_for(zone=user.timezone, settings=context.settings)
    try:
        async with context.sessions.begin() as session:
            application = await _awaiting_news(session, user.id, application_id)
            due = await queue_snoozed_followup(
                session, application=application, step=step, timing=timing, now=context.now()
            )
    except _Refused as refused:
        await _refuse(update, refused)
        return
    await answer_button(update)
    await reply(update, ft.SNOOZED.format(date=long_date(timing.today(due))))


async def followup_no_answer(update: Update, context: Context) -> None:
    """ "Mark no answer": the application is closed as ghosted; its other nudges end."""
    (application_id,) = _numbers(update)
    user = await current_user(update, context)
    timing = timing_for(zone=user.timezone, settings=context.settings)
    now = context.now()
    try:
        async with context.sessions.begin() as session:
            application = await _awaiting_news(session, user.id, application_id)
            # record_status keeps the history and cancels every prompt still queued for it.
            await record_status(
                session,
                application=application,
                status=Status.NO_ANSWER,
                on=timing.today(now),
                timing=timing,
                now=now,
            )
    except _Refused as refused:
        await _refuse(update, refused)
        return
    await answer_button(update)
    await reply(update, ft.MARKED_NO_ANSWER.format(company=escape(application.company)))


async def interview_ready(update: Update, context: Context) -> None:
    """ "I'm ready" under an interview reminder: wish them luck."""
    (application_id,) = _numbers(update)
    user = await current_user(update, context)
    try:
        async with context.sessions() as session:
            await _own(session, user.id, application_id)
    except _Refused as refused:
        await _refuse(update, refused)
        return
    await answer_button(update)
    await reply(update, ft.READY)


def followup_button_handlers() -> list[BaseHandler[Update, Context, object]]:
    """Buttons on application prompts that act without opening a conversation."""
    return [
        CallbackQueryHandler(
            followup_done, pattern=re.compile(rf"^{FOLLOWUP_DONE}:{_ID}:{_STEP}$")
        ),
        CallbackQueryHandler(
            followup_snooze, pattern=re.compile(rf"^{FOLLOWUP_SNOOZE}:{_ID}:{_STEP}$")
        ),
        CallbackQueryHandler(
            followup_no_answer, pattern=re.compile(rf"^{FOLLOWUP_NO_ANSWER}:{_ID}$")
        ),
        CallbackQueryHandler(interview_ready, pattern=re.compile(rf"^{INTERVIEW_READY}:{_ID}$")),
    ]
