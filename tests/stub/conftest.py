"""Fixtures for the Bot API stub tests: a running stub, a real PTB Bot and a raw HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot

from botapi_stub import BotApiStub, StubUser

TOKEN = "123:ABC"
USER_ID = 1001


@pytest.fixture
async def stub() -> AsyncIterator[BotApiStub]:
    async with BotApiStub(bot_username="career_coach_bot") as running:
        yield running


@pytest.fixture
def user(stub: BotApiStub) -> StubUser:
    return stub.user(USER_ID, first_name="Ada", username="ada")


@pytest.fixture
async def bot(stub: BotApiStub) -> AsyncIterator[Bot]:
    async with Bot(token=TOKEN, base_url=stub.base_url, base_file_url=stub.base_file_url) as b:
        yield b


@pytest.fixture
async def http(stub: BotApiStub) -> AsyncIterator[httpx.AsyncClient]:
    """Raw HTTP for requests PTB would refuse to send; paths are ``/bot<token>/<method>``."""
    async with httpx.AsyncClient(base_url=f"{stub.base_url}{TOKEN}/") as client:
        yield client
