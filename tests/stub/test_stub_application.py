"""A real PTB Application polling the stub: echo, commands and an inline-button round trip."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from botapi_stub import BotApiStub

USER_ID = 1001


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Let's go", callback_data="go")]])
    await update.effective_message.reply_html("<b>Welcome!</b> Ready?", reply_markup=markup)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Great")
    await query.edit_message_text("Let's start with your current role.")


@pytest.fixture
async def app(stub: BotApiStub) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token("123:ABC")
        .base_url(stub.base_url)
        .base_file_url(stub.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(pressed))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def test_application_echo_round_trip(app: Application, stub: BotApiStub) -> None:  # type: ignore[type-arg]
    stub.user(USER_ID, first_name="Ada")
    started = time.monotonic()
    stub.send_text(USER_ID, "I want to become a data analyst")
    await stub.wait_for(lambda: len(stub.messages(USER_ID)) == 1, timeout=3.0)
    assert time.monotonic() - started < 1.0
    assert stub.messages(USER_ID)[0].text == "echo: I want to become a data analyst"
    assert stub.transcript(USER_ID) == [
        "user: I want to become a data analyst",
        "bot: echo: I want to become a data analyst",
    ]
    assert stub.rejected_calls == []


async def test_application_command_and_button_round_trip(
    app: Application,  # type: ignore[type-arg]
    stub: BotApiStub,
) -> None:
    stub.user(USER_ID, first_name="Ada")
    stub.send_text(USER_ID, "/start")
    await stub.wait_for(lambda: len(stub.messages(USER_ID)) == 1, timeout=3.0)
    welcome = stub.messages(USER_ID)[0]
    assert welcome.text == "Welcome! Ready?"
    stub.press(USER_ID, welcome.message_id, "go")
    await stub.wait_for(lambda: welcome.edit_count == 1, timeout=3.0)
    assert welcome.text == "Let's start with your current role."
    assert welcome.reply_markup is None  # edit without reply_markup removes the keyboard
    assert stub.transcript(USER_ID) == [
        "user: /start",
        "bot: Welcome! Ready?  [Let's go]",
        "user pressed [Let's go]",
        "bot (toast): Great",
        "bot edited: Let's start with your current role.",
    ]
    assert stub.rejected_calls == []


async def test_application_stop_confirms_all_updates(stub: BotApiStub) -> None:
    application = ApplicationBuilder().token("123:ABC").base_url(stub.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    stub.user(USER_ID)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    stub.send_text(USER_ID, "ping")
    await stub.wait_for(lambda: len(stub.messages(USER_ID)) == 1, timeout=3.0)
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    assert stub.pending_updates() == 0
    methods = {call.method for call in stub.calls}
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage"} <= methods
    assert all(call.ok for call in stub.calls if call.method != "getUpdates")
