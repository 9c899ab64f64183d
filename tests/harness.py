"""Drive the real bot over HTTP through the Bot API stub, the way a person uses Telegram.

ada = harness.user("Ada")
await ada.send("/start")
await ada.expect("where are you")
await ada.send("Paris")
await ada.press("Yes")
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import build_application
from bot.config import Settings
from bot.context import CoachApplication
from bot.runner import polling
from botapi_stub import ApiCall, BotApiStub
from scheduler.dispatcher import DispatchStats
from storage.migrate import upgrade_database

TEST_TOKEN = "5555555555:test-token-not-a-secret-00000"
MESSAGE_METHODS = {"sendMessage", "editMessageText", "sendPhoto", "sendDocument"}
_user_ids = itertools.count(100_001)


class MutableClock:
    """A clock tests move by hand; the bot reads it through Services.clock."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_settings(stub: BotApiStub, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_api_base_url": stub.base_url,
        "telegram_api_file_url": stub.base_file_url,
        "database_url": database_url,
        "telegram_bot_token": None,
        "allowed_user_ids": frozenset(),
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Reply:
    """One bot message (or edit) as the user sees it."""

    message_id: int
    text: str
    buttons: list[str]
    markup: dict[str, Any] | None

    def __contains__(self, fragment: str) -> bool:
        return fragment.casefold() in self.text.casefold()


def _reply_from(call: ApiCall) -> Reply | None:
    result = call.result
    if not call.ok or not isinstance(result, dict):
        return None
    markup = result.get("reply_markup")
    if markup is None and call.method == "sendMessage":
        markup = call.params.get("reply_markup")  # reply keyboards are not echoed back
    rows: list[list[Any]] = []
    if isinstance(markup, dict):
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    buttons = [
        button if isinstance(button, str) else button["text"] for row in rows for button in row
    ]
    text = result.get("text") or result.get("caption") or ""
    return Reply(
        message_id=int(result["message_id"]),
        text=str(text),
        buttons=buttons,
        markup=markup if isinstance(markup, dict) else None,
    )


