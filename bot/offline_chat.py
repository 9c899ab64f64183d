"""`careercoach chat`: talk to the real bot in a terminal, through the local Bot API stub.

The application is the same one that serves Telegram, on the same database; only the
Bot API server is the in-process stub. Buttons are numbered: type the number to press.
"""

from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot.app import build_application
from bot.config import Settings
from bot.runner import polling
from botapi_stub import ApiCall, BotApiStub, BotMessage
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database
from storage.repositories.inbound_updates import InboundUpdateRepository
from storage.repositories.users import UserRepository

OFFLINE_TOKEN = "1000000001:offline-chat-token-not-a-secret"
OFFLINE_USER_ID = 1
QUIET_PERIOD = 0.3  # seconds without bot activity, after its answer, before the next line
REPLY_TIMEOUT = 15.0
_PRINTED_METHODS = {"sendMessage", "editMessageText", "sendPhoto", "sendDocument"}
_ANSWER_METHODS = _PRINTED_METHODS | {"answerCallbackQuery"}
_LOCATION = re.compile(r"^(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)$")

HELP = (
    "Offline chat with Career Change Coach. Type as you would in Telegram.\n"
    "Buttons show as [1] Yes: type 1 to press. Share a location as: /location 48.85 2.35\n"
    "/quit leaves.\n"
)
FIRST_TIME = "Try /start\n"
GOODBYE_KEPT = "Bye! Everything you told me is saved for next time.\n"
GOODBYE = "Bye!\n"  # nothing is stored: never started, or erased with /delete_me
# A new terminal knows nothing of the buttons printed by an earlier run.
RETURNING = (
    "Welcome back: everything from your earlier chats is kept. Buttons printed in an\n"
    "earlier run can't be pressed here; send a step's command again (/why, /target, …)\n"
    "to see its question with its buttons, or /next for the best next step.\n"
)


@dataclass
class _Screen:
    """What the person sees: bot messages as text, and the buttons they can press now."""

    out: TextIO
    inline: dict[int, tuple[int, str]] = field(default_factory=dict)  # number → (message, data)
    shown: dict[int, str] = field(default_factory=dict)  # message id → text printed
    reply_buttons: dict[int, dict[str, Any]] = field(default_factory=dict)

    def show(self, stub: BotApiStub, call: ApiCall) -> None:
        if not call.ok or call.method not in _PRINTED_METHODS:
            return
        chat_id = int(str(call.params.get("chat_id", OFFLINE_USER_ID)))
        messages = stub.messages(chat_id)
        if not messages:
            return
        if call.method == "editMessageText":
            wanted = int(str(call.params.get("message_id", 0)))
            message = next((m for m in messages if m.message_id == wanted), messages[-1])
            prefix = "(edited) "
        else:
            message = messages[-1]
            prefix = ""
        body = message.text or message.caption or ""
        if message.kind != "text":
            body = f"[{message.kind}: {self._save(message)}] {body}".strip()
        before = self.shown.get(message.message_id, "")
        self.shown[message.message_id] = body
        if prefix and before and body.startswith(before):
            # An edit that only adds the choice made ("→ Yes"): show just that.
            addition = body[len(before) :].strip()
            if addition:
                self.out.write(f"  {addition}\n")
        else:
            self.out.write(f"\nCoach: {prefix}{body}\n")
        if not message.reply_markup and any(
            owner == message.message_id for owner, _data in self.inline.values()
        ):
            self.inline.clear()  # the buttons on screen were just taken away
        self._buttons(message.message_id, message.reply_markup)
        self.out.flush()

    def _save(self, message: BotMessage) -> str:
        """Pictures and files cannot show in a terminal: save them where the user can open them."""
        if not message.content:
            return message.file_name or message.kind
        folder = Path("data") / "offline-files"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".png" if message.kind == "photo" else ""
        name = Path(message.file_name).name if message.file_name else ""
        path = folder / (name or f"{message.kind}-{message.message_id}{suffix}")
        path.write_bytes(message.content)
        return f"saved to {path}"

    def _buttons(self, message_id: int, markup: dict[str, Any] | None) -> None:
        if not markup:
            return
        if "inline_keyboard" in markup:
            self.inline.clear()
            self.reply_buttons.clear()
            labels = []
            for row in markup["inline_keyboard"]:
                for button in row:
                    number = len(self.inline) + 1
                    self.inline[number] = (message_id, button.get("callback_data", ""))
                    labels.append(f"[{number}] {button['text']}")
            self.out.write("  " + "  ".join(labels) + "\n")
        elif "keyboard" in markup:
            self.inline.clear()
            self.reply_buttons.clear()
            labels = []
            for row in markup["keyboard"]:
                for button in row:
                    number = len(self.reply_buttons) + 1
                    self.reply_buttons[number] = button
                    labels.append(f"[{number}] {button['text']}")
            self.out.write("  " + "  ".join(labels) + "\n")
        elif markup.get("remove_keyboard"):
            self.reply_buttons.clear()


