"""/export (everything stored about the user, as files) and /delete_me (forget them).

Forgetting has two halves. The database rows go in one transaction. Then PTB's memory:
the Application keeps user_data, chat_data and conversation states in memory and writes
them back through the persistence after each update, so they are dropped there too —
otherwise the next write would bring the user's state back to life.
"""

from __future__ import annotations

import html
import logging
import re
import secrets
from collections import defaultdict
from datetime import datetime

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    filters,
)

from bot import export_formats as fmt
from bot.context import Context
from bot.i18n import tr
from bot.texts import plan as plan_texts
from bot.texts import privacy as t
from handlers.common import current_user, edit_in_place, inline_keyboard, reply
from handlers.roadmap import milestone_line
from scheduler.kinds import APPLICATION_FOLLOWUP
from storage.models import Application
from storage.repositories.user_data import UserDataRepository, UserRecords

logger = logging.getLogger(__name__)

CONFIRM_KEY = "delete_me_token"  # user_data: the token of the one question that counts
YES, NO = "yes", "no"
BUTTON_PATTERN = rf"^privacy:({YES}|{NO}):[0-9a-f]{{8}}$"
_TAG = re.compile(r"<[^>]+>")

Document = tuple[str, bytes, str]  # file name, content, caption
# English msgids, translated when listed.
DOCUMENT_LINES = {
    fmt.JSON_NAME: t.EXPORT_JSON_LINE,
    fmt.CSV_NAME: t.EXPORT_CSV_LINE,
    fmt.ICS_NAME: t.EXPORT_ICS_LINE,
}

# --- from rows to export records ---------------------------------------------------------------


def _plain(text: str) -> str:
    """A chat line (HTML) as plain text for a file."""
    return html.unescape(_TAG.sub("", text))


def _steps(records: UserRecords) -> tuple[fmt.StepRecord, ...]:
    answers: dict[str, dict[str, str]] = defaultdict(dict)
    for answer in records.answers:
        answers[answer.step][answer.key] = answer.value
    completed = {row.step: row.completed_at for row in records.completions}
    return tuple(
        fmt.StepRecord(step=step, answers=answers.get(step, {}), completed_at=completed.get(step))
        for step in sorted(answers.keys() | completed.keys())
    )


def _plan(records: UserRecords) -> fmt.PlanRecord | None:
    plan = records.plan
    if plan is None:
        return None
    return fmt.PlanRecord(
        deadline=plan.deadline,
        deadline_text=plan.deadline_text,
        hours_per_week=plan.hours_per_week,
        built_at=plan.built_at,
        focus=tuple(
            fmt.FocusRecord(name=item.name, method=item.method, first_step=item.first_step)
            for item in records.focus
        ),
    )


def _milestones(records: UserRecords) -> tuple[fmt.MilestoneRecord, ...]:
    focus = {item.gap_key: item for item in records.focus}
    bullet = _plain(plan_texts.MILESTONE_LINE.format(text=""))
    return tuple(
        fmt.MilestoneRecord(
            week_start=row.week_start,
            phase=row.phase,
            kind=row.kind,
            title=_plain(milestone_line(row, focus)).removeprefix(bullet),
            focus_name=row.focus_name,
            hours=row.hours,
            state=row.state,
            done_at=row.done_at,
        )
        for row in records.milestones
    )


def _applications(records: UserRecords) -> tuple[fmt.ApplicationRecord, ...]:
    stages: dict[int, list[fmt.StageRecord]] = defaultdict(list)
    for event in records.events:
        stages[event.application_id].append(
            fmt.StageRecord(status=event.status, on=event.happened_on, round=event.round)
        )
    notes: dict[int, list[fmt.NoteRecord]] = defaultdict(list)
    for note in records.notes:
        notes[note.application_id].append(
            fmt.NoteRecord(
                kind=note.kind, text=note.text, reach=note.reach, created_at=note.created_at
            )
        )
    return tuple(
        _application(row, tuple(stages[row.id]), tuple(notes[row.id]))
        for row in records.applications
    )


def _application(
    row: Application, stages: tuple[fmt.StageRecord, ...], notes: tuple[fmt.NoteRecord, ...]
) -> fmt.ApplicationRecord:
    return fmt.ApplicationRecord(
        id=row.id,
        company=row.company,
        role=row.role,
        status=row.status,
        status_on=row.status_on,
        applied_on=row.applied_on,
        url=row.url,
        interview_rounds=row.interview_rounds,
        next_event_at=row.next_event_at,
        created_at=row.created_at,
        stages=stages,
        notes=notes,
    )


