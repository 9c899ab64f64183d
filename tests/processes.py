"""The bot as a real operating-system process (`python -m bot run`), for crash and
failover tests: started against the stub, killed with SIGKILL, started again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from botapi_stub import BotApiStub

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Shaped like a token but not like a real one (30–34 characters after the colon, never the 35 secret scanners look for).
PROCESS_TOKEN = "7123456789:process-test-token-not-real-0001"


def bot_environment(stub: BotApiStub, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a bot process talking to `stub`, with nothing inherited that
    could point it elsewhere."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "WEBHOOK_", "MODE", "DATABASE_URL", "ALLOWED_"))
    }
    env.update(
        TELEGRAM_BOT_TOKEN=PROCESS_TOKEN,
        TELEGRAM_API_BASE_URL=stub.base_url,
        TELEGRAM_API_FILE_URL=stub.base_file_url,
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="INFO",
        **extra,
    )
    return env


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
