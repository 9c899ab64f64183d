"""/apps: the pipeline grouped by stage, paged, and a card per application — its stages
with dates, notes, contacts, link — to change its stage, add a note or a contact, or
delete it. Every button carries an application id and is checked against the user who
pressed it: someone else's id is refused and changes nothing."""

from __future__ import annotations

from datetime import date, time, timedelta

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
from bot.application_card import INTERVIEW_STAGES, read_day
from bot.application_status import Status
from bot.context import Context
from bot.texts import applications as t
from handlers.application_views import (
    MAX_NAME,
    UserClock,
    edit_message,
    hand_on,
    in_flow,
    reminder_ahead,
    user_clock,
    what,
)
from handlers.apps_view import (
    Details,
    Pressed,
    apps_data,
    card_buttons,
    card_text,
    contact_buttons,
    delete_buttons,
    list_view,
    parse_pressed,
    status_buttons,
)
from handlers.common import (
    END,
    Button,
    answer_button,
    end_flow,
    enter_flow,
    escape,
    flow_fallbacks,
    inline_keyboard,
    reply,
)
from scheduler.application_planning import record_status
from scheduler.kinds import application_key_prefix
from storage.models import Application
from storage.repositories.applications import ApplicationRepository
from storage.repositories.prompts import PromptRepository

FLOW = "apps"
# Typed answers /apps waits for; between them the buttons need no state.
NOTE, CONTACT_NAME, CONTACT_REACH, EVENT_DAY = range(4)
NOTE_LIMIT = 1000
_DRAFT_KEY = "apps"
_CONTACT_KINDS = {"r": "recruiter", "f": "referral"}
_STATUS_VALUES = frozenset(status.value for status in Status)

# --- the list ---------------------------------------------------------------------------------


async def _all(context: Context, user_id: int) -> list[Application]:
    """All the user's applications."""
    async with context.sessions() as session:
        return await ApplicationRepository(session).all_for_user(user_id=user_id)


async def apps_command(update: Update, context: Context) -> int:
    """/apps: the first page of the pipeline."""
    end_flow(context)  # any question another flow had open is left
    context.draft.pop(_DRAFT_KEY, None)
    clock = await user_clock(update, context)
    text, rows = list_view(await _all(context, clock.user_id), 0)
    await reply(update, text, inline_keyboard(rows) if rows else None)
    return END


# --- one application's card -------------------------------------------------------------------


async def _details(context: Context, user_id: int, application_id: int) -> Details | None:
    """The user's application with its stages and notes; None if it is not theirs."""
    async with context.sessions() as session:
        repository = ApplicationRepository(session)
        application = await repository.get(user_id=user_id, application_id=application_id)
        if application is None:
            return None
        history = await repository.history(user_id=user_id, application_id=application_id)
        notes = await repository.notes(user_id=user_id, application_id=application_id)
    return Details(application, history, notes)


async def _send_card(
    update: Update, context: Context, clock: UserClock, pressed: Pressed, prefix: str = ""
) -> int:
    """The card as a new message (after a typed answer)."""
    details = await _details(context, clock.user_id, pressed.application_id)
    if details is None:
        await reply(update, t.APP_GONE)
    else:
        text = prefix + card_text(details, clock)
        await reply(
            update, text, inline_keyboard(card_buttons(pressed.application_id, pressed.page))
        )
    return _finish(context)


def _finish(context: Context) -> int:
    """Nothing typed is awaited any more."""
    context.draft.pop(_DRAFT_KEY, None)
    if in_flow(context, FLOW):
        end_flow(context)
    return END


# --- the buttons ------------------------------------------------------------------------------


async def apps_button(update: Update, context: Context) -> int | None:
    """Any /apps button: the list, a card, or an action on one of the user's applications."""
    query = update.callback_query
    assert query is not None and query.data is not None
    pressed = parse_pressed(query.data)
    clock = await user_clock(update, context)
    if pressed is None:
        await query.answer(t.OLD_CARD)
        return None
    if pressed.action == "l":
        await query.answer()
        text, rows = list_view(await _all(context, clock.user_id), pressed.page)
        await edit_message(update, text, inline_keyboard(rows) if rows else None)
        return _finish(context)
    details = await _details(context, clock.user_id, pressed.application_id)
    if details is None:
        await query.answer(t.NOT_YOURS)
        return None
    action = _ACTIONS.get(pressed.action)
    if action is None:
        await query.answer(t.OLD_CARD)
        return None
    return await action(update, context, clock, details, pressed)


