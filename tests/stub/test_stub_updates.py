"""Injected updates, getUpdates long polling, callback queries and edits."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict

from botapi_stub import BotApiStub, StubUser

USER_ID = 1001  # the ``user`` fixture


def keyboard(*items: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in items]
    )


async def test_get_updates_long_poll_returns_injected_message_quickly(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await stub.wait_for(lambda: stub.waiting_polls() == 1, 1.0)
    await asyncio.sleep(0.05)
    assert not poll.done()
    injected_at = time.monotonic()
    stub.send_text(USER_ID, "hello")
    updates = await asyncio.wait_for(poll, 1.0)
    assert time.monotonic() - injected_at < 0.1
    (update,) = updates
    assert update.message is not None
    assert update.message.text == "hello"
    assert update.message.chat.id == USER_ID
    assert update.message.from_user is not None
    assert update.message.from_user.first_name == "Ada"


async def test_get_updates_empty_poll_times_out(bot: Bot, stub: BotApiStub) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 1.5


async def test_get_updates_offset_confirms_and_limit_applies(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    first = stub.send_text(USER_ID, "one")
    stub.send_text(USER_ID, "two")
    stub.send_text(USER_ID, "three")
    assert stub.pending_updates() == 3
    batch = await bot.get_updates(limit=2)
    assert [u.message.text for u in batch if u.message] == ["one", "two"]
    assert batch[0].update_id == first["update_id"]
    assert stub.pending_updates() == 3  # not confirmed yet
    again = await bot.get_updates(offset=batch[-1].update_id + 1)
    assert [u.message.text for u in again if u.message] == ["three"]
    assert stub.pending_updates() == 1
    assert await bot.get_updates(offset=again[-1].update_id + 1) == ()
    assert stub.pending_updates() == 0


async def test_redelivered_update_comes_back_once_with_its_id_whatever_the_offset(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    first = stub.send_text(USER_ID, "one")
    (delivered,) = await bot.get_updates()
    assert await bot.get_updates(offset=delivered.update_id + 1) == ()
    stub.redeliver(first)
    (again,) = await bot.get_updates(offset=delivered.update_id + 1)
    assert again.update_id == first["update_id"]
    assert again.message is not None and again.message.text == "one"
    assert await bot.get_updates(offset=delivered.update_id + 1) == ()


async def test_send_text_command_gets_bot_command_entity(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    stub.send_text(USER_ID, "/start@career_coach_bot hi")
    (update,) = await bot.get_updates()
    assert update.message is not None
    (entity,) = update.message.entities
    assert entity == MessageEntity(MessageEntity.BOT_COMMAND, 0, len("/start@career_coach_bot"))


async def test_injected_location_document_photo_sticker_parse_in_ptb(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    stub.send_location(USER_ID, 52.52, 13.405)
    stub.send_document(USER_ID, "cv.pdf", b"%PDF-1.4", "application/pdf")
    stub.send_photo(USER_ID)
    stub.send_sticker(USER_ID)
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message is not None]
    assert messages[0].location is not None and messages[0].location.latitude == 52.52
    assert messages[1].document is not None and messages[1].document.file_name == "cv.pdf"
    assert messages[2].photo and messages[2].photo[-1].width == 800
    assert messages[3].sticker is not None and messages[3].sticker.emoji == "👍"
    assert stub.transcript(USER_ID)[:2] == [
        "user: [location 52.52, 13.405]",
        "user: [document cv.pdf]",
    ]


async def test_press_yields_callback_query_and_second_answer_fails(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    sent = await bot.send_message(
        USER_ID, "Ready?", reply_markup=keyboard(("Yes", "yes"), ("No", "no"))
    )
    stub.press(USER_ID, sent.message_id, "yes")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None
    assert query.data == "yes"
    assert query.from_user.id == USER_ID
    assert query.message is not None and query.message.message_id == sent.message_id
    assert await query.answer("Noted!")
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer()
    assert stub.transcript(USER_ID)[-2:] == ["user pressed [Yes]", "bot (toast): Noted!"]


async def test_press_unknown_message_or_button_raises_value_error(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    with pytest.raises(ValueError, match="no bot message 99"):
        stub.press(USER_ID, 99, "yes")
    sent = await bot.send_message(USER_ID, "Ready?", reply_markup=keyboard(("Yes", "yes")))
    with pytest.raises(ValueError, match="available: \\['yes'\\]"):
        stub.press(USER_ID, sent.message_id, "maybe")
    stub.press(USER_ID, sent.message_id, "maybe", require_button=False)


async def test_answer_callback_query_unknown_id_and_long_text_fail(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("123456")
    sent = await bot.send_message(USER_ID, "Ready?", reply_markup=keyboard(("Yes", "yes")))
    update = stub.press(USER_ID, sent.message_id, "yes")
    with pytest.raises(BadRequest, match=r"(?i)MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(update["callback_query"]["id"], text="x" * 201)


async def test_edit_message_text_updates_state_and_not_modified_fails(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    markup = keyboard(("Next", "next"))
    sent = await bot.send_message(
        USER_ID, "<b>Step 1</b>", parse_mode=ParseMode.HTML, reply_markup=markup
    )
    edited = await bot.edit_message_text(
        "<b>Step 2</b>",
        chat_id=USER_ID,
        message_id=sent.message_id,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Step 2"
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<strong>Step 2</strong>",  # same text and same bold entity after parsing
            chat_id=USER_ID,
            message_id=sent.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
    # Omitting reply_markup removes the inline keyboard, which *is* a modification.
    await bot.edit_message_text(
        "<b>Step 2</b>", chat_id=USER_ID, message_id=sent.message_id, parse_mode=ParseMode.HTML
    )
    (state,) = stub.messages(USER_ID)
    assert state.text == "Step 2"
    assert state.reply_markup is None
    assert state.edit_count == 2
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(chat_id=USER_ID, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER_ID, message_id=999)


async def test_edit_user_message_is_rejected(bot: Bot, stub: BotApiStub, user: StubUser) -> None:
    update = stub.send_text(USER_ID, "mine")
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text(
            "hacked", chat_id=USER_ID, message_id=update["message"]["message_id"]
        )


async def test_allowed_updates_filters_new_updates(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    stub.send_text(USER_ID, "ignored")
    assert stub.pending_updates() == 0
    await bot.get_updates(allowed_updates=[])
    stub.send_text(USER_ID, "kept")
    assert stub.pending_updates() == 1


async def test_second_concurrent_get_updates_terminates_first_with_conflict(
    stub: BotApiStub, http: httpx.AsyncClient
) -> None:
    first = asyncio.create_task(http.post("getUpdates", data={"timeout": "5"}))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(http.post("getUpdates", data={"timeout": "0"}))
    first_response = await asyncio.wait_for(first, 1.0)
    assert first_response.status_code == 409
    assert "terminated by other getUpdates request" in first_response.json()["description"]
    assert (await second).json() == {"ok": True, "result": []}


async def test_conflict_maps_to_ptb_conflict(bot: Bot, stub: BotApiStub) -> None:
    await bot.set_webhook("http://127.0.0.1:9/unused")
    with pytest.raises(Conflict):
        await bot.get_updates()
