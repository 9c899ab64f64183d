"""One active instance per database: the holder of a PostgreSQL advisory lock.

Several instances may run against one PostgreSQL database for high availability. Only the
holder of the lock polls Telegram (or takes webhooks) and runs the prompt dispatcher; the
others stand by, asking for the lock every STANDBY_RETRY_SECONDS. PostgreSQL releases an
advisory lock the moment its session ends — the holder stopping, crashing or being
killed — so a standby takes over within seconds, and only then loads the conversation
state, which the active instance wrote after every update.

The lock lives on its own connection, held by a small thread with its own event loop, so
it outlives nothing: if that connection is lost the lock may already be someone else's,
and this instance stops at once (a supervisor restarts it as a standby).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Callable

import asyncpg

logger = logging.getLogger(__name__)

# Any fixed 64-bit number, the same for every instance of this bot ("careerco" in ASCII).
LOCK_KEY = 0x6361726565726363
STANDBY_RETRY_SECONDS = 1.0
HEARTBEAT_SECONDS = 2.0
HEARTBEAT_TIMEOUT_SECONDS = 5.0
# The server notices a vanished client (a machine, not a process, dying) within ~11 s.
_KEEPALIVES = {
    "tcp_keepalives_idle": "5",
    "tcp_keepalives_interval": "2",
    "tcp_keepalives_count": "3",
}


def asyncpg_dsn(database_url: str) -> str:
    """The SQLAlchemy URL (`postgresql+asyncpg://…`) as a DSN asyncpg accepts."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _stop_this_process() -> None:
    """Graceful stop first (PTB handles SIGTERM); a hard exit if that takes too long."""
    os.kill(os.getpid(), signal.SIGTERM)
    threading.Timer(10.0, os._exit, args=(3,)).start()


class Leadership:
    """Wait for the lock, then hold it on a background thread until the process ends."""

    def __init__(self, database_url: str, *, on_lost: Callable[[], None] = _stop_this_process):
        self._dsn = asyncpg_dsn(database_url)
        self._on_lost = on_lost
        self._acquired = threading.Event()
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="leadership", daemon=True)

    def acquire(self) -> None:
        """Block until this instance holds the lock (logging once that it stands by)."""
        self._thread.start()
        announced = False
        while not self._acquired.wait(timeout=STANDBY_RETRY_SECONDS):
            if self._failed is not None:
                raise self._failed
            if not announced:
                logger.info("Another instance is active: standing by to take over")
                announced = True
        if self._failed is not None:
            raise self._failed
        logger.info("This instance is now the active one")

    def _run(self) -> None:
        try:
            asyncio.run(self._hold())
        except BaseException as error:  # reported to acquire(), or the loss handled below
            if not self._acquired.is_set():
                self._failed = error
                self._acquired.set()
                return
            logger.critical("Lost the connection that holds the active instance's lock")
            self._on_lost()

    async def _hold(self) -> None:
        connection = await self._connect_until_locked()
        self._acquired.set()
        while True:  # the heartbeat: an error here means the lock may be gone
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await connection.fetchval("SELECT 1", timeout=HEARTBEAT_TIMEOUT_SECONDS)

    async def _connect_until_locked(self) -> asyncpg.Connection:
        # The first connection failing is a start-up error (a wrong DATABASE_URL, the
        # server down); later ones are the database restarting while this one waits.
        connection = await asyncpg.connect(self._dsn, server_settings=_KEEPALIVES)
        while True:
            try:
                while True:
                    if await connection.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY):
                        return connection
                    await asyncio.sleep(STANDBY_RETRY_SECONDS)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                logger.warning("Standby lost its database connection; reconnecting")
                connection.terminate()
                connection = await self._reconnect()

    async def _reconnect(self) -> asyncpg.Connection:
        while True:
            await asyncio.sleep(STANDBY_RETRY_SECONDS)
            try:
                return await asyncpg.connect(self._dsn, server_settings=_KEEPALIVES)
            except (OSError, asyncpg.PostgresError):
                continue
