"""The retrospective: is the target still right (a gut answer), what the evidence says
(funnel, rejection patterns, confidence, roadmap), then keep course, adjust the target or
adjust the plan — the last two lead into /target or /plan, which show the saved answers
with a button to change each. Every answer is saved in the retrospective's record.

Opened only from the prompt's "Let's look" button (see scheduler/retrospective_prompts.py
for when it comes). Buttons carry the day the retrospective was offered, never an id, and
every lookup is by the presser's own user id.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import Context
from bot.retrospective import Choice, Feeling, RetroRecord, Trigger, answered, read_evidence
from bot.texts import retrospective as rt
from bot.timezones import local_now
from handlers.common import (
    Button,
    answer_button,
    current_user,
    end_flow,
    enter_flow,
    escape,
    flow_fallbacks,
    inline_keyboard,
    pick_a_button,
    reply,
)
from handlers.progress import applications_lines, checkins_lines, load_snapshot, roadmap_lines
from handlers.reflection import cv_reviewer
from scheduler.retrospective_prompts import (
    RETRO_GO,
    RETRO_NOT_NOW,
    newest_application_id,
    retro_records,
    save_record,
)
from storage.models import Plan
from storage.repositories.journey import JourneyRepository

FLOW = "retro"
FEELING, CHOICE = range(2)
_DAY = r"\d{4}-\d{2}-\d{2}"
_DAY_KEY = "retro_day"
_FEEL = "rt:feel"
_DO = "rt:do"


# --- the record -----------------------------------------------------------------------------


def _day_of(update: Update) -> date | None:
    """The day in a button's data, or None when it is not a real date."""
    query = update.callback_query
    assert query is not None and query.data is not None
    try:
        return date.fromisoformat(query.data.rsplit(":", 1)[1])
    except ValueError:
        return None


async def _record(context: Context, user_id: int, day: date) -> RetroRecord | None:
    async with context.sessions() as session:
        records = await retro_records(session, user_id)
    return next((record for record in records if record.offered_on == day), None)


async def _offered(context: Context, user_id: int, day: date) -> RetroRecord:
    """The record of the retrospective offered on `day`, written now if the press came
    before the dispatcher recorded the send (a fast tap), so the offer always counts."""
    found = await _record(context, user_id, day)
    if found is not None:
        return found
    async with context.sessions.begin() as session:
        record = RetroRecord(
            offered_on=day,
            trigger=Trigger.WEEKS,
            last_application_id=await newest_application_id(session, user_id),
        )
        await save_record(session, user_id=user_id, record=record, now=context.now())
    return record


async def _update(context: Context, user_id: int, record: RetroRecord) -> None:
    async with context.sessions.begin() as session:
        await save_record(session, user_id=user_id, record=record, now=context.now())


def _current_day(context: Context) -> date:
    value = context.draft.get(_DAY_KEY)
    assert isinstance(value, str), "a retrospective flow always knows its day"
    return date.fromisoformat(value)


def _finish(context: Context) -> int:
    context.draft.pop(_DAY_KEY, None)
    return end_flow(context)


async def _acknowledge(update: Update) -> None:
    """Like answer_button, but an old client may press a button that is no longer on the
    message: then only the press is answered (editing to the same text is an error)."""
    query = update.callback_query
    assert query is not None
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    shown = markup is not None and any(
        button.callback_data == query.data for row in markup.inline_keyboard for button in row
    )
    if shown:
        await answer_button(update)
    else:
        await query.answer()


def _plausible(day: date | None, now: datetime) -> bool:
    """A day from a real prompt: not in the future (a forged button), give or take a zone."""
    return day is not None and day <= now.date() + timedelta(days=1)


# --- the prompt's buttons ---------------------------------------------------------------------


async def retro_go(update: Update, context: Context) -> int | None:
    """ "Let's look": open the retrospective offered that day (once it is done, say so)."""
    day = _day_of(update)
    query = update.callback_query
    assert query is not None
    if day is None or not _plausible(day, context.now()):
        await query.answer(rt.GONE)
        return None
    user = await current_user(update, context)
    record = await _offered(context, user.id, day)
    await _acknowledge(update)
    if record.choice is not None:
        await reply(update, rt.ALREADY_DONE.format(choice=rt.CHOICE_NAMES[record.choice]))
        return None  # whatever flow the presser is in goes on undisturbed
    enter_flow(context, FLOW)
    context.draft[_DAY_KEY] = day.isoformat()
    return await _ask_feeling(update, context, user.id)


async def retro_not_now(update: Update, context: Context) -> None:
    """ "Not now": the offer still counts, so the next one comes in eight weeks."""
    day = _day_of(update)
    query = update.callback_query
    assert query is not None
    if day is None or not _plausible(day, context.now()):
        await query.answer(rt.GONE)
        return
    user = await current_user(update, context)
    await _offered(context, user.id, day)
    await _acknowledge(update)
    await reply(update, rt.NOT_NOW)


# --- 1. the gut answer --------------------------------------------------------------------------


