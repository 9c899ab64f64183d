"""`careercoach`: run (polling), webhook, chat (offline) and migrate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

from bot import texts
from bot.config import Mode, Settings, SettingsError, load_settings
from bot.leadership import Leadership
from bot.logging_setup import configure_logging
from storage.db import is_sqlite
from storage.migrate import upgrade_database

if TYPE_CHECKING:
    from bot.context import CoachApplication

logger = logging.getLogger("careercoach")

EXIT_STARTUP_ERROR = 1
EXIT_CONFIG_ERROR = 2
TELEGRAM_API = "https://api.telegram.org"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careercoach", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run the bot (polling, or webhook when MODE=webhook)")
    commands.add_parser("webhook", help="run the bot behind a webhook (needs WEBHOOK_URL)")
    commands.add_parser("chat", help="chat with the bot offline, in this terminal")
    commands.add_parser("migrate", help="bring the database schema up to date")
    return parser


def _migrate(settings: Settings) -> None:
    asyncio.run(upgrade_database(settings.database_url))
    # PTB's run_* methods take the current loop; asyncio.run closed the last one.
    asyncio.set_event_loop(asyncio.new_event_loop())


def _run(settings: Settings, *, webhook: bool) -> None:
    from bot.app import build_application

    token = settings.token
    assert token is not None
    if not is_sqlite(settings.database_url):
        # Several instances may share a PostgreSQL database; one is active at a time.
        Leadership(settings.database_url).acquire()
    _migrate(settings)
    application = build_application(settings, token=token)
    loop = asyncio.get_event_loop()
    try:
        _run_application(application, settings, webhook=webhook)
    finally:
        # A start that failed (a refused token, no network) leaves the bot's HTTP sessions
        # open: PTB only shuts down what it finished initialising.
        loop.run_until_complete(application.bot.shutdown())
        loop.close()


def _run_application(application: CoachApplication, settings: Settings, *, webhook: bool) -> None:
    if not webhook:
        logger.info("Starting in polling mode")
        application.run_polling(allowed_updates=Update.ALL_TYPES, close_loop=False)
        return
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    logger.info("Starting in webhook mode on %s:%s", settings.webhook_listen, settings.webhook_port)
    application.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=Update.ALL_TYPES,
        close_loop=False,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def startup_failure(error: Exception, settings: Settings, redact: Callable[[str], str]) -> str:
    """The one line an operator reads when the bot cannot start (or stops on an error):
    what went wrong and which setting to look at; never a secret."""
    if isinstance(error, InvalidToken):
        return (
            "Start-up error: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): "
            "check the token @BotFather gave you"
        )
    reason = _one_line(redact(error.message if isinstance(error, TelegramError) else str(error)))
    if isinstance(error, BadRequest):  # before NetworkError: PTB makes it a subclass
        hint = ": check WEBHOOK_URL" if "webhook" in reason.casefold() else ""
        return f"Start-up error: Telegram refused a request ({reason}){hint}"
    if isinstance(error, NetworkError):  # TimedOut too
        address = urlsplit(settings.telegram_api_base_url or TELEGRAM_API)
        where = address.hostname or "?"
        if address.port is not None:
            where += f":{address.port}"
        setting = " and TELEGRAM_API_BASE_URL" if settings.telegram_api_base_url else ""
        return (
            f"Start-up error: could not reach the Telegram Bot API at {where} ({reason}): "
            f"check the network{setting}"
        )
    if isinstance(error, TelegramError):
        return f"Start-up error: Telegram answered: {reason}"
    return (
        f"Stopped by an unexpected error: {type(error).__name__}: {reason} (details logged above)"
    )


def _chat(settings: Settings) -> None:
    from bot.offline_chat import run_offline_chat

    # The terminal is the chat: only warnings and errors may interrupt it.
    if settings.log_level in ("DEBUG", "INFO"):
        logging.getLogger().setLevel(logging.WARNING)
    asyncio.run(run_offline_chat(settings))


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    command = arguments.command or "run"
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return EXIT_CONFIG_ERROR
    webhook_secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    redact = configure_logging(settings.log_level, secrets=[settings.token or "", webhook_secret])
    if command == "migrate":
        _migrate(settings)
        print("Database is up to date.")
        return 0
    if command == "chat":
        _chat(settings)
        return 0
    webhook = command == "webhook" or settings.mode is Mode.WEBHOOK
    if webhook and (settings.webhook_url is None or settings.webhook_secret is None):
        print(
            "Configuration error: webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET",
            file=sys.stderr,
        )
        return EXIT_CONFIG_ERROR
    if settings.token is None:
        if webhook:
            print(
                "Configuration error: TELEGRAM_BOT_TOKEN is required for webhook mode",
                file=sys.stderr,
            )
            return EXIT_CONFIG_ERROR
        print(texts.OFFLINE_NO_TOKEN)
        _chat(settings)
        return 0
    try:
        _run(settings, webhook=webhook)
    except Exception as error:
        if isinstance(error, TelegramError):  # PTB has logged it; the whole chain for DEBUG
            logger.debug("Start-up failed", exc_info=error)
        else:
            logger.critical("The bot stopped on an unexpected error", exc_info=error)
        print(startup_failure(error, settings, redact), file=sys.stderr)
        return EXIT_STARTUP_ERROR
    return 0


if __name__ == "__main__":
    sys.exit(main())
