"""Telegram misbehaving: one call in ten answered with a 5xx, a timeout or a 429 with
retry_after. Every reply and every prompt still arrives, once; nothing is lost; and users
who blocked the bot stop receiving anything."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from botapi_stub import BotApiStub, Fault
from tests.e2e.conftest import load_user
from tests.harness import BotHarness, ChatUser, bot_harness

SEED = 7
FAULT_RATE = 0.10
PROMPT = "<b>Weekly check-in</b>"
REMINDER = "check-in is still open"
TIMEOUT = 0.4  # the bot's Bot API timeout in this test; a "timeout" fault outlasts it


class Faults:
    """Seeded: 5xx, timeouts (the stub never handles the call) and 429s, in equal parts."""

    def __init__(self, seed: int, rate: float) -> None:
        self._random = random.Random(seed)
        self._rate = rate
        self.injected: Counter[str] = Counter()

    def __call__(self, method: str, _params: dict[str, Any]) -> Fault | None:
        if self._random.random() >= self._rate:
            return None
        kind = self._random.choice(["5xx", "timeout", "429"])
        if kind == "timeout" and method == "getUpdates":
            kind = "5xx"  # a long poll has its own, longer timeout
        self.injected[kind] += 1
        if kind == "5xx":
            return Fault(status=self._random.choice([500, 502, 503, 504]))
        if kind == "timeout":
            return Fault(delay=TIMEOUT * 3)
        return Fault(status=429, retry_after=1)


@pytest.fixture
async def faulty(tmp_path: Path) -> AsyncIterator[tuple[BotHarness, Faults]]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'faults.sqlite3'}"
    async with bot_harness(url, telegram_timeout_seconds=TIMEOUT) as harness:
        faults = Faults(SEED, FAULT_RATE)
        async with harness.running():
            harness.stub.fault_injector = faults
            yield harness, faults
            harness.stub.fault_injector = None
        assert harness.stub.rejected_calls == []


def _delivered(stub: BotApiStub, chat_id: int) -> list[str]:
    """Texts of the messages that reached the chat (successful sends, in order)."""
    return [
        str(call.params.get("text", ""))
        for call in stub.calls
        if call.method == "sendMessage" and call.ok and str(call.params["chat_id"]) == str(chat_id)
    ]


def _count(stub: BotApiStub, chat_id: int, fragment: str) -> int:
    return sum(fragment in text for text in _delivered(stub, chat_id))


async def _onboard(harness: BotHarness, name: str, city: str) -> ChatUser:
    user = harness.user(name)
    await user.send("/start")
    await user.expect("where are you", timeout=30)
    await user.send(city)
    await user.expect("Is that right?", timeout=30)
    await user.press("Yes")
    await user.expect("time zone is saved", timeout=30)
    await user.send("/help")
    await user.expect("Here's what I can do", timeout=30)
    return user


async def test_replies_and_prompts_all_arrive_once_through_one_failure_in_ten(
    faulty: tuple[BotHarness, Faults],
) -> None:
    harness, faults = faulty
    stub = harness.stub
    users = [
        await _onboard(harness, f"User{n}", city)
        for n, city in enumerate(["Lisbon", "Paris", "Tokyo", "Lima", "Madrid", "Oslo"] * 2)
    ]
    for user in users:  # every reply once: none lost, none repeated by a retry
        assert _count(stub, user.user_id, "Is that right?") == 1
        assert _count(stub, user.user_id, "where are you") == 1
        assert _count(stub, user.user_id, "time zone is saved") == 1
        assert _count(stub, user.user_id, "Here's what I can do") == 1

    blocked = users[:3]
    for user in blocked:
        stub.block(user.user_id)
    # A week later every check-in falls due; the dispatcher keeps going until all are out.
    harness.clock.advance(days=8)
    for _ in range(40):
        await harness.dispatch()
        if all(_count(stub, u.user_id, PROMPT) for u in users[3:]):
            break
        harness.clock.advance(minutes=11)  # past any retry's back-off
    # Two days on, the reminders for the unanswered check-ins.
    calls_to_blocked = sum(
        1 for c in stub.calls if str(c.params.get("chat_id")) in {str(u.user_id) for u in blocked}
    )
    harness.clock.advance(days=2, hours=1)
    for _ in range(40):
        await harness.dispatch()
        harness.clock.advance(minutes=11)

    print(f"\nfaults injected: {dict(faults.injected)} over {len(stub.calls)} calls")
    assert sum(faults.injected.values()) >= 15, "the test must really have met failures"
    assert min(faults.injected[kind] for kind in ("5xx", "timeout", "429")) >= 1
    for user in users[3:]:
        delivered = _delivered(stub, user.user_id)
        assert _count(stub, user.user_id, PROMPT) == 1, f"{user.first_name} got {delivered}"
        assert _count(stub, user.user_id, REMINDER) == 1, f"{user.first_name} got {delivered}"
    for user in blocked:
        assert _count(stub, user.user_id, PROMPT) == 0
        assert _count(stub, user.user_id, REMINDER) == 0
        assert not (await load_user(harness, user.user_id)).active
    after = sum(
        1 for c in stub.calls if str(c.params.get("chat_id")) in {str(u.user_id) for u in blocked}
    )
    assert after == calls_to_blocked, "nothing more is even tried for users who blocked the bot"
