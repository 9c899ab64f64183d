"""Bad input gets a clear answer and loses nothing."""

from __future__ import annotations

import time

from tests.e2e.conftest import load_user
from tests.harness import BotHarness


async def test_five_thousand_character_message_is_answered_not_processed(
    harness: BotHarness,
) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send("x" * 5000)
    await ada.expect("longer than I can take", "5000")
    await ada.send("Vienna")  # still at the same step
    await ada.expect("Europe/Vienna")


async def test_long_place_name_gets_a_short_hint(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send("I live in a lovely little village " * 5)
    await ada.expect("just the city is enough")


async def test_html_characters_and_emoji_in_a_city_are_escaped(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send("<script>alert(1)</script> & 🏙️")
    await ada.expect("couldn't find", "<script>alert(1)</script> & 🏙️")


async def test_emoji_around_a_real_city_is_still_found(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send("Montréal")
    await ada.expect("America/Toronto")


async def test_sticker_in_a_text_question_asks_again_kindly(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send_sticker()
    await ada.expect("answer the question above")


async def test_sticker_outside_a_flow_is_answered(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send_sticker()
    await ada.expect("I can only read text")


async def test_button_from_an_old_message_is_explained_and_changes_nothing(
    harness: BotHarness,
) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send("Paris")
    confirm = await ada.expect("Is that right?")
    await ada.press("Yes")
    await ada.expect("saved")
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.press("Time zone")
    await ada.expect("where are you")
    await ada.press_data(confirm.message_id, "tz:no")  # the old confirmation's "No"
    await ada.expect_alert("earlier message")
    await ada.send("Athens")  # the settings flow is where it was
    await ada.expect("Europe/Athens")


async def test_button_pressed_twice_acts_once(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send("Paris")
    confirm = await ada.expect("Is that right?")
    harness.stub.press(ada.user_id, confirm.message_id, "tz:yes")
    await ada.press_data(confirm.message_id, "tz:yes")
    await ada.expect_alert("earlier message")
    replies = await ada.settle()
    saved = [r for r in harness.stub.calls if r.ok and "is saved" in str(r.params.get("text", ""))]
    assert len(saved) == 1, replies
    assert (await load_user(harness, ada.user_id)).timezone == "Europe/Paris"


async def test_edited_message_is_not_taken_as_an_answer_and_the_user_is_told(
    harness: BotHarness,
) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    city = await ada.send("Paris")
    await ada.expect("Is that right?")
    stub_user = harness.stub.user(ada.user_id)
    now = int(time.time())
    ada._mark()
    harness.stub.inject_raw(
        {
            "edited_message": {
                "message_id": city["message"]["message_id"],
                "from": stub_user.to_user_dict(),
                "chat": stub_user.to_chat_dict(),
                "date": now - 60,
                "edit_date": now,
                "text": "/delete_me",
                "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
            }
        }
    )
    await ada.expect("I only read new messages")
    assert not any("delete" in reply.text.casefold() for reply in await ada.settle())
    await ada.press("Yes")  # the question on screen still works
    await ada.expect("time zone is saved")
