"""The reflection after a rejection — at which stage, what feedback came, what went well,
what you would change, what you'll do next — each answer saved as it comes, then the
patterns across all rejections. Also /reflections: the patterns, then every reflection."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import locale_format
from bot.application_patterns import (
    MIN_REJECTIONS,
    Patterns,
    RejectionStage,
    Suggestion,
    find_patterns,
)
from bot.application_status import Status
from bot.context import Context
from bot.texts import reflections as rt
from bot.timezones import resolve_zone
from handlers.common import (
    Button,
    answer_button,
    current_user,
    edit_or_reply,
    end_flow,
    enter_flow,
    escape,
    flow_fallbacks,
    inline_keyboard,
    pick_a_button,
    reply,
    short_date,
)
from handlers.team import NOBODY, who_key
from scheduler.application_planning import timing_for
from scheduler.application_prompts import (
    REFLECT_GO,
    REFLECT_LATER,
    REFLECT_OK,
    queue_reflection_again,
)
from storage.models import Application, Reflection
from storage.repositories.applications import ApplicationRepository
from storage.repositories.journey import JourneyRepository
from storage.repositories.reflections import ReflectionField, ReflectionRepository

FLOW = "reflection"
STAGE, FEEDBACK, WENT_WELL, WOULD_CHANGE, NEXT_ACTION = range(5)
MAX_ANSWER_LENGTH = 2000
MAX_ROUND_BUTTONS = 5  # "after interview round n" buttons; longer processes pick "final"
PAGE_SIZE = 5
# Answers are cut in the list so a full page stays well inside Telegram's 4096 characters.
LIST_TEXT_LIMIT = 120
PENDING_BUTTONS = 3
_REFLECTION_KEY = "reflection_id"
_STATE_KEY = "reflection_state"
_STAGE_DATA = "rf:stage"
_NEXT_DATA = "rf:next"
_PAGE_DATA = "rfl:page"

# Each text question: the state, the column it fills, the question (read when asked, so in
# the user's language), the state after it.
QUESTIONS: dict[int, tuple[ReflectionField, Callable[[], str], int]] = {
    FEEDBACK: ("feedback", lambda: rt.ASK_FEEDBACK + rt.BACK_HINT, WENT_WELL),
    WENT_WELL: ("went_well", lambda: rt.ASK_WENT_WELL + rt.SKIP_HINT, WOULD_CHANGE),
    WOULD_CHANGE: ("would_change", lambda: rt.ASK_WOULD_CHANGE + rt.SKIP_HINT, NEXT_ACTION),
}
PREVIOUS = {
    FEEDBACK: STAGE,
    WENT_WELL: FEEDBACK,
    WOULD_CHANGE: WENT_WELL,
    NEXT_ACTION: WOULD_CHANGE,
}
# The next action a pattern points to, marked 💡 among the buttons.
SUGGESTED_ACTION = {Suggestion.REVIEW_CV: "cv_review", Suggestion.PRACTISE_INTERVIEWS: "practise"}


# --- what the flow reads ----------------------------------------------------------------------


async def user_patterns(session: AsyncSession, user_id: int) -> Patterns:
    """The patterns across all of a user's applications and reflections (also for /progress)."""
    applications = ApplicationRepository(session)
    return find_patterns(
        await applications.all_for_user(user_id=user_id),
        await applications.all_events(user_id=user_id),
        await ReflectionRepository(session).all_for_user(user_id=user_id),
    )


async def cv_reviewer(session: AsyncSession, user_id: int) -> str | None:
    """The CV reviewer named in /team, if there is one."""
    who = await JourneyRepository(session).answer(
        user_id=user_id, step="team", key=who_key("reviewer")
    )
    return who if who and who != NOBODY else None