async def _wait_for_answer(stub: BotApiStub, since: int) -> None:
    """Every message gets an answer: wait for it, then for the bot to fall quiet."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REPLY_TIMEOUT
    seen = since
    last_activity = loop.time()
    answered = False
    while loop.time() < deadline:
        calls = stub.calls
        for call in calls[seen:]:
            if call.method != "getUpdates":
                last_activity = loop.time()
            answered = answered or call.method in _ANSWER_METHODS
        seen = len(calls)
        if answered and loop.time() - last_activity >= QUIET_PERIOD:
            return
        await asyncio.sleep(0.05)


def _send(stub: BotApiStub, screen: _Screen, line: str) -> str | None:
    """Turn a typed line into an update; return a note for the person if it was not sent."""
    if line.isdigit() and int(line) in screen.inline:
        message_id, data = screen.inline[int(line)]
        try:
            stub.press(OFFLINE_USER_ID, message_id, data)
        except ValueError:  # that keyboard is gone: the number is an answer of its own
            screen.inline.clear()
            stub.send_text(OFFLINE_USER_ID, line)
        return None
    if line.isdigit() and int(line) in screen.reply_buttons:
        button = screen.reply_buttons[int(line)]
        if button.get("request_location"):
            return "Type /location LATITUDE LONGITUDE, e.g. /location 48.85 2.35"
        stub.send_text(OFFLINE_USER_ID, str(button["text"]))
        return None
    if line.startswith("/location"):
        match = _LOCATION.match(line.removeprefix("/location").strip())
        if match is None:
            return "Usage: /location 48.85 2.35"
        stub.send_location(OFFLINE_USER_ID, float(match[1]), float(match[2]))
        return None
    stub.send_text(OFFLINE_USER_ID, line)
    return None


async def _earlier_chats(database_url: str) -> tuple[int, bool]:
    """The last update id journaled on this database, and whether the person is stored."""
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            last = await InboundUpdateRepository(session).last_update_id()
            known = await UserRepository(session).get(OFFLINE_USER_ID) is not None
            return last, known
    finally:
        await engine.dispose()


async def run_offline_chat(
    settings: Settings, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> None:
    """Run the bot against an in-process stub and relay the terminal to it."""
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    await upgrade_database(settings.database_url)
    async with BotApiStub() as stub:
        # The journal remembers the ids of earlier chats on this database: new messages
        # must not look like those delivered again.
        last_update_id, returning = await _earlier_chats(settings.database_url)
        stub.continue_after(last_update_id)
        stub.user(OFFLINE_USER_ID, first_name="Friend", language_code="en")
        offline = settings.model_copy(
            update={
                "telegram_api_base_url": stub.base_url,
                "telegram_api_file_url": stub.base_file_url,
                "allowed_user_ids": frozenset(),
            }
        )
        screen = _Screen(out=out)
        stub.add_listener(lambda call: screen.show(stub, call))
        application = build_application(offline, token=OFFLINE_TOKEN)
        async with polling(application):
            out.write(HELP)
            out.write(RETURNING if returning else FIRST_TIME)
            out.flush()
            while True:
                out.write("\nYou: ")
                out.flush()
                line = await asyncio.to_thread(source.readline)
                if not line:
                    out.write("\n")
                    break
                line = line.strip()
                if not line:
                    continue
                if line in ("/quit", "/exit"):
                    break
                before = len(stub.calls)
                note = _send(stub, screen, line)
                if note:
                    out.write(note + "\n")
                    continue
                await _wait_for_answer(stub, before)
        _, kept = await _earlier_chats(settings.database_url)
        out.write(GOODBYE_KEPT if kept else GOODBYE)
        out.flush()
