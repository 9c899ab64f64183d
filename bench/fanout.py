"""Fan-out benchmark: weekly check-ins for many users, all due at the same minute.

    .venv/bin/python bench/fanout.py                  # 100,000 users, SQLite, 60 s window
    .venv/bin/python bench/fanout.py --users 20000 --window 60 --postgres
    .venv/bin/python bench/fanout.py --full           # the whole fan-out at 30/s (~55 min)

Four measurements, each against the local Bot API stub over real HTTP, printed as numbers
and as ratios against a baseline run in the same process:

1. Rate-limited fan-out: the stub enforces Telegram's limits (30 messages/s overall,
   1/s per chat). Sustained send rate over the window as a fraction of 30/s; 429s
   received; duplicates; prompts lost (with --full).
2. Dispatch capacity with the stub's limits off: prompts dispatched per second, against
   bare PTB `send_message` calls to the same stub (the same HTTP stack, nothing else).
3. Start-up time and peak RSS of the bot with 100 vs N users in the database, against a
   bare PTB app that schedules one `run_daily` job per user.
4. What APScheduler does when N per-user jobs fall due at the same moment.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import insert
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot import texts
from bot.aiohttp_request import AiohttpRequest
from bot.rate_limiter import CoachRateLimiter, RateLimitArgs
from scheduler.dispatcher import DispatchSettings, PromptDispatcher
from scheduler.kinds import WEEKLY_CHECKIN, weekly_checkin_key
from scheduler.prompt_kinds import checkin_keyboard, prompt_kinds
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database
from storage.models import ScheduledPrompt, User

TOKEN = "5555555555:bench-token-not-a-secret-0000"
TELEGRAM_RATE = 30.0
# Requests in flight at once, for the bot and the baseline alike (httpcore's pool costs
# grow with it; 32 keeps a loopback stub busy).
CONCURRENCY = 32
DUE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ADMIN_POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# --- databases -----------------------------------------------------------------------


async def make_database(kind: str, folder: Path, label: str) -> str:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{folder / f'{label}.sqlite3'}"
    name = f"cc_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_POSTGRES)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return (
        ADMIN_POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        + "/"
        + name
    )


async def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        admin = await asyncpg.connect(ADMIN_POSTGRES)
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        await admin.close()


async def populate(url: str, users: int, *, with_prompts: bool) -> float:
    """N users in UTC with a Monday 09:00 check-in; their prompts all due at once."""
    await upgrade_database(url)
    engine = create_engine(url)
    started = time.perf_counter()
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        for first in range(1, users + 1, 10_000):
            ids = range(first, min(first + 10_000, users + 1))
            await connection.execute(
                insert(User),
                [
                    {
                        "id": uid,
                        "first_name": f"User {uid}",
                        "language": "en",
                        "timezone": "UTC",
                        "checkin_weekday": 0,
                        "checkin_time": DUE.time(),
                        "paused": False,
                        "active": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for uid in ids
                ],
            )
            if with_prompts:
                await connection.execute(
                    insert(ScheduledPrompt),
                    [
                        {
                            "user_id": uid,
                            "kind": WEEKLY_CHECKIN,
                            "due_at": DUE,
                            "payload": {"period": "2026-W48"},
                            "state": "pending",
                            "attempts": 0,
                            "dedupe_key": weekly_checkin_key(uid, "2026-W48"),
                            "created_at": now,
                        }
                        for uid in ids
                    ],
                )
    await engine.dispose()
    return time.perf_counter() - started


# --- 1 and 2: sending ----------------------------------------------------------------


@dataclass
class RemoteStub:
    base_url: str
    base_file_url: str
    control_url: str

    async def sent(self) -> tuple[list[tuple[float, int]], int]:
        async with httpx.AsyncClient(timeout=120) as client:
            answer = (await client.get(f"{self.control_url}/sent")).json()
        return [(float(t), int(c)) for t, c in answer["sent"]], int(answer["http_429"])


@asynccontextmanager
async def remote_stub(users: int, *, rate_limits: bool) -> AsyncIterator[RemoteStub]:
    """The stub in a child process: the bot under test keeps a core to itself."""
    arguments = [
        sys.executable,
        str(Path(__file__).with_name("stub_server.py")),
        "--users",
        str(users),
    ]
    if rate_limits:
        arguments.append("--rate-limits")
    process = await asyncio.create_subprocess_exec(*arguments, stdout=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=300)
        yield RemoteStub(**json.loads(line))
    finally:
        process.terminate()
        await process.wait()


def make_bot(stub: RemoteStub, rate: float | None) -> ExtBot[RateLimitArgs]:
    """The bot's own Bot API client, as bot/app.py builds it (aiohttp request path)."""
    return ExtBot(
        token=TOKEN,
        base_url=stub.base_url,
        base_file_url=stub.base_file_url,
        request=AiohttpRequest(connection_pool_size=CONCURRENCY),
        rate_limiter=CoachRateLimiter(overall_per_second=rate),
    )


