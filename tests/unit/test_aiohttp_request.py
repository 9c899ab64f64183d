"""The aiohttp request path against the stub: messages, uploads, timeouts, dead servers."""

from __future__ import annotations

import socket

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.aiohttp_request import AiohttpRequest
from botapi_stub import BotApiStub, Fault

TOKEN = "5555555555:test-token-not-a-secret-00000"


def _bot(base_url: str, base_file_url: str, **options: float) -> Bot:
    return Bot(
        token=TOKEN,
        base_url=base_url,
        base_file_url=base_file_url,
        request=AiohttpRequest(**options),  # type: ignore[arg-type]
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )


async def test_messages_and_uploads_reach_the_stub_intact() -> None:
    async with BotApiStub() as stub:
        stub.user(7, first_name="Ada")
        async with _bot(stub.base_url, stub.base_file_url) as bot:
            sent = await bot.send_message(7, "<b>Hi</b> Zoë 🚀 &amp; co", parse_mode="HTML")
            await bot.send_document(7, b"a,b\n1,2\n", filename="apps.csv", caption="Your data")
        text, document = stub.messages(7)
    assert sent.text == "Hi Zoë 🚀 & co"
    assert text.text == "Hi Zoë 🚀 & co"
    assert (document.file_name, document.content, document.caption) == (
        "apps.csv",
        b"a,b\n1,2\n",
        "Your data",
    )
    assert stub.rejected_calls == []


async def test_a_slow_answer_becomes_timed_out() -> None:
    async with BotApiStub() as stub:
        stub.user(7, first_name="Ada")
        stub.fault_injector = lambda method, params: (
            Fault(delay=2.0) if method == "sendMessage" else None
        )
        async with _bot(stub.base_url, stub.base_file_url, read_timeout=0.3) as bot:
            with pytest.raises(TimedOut):
                await bot.send_message(7, "hello")


async def test_a_server_that_is_not_there_becomes_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.do_request(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", "POST")
    finally:
        await request.shutdown()
