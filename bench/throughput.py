"""Incoming updates: the bot's throughput and reply latency against a bare PTB echo bot.

    .venv/bin/python bench/throughput.py                 # SQLite, then PostgreSQL
    .venv/bin/python bench/throughput.py --sqlite-only
    .venv/bin/python bench/throughput.py --postgres      # PostgreSQL only
    .venv/bin/python bench/throughput.py --quick         # fewer users, shorter runs
    .venv/bin/python bench/throughput.py --sqlite-only --profile /tmp/bot-profile

Simulated users talk to the bot through the Bot API stub over real HTTP. The stub and
the load generator run in their own process (bench/stub_server.py, POST /run), which also
measures latency: from the update being queued in the stub to the bot's first reply call
for that chat (sendMessage, editMessageText, answerCallbackQuery, sendPhoto) arriving
there, both on that process's clock. Each user has at most one update in flight and acts
again only once the bot is done with the previous one.

The users were onboarded beforehand (/start, a city, "Yes": not measured), then send a mix
of commands (/help, /next, /progress, /apps, /settings then /cancel), application messages
("Applied to Stripe for a PM role yesterday", then Save on the card) and the answers and
buttons of the /why flow, each user in their own shuffled order.

Three measurements per bot, each with its own fresh users (500 by default):

1. capacity: the users act as fast as the bot answers until 11 updates a user were sent
   (half their script); updates/s and time per update = time to the last reply / N,
   and the CPU time this process spent per update, by thread, and SQL statements.
2. latency: one update every 1/R s for D s (R = 200/s, D = 20 s by default):
   p50/p99/max. When the bot cannot keep up, its users wait for their answers and fewer
   updates are offered (counted as "ticks found no user ready").
3. the same at a rate the bot sustains (--low-rate, 25/s), from fewer users (two seconds
   between each one's actions), with the latency by kind of update.

The same load goes to a bare PTB echo bot (one MessageHandler replying with the text, one
CallbackQueryHandler answering the query) on the same stub and the same HTTP request class
as the bot's (bot/aiohttp_request.AiohttpRequest), run in this process like the bot.
A second baseline per database, the durable echo bot, is the echo bot that first writes
who said what into that database (one INSERT and one commit an update, with the bot's own
engine settings): the least a bot that never loses a word must do, so the distance from
it to the bot is what the bot's own work costs.
The bot runs with its real build_application on a fresh SQLite file and on a throw-away
PostgreSQL database (TEST_POSTGRES_URL), with SEND_RATE_PER_SECOND=1000: at the default
30/s its replies are paced to Telegram's broadcast limit, which caps it at 30 messages/s.

--profile DIR profiles one more capacity run of the bot with pyinstrument (not part of
the measured numbers) and writes DIR/<database>.html and .txt, and prints the top items.
The machine's other load shows in every number: the output gives both bots' figures, so a
later run on a quiet machine can replace them side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from sqlalchemy import BigInteger, Column, MetaData, Table, Text, event
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.aiohttp_request import AiohttpRequest
from bot.app import build_application
from bot.config import Settings
from bot.context import CoachApplication
from bot.runner import polling
from storage.db import create_engine
from storage.migrate import upgrade_database

TOKEN = "5555555555:bench-token-not-a-secret-0000"
ADMIN_POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
SEED = 20261123
WARM_USERS = 20
UPDATES_PER_USER = 11  # in the capacity run; a script has 22
LEFT_OUT: set[str] = set()  # commands left out of the mix (--without)
P99_TARGET_MS = 50.0
RATIO_TARGET = 1.5

Action = dict[str, str]


# --- the simulated users ---------------------------------------------------------------

COMPANIES = (
    "Stripe", "Globex", "Initech", "Acme", "Umbrella", "Hooli", "Wayne Enterprises",
    "Stark Industries", "Soylent", "Cyberdyne", "Vandelay Industries", "Pied Piper",
)  # fmt: skip
ROLES = ("PM", "data analyst", "UX designer", "product manager")


def command(text: str) -> Action:
    return {"text": text, "kind": f"command {text.split()[0]}"}


def why_answer(text: str) -> Action:
    return {"text": text, "kind": "flow answer (/why)"}


def why_button(label: str) -> Action:
    return {"press": label, "kind": "flow button (/why)"}


def script_for(rng: random.Random) -> list[Action]:
    """One user's actions: every unit once (applications three times), shuffled."""
    units: list[list[Action]] = [
        [command("/help")],
        [command("/next")],
        [command("/progress")],
        [command("/apps")],
        [command("/settings"), command("/cancel")],
        [
            command("/why"),
            why_button("💸 Pay"),
            why_button("✅ Done"),
            why_answer("Teaching people to code"),
            why_button("🚪 Yes, I'd still leave"),
            why_button("🗣 I've talked to people who do it"),
            why_answer("I like seeing people get better at something"),
            why_answer("It makes my work feel useful"),
            why_answer("Because I learn best when I explain things"),
            why_button("👍 Use this"),
        ],
    ]
    for company in rng.sample(COMPANIES, 3):
        text = f"Applied to {company} for a {rng.choice(ROLES)} role yesterday"
        units.append(
            [
                {"text": text, "kind": "application message"},
                {"press": "✅ Save", "kind": "button Save (card)"},
            ]
        )
    units = [unit for unit in units if unit[0].get("text") not in LEFT_OUT]
    rng.shuffle(units)
    return [action for unit in units for action in unit]


