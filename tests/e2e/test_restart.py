"""Stopping the bot mid-conversation and starting a new one on the same database."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from tests.e2e.conftest import load_user
from tests.harness import bot_harness


async def test_restart_mid_start_flow_continues_at_the_same_step(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    async with bot_harness(url) as harness:
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/start")
            await ada.expect("where are you")
            await ada.send("Lima")
            await ada.expect("America/Lima", "Is that right?")
        # A brand-new application: nothing in memory, everything from the database.
        async with harness.running():
            await ada.press("Yes")
            await ada.expect("time zone is saved")
            assert (await load_user(harness, ada.user_id)).timezone == "America/Lima"
        assert harness.stub.rejected_calls == []


async def test_restart_mid_settings_keeps_the_day_chosen_before_it(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    async with bot_harness(url) as harness:
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/settings")
            await ada.expect("Your settings")
            await ada.press("Check-in day")
            await ada.press("Thu")
            await ada.expect("what time on Thursday")
        async with harness.running():
            await ada.send("8am")
            await ada.expect("every Thursday at 08:00")
            user = await load_user(harness, ada.user_id)
            assert (user.checkin_weekday, user.checkin_time) == (3, time(8, 0))


async def test_restart_on_postgresql_continues_at_the_same_step(postgres_url: str) -> None:
    async with bot_harness(postgres_url) as harness:
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/start")
            await ada.expect("where are you")
            await ada.send("Nairobi")
            await ada.expect("Africa/Nairobi")
        async with harness.running():
            await ada.press("Yes")
            await ada.expect("time zone is saved")
            assert (await load_user(harness, ada.user_id)).timezone == "Africa/Nairobi"