def _followups(records: UserRecords) -> tuple[fmt.FollowUpRecord, ...]:
    applications = {row.id: row for row in records.applications}
    followups = []
    for prompt in records.pending_prompts:
        application = applications.get(prompt.payload.get("application_id", -1))
        if prompt.kind != APPLICATION_FOLLOWUP or application is None:
            continue
        followups.append(
            fmt.FollowUpRecord(
                application_id=application.id,
                company=application.company,
                role=application.role,
                due_at=prompt.due_at,
                step=int(prompt.payload.get("step", 1)),
            )
        )
    return tuple(followups)


def _profile(records: UserRecords) -> fmt.ProfileRecord:
    user = records.user
    return fmt.ProfileRecord(
        user_id=user.id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language=user.language,
        timezone=user.timezone,
        checkin_weekday=user.checkin_weekday,
        checkin_time=user.checkin_time,
        paused=user.paused,
        paused_until=user.paused_until,
        active=user.active,
        created_at=user.created_at,
    )


def to_export(records: UserRecords) -> fmt.UserExport:
    """The user's rows as the plain records the file formats take."""
    return fmt.UserExport(
        profile=_profile(records),
        buddies=tuple(
            fmt.BuddyRecord(
                role="you_invited" if link.user_id == records.user.id else "you_are_the_buddy",
                state=link.state,
                share_streak=link.share_streak,
                share_commitment=link.share_commitment,
                share_applications=link.share_applications,
                created_at=link.created_at,
                confirmed_at=link.confirmed_at,
                ended_at=link.ended_at,
                end_reason=link.end_reason,
            )
            for link in records.buddy_links
        ),
        steps=_steps(records),
        gaps=tuple(
            fmt.GapRecord(
                name=gap.name,
                area=gap.area,
                source=gap.source,
                importance=gap.importance,
                current_level=gap.current_level,
                required_level=gap.required_level,
                suggested_level=gap.suggested_level,
            )
            for gap in records.gaps
        ),
        plan=_plan(records),
        milestones=_milestones(records),
        checkins=tuple(
            fmt.CheckinRecord(
                period=row.period,
                state=row.state,
                did=row.did,
                obstacles=row.obstacles,
                went_well=row.went_well,
                commitment=row.commitment,
                confidence=row.confidence,
                prompted_at=row.prompted_at,
                answered_at=row.answered_at,
            )
            for row in records.checkins
        ),
        applications=_applications(records),
        reflections=tuple(
            fmt.ReflectionRecord(
                company=row.company,
                stage=row.stage,
                round=row.round,
                feedback=row.feedback,
                went_well=row.went_well,
                would_change=row.would_change,
                next_action=row.next_action,
                created_at=row.created_at,
                completed_at=row.completed_at,
            )
            for row in records.reflections
        ),
        prompts=tuple(
            fmt.PromptRecord(kind=row.kind, due_at=row.due_at, payload=dict(row.payload))
            for row in records.pending_prompts
        ),
        followups=_followups(records),
    )


# --- /export -----------------------------------------------------------------------------------


def export_documents(data: fmt.UserExport, *, now: datetime, zone_id: str) -> list[Document]:
    """The files for this user: always the JSON; the CSV and calendar when they hold anything."""
    documents = [(fmt.JSON_NAME, fmt.export_json(data, exported_at=now), t.JSON_CAPTION)]
    if data.applications:
        documents.append((fmt.CSV_NAME, fmt.applications_csv(data.applications), t.CSV_CAPTION))
    if fmt.calendar_events(data, now=now, zone_id=zone_id):
        calendar = fmt.calendar_ics(data, now=now, zone_id=zone_id)
        documents.append((fmt.ICS_NAME, calendar, t.ICS_CAPTION))
    return documents


def _introduction(data: fmt.UserExport, documents: list[Document]) -> str:
    """The note before the files: what each one is, or a kind word for a new account."""
    if data.is_empty:
        return t.EXPORT_EMPTY
    listed = [tr(DOCUMENT_LINES[name]) for name, _content, _caption in documents]
    return "\n".join([t.EXPORT_INTRO, *listed, t.EXPORT_FOOTER])


