"""The card that confirms an application before it is saved: one message echoing company,
role, stage and date, with buttons to save it or fix any part; the typed corrections; and
the save itself (through the application planning, so nudges and reminders follow).

The card waits in the user's draft (persisted), so a restart loses nothing. Each showing
gets a new token in its buttons' data: a button of an older showing, or Save pressed
twice, is answered with a toast and changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update

from bot.application_card import INTERVIEW_STAGES, Card, read_day
from bot.application_match import clear_choice, matches
from bot.application_pace import Logged, pace_note_due, recent, window_start
from bot.application_status import Status
from bot.context import Context
from bot.texts import applications as t
from handlers.application_card_view import card_data, render
from handlers.application_views import (
    MAX_NAME,
    UserClock,
    day_and_time,
    hand_on,
    in_flow,
    is_id,
    known,
    reminder_ahead,
    stage,
    user_clock,
    what,
)
from handlers.application_views import edit_message as edit_pressed
from handlers.common import (
    END,
    answer_button,
    end_flow,
    enter_flow,
    escape,
    inline_keyboard,
    reply,
)
from scheduler.application_planning import log_application, record_status
from storage.models import Application
from storage.repositories.applications import ApplicationRepository

CARD_FLOW = "appcard"
# The card waits for a typed answer to one of its questions.
ASK_COMPANY, ASK_ROLE, ASK_DAY = range(3)
_CARD_KEY = "appcard"
_SEQ_KEY = "appcard:seq"
_SAVED_KEY = "appcard:saved"
_PACE_KEY = "appcard:pace_noted"
KEEP_SAVED_TOKENS = 10
NOTE_LIMIT = 1000

# --- the card in the draft ------------------------------------------------------------------


def load_card(context: Context) -> Card | None:
    """The pending card from the draft, if there is one."""
    return Card.from_json(context.draft.get(_CARD_KEY))


def store_card(context: Context, card: Card) -> None:
    """Keep the card in the draft (persisted with the user's data)."""
    context.draft[_CARD_KEY] = card.to_json()


def new_token(context: Context, card: Card) -> str:
    """A fresh token for a new showing of the card (older showings' buttons go stale)."""
    seq = context.draft.get(_SEQ_KEY)
    seq = seq + 1 if isinstance(seq, int) else 1
    context.draft[_SEQ_KEY] = seq
    card.token = format(seq, "x")
    store_card(context, card)
    return card.token


def _forget_card(context: Context, card: Card) -> None:
    """The card is done with: drop it, remembering its token as saved."""
    context.draft.pop(_CARD_KEY, None)
    saved = context.draft.get(_SAVED_KEY)
    tokens = [str(token) for token in saved] if isinstance(saved, list) else []
    context.draft[_SAVED_KEY] = [*tokens, card.token][-KEEP_SAVED_TOKENS:]


def _was_saved(context: Context, token: str) -> bool:
    """Was the card with this token saved already?"""
    saved = context.draft.get(_SAVED_KEY)
    return isinstance(saved, list) and token in saved


def _finish_question(context: Context) -> int:
    """No typed answer is awaited any more."""
    if in_flow(context, CARD_FLOW):
        end_flow(context)
    return END


# --- which application it is about ------------------------------------------------------------


def point_at(card: Card, application: Application) -> None:
    """Make the card an update of `application`."""
    card.target = application.id
    card.target_status = Status(application.status)
    card.target_rounds = application.interview_rounds
    card.company = application.company
    card.role = application.role or card.role
    card.choices = []


async def resolve_target(context: Context, user_id: int, card: Card) -> None:
    """New application, update of one existing one, or a choice among several."""
    card.forget_target()
    if not card.company:
        return
    async with context.sessions() as session:
        applications = await ApplicationRepository(session).all_for_user(user_id=user_id)
    found = matches(
        company=card.company,
        role=card.role,
        status=card.status,
        known=[known(application) for application in applications],
    )
    chosen = clear_choice(found, card.role)
    if chosen is not None:
        point_at(card, next(a for a in applications if a.id == chosen.id))
    elif found:
        card.choices = [
            (item.id, _plain_what(item.company, item.role) + f" · {t.STATUS_NAMES[item.status]}")
            for item in found
        ]


def _plain_what(company: str, role: str | None) -> str:
    """ "Stripe — Senior PM" for a button label (plain text, not HTML)."""
    return t.WHAT_WITH_ROLE.format(company=company, role=role) if role else company


# --- showing the card ---------------------------------------------------------------------------


async def show_card(
    update: Update,
    context: Context,
    card: Card,
    *,
    edit: bool,
    picking: bool = False,
    clock: UserClock | None = None,
) -> int:
    """Show the card (editing the pressed message when `edit`), and wait for a tap.
    `clock`: the user's, when the caller has just read it (saves reading it again)."""
    clock = clock or await user_clock(update, context)
    card.settle_defaults(clock.today)
    new_token(context, card)
    text, rows = render(card, clock.today, picking=picking)
    if edit:
        await edit_pressed(update, text, inline_keyboard(rows))
    else:
        await reply(update, text, inline_keyboard(rows))
    return _finish_question(context)


# --- questions ----------------------------------------------------------------------------------


async def ask_company(update: Update, context: Context, card: Card) -> int:
    """Ask which company (offering the parser's guess, if any) and wait for it."""
    enter_flow(context, CARD_FLOW)
    new_token(context, card)
    if card.guess:
        text = t.ASK_COMPANY_GUESS.format(company=escape(card.guess)) + t.HINT_CANCEL
        label = t.CONFIRM_COMPANY.format(company=card.guess[:40])
        await reply(update, text, inline_keyboard([[(label, card_data(card, "cy"))]]))
    else:
        await reply(update, t.ASK_COMPANY + t.HINT_CANCEL)
    return ASK_COMPANY


async def ask_role(update: Update, context: Context, card: Card) -> int:
    """Ask for the role and wait for it."""
    enter_flow(context, CARD_FLOW)
    store_card(context, card)
    await reply(update, t.ASK_ROLE + t.HINT_SKIP_ROLE)
    return ASK_ROLE


async def ask_day(update: Update, context: Context, card: Card) -> int:
    """Ask when (day, and time for an interview) with quick-pick buttons; wait for it."""
    enter_flow(context, CARD_FLOW)
    new_token(context, card)
    if card.status in INTERVIEW_STAGES:
        event = t.EVENT_NAMES.get(card.status or Status.INTERVIEW, "")
        text = t.ASK_EVENT_DAY.format(event=event, company=escape(card.company or ""))
        hint = t.HINT_KEEP_DAY if card.day else t.HINT_SKIP_DAY
        quick = [(t.TODAY, "0"), (t.TOMORROW, "1")]
    else:
        text, hint = t.ASK_DAY, t.HINT_KEEP_DAY
        quick = [(t.TODAY, "0"), (t.YESTERDAY, "-1")]
    buttons = [(label, card_data(card, "d", offset)) for label, offset in quick]
    await reply(update, text + hint, inline_keyboard([buttons]))
    return ASK_DAY


async def advance(
    update: Update, context: Context, card: Card, *, edit: bool, clock: UserClock | None = None
) -> int:
    """Ask what is still missing (the company, an interview's date), else show the card."""
    if not card.company:
        return await ask_company(update, context, card)
    if card.needs_event_date() and not card.choices:
        card.day_asked = True
        return await ask_day(update, context, card)
    return await show_card(update, context, card, edit=edit, clock=clock)


def _will_ask(card: Card) -> bool:
    """Does the card still miss something that needs a typed answer?"""
    return not card.company or (card.needs_event_date() and not card.choices)


async def _continue(update: Update, context: Context, card: Card) -> int:
    """After a tap changed the card: show it again in place, or close it and ask."""
    if _will_ask(card):
        await answer_button(update)
        return await advance(update, context, card, edit=False)
    query = update.callback_query
    assert query is not None
    await query.answer()
    return await advance(update, context, card, edit=True)


# --- the card's buttons -------------------------------------------------------------------------


async def card_button(update: Update, context: Context) -> int | None:
    """Any button of the card (or of its questions): check it is the current card, then act."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, token, action, arg = [*query.data.split(":", 3), ""][:4]
    card = load_card(context)
    if card is None or card.token != token:
        await query.answer(t.ALREADY_SAVED if _was_saved(context, token) else t.OLD_CARD)
        return None
    if action == "sv":
        return await _save_pressed(update, context, card)
    if action == "cx":
        return await _cancel_pressed(update, context, card)
    if action in _ASKS:
        await answer_button(update)
        return await _ASKS[action](update, context, card)
    if action == "st":
        await query.answer()
        return await show_card(update, context, card, edit=True, picking=True)
    if action == "pk":
        return await _pick_target(update, context, card, arg)
    return await _change(update, context, card, action, arg)


_ASKS = {"co": ask_company, "ro": ask_role, "da": ask_day}
_STATUS_VALUES = frozenset(status.value for status in Status)


def _iso_day(text: str) -> date | None:
    """A day from a button's data (None if it was tampered with)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


async def _change(update: Update, context: Context, card: Card, action: str, arg: str) -> int:
    """Stage chosen, new application, a date chosen or confirmed, the company confirmed."""
    clock = await user_clock(update, context)
    if action == "s" and arg in _STATUS_VALUES:
        card.status = Status(arg)
        card.settle_defaults(clock.today)
        card.recheck(clock.today)
    elif action == "nw":
        card.forget_target()
    elif action == "dy" and (chosen := _iso_day(arg)) is not None:
        card.day, card.concern = chosen, None
    elif action == "ok":
        card.date_settled = True
    elif action == "d" and arg in {"-1", "0", "1"}:
        card.day, card.at = clock.today + timedelta(days=int(arg)), None
        card.recheck(clock.today)
        await answer_button(update)
        return await advance(update, context, card, edit=False, clock=clock)
    elif action == "cy" and card.guess:
        card.company, card.guess = card.guess, None
        await resolve_target(context, clock.user_id, card)
        await answer_button(update)
        return await advance(update, context, card, edit=False, clock=clock)
    return await _continue(update, context, card)


async def _pick_target(update: Update, context: Context, card: Card, arg: str) -> int | None:
    """One of several applications at the company was chosen: load it as the user's own."""
    query = update.callback_query
    assert query is not None
    clock = await user_clock(update, context)
    application = None
    if is_id(arg):
        async with context.sessions() as session:
            application = await ApplicationRepository(session).get(
                user_id=clock.user_id, application_id=int(arg)
            )
    if application is None:
        await query.answer(t.NOT_YOURS)
        return None
    point_at(card, application)
    return await _continue(update, context, card)


async def _cancel_pressed(update: Update, context: Context, card: Card) -> int:
    """Cancel on the card: drop it unsaved."""
    await answer_button(update)
    context.draft.pop(_CARD_KEY, None)
    await reply(update, t.CARD_DROPPED)
    return _finish_question(context)


# --- saving -------------------------------------------------------------------------------------


async def _save_pressed(update: Update, context: Context, card: Card) -> int:
    """Save on the current card: store it once, turn the card into the confirmation."""
    query = update.callback_query
    assert query is not None
    if card.status is None or not card.company:
        await query.answer(t.OLD_CARD)
        return _finish_question(context)
    await query.answer()
    clock = await user_clock(update, context)
    text = await _save(context, clock, card)
    _forget_card(context, card)
    await edit_pressed(update, text, None)
    return _finish_question(context)


async def _save(context: Context, clock: UserClock, card: Card) -> str:
    """Store the card (new application, or a new stage of an existing one); the confirmation."""
    assert card.status is not None and card.company is not None
    day = card.day or clock.today
    async with context.sessions.begin() as session:
        repository = ApplicationRepository(session)
        if card.target is not None:
            application = await repository.get(user_id=clock.user_id, application_id=card.target)
            if application is None:
                return t.CARD_GONE
            if card.role != application.role or (card.url and not application.url):
                await repository.update_details(
                    application=application, role=card.role, url=card.url, now=clock.now
                )
            await record_status(
                session,
                application=application,
                status=card.status,
                on=day,
                event_time=card.at,
                timing=clock.timing,
                now=clock.now,
            )
        else:
            application = await log_application(
                session,
                user_id=clock.user_id,
                company=card.company,
                role=card.role,
                status=card.status,
                on=day,
                event_time=card.at,
                url=card.url,
                timing=clock.timing,
                now=clock.now,
            )
        if card.round and card.status is Status.INTERVIEW:
            await repository.set_interview_round(application=application, round=card.round)
        if card.note:
            await repository.add_note(
                application=application, kind="note", text=card.note[:NOTE_LIMIT], now=clock.now
            )
        sent = await repository.applied_since(
            user_id=clock.user_id, since=window_start(clock.today)
        )
    confirmation = _confirmation(card, application, clock)
    return confirmation + _pace_note(context, sent, clock.today) + t.SAVED_FOOTER


def _confirmation(card: Card, application: Application, clock: UserClock) -> str:
    """What was saved, and what happens next (a nudge, a reminder, a reflection)."""
    status = Status(application.status)
    when = (
        day_and_time(card.day, card.at)
        if card.day is not None
        else t.CARD_NO_DATE.removeprefix("📅 ")
    )
    template = t.SAVED_UPDATE if card.is_update else t.SAVED_NEW
    text = template.format(
        what=what(application.company, application.role),
        status=stage(status, application.interview_rounds),
        date=when,
    )
    if status is Status.APPLIED:
        text += t.AFTER_APPLIED.format(days=clock.timing.followup_days[0])
    elif status in INTERVIEW_STAGES and reminder_ahead(application, clock):
        text += t.AFTER_REMINDER
    else:
        text += _after(status)
    return text


def _after(status: Status | None) -> str:
    """A word after saving a rejection, an offer or an acceptance (read now: translated)."""
    after = {
        Status.REJECTED: t.AFTER_REJECTED,
        Status.OFFER: t.AFTER_OFFER,
        Status.ACCEPTED: t.AFTER_ACCEPTED,
    }
    return after.get(status, "") if status is not None else ""


def _pace_note(context: Context, sent: list[Application], today: date) -> str:
    """The caring note on too many applications with no answer, at most once a week."""
    logged = [
        Logged(applied_on=a.applied_on, status=Status(a.status))
        for a in sent
        if a.applied_on is not None
    ]
    noted = context.draft.get(_PACE_KEY)
    last_noted = date.fromisoformat(noted) if isinstance(noted, str) else None
    if not pace_note_due(logged, today=today, last_noted=last_noted):
        return ""
    context.draft[_PACE_KEY] = today.isoformat()
    return t.PACE_NOTE.format(count=len(recent(logged, today=today)))


# --- typed answers to the card's questions ---------------------------------------------------


async def _answer_context(update: Update, context: Context) -> tuple[str, Card] | None:
    """The typed text and the card it is for; None when this question is no longer open."""
    message = update.effective_message
    card = load_card(context)
    if not in_flow(context, CARD_FLOW) or card is None or message is None or not message.text:
        return None
    return message.text.strip(), card


async def company_answer(update: Update, context: Context) -> int:
    """The company, typed: find whether it is one the user already applied to, go on."""
    found = await _answer_context(update, context)
    if found is None:
        return await hand_on(update, context)
    text, card = found
    if len(text) > MAX_NAME:
        await reply(update, t.ANSWER_TOO_LONG.format(limit=MAX_NAME))
        return ASK_COMPANY
    clock = await user_clock(update, context)
    card.company, card.guess = text, None
    await resolve_target(context, clock.user_id, card)
    return await advance(update, context, card, edit=False)


async def role_answer(update: Update, context: Context) -> int:
    """The role, typed: show the card again."""
    found = await _answer_context(update, context)
    if found is None:
        return await hand_on(update, context)
    text, card = found
    if len(text) > MAX_NAME:
        await reply(update, t.ANSWER_TOO_LONG.format(limit=MAX_NAME))
        return ASK_ROLE
    card.role = text
    return await show_card(update, context, card, edit=False)


async def day_answer(update: Update, context: Context) -> int:
    """A date (and for an interview, a time), typed: check it and show the card again."""
    found = await _answer_context(update, context)
    if found is None:
        return await hand_on(update, context)
    text, card = found
    clock = await user_clock(update, context)
    read = read_day(text, local_now=clock.local, future=card.status in INTERVIEW_STAGES)
    if read is None:
        await reply(update, t.DAY_NOT_UNDERSTOOD.format(text=escape(text[:60])))
        return ASK_DAY
    card.day, card.at = read
    card.settle_defaults(clock.today)
    card.recheck(clock.today)
    return await show_card(update, context, card, edit=False)


async def company_skip(update: Update, context: Context) -> int:
    """/skip: the company cannot be left out."""
    if not in_flow(context, CARD_FLOW):
        return await hand_on(update, context)
    await reply(update, t.COMPANY_REQUIRED)
    return ASK_COMPANY


async def role_skip(update: Update, context: Context) -> int:
    """/skip: no role."""
    card = load_card(context)
    if not in_flow(context, CARD_FLOW) or card is None:
        return await hand_on(update, context)
    if not card.is_update:
        card.role = None
    return await show_card(update, context, card, edit=False)


async def day_skip(update: Update, context: Context) -> int:
    """/skip: keep the date as it is (an interview may stay without one)."""
    card = load_card(context)
    if not in_flow(context, CARD_FLOW) or card is None:
        return await hand_on(update, context)
    return await show_card(update, context, card, edit=False)


async def back_to_card(update: Update, context: Context) -> int:
    """/back: leave the question and show the card again."""
    card = load_card(context)
    if not in_flow(context, CARD_FLOW) or card is None:
        return await hand_on(update, context)
    if not card.company:
        return await ask_company(update, context, card)
    return await show_card(update, context, card, edit=False)


async def cancel_card(update: Update, context: Context) -> int:
    """/cancel: drop the card unsaved."""
    context.draft.pop(_CARD_KEY, None)
    end_flow(context)
    await reply(update, t.CARD_DROPPED)
    return END