async def _open(
    update: Update, context: Context, clock: UserClock, details: Details, pressed: Pressed
) -> int:
    """Show the application's card in place."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    buttons = card_buttons(details.application.id, pressed.page)
    await edit_message(update, card_text(details, clock), inline_keyboard(buttons))
    return _finish(context)


async def _in_place(
    update: Update, extra: str, rows: list[list[Button]], details: Details, clock: UserClock
) -> None:
    """Show the card again in the pressed message, with other buttons under it."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await edit_message(update, card_text(details, clock) + extra, inline_keyboard(rows))


async def _pick_status(
    update: Update, context: Context, clock: UserClock, details: Details, pressed: Pressed
) -> int:
    """Offer the stages to move to."""
    rows = status_buttons(details.application, pressed.page)
    await _in_place(update, t.APP_PICK_STATUS, rows, details, clock)
    return _finish(context)


async def _pick_contact(
    update: Update, context: Context, clock: UserClock, details: Details, pressed: Pressed
) -> int:
    """Recruiter or referral?"""
    rows = contact_buttons(details.application.id, pressed.page)
    await _in_place(update, t.APP_PICK_CONTACT, rows, details, clock)
    return _finish(context)


async def _confirm_delete(
    update: Update, context: Context, clock: UserClock, details: Details, pressed: Pressed
) -> int:
    """Ask before deleting."""
    rows = delete_buttons(details.application.id, pressed.page)
    await _in_place(update, t.APP_CONFIRM_DELETE, rows, details, clock)
    return _finish(context)


async def _delete(
    update: Update, context: Context, clock: UserClock, details: Details, pressed: Pressed
) -> int:
    """Delete it, cancel its pending nudges, and show the list again."""
    query = update.callback_query
    assert query is not None
    application = details.application
    name = what(application.company, application.role)
    async with context.sessions.begin() as session:
        await ApplicationRepository(session).delete(
            user_id=clock.user_id, application_id=application.id
        )
        await PromptRepository(session).cancel_with_prefix(
            user_id=clock.user_id,
            prefix=application_key_prefix(application.id),
            reason="application deleted",
        )
    await query.answer()
    text, rows = list_view(await _all(context, clock.user_id), pressed.page)
    await edit_message(
        update, t.APP_DELETED.format(what=name) + text, inline_keyboard(rows) if rows else None
    )
    return _finish(context)


async def _set_status(
    update: Update, context: Context, clock: UserClock, details: Details, pressed: Pressed
) -> int:
    """A stage chosen: interviews and screens ask when; the rest are recorded today."""
    query = update.callback_query
    assert query is not None
    if pressed.arg not in _STATUS_VALUES:
        await query.answer(t.OLD_CARD)
        return _finish(context)
    status = Status(pressed.arg)
    if status in INTERVIEW_STAGES:
        await answer_button(update)
        return await _ask_event_day(update, context, details.application, pressed, status)
    await _record(context, clock, details.application.id, status, clock.today, None)
    await query.answer(t.APP_MOVED.format(status=t.STATUS_NAMES[status]))
    state = await _refresh(update, context, clock, pressed, edit=True)
    cheer = _cheer(status)
    if cheer:
        await reply(update, cheer)
    return state


def _cheer(status: Status) -> str:
    """A word after moving to rejected, offer or accepted (read now: translated)."""
    cheers = {
        Status.REJECTED: t.AFTER_REJECTED,
        Status.OFFER: t.AFTER_OFFER,
        Status.ACCEPTED: t.AFTER_ACCEPTED,
    }
    return cheers.get(status, "").strip()


async def _ask_note(
    update: Update, context: Context, clock: UserClock, details: Details, pressed: Pressed
) -> int:
    """Ask for the note."""
    await answer_button(update)
    _remember(context, pressed)
    application = details.application
    await reply(update, t.APP_ASK_NOTE.format(what=what(application.company, application.role)))
    return NOTE


async def _ask_contact_name(
    update: Update, context: Context, clock: UserClock, details: Details, pressed: Pressed
) -> int:
    """Recruiter or referral chosen: ask the name."""
    kind = _CONTACT_KINDS.get(pressed.arg)
    if kind is None:
        query = update.callback_query
        assert query is not None
        await query.answer(t.OLD_CARD)
        return _finish(context)
    await answer_button(update)
    _remember(context, pressed, kind=kind)
    await reply(update, t.APP_ASK_CONTACT_NAME.format(kind=t.CONTACT_KINDS[kind]))
    return CONTACT_NAME


_ACTIONS = {
    "o": _open,
    "s": _pick_status,
    "S": _set_status,
    "n": _ask_note,
    "k": _pick_contact,
    "K": _ask_contact_name,
    "d": _confirm_delete,
    "D": _delete,
}