def patterns_text(patterns: Patterns, reviewer: str | None) -> str:
    """The patterns block: rejections by stage, no answers, time to answer, and advice."""
    text = rt.PATTERNS_HEADER
    if patterns.rejections:
        parts = [
            rt.PATTERN_STAGE_PART.format(count=count, stage=rt.PATTERN_STAGE_NAMES[stage])
            for stage, count in patterns.rejections_by_stage.items()
            if count
        ]
        text += rt.PATTERN_REJECTIONS.format(
            count=patterns.rejections,
            plural="" if patterns.rejections == 1 else "s",
            parts=", ".join(parts),
        )
    rate = patterns.no_answer_rate
    if patterns.no_answer and rate is not None:
        text += rt.PATTERN_NO_ANSWER.format(
            count=patterns.no_answer, total=patterns.decided, percent=round(rate * 100)
        )
    if patterns.median_days_to_answer is not None:
        days = patterns.median_days_to_answer
        text += rt.PATTERN_MEDIAN.format(
            days=locale_format.number(days),  # "4.5" in English, "4,5" in Spanish
            plural="" if days == 1 else "s",
            count=patterns.answers_timed,
        )
    for advice in patterns.advice:
        who = rt.ADVICE_REVIEWER.format(who=escape(reviewer)) if reviewer else rt.ADVICE_NO_REVIEWER
        text += rt.ADVICE[advice.suggestion].format(
            count=advice.count, total=advice.total, reviewer=who
        )
    if not patterns.advice and patterns.known_stage_rejections < MIN_REJECTIONS:
        text += rt.PATTERNS_TOO_FEW
    return text


# --- the flow ---------------------------------------------------------------------------------


def _reflection_id(context: Context) -> int:
    reflection_id = context.draft.get(_REFLECTION_KEY)
    assert isinstance(reflection_id, int), "a reflection flow always knows its reflection"
    return reflection_id


def _current_state(context: Context) -> int:
    """Which question this update answers (PTB does not pass the state in)."""
    state = context.draft.get(_STATE_KEY)
    return state if isinstance(state, int) else STAGE


def _finish(context: Context) -> int:
    """Forget the flow's place (its answers are in the database)."""
    context.draft.pop(_REFLECTION_KEY, None)
    context.draft.pop(_STATE_KEY, None)
    return end_flow(context)


async def _reflection(
    context: Context, user_id: int
) -> tuple[Reflection | None, Application | None]:
    """The reflection under way, and its application (None once deleted)."""
    async with context.sessions() as session:
        reflection = await ReflectionRepository(session).get(
            user_id=user_id, reflection_id=_reflection_id(context)
        )
        if reflection is None or reflection.application_id is None:
            return reflection, None
        application = await ApplicationRepository(session).get(
            user_id=user_id, application_id=reflection.application_id
        )
    return reflection, application


async def _patterns_and_reviewer(context: Context, user_id: int) -> tuple[Patterns, str | None]:
    async with context.sessions() as session:
        return await user_patterns(session, user_id), await cv_reviewer(session, user_id)


def _stage_buttons(application: Application | None) -> list[list[Button]]:
    rounds = min(max(application.interview_rounds if application else 0, 1), MAX_ROUND_BUTTONS)
    return [
        [(rt.STAGE_NO_CALLBACK, f"{_STAGE_DATA}:{RejectionStage.NO_CALLBACK}")],
        [(rt.STAGE_SCREENING, f"{_STAGE_DATA}:{RejectionStage.SCREENING}")],
        *[
            [(rt.STAGE_ROUND.format(round=n), f"{_STAGE_DATA}:{RejectionStage.INTERVIEW}:{n}")]
            for n in range(1, rounds + 1)
        ],
        [(rt.STAGE_FINAL, f"{_STAGE_DATA}:{RejectionStage.FINAL}")],
    ]


def _next_buttons(patterns: Patterns) -> list[list[Button]]:
    suggested = {SUGGESTED_ACTION.get(advice.suggestion) for advice in patterns.advice}
    return [
        [((rt.SUGGESTED_MARK if code in suggested else "") + label, f"{_NEXT_DATA}:{code}")]
        for code, (label, _meaning) in rt.NEXT_ACTIONS.items()
    ]


async def _ask(update: Update, context: Context, state: int) -> int:
    if state in QUESTIONS:
        await reply(update, QUESTIONS[state][1]())
        return state
    user = await current_user(update, context)
    if state == STAGE:
        return await _ask_stage(update, context, user.id)
    return await _ask_next(update, context, user.id)


async def _ask_stage(update: Update, context: Context, user_id: int) -> int:
    reflection, application = await _reflection(context, user_id)
    if reflection is None:
        await reply(update, rt.GONE)
        return _finish(context)
    question = rt.ASK_STAGE.format(company=escape(reflection.company)) + rt.SKIP_HINT
    await reply(update, question, inline_keyboard(_stage_buttons(application)))
    return STAGE


