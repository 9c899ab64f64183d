"""Pieces every flow shares: replying, keyboards, /cancel, switching flows, stray input."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from contextvars import ContextVar
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram import User as TelegramUser
from telegram.error import BadRequest
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import locale_format, texts
from bot.context import Context
from bot.i18n import resolve_language
from bot.presses import RecentPresses
from bot.update_journal import is_replay
from storage.models import User
from storage.repositories.users import UserRepository

END = ConversationHandler.END
# Commands that open a flow: sent in the middle of another flow, they switch to it.
FLOW_COMMANDS: tuple[str, ...] = (
    "start",
    "settings",
    "checkin",
    "why",
    "target",
    "gaps",
    "plan",
    "team",
    "pitch",
    "applied",
    "apps",
)
_FLOW_KEY = "flow"

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove

Button = tuple[str, str]  # (label, callback data)


async def ensure_user(session: AsyncSession, tg_user: TelegramUser) -> User:
    """The stored user for a Telegram user, created or refreshed from their profile."""
    return await UserRepository(session).ensure(
        user_id=tg_user.id,
        first_name=tg_user.first_name,
        last_name=tg_user.last_name,
        username=tg_user.username,
        # Kept in step with Telegram's language until the user picks one in /settings.
        language=resolve_language(tg_user.language_code),
    )


async def current_user(update: Update, context: Context) -> User:
    """The stored user behind this update (in a transaction of its own)."""
    tg_user = update.effective_user
    assert tg_user is not None, "every flow update has a user"
    async with context.sessions.begin() as session:
        return await ensure_user(session, tg_user)


def escape(text: str) -> str:
    """Make user-provided text safe inside an HTML message."""
    return html.escape(text, quote=False)


def long_date(day: date) -> str:
    """ "Sunday 23 May 2027", in the user's language."""
    return locale_format.long_date(day)


def short_date(day: date) -> str:
    """ "23 May", in the user's language."""
    return locale_format.short_date(day)


def button_rows(buttons: Sequence[Button], columns: int) -> list[list[Button]]:
    """Lay buttons out `columns` to a row."""
    return [list(buttons[i : i + columns]) for i in range(0, len(buttons), columns)]


def inline_keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def reply(update: Update, text: str, markup: ReplyMarkup | None = None) -> Message:
    """Send `text` to the chat the update came from."""
    chat = update.effective_chat
    assert chat is not None, "replies need a chat"
    return await chat.send_message(text, reply_markup=markup)


def _pressed_label(message: Message, data: str) -> str | None:
    markup = message.reply_markup
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


async def answer_button(update: Update) -> str:
    """Acknowledge a button press, replace its keyboard by the choice made, return its data.

    A press whose button is not on the message (forged, or from a client showing a keyboard
    that has since changed) is only acknowledged: the message and whatever buttons it
    has now stay as they are. A press that finds the message already showing its choice
    (the second of a double tap the bot no longer remembers) ends there: nothing is done
    twice — unless it is being replayed after a crash."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    message = query.message
    if isinstance(message, Message) and message.text_html:
        label = _pressed_label(message, query.data)
        if label is not None:
            chosen = f"\n\n→ {escape(label)}" if label else ""
            edited = await edit_in_place(update, message.text_html + chosen, None)
            # Replayed after a crash, the press may find its own edit done by the first
            # attempt, which then died before the rest: the rest must happen now.
            if not edited and not is_replay():
                raise ApplicationHandlerStop
    return query.data


def is_not_modified(error: BadRequest) -> bool:
    """Telegram's answer to an edit that would leave the message exactly as it is."""
    return "message is not modified" in error.message.casefold()


_TAG = re.compile(r"<[^>]*>")


