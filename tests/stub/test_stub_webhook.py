"""setWebhook delivery to a small aiohttp receiver, and the getUpdates conflict."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from botapi_stub import BotApiStub, StubUser

USER_ID = 1001  # the ``user`` fixture


@dataclass
class Receiver:
    url: str = ""
    received: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)
    status: int = 200


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    state = Receiver()

    async def handle(request: web.Request) -> web.Response:
        if state.status != 200:
            return web.Response(status=state.status)
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        state.received.append((secret, await request.json()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield state
    await runner.cleanup()


async def test_set_webhook_delivers_with_secret_and_get_updates_conflicts(
    bot: Bot, stub: BotApiStub, user: StubUser, receiver: Receiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token="s3cret-token_1")
    first = stub.send_text(USER_ID, "one")
    second = stub.send_text(USER_ID, "two")
    await stub.wait_for(lambda: len(receiver.received) == 2, 2.0)
    assert receiver.received == [("s3cret-token_1", first), ("s3cret-token_1", second)]
    assert stub.pending_updates() == 0
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    info = await bot.get_webhook_info()
    assert info.url == receiver.url
    assert info.pending_update_count == 0

    assert await bot.set_webhook("")  # an empty URL removes the webhook, as in Telegram
    stub.send_text(USER_ID, "three")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.text == "three"
    assert len(receiver.received) == 2


async def test_webhook_retries_until_receiver_accepts_in_order(
    bot: Bot, stub: BotApiStub, user: StubUser, receiver: Receiver
) -> None:
    receiver.status = 503
    await bot.set_webhook(receiver.url)
    stub.send_text(USER_ID, "a")
    stub.send_text(USER_ID, "b")
    await asyncio.sleep(0.3)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 2
    assert info.last_error_message is not None and "503" in info.last_error_message
    receiver.status = 200
    await stub.wait_for(lambda: len(receiver.received) == 2, 2.0)
    assert [body["message"]["text"] for _, body in receiver.received] == ["a", "b"]
    assert receiver.received[0][0] is None  # no secret configured -> no header


async def test_set_webhook_invalid_url_and_secret_rejected(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.set_webhook("ftp://example.org/hook")
    with pytest.raises(BadRequest, match="unallowed characters"):
        await bot.set_webhook("https://example.org/hook", secret_token="no spaces!")
