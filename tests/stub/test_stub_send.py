"""Sending messages through the stub with a real PTB Bot (and raw HTTP where PTB would refuse)."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken

from botapi_stub import BotApiStub, StubUser

TOKEN = "123:ABC"
USER_ID = 1001  # the ``user`` fixture


async def test_get_me_returns_configured_bot(bot: Bot, stub: BotApiStub) -> None:
    me = await bot.get_me()
    assert me.id == 7000000001
    assert me.is_bot
    assert me.username == "career_coach_bot"
    assert me.first_name == "Career Change Coach"
    assert stub.calls[-1].method == "getMe"
    assert stub.calls[-1].ok


async def test_send_message_html_with_inline_keyboard_is_stored(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Yes ✅", callback_data="yes")],
            [InlineKeyboardButton("Docs", url="https://example.org")],
        ]
    )
    sent = await bot.send_message(
        USER_ID,
        "<b>Hello</b> Ada &amp; <i>friends</i> 👋",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
    )
    assert sent.text == "Hello Ada & friends 👋"
    assert sent.chat.id == USER_ID
    assert sent.from_user is not None and sent.from_user.is_bot
    assert sent.reply_markup == keyboard
    assert [e.type for e in sent.entities] == ["bold", "italic"]

    (stored,) = stub.messages(USER_ID)
    assert stored.message_id == sent.message_id
    assert stored.text == "Hello Ada & friends 👋"
    assert stored.html == "<b>Hello</b> Ada &amp; <i>friends</i> 👋"
    assert stored.kind == "text"
    assert stored.reply_markup == keyboard.to_dict()
    assert stub.transcript(USER_ID) == ["bot: Hello Ada & friends 👋  [Yes ✅] [Docs]"]
    assert stub.rejected_calls == []


async def test_send_message_reply_keyboard_is_not_echoed_but_recorded(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    markup = ReplyKeyboardMarkup([["Share location"], ["Skip"]], one_time_keyboard=True)
    sent = await bot.send_message(USER_ID, "Where are you?", reply_markup=markup)
    assert sent.reply_markup is None  # Telegram only echoes inline keyboards
    assert stub.messages(USER_ID)[0].button_texts() == ["Share location", "Skip"]


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("", "message text is empty"),
        ("   \n ", "message text is empty"),
        ("x" * 5000, "message is too long"),
        ("<b></b>", "message text is empty"),
        (
            "<script>alert(1)</script>",
            'can\'t parse entities: Unsupported start tag "script" at byte offset 0',
        ),
        ("a < b", 'can\'t parse entities: Unsupported start tag "" at byte offset 2'),
        (
            "AT&T",
            'can\'t parse entities: Unsupported HTML entity "&T" at byte offset 2; '
            'a literal "&" must be escaped as "&amp;"',
        ),
        (
            "<b>bold",
            "can't parse entities: Can't find end tag corresponding to start tag \"b\"",
        ),
        (
            "<b>x</i>",
            "can't parse entities: Unmatched end tag at byte offset 4, "
            'expected "</b>", found "</i>"',
        ),
        (
            '<b class="x">y</b>',
            'can\'t parse entities: Unsupported attribute "class" in the tag "b" at byte offset 0',
        ),
    ],
)
async def test_send_message_invalid_text_is_rejected(
    bot: Bot, stub: BotApiStub, user: StubUser, text: str, description: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(USER_ID, text, parse_mode=ParseMode.HTML)
    assert stub.messages(USER_ID) == []
    rejected = stub.rejected_calls[-1]
    assert rejected.method == "sendMessage"
    assert rejected.description == f"Bad Request: {description}"


async def test_send_message_4096_utf16_units_is_accepted_4097_rejected(
    bot: Bot, user: StubUser
) -> None:
    await bot.send_message(USER_ID, "😀" * 2048)  # 4096 UTF-16 code units
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER_ID, "😀" * 2048 + "x")


async def test_send_message_callback_data_over_64_bytes_is_rejected(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    data = "é" * 32 + "x"  # 33 characters but 65 bytes in UTF-8
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER_ID, "pick", reply_markup=keyboard)
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="é" * 32)]])
    await bot.send_message(USER_ID, "pick", reply_markup=ok)
    assert len(stub.messages(USER_ID)) == 1


async def test_send_message_unknown_chat_is_rejected(bot: Bot, stub: BotApiStub) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hello?")
    assert stub.rejected_calls[-1].description == "Bad Request: chat not found"


async def test_send_message_blocked_user_raises_forbidden(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    stub.block(USER_ID)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER_ID, "still there?")
    assert stub.calls[-1].error_code == 403
    assert stub.rejected_calls == []  # 403 is not invalid API usage
    stub.unblock(USER_ID)
    await bot.send_message(USER_ID, "welcome back")


async def test_send_message_unsupported_parse_mode_is_rejected(bot: Bot, user: StubUser) -> None:
    with pytest.raises(BadRequest, match="Unsupported parse_mode"):
        await bot.send_message(USER_ID, "hi", parse_mode="BBCode")


async def test_raw_unknown_parameter_is_rejected(
    http: httpx.AsyncClient, stub: BotApiStub, user: StubUser
) -> None:
    response = await http.post(
        "sendMessage", data={"chat_id": str(USER_ID), "text": "hi", "colour": "red"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert body["error_code"] == 400
    assert body["description"] == 'Bad Request: unknown parameter "colour" for method sendMessage'


async def test_raw_missing_chat_id_is_rejected(http: httpx.AsyncClient) -> None:
    response = await http.post("sendMessage", data={"text": "hi"})
    assert response.status_code == 400
    assert response.json()["description"] == "Bad Request: chat_id is empty"


async def test_raw_wrong_type_is_rejected(http: httpx.AsyncClient, user: StubUser) -> None:
    response = await http.post(
        "sendMessage",
        data={"chat_id": str(USER_ID), "text": "hi", "disable_notification": "maybe"},
    )
    assert response.status_code == 400
    assert "disable_notification" in response.json()["description"]


async def test_raw_json_body_and_case_insensitive_method_are_accepted(
    http: httpx.AsyncClient, stub: BotApiStub, user: StubUser
) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    response = await http.post(
        "SENDMESSAGE", json={"chat_id": USER_ID, "text": "json", "reply_markup": markup}
    )
    assert response.status_code == 200
    assert response.json()["result"]["reply_markup"] == markup
    assert stub.calls[-1].method == "sendMessage"
    assert stub.calls[-1].params["reply_markup"] == markup


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('{"inline_keyboard": [[{"text": "A"}]]}', "text buttons are unallowed"),
        ('{"inline_keyboard": [[{"text": "", "callback_data": "a"}]]}', "BUTTON_TEXT_INVALID"),
        (
            '{"inline_keyboard": [[{"text": "A", "callback_data": "a", "url": "https://x.org"}]]}',
            "exactly one of the fields",
        ),
        ('{"inline_keyboard": [[{"text": "A", "url": "ftp://x.org"}]]}', "BUTTON_URL_INVALID"),
        ('{"inline_keyboard": [{"text": "A", "callback_data": "a"}]}', "can't parse reply"),
        ('{"keyboard": [[{"text": ""}]]}', "BUTTON_TEXT_INVALID"),
        ('{"remove_keyboard": false}', "can't parse reply keyboard markup JSON object"),
        ('{"colour": 1}', "can't parse reply keyboard markup JSON object"),
        ("not json", "can't parse reply keyboard markup JSON object"),
    ],
)
async def test_raw_malformed_reply_markup_is_rejected(
    http: httpx.AsyncClient, user: StubUser, markup: str, expected: str
) -> None:
    response = await http.post(
        "sendMessage", data={"chat_id": str(USER_ID), "text": "hi", "reply_markup": markup}
    )
    assert response.status_code == 400
    assert expected in response.json()["description"]


async def test_unknown_method_is_404(http: httpx.AsyncClient, stub: BotApiStub) -> None:
    response = await http.post("sendTelepathy", data={})
    assert response.status_code == 404
    assert response.json()["description"] == "Not Found: method not found"


async def test_other_spec_method_with_valid_params_returns_true(
    http: httpx.AsyncClient, stub: BotApiStub, user: StubUser
) -> None:
    response = await http.post("setMessageReaction", data={"chat_id": "1001", "message_id": "1"})
    assert response.json() == {"ok": True, "result": True}
    bad = await http.post("setMessageReaction", data={"chat_id": "1001"})
    assert bad.status_code == 400
    assert stub.calls[-1].method == "setMessageReaction"


async def test_configured_token_rejects_other_tokens() -> None:
    async with BotApiStub(token=TOKEN) as stub:
        with pytest.raises(InvalidToken):
            async with Bot("999:WRONG", base_url=stub.base_url):
                pass
        async with Bot(TOKEN, base_url=stub.base_url) as right:
            assert (await right.get_me()).username == "career_coach_bot"
        assert stub.calls[0].error_code == 401


async def test_commands_roundtrip_and_invalid_command_rejected(bot: Bot, stub: BotApiStub) -> None:
    assert await bot.set_my_commands([("start", "Start over"), ("plan", "Show my plan")])
    commands = await bot.get_my_commands()
    assert [c.command for c in commands] == ["start", "plan"]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start", "uppercase is not allowed")])
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_DESCRIPTION_INVALID"):
        await bot.set_my_commands([("start", "")])
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert await bot.set_my_description("Helps you change careers")
    assert (await bot.get_my_description()).description == "Helps you change careers"
    assert await bot.set_my_short_description("Career coach")


async def test_chat_action_valid_and_invalid(bot: Bot, user: StubUser) -> None:
    assert await bot.send_chat_action(USER_ID, "typing")
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(USER_ID, "dancing")


async def test_delete_message_then_edit_fails(bot: Bot, stub: BotApiStub, user: StubUser) -> None:
    sent = await bot.send_message(USER_ID, "temporary")
    assert await bot.delete_message(USER_ID, sent.message_id)
    assert stub.messages(USER_ID)[0].deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER_ID, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("new", chat_id=USER_ID, message_id=sent.message_id)