ONBOARDING: list[Action] = [
    {"text": "/start", "kind": "onboarding"},
    {"text": "Paris", "kind": "onboarding"},
    {"press": "✅ Yes", "kind": "onboarding"},
]


@dataclass(frozen=True)
class Groups:
    """Disjoint users per phase, so each phase starts from the same state."""

    size: int

    def ids(self, group: int) -> range:
        return range(group * self.size + 1, (group + 1) * self.size + 1)

    @property
    def capacity(self) -> range:
        return self.ids(0)

    @property
    def latency(self) -> range:
        return self.ids(1)

    @property
    def low_latency(self) -> range:
        return self.ids(2)

    @property
    def profile(self) -> range:
        return self.ids(3)

    @property
    def warm(self) -> range:
        start = 4 * self.size + 1
        return range(start, start + WARM_USERS)

    @property
    def all_users(self) -> int:
        return 4 * self.size + WARM_USERS


def scripts(users: range) -> dict[str, list[Action]]:
    return {str(uid): script_for(random.Random(SEED + uid)) for uid in users}


# --- the stub process ------------------------------------------------------------------


@dataclass
class RemoteStub:
    base_url: str
    base_file_url: str
    control_url: str

    async def run(self, request: dict[str, Any]) -> dict[str, Any]:
        timeout = aiohttp.ClientTimeout(total=float(request.get("timeout", 120)) + 60)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(f"{self.control_url}/run", json=request) as answer,
        ):
            answer.raise_for_status()
            return await answer.json()  # type: ignore[no-any-return]


@asynccontextmanager
async def remote_stub(users: int) -> AsyncIterator[RemoteStub]:
    script = str(Path(__file__).with_name("stub_server.py"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, script, "--users", str(users), stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=300)
        yield RemoteStub(**json.loads(line))
    finally:
        process.terminate()
        await process.wait()


# --- results ---------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one /run measured."""

    sent: int
    answered: list[float]  # latencies in ms, in update order
    by_kind: dict[str, list[float]]
    span_s: float  # first update queued → last first reply
    unanswered: int
    missing_buttons: dict[str, int]
    rejected: int
    rejected_examples: list[str]
    no_user_ready: int
    timed_out: bool
    cpu_s: float = 0.0  # CPU time of this process (the bot under test) during the run
    cpu_by_thread: dict[str, float] = field(default_factory=dict)  # seconds per kind
    statements: int = 0  # SQL statements the bot executed during the run
    commits: int = 0

    @classmethod
    def of(cls, result: dict[str, Any]) -> Outcome:
        records = result["records"]
        latencies: list[float] = []
        by_kind: dict[str, list[float]] = defaultdict(list)
        queued = [r[3] for r in records]
        replies = [r[4] for r in records if r[4] is not None]
        for _update_id, _user, kind, sent_at, answered_at in records:
            if answered_at is not None:
                latency = (answered_at - sent_at) * 1000
                latencies.append(latency)
                by_kind[kind].append(latency)
        return cls(
            sent=int(result["sent"]),
            answered=latencies,
            by_kind=dict(by_kind),
            span_s=(max(replies) - min(queued)) if replies else 0.0,
            unanswered=len(records) - len(replies),
            missing_buttons=dict(result["missing_buttons"]),
            rejected=int(result["rejected_count"]),
            rejected_examples=list(result["rejected"]),
            no_user_ready=int(result["no_user_ready"]),
            timed_out=bool(result["timed_out"]),
        )

    @property
    def per_second(self) -> float:
        return len(self.answered) / self.span_s if self.span_s else 0.0

    @property
    def ms_per_update(self) -> float:
        return self.span_s * 1000 / len(self.answered) if self.answered else 0.0

    @property
    def cpu_ms_per_update(self) -> float:
        return self.cpu_s * 1000 / self.sent if self.sent else 0.0

    def percentile(self, fraction: float, values: list[float] | None = None) -> float:
        data = sorted(self.answered if values is None else values)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, round(fraction * (len(data) - 1)))]

    def problems(self, *, echo: bool) -> list[str]:
        found = []
        if self.unanswered:
            found.append(f"{self.unanswered} updates never answered")
        if self.timed_out:
            found.append("timed out")
        if self.missing_buttons and not echo:
            found.append(f"presses found no such button: {self.missing_buttons}")
        if self.rejected:
            found.append(f"{self.rejected} calls rejected, e.g. {self.rejected_examples[:3]}")
        if self.no_user_ready:
            found.append(f"{self.no_user_ready} ticks found no user ready")
        return found


