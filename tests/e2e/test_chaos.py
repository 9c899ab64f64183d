"""A chaos user: many people at once doing random things in every state of the bot.

Sixteen users act at the same time; each one acts like an impatient person: one step, wait
until the bot has handled it, the next step. A step is, weighted: a random text (over-long,
blank, emoji, HTML characters, other scripts and right-to-left marks, applications "applied
to … yesterday", city names, numbers 1-5, dates), a command (every command the bot has,
/skip /back /cancel, /start with a bogus or their own buddy payload, unknown commands), a
press of any inline button they ever got (on the newest message, an older one, a button
already taken away, the same button twice quickly, or one with forged data), a tap on a
reply-keyboard button, a shared location (poles and 0,0 included), a photo, a sticker, a
document, an edit of a message sent earlier, or a quick burst of two or three messages.
Now and then an answer that fits the question on screen takes the flows deeper, and users
switch their Telegram app between English and Spanish. Every round of steps the clock
jumps ahead and the scheduled prompts go out, with a user or two having blocked the bot
meanwhile.

What must hold, checked for every user and step:

1. No update reaches the error handler (no record of ``handlers.errors``, no ERROR log
   record at all) and nobody is told "something went wrong".
2. Telegram refuses nothing: no 400 or other error, except 403s to a user who blocked
   the bot on purpose.
3. Every message gets an answer: at least one message, edit, picture or document in that
   chat while its update was handled; every button press gets its callback answered. (An
   edit of an earlier message may go unanswered.)
4. Nobody sees anyone else's data: each user types a marker of their own (``qz07k``) into
   company names, answers and captions; no message, button, toast or file sent to one user
   contains another user's marker.

The run is deterministic given the seed: each user draws from their own
``random.Random(f"{seed}:{index}")`` and waits for the bot before the next step, and the
clock moves only between rounds (only the bot's own random tokens differ between runs). A
failure shows the seed and the last steps of the user concerned.

    .venv/bin/python -m pytest tests/e2e/test_chaos.py                    # CI: 2,000 steps, ~40 s
    CHAOS_SEED=7 .venv/bin/python -m pytest tests/e2e/test_chaos.py       # another seed
    CHAOS_STEPS=50000 .venv/bin/python -m pytest tests/e2e/test_chaos.py  # long mode, 15-30 min

``CHAOS_USERS`` changes the number of users (default 16).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from telegram import Update

from bot import texts
from bot.context import CoachApplication
from bot.i18n import use_language
from botapi_stub import ApiCall, BotApiStub, UploadedFile
from tests.harness import MESSAGE_METHODS, BotHarness, bot_harness

SEED = int(os.environ.get("CHAOS_SEED", "20261122"))
STEPS = int(os.environ.get("CHAOS_STEPS", "2000"))
USERS = int(os.environ.get("CHAOS_USERS", "16"))
ROUND = 25  # steps each user takes between two jumps of the clock
STEP_TIMEOUT = 30.0  # seconds the bot may take for one step on a busy machine
SHOWN_STEPS = 10  # steps of a user's transcript shown with a failure
MAX_REPORTED = 12

# --- what users type ------------------------------------------------------------------------

NAMES = ("Ada", "Bo <b>", "Zoë 🙂", "محمد", "李雷", "Ольга", "O'Brien & Sons", "Ana", "Lee")
BLANK = (" ", "\u200b", "\u200f", "\n\n", "\u2060", "  \t ", "\u3000")
EMOJI = ("🙂", "🚀🔥💼", "👩🏽‍💻", "🇪🇸🇲🇽", "❤️", "👨‍👩‍👧‍👦" * 5)
HTML = (
    "<b>",
    "</i>",
    "&amp;",
    "<script>alert(1)</script>",
    "a < b > c & d",
    '<a href="http://example.com">x</a>',
    "&lt;tag&gt; &",
    "<tg-spoiler>",
    "<i>{marker}</i> & <u>",
)
SCRIPTS = (
    "أريد أن أصبح محلل بيانات",
    "我想成为数据分析师",
    "Хочу стать аналитиком данных",
    "אני רוצה להיות מעצב",
    "\u202eevil text\u202c",
    "\u200fمرحبا\u200e hello",
    "मैं डेटा वैज्ञानिक बनना चाहता हूँ",
    "Θέλω να αλλάξω καριέρα",
    "データアナリストになりたい",
)
APPLICATIONS = (
    "applied to {company} for a PM role yesterday",
    "Applied to {company} as a data analyst today",
    "interview with {company} Friday 2pm",
    "{company} rejected me",
    "got an offer from {company}!",
    "phone screen with {company} tomorrow at 10",
    "{company} ghosted me",
    "applied to {company} https://jobs.example.com/{marker}",
    "Me postulé a {company} para analista de datos ayer",
    "entrevista con {company} el viernes a las 15",
    "{company} me rechazó",
    "Applied to {company} and to Globex {marker} last week",
)
ANSWERS = (
    "I want work that helps people {marker}",
    "Learn SQL properly {marker}",
    "My mentor is Grace {marker}",
    "Build a portfolio site {marker}",
    "Quiero un trabajo con sentido {marker}",
    "{marker}",
    "Because I love data, {marker} & more",
)
CITIES = (
    "Paris",
    "Lisbon",
    "Tokyo",
    "São Paulo",
    "Buenos Aires",
    "Madrid",
    "New York",
    "Kyiv",
    "القاهرة",
    "北京",
    "UTC+5:30",
    "UTC-12",
    "GMT+14",
    "+3",
    "Nowhereville",
    "Springfield",
    "Kathmandu",
    "Ciudad de México",
)
NUMBERS = ("1", "2", "3", "4", "5", "0", "6", "-1", "3.5", "10", "99999999999999999999", "٣")
DATES = (
    "tomorrow",
    "next Friday",
    "in 6 months",
    "end of next year",
    "31/02/2027",
    "2027-01-15",
    "mañana",
    "el viernes",
    "yesterday 3pm",
    "1999-01-01",
    "9999-12-31",
    "in 100 years",
    "in 0 days",
    "Monday 9:00",
    "25:61",
    "dentro de 3 meses",
    "the day after tomorrow",
)
JOBS = (
    "data analyst",
    "Product Manager",
    "UX designer",
    "nurse",
    "sofware enginer",
    "CEO of the world",
    "Analista de datos",
    "профессор",
)
WORDS = ("yes", "no", "sí", "ok", "skip", "cancel", "back", "help", "Done", "Save", "next")

FLOW_COMMANDS = tuple(f"/{command}" for command, _ in texts.COMMANDS)
COMMANDS = (
    *FLOW_COMMANDS,
    "/skip",
    "/back",
    "/cancel",
    "/start",
)
ODD_COMMANDS = (
    "/start buddy_bogus",
    "/start buddy_" + "A" * 64,
    "/start <b>x</b>",
    "/start {marker}",
    "/applied {company}",
    "/applied <i>{company}</i> & co",
    "/foo",
    "/START",
    "/start@career_coach_bot",
    "/help@other_bot",
    "/settings please",
    "/delete_me now",
    "/123",
    "/skip /back",
)
LOCATIONS = (
    (0.0, 0.0),
    (90.0, 0.0),
    (-90.0, 0.0),
    (90.0, 180.0),
    (-90.0, -180.0),
    (89.9999, 179.9999),
    (51.5072, -0.1276),
    (-33.8688, 151.2093),
    (0.0, -160.0),
)
DOCUMENTS = (
    ("cv.pdf", b"%PDF-1.4 not really a pdf", "application/pdf"),
    ("<b>résumé</b>.docx", b"PK\x03\x04 fake", "application/octet-stream"),
    ("applications.csv", b"company,role\n{marker},PM\n", "text/csv"),
    ("data.json", b'{"company": "{marker}"}', "application/json"),
    ("empty.txt", b"", "text/plain"),
)

# What a question on screen asks for (English and Spanish words), and answers that fit.
FITTING: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("where are you", "dónde estás", "time zone", "zona horaria"), CITIES),
    (("company", "empresa"), ("{company}", "{company} Inc", "<b>{company}</b> & Co")),
    (("hours", "horas"), ("5", "10", "0", "40", "168", "3.5")),
    (("0–5", "0-5", "level", "nivel", "confident", "segur"), NUMBERS),
    (("when", "date", "cuándo", "fecha", "deadline", "día", "day"), DATES),
    (("role", "puesto", "job", "trabajo", "title", "título"), JOBS),
)

ACTIONS: tuple[tuple[str, int], ...] = (
    ("fitting", 16),
    ("text", 16),
    ("command", 18),
    ("press", 22),
    ("press_old", 8),
    ("press_stale", 3),
    ("press_forged", 3),
    ("double_press", 5),
    ("reply_keyboard", 3),
    ("location", 4),
    ("photo", 2),
    ("sticker", 2),
    ("document", 2),
    ("burst", 3),
    ("edit", 3),
)
TEXT_KINDS: tuple[tuple[str, int], ...] = (
    ("long", 3),
    ("blank", 3),
    ("emoji", 3),
    ("html", 5),
    ("script", 4),
    ("application", 12),
    ("answer", 12),
    ("city", 8),
    ("number", 10),
    ("date", 8),
    ("job", 6),
    ("word", 6),
)
_INVITE = re.compile(r"start=(\S+?)(?:[\s<\"']|$)")


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in weighted], [weight for _, weight in weighted])[0]


def _clip(text: str, limit: int = 160) -> str:
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} chars)"


# --- bookkeeping: which update made which call ----------------------------------------------


class Pulse:
    """Wakes every waiter on notify()."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)