def _remember(context: Context, pressed: Pressed, **extra: str) -> None:
    """Which application the next typed answer is for."""
    enter_flow(context, FLOW)
    context.draft[_DRAFT_KEY] = {"id": pressed.application_id, "page": pressed.page, **extra}


async def _ask_event_day(
    update: Update, context: Context, application: Application, pressed: Pressed, status: Status
) -> int:
    """Ask when the interview or screen is, with Today and Tomorrow buttons."""
    _remember(context, pressed, status=status.value)
    text = t.APP_ASK_EVENT_DAY.format(
        event=t.EVENT_NAMES[status], company=escape(application.company)
    )
    quick = [(t.TODAY, "0"), (t.TOMORROW, "1")]
    buttons = [
        (label, apps_data("T", application.id, pressed.page, f"{status.value}:{n}"))
        for label, n in quick
    ]
    await reply(update, text, inline_keyboard([buttons]))
    return EVENT_DAY


async def _record(
    context: Context,
    clock: UserClock,
    application_id: int,
    status: Status,
    day: date,
    moment: time | None,
) -> Application | None:
    """Move the user's application to a stage (history, nudges and reminders follow)."""
    async with context.sessions.begin() as session:
        application = await ApplicationRepository(session).get(
            user_id=clock.user_id, application_id=application_id
        )
        if application is None:
            return None
        await record_status(
            session,
            application=application,
            status=status,
            on=day,
            event_time=moment,
            timing=clock.timing,
            now=clock.now,
        )
    return application


async def _refresh(
    update: Update,
    context: Context,
    clock: UserClock,
    pressed: Pressed,
    *,
    edit: bool,
    prefix: str = "",
) -> int:
    """The card again, after a change: in place, or as a new message."""
    if not edit:
        return await _send_card(update, context, clock, pressed, prefix)
    details = await _details(context, clock.user_id, pressed.application_id)
    if details is not None:
        text = prefix + card_text(details, clock)
        await edit_message(
            update, text, inline_keyboard(card_buttons(pressed.application_id, pressed.page))
        )
    return _finish(context)


# --- typed answers ------------------------------------------------------------------------------


def _waiting(context: Context) -> Pressed | None:
    """The application a typed answer is for (None if no /apps question is open)."""
    draft = context.draft.get(_DRAFT_KEY)
    if not in_flow(context, FLOW) or not isinstance(draft, dict):
        return None
    return Pressed("", int(draft["id"]), int(draft.get("page", 0)), str(draft.get("status") or ""))


def _typed(update: Update) -> str:
    """The text of the message, trimmed."""
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text.strip()


async def note_answer(update: Update, context: Context) -> int:
    """Save the note on the application, then show its card."""
    pressed = _waiting(context)
    if pressed is None:
        return await hand_on(update, context)
    text = _typed(update)
    if len(text) > NOTE_LIMIT:
        await reply(update, t.ANSWER_TOO_LONG.format(limit=NOTE_LIMIT))
        return NOTE
    clock = await user_clock(update, context)
    await _add_note(context, clock, pressed, kind="note", text=text)
    return await _send_card(update, context, clock, pressed, t.APP_NOTE_SAVED + "\n\n")


async def contact_name_answer(update: Update, context: Context) -> int:
    """The contact's name: then how to reach them."""
    pressed = _waiting(context)
    if pressed is None:
        return await hand_on(update, context)
    text = _typed(update)
    if len(text) > MAX_NAME:
        await reply(update, t.ANSWER_TOO_LONG.format(limit=MAX_NAME))
        return CONTACT_NAME
    context.draft[_DRAFT_KEY]["name"] = text
    await reply(update, t.APP_ASK_CONTACT_REACH.format(name=escape(text)))
    return CONTACT_REACH


async def contact_reach_answer(update: Update, context: Context) -> int:
    """How to reach the contact: save the contact, show the card."""
    return await _save_contact(update, context, reach=_typed(update))


async def contact_reach_skip(update: Update, context: Context) -> int:
    """/skip: a contact without a way to reach them."""
    return await _save_contact(update, context, reach=None)


async def _save_contact(update: Update, context: Context, reach: str | None) -> int:
    """Store the contact on the application, then show its card."""
    pressed = _waiting(context)
    if pressed is None:
        return await hand_on(update, context)
    if reach is not None and len(reach) > MAX_NAME:
        await reply(update, t.ANSWER_TOO_LONG.format(limit=MAX_NAME))
        return CONTACT_REACH
    draft = context.draft[_DRAFT_KEY]
    clock = await user_clock(update, context)
    await _add_note(
        context,
        clock,
        pressed,
        kind=str(draft.get("kind")),
        text=str(draft.get("name")),
        reach=reach,
    )
    return await _send_card(update, context, clock, pressed, t.APP_CONTACT_SAVED + "\n\n")