@dataclass
class BotResult:
    name: str
    capacity: Outcome
    latency: Outcome
    low_latency: Outcome
    echoes: bool  # answers with the text, shows no buttons
    database: str | None  # "sqlite" or "postgresql"; None for the bare echo bot


# --- the bots --------------------------------------------------------------------------


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    await message.reply_text(message.text)


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()


EchoHook = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


@asynccontextmanager
async def echo_bot(stub: RemoteStub, *, first: EchoHook | None = None) -> AsyncIterator[None]:
    """A bare PTB Application polling the stub, with the bot's own request class; `first`
    runs before the echo for every update."""
    application: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(stub.base_url)
        .base_file_url(stub.base_file_url)
        .request(AiohttpRequest(connection_pool_size=256))
        .get_updates_request(AiohttpRequest(connection_pool_size=1, read_timeout=10.0))
        .build()
    )
    if first is not None:
        application.add_handler(TypeHandler(Update, first), group=-1)
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    application.add_handler(CallbackQueryHandler(_answer))
    async with application:
        updater = application.updater
        assert updater is not None
        # As bot.runner.polling starts the bot.
        await updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
        await application.start()
        try:
            yield
        finally:
            await updater.stop()
            await application.stop()


WRITTEN_DOWN = Table(
    "echo_written_down",
    MetaData(),
    Column("update_id", BigInteger, primary_key=True),
    Column("user_id", BigInteger, nullable=False),
    Column("said", Text, nullable=False),
)


