"""The bot as a real operating-system process (`python -m bot run`), for crash and
failover tests: started against the stub, killed with SIGKILL, started again."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from botapi_stub import BotApiStub
from scheduler.kinds import WEEKLY_CHECKIN, weekly_checkin_key
from storage.db import create_engine
from storage.migrate import upgrade_database
from storage.models import PromptState, ScheduledPrompt, User

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Shaped like a token but not like a real one (30–34 characters after the colon, never the 35 secret scanners look for).
# The dispatcher's warning for a prompt cut off between its Bot API call and its record.
IN_DOUBT = re.compile(r"Prompt (\d+) \(\w+\) was being sent when a run stopped")
PROCESS_TOKEN = "7123456789:process-test-token-not-real-0001"


def clean_environment(database_url: str, **extra: str) -> dict[str, str]:
    """A child process's environment with nothing inherited that could point the bot
    elsewhere (token, API address, mode, database, allow-list), plus `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "WEBHOOK_", "MODE", "DATABASE_URL", "ALLOWED_"))
    }
    env.update(DATABASE_URL=database_url, PYTHONUNBUFFERED="1", **extra)
    return env


def bot_environment(stub: BotApiStub, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a bot process talking to `stub`."""
    settings = {
        "TELEGRAM_BOT_TOKEN": PROCESS_TOKEN,
        "TELEGRAM_API_BASE_URL": stub.base_url,
        "TELEGRAM_API_FILE_URL": stub.base_file_url,
        "LOG_LEVEL": "INFO",
    }
    return clean_environment(database_url, **{**settings, **extra})


class BotProcess:
    """One `python -m bot run`, its output appended to `log_path` (kept across restarts)."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        assert self.process is None or self.process.returncode is not None, "already running"
        with self.log_path.open("ab") as log:
            log.write(f"\n=== start {self.starts + 1} ===\n".encode())
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env=self.env,
                cwd=str(PROJECT_ROOT),
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        self.starts += 1

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, exactly like a crash or an OOM kill."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM and wait (a graceful stop); SIGKILL if it does not end in time."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            await self.kill()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


async def seed_due_checkins(database_url: str, *, users: int, now: datetime) -> str:
    """Users 1…`users`, each owed this week's check-in since a minute ago (the database is
    migrated first); returns the week."""
    await upgrade_database(database_url)
    year, week, _ = now.isocalendar()
    period = f"{year}-W{week:02d}"
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(
            insert(User),
            [
                {
                    "id": uid,
                    "first_name": f"User {uid}",
                    "language": "en",
                    "timezone": "UTC",
                    "checkin_weekday": now.weekday(),
                    "checkin_time": (now - timedelta(minutes=1)).time().replace(microsecond=0),
                    "paused": False,
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for uid in range(1, users + 1)
            ],
        )
        await connection.execute(
            insert(ScheduledPrompt),
            [
                {
                    "user_id": uid,
                    "kind": WEEKLY_CHECKIN,
                    "due_at": now - timedelta(minutes=1),
                    "payload": {"period": period},
                    "state": PromptState.PENDING,
                    "attempts": 0,
                    "dedupe_key": weekly_checkin_key(uid, period),
                    "created_at": now,
                }
                for uid in range(1, users + 1)
            ],
        )
    await engine.dispose()
    return period


def checkins_received(stub: BotApiStub) -> Counter[int]:
    """How many weekly check-in prompts each chat received."""
    return Counter(
        int(call.params["chat_id"])
        for call in stub.calls
        if call.method == "sendMessage" and call.ok and "check-in" in str(call.params["text"])
    )


async def prompts_in_doubt(database_url: str, log: str) -> tuple[set[int], set[int]]:
    """The prompts a bot's log names as in doubt, and the users they were for."""
    prompt_ids = {int(match) for match in IN_DOUBT.findall(log)}
    if not prompt_ids:
        return set(), set()
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        owners = set(
            await connection.scalars(
                select(ScheduledPrompt.user_id).where(ScheduledPrompt.id.in_(prompt_ids))
            )
        )
    await engine.dispose()
    return prompt_ids, owners