async def _ask_next(update: Update, context: Context, user_id: int) -> int:
    """The last question, naming the CV reviewer and marking what the patterns suggest."""
    patterns, reviewer = await _patterns_and_reviewer(context, user_id)
    question = rt.ASK_NEXT
    if reviewer:
        question += rt.ASK_NEXT_REVIEWER.format(who=escape(reviewer))
    if any(SUGGESTED_ACTION.get(advice.suggestion) for advice in patterns.advice):
        question += rt.ASK_NEXT_SUGGESTED
    await reply(update, question + rt.SKIP_HINT, inline_keyboard(_next_buttons(patterns)))
    return NEXT_ACTION


async def _move(update: Update, context: Context, state: int) -> int:
    context.draft[_STATE_KEY] = state
    return await _ask(update, context, state)


def _last_number(update: Update) -> int:
    """The number a button's data ends with (an application id, or a page)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    return int(query.data.rsplit(":", 1)[1])


class _Refused(Exception):
    """A press that cannot act; the message says why. Raised inside the transaction, so
    nothing is written."""


async def _refuse(update: Update, refused: _Refused) -> None:
    """Answer the press with a small notice, and change nothing."""
    query = update.callback_query
    assert query is not None
    await query.answer(str(refused))


async def _own_rejection(session: AsyncSession, user_id: int, application_id: int) -> Application:
    """The presser's rejected application, or a refusal saying why not."""
    application = await ApplicationRepository(session).get(
        user_id=user_id, application_id=application_id
    )
    if application is None:
        raise _Refused(rt.NOT_YOURS)
    if application.status != Status.REJECTED:
        raise _Refused(rt.NOT_REJECTED)
    return application


async def reflect_button(update: Update, context: Context) -> int | None:
    """ "Let's reflect" (on the prompt, or in /reflections): open that rejection's reflection."""
    user = await current_user(update, context)
    try:
        async with context.sessions.begin() as session:
            application = await _own_rejection(session, user.id, _last_number(update))
            reflection = await ReflectionRepository(session).start(
                application=application, now=context.now()
            )
    except _Refused as refused:
        await _refuse(update, refused)
        return None  # whatever flow the presser is in goes on undisturbed
    await answer_button(update)
    if reflection.completed_at is not None:
        await reply(update, rt.ALREADY_REFLECTED.format(company=escape(reflection.company)))
        return None
    enter_flow(context, FLOW)
    context.draft[_REFLECTION_KEY] = reflection.id
    return await _move(update, context, STAGE)


async def choose_stage(update: Update, context: Context) -> int:
    """Save the stage the no came at (and the interview round), then ask about feedback."""
    data = await answer_button(update)
    parts = data.removeprefix(f"{_STAGE_DATA}:").split(":")
    stage, round_ = parts[0], (int(parts[1]) if len(parts) > 1 else None)
    user = await current_user(update, context)
    async with context.sessions.begin() as session:
        await ReflectionRepository(session).set_stage(
            user_id=user.id, reflection_id=_reflection_id(context), stage=stage, round_=round_
        )
    return await _move(update, context, FEEDBACK)


async def answer_question(update: Update, context: Context) -> int:
    """Save the answer to the current question and ask the next."""
    message = update.effective_message
    assert message is not None and message.text is not None
    state = _current_state(context)
    if state not in QUESTIONS:  # the question above has buttons
        await pick_a_button(update, context)
        return state
    text = message.text.strip()
    if len(text) > MAX_ANSWER_LENGTH:
        await reply(update, rt.TOO_LONG.format(limit=MAX_ANSWER_LENGTH, length=len(text)))
        return state
    return await _save_and_go_on(update, context, state, text)


async def _save_and_go_on(update: Update, context: Context, state: int, text: str | None) -> int:
    field, _question, following = QUESTIONS[state]
    user = await current_user(update, context)
    async with context.sessions.begin() as session:
        await ReflectionRepository(session).save_answer(
            user_id=user.id, reflection_id=_reflection_id(context), field=field, text=text
        )
    return await _move(update, context, following)


async def skip_question(update: Update, context: Context) -> int:
    """/skip: leave this question blank (no feedback came, no stage to name…) and go on."""
    state = _current_state(context)
    if state in QUESTIONS:
        return await _save_and_go_on(update, context, state, None)
    user = await current_user(update, context)
    if state == STAGE:
        async with context.sessions.begin() as session:
            await ReflectionRepository(session).set_stage(
                user_id=user.id, reflection_id=_reflection_id(context), stage=None, round_=None
            )
        return await _move(update, context, FEEDBACK)
    return await _complete(update, context, None)