async def export_data(update: Update, context: Context) -> None:
    """Send everything stored about the user: a short note, then the files."""
    chat = update.effective_chat
    assert chat is not None
    user = await current_user(update, context)
    async with context.sessions() as session:
        records = await UserDataRepository(session).collect(user_id=user.id)
        assert records is not None, "current_user has just stored the user"
        data = to_export(records)
    zone_id = user.timezone or context.settings.default_timezone
    documents = export_documents(data, now=context.now(), zone_id=zone_id)
    await reply(update, _introduction(data, documents))
    await chat.send_chat_action(ChatAction.UPLOAD_DOCUMENT)
    for name, content, caption in documents:
        await chat.send_document(document=content, filename=name, caption=caption)


# --- /delete_me --------------------------------------------------------------------------------


async def ask_delete(update: Update, context: Context) -> None:
    """Ask once more, with two buttons; only the newest question's buttons will count."""
    token = secrets.token_hex(4)
    context.draft[CONFIRM_KEY] = token
    buttons = [[(t.DELETE_YES, f"privacy:{YES}:{token}")], [(t.DELETE_NO, f"privacy:{NO}:{token}")]]
    await reply(update, t.DELETE_CONFIRM, inline_keyboard(buttons))


def _conversation_handlers(context: Context) -> list[ConversationHandler[Context]]:
    return [
        handler
        for handlers in context.application.handlers.values()
        for handler in handlers
        if isinstance(handler, ConversationHandler)
    ]


def forget_in_memory(context: Context, user_id: int) -> None:
    """Drop what PTB holds in memory about the user, so the persistence never writes it back.

    drop_user_data/drop_chat_data also delete the rows on the next persistence update.
    Conversations have no public way to end them from outside: deleting the key from the
    handler's state dict is what PTB itself does on END, and its tracking then tells the
    persistence to forget the state (a private chat's key holds the user's id twice).
    """
    application = context.application
    application.drop_user_data(user_id)
    application.drop_chat_data(user_id)  # their private chat: its id is the user's id
    for handler in _conversation_handlers(context):
        states = handler._conversations
        for key in [key for key in states if user_id in key]:
            del states[key]
    # A later message registers them again, from scratch.
    context.services.known_users.discard(user_id)
    context.services.languages.pop(user_id, None)


async def _erase(context: Context, user_id: int) -> None:
    """Every row in one transaction, then PTB's memory of the user."""
    async with context.sessions.begin() as session:
        erased = await UserDataRepository(session).erase(user_id=user_id)
    forget_in_memory(context, user_id)
    # No user id in the log: they asked to be forgotten.
    logger.info("A user asked to be forgotten: %d rows erased", erased)


async def _stale_press(update: Update, context: Context, user_id: int) -> None:
    """An old question, or a second press: change nothing — except that a user erased a
    moment ago is not brought back by the registration this very press caused."""
    query = update.callback_query
    assert query is not None
    async with context.sessions.begin() as session:
        data = UserDataRepository(session)
        blank = await data.is_blank(user_id=user_id)
        if blank:
            await data.erase(user_id=user_id)
    if blank:
        forget_in_memory(context, user_id)
    await query.answer(t.DELETE_ALREADY_DONE if blank else t.DELETE_STALE)


async def answer_delete(update: Update, context: Context) -> None:
    """Erase everything on "yes", keep it all on "no"; stale presses change nothing."""
    query = update.callback_query
    tg_user = update.effective_user
    assert query is not None and query.data is not None and tg_user is not None
    _prefix, choice, token = query.data.split(":")
    if context.draft.get(CONFIRM_KEY) != token:
        await _stale_press(update, context, tg_user.id)
        return
    del context.draft[CONFIRM_KEY]
    if choice == YES:
        await _erase(context, tg_user.id)
    await query.answer()
    await edit_in_place(update, t.DELETE_DONE if choice == YES else t.DELETE_KEPT, None)


def privacy_handlers() -> list[BaseHandler[Update, Context, object]]:
    """/export and /delete_me, private chats only: a group must never see someone's data."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("export", export_data, filters=private),
        CommandHandler("delete_me", ask_delete, filters=private),
        CallbackQueryHandler(answer_delete, pattern=BUTTON_PATTERN),
    ]
