"""Two bot processes on one PostgreSQL database: one active, one standing by. When the
active one dies, the standby takes over within 15 seconds and nothing is lost: the user's
conversation continues where it was, and the prompts queued go out, once each (apart
from those the dead instance logged as in doubt)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bot.leadership import LOCK_KEY, asyncpg_dsn
from botapi_stub import BotApiStub
from storage.migrate import upgrade_database
from tests.harness import ChatUser
from tests.processes import (
    BotProcess,
    bot_environment,
    checkins_received,
    prompts_in_doubt,
    seed_due_checkins,
)

USERS = 600  # owed a check-in: sending goes on while the active instance dies
ADA = 900_001
TAKEOVER_LIMIT = 15.0
ACTIVE = "This instance is now the active one"
STANDING_BY = "standing by"


async def _wait_for_log(process: BotProcess, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in process.log():
        if time.monotonic() > deadline:
            raise AssertionError(f"never logged {text!r}:\n{process.log()[-3000:]}")
        if not process.running:
            raise AssertionError(f"exited before logging {text!r}:\n{process.log()[-3000:]}")
        await asyncio.sleep(0.1)


async def _two_instances(
    stub: BotApiStub, postgres_url: str, folder: Path
) -> tuple[BotProcess, BotProcess]:
    """Start `first`, wait until it is active, then `second`, until it stands by."""
    env = bot_environment(
        stub, postgres_url, DISPATCH_INTERVAL_SECONDS="0.5", SEND_RATE_PER_SECOND="100"
    )
    first = BotProcess(env, folder / "first.log")
    second = BotProcess(env, folder / "second.log")
    await first.start()
    await _wait_for_log(first, ACTIVE)
    await second.start()
    await _wait_for_log(second, STANDING_BY)
    return first, second


def _checkins_owed(stub: BotApiStub) -> Counter[int]:
    """Check-ins received by the users owed one (Ada's messages mention hers too)."""
    return Counter({uid: n for uid, n in checkins_received(stub).items() if uid <= USERS})


async def test_standby_takes_over_within_15_s_of_a_kill_and_nothing_is_lost(
    postgres_url: str, tmp_path: Path
) -> None:
    await upgrade_database(postgres_url)
    async with BotApiStub() as stub:
        for uid in range(1, USERS + 1):
            stub.user(uid, first_name=f"User {uid}")
        stub.user(ADA, first_name="Ada")
        ada = ChatUser(stub=stub, user_id=ADA, first_name="Ada")
        first, second = await _two_instances(stub, postgres_url, tmp_path)
        try:
            # Ada is in the middle of /start with the active instance.
            await ada.send("/start")
            await ada.expect("where are you", timeout=30)
            await ada.send("Lisbon")
            await ada.expect("Is that right?", timeout=30)
            # Now the check-ins fall due, and the active instance starts sending them.
            await seed_due_checkins(postgres_url, users=USERS, now=datetime.now(UTC))
            await stub.wait_for(lambda: len(_checkins_owed(stub)) >= 50, timeout=60)
            assert len(_checkins_owed(stub)) < USERS, "the kill must come mid-sending"
            assert STANDING_BY in second.log() and ACTIVE not in second.log()

            await first.kill()
            killed_at = time.monotonic()
            await ada.press("Yes")  # answered by whichever instance is alive
            await ada.expect("time zone is saved", timeout=TAKEOVER_LIMIT + 15)
            takeover = time.monotonic() - killed_at
            await stub.wait_for(lambda: len(_checkins_owed(stub)) == USERS, timeout=60)
            await asyncio.sleep(1.0)  # a repeat would have arrived by now
        finally:
            await second.stop()
            await first.stop()
        received = _checkins_owed(stub)
        logs = first.log() + second.log()
    print(f"\nstandby answered {takeover:.1f} s after the active instance was killed")
    assert takeover <= TAKEOVER_LIMIT
    assert ACTIVE in second.log()
    assert set(received) == set(range(1, USERS + 1))
    _, in_doubt_users = await prompts_in_doubt(postgres_url, logs)
    twice = {uid for uid, count in received.items() if count > 1}
    assert twice <= in_doubt_users, f"sent twice without being in doubt: {twice - in_doubt_users}"
    assert "Traceback" not in logs
    assert stub.rejected_calls == []


async def test_active_instance_that_loses_its_lock_connection_stops_and_the_standby_takes_over(
    postgres_url: str, tmp_path: Path
) -> None:
    await upgrade_database(postgres_url)
    async with BotApiStub() as stub:
        stub.user(ADA, first_name="Ada")
        ada = ChatUser(stub=stub, user_id=ADA, first_name="Ada")
        first, second = await _two_instances(stub, postgres_url, tmp_path)
        try:
            # The lock's connection breaks (a network cut, a database failover): the lock
            # may now be anyone's, so the active instance must stop serving at once.
            admin = await asyncpg.connect(asyncpg_dsn(postgres_url))
            try:
                terminated = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_locks"
                    " WHERE locktype = 'advisory' AND granted"
                    " AND ((classid::bigint << 32) | objid::bigint) = $1",
                    LOCK_KEY,
                )
            finally:
                await admin.close()
            assert terminated == 1
            await asyncio.wait_for(first.process.wait(), 20)  # type: ignore[union-attr]
            await _wait_for_log(second, ACTIVE, timeout=TAKEOVER_LIMIT)
            await ada.send("/help")
            await ada.expect("Here's what I can do", timeout=30)
        finally:
            await second.stop()
            await first.stop()
    assert "Lost the connection that holds the active instance's lock" in first.log()
