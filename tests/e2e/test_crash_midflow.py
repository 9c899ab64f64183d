"""In the middle of each conversation flow: kill -9, restart, and the user goes on at the
same step with every earlier answer kept.

One bot process (`python -m bot run`, tests/processes.py) serves eleven people at once,
each in a different flow, written below as the conversation it is:

  * each user answers the first questions of their flow;
  * QUIET_KILL: every reply is out and the bot is idle — kill -9, start again. Nothing is
    said by the restart itself; each user answers the question on their screen and gets the
    question after it: the same step, not the flow from the beginning, not one further.
  * KILL_IN_FLIGHT: every user sends the next answer at once. The bot handles updates one
    at a time, in order; it is killed inside the handler of the middle one (a button press,
    at the toast, which never reaches Telegram): the answers before it are handled, the ones
    after it are in the update journal. After the restart every user has exactly one reply
    to that answer — nothing lost, nothing answered twice.
  * each user goes on to the end of the flow (or a step further).

Then the database holds every answer, no user saw another's words, Telegram rejected no
call, and the bot's log has no traceback and no error.
"""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.application_status import Status
from botapi_stub import ApiCall, BotApiStub, Fault
from scheduler.application_planning import ApplicationTiming, log_application, record_status
from scheduler.kinds import REJECTION_REFLECTION
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database
from storage.models import Application, Checkin, InboundUpdate, Plan, Reflection, ScheduledPrompt
from storage.repositories.gaps import GapRepository
from storage.repositories.inbound_updates import InboundUpdateRepository
from storage.repositories.journey import JourneyRepository
from storage.repositories.users import UserRepository
from tests.harness import TEST_TOKEN, ChatUser, bot_harness
from tests.processes import BotProcess, bot_environment

# Two CPUs, other tests running, three process starts: every wait is generous.
REPLY_TIMEOUT = 30.0
START_TIMEOUT = 60.0
# Nothing left at Telegram or in the journal, and no call but polling for this long: the
# bot is idle (its conversation state is written right after an update is marked handled).
QUIET_SECONDS = 1.0
SENDS = ("sendMessage", "sendPhoto", "sendDocument")
LOG_PROBLEM = re.compile(r"^.*\b(ERROR|CRITICAL)\b.*$", re.MULTILINE)
REPLAYED = re.compile(r"Replaying (\d+) update\(s\) received before a restart")
DELIVERED_AGAIN = re.compile(r"Update \d+ was delivered again; it is ignored")