def make_dispatcher(url: str, rate: float) -> tuple[PromptDispatcher, object]:
    engine = create_engine(url)
    dispatcher = PromptDispatcher(
        sessions=create_session_factory(engine),
        clock=FixedClock(DUE + timedelta(seconds=30)),
        kinds=prompt_kinds("UTC"),
        default_zone="UTC",
        settings=DispatchSettings(batch_size=max(10, int(rate * 2)), concurrency=CONCURRENCY),
    )
    return dispatcher, engine


async def rate_limited_fanout(url: str, users: int, window: float, full: bool) -> dict[str, float]:
    async with remote_stub(users, rate_limits=True) as stub:
        dispatcher, engine = make_dispatcher(url, TELEGRAM_RATE)
        async with make_bot(stub, TELEGRAM_RATE) as bot:
            started = time.monotonic()
            drain = dispatcher.tick(bot)
            assert drain is not None
            await asyncio.wait({drain}, timeout=window if not full else 6 * 3600)
            finished = drain.done()
            if not finished:
                await dispatcher.stop()
        await engine.dispose()  # type: ignore[attr-defined]
        sends, rejected_429 = await stub.sent()
        elapsed = (max(t for t, _ in sends) - min(t for t, _ in sends)) if len(sends) > 1 else 0
        per_chat = Counter(chat for _, chat in sends)
        return {
            "window_s": round(time.monotonic() - started, 1),
            "sent": len(sends),
            "rate_per_s": round((len(sends) - 1) / elapsed, 2) if elapsed else 0.0,
            "fraction_of_limit": round((len(sends) - 1) / elapsed / TELEGRAM_RATE, 4)
            if elapsed
            else 0,
            "http_429": rejected_429,
            "duplicates": sum(count - 1 for count in per_chat.values() if count > 1),
            "lost": users - len(per_chat) if finished else -1,
        }


async def dispatch_capacity(url: str, count: int) -> dict[str, float]:
    """Prompts/s with the stub's limits off, against bare send_message; each on a fresh stub."""
    text = texts.CHECKIN_PROMPT.format(name="User")  # the very message the bot sends
    keyboard = checkin_keyboard("2026-W48")
    async with (
        remote_stub(count, rate_limits=False) as stub,
        ExtBot(
            token=TOKEN,
            base_url=stub.base_url,
            request=HTTPXRequest(connection_pool_size=CONCURRENCY),
        ) as bare,
    ):
        semaphore = asyncio.Semaphore(CONCURRENCY)

        async def send(uid: int) -> None:
            async with semaphore:
                await bare.send_message(chat_id=uid, text=text, reply_markup=keyboard)

        started = time.perf_counter()
        await asyncio.gather(*(send(uid) for uid in range(1, count + 1)))
        bare_rate = count / (time.perf_counter() - started)
    async with remote_stub(count, rate_limits=False) as stub:
        dispatcher, engine = make_dispatcher(url, 500)  # batches of 1,000
        async with make_bot(stub, None) as bot:  # the bot's own capacity: no pacing
            started = time.perf_counter()
            stats = await dispatcher.drain(bot)
            ours = stats.sent / (time.perf_counter() - started)
        await engine.dispose()  # type: ignore[attr-defined]
    return {
        "prompts": stats.sent,
        "bot_prompts_per_s": round(ours, 1),
        "bare_ptb_send_message_per_s": round(bare_rate, 1),
        "ratio": round(ours / bare_rate, 3),
    }


# --- 3 and 4: start-up and memory, in fresh processes ---------------------------------

STARTUP_OURS = """
import asyncio, json, sys, time
def peak_rss_mib():
    # VmHWM is this process's own peak; ru_maxrss would carry the parent's over exec.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

sys.path.insert(0, {root!r})
started = time.perf_counter()
from botapi_stub import BotApiStub
from bot.app import build_application
from bot.config import Settings

async def main():
    async with BotApiStub() as stub:
        settings = Settings(_env_file=None, database_url={url!r}, telegram_api_base_url=stub.base_url,
                            telegram_api_file_url=stub.base_file_url, telegram_bot_token=None)
        app = build_application(settings, token={token!r})
        await app.initialize()
        await app.post_init(app)
        await app.start()
        ready = time.perf_counter() - started
        await app.stop(); await app.shutdown(); await app.post_shutdown(app)
        return ready

ready = asyncio.run(main())
print(json.dumps({{"startup_s": ready, "peak_rss_mib": peak_rss_mib()}}))
"""

