"""/delete_me: ask first; on "yes" every row and every bit of PTB memory about the user goes,
old or repeated presses change nothing, and /start afterwards meets a brand-new user."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import ConversationHandler

from bot.context import CoachApplication
from bot.texts import privacy as t
from botapi_stub import ApiCall
from storage.models import User
from storage.repositories.prompts import PromptRepository
from storage.repositories.ptb_state import PtbStateRepository
from storage.repositories.user_data import UserDataRepository
from tests.harness import BotHarness, ChatUser, bot_harness
from tests.storage.test_user_data_repository import (
    rows_mentioning,
    seed_every_table,
    tables_holding,
    tables_with_user_columns,
)

PTB_TABLES = {"ptb_user_data", "ptb_chat_data", "ptb_conversations"}
# Rows every update leaves for a while (its id, to recognise a re-delivery), whatever it says.
JOURNAL = "inbound_updates"


def _app(harness: BotHarness) -> CoachApplication:
    assert harness.application is not None
    return harness.application


def _sessions(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    return _app(harness).services.sessions


async def _seed(harness: BotHarness, user: ChatUser) -> None:
    """Data in every table but PTB's, which the running bot writes itself."""
    await seed_every_table(_sessions(harness), user.user_id, now=harness.clock.now, ptb_rows=False)


async def _rows(harness: BotHarness, user_id: int) -> list[str]:
    async with _sessions(harness)() as session:
        return sorted(await rows_mentioning(session, user_id))


async def _data_rows(harness: BotHarness, user: ChatUser) -> list[str]:
    """The user's rows outside PTB's tables and the update journal, once the bot is idle.
    (PTB's rows follow the question's token in user_data, written just after each reply.)"""
    await user.settle()
    return [
        row for row in await _rows(harness, user.user_id) if not row.startswith(("ptb_", JOURNAL))
    ]


def _conversation_keys(application: CoachApplication, user_id: int) -> list[object]:
    return [
        (handler.name, key)
        for handlers in application.handlers.values()
        for handler in handlers
        if isinstance(handler, ConversationHandler)
        for key in handler._conversations
        if user_id in key
    ]


def _button_data(harness: BotHarness, user: ChatUser, message_id: int, label: str) -> str:
    message = next(m for m in harness.stub.messages(user.user_id) if m.message_id == message_id)
    return next(
        str(button["callback_data"])
        for row in message.inline_keyboard
        for button in row
        if button["text"] == label
    )


def _remembered(application: CoachApplication, user_id: int) -> list[str]:
    """What PTB and the services still hold in memory about the user."""
    held = [
        name
        for name, present in (
            ("user_data", user_id in application.user_data),
            ("chat_data", user_id in application.chat_data),
            ("known_users", user_id in application.services.known_users),
        )
        if present
    ]
    return held + [str(key) for key in _conversation_keys(application, user_id)]


async def _mid_settings_with_chat_data(harness: BotHarness, user: ChatUser) -> None:
    """Leave the user half-way through /settings (a draft in user_data, a conversation
    state) with something in their chat_data, all written to the database."""
    await user.send("/settings")
    await user.expect("Your settings")
    await user.press("Check-in day")
    await user.press("Thu")
    await user.expect("what time on Thursday")
    await user.settle()  # the bot has finished with the press, persistence included
    application = _app(harness)
    application.chat_data[user.user_id]["note"] = "kept in memory"
    application.mark_data_for_update_persistence(chat_ids=user.user_id)
    await application.update_persistence()
    async with _sessions(harness)() as session:
        state = PtbStateRepository(session)
        assert await state.user_data(user.user_id) == {"flow": "settings", "checkin_day": 3}
        assert await state.chat_data(user.user_id) == {"note": "kept in memory"}
        assert (user.user_id, user.user_id) in await state.conversations("settings")


@pytest.fixture
async def stopped_harness(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[BotHarness]:
    """A harness on SQLite or PostgreSQL; the test starts (and restarts) the bot itself."""
    caplog.set_level(logging.WARNING)
    async with bot_harness(database_url) as started:
        yield started
        rejected = [(c.method, c.description) for c in started.stub.rejected_calls]
    assert rejected == [], f"the bot made calls Telegram would reject: {rejected}"
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], errors


async def test_delete_me_erases_every_row_and_what_ptb_remembers(
    stopped_harness: BotHarness,
) -> None:
    harness = stopped_harness
    async with harness.running():
        ada = await harness.onboard("Ada", "Paris")
        bob = await harness.onboard("Bob", "Lima")
        await _seed(harness, ada)
        await _seed(harness, bob)
        await _mid_settings_with_chat_data(harness, ada)
        async with _sessions(harness)() as session:
            assert await tables_holding(session, ada.user_id) >= tables_with_user_columns()
        bob_before = await _rows(harness, bob.user_id)
        assert _remembered(_app(harness), ada.user_id) != []

        await ada.send("/delete_me")
        question = await ada.expect("Delete everything about you?")
        assert question.buttons == [t.DELETE_YES, t.DELETE_NO]
        await ada.press("Yes, delete everything")
        done = await ada.expect("I've forgotten everything")
        assert done.buttons == []

        assert await _rows(harness, ada.user_id) == []
        assert _remembered(_app(harness), ada.user_id) == []
        assert await _rows(harness, bob.user_id) == bob_before
        await bob.send("/settings")  # another update: nothing of Ada's is written back
        await bob.expect("Your settings")
        assert await _rows(harness, ada.user_id) == []

    # A new process loads nothing of Ada's, and her half-finished /settings is gone.
    async with harness.running():
        assert _remembered(_app(harness), ada.user_id) == []
        await ada.send("8am")
        reply = await ada.expect("")
        assert "every Thursday" not in reply.text
        await ada.settle()


