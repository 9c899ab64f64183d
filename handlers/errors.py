"""The one error handler: log first, then a short, calm word to the user."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot import texts
from bot.context import Context
from storage.repositories.users import UserRepository

logger = logging.getLogger(__name__)


async def handle_error(update: object, context: Context) -> None:
    """Log the failure with its traceback; tell the user their saved answers are safe."""
    blocked = isinstance(context.error, Forbidden)
    if blocked:
        logger.warning("Telegram refused a message (%s): marking the user inactive", context.error)
    else:
        logger.error("Error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if blocked and update.effective_user is not None:
        # The user blocked the bot: stop writing to them until they write again.
        async with context.sessions.begin() as session:
            await UserRepository(session).mark_inactive(user_id=update.effective_user.id)
        context.services.known_users.discard(update.effective_user.id)
        return
    try:
        await update.effective_chat.send_message(texts.ERROR)
    except TelegramError:
        logger.warning("Could not tell the user about the error", exc_info=True)
