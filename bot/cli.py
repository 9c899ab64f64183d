"""`careercoach`: run (polling), webhook, chat (offline) and migrate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from urllib.parse import urlsplit

from telegram import Update

from bot import texts
from bot.config import Mode, Settings, SettingsError, load_settings
from bot.logging_setup import configure_logging
from storage.migrate import upgrade_database

logger = logging.getLogger("careercoach")

EXIT_CONFIG_ERROR = 2


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
    _migrate(settings)
    application = build_application(settings, token=token)
    if not webhook:
        logger.info("Starting in polling mode")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
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
    configure_logging(settings.log_level, secrets=[settings.token or ""])
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
    _run(settings, webhook=webhook)
    return 0


if __name__ == "__main__":
    sys.exit(main())
