"""When something breaks: the user hears a calm word, the log gets the details."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.e2e.conftest import load_user
from tests.harness import BotHarness, bot_harness


async def test_internal_failure_gets_a_calm_answer_without_internals(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'broken.sqlite3'}"
    async with bot_harness(url) as harness, harness.running() as application:
        ada = harness.user("Ada")
        await ada.send("/help")
        await ada.expect("Here's what I can do")
        async with application.services.engine.begin() as connection:
            await connection.execute(text("DROP TABLE users"))  # the database breaks
        await ada.send("/settings")
        sorry = await ada.expect("something went wrong", "safe")
        assert "Traceback" not in sorry.text
        assert "users" not in sorry.text
        assert harness.stub.rejected_calls == []
    logged = [r for r in caplog.records if r.name == "handlers.errors"]
    assert logged
    assert logged[0].levelno == logging.ERROR
    assert logged[0].exc_info is not None


async def test_user_who_blocks_the_bot_is_marked_inactive_until_they_write_again(
    harness: BotHarness,
) -> None:
    ada = harness.user("Ada")
    await ada.send("/help")
    await ada.expect("Here's what I can do")
    harness.stub.block(ada.user_id)
    await ada.send("/help")  # the answer bounces with 403
    await harness.stub.wait_for(lambda: any(c.error_code == 403 for c in harness.stub.calls))
    await ada.settle()
    assert not (await load_user(harness, ada.user_id)).active
    harness.stub.unblock(ada.user_id)
    await ada.send("/help")
    await ada.expect("Here's what I can do")
    assert (await load_user(harness, ada.user_id)).active