async def test_after_delete_me_start_meets_a_brand_new_user(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Tokyo")
    await _seed(harness, ada)
    await ada.send("/delete_me")
    await ada.press("Yes, delete everything")
    await ada.expect("I've forgotten everything")
    await ada.send("/start")
    await ada.expect("Hi Ada!", "where are you")
    async with _sessions(harness)() as session:
        user = await session.get(User, ada.user_id)
        assert user is not None and user.timezone is None
        # Only what /start itself keeps: the new profile, where the flow stands, and the
        # ids of the updates since the erase.
        assert await tables_holding(session, ada.user_id) <= {"users", JOURNAL, *PTB_TABLES}
    await ada.send("Lisbon")
    await ada.press("Yes")
    await ada.expect("time zone is saved")
    await ada.send("/export")
    await ada.expect("Here's everything")
    await harness.stub.wait_for(
        lambda: any(m.kind == "document" for m in harness.stub.messages(ada.user_id))
    )


async def test_no_keep_it_deletes_nothing(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    await _seed(harness, ada)
    before = await _data_rows(harness, ada)
    await ada.send("/delete_me")
    await ada.press("No, keep it")
    kept = await ada.expect("nothing was deleted")
    assert kept.buttons == []
    assert await _data_rows(harness, ada) == before


async def test_double_press_of_yes_erases_once_and_brings_nothing_back(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard("Ada", "Paris")
    await _seed(harness, ada)
    await ada.send("/delete_me")
    question = await ada.expect("Delete everything about you?")
    yes = _button_data(harness, ada, question.message_id, t.DELETE_YES)
    # Two taps before the bot has answered the first: both reach it.
    harness.stub.press(ada.user_id, question.message_id, yes)
    harness.stub.press(ada.user_id, question.message_id, yes)
    await ada.expect("I've forgotten everything")
    await ada.expect_alert(t.DELETE_ALREADY_DONE)
    await ada.settle()
    assert await _rows(harness, ada.user_id) == []
    assert _remembered(_app(harness), ada.user_id) == []


async def test_double_press_of_no_keeps_everything(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    await _seed(harness, ada)
    await ada.send("/delete_me")
    question = await ada.expect("Delete everything about you?")
    before = await _data_rows(harness, ada)
    no = _button_data(harness, ada, question.message_id, t.DELETE_NO)
    harness.stub.press(ada.user_id, question.message_id, no)
    harness.stub.press(ada.user_id, question.message_id, no)
    await ada.expect("nothing was deleted")
    await ada.expect_alert("earlier message")  # the second tap changes nothing
    assert await _data_rows(harness, ada) == before


async def test_an_older_question_cannot_delete_anything(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    await _seed(harness, ada)
    await ada.send("/delete_me")
    older = await ada.expect("Delete everything about you?")
    await ada.send("/delete_me")
    await ada.expect("Delete everything about you?")
    before = await _data_rows(harness, ada)
    await ada.press("Yes, delete everything", message_id=older.message_id)
    await ada.expect_alert("expired")
    assert await _data_rows(harness, ada) == before
    await ada.press("Yes, delete everything")
    await ada.expect("I've forgotten everything")
    assert await _rows(harness, ada.user_id) == []


async def test_a_forged_or_malformed_delete_button_is_just_a_stale_button(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard("Ada", "Paris")
    await ada.send("/delete_me")
    question = await ada.expect("Delete everything about you?")
    await ada.press_data(question.message_id, "privacy:yes:zzzz")
    await ada.settle()
    assert await _rows(harness, ada.user_id) != []


async def test_delete_while_a_prompt_is_being_sent_records_nothing_for_the_gone_user(
    harness: BotHarness,
) -> None:
    """The dispatcher must not queue the next check-in for a user erased mid-send."""
    ada = await harness.onboard()
    bob = await harness.onboard("Bob")
    erasing: list[asyncio.Task[None]] = []

    async def erase_ada() -> None:
        async with _sessions(harness).begin() as session:
            await UserDataRepository(session).erase(user_id=ada.user_id)

    def on_call(call: ApiCall) -> None:
        if call.method == "sendMessage" and str(call.params.get("chat_id")) == str(ada.user_id):
            erasing.append(asyncio.get_running_loop().create_task(erase_ada()))

    harness.stub.add_listener(on_call)
    harness.clock.now = datetime(2026, 11, 23, 8, 0, 5, tzinfo=UTC)  # Monday 09:00 Paris
    stats = await harness.dispatch()
    await asyncio.gather(*erasing)
    assert len(erasing) == 1 and stats.sent == 2
    async with _sessions(harness)() as session:
        assert await session.get(User, ada.user_id) is None
        bob_prompts = await PromptRepository(session).pending_for_user(bob.user_id)
    # Bob's next check-in was queued as usual, in the same batch.
    assert [p.kind for p in bob_prompts] == ["checkin_reminder", "weekly_checkin"]