async def back_question(update: Update, context: Context) -> int:
    """/back: ask the previous question again."""
    return await _move(update, context, PREVIOUS.get(_current_state(context), STAGE))


async def choose_next(update: Update, context: Context) -> int:
    """Save what the user will do next, close the reflection, and show the patterns."""
    data = await answer_button(update)
    return await _complete(update, context, data.removeprefix(f"{_NEXT_DATA}:"))


def _next_step_text(action: str | None, reflection: Reflection, reviewer: str | None) -> str:
    if action == "cv_review":
        if reviewer:
            return rt.NEXT_CV_REVIEW_WHO.format(who=escape(reviewer))
        return rt.NEXT_CV_REVIEW_NOBODY
    if action == "practise":
        return rt.NEXT_PRACTISE
    if action == "ask_feedback":
        return rt.NEXT_ASK_FEEDBACK.format(company=escape(reflection.company))
    if action == "keep_going":
        return rt.NEXT_KEEP_GOING
    return ""


async def _complete(update: Update, context: Context, action: str | None) -> int:
    """Close the reflection; thank, name the next step, and show the patterns."""
    user = await current_user(update, context)
    async with context.sessions.begin() as session:
        await ReflectionRepository(session).finish(
            user_id=user.id,
            reflection_id=_reflection_id(context),
            next_action=action,
            now=context.now(),
        )
    reflection, _application = await _reflection(context, user.id)
    patterns, reviewer = await _patterns_and_reviewer(context, user.id)
    if reflection is None:
        await reply(update, rt.GONE)
        return _finish(context)
    text = rt.DONE.format(name=escape(user.first_name))
    text += _next_step_text(action, reflection, reviewer)
    await reply(update, text + "\n\n" + patterns_text(patterns, reviewer))
    return _finish(context)


# --- "Not now" ----------------------------------------------------------------------------------


async def not_now_button(update: Update, context: Context) -> None:
    """ "Not now" on the first invitation: one more, three days later; none after that."""
    query = update.callback_query
    assert query is not None and query.data is not None
    again = query.data.startswith(f"{REFLECT_LATER}:")
    user = await current_user(update, context)
    timing = timing_for(zone=user.timezone, settings=context.settings)
    try:
        async with context.sessions.begin() as session:
            application = await _own_rejection(session, user.id, _last_number(update))
            if again:
                await queue_reflection_again(
                    session, application=application, timing=timing, now=context.now()
                )
    except _Refused as refused:
        await _refuse(update, refused)
        return
    await answer_button(update)
    await reply(update, rt.NOT_NOW_AGAIN if again else rt.NOT_NOW_FINAL)


# --- /reflections ------------------------------------------------------------------------------


def _cut(text: str) -> str:
    return escape(text if len(text) <= LIST_TEXT_LIMIT else text[: LIST_TEXT_LIMIT - 1] + "…")


def _stage_name(reflection: Reflection) -> str:
    if reflection.stage == RejectionStage.INTERVIEW and reflection.round:
        return rt.STAGE_ROUND_NAME.format(round=reflection.round)
    return rt.STAGE_NAMES.get(reflection.stage or "", rt.LIST_STAGE_UNKNOWN)


def _list_item(reflection: Reflection, zone: str) -> str:
    finished = reflection.completed_at or reflection.created_at
    text = rt.LIST_ITEM.format(
        company=escape(reflection.company),
        stage=_stage_name(reflection),
        date=short_date(finished.astimezone(resolve_zone(zone)).date()),
    )
    for template, answer in (
        (rt.LIST_FEEDBACK, reflection.feedback),
        (rt.LIST_WENT_WELL, reflection.went_well),
        (rt.LIST_WOULD_CHANGE, reflection.would_change),
    ):
        if answer:
            text += template.format(text=_cut(answer))
    if reflection.next_action in rt.NEXT_ACTIONS:
        text += rt.LIST_NEXT.format(action=rt.NEXT_ACTIONS[reflection.next_action][1])
    return text


def _page_buttons(page: int, pages: int, pending: list[Application]) -> list[list[Button]]:
    navigation: list[Button] = []
    if page > 0:
        navigation.append((rt.PREVIOUS_PAGE, f"{_PAGE_DATA}:{page - 1}"))
    if page < pages - 1:
        navigation.append((rt.NEXT_PAGE, f"{_PAGE_DATA}:{page + 1}"))
    rows = [navigation] if navigation else []
    rows += [
        [(rt.LIST_REFLECT_BUTTON.format(company=a.company[:40]), f"{REFLECT_GO}:{a.id}")]
        for a in pending
    ]
    return rows


