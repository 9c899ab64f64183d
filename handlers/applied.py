"""/applied: log a job application step by step — company, role, stage, date — then the
same card as a plain message gets (handlers/application_card.py) to confirm and save."""

from __future__ import annotations

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

from bot.application_card import INTERVIEW_STAGES, Card, date_concern, read_day
from bot.application_status import Status
from bot.context import Context
from bot.texts import applications as t
from handlers.application_card import advance, resolve_target
from handlers.application_views import MAX_NAME, PIPELINE, hand_on, in_flow, user_clock
from handlers.common import (
    END,
    answer_button,
    button_rows,
    end_flow,
    enter_flow,
    escape,
    flow_fallbacks,
    inline_keyboard,
    pick_a_button,
    reply,
)

FLOW = "applied"
COMPANY, ROLE, STATUS, DAY = range(4)
_DRAFT_KEY = "applied"
_STATUS_DATA = "aa:st:"
_DAY_DATA = "aa:d:"


def _draft(context: Context) -> dict[str, str]:
    """This /applied's answers so far (in the persisted draft)."""
    found = context.draft.get(_DRAFT_KEY)
    if not isinstance(found, dict):
        found = {}
        context.draft[_DRAFT_KEY] = found
    return found


def _status(context: Context) -> Status | None:
    """The stage chosen so far, if any."""
    value = _draft(context).get("status")
    return Status(value) if value in _STATUS_VALUES else None


_STATUS_VALUES = frozenset(status.value for status in Status)

# --- the questions -------------------------------------------------------------------------------


async def _ask_company(update: Update, intro: bool = False) -> int:
    """Ask for the company."""
    await reply(update, (t.APPLIED_INTRO if intro else "") + t.ASK_COMPANY + t.HINT_CANCEL)
    return COMPANY


async def _ask_role(update: Update) -> int:
    """Ask for the role."""
    await reply(update, t.ASK_ROLE + t.APPLIED_HINT_SKIP_ROLE)
    return ROLE


async def _ask_status(update: Update) -> int:
    """Ask where it stands, with a button per stage."""
    buttons = [(t.STATUS_LABELS[s], f"{_STATUS_DATA}{s.value}") for s in PIPELINE]
    await reply(
        update, t.APPLIED_ASK_STATUS + t.APPLIED_HINT_BACK, inline_keyboard(button_rows(buttons, 3))
    )
    return STATUS


async def _ask_day(update: Update, context: Context) -> int:
    """Ask when: a day and time for an interview or screen, else a day."""
    status = _status(context)
    if status in INTERVIEW_STAGES:
        event = t.EVENT_NAMES.get(status or Status.INTERVIEW, "")
        company = escape(_draft(context).get("company", ""))
        text = t.ASK_EVENT_DAY.format(event=event, company=company) + t.APPLIED_HINT_SKIP_EVENT
        quick = [(t.TODAY, "0"), (t.TOMORROW, "1")]
    else:
        text = t.ASK_DAY + t.APPLIED_HINT_SKIP_TODAY
        quick = [(t.TODAY, "0"), (t.YESTERDAY, "-1")]
    buttons = [(label, f"{_DAY_DATA}{offset}") for label, offset in quick]
    await reply(update, text, inline_keyboard([buttons]))
    return DAY


# --- answers -------------------------------------------------------------------------------------


async def applied_command(update: Update, context: Context) -> int:
    """/applied (or /applied Stripe): start with the company, or with the role if given."""
    enter_flow(context, FLOW)
    context.draft[_DRAFT_KEY] = {}
    company = " ".join(context.args or []).strip()[:MAX_NAME]
    if company:
        _draft(context)["company"] = company
        return await _ask_role(update)
    return await _ask_company(update, intro=True)


def _typed(update: Update) -> str:
    """The text of the message, trimmed."""
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text.strip()


async def company_answer(update: Update, context: Context) -> int:
    """The company: then the role."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    text = _typed(update)
    if len(text) > MAX_NAME:
        await reply(update, t.ANSWER_TOO_LONG.format(limit=MAX_NAME))
        return COMPANY
    _draft(context)["company"] = text
    return await _ask_role(update)


async def role_answer(update: Update, context: Context) -> int:
    """The role: then the stage."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    text = _typed(update)
    if len(text) > MAX_NAME:
        await reply(update, t.ANSWER_TOO_LONG.format(limit=MAX_NAME))
        return ROLE
    _draft(context)["role"] = text
    return await _ask_status(update)