@dataclass
class ChatUser:
    stub: BotApiStub
    user_id: int
    first_name: str
    cursor: int = 0
    seen: list[Reply] = field(default_factory=list)

    def _mark(self) -> None:
        self.cursor = len(self.stub.calls)

    def _calls_for_me(self, start: int) -> list[tuple[int, ApiCall]]:
        found = []
        for index, call in enumerate(self.stub.calls[start:], start):
            chat = call.params.get("chat_id")
            if call.method in MESSAGE_METHODS and str(chat) == str(self.user_id):
                found.append((index, call))
        return found

    async def send(self, text: str) -> dict[str, Any]:
        """Send a text; returns the update as Telegram queued it."""
        self._mark()
        return self.stub.send_text(self.user_id, text)

    async def share_location(self, latitude: float, longitude: float) -> None:
        self._mark()
        self.stub.send_location(self.user_id, latitude, longitude)

    async def send_sticker(self) -> None:
        self._mark()
        self.stub.send_sticker(self.user_id)

    def _find_button(self, label: str) -> tuple[int, str] | None:
        for message in reversed(self.stub.messages(self.user_id)):
            for row in message.inline_keyboard:
                for button in row:
                    if label.casefold() in str(button["text"]).casefold():
                        return message.message_id, str(button["callback_data"])
        return None

    async def _message_with_button(self, label: str, timeout: float = 8.0) -> tuple[int, str]:
        """Like a person, wait until the button is on screen."""
        try:
            await self.stub.wait_for(lambda: self._find_button(label) is not None, timeout=timeout)
        except TimeoutError:
            shown = [m.button_texts() for m in self.stub.messages(self.user_id)[-3:]]
            raise AssertionError(f"no button {label!r} in the chat; last: {shown}") from None
        found = self._find_button(label)
        assert found is not None
        return found

    async def press(self, label: str, *, message_id: int | None = None) -> None:
        """Press the newest button whose label contains `label` (or the one on `message_id`)."""
        found_id, data = await self._message_with_button(label)
        if message_id is not None:
            message = next(
                m for m in self.stub.messages(self.user_id) if m.message_id == message_id
            )
            data = next(
                str(b["callback_data"])
                for row in message.inline_keyboard
                for b in row
                if label.casefold() in str(b["text"]).casefold()
            )
            found_id = message_id
        self._mark()
        self.stub.press(self.user_id, found_id, data)

    async def press_data(self, message_id: int, data: str) -> None:
        """Press with raw callback data, as a forged or outdated client could."""
        self._mark()
        self.stub.press(self.user_id, message_id, data, require_button=False)

    async def expect(self, *fragments: str, timeout: float = 8.0) -> Reply:
        """Wait for a bot message (or edit) after the last action that contains every fragment."""
        start = self.cursor
        found: list[Reply] = []

        def arrived() -> bool:
            for index, call in self._calls_for_me(start):
                reply = _reply_from(call)
                if reply and all(fragment in reply for fragment in fragments):
                    found.append(reply)
                    self.cursor = index + 1
                    return True
            return False

        try:
            await self.stub.wait_for(arrived, timeout=timeout)
        except TimeoutError:
            got = [(_reply_from(c) or c).__repr__()[:300] for _, c in self._calls_for_me(start)]
            raise AssertionError(f"{self.first_name} never got {fragments!r}; got: {got}") from None
        self.seen.append(found[0])
        return found[0]

    async def expect_alert(self, fragment: str, timeout: float = 8.0) -> str:
        """Wait for a button-press answer (the small toast) containing `fragment`."""
        start = self.cursor

        def arrived() -> bool:
            return any(
                call.method == "answerCallbackQuery"
                and fragment.casefold() in str(call.params.get("text", "")).casefold()
                for call in self.stub.calls[start:]
            )

        await self.stub.wait_for(arrived, timeout=timeout)
        return fragment

    async def settle(self, quiet: float = 0.25, timeout: float = 8.0) -> list[Reply]:
        """Wait until the bot has taken the update and gone quiet; return what it sent."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last_count = -1
        last_change = loop.time()
        while loop.time() < deadline:
            count = len(self.stub.calls)
            if count != last_count:
                last_count, last_change = count, loop.time()
            elif self.stub.pending_updates() == 0 and loop.time() - last_change >= quiet:
                break
            await asyncio.sleep(0.02)
        replies = [r for _, c in self._calls_for_me(self.cursor) if (r := _reply_from(c))]
        self._mark()
        return replies


@dataclass
class BotHarness:
    stub: BotApiStub
    database_url: str
    clock: MutableClock
    settings_overrides: dict[str, Any] = field(default_factory=dict)
    application: CoachApplication | None = None

    def user(
        self, first_name: str = "Ada", *, user_id: int | None = None, **extra: Any
    ) -> ChatUser:
        uid = user_id if user_id is not None else next(_user_ids)
        self.stub.user(uid, first_name=first_name, **extra)
        return ChatUser(stub=self.stub, user_id=uid, first_name=first_name)

    async def onboard(self, first_name: str = "Ada", city: str = "Paris") -> ChatUser:
        """A new user who went through /start and confirmed their city's time zone."""
        user = self.user(first_name)
        await user.send("/start")
        await user.expect("where are you")
        await user.send(city)
        await user.expect("Is that right?")
        await user.press("Yes")
        await user.expect("saved")
        return user

    async def dispatch(self) -> DispatchStats:
        """Run the prompt dispatcher once, now, as the repeating tick would."""
        assert self.application is not None
        return await self.application.services.dispatcher.drain(self.application.bot)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[CoachApplication]:
        settings = make_settings(self.stub, self.database_url, **self.settings_overrides)
        application = build_application(settings, token=TEST_TOKEN, clock=self.clock)
        async with polling(application, poll_timeout=1) as running:
            self.application = running
            yield running
        self.application = None


@asynccontextmanager
async def bot_harness(database_url: str, **settings_overrides: Any) -> AsyncIterator[BotHarness]:
    await upgrade_database(database_url)
    async with BotApiStub() as stub:
        harness = BotHarness(
            stub=stub,
            database_url=database_url,
            clock=MutableClock(),
            settings_overrides=settings_overrides,
        )
        yield harness
