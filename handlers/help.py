"""/help, and the answers to anything no flow is waiting for."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.context import Context
from handlers.common import current_flow, escape, reply


def bot_commands() -> list[BotCommand]:
    """Telegram's command menu, in the current language."""
    return [BotCommand(command, description) for command, description in texts.COMMANDS]


def _in_flow_hint(context: Context) -> str:
    flow = current_flow(context)
    if flow is None:
        return ""
    return texts.IN_FLOW_HINT.format(flow=texts.FLOW_NAMES.get(flow, flow))


async def show_help(update: Update, context: Context) -> None:
    """List every command with one line each."""
    lines = [texts.HELP_HEADER, ""]
    lines += [f"/{command} — {description}" for command, description in texts.COMMANDS]
    await reply(update, "\n".join(lines) + texts.HELP_FOOTER + _in_flow_hint(context))


async def nothing_to_cancel(update: Update, context: Context) -> None:
    """/cancel outside any flow."""
    await reply(update, texts.NOTHING_TO_CANCEL)


async def nothing_to_skip(update: Update, context: Context) -> None:
    """/skip or /back with no question open (the questions suggest both)."""
    await reply(update, texts.NOTHING_TO_SKIP)


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not have."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0][:40]
    await reply(
        update, texts.UNKNOWN_COMMAND.format(command=escape(command)) + _in_flow_hint(context)
    )


async def unknown_text(update: Update, context: Context) -> None:
    """Text that no flow is waiting for."""
    await reply(update, texts.UNKNOWN_TEXT)


async def unsupported_message(update: Update, context: Context) -> None:
    """A sticker, photo, voice note… outside any flow."""
    await reply(update, texts.UNSUPPORTED_MESSAGE)


async def stale_button(update: Update, context: Context) -> None:
    """A button from an old message, or pressed twice: explain instead of doing nothing."""
    query = update.callback_query
    assert query is not None
    await query.answer(texts.STALE_BUTTON, show_alert=False)


def fallback_handlers() -> list[BaseHandler[Update, Context, object]]:
    """Last in line: they answer only what nothing before them took."""
    return [
        CommandHandler("help", show_help),
        CommandHandler("cancel", nothing_to_cancel),
        CommandHandler(["skip", "back"], nothing_to_skip),
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.TEXT, unknown_text),
        CallbackQueryHandler(stale_button),
        MessageHandler(filters.ALL, unsupported_message),
    ]
