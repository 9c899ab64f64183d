"""/help, /cancel, switching flows, and everything said outside a flow."""

from __future__ import annotations

from tests.harness import BotHarness


async def test_help_lists_every_command_with_one_line(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/help")
    shown = await ada.expect("Here's what I can do")
    for command in ("/start", "/help", "/settings", "/cancel"):
        assert command in shown.text


async def test_commands_menu_is_registered_with_descriptions(harness: BotHarness) -> None:
    calls = [c for c in harness.stub.calls if c.method == "setMyCommands" and c.ok]
    assert calls, "setMyCommands was never called"
    commands = calls[-1].params["commands"]
    assert {c["command"] for c in commands} >= {"start", "help", "settings", "cancel"}
    assert all(c["description"] for c in commands)


async def test_cancel_leaves_the_flow_and_keeps_what_was_saved(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send("Rome")
    await ada.expect("Europe/Rome")
    await ada.send("/cancel")
    await ada.expect("stopped there", "saved")
    await ada.send("Paris")
    await ada.expect("not sure what to do with that")  # no longer in the flow
    await ada.send("/settings")
    await ada.expect("Europe/Rome")  # the answer given before /cancel was kept


async def test_cancel_outside_a_flow_says_there_is_nothing_to_cancel(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/cancel")
    await ada.expect("Nothing to cancel")


async def test_skip_and_back_outside_a_flow_say_no_question_is_open(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/skip")
    await ada.expect("No question is open", "/help")
    await ada.send("/back")
    await ada.expect("nothing to skip or go back to")


async def test_help_in_the_middle_of_a_flow_reminds_where_the_user_was(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send("/help")
    await ada.expect("Here's what I can do", "middle of setting up")
    await ada.send("Oslo")  # the flow goes on after /help
    await ada.expect("Europe/Oslo")


async def test_another_flow_command_mid_flow_switches_to_that_flow(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    await ada.expect("where are you")
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.send("Paris")
    await ada.expect("tap one of the buttons")  # the settings menu waits for a button


async def test_unknown_command_and_text_point_to_help(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/dance")
    await ada.expect("I don't know /dance", "/help")
    await ada.send("what now?")
    await ada.expect("/help")