async def _reflections_page(
    context: Context, user_id: int, zone: str, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of /reflections: patterns on top, then reflections, newest first."""
    async with context.sessions() as session:
        reflections = ReflectionRepository(session)
        total = await reflections.completed_count(user_id=user_id)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        rows = await reflections.completed_page(
            user_id=user_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
        )
        pending = await reflections.unreflected_rejections(user_id=user_id, limit=PENDING_BUTTONS)
        patterns = await user_patterns(session, user_id)
        reviewer = await cv_reviewer(session, user_id)
    if not total and not pending and patterns.is_empty:
        return rt.LIST_EMPTY, None
    text = patterns_text(patterns, reviewer) + "\n\n"
    text += rt.LIST_HEADER.format(count=total)
    if pages > 1:
        text += rt.LIST_PAGE.format(page=page + 1, pages=pages)
    text += "".join("\n\n" + _list_item(reflection, zone) for reflection in rows)
    if not total:
        text += "\n\n" + rt.LIST_NONE_YET
    if pending:
        companies = ", ".join(f"<b>{escape(a.company)}</b>" for a in pending)
        text += rt.LIST_PENDING.format(companies=companies)
    buttons = _page_buttons(page, pages, pending)
    return text, inline_keyboard(buttons) if buttons else None


async def reflections_command(update: Update, context: Context) -> None:
    """/reflections: the patterns, then every reflection, newest first, a page at a time."""
    user = await current_user(update, context)
    zone = user.timezone or context.settings.default_timezone
    text, markup = await _reflections_page(context, user.id, zone, page=0)
    await reply(update, text, markup)


async def reflections_page_button(update: Update, context: Context) -> None:
    """◀️ / ▶️ under /reflections: show another page in the same message."""
    user = await current_user(update, context)
    zone = user.timezone or context.settings.default_timezone
    text, markup = await _reflections_page(context, user.id, zone, page=_last_number(update))
    await edit_or_reply(update, text, markup)


# --- wiring ----------------------------------------------------------------------------------


def build_reflection_conversation() -> ConversationHandler[Context]:
    text = filters.TEXT & ~filters.COMMAND
    commands: list[BaseHandler[Update, Context, object]] = [
        CommandHandler("skip", skip_question),
        CommandHandler("back", back_question),
    ]
    text_question: list[BaseHandler[Update, Context, object]] = [
        MessageHandler(text, answer_question),
        *commands,
    ]
    stages = "|".join(stage.value for stage in RejectionStage if stage != RejectionStage.INTERVIEW)
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(reflect_button, pattern=rf"^{REFLECT_GO}:\d{{1,18}}$")],
        states={
            STAGE: [
                CallbackQueryHandler(
                    choose_stage,
                    pattern=rf"^{_STAGE_DATA}:(({stages})|{RejectionStage.INTERVIEW}:\d{{1,2}})$",
                ),
                *commands,
                MessageHandler(filters.ALL & ~filters.COMMAND, pick_a_button),
            ],
            FEEDBACK: text_question,
            WENT_WELL: text_question,
            WOULD_CHANGE: text_question,
            NEXT_ACTION: [
                CallbackQueryHandler(
                    choose_next, pattern=rf"^{_NEXT_DATA}:({'|'.join(rt.NEXT_ACTIONS)})$"
                ),
                *commands,
                MessageHandler(filters.ALL & ~filters.COMMAND, pick_a_button),
            ],
        },
        fallbacks=flow_fallbacks(FLOW),
        name=FLOW,
        persistent=True,
        allow_reentry=True,
    )


def reflection_button_handlers() -> list[BaseHandler[Update, Context, object]]:
    """/reflections, its page buttons, and "Not now" on reflection prompts."""
    return [
        CommandHandler("reflections", reflections_command),
        CallbackQueryHandler(
            reflections_page_button, pattern=re.compile(rf"^{_PAGE_DATA}:\d{{1,4}}$")
        ),
        CallbackQueryHandler(
            not_now_button, pattern=re.compile(rf"^({REFLECT_LATER}|{REFLECT_OK}):\d{{1,18}}$")
        ),
    ]