STARTUP_BARE = """
import asyncio, datetime, json, sys, time
def peak_rss_mib():
    # VmHWM is this process's own peak; ru_maxrss would carry the parent's over exec.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

started = time.perf_counter()
import logging
from telegram.ext import ApplicationBuilder

fired = 0
missed = 0
async def remind(context):
    global fired
    fired += 1

class CountMissed(logging.Handler):
    def emit(self, record):
        global missed
        if "was missed by" in record.getMessage():
            missed += 1

logging.getLogger("apscheduler").addHandler(CountMissed())
logging.getLogger("apscheduler").setLevel(logging.WARNING)
logging.getLogger("apscheduler").propagate = False

async def main():
    app = ApplicationBuilder().token({token!r}).build()
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds={delay})
    for user_id in range({users}):
        if {same_moment}:
            app.job_queue.run_once(remind, when=when, chat_id=user_id)
        else:
            app.job_queue.run_daily(remind, time=datetime.time(9, 0), chat_id=user_id)
    app.job_queue.set_application(app)
    await app.job_queue.start()
    ready = time.perf_counter() - started
    if {same_moment}:  # wait until the moment, then until every job has run or misfired
        await asyncio.sleep((when - datetime.datetime.now(datetime.UTC)).total_seconds())
        deadline = time.monotonic() + {wait}
        while fired + missed < {users} and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
    await app.job_queue.stop(wait=False)
    return ready

ready = asyncio.run(main())
print(json.dumps({{"startup_s": ready, "peak_rss_mib": peak_rss_mib(), "fired": fired, "missed": missed}}))
"""


def run_child(code: str, timeout: float = 900) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def startup(url: str) -> dict[str, float]:
    root = str(Path(__file__).resolve().parent.parent)
    return run_child(STARTUP_OURS.format(root=root, url=url, token=TOKEN))


def bare_startup(users: int, *, same_moment: bool = False, wait: float = 0) -> dict[str, float]:
    code = STARTUP_BARE.format(
        # Far enough ahead that scheduling them all (about 28 s for 100,000) ends first.
        token=TOKEN,
        users=users,
        same_moment=same_moment,
        delay=max(5, users / 2_000),
        wait=wait,
    )
    return run_child(code)


# --- main ----------------------------------------------------------------------------


def show(title: str, values: dict[str, float]) -> None:
    print(f"\n{title}")
    for key, value in values.items():
        print(f"  {key:32} {value}")
    sys.stdout.flush()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument(
        "--window", type=float, default=60.0, help="seconds of rate-limited sending"
    )
    parser.add_argument("--full", action="store_true", help="send the whole fan-out (N/30 s)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--capacity", type=int, default=20_000, help="prompts for the capacity run")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["rate", "capacity", "startup", "misfire"]
    )
    args = parser.parse_args()
    kind = "postgresql" if args.postgres else "sqlite"
    print(f"Fan-out benchmark: {args.users:,} users, {kind}, python {sys.version.split()[0]}")

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        if "rate" not in args.skip:
            url = await make_database(kind, folder, "rate")
            seconds = await populate(url, args.users, with_prompts=True)
            print(f"  (populated {args.users:,} users and due prompts in {seconds:.1f} s)")
            show(
                f"1. Rate-limited fan-out (stub enforces 30/s overall, 1/s per chat; "
                f"{'whole fan-out' if args.full else f'{args.window:.0f} s window'})",
                await rate_limited_fanout(url, args.users, args.window, args.full),
            )
            await drop_database(url)

        if "capacity" not in args.skip:
            count = min(args.capacity, args.users)
            url = await make_database(kind, folder, "capacity")
            await populate(url, count, with_prompts=True)
            show(
                f"2. Dispatch capacity, stub limits off ({count:,} prompts)",
                await dispatch_capacity(url, count),
            )
            await drop_database(url)

        if "startup" not in args.skip:
            small = await make_database(kind, folder, "small")
            await populate(small, 100, with_prompts=True)
            large = await make_database(kind, folder, "large")
            await populate(large, args.users, with_prompts=True)
            ours_small, ours_large = startup(small), startup(large)
            bare_small, bare_large = bare_startup(100), bare_startup(args.users)
            show(
                f"3. Start-up and peak memory, 100 vs {args.users:,} users",
                {
                    "bot_startup_s_100": round(ours_small["startup_s"], 2),
                    f"bot_startup_s_{args.users}": round(ours_large["startup_s"], 2),
                    "bot_rss_mib_100": round(ours_small["peak_rss_mib"], 1),
                    f"bot_rss_mib_{args.users}": round(ours_large["peak_rss_mib"], 1),
                    "bot_rss_ratio_large_vs_small": round(
                        ours_large["peak_rss_mib"] / ours_small["peak_rss_mib"], 3
                    ),
                    "bare_ptb_run_daily_startup_s_100": round(bare_small["startup_s"], 2),
                    f"bare_ptb_run_daily_startup_s_{args.users}": round(bare_large["startup_s"], 2),
                    "bare_ptb_rss_mib_100": round(bare_small["peak_rss_mib"], 1),
                    f"bare_ptb_rss_mib_{args.users}": round(bare_large["peak_rss_mib"], 1),
                },
            )
            await drop_database(small)
            await drop_database(large)

        if "misfire" not in args.skip:
            wait = 300.0
            result = bare_startup(args.users, same_moment=True, wait=wait)
            show(
                f"4. Bare PTB: {args.users:,} run_once jobs due at the same moment "
                "(APScheduler's default misfire grace of 1 s)",
                {
                    "jobs_fired": result["fired"],
                    "jobs_missed_logged_by_apscheduler": result["missed"],
                    "jobs_not_run": args.users - result["fired"],
                    "fraction_delivered": round(result["fired"] / args.users, 4),
                },
            )


if __name__ == "__main__":
    asyncio.run(main())
