"""Checks that run before any flow: the allow-list, first contact, and over-long input."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.context import Context
from bot.i18n import resolve_language, set_language
from handlers.common import ensure_user, reply
from scheduler.planning import reschedule_checkins
from storage.repositories.users import UserRepository

# Telegram itself never delivers more; anything longer is not a real user message.
MAX_MESSAGE_LENGTH = 4096


async def enforce_allow_list(update: Update, context: Context) -> None:
    """Refuse politely, and stop, when ALLOWED_USER_IDS is set and excludes this user."""
    allowed = context.settings.allowed_user_ids
    user = update.effective_user
    if not allowed or (user is not None and user.id in allowed):
        return
    if update.callback_query is not None:
        await update.callback_query.answer(texts.NOT_ALLOWED, show_alert=True)
    elif update.effective_chat is not None and update.effective_message is not None:
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