async def role_skip(update: Update, context: Context) -> int:
    """/skip: no role."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    _draft(context).pop("role", None)
    return await _ask_status(update)


async def status_chosen(update: Update, context: Context) -> int:
    """A stage button: then the date."""
    query = update.callback_query
    assert query is not None and query.data is not None
    value = query.data.removeprefix(_STATUS_DATA)
    if value not in _STATUS_VALUES:
        await query.answer(t.OLD_CARD)
        return STATUS
    await answer_button(update)
    _draft(context)["status"] = value
    return await _ask_day(update, context)


async def day_answer(update: Update, context: Context) -> int:
    """A typed date (and time for an interview): then the card."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    text = _typed(update)
    clock = await user_clock(update, context)
    read = read_day(text, local_now=clock.local, future=_status(context) in INTERVIEW_STAGES)
    if read is None:
        await reply(update, t.DAY_NOT_UNDERSTOOD.format(text=escape(text[:60])))
        return DAY
    day, moment = read
    _draft(context)["day"] = day.isoformat()
    if moment is not None:
        _draft(context)["at"] = moment.isoformat(timespec="minutes")
    return await _to_card(update, context)


async def day_button(update: Update, context: Context) -> int:
    """Today, yesterday or tomorrow: then the card."""
    data = await answer_button(update)
    clock = await user_clock(update, context)
    day = clock.today + timedelta(days=int(data.removeprefix(_DAY_DATA)))
    _draft(context)["day"] = day.isoformat()
    return await _to_card(update, context)


async def day_skip(update: Update, context: Context) -> int:
    """/skip: today (an interview stays without a date)."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    return await _to_card(update, context)


async def _to_card(update: Update, context: Context) -> int:
    """Every step answered: the same card as a plain message gets, then the flow ends."""
    answers = _draft(context)
    clock = await user_clock(update, context)
    card = Card.from_json(
        {
            "company": answers.get("company"),
            "role": answers.get("role"),
            "status": answers.get("status"),
            "day": answers.get("day"),
            "at": answers.get("at"),
            "day_asked": True,
        }
    )
    assert card is not None
    card.settle_defaults(clock.today)
    card.concern = date_concern(card.status, card.day, clock.today)
    await resolve_target(context, clock.user_id, card)
    context.draft.pop(_DRAFT_KEY, None)
    end_flow(context)
    await advance(update, context, card, edit=False)
    return END


# --- /back ---------------------------------------------------------------------------------------


async def back_to_company(update: Update, context: Context) -> int:
    """/back from the role."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    return await _ask_company(update)


async def back_to_role(update: Update, context: Context) -> int:
    """/back from the stage."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    return await _ask_role(update)


async def back_to_status(update: Update, context: Context) -> int:
    """/back from the date."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    return await _ask_status(update)


async def company_required(update: Update, context: Context) -> int:
    """/skip or /back on the company: it is needed."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    await reply(update, t.COMPANY_REQUIRED)
    return COMPANY


async def stray_on_status(update: Update, context: Context) -> int:
    """Typed text while the stage buttons wait."""
    if not in_flow(context, FLOW):
        return await hand_on(update, context)
    await pick_a_button(update, context)
    return STATUS


async def cancel_applied(update: Update, context: Context) -> int:
    """/cancel: nothing was logged; forget the answers so far."""
    context.draft.pop(_DRAFT_KEY, None)
    end_flow(context)
    await reply(update, t.APPLIED_CANCELLED)
    return END


def build_applied_conversation() -> ConversationHandler[Context]:
    """/applied, step by step, resumable after a restart."""
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[BaseHandler[Update, Context, object]]] = {
        COMPANY: [
            MessageHandler(text, company_answer),
            CommandHandler(["skip", "back"], company_required),
        ],
        ROLE: [
            MessageHandler(text, role_answer),
            CommandHandler("skip", role_skip),
            CommandHandler("back", back_to_company),
        ],
        STATUS: [
            CallbackQueryHandler(status_chosen, pattern=rf"^{_STATUS_DATA}[a-z_]+$"),
            CommandHandler("back", back_to_role),
            MessageHandler(text, stray_on_status),
        ],
        DAY: [
            MessageHandler(text, day_answer),
            CallbackQueryHandler(day_button, pattern=rf"^{_DAY_DATA}(-1|0|1)$"),
            CommandHandler("skip", day_skip),
            CommandHandler("back", back_to_status),
        ],
    }
    return ConversationHandler(
        entry_points=[CommandHandler(FLOW, applied_command)],
        states=states,
        fallbacks=[CommandHandler("cancel", cancel_applied), *flow_fallbacks(FLOW)[1:]],
        name=FLOW,
        persistent=True,
        allow_reentry=True,
    )
