"""The weekly check-in: what you did, what got in the way, what went well and why,
next week's commitment, and how confident you feel. Each answer is saved as it comes."""

from __future__ import annotations

import random
import re
from datetime import timedelta

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.context import Context
from bot.i18n import tr
from bot.schedule import week_period
from bot.timezones import local_now
from handlers.checkin_roadmap import (
    milestones_to_review,
    record_commitment,
    review_buttons,
    review_text,
    roadmap_reminder,
)
from handlers.common import (
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
from handlers.progress import checkin_summary_for
from handlers.team import nudge_buttons, nudge_text, team_nudge
from scheduler.planning import queue_checkin_reminder
from scheduler.prompt_kinds import current_streak
from scheduler.retrospective_prompts import queue_retrospective_if_due
from storage.models import CheckinState, Milestone, PlanFocus
from storage.repositories.checkins import CheckinField, CheckinRepository
from storage.repositories.journey import JourneyRepository

DID, OBSTACLES, WENT_WELL, COMMITMENT, CONFIDENCE, ALREADY_DONE = range(6)
MAX_ANSWER_LENGTH = 2000
LATER_DELAY = timedelta(hours=3)
_PERIOD = r"\d{4}-W\d{2}"
_PERIOD_KEY = "checkin_period"
_STATE_KEY = "checkin_state"

# Each text question: the state, the column it fills, the question (an English msgid,
# translated when asked), the state after it.
QUESTIONS: dict[int, tuple[CheckinField, str, int]] = {
    DID: ("did", texts.CHECKIN_ASK_DID, OBSTACLES),
    OBSTACLES: ("obstacles", texts.CHECKIN_ASK_OBSTACLES, WENT_WELL),
    WENT_WELL: ("went_well", texts.CHECKIN_ASK_WENT_WELL, COMMITMENT),
    COMMITMENT: ("commitment", texts.CHECKIN_ASK_COMMITMENT, CONFIDENCE),
}
PREVIOUS = {OBSTACLES: DID, WENT_WELL: OBSTACLES, COMMITMENT: WENT_WELL, CONFIDENCE: COMMITMENT}


async def _ask(update: Update, context: Context, state: int) -> int:
    if state == CONFIDENCE:
        buttons = [(label, f"ci:conf:{n}") for n, label in enumerate(texts.CONFIDENCE_BUTTONS, 1)]
        await reply(update, texts.CHECKIN_ASK_CONFIDENCE, inline_keyboard([buttons]))
        return CONFIDENCE
    _field, english, _next = QUESTIONS[state]
    question = tr(english)
    if state == DID:
        rows, focus = await _roadmap_to_review(update, context)
        question += roadmap_reminder(rows, focus)
    await reply(update, question + texts.CHECKIN_SKIP_HINT)
    return state


async def _roadmap_to_review(
    update: Update, context: Context
) -> tuple[list[Milestone], dict[str, PlanFocus]]:
    user = await current_user(update, context)
    today = local_now(user.timezone or context.settings.default_timezone, context.now()).date()
    async with context.sessions() as session:
        return await milestones_to_review(session, user_id=user.id, today=today)


async def _begin(update: Update, context: Context, user_id: int, period: str) -> int:
    enter_flow(context, "checkin")
    async with context.sessions.begin() as session:
        checkin = await CheckinRepository(session).open(
            user_id=user_id, period=period, prompted_at=None
        )
    context.draft[_PERIOD_KEY] = period
    if checkin.state == CheckinState.ANSWERED:
        await reply(
            update,
            texts.CHECKIN_ALREADY_DONE.format(confidence=checkin.confidence),
            inline_keyboard([[(texts.CHECKIN_REDO, "ci:redo"), (texts.CHECKIN_KEEP, "ci:keep")]]),
        )
        return ALREADY_DONE
    return await _move(update, context, DID)


async def checkin_command(update: Update, context: Context) -> int:
    """/checkin: open this week's check-in (in the user's zone) and ask the first question."""
    user = await current_user(update, context)
    period = week_period(context.now(), user.timezone or context.settings.default_timezone)
    return await _begin(update, context, user.id, period)


async def checkin_button(update: Update, context: Context) -> int:
    """ "Let's go" on a check-in prompt: open that week's check-in."""
    data = await answer_button(update)
    user = await current_user(update, context)
    return await _begin(update, context, user.id, data.removeprefix("ci:go:"))


async def already_done_choice(update: Update, context: Context) -> int:
    """Go through an answered check-in again, or leave it as it is."""
    if await answer_button(update) == "ci:redo":
        return await _move(update, context, DID)
    return _finish(context)


def _finish(context: Context) -> int:
    """Forget this check-in's place in the flow (its answers are in the database)."""
    context.draft.pop(_PERIOD_KEY, None)
    context.draft.pop(_STATE_KEY, None)
    return end_flow(context)


def _period(context: Context) -> str:
    period = context.draft.get(_PERIOD_KEY)
    assert isinstance(period, str), "a check-in flow always knows its week"
    return period


def _current_state(context: Context) -> int:
    """Which text question this update answers (PTB does not pass the state in)."""
    state = context.draft.get(_STATE_KEY)
    return int(state) if isinstance(state, int) else DID


async def answer_question(update: Update, context: Context) -> int:
    """Save the answer to the current question and ask the next."""
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    state = _current_state(context)
    field, _question, following = QUESTIONS[state]
    text = message.text.strip()
    if len(text) > MAX_ANSWER_LENGTH:
        await reply(
            update, texts.CHECKIN_TEXT_TOO_LONG.format(limit=MAX_ANSWER_LENGTH, length=len(text))
        )
        return state
    user = await current_user(update, context)
    zone = user.timezone or context.settings.default_timezone
    async with context.sessions.begin() as session:
        await CheckinRepository(session).save_answer(
            user_id=user.id, period=_period(context), field=field, text=text
        )
        if field == "commitment":
            today = local_now(zone, context.now()).date()
            await record_commitment(session, user_id=user.id, zone=zone, today=today, text=text)
    return await _move(update, context, following)


async def _move(update: Update, context: Context, state: int) -> int:
    context.draft[_STATE_KEY] = state
    return await _ask(update, context, state)


async def skip_question(update: Update, context: Context) -> int:
    """/skip: leave this question blank and go on."""
    state = _current_state(context)
    if state == CONFIDENCE:
        await reply(update, texts.PICK_A_BUTTON)
        return CONFIDENCE
    return await _move(update, context, QUESTIONS[state][2])


async def back_question(update: Update, context: Context) -> int:
    """/back: ask the previous question again."""
    state = _current_state(context)
    return await _move(update, context, PREVIOUS.get(state, DID))


async def choose_confidence(update: Update, context: Context) -> int:
    """Save the confidence, close the week, and answer with the streak, the roadmap to tick
    off, the why statement when confidence is low, and a nudge about the support team."""
    data = await answer_button(update)
    confidence = int(data.removeprefix("ci:conf:"))
    user = await current_user(update, context)
    today = local_now(user.timezone or context.settings.default_timezone, context.now()).date()
    period = _period(context)
    async with context.sessions.begin() as session:
        checkins = CheckinRepository(session)
        await checkins.save_confidence(
            user_id=user.id, period=period, confidence=confidence, now=context.now()
        )
        checkin = await checkins.get(user_id=user.id, period=period)
        streak = await current_streak(session, user.id)
        journey = JourneyRepository(session)
        statement = await journey.answer(user_id=user.id, step="why", key="statement")
        nudge = team_nudge(await journey.answers(user_id=user.id, step="team"))
        rows, focus = await milestones_to_review(session, user_id=user.id, today=today)
        zone = user.timezone or context.settings.default_timezone
        numbers = await checkin_summary_for(session, user_id=user.id, zone=zone, today=today)
        # Eight weeks on (or twenty applications with no interview): a retrospective tomorrow.
        await queue_retrospective_if_due(
            session, user=user, now=context.now(), default_zone=context.settings.default_timezone
        )
    assert checkin is not None
    text = _summary(checkin.commitment, streak, confidence, statement)
    text += numbers  # two lines: weeks, milestones, days to go; the application funnel
    text += review_text(rows, focus)
    keyboard = review_buttons(rows, today)
    if nudge is not None:
        text += nudge_text(nudge)
        keyboard.append(nudge_buttons(nudge))
    keyboard = [row for row in keyboard if row]
    await reply(update, text, inline_keyboard(keyboard) if keyboard else None)
    return _finish(context)


def _summary(commitment: str | None, streak: int, confidence: int, statement: str | None) -> str:
    text = (
        texts.CHECKIN_DONE.format(commitment=escape(commitment))
        if commitment
        else texts.CHECKIN_DONE_NO_COMMITMENT
    )
    if streak >= 1:
        text += texts.CHECKIN_STREAK.format(streak=streak, plural="" if streak == 1 else "s")
    if confidence <= 2:
        if statement:
            text += texts.CHECKIN_WHY_REMINDER.format(statement=escape(statement))
        text += texts.CHECKIN_LOW_CONFIDENCE.format(tiny_step=random.choice(texts.TINY_STEPS))
    return text


async def later_button(update: Update, context: Context) -> None:
    """ "Later today": queue a nudge for the same week in a few hours."""
    data = await answer_button(update)
    period = data.removeprefix("ci:later:")
    tg_user = update.effective_user
    assert tg_user is not None
    due = context.now() + LATER_DELAY
    async with context.sessions.begin() as session:
        await queue_checkin_reminder(
            session,
            user_id=tg_user.id,
            period=period,
            due_at=due,
            label=f"later-{int(due.timestamp()) // 60}",
        )
    await reply(update, texts.CHECKIN_LATER_OK)


async def skip_week_button(update: Update, context: Context) -> None:
    """ "Skip this week": the week counts as not answered; no more nudges for it."""
    data = await answer_button(update)
    period = data.removeprefix("ci:skip:")
    tg_user = update.effective_user
    assert tg_user is not None
    async with context.sessions.begin() as session:
        checkins = CheckinRepository(session)
        checkin = await checkins.open(user_id=tg_user.id, period=period, prompted_at=None)
        if checkin.state == CheckinState.OPEN:
            checkin.state = CheckinState.MISSED
    await reply(update, texts.CHECKIN_WEEK_SKIPPED)


def build_checkin_conversation() -> ConversationHandler[Context]:
    text = filters.TEXT & ~filters.COMMAND
    text_question: list[BaseHandler[Update, Context, object]] = [
        MessageHandler(text, answer_question),
        CommandHandler("skip", skip_question),
        CommandHandler("back", back_question),
    ]
    return ConversationHandler(
        entry_points=[
            CommandHandler("checkin", checkin_command),
            CallbackQueryHandler(checkin_button, pattern=rf"^ci:go:{_PERIOD}$"),
        ],
        states={
            DID: text_question,
            OBSTACLES: text_question,
            WENT_WELL: text_question,
            COMMITMENT: text_question,
            CONFIDENCE: [
                CallbackQueryHandler(choose_confidence, pattern=r"^ci:conf:[1-5]$"),
                CommandHandler("back", back_question),
                CommandHandler("skip", skip_question),
                MessageHandler(filters.ALL & ~filters.COMMAND, pick_a_button),
            ],
            ALREADY_DONE: [
                CallbackQueryHandler(already_done_choice, pattern=r"^ci:(redo|keep)$"),
                MessageHandler(filters.ALL & ~filters.COMMAND, pick_a_button),
            ],
        },
        fallbacks=flow_fallbacks("checkin"),
        name="checkin",
        persistent=True,
        allow_reentry=True,
    )


def checkin_button_handlers() -> list[BaseHandler[Update, Context, object]]:
    """Buttons on check-in prompts that act without opening the conversation."""
    return [
        CallbackQueryHandler(later_button, pattern=re.compile(rf"^ci:later:{_PERIOD}$")),
        CallbackQueryHandler(skip_week_button, pattern=re.compile(rf"^ci:skip:{_PERIOD}$")),
    ]