@asynccontextmanager
async def durable_echo_bot(stub: RemoteStub, database_url: str) -> AsyncIterator[AsyncEngine]:
    """The echo bot that first writes down who said what (one INSERT, one commit) in the
    database, through the bot's own engine settings: the least a bot that never loses a
    word does per update, with the same libraries."""
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(WRITTEN_DOWN.metadata.create_all)
    insert = WRITTEN_DOWN.insert()

    async def write_down(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        said = update.callback_query.data if update.callback_query else None
        if update.message is not None:
            said = update.message.text
        row = {"update_id": update.update_id, "user_id": user.id if user else 0, "said": said or ""}
        async with engine.begin() as connection:
            await connection.execute(insert, row)

    try:
        async with echo_bot(stub, first=write_down):
            yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def coach_bot(stub: RemoteStub, database_url: str) -> AsyncIterator[CoachApplication]:
    await upgrade_database(database_url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        telegram_api_base_url=stub.base_url,
        telegram_api_file_url=stub.base_file_url,
        telegram_bot_token=None,
        allowed_user_ids=frozenset(),
        send_rate_per_second=1000,
    )
    async with polling(build_application(settings, token=TOKEN), poll_timeout=1) as application:
        yield application


async def make_database(kind: str, folder: Path, purpose: str) -> str:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{folder / f'{purpose}.sqlite3'}"
    name = f"cc_bench_throughput_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_POSTGRES)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    base = ADMIN_POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


@asynccontextmanager
async def scratch_database(kind: str, folder: Path, purpose: str) -> AsyncIterator[str]:
    """A fresh database for one bot, dropped afterwards (SQLite: a file in `folder`)."""
    url = await make_database(kind, folder, purpose)
    try:
        yield url
    finally:
        await drop_database(url)


async def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        admin = await asyncpg.connect(ADMIN_POSTGRES)
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        await admin.close()


async def postgres_unreachable() -> str | None:
    try:
        connection = await asyncpg.connect(ADMIN_POSTGRES, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return f"{type(error).__name__}: {error}"
    await connection.close()
    return None


async def wait_for_warm_threads() -> None:
    """The bot loads its city and occupation data in background threads at start-up."""
    for thread in threading.enumerate():
        if thread.name.startswith("warm-"):
            await asyncio.to_thread(thread.join)


# --- what the bot spends ---------------------------------------------------------------


def thread_cpu() -> dict[str, float]:
    """CPU seconds so far of this process's threads, by kind (Linux; empty elsewhere)."""
    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    ticks = os.sysconf("SC_CLK_TCK")
    spent: dict[str, float] = defaultdict(float)
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return {}
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        name = names.get(int(task), "")
        if name == "MainThread":
            kind = "event loop"
        elif name.startswith("asyncio_"):
            kind = "to_thread (chart drawing)"
        else:
            kind = "other threads (aiosqlite, …)"
        spent[kind] += (int(fields[11]) + int(fields[12])) / ticks
    return dict(spent)


@asynccontextmanager
async def metered(outcome_box: list[Outcome], engine: AsyncEngine | None) -> AsyncIterator[None]:
    """Put the CPU time, per thread kind, and the SQL statements of the run into its outcome."""
    counts = Counter[str]()

    def statement(*_args: object) -> None:
        counts["statements"] += 1

    def commit(*_args: object) -> None:
        counts["commits"] += 1

    if engine is not None:
        event.listen(engine.sync_engine, "before_cursor_execute", statement)
        event.listen(engine.sync_engine, "commit", commit)
    cpu, threads = time.process_time(), thread_cpu()
    try:
        yield
    finally:
        if engine is not None:
            event.remove(engine.sync_engine, "before_cursor_execute", statement)
            event.remove(engine.sync_engine, "commit", commit)
    outcome = outcome_box[0]
    outcome.cpu_s = time.process_time() - cpu
    after = thread_cpu()
    outcome.cpu_by_thread = {k: v - threads.get(k, 0.0) for k, v in after.items()}
    outcome.statements, outcome.commits = counts["statements"], counts["commits"]


# --- one bot, all phases ---------------------------------------------------------------


@dataclass
class Plan:
    groups: Groups
    capacity_updates: int
    rate: float
    low_rate: float
    duration: float

    def capacity(self, users: range) -> dict[str, Any]:
        return {
            "mode": "closed",
            "scripts": scripts(users),
            "total": self.capacity_updates,
            "settle": 2.0,
            "timeout": 300,
        }

    def latency(self, users: range, rate: float) -> dict[str, Any]:
        return {
            "mode": "rate",
            "scripts": scripts(users),
            "rate": rate,
            "duration": self.duration,
            "settle": 2.0,
            "timeout": self.duration + 120,
        }


async def measure(
    name: str,
    stub: RemoteStub,
    plan: Plan,
    *,
    onboard: bool,
    database: str | None = None,
    engine: AsyncEngine | None = None,
    profile_to: Path | None = None,
) -> BotResult:
    groups = plan.groups
    if onboard:
        every = [*groups.capacity, *groups.latency, *groups.low_latency, *groups.warm]
        if profile_to is not None:
            every += list(groups.profile)
        started = time.perf_counter()
        result = await stub.run(
            {
                "mode": "closed",
                "scripts": {str(uid): ONBOARDING for uid in every},
                "total": len(every) * len(ONBOARDING),
                "settle": 2.0,
                "timeout": 600,
            }
        )
        onboarded = Outcome.of(result)
        print(
            f"  {name}: onboarded {len(every):,} users in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        if onboarded.problems(echo=False):
            print(f"  warning: {name}, onboarding: {'; '.join(onboarded.problems(echo=False))}")
        await wait_for_warm_threads()
    # Every kind of update once (chart drawing, date parsing, …) before measuring.
    warm = Outcome.of(
        await stub.run({"mode": "closed", "scripts": scripts(groups.warm), "total": 10**6})
    )
    if warm.problems(echo=not onboard):
        print(f"  warning: {name}, warm-up: {'; '.join(warm.problems(echo=not onboard))}")
    box: list[Outcome] = []
    async with metered(box, engine):
        box.append(Outcome.of(await stub.run(plan.capacity(groups.capacity))))
    capacity = box[0]
    print(f"  {name}: capacity {capacity.per_second:,.1f} updates/s", flush=True)
    latency = Outcome.of(await stub.run(plan.latency(groups.latency, plan.rate)))
    # Few enough users that each acts about every two seconds: the whole mix, not only the
    # first step of each user's script.
    few = groups.low_latency[: max(WARM_USERS, round(2 * plan.low_rate))]  # see report()
    low_latency = Outcome.of(await stub.run(plan.latency(few, plan.low_rate)))
    for rate, outcome in ((plan.rate, latency), (plan.low_rate, low_latency)):
        print(
            f"  {name}: latency at {rate:g}/s p50 {outcome.percentile(0.5):.1f} ms, "
            f"p99 {outcome.percentile(0.99):.1f} ms",
            flush=True,
        )
    if profile_to is not None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        profiled = Outcome.of(await stub.run(plan.capacity(groups.profile)))
        profiler.stop()
        print(f"  {name}: profiled capacity run {profiled.per_second:,.1f} updates/s")
        summarize_profile(profiler, profile_to)
    return BotResult(name, capacity, latency, low_latency, echoes=not onboard, database=database)


# --- the profile -----------------------------------------------------------------------


ROOT = Path(__file__).resolve().parent.parent
PROJECT = tuple(
    str(ROOT / package) + os.sep for package in ("bot", "handlers", "storage", "scheduler")
)


def _package(path: str) -> str:
    """Who a function belongs to: the bot, a library (by package), the standard library."""
    if path.startswith(PROJECT):
        return "the bot's code"
    if "site-packages" + os.sep in path:
        return path.split("site-packages" + os.sep, 1)[1].split(os.sep, 1)[0]
    if path.startswith("<"):
        return "built-in calls (socket, select, json, …)"
    return "standard library (asyncio, …)"


def summarize_profile(profiler: Any, path: Path, top: int = 20) -> None:
    """Write the whole profile (DIR/<database>.html, .txt) and print where the event loop's
    time went: by package (self time), the bot's own functions by inclusive time, and every
    function by self time. Waiting in epoll (nothing to do) is left out of the percentages."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_suffix(".html").write_text(profiler.output_html())
    path.with_suffix(".txt").write_text(profiler.output_text(unicode=True, color=False))
    session = profiler.last_session
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    by_package: Counter[str] = Counter()
    idle = 0.0

    def walk(frame: Any, parent: tuple[str, str], seen: frozenset[str]) -> None:
        nonlocal idle
        # pyinstrument's "[self]" leaves are the time of the function above them.
        if frame.function == "[self]":
            key, where = parent
        else:
            where = frame.file_path or ""
            key = f"{frame.function}  ({frame.file_path_short or where}:{frame.line_no})"
        if key not in seen and where.startswith(PROJECT):
            inclusive[key] += frame.time
        children = frame.children
        mine = frame.time - sum(child.time for child in children)
        if key.startswith("epoll.poll  ("):
            idle += mine
        else:
            own[key] += mine
            by_package[_package(where)] += mine
        for child in children:
            walk(child, (key, where), seen | {key})

    walk(session.root_frame(), ("", ""), frozenset())
    busy = session.duration - idle
    print(
        f"\n  profile: {session.duration:.2f} s, of which {idle:.2f} s waiting in epoll; "
        f"% below are of the other {busy:.2f} s; {path.with_suffix('.html')}"
    )
    print("  self time by package:")
    for package, seconds in by_package.most_common(8):
        print(f"    {100 * seconds / busy:5.1f} %  {package}")
    print("  inclusive time, the bot's own functions:")
    for key, seconds in inclusive.most_common(top):
        print(f"    {100 * seconds / busy:5.1f} %  {key}")
    print("  self time, every function:")
    for key, seconds in own.most_common(top):
        print(f"    {100 * seconds / busy:5.1f} %  {key}")


# --- main ------------------------------------------------------------------------------


def kind_table(results: list[BotResult], plan: Plan) -> None:
    """Per kind of update, at the low rate: there the latency is the bot's work on it, not
    the queue in front of it."""
    kinds = sorted({k for r in results for k in r.low_latency.by_kind})
    print(f"\nReply latency by kind of update at {plan.low_rate:g}/s (p50 / p99 ms, and how many):")
    print(f"  {'kind':26}" + "".join(f"{r.name:>26}" for r in results))
    for kind in kinds:
        cells = []
        for r in results:
            values = r.low_latency.by_kind.get(kind, [])
            p50 = r.low_latency.percentile(0.5, values)
            p99 = r.low_latency.percentile(0.99, values)
            cells.append(f"{p50:7.1f} / {p99:6.1f} ({len(values):3})")
        print(f"  {kind:26}" + "".join(f"{c:>26}" for c in cells))


def report(results: list[BotResult], plan: Plan) -> None:
    echo = next(r for r in results if r.name == "echo bot")
    print(
        f"\nCapacity: {plan.capacity_updates:,} updates from {plan.groups.size:,} users, "
        "as fast as answered"
    )
    print(
        f"  {'bot':26}{'updates/s':>11}{'ms/update':>11}{'× echo':>8}"
        f"{'CPU ms/upd':>12}{'× echo':>8}{'p50 ms':>9}{'p99 ms':>9}"
    )
    for r in results:
        c = r.capacity
        ratio = c.ms_per_update / echo.capacity.ms_per_update
        cpu_ratio = c.cpu_ms_per_update / echo.capacity.cpu_ms_per_update
        print(
            f"  {r.name:26}{c.per_second:11,.1f}{c.ms_per_update:11.2f}{ratio:8.2f}"
            f"{c.cpu_ms_per_update:12.2f}{cpu_ratio:8.2f}"
            f"{c.percentile(0.5):9.1f}{c.percentile(0.99):9.1f}"
        )
    print(
        "  (ms/update: wall time to the last reply / updates; CPU: this process's CPU time, "
        "the bot's alone: the stub and the load run in their own process)"
    )
    print("  CPU ms per update by thread; SQL per update:")
    for r in results:
        c = r.capacity
        threads = ", ".join(
            f"{kind} {1000 * seconds / c.sent:.2f}"
            for kind, seconds in sorted(c.cpu_by_thread.items(), key=lambda item: -item[1])
            if seconds > 0
        )
        sql = (
            f"; {c.statements / c.sent:.1f} statements, {c.commits / c.sent:.1f} commits"
            if c.statements
            else ""
        )
        print(f"    {r.name:26}{threads}{sql}")
    few = max(WARM_USERS, round(2 * plan.low_rate))
    print(
        f"\nLatency: updates offered at a fixed rate for {plan.duration:g} s by fresh users "
        f"({plan.groups.size:,} at {plan.rate:g}/s, {few} at {plan.low_rate:g}/s)"
    )
    print(
        f"  {'bot':26}{'offered/s':>10}{'answered/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}"
    )
    for rate, phase in ((plan.rate, "latency"), (plan.low_rate, "low_latency")):
        for r in results:
            lat: Outcome = getattr(r, phase)
            print(
                f"  {r.name:26}{rate:10g}{lat.per_second:12,.1f}{lat.percentile(0.5):10.1f}"
                f"{lat.percentile(0.99):10.1f}{max(lat.answered, default=float('nan')):10.1f}"
            )
    print(
        "  (a user acts again only once answered: when the bot falls behind, fewer than the "
        "offered updates are sent — see the warnings)"
    )
    kind_table(results, plan)
    mix = Counter(k for r in results[:1] for k, v in r.capacity.by_kind.items() for _ in v)
    total = sum(mix.values())
    print(
        "\nMix of the capacity run: "
        + ", ".join(f"{k} {100 * n / total:.0f}%" for k, n in mix.most_common())
    )
    print("\nTargets:")
    for r in results:
        if r.echoes:
            continue
        ratio = r.capacity.ms_per_update / echo.capacity.ms_per_update
        p99 = r.latency.percentile(0.99)
        print(
            f"  {r.name}: time per update {ratio:.2f}× the echo bot's "
            f"({'met' if ratio <= RATIO_TARGET else 'MISSED'}, target ≤ {RATIO_TARGET}×); "
            f"p99 {p99:.1f} ms at {plan.rate:g}/s "
            f"({'met' if p99 <= P99_TARGET_MS else 'MISSED'}, target ≤ {P99_TARGET_MS:g} ms)"
        )
    print("\nThe floor: each bot against the echo bot that writes every update down first")
    for r in results:
        durable = next(
            (d for d in results if d.echoes and d.database == r.database and d is not r), None
        )
        if r.echoes or durable is None:
            continue
        floor = durable.capacity
        print(
            f"  {durable.name}: {floor.ms_per_update / echo.capacity.ms_per_update:.2f}× the "
            f"echo bot's time per update (CPU "
            f"{floor.cpu_ms_per_update / echo.capacity.cpu_ms_per_update:.2f}×); "
            f"{r.name}: {r.capacity.ms_per_update / floor.ms_per_update:.2f}× the durable "
            f"echo's (CPU {r.capacity.cpu_ms_per_update / floor.cpu_ms_per_update:.2f}×)"
        )
    for r in results:
        for phase, outcome in (
            ("capacity", r.capacity),
            (f"latency at {plan.rate:g}/s", r.latency),
            (f"latency at {plan.low_rate:g}/s", r.low_latency),
        ):
            problems = outcome.problems(echo=r.echoes)
            if problems:
                print(f"  warning: {r.name}, {phase}: {'; '.join(problems)}")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    databases = parser.add_mutually_exclusive_group()
    databases.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    databases.add_argument("--postgres", action="store_true", help="PostgreSQL only")
    parser.add_argument("--quick", action="store_true", help="150 users, 1,650 updates, 8 s")
    parser.add_argument("--users", type=int, help="users per phase (default 500)")
    parser.add_argument(
        "--updates", type=int, help="updates in the capacity run (11 a user: 5,500)"
    )
    parser.add_argument("--rate", type=float, default=200.0, help="offered updates/s")
    parser.add_argument("--low-rate", type=float, default=25.0, help="a second, lower offered rate")
    parser.add_argument("--duration", type=float, help="seconds of the latency run (20)")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="also profile the bot")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="COMMAND",
        help="leave a command out of the mix (e.g. /progress), to see what it costs",
    )
    args = parser.parse_args()
    LEFT_OUT.update(args.without)
    users = args.users or (150 if args.quick else 500)
    plan = Plan(
        groups=Groups(users),
        # Half of each user's script: the long /why flow gets past its first questions.
        capacity_updates=args.updates or users * UPDATES_PER_USER,
        rate=args.rate,
        low_rate=args.low_rate,
        duration=args.duration or (8.0 if args.quick else 20.0),
    )
    kinds = ["postgresql"] if args.postgres else ["sqlite"]
    if not args.sqlite_only and not args.postgres:
        kinds.append("postgresql")
    if "postgresql" in kinds and (reason := await postgres_unreachable()) is not None:
        print(f"PostgreSQL skipped: {ADMIN_POSTGRES} does not answer ({reason})")
        kinds.remove("postgresql")
    print(
        f"Incoming-update benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"request class bot.aiohttp_request.AiohttpRequest for both bots; "
        f"databases: {', '.join(kinds) or 'none'}"
        + (f"; left out of the mix: {', '.join(sorted(LEFT_OUT))}" if LEFT_OUT else ""),
        flush=True,
    )

    results: list[BotResult] = []
    async with remote_stub(plan.groups.all_users) as stub:
        async with echo_bot(stub):
            results.append(await measure("echo bot", stub, plan, onboard=False))
        for kind in kinds:
            with tempfile.TemporaryDirectory() as scratch:
                async with (
                    scratch_database(kind, Path(scratch), "durable-echo") as url,
                    durable_echo_bot(stub, url) as engine,
                ):
                    name = f"durable echo ({kind})"
                    results.append(
                        await measure(name, stub, plan, onboard=False, database=kind, engine=engine)
                    )
                async with (
                    scratch_database(kind, Path(scratch), "bot") as url,
                    coach_bot(stub, url) as application,
                ):
                    results.append(
                        await measure(
                            f"bot ({kind})",
                            stub,
                            plan,
                            onboard=True,
                            database=kind,
                            engine=application.services.engine,
                            profile_to=args.profile / kind if args.profile else None,
                        )
                    )
    report(results, plan)


if __name__ == "__main__":
    asyncio.run(main())