# --- the conversations ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """What the user does, what the reply they wait for contains, and how many new
    messages it brings (a button that changes its own message brings none)."""

    action: str  # "send", "press", or "arrives": the bot writes first (a scheduled prompt)
    text: str
    reply: tuple[str, ...]
    messages: int = 1

    def __str__(self) -> str:
        return f"{self.action} {self.text!r} → {self.reply!r}"


def send(text: str, *reply: str) -> Step:
    return Step("send", text, reply)


def press(label: str, *reply: str) -> Step:
    return Step("press", label, reply)


def press_in_place(label: str, *reply: str) -> Step:
    """A button whose message changes in place (a toggle, a menu): nothing new is sent."""
    return Step("press", label, reply, messages=0)


def arrives(*reply: str) -> Step:
    return Step("arrives", "", reply)


QUIET_KILL = "kill -9 once the bot is idle, restart"
KILL_IN_FLIGHT = "everyone sends the next answer, kill -9 while they are handled, restart"

Check = Callable[[AsyncSession, int], Awaitable[None]]
Seed = Callable[[AsyncSession, int, str, datetime], Awaitable[None]]


@dataclass(frozen=True)
class Flow:
    name: str
    first_name: str
    script: tuple[Step | str, ...]
    saved: Check  # asserts what the database holds once the flow is done
    seed: Seed | None = None  # what exists before the bot starts

    @property
    def steps(self) -> list[Step]:
        return [step for step in self.script if isinstance(step, Step)]

    def _part(self, start: str | None, end: str | None) -> list[Step]:
        first = self.script.index(start) + 1 if start else 0
        last = self.script.index(end) if end else len(self.script)
        return [step for step in self.script[first:last] if isinstance(step, Step)]

    @property
    def before(self) -> list[Step]:
        return self._part(None, QUIET_KILL)

    @property
    def between(self) -> list[Step]:
        return self._part(QUIET_KILL, KILL_IN_FLIGHT)

    @property
    def in_flight(self) -> Step:
        return self._part(KILL_IN_FLIGHT, None)[0]

    @property
    def after(self) -> list[Step]:
        return self._part(KILL_IN_FLIGHT, None)[1:]


async def _answers(session: AsyncSession, user_id: int, step: str) -> dict[str, str]:
    return await JourneyRepository(session).answers(user_id=user_id, step=step)


async def _start_saved(session: AsyncSession, user_id: int) -> None:
    user = await UserRepository(session).get(user_id)
    assert user is not None and user.timezone == "Australia/Melbourne"


async def _why_saved(session: AsyncSession, user_id: int) -> None:
    answers = await _answers(session, user_id, "why")
    assert answers == {
        "push": '["values", "pay"]',
        "pull": "Climate work with Wes's old team",
        "stay": "leave",
        "day_to_day": "little",
    }


async def _target_saved(session: AsyncSession, user_id: int) -> None:
    answers = await _answers(session, user_id, "target")
    assert answers["title"] == "registered nurse"
    assert answers["occupation"] == "29-1141.00"
    assert answers["sector"] == "health"
    assert answers["tasks_like"] == '["1", "3"]'


async def _gaps_saved(session: AsyncSession, user_id: int) -> None:
    items = {i.name: i for i in await GapRepository(session).items(user_id=user_id)}
    assert {name: item.area for name, item in items.items()} == {
        "Gil's SQL joins": "technical",
        "Gil's Excel macros": "tools",
    }
    sql = items["Gil's SQL joins"]
    assert (sql.current_level, sql.required_level) == (1, 4)


async def _plan_saved(session: AsyncSession, user_id: int) -> None:
    plan = await session.get(Plan, user_id)
    assert plan is not None
    assert (plan.deadline_text, plan.hours_per_week) == ("end of next year", 6)
    assert plan.deadline is not None and (plan.deadline.month, plan.deadline.day) == (12, 31)
    assert plan.built_at is not None


async def _team_saved(session: AsyncSession, user_id: int) -> None:
    answers = await _answers(session, user_id, "team")
    assert {key: answers.get(key) for key in ("emotional_who", "emotional_how")} == {
        "emotional_who": "Tom's sister Léa",
        "emotional_how": "Dinner with Léa on Friday",
    }
    assert {key: answers.get(key) for key in ("mentor_who", "mentor_how")} == {
        "mentor_who": "Grace, Tom's data lead",
        "mentor_how": "Ask Grace for a 20-minute call",
    }


async def _pitch_saved(session: AsyncSession, user_id: int) -> None:
    answers = await _answers(session, user_id, "pitch")
    assert answers["employer"] == "Pia's rural clinics"
    assert answers["problem"] == "cut waiting times in half"
    assert answers["proof"] == "I rebuilt the Pia rota and waits fell 40%"
    assert answers["pitch"].startswith("I help Pia's rural clinics")


async def _checkin_saved(session: AsyncSession, user_id: int) -> None:
    (checkin,) = await session.scalars(select(Checkin).where(Checkin.user_id == user_id))
    assert checkin.state == "answered"
    assert (checkin.did, checkin.obstacles, checkin.went_well, checkin.commitment) == (
        "Cal finished SQL module 3",
        "Cal's work was intense",
        "Cal studied every morning",
        "Cal applies to 2 analyst roles",
    )
    assert checkin.confidence == 4


async def _applied_saved(session: AsyncSession, user_id: int) -> None:
    (application,) = await session.scalars(
        select(Application).where(Application.user_id == user_id)
    )
    assert (application.company, application.role, application.status) == (
        "Abe's Initech",
        "Abe's Data Analyst",
        "applied",
    )
    assert application.applied_on is not None
    assert application.applied_on >= datetime.now(UTC).date() - timedelta(days=2)


async def _settings_saved(session: AsyncSession, user_id: int) -> None:
    user = await UserRepository(session).get(user_id)
    assert user is not None
    assert (user.checkin_weekday, user.checkin_time) == (3, time(8, 0))


async def _reflection_saved(session: AsyncSession, user_id: int) -> None:
    (reflection,) = await session.scalars(select(Reflection).where(Reflection.user_id == user_id))
    assert (reflection.company, reflection.stage) == ("Rae's Globex", "screening")
    assert reflection.feedback == "Rae lacked domain experience, they said"
    assert reflection.went_well == "Rae's screening call felt easy"
    assert reflection.would_change == "Rae reads up on the domain first"
    assert reflection.next_action == "keep_going"
    assert reflection.completed_at is not None


async def _rejected_yesterday(
    session: AsyncSession, user_id: int, first_name: str, now: datetime
) -> None:
    """A user whose application was rejected, and the reflection prompt due now."""
    await UserRepository(session).ensure(
        user_id=user_id, first_name=first_name, last_name=None, username=None, language="en"
    )
    timing = ApplicationTiming(zone="UTC")
    today = now.date()
    application = await log_application(
        session,
        user_id=user_id,
        company="Rae's Globex",
        role="Product Analyst",
        status=Status.APPLIED,
        on=today - timedelta(days=3),
        timing=timing,
        now=now - timedelta(days=1),
    )
    await record_status(
        session,
        application=application,
        status=Status.REJECTED,
        on=today - timedelta(days=1),
        timing=timing,
        now=now - timedelta(days=1),
    )
    due = await session.execute(
        update(ScheduledPrompt)
        .where(ScheduledPrompt.user_id == user_id, ScheduledPrompt.kind == REJECTION_REFLECTION)
        .values(due_at=now - timedelta(minutes=1))
    )
    assert getattr(due, "rowcount", 0) == 1, "the rejection queued its reflection"


FLOWS = (
    Flow(
        "/start (time zone)",
        "Sam",
        (
            send("/start", "Hi Sam", "where are you"),
            send("Sydney", "Australia/Sydney", "Is that right?"),
            press("No, let me fix it", "where are you"),
            QUIET_KILL,
            send("Melbourne", "Australia/Melbourne", "Is that right?"),
            KILL_IN_FLIGHT,
            press("Yes", "time zone is saved"),
            send("/start", "Welcome back, Sam", "Australia/Melbourne"),
        ),
        saved=_start_saved,
    ),
    Flow(
        "/why",
        "Wes",
        (
            send("/why", "Why do you want to change", "pushing you away"),
            press_in_place("Values", "pushing you away"),
            press_in_place("Pay", "pushing you away"),
            press("Done", "pulls"),
            QUIET_KILL,
            send("Climate work with Wes's old team", "still want to leave"),
            KILL_IN_FLIGHT,
            press("still leave", "day-to-day"),
            press("not much yet", "Why does that matter to you?"),
        ),
        saved=_why_saved,
    ),
    Flow(
        "/target",
        "Tia",
        (
            send("/target", "name the job"),
            send("registered nurse", "closest to “registered nurse”"),
            QUIET_KILL,
            press("Registered Nurses", "Which sector"),
            KILL_IN_FLIGHT,
            press("Health", "typical day holds", "Registered Nurses"),
            press_in_place("1", "typical day holds"),
            press_in_place("3", "typical day holds"),
            press("Done", "don't", "appeal"),
        ),
        saved=_target_saved,
    ),
    Flow(
        "/team",
        "Tom",
        (
            send("/team", "Don't change career alone"),
            send("Tom's sister Léa", "involve Tom's sister Léa"),
            QUIET_KILL,
            send("Dinner with Léa on Friday", "mentor"),
            KILL_IN_FLIGHT,
            send("Grace, Tom's data lead", "involve Grace, Tom's data lead"),
            send("Ask Grace for a 20-minute call", "review your CV"),
        ),
        saved=_team_saved,
    ),
    Flow(
        "/pitch",
        "Pia",
        (
            send("/pitch", "position you like a product"),
            send("Pia's rural clinics", "What problem do you solve"),
            QUIET_KILL,
            send("cut waiting times in half", "What proof"),
            KILL_IN_FLIGHT,
            send("I rebuilt the Pia rota and waits fell 40%", "Here's your pitch"),
            press("Use this", "Your pitch is saved", "I help Pia's rural clinics"),
        ),
        saved=_pitch_saved,
    ),
    Flow(
        "/applied",
        "Abe",
        (
            send("/applied", "step by step", "Which company"),
            send("Abe's Initech", "What's the role"),
            QUIET_KILL,
            send("Abe's Data Analyst", "Where does it stand?"),
            KILL_IN_FLIGHT,
            press("Applied", "When?"),
            press("Yesterday", "New application", "Abe's Initech", "Abe's Data Analyst"),
            press_in_place("Save", "Saved"),
        ),
        saved=_applied_saved,
    ),
    Flow(
        "/gaps",
        "Gil",
        (
            send("/gaps", "haven't named a target job"),
            send("Gil's SQL joins", "Where does"),
            press("Technical", "Added"),
            QUIET_KILL,
            send("Gil's Excel macros", "Where does"),
            KILL_IN_FLIGHT,
            press("Tools", "Added"),
            press("Done", "1/2", "Gil's SQL joins", "Where are you today?"),
            press("1", "what level does the job need?"),
            press("4", "2/2", "Gil's Excel macros"),
        ),
        saved=_gaps_saved,
    ),
    Flow(
        "/plan",
        "Pam",
        (
            send("/plan", "turn your change into a plan", "By when"),
            send("in 6 months", "Right?"),
            press("No, let me fix it", "when would you like it to be?"),
            QUIET_KILL,
            send("end of next year", "31 December", "Right?"),
            KILL_IN_FLIGHT,
            press("Yes", "How many hours a week"),
            send("6 hours a week", "Your roadmap is ready", "6 h a week"),
        ),
        saved=_plan_saved,
    ),
    Flow(
        "/checkin",
        "Cal",
        (
            send("/checkin", "1/5", "What did you do"),
            send("Cal finished SQL module 3", "2/5", "What got in the way"),
            QUIET_KILL,
            send("Cal's work was intense", "3/5", "went well"),
            KILL_IN_FLIGHT,
            send("Cal studied every morning", "4/5", "one small, concrete thing"),
            send("Cal applies to 2 analyst roles", "5/5", "How confident"),
            press("4", "Check-in saved", "Cal applies to 2 analyst roles"),
        ),
        saved=_checkin_saved,
    ),
    Flow(
        "/settings",
        "Sue",
        (
            send("/settings", "Your settings"),
            press_in_place("Check-in day", "Which day"),
            QUIET_KILL,
            press_in_place("Thu", "what time on Thursday"),
            KILL_IN_FLIGHT,
            send("8am", "every Thursday at 08:00"),
            press_in_place("Done", "Settings saved"),
        ),
        saved=_settings_saved,
    ),
    Flow(
        "the reflection after a rejection",
        "Rae",
        (
            arrives("Hi Rae", "Rae's Globex", "said no"),
            press("Let's reflect", "1/5", "At which stage"),
            press("After screening", "2/5", "What feedback came"),
            QUIET_KILL,
            send("Rae lacked domain experience, they said", "3/5", "What went well"),
            KILL_IN_FLIGHT,
            send("Rae's screening call felt easy", "4/5", "differently"),
            send("Rae reads up on the domain first", "5/5", "What will you do next?"),
            press("Keep going", "Thank you, Rae"),
        ),
        saved=_reflection_saved,
        seed=_rejected_yesterday,
    ),
)


# --- the people and the bot ------------------------------------------------------------------


@dataclass
class Person:
    flow: Flow
    chat: ChatUser

    @property
    def user_id(self) -> int:
        return self.chat.user_id

    async def act(self, step: Step) -> dict[str, Any] | None:
        """Do what the step says; returns the update Telegram queued for it."""
        stub = self.chat.stub
        if step.action == "send":
            return await self.chat.send(step.text)
        self.chat.cursor = len(stub.calls)  # the reply is whatever comes next
        if step.action == "arrives":
            return None
        await stub.wait_for(lambda: self._button(step.text) is not None, timeout=REPLY_TIMEOUT)
        found = self._button(step.text)
        assert found is not None
        return stub.press(self.user_id, *found)

    def _button(self, label: str) -> tuple[int, str] | None:
        """The newest button on screen whose label contains `label`: (message, data)."""
        for message in reversed(self.chat.stub.messages(self.user_id)):
            for row in message.inline_keyboard:
                for button in row:
                    if label.casefold() in str(button["text"]).casefold():
                        return message.message_id, str(button["callback_data"])
        return None

    async def wait_for_reply(self, step: Step) -> None:
        try:
            await self.chat.expect(*step.reply, timeout=REPLY_TIMEOUT)
        except AssertionError as error:
            raise AssertionError(f"{self.flow.name}, {step}: {error}") from None

    async def go_through(self, steps: list[Step]) -> None:
        for step in steps:
            await self.act(step)
            await self.wait_for_reply(step)

    def typed(self) -> list[str]:
        """What only this user wrote (the answers that name them or are otherwise unique)."""
        return [
            step.text
            for step in self.flow.steps
            if step.action == "send" and not step.text.startswith("/") and len(step.text) >= 8
        ]


def _messages_to(stub: BotApiStub, user_id: int, since: int = 0) -> list[ApiCall]:
    return [
        call
        for call in stub.calls[since:]
        if call.method in SENDS and call.ok and str(call.params.get("chat_id")) == str(user_id)
    ]


async def _unprocessed(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(InboundUpdate)
            .where(InboundUpdate.processed_at.is_(None))
        )
    return int(count or 0)


async def _until_idle(stub: BotApiStub, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Until the bot is idle (see QUIET_SECONDS)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REPLY_TIMEOUT
    while loop.time() < deadline:
        await stub.wait_for(lambda: stub.pending_updates() == 0, timeout=REPLY_TIMEOUT)
        if await _unprocessed(sessions) == 0:
            seen = sum(c.method != "getUpdates" for c in stub.calls)
            await asyncio.sleep(QUIET_SECONDS)
            if sum(c.method != "getUpdates" for c in stub.calls) == seen:
                return
        else:
            await asyncio.sleep(0.1)
    raise AssertionError("the bot never went quiet")


async def _restart(bot: BotProcess, stub: BotApiStub) -> None:
    """Start again, and wait until the new process polls: what the crash left in the
    journal has been queued by then."""
    mark = len(stub.calls)
    await bot.start()
    # PTB deletes any webhook just before its first getUpdates (a long poll, recorded only
    # when it ends), after post_init has replayed the journal.
    await stub.wait_for(
        lambda: any(c.method in ("deleteWebhook", "getUpdates") for c in stub.calls[mark:]),
        timeout=START_TIMEOUT,
    )


class KillInsideTheHandler:
    """The stub's fault injector: when the bot answers the press `query_id` — the first
    thing its handler does — SIGKILL the bot and hold that call, so that the stub never
    takes it (the dead bot's connection drops first)."""

    HOLD = 10.0

    def __init__(self, stub: BotApiStub, bot: BotProcess) -> None:
        self.stub = stub
        self.bot = bot
        self.query_id: str | None = None
        self.killed_at: int | None = None  # how many calls the stub had recorded by then

    def __call__(self, method: str, params: dict[str, Any]) -> Fault | None:
        if self.killed_at is not None or method != "answerCallbackQuery":
            return None
        if self.query_id is None or params.get("callback_query_id") != self.query_id:
            return None
        assert self.bot.process is not None
        self.bot.process.send_signal(signal.SIGKILL)
        self.killed_at = len(self.stub.calls)
        return Fault(delay=self.HOLD)


# --- the tests ------------------------------------------------------------------------------


async def test_every_flow_killed_mid_way_twice_goes_on_at_the_same_step_with_every_answer_kept(
    tmp_path: Path,
) -> None:
    await _every_flow_killed_twice(f"sqlite+aiosqlite:///{tmp_path / 'crash.sqlite3'}", tmp_path)


async def test_every_flow_killed_mid_way_twice_on_postgresql(
    postgres_url: str, tmp_path: Path
) -> None:
    await _every_flow_killed_twice(postgres_url, tmp_path)


async def _every_flow_killed_twice(url: str, tmp_path: Path) -> None:
    await upgrade_database(url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        async with BotApiStub() as stub:
            people: list[Person] = []
            for number, flow in enumerate(FLOWS):
                assert flow.before and flow.between and flow.after, f"{flow.name}: three parts"
                user_id = 910_001 + number
                stub.user(user_id, first_name=flow.first_name)
                if flow.seed is not None:
                    async with sessions.begin() as session:
                        await flow.seed(session, user_id, flow.first_name, datetime.now(UTC))
                people.append(Person(flow, ChatUser(stub, user_id, flow.first_name)))
            bot = BotProcess(
                bot_environment(stub, url, DISPATCH_INTERVAL_SECONDS="0.5"),
                tmp_path / "bot.log",
            )
            try:
                await _the_story(bot, stub, sessions, people)
            finally:
                await bot.stop()
            log = bot.log()
            rejected = [(c.method, c.description) for c in stub.rejected_calls]
            strangers = {
                str(c.params.get("chat_id")) for c in stub.calls if c.method in SENDS and c.ok
            } - {str(p.user_id) for p in people}
            crossed = [
                (person.flow.first_name, text, other.flow.first_name)
                for person in people
                for text in person.typed()
                for other in people
                if other is not person
                for message in stub.messages(other.user_id)
                if text in (message.text or "")
            ]
            messages = {p.flow.name: len(_messages_to(stub, p.user_id)) for p in people}
        for person in people:
            async with sessions() as session:
                await person.flow.saved(session, person.user_id)
    finally:
        await engine.dispose()

    print(
        f"\n{len(people)} flows, {bot.starts} starts; "
        f"{sum(int(n) for n in REPLAYED.findall(log))} update(s) replayed from the journal, "
        f"{len(DELIVERED_AGAIN.findall(log))} delivered again and ignored"
    )
    assert rejected == [], f"calls Telegram would reject: {rejected}"
    assert "Traceback" not in log, log
    assert LOG_PROBLEM.findall(log) == [], log
    assert strangers == set(), "messages to chats nobody in the test has"
    assert crossed == [], "a user got another user's words (whose, which, seen by whom)"
    assert messages == {p.flow.name: sum(s.messages for s in p.flow.steps) for p in people}, (
        "each step brings its own messages, none twice"
    )


async def _the_story(
    bot: BotProcess,
    stub: BotApiStub,
    sessions: async_sessionmaker[AsyncSession],
    people: list[Person],
) -> None:
    await bot.start()
    # Everyone answers the first questions of their flow, all at the same time.
    await asyncio.gather(*(p.go_through(p.flow.before) for p in people))

    # QUIET_KILL.
    await _until_idle(stub, sessions)
    await bot.kill()
    killed_at = len(stub.calls)
    await _restart(bot, stub)
    await _until_idle(stub, sessions)
    spontaneous = [c.params.get("text") for c in stub.calls[killed_at:] if c.method in SENDS]
    assert spontaneous == [], "a restart says nothing by itself"
    # Each answers the question on their screen and gets the one after it.
    await asyncio.gather(*(p.go_through(p.flow.between) for p in people))
    await _until_idle(stub, sessions)

    # KILL_IN_FLIGHT: the bot dies inside the handler of the middle answer (a press).
    sent_from = len(stub.calls)
    middle = len(people) // 2
    killer = KillInsideTheHandler(stub, bot)
    stub.fault_injector = killer
    try:
        for number, person in enumerate(people):
            sent = await person.act(person.flow.in_flight)
            if number == middle:
                assert sent is not None and "callback_query" in sent, "the middle one presses"
                killer.query_id = sent["callback_query"]["id"]
        await stub.wait_for(lambda: killer.killed_at is not None, timeout=REPLY_TIMEOUT)
    finally:
        stub.fault_injector = None
    await bot.kill()
    replied = [p.flow.name for p in people if _messages_to(stub, p.user_id, sent_from)]
    assert replied == [p.flow.name for p in people[:middle]], "one at a time, in order"
    await stub.wait_for(
        lambda: any(
            c.method == "answerCallbackQuery" and c.description == "client disconnected"
            for c in stub.calls[killer.killed_at or 0 :]
        ),
        timeout=REPLY_TIMEOUT,
    )  # the toast never reached Telegram
    await _restart(bot, stub)
    await asyncio.gather(*(p.wait_for_reply(p.flow.in_flight) for p in people))
    await _until_idle(stub, sessions)
    for person in people:
        replies = [c.params.get("text") for c in _messages_to(stub, person.user_id, sent_from)]
        assert len(replies) == person.flow.in_flight.messages, (
            f"{person.flow.name}: {person.flow.in_flight} got {replies}"
        )

    # And on to the end of the flow (or a step further).
    await asyncio.gather(*(p.go_through(p.flow.after) for p in people))
    await _until_idle(stub, sessions)


async def test_a_press_whose_toast_went_out_just_before_a_crash_is_handled_after_it(
    tmp_path: Path,
) -> None:
    """Regression: after the restart the journal replays the press, Telegram refuses its
    toast a second time ("query is too old … or query ID is invalid", as it does for any
    toast more than a few seconds late), and that used to end the handler: "something
    went wrong", and the answer was lost."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'toast.sqlite3'}"
    async with bot_harness(url) as harness:
        stub = harness.stub
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/start")
            await ada.expect("where are you")
            await ada.send("Lima")
            question = await ada.expect("America/Lima", "Is that right?")
        # Ada presses Yes; the bot journals the press, answers its toast, and is killed.
        yes = next(
            button
            for row in (question.markup or {})["inline_keyboard"]
            for button in row
            if "Yes" in button["text"]
        )
        update = stub.press(ada.user_id, question.message_id, yes["callback_data"])
        engine = create_engine(url)
        async with create_session_factory(engine).begin() as session:
            await InboundUpdateRepository(session).record(
                update_id=update["update_id"],
                user_id=ada.user_id,
                payload=update,
                now=harness.clock(),
            )
        async with Bot(TEST_TOKEN, base_url=stub.base_url) as killed_bot:
            await killed_bot.answer_callback_query(update["callback_query"]["id"])
        ada.cursor = len(stub.calls)
        async with harness.running():
            await ada.expect("time zone is saved")
            said = [reply.text for reply in await ada.settle(quiet=0.5)]
        async with create_session_factory(engine)() as session:
            user = await UserRepository(session).get(ada.user_id)
        await engine.dispose()
    assert not any("went wrong" in text for text in said), said
    assert user is not None and user.timezone == "America/Lima"
    assert [(c.method, c.description) for c in stub.rejected_calls] == [
        (
            "answerCallbackQuery",
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
    ], "the one refusal: the replayed toast"
