"""Checks that run before any flow: the allow-list, first contact, over-long input and
double taps."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.context import Context
from bot.i18n import resolve_language, set_language
from handlers.common import ensure_user, reply, shown_view, watch_press
from scheduler.planning import reschedule_checkins
from storage.repositories.users import UserRepository

# Telegram itself never delivers more; anything longer is not a real user message.
MAX_MESSAGE_LENGTH = 4096


async def enforce_allow_list(update: Update, context: Context) -> None:
    """Stop every update from outside a private chat (the coach talks to one person at a
    time: a group or channel it was added to gets no answer, and nobody there is stored),
    and, when ALLOWED_USER_IDS is set, every update from anyone else: a new message or a
    button press gets a polite refusal, any other kind of update nothing."""
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        raise ApplicationHandlerStop
    allowed = context.settings.allowed_user_ids
    user = update.effective_user
    if not allowed or (user is not None and user.id in allowed):
        return
    if update.callback_query is not None:
        await update.callback_query.answer(texts.NOT_ALLOWED, show_alert=True)
    elif update.message is not None:
        await reply(update, texts.NOT_ALLOWED)
    raise ApplicationHandlerStop


async def register_user(update: Update, context: Context) -> None:
    """Create the user on first contact; a user who had blocked the bot is active again."""
    tg_user = update.effective_user
    if tg_user is None:
        return
    if tg_user.id in context.services.known_users:
        await _follow_telegram_language(context, tg_user.id, tg_user.language_code)
        return
    async with context.sessions.begin() as session:
        users = UserRepository(session)
        before = await users.get(tg_user.id)
        was_inactive = before is not None and not before.active
        user = await ensure_user(session, tg_user)
        context.services.languages[tg_user.id] = (user.language, user.language_chosen)
        if user.language_chosen:
            # First update since start-up: the choice wins over Telegram's language.
            set_language(user.language)
        if was_inactive:
            # Their prompts were cancelled when they blocked the bot: the rhythm resumes.
            await reschedule_checkins(
                session,
                user_id=tg_user.id,
                now=context.now(),
                default_zone=context.settings.default_timezone,
            )
    context.services.known_users.add(tg_user.id)


async def _follow_telegram_language(context: Context, user_id: int, code: str | None) -> None:
    """Store a new Telegram language of a user who never chose one (rare: one write), so
    scheduled prompts speak what the chat speaks."""
    stored, chosen = context.services.languages.get(user_id, (None, True))
    language = resolve_language(code)
    if chosen or language is None or language == stored:
        return
    async with context.sessions.begin() as session:
        await UserRepository(session).follow_language(user_id=user_id, language=language)
    context.services.languages[user_id] = (language, False)


async def refuse_overlong(update: Update, context: Context) -> None:
    """Answer a message over Telegram's own limit instead of passing it to a flow."""
    message = update.effective_message
    text = message.text if message is not None else None
    if text is not None and len(text) > MAX_MESSAGE_LENGTH:
        await reply(update, texts.TOO_LONG.format(length=len(text), limit=MAX_MESSAGE_LENGTH))
        raise ApplicationHandlerStop


async def answer_edit(update: Update, context: Context) -> None:
    """An edited message is not read as an answer (an old "Paris" edited now would answer
    whatever question is open); the user is told so, and nothing else happens."""
    message = update.edited_message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        await message.reply_text(texts.EDITED_MESSAGE)
    raise ApplicationHandlerStop


async def drop_double_tap(update: Update, context: Context) -> None:
    """The second tap of a double tap (the same button, on the message as it was before the
    first tap changed it) is answered like a button of an earlier message, and nothing else
    happens: the first tap did it all, once (bot/presses.py)."""
    query = update.callback_query
    message = query.message if query is not None else None
    user = update.effective_user
    if query is None or not isinstance(message, Message) or user is None:
        return
    if user.id not in context.services.known_users:
        # Not registered yet since start-up, or just erased by the first tap (/delete_me):
        # the flow's own check answers, and leaves nothing behind.
        return
    presses = context.services.recent_presses
    key, button, view = (message.chat.id, message.message_id), query.data or "", shown_view(message)
    if presses.is_repeat(key, button, view):
        await query.answer(texts.STALE_BUTTON)
        raise ApplicationHandlerStop
    presses.pressed(key, button, view)
    watch_press(update, presses)