async def _add_note(
    context: Context,
    clock: UserClock,
    pressed: Pressed,
    *,
    kind: str,
    text: str,
    reach: str | None = None,
) -> None:
    """Add a note or contact to the user's application (nothing if it is gone)."""
    async with context.sessions.begin() as session:
        repository = ApplicationRepository(session)
        application = await repository.get(
            user_id=clock.user_id, application_id=pressed.application_id
        )
        if application is not None:
            await repository.add_note(
                application=application, kind=kind, text=text, reach=reach, now=clock.now
            )


async def event_day_answer(update: Update, context: Context) -> int:
    """When the interview is: record the stage with it (the reminder follows), show the card."""
    pressed = _waiting(context)
    if pressed is None:
        return await hand_on(update, context)
    text = _typed(update)
    clock = await user_clock(update, context)
    read = read_day(text, local_now=clock.local, future=True)
    if read is None:
        await reply(update, t.DAY_NOT_UNDERSTOOD.format(text=escape(text[:60])))
        return EVENT_DAY
    return await _record_event(update, context, clock, pressed, *read)


async def event_day_skip(update: Update, context: Context) -> int:
    """/skip: the stage from today, no date for the interview yet."""
    pressed = _waiting(context)
    if pressed is None:
        return await hand_on(update, context)
    clock = await user_clock(update, context)
    return await _record_event(update, context, clock, pressed, clock.today, None)


async def event_day_button(update: Update, context: Context) -> int | None:
    """Today or tomorrow, tapped under the date question."""
    query = update.callback_query
    assert query is not None and query.data is not None
    pressed = parse_pressed(query.data)
    clock = await user_clock(update, context)
    status, _, offset = (pressed.arg if pressed else "").partition(":")
    if pressed is None or status not in _STATUS_VALUES or offset not in {"0", "1"}:
        await query.answer(t.OLD_CARD)
        return None
    if await _details(context, clock.user_id, pressed.application_id) is None:
        await query.answer(t.NOT_YOURS)
        return None
    await answer_button(update)
    day = clock.today + timedelta(days=int(offset))
    return await _record_event(
        update, context, clock, Pressed("", pressed.application_id, pressed.page, status), day, None
    )


async def _record_event(
    update: Update,
    context: Context,
    clock: UserClock,
    pressed: Pressed,
    day: date,
    moment: time | None,
) -> int:
    """Record the interview stage on its day (the reminder follows), show the card."""
    status = Status(pressed.arg) if pressed.arg in _STATUS_VALUES else Status.INTERVIEW
    application = await _record(context, clock, pressed.application_id, status, day, moment)
    prefix = ""
    if application is not None and reminder_ahead(application, clock):
        prefix = t.AFTER_REMINDER.strip() + "\n\n"
    return await _send_card(update, context, clock, pressed, prefix)


async def words_needed(update: Update, context: Context) -> int | None:
    """/skip where a few words are needed."""
    if _waiting(context) is None:
        return await hand_on(update, context)
    await reply(update, texts.QUESTION_REQUIRED)
    return None


def build_apps_conversation() -> ConversationHandler[Context]:
    """/apps and its buttons; only typed answers hold a state."""
    text = filters.TEXT & ~filters.COMMAND
    day_buttons: BaseHandler[Update, Context, object] = CallbackQueryHandler(
        event_day_button, pattern=r"^ap:T:"
    )
    states: dict[object, list[BaseHandler[Update, Context, object]]] = {
        NOTE: [MessageHandler(text, note_answer), CommandHandler("skip", words_needed)],
        CONTACT_NAME: [
            MessageHandler(text, contact_name_answer),
            CommandHandler("skip", words_needed),
        ],
        CONTACT_REACH: [
            MessageHandler(text, contact_reach_answer),
            CommandHandler("skip", contact_reach_skip),
        ],
        EVENT_DAY: [MessageHandler(text, event_day_answer), CommandHandler("skip", event_day_skip)],
    }
    return ConversationHandler(
        entry_points=[
            CommandHandler(FLOW, apps_command),
            day_buttons,
            CallbackQueryHandler(apps_button, pattern=r"^ap:[a-zA-Z]:"),
        ],
        states=states,
        fallbacks=flow_fallbacks(FLOW),
        name=FLOW,
        persistent=True,
        # The list and the cards' buttons work at any time, also while a question is open.
        allow_reentry=True,
    )