async def _ask_feeling(update: Update, context: Context, user_id: int) -> int:
    async with context.sessions() as session:
        target = await JourneyRepository(session).answer(
            user_id=user_id, step="target", key="title"
        )
    question = rt.ASK_FEELING.format(target=escape(target)) if target else rt.ASK_FEELING_NO_TARGET
    buttons = [(label, f"{_FEEL}:{code}") for code, label in rt.FEELING_BUTTONS.items()]
    await reply(update, question + rt.SKIP_HINT, inline_keyboard([buttons]))
    return FEELING


async def choose_feeling(update: Update, context: Context) -> int:
    """Save the gut answer, then show the evidence."""
    data = await answer_button(update)
    feeling = Feeling(data.removeprefix(f"{_FEEL}:"))
    return await _save_feeling_and_go_on(update, context, feeling)


async def skip_feeling(update: Update, context: Context) -> int:
    """/skip: straight to the numbers, no gut answer."""
    return await _save_feeling_and_go_on(update, context, None)


async def _save_feeling_and_go_on(update: Update, context: Context, feeling: Feeling | None) -> int:
    user = await current_user(update, context)
    day = _current_day(context)
    record = await _record(context, user.id, day)
    if record is None:
        await reply(update, rt.GONE)
        return _finish(context)
    if feeling is not None:
        await _update(context, user.id, answered(record, feeling=feeling))
    return await _show_evidence(update, context, user.id, feeling or record.feeling)


# --- 2. the evidence, and the choice ------------------------------------------------------------


def _choice_buttons(suggested: Choice) -> list[list[Button]]:
    return [
        [((rt.SUGGESTED_MARK if code == suggested else "") + label, f"{_DO}:{code}")]
        for code, label in rt.CHOICE_BUTTONS.items()
    ]


async def _show_evidence(
    update: Update, context: Context, user_id: int, feeling: Feeling | None
) -> int:
    user = await current_user(update, context)
    zone = user.timezone or context.settings.default_timezone
    today = local_now(zone, context.now()).date()
    async with context.sessions() as session:
        snapshot = await load_snapshot(session, user_id=user_id, zone=zone, today=today)
        reviewer = await cv_reviewer(session, user_id)
    # The same lines as /progress, as one list: what was sent and what came back first.
    evidence = applications_lines(snapshot, reviewer) + checkins_lines(snapshot)
    evidence += roadmap_lines(snapshot)
    reading = read_evidence(snapshot, feeling)
    text = rt.EVIDENCE_HEADER + evidence + rt.READING_HEADER
    text += "".join(rt.FINDINGS[finding] for finding in reading.findings)
    text += rt.ASK_CHOICE + rt.SUGGESTED_HINT + rt.BACK_HINT
    await reply(update, text, inline_keyboard(_choice_buttons(reading.suggested)))
    return CHOICE


async def back_to_feeling(update: Update, context: Context) -> int:
    """/back: the gut question (again)."""
    user = await current_user(update, context)
    return await _ask_feeling(update, context, user.id)


async def choose_action(update: Update, context: Context) -> int:
    """Save the choice and say where it leads: nowhere new, /target, or /plan."""
    data = await answer_button(update)
    choice = Choice(data.removeprefix(f"{_DO}:"))
    user = await current_user(update, context)
    record = await _record(context, user.id, _current_day(context))
    if record is None:
        await reply(update, rt.GONE)
        return _finish(context)
    await _update(context, user.id, answered(record, choice=choice))
    await reply(update, await _where_it_leads(context, user.id, choice))
    return _finish(context)


async def _where_it_leads(context: Context, user_id: int, choice: Choice) -> str:
    if choice is Choice.KEEP:
        return rt.DONE_KEEP
    async with context.sessions() as session:
        if choice is Choice.TARGET:
            done = await JourneyRepository(session).is_complete(user_id=user_id, step="target")
            return rt.DONE_TARGET if done else rt.DONE_TARGET_NEW
        plan = await session.get(Plan, user_id)
    return rt.DONE_PLAN if plan is not None and plan.built_at is not None else rt.DONE_PLAN_NEW


# --- wiring -------------------------------------------------------------------------------------


def build_retrospective_conversation() -> ConversationHandler[Context]:
    stray: BaseHandler[Update, Context, object] = MessageHandler(
        filters.ALL & ~filters.COMMAND, pick_a_button
    )
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(retro_go, pattern=rf"^{RETRO_GO}:{_DAY}$")],
        states={
            FEELING: [
                CallbackQueryHandler(choose_feeling, pattern=rf"^{_FEEL}:(yes|unsure|no)$"),
                CommandHandler("skip", skip_feeling),
                CommandHandler("back", back_to_feeling),
                stray,
            ],
            CHOICE: [
                CallbackQueryHandler(choose_action, pattern=rf"^{_DO}:(keep|target|plan)$"),
                CommandHandler("back", back_to_feeling),
                CommandHandler("skip", pick_a_button),
                stray,
            ],
        },
        fallbacks=flow_fallbacks(FLOW),
        name=FLOW,
        persistent=True,
        allow_reentry=True,
    )


def retrospective_button_handlers() -> list[BaseHandler[Update, Context, object]]:
    """ "Not now" on a retrospective prompt (acts without opening the conversation)."""
    return [CallbackQueryHandler(retro_not_now, pattern=re.compile(rf"^{RETRO_NOT_NOW}:{_DAY}$"))]
