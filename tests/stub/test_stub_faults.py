"""Flood limits, injected faults, listeners and wait_for diagnostics."""

from __future__ import annotations

import datetime as dtm
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from botapi_stub import ApiCall, BotApiStub, Fault

USER_ID = 1001
TOKEN = "123:ABC"


def seconds(value: int | float | dtm.timedelta) -> float:
    """PTB 22 exposes RetryAfter.retry_after as int (or timedelta with PTB_TIMEDELTA=1)."""
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@pytest.fixture
async def limited() -> AsyncIterator[BotApiStub]:
    async with BotApiStub(rate_limits=True, global_per_second=3, per_chat_per_second=1) as stub:
        stub.user(USER_ID, first_name="Ada")
        stub.user(1002, first_name="Bob")
        stub.user(1003, first_name="Cy")
        stub.user(1004, first_name="Di")
        yield stub


async def test_per_chat_rate_limit_raises_retry_after(limited: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=limited.base_url) as bot:
        await bot.send_message(USER_ID, "first")
        await bot.send_chat_action(USER_ID, "typing")  # chat actions are not flood-limited
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(USER_ID, "second")
        assert seconds(caught.value.retry_after) == 1
        call = limited.calls[-1]
        assert (call.error_code, call.description) == (429, "Too Many Requests: retry after 1")
        assert limited.rejected_calls == []


async def test_global_rate_limit_raises_retry_after(limited: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=limited.base_url) as bot:
        for chat_id in (USER_ID, 1002, 1003):
            await bot.send_message(chat_id, "hi")
        with pytest.raises(RetryAfter):
            await bot.send_message(1004, "hi")


async def test_rate_limits_are_off_by_default(bot: Bot, stub: BotApiStub) -> None:
    stub.user(USER_ID)
    for index in range(40):
        await bot.send_message(USER_ID, f"message {index}")
    assert len(stub.messages(USER_ID)) == 40


async def test_fault_injector_429_and_502(bot: Bot, stub: BotApiStub) -> None:
    stub.user(USER_ID)
    faults = {"sendMessage": Fault(status=429, retry_after=3), "getMe": Fault(status=502)}
    seen: list[tuple[str, dict[str, Any]]] = []

    def injector(method: str, params: dict[str, Any]) -> Fault | None:
        seen.append((method, params))
        return faults.get(method)

    stub.fault_injector = injector
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER_ID, "hi")
    assert seconds(caught.value.retry_after) == 3
    assert seen[-1] == ("sendMessage", {"chat_id": USER_ID, "text": "hi"})
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    stub.fault_injector = None
    await bot.send_message(USER_ID, "hi")
    assert [m.text for m in stub.messages(USER_ID)] == ["hi"]


async def test_fault_delay_makes_client_time_out(stub: BotApiStub) -> None:
    stub.user(USER_ID)
    stub.fault_injector = lambda method, _: Fault(delay=2.0) if method == "sendMessage" else None
    request = HTTPXRequest(read_timeout=0.2)
    async with Bot(TOKEN, base_url=stub.base_url, request=request) as bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(USER_ID, "slow")
        assert time.monotonic() - started < 1.0
    await stub.wait_for(lambda: stub.calls[-1].method == "sendMessage", 1.0)
    assert stub.calls[-1].description == "client disconnected"
    assert stub.messages(USER_ID) == []


async def test_listener_sees_every_call(bot: Bot, stub: BotApiStub) -> None:
    seen: list[ApiCall] = []
    stub.add_listener(seen.append)
    stub.user(USER_ID)
    await bot.send_message(USER_ID, "one")
    with pytest.raises(BadRequest):
        await bot.send_message(USER_ID, "")
    assert [(c.method, c.ok) for c in seen] == [("sendMessage", True), ("sendMessage", False)]
    assert seen[0].result["text"] == "one"


async def test_wait_for_timeout_lists_recent_calls(bot: Bot, stub: BotApiStub) -> None:
    stub.user(USER_ID)
    await bot.send_message(USER_ID, "hello there")
    with pytest.raises(BadRequest):
        await bot.send_message(4242, "nobody")
    started = time.monotonic()
    with pytest.raises(TimeoutError) as caught:
        await stub.wait_for(lambda: len(stub.messages(USER_ID)) > 1, timeout=0.2)
    assert 0.2 <= time.monotonic() - started < 0.5
    message = str(caught.value)
    assert "condition not met within 0.2s" in message
    assert "sendMessage({'chat_id': 1001, 'text': 'hello there'}) -> ok" in message
    assert "-> 400 Bad Request: chat not found" in message