def _shows_already(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Does the pressed message, as the press shows it, already read `text` (HTML) with these
    buttons? Telegram refuses an edit that changes nothing. (Formatting alone is not
    compared: no edit changes only that.)"""
    shown = message.reply_markup
    if (shown.inline_keyboard if shown else ()) != (markup.inline_keyboard if markup else ()):
        return False
    plain = html.unescape(_TAG.sub("", text))
    return plain.strip() == (message.text or "").strip()


async def edit_in_place(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Edit the message whose button was pressed; False when it already reads exactly so (a
    page that did not change, an older copy of a question): there is nothing to do then,
    and Telegram would refuse the edit. Every edit of a pressed message goes through here,
    so that the second press of a double tap is recognised (handlers/guards.py)."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if isinstance(message, Message) and _shows_already(message, text, markup):
        return False
    try:
        edited = await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        # Changed since the press was made (by a press the bot no longer remembers).
        if not is_not_modified(error):
            raise
        _note_edit(update, None)
        return False
    _note_edit(update, edited)
    return True


# --- the second press of a double tap ------------------------------------------------------

# The press being handled (its update) and the presses remembered, for edit_in_place.
_PRESS: ContextVar[tuple[int, RecentPresses] | None] = ContextVar("press", default=None)
_UNKNOWN_VIEW = ""  # changed to something: no press shows this


def shown_view(message: Message) -> str:
    """What the message shows: its text and its buttons."""
    markup = message.reply_markup
    buttons = [
        [(button.text, button.callback_data, button.url) for button in row]
        for row in (markup.inline_keyboard if markup else ())
    ]
    return repr((message.text or message.caption or "", buttons))


def watch_press(update: Update, presses: RecentPresses) -> None:
    """While `update` (a press) is handled, edits of its message are noted in `presses`."""
    _PRESS.set((update.update_id, presses))


def _note_edit(update: Update, edited: object) -> None:
    press = _PRESS.get()
    query = update.callback_query
    if press is None or press[0] != update.update_id or query is None:
        return
    message = query.message
    if isinstance(message, Message):
        view = shown_view(edited) if isinstance(edited, Message) else _UNKNOWN_VIEW
        press[1].shown((message.chat.id, message.message_id), view)


async def edit_or_reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None, *, toast: str | None = None
) -> None:
    """Edit the message whose button was pressed (with an optional toast), or send a new one."""
    query = update.callback_query
    if query is not None:
        await query.answer(toast)
        await edit_in_place(update, text, markup)
    else:
        await reply(update, text, markup)


def enter_flow(context: Context, name: str) -> None:
    context.draft[_FLOW_KEY] = name


def current_flow(context: Context) -> str | None:
    flow = context.user_data.get(_FLOW_KEY) if context.user_data is not None else None
    return flow if isinstance(flow, str) else None


def end_flow(context: Context) -> int:
    if context.user_data is not None:
        context.user_data.pop(_FLOW_KEY, None)
    return END


async def cancel(update: Update, context: Context) -> int:
    """Leave the current flow; every answer already given stays saved."""
    end_flow(context)
    await reply(update, texts.CANCELLED, ReplyKeyboardRemove())
    return END


def handle_again(update: Update, context: Context) -> None:
    """Queue `update` to be handled afresh once this handling is over (by the flow its
    command opens). It is journaled already: `put` would take it for Telegram delivering
    it a second time and drop it, so it goes straight into the queue."""
    context.application.update_queue.put_nowait(update)


async def switch_flow(update: Update, context: Context) -> int:
    """End this flow and hand the command to the flow it opens."""
    end_flow(context)
    # Queued, not processed here: the new flow must see this conversation already ended.
    handle_again(update, context)
    return END


def _which_flow(context: Context) -> str:
    """ "(We're in the middle of your gap audit.)": stray input may come from someone who
    forgot an open question days ago."""
    flow = current_flow(context)
    return (
        texts.WAITING_IN_FLOW.format(flow=texts.FLOW_NAMES[flow])
        if flow in texts.FLOW_NAMES
        else ""
    )


async def pick_a_button(update: Update, context: Context) -> None:
    """Stray input while the flow waits for a button press: say what is expected."""
    await reply(update, texts.PICK_A_BUTTON + _which_flow(context))


async def answer_above(update: Update, context: Context) -> None:
    """Input the current question cannot use (a sticker, a photo): ask again, kindly."""
    await reply(update, texts.ANSWER_ABOVE + _which_flow(context))


def flow_fallbacks(own_command: str) -> list[BaseHandler[Update, Context, object]]:
    """/cancel, another flow's command, and a polite answer to anything unexpected."""
    others = [command for command in FLOW_COMMANDS if command != own_command]
    pattern = re.compile(rf"^/({'|'.join(others)})(@\w+)?(\s|$)", re.IGNORECASE)
    return [
        CommandHandler("cancel", cancel),
        MessageHandler(filters.COMMAND & filters.Regex(pattern), switch_flow),
        MessageHandler(filters.ALL & ~filters.COMMAND, answer_above),
    ]
