"""Telegram may hand an update out twice (a crash before it was confirmed), and a crash may
come between confirming an update and handling it: each is handled exactly once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from telegram import Bot

from storage.db import create_engine, create_session_factory
from storage.models import InboundUpdate
from storage.repositories.inbound_updates import InboundUpdateRepository
from tests.harness import TEST_TOKEN, BotHarness, ChatUser, bot_harness


def _replies_containing(user: ChatUser, fragment: str) -> int:
    messages = user.stub.messages(user.user_id)
    return sum(fragment.casefold() in (m.text or "").casefold() for m in messages)


async def _journal(url: str, update: dict[str, Any], *, user_id: int | None, now: datetime) -> None:
    """What a crash leaves behind: the update journaled, neither handled nor confirmed
    (so Telegram still holds it and delivers it again after the restart)."""
    engine = create_engine(url)
    async with create_session_factory(engine).begin() as session:
        await InboundUpdateRepository(session).record(
            update_id=update["update_id"], user_id=user_id, payload=update, now=now
        )
    await engine.dispose()


async def test_answer_delivered_twice_is_taken_once_and_the_flow_goes_on(
    harness: BotHarness,
) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    city = await ada.send("Lisbon")
    await ada.expect("Is that right?")
    harness.stub.redeliver(city)  # the same update_id again
    await ada.settle()
    await ada.press("Yes")
    await ada.expect("saved")
    assert _replies_containing(ada, "Is that right?") == 1
    assert harness.stub.rejected_calls == []


async def test_command_delivered_twice_is_answered_once(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    help_update = await ada.send("/help")
    await ada.expect("Here's what I can do")
    harness.stub.redeliver(help_update)
    await ada.send("/help")  # a new /help is still answered
    await ada.expect("Here's what I can do")
    await ada.settle()
    assert _replies_containing(ada, "Here's what I can do") == 2


async def test_update_journaled_before_a_crash_is_handled_once_after_the_restart(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'journal.sqlite3'}"
    async with bot_harness(url) as harness:
        ada = harness.user("Ada")
        # The crash: the update reached the journal, was neither handled nor confirmed.
        update = await ada.send("/help")
        await _journal(url, update, user_id=ada.user_id, now=harness.clock())
        engine = create_engine(url)
        async with harness.running():
            await ada.expect("Here's what I can do")
            await ada.settle(quiet=1.0)
        assert _replies_containing(ada, "Here's what I can do") == 1
        async with create_session_factory(engine)() as session:
            row = await session.scalar(
                select(InboundUpdate).where(InboundUpdate.update_id == update["update_id"])
            )
        await engine.dispose()
    assert row is not None and row.processed_at is not None
    assert row.payload is None  # the words are not kept once handled


async def test_unreadable_journal_row_is_skipped_and_the_bot_starts(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'journal.sqlite3'}"
    async with bot_harness(url) as harness:
        await _journal(url, {"update_id": 5, "message": {}}, user_id=None, now=harness.clock())
        engine = create_engine(url)
        async with harness.running():
            ada = harness.user("Ada")
            await ada.send("/help")
            await ada.expect("Here's what I can do")
        async with create_session_factory(engine)() as session:
            assert await InboundUpdateRepository(session).unprocessed() == []
        await engine.dispose()


async def test_press_replayed_after_a_crash_mid_handler_goes_on_though_its_edit_was_done(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'journal.sqlite3'}"
    async with bot_harness(url) as harness:
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/start")
            await ada.expect("where are you")
            await ada.send("Lisbon")
            question = await ada.expect("Is that right?")
        asked = next(
            c
            for c in harness.stub.calls
            if c.method == "sendMessage" and "Is that right" in str(c.params.get("text"))
        )
        # The crash: the press was journaled and its keyboard already replaced by the
        # choice, then the process died before the reply and before marking it handled.
        press = harness.stub.press(ada.user_id, question.message_id, "tz:yes")
        async with Bot(TEST_TOKEN, base_url=harness.stub.base_url) as bot:
            await bot.edit_message_text(
                f"{asked.params['text']}\n\n→ ✅ Yes",
                chat_id=ada.user_id,
                message_id=question.message_id,
                parse_mode="HTML",
            )
        await _journal(url, press, user_id=ada.user_id, now=harness.clock())
        async with harness.running():
            await ada.expect("time zone is saved")
        # The replay's own edit is refused as "not modified" (the keyboard is already
        # gone): expected, and the only refusal.
        refused = [c.description or "" for c in harness.stub.rejected_calls]
        assert all("not modified" in description for description in refused)