def _user_of(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None


class Tracker:
    """Watches the bot handle updates one at a time (PTB's default), so every Bot API call
    belongs to the update being handled when it was made; knows when a user's updates are
    all handled, including one a flow put back in the queue for another flow."""

    def __init__(self, application: CoachApplication, stub: BotApiStub) -> None:
        assert application.concurrent_updates <= 1, "calls are told apart by update in turn"
        self.stub = stub
        self.pulse = Pulse()
        self.busy: Counter[int] = Counter()  # user id -> updates queued or being handled
        self.finished: Counter[int] = Counter()  # update id -> times handled
        self.current: int | None = None  # the update being handled
        self.calls_by_update: dict[int, list[ApiCall]] = defaultdict(list)
        self.origin: dict[int, int] = {}  # index in stub.calls -> update id
        self.unattributed: dict[int, list[ApiCall]] = defaultdict(list)  # prompts, by chat
        self.blocked: set[int] = set()
        self.expected_refusals: set[int] = set()  # indexes of 403s to a user who blocked
        self.buttons: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        self._button_keys: set[tuple[int, int, str]] = set()
        stub.add_listener(self._on_call)

        # Every way into the queue ends in put_nowait: a new update, and one a flow hands on.
        queue = application.update_queue
        put_nowait = queue.put_nowait

        def counted_put(item: object) -> None:
            put_nowait(item)
            user = _user_of(item)
            if user is not None:
                self.busy[user] += 1

        queue.put_nowait = counted_put  # type: ignore[method-assign]
        process = application.process_update

        async def tracked_process(update: object) -> None:
            self.current = update.update_id if isinstance(update, Update) else None
            try:
                await process(update)
            finally:
                self.current = None
                user = _user_of(update)
                if user is not None:
                    self.busy[user] -= 1
                if isinstance(update, Update):
                    self.finished[update.update_id] += 1
                self.pulse.notify()

        application.process_update = tracked_process  # type: ignore[method-assign]

    def _on_call(self, call: ApiCall) -> None:
        index = len(self.stub.calls) - 1
        chat = call.params.get("chat_id")
        if not call.ok and call.error_code == 403 and chat in self.blocked:
            self.expected_refusals.add(index)
        if call.method != "getUpdates":
            if self.current is not None:
                self.origin[index] = self.current
                self.calls_by_update[self.current].append(call)
            elif isinstance(chat, int) and call.method in MESSAGE_METHODS:
                self.unattributed[chat].append(call)
        if call.ok and call.method in MESSAGE_METHODS and isinstance(call.result, dict):
            self._remember_buttons(call.result)
        self.pulse.notify()

    def _remember_buttons(self, message: dict[str, Any]) -> None:
        markup = message.get("reply_markup") or {}
        chat = message.get("chat", {}).get("id")
        for row in markup.get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data")
                key = (chat, message["message_id"], str(data))
                if data is None or key in self._button_keys:
                    continue
                self._button_keys.add(key)
                self.buttons[chat].append((message["message_id"], data, str(button["text"])))

    def state(self, user_id: int, update_ids: list[int]) -> str:
        handled = {u: self.finished[u] for u in update_ids}
        return (
            f"updates {handled} handled so often; {self.busy[user_id]} of this user's queued "
            f"or in hand; update {self.current} in hand; "
            f"{self.stub.pending_updates()} unconfirmed at the stub"
        )

    def idle(self, user_id: int, update_ids: Iterable[int]) -> bool:
        return self.busy[user_id] == 0 and all(self.finished[u] for u in update_ids)

    async def until_idle(self, user_id: int, update_ids: list[int], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.idle(user_id, update_ids):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await self.pulse.wait(min(remaining, 0.1))
        return True


class UpdateTagger(logging.Handler):
    """Tags each log record with the update being handled, to name the user in a failure."""

    def __init__(self, tracker: Tracker) -> None:
        super().__init__(level=logging.WARNING)
        self.tracker = tracker

    def emit(self, record: logging.LogRecord) -> None:
        record.chaos_update = self.tracker.current


# --- the users ------------------------------------------------------------------------------


@dataclass
class Sent:
    update_id: int
    query_id: str | None  # a button press: its callback query
    what: str
    answer_due: bool = True  # False for an edit of an earlier message: answering is optional


@dataclass
class Step:
    number: int
    action: str
    sent: list[Sent] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"  #{self.number} {self.action}", *(f"      ← {r}" for r in self.replies)]


@dataclass
class Violation:
    user: ChaosUser | None
    step: int | None
    problem: str


def _describe(call: ApiCall) -> str:
    outcome = "" if call.ok else f" → {call.error_code} {call.description}"
    if call.method == "answerCallbackQuery":
        text = call.params.get("text")
        shown = f" {_clip(str(text))!r}" if text else ""
        return f"{call.method}{shown}{outcome}"
    body = call.params.get("text") or call.params.get("caption") or ""
    markup = call.params.get("reply_markup")
    labels: list[str] = []
    if isinstance(markup, dict):
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        labels = [b if isinstance(b, str) else str(b.get("text")) for r in rows for b in r]
    buttons = f" {labels}" if labels else ""
    return f"{call.method} {_clip(str(body))!r}{buttons}{outcome}"


class ChaosUser:
    def __init__(
        self, harness: BotHarness, tracker: Tracker, index: int, violations: list[Violation]
    ) -> None:
        self.index = index
        self.rng = random.Random(f"{SEED}:{index}")
        self.marker = f"qz{index:02d}k"
        self.company = f"Zorb{self.marker}"
        self.language = self.rng.choice(("en", "es", "en", "es", "es-MX", None, "de"))
        self.name = f"{NAMES[index % len(NAMES)]} {self.marker}"
        user = harness.user(self.name, language_code=self.language)
        self.user_id = user.user_id
        self.stub = harness.stub
        self.tracker = tracker
        self.violations = violations
        self.steps: list[Step] = []
        self.typed: list[int] = []  # ids of the text messages this user sent

    def __repr__(self) -> str:
        return f"{self.name} (user {self.user_id}, language {self.language})"

    def transcript(self, around: int | None = None) -> str:
        steps = self.steps
        if around is not None:
            steps = [s for s in steps if s.number <= around]
        return "\n".join(line for step in steps[-SHOWN_STEPS:] for line in step.lines())

    def _fill(self, template: str) -> str:
        return template.replace("{marker}", self.marker).replace("{company}", self.company)

    # -- choosing --------------------------------------------------------------------------

    def random_text(self) -> str:
        rng = self.rng
        kind = _pick(rng, TEXT_KINDS)
        if kind == "long":
            return rng.choice(
                (
                    "x" * 4097,
                    f"{self.marker} " * 1000,
                    "a" * 4096,
                    "&" * 4096,
                    "<b>" * 1365,
                    "🙂" * 3000,
                    f"I applied to {self.company} " + "and more " * 120,
                    "é" * 1001,
                )
            )
        pools: dict[str, tuple[str, ...]] = {
            "blank": BLANK,
            "emoji": EMOJI,
            "html": HTML,
            "script": SCRIPTS,
            "application": APPLICATIONS,
            "answer": ANSWERS,
            "city": CITIES,
            "number": NUMBERS,
            "date": DATES,
            "job": JOBS,
            "word": WORDS,
        }
        return self._fill(rng.choice(pools[kind]))

    def fitting_answer(self) -> str:
        """An answer to the question on screen, as a cooperative user would type it."""
        messages = [m for m in self.stub.messages(self.user_id) if not m.deleted]
        question = (messages[-1].text or messages[-1].caption or "") if messages else ""
        question = question.casefold()
        for words, answers in FITTING:
            if any(word in question for word in words):
                return self._fill(self.rng.choice(answers))
        return self._fill(self.rng.choice(ANSWERS))

    def random_command(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.75:
            return rng.choice(COMMANDS)
        invites = [
            m.group(1)
            for message in self.stub.messages(self.user_id)
            if (m := _INVITE.search(message.text or ""))
        ]
        if roll < 0.82 and invites:
            return f"/start {rng.choice(invites)}"  # their own invite link
        return self._fill(rng.choice(ODD_COMMANDS))

    def _live_buttons(self) -> list[tuple[int, str, str]]:
        """(message id, data, label) of every inline button on screen, oldest first."""
        return [
            (message.message_id, str(button["callback_data"]), str(button["text"]))
            for message in self.stub.messages(self.user_id)
            if not message.deleted
            for row in message.inline_keyboard
            for button in row
            if "callback_data" in button
        ]

    def _newest_buttons(self) -> list[tuple[int, str, str]]:
        live = self._live_buttons()
        if not live:
            return []
        newest = max(message_id for message_id, _, _ in live)
        return [button for button in live if button[0] == newest]

    def _stale_buttons(self) -> list[tuple[int, str, str]]:
        """Buttons shown once and taken away since, on messages still there."""
        live = set(self._live_buttons())
        there = {m.message_id for m in self.stub.messages(self.user_id) if not m.deleted}
        return [
            button
            for button in self.tracker.buttons[self.user_id]
            if button not in live and button[0] in there
        ]

    def _reply_keyboard(self) -> list[Any]:
        for message in reversed(self.stub.messages(self.user_id)):
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                return [button for row in markup["keyboard"] for button in row]
            if "remove_keyboard" in markup:
                return []
        return []

    def _location(self) -> tuple[float, float]:
        if self.rng.random() < 0.5:
            return self.rng.choice(LOCATIONS)
        return (
            round(self.rng.uniform(-90, 90), 5),
            round(self.rng.uniform(-180, 180), 5),
        )

    # -- acting ----------------------------------------------------------------------------

    def _text(self, step: Step, text: str) -> None:
        update = self.stub.send_text(self.user_id, text)
        self.typed.append(update["message"]["message_id"])
        step.sent.append(Sent(update["update_id"], None, f"text {_clip(text, 80)!r}"))

    def _edit(self, step: Step, message_id: int, text: str) -> None:
        """The user edits a message they sent earlier: an ``edited_message`` update."""
        user = self.stub.user(self.user_id)
        now = int(time.time())
        edited: dict[str, Any] = {
            "message_id": message_id,
            "from": user.to_user_dict(),
            "chat": user.to_chat_dict(),
            "date": now - 60,
            "edit_date": now,
            "text": text,
        }
        command = re.match(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,32})?", text)
        if command is not None:
            length = len(command.group(0).encode("utf-16-le")) // 2
            edited["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        update = self.stub.inject_raw({"edited_message": edited})
        what = f"edit of #{message_id} to {_clip(text, 80)!r}"
        step.sent.append(Sent(update["update_id"], None, what, answer_due=False))

    def _forged(self, button: tuple[int, str, str]) -> tuple[int, str, str]:
        """The button's data with every number changed: other users' ids, out of range."""
        message_id, data, label = button
        numbers = (0, 1, 2, 3, 5, 8, 13, 21, 40, 99, 10**9, -1)
        forged = re.sub(r"\d+", lambda _: str(self.rng.choice(numbers)), data)
        if forged == data:
            forged = data + self.rng.choice((":1", "x", ":-1"))
        return message_id, forged[:64], f"{label} (forged {forged!r})"

    def _press(self, step: Step, button: tuple[int, str, str], *, stale: bool = False) -> None:
        message_id, data, label = button
        update = self.stub.press(self.user_id, message_id, data, require_button=not stale)
        query_id = update["callback_query"]["id"]
        step.sent.append(Sent(update["update_id"], query_id, f"press [{label}] #{message_id}"))

    def act(self, step: Step) -> None:
        rng = self.rng
        if rng.random() < 0.03:  # they switch their Telegram app's language
            self.language = "es" if self.language != "es" else "en"
            self.stub.user(self.user_id).language_code = self.language
            step.action += f"(app language now {self.language}) "
        action = _pick(rng, ACTIONS)
        buttons = {
            "press": self._newest_buttons,
            "press_old": self._live_buttons,
            "double_press": self._live_buttons,
            "press_stale": self._stale_buttons,
            "press_forged": self._live_buttons,
        }
        if action in buttons:
            available = buttons[action]()
            if not available:
                action = "text"
            else:
                button = rng.choice(available)
                if action == "press_forged":
                    button = self._forged(button)
                step.action += f"{action} [{button[2]}] on #{button[0]} ({button[1]})"
                self._press(step, button, stale=action in ("press_stale", "press_forged"))
                if action == "double_press":
                    self._press(step, button, stale=True)
                return
        if action == "reply_keyboard":
            keyboard = self._reply_keyboard()
            if keyboard:
                button = rng.choice(keyboard)
                if isinstance(button, dict) and button.get("request_location"):
                    latitude, longitude = self._location()
                    step.action += f"taps [{button['text']}]: location {latitude}, {longitude}"
                    update = self.stub.send_location(self.user_id, latitude, longitude)
                    step.sent.append(Sent(update["update_id"], None, "location"))
                    return
                label = button if isinstance(button, str) else str(button["text"])
                step.action += f"taps reply button {label!r}"
                self._text(step, label)
                return
            action = "command"
        if action == "edit":
            if self.typed:
                message_id = rng.choice(self.typed)
                text = self.fitting_answer() if rng.random() < 0.5 else self.random_command()
                step.action += f"edits #{message_id} to {_clip(text, 100)!r}"
                self._edit(step, message_id, text)
                return
            action = "fitting"
        if action == "fitting":
            text = self.fitting_answer()
            step.action += f"answer {_clip(text, 100)!r}"
            self._text(step, text)
        elif action == "text":
            text = self.random_text()
            step.action += f"text {_clip(text, 100)!r}"
            self._text(step, text)
        elif action == "command":
            command = self.random_command()
            step.action += f"command {_clip(command, 100)!r}"
            self._text(step, command)
        elif action == "burst":
            messages = [
                self.random_text() if rng.random() < 0.6 else self.random_command()
                for _ in range(rng.randint(2, 3))
            ]
            step.action += "burst " + " | ".join(repr(_clip(m, 50)) for m in messages)
            for message in messages:
                self._text(step, message)
        elif action == "location":
            latitude, longitude = self._location()
            step.action += f"location {latitude}, {longitude}"
            update = self.stub.send_location(self.user_id, latitude, longitude)
            step.sent.append(Sent(update["update_id"], None, "location"))
        elif action == "photo":
            caption = self._fill(rng.choice(("", *APPLICATIONS[:2], *HTML[:3])))
            step.action += f"photo {caption!r}"
            update = self.stub.send_photo(self.user_id, caption=caption or None)
            step.sent.append(Sent(update["update_id"], None, "photo"))
        elif action == "sticker":
            emoji = rng.choice(("👍", "😀", "🐈", "❤️"))
            step.action += f"sticker {emoji}"
            update = self.stub.send_sticker(self.user_id, emoji)
            step.sent.append(Sent(update["update_id"], None, "sticker"))
        elif action == "document":
            name, content, mime = rng.choice(DOCUMENTS)
            body = content.replace(b"{marker}", self.marker.encode())
            caption = self._fill(rng.choice(("", "my CV {marker}", "<b>see</b> & attached")))
            step.action += f"document {name!r} {caption!r}"
            update = self.stub.send_document(
                self.user_id, name, body, mime, caption=caption or None
            )
            step.sent.append(Sent(update["update_id"], None, "document"))

    async def play(self, first: int, count: int) -> None:
        for number in range(first, first + count):
            step = Step(number, "")
            self.steps.append(step)
            self.act(step)
            update_ids = [sent.update_id for sent in step.sent]
            if not await self.tracker.until_idle(self.user_id, update_ids, STEP_TIMEOUT):
                self.violations.append(
                    Violation(
                        self,
                        number,
                        f"the bot did not finish within {STEP_TIMEOUT:g} s "
                        f"({self.tracker.state(self.user_id, update_ids)})",
                    )
                )
            self.check_answers(step)

    def check_answers(self, step: Step) -> None:
        for sent in step.sent:
            calls = self.tracker.calls_by_update.get(sent.update_id, [])
            step.replies.extend(_describe(call) for call in calls)
            if not sent.answer_due:
                continue
            if sent.query_id is None:
                answered = any(
                    call.ok
                    and call.method in MESSAGE_METHODS
                    and call.params.get("chat_id") == self.user_id
                    for call in calls
                )
                missing = f"no answer to the {sent.what}"
            else:
                answered = any(
                    call.ok
                    and call.method == "answerCallbackQuery"
                    and call.params.get("callback_query_id") == sent.query_id
                    for call in calls
                )
                missing = f"the callback query of {sent.what} was never answered"
            if not answered:
                self.violations.append(Violation(self, step.number, missing))


# --- the run --------------------------------------------------------------------------------


async def _time_passes(
    harness: BotHarness, tracker: Tracker, users: list[ChaosUser], rng: random.Random, turn: int
) -> None:
    """Between rounds: the clock jumps, a user or two has blocked the bot, prompts go out."""
    hours = rng.choice((1, 3, 8, 20, 26, 50, 24 * 7 + 2))
    blocking = rng.sample(users, k=rng.choice((0, 0, 1, 2)))
    for user in blocking:
        harness.stub.block(user.user_id)
        tracker.blocked.add(user.user_id)
    harness.clock.advance(hours=hours)
    await harness.dispatch()
    for user in blocking:
        harness.stub.unblock(user.user_id)
        tracker.blocked.discard(user.user_id)
    blocked = {user.user_id for user in blocking}
    for user in users:
        prompts = tracker.unattributed.pop(user.user_id, [])
        step = Step(
            turn, f"(time passes: +{hours} h{', bot blocked' if user.user_id in blocked else ''})"
        )
        step.replies = [_describe(call) for call in prompts]
        user.steps.append(step)


def _texts_of(call: ApiCall) -> str:
    """Everything a user sees in a call: text, caption, buttons, toast, a file's content."""
    parts = [
        str(call.params.get(key) or "")
        for key in ("text", "caption", "reply_markup")
        if key in call.params
    ]
    if isinstance(call.params.get("reply_markup"), dict):
        parts.append(json.dumps(call.params["reply_markup"], ensure_ascii=False))
    document = call.params.get("document")
    if isinstance(document, UploadedFile):
        parts.append(document.content.decode("utf-8", errors="replace"))
    return "\n".join(parts).casefold()


def _receiver(
    call: ApiCall, users: dict[int, ChaosUser], queries: dict[str, ChaosUser]
) -> ChaosUser | None:
    if call.method == "answerCallbackQuery":
        return queries.get(str(call.params.get("callback_query_id")))
    chat = call.params.get("chat_id")
    return users.get(chat) if isinstance(chat, int) else None


def _check_calls(tracker: Tracker, users: list[ChaosUser], violations: list[Violation]) -> None:
    """Invariants 1 (no "something went wrong"), 2 (nothing refused) and 4 (no leaks)."""
    with use_language("es"):
        error_es = texts.ERROR
    errors = (texts.ERROR.casefold(), error_es.casefold())
    by_id = {user.user_id: user for user in users}
    queries = {
        sent.query_id: user
        for user in users
        for step in user.steps
        for sent in step.sent
        if sent.query_id is not None
    }
    for index, call in enumerate(tracker.stub.calls):
        if call.method == "getUpdates":
            continue
        receiver = _receiver(call, by_id, queries)
        user, number = _owner(users, tracker.origin.get(index))
        user = user or receiver
        if not call.ok:
            if index not in tracker.expected_refusals:
                violations.append(Violation(user, number, f"Telegram refused: {_describe(call)}"))
            continue
        seen = _texts_of(call)
        if any(error in seen for error in errors):
            violations.append(Violation(user, number, "told something went wrong"))
        for other in users:
            if receiver is not None and other is not receiver and other.marker in seen:
                violations.append(
                    Violation(
                        receiver,
                        number,
                        f"{call.method} shows {other.name}'s data ({other.marker}): "
                        f"{_clip(seen, 300)!r}",
                    )
                )


def _check_logs(
    records: list[logging.LogRecord], users: list[ChaosUser], violations: list[Violation]
) -> None:
    """Invariant 1: the error handler is never reached, and nothing is logged as an error."""
    for record in records:
        if record.name != "handlers.errors" and record.levelno < logging.ERROR:
            continue
        user, number = _owner(users, getattr(record, "chaos_update", None))
        problem = f"log {record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info is not None and record.exc_info[0] is not None:
            problem += "\n" + logging.Formatter().formatException(record.exc_info)
        violations.append(Violation(user, number, problem))


def _step_of(user: ChaosUser, update_id: int | None) -> int | None:
    if update_id is None:
        return None
    for step in user.steps:
        if any(sent.update_id == update_id for sent in step.sent):
            return step.number
    return None


def _owner(users: list[ChaosUser], update_id: int | None) -> tuple[ChaosUser | None, int | None]:
    for user in users:
        number = _step_of(user, update_id)
        if number is not None:
            return user, number
    return None, None


def _report(violations: list[Violation], users: int, steps: int) -> str:
    rerun = f"CHAOS_SEED={SEED} CHAOS_STEPS={STEPS} CHAOS_USERS={USERS}"
    lines = [
        f"chaos seed {SEED}: {len(violations)} problem(s) in {steps} steps of {users} users "
        f"(rerun: {rerun} .venv/bin/python -m pytest tests/e2e/test_chaos.py)",
    ]
    shown: Counter[int] = Counter()
    for violation in violations[:MAX_REPORTED]:
        user = violation.user
        where = f"{user!r}, step #{violation.step}" if user is not None else "no user"
        lines.append(f"\n- [{where}] {violation.problem}")
        if user is not None and shown[user.index] < 2:
            shown[user.index] += 1
            lines.append(f"  last steps of {user.name} (seed {SEED}):")
            lines.append(user.transcript(around=violation.step))
    if len(violations) > MAX_REPORTED:
        lines.append(f"\n… and {len(violations) - MAX_REPORTED} more")
    return "\n".join(lines)


async def test_chaos_users_never_break_the_bot_or_see_each_other(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    violations: list[Violation] = []
    world = random.Random(f"{SEED}:world")
    per_user = max(1, STEPS // USERS)
    async with (
        bot_harness(sqlite_url, send_rate_per_second=1000, dispatch_interval_seconds=3600) as h,
        h.running() as application,
    ):
        tracker = Tracker(application, h.stub)
        tagger = UpdateTagger(tracker)
        logging.getLogger().addHandler(tagger)
        try:
            users = [ChaosUser(h, tracker, index, violations) for index in range(USERS)]
            done = 0
            while done < per_user:
                count = min(ROUND, per_user - done)
                await asyncio.gather(*(user.play(done + 1, count) for user in users))
                done += count
                await _time_passes(h, tracker, users, world, done)
        finally:
            logging.getLogger().removeHandler(tagger)

    _check_logs(caplog.records, users, violations)
    _check_calls(tracker, users, violations)
    assert not violations, _report(violations, USERS, per_user * USERS)
