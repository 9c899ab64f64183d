"""ALLOWED_USER_IDS: invited users get the bot, everyone else a polite refusal."""

from __future__ import annotations

from pathlib import Path

from tests.harness import bot_harness


async def test_strangers_are_refused_politely_and_invited_users_served(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'allow.sqlite3'}"
    async with bot_harness(url, allowed_user_ids=frozenset({4242})) as harness:
        friend = harness.user("Friend", user_id=4242)
        stranger = harness.user("Stranger", user_id=666)
        async with harness.running():
            await stranger.send("/start")
            await stranger.expect("only open to invited users")
            await stranger.send("hello")
            await stranger.expect("only open to invited users")
            await friend.send("/start")
            welcome = await friend.expect("where are you")
            await stranger.press_data(welcome.message_id, "tz:yes")  # forged press
            await stranger.expect_alert("only open to invited users")
        assert harness.stub.rejected_calls == []


async def test_user_taken_off_the_allow_list_gets_no_more_prompts(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'allow.sqlite3'}"
    async with bot_harness(url) as harness:
        async with harness.running():
            kept = await harness.onboard("Kept")
            await harness.onboard("Removed")
        # The operator narrows the list and restarts; both had a check-in planned.
        harness.settings_overrides["allowed_user_ids"] = frozenset({kept.user_id})
        async with harness.running():
            harness.clock.advance(days=1)
            stats = await harness.dispatch()
            await kept.expect("Weekly check-in")
        assert (stats.sent, stats.cancelled) == (1, 1)
        assert harness.stub.rejected_calls == []
