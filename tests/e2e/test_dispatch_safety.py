"""Crash safety and several instances: every due prompt goes out, none twice."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import ExtBot

from bot.rate_limiter import CoachRateLimiter, RateLimitArgs
from botapi_stub import BotApiStub
from scheduler.dispatcher import DispatchSettings, PromptDispatcher
from scheduler.kinds import CHECKIN_REMINDER
from scheduler.planning import queue_next_checkin
from scheduler.prompt_kinds import prompt_kinds
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database
from storage.repositories.prompts import PromptRepository
from storage.repositories.users import UserRepository
from tests.harness import TEST_TOKEN, MutableClock

SUNDAY_NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 09:00 UTC


async def _users_due_monday(sessions: async_sessionmaker[AsyncSession], count: int) -> None:
    async with sessions.begin() as session:
        users = UserRepository(session)
        for user_id in range(1, count + 1):
            user = await users.ensure(user_id=user_id, first_name=f"U{user_id}")
            user.timezone = "UTC"
            user.checkin_time = time(9, 0)
            await session.flush()
            await queue_next_checkin(session, user=user, after=SUNDAY_NOON, default_zone="UTC")


def _dispatcher(
    sessions: async_sessionmaker[AsyncSession], clock: MutableClock, name: str
) -> PromptDispatcher:
    return PromptDispatcher(
        sessions=sessions,
        clock=clock,
        kinds=prompt_kinds("UTC"),
        default_zone="UTC",
        settings=DispatchSettings(batch_size=25),
        claimer=name,
    )


def _bot(stub: BotApiStub, rate: float = 1000) -> ExtBot[RateLimitArgs]:
    return ExtBot(
        token=TEST_TOKEN,
        base_url=stub.base_url,
        base_file_url=stub.base_file_url,
        rate_limiter=CoachRateLimiter(overall_per_second=rate),
    )


def _received(stub: BotApiStub) -> Counter[int]:
    return Counter(
        int(call.params["chat_id"])
        for call in stub.calls
        if call.method == "sendMessage" and call.ok
    )


Scenario = Callable[
    [async_sessionmaker[AsyncSession], BotApiStub, ExtBot[RateLimitArgs]], Awaitable[None]
]


async def _run_scenario(url: str, users: int, body: Scenario) -> None:
    await upgrade_database(url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        await _users_due_monday(sessions, users)
        async with BotApiStub() as stub:
            for user_id in range(1, users + 1):
                stub.user(user_id, first_name=f"U{user_id}")
            async with _bot(stub) as bot:
                await body(sessions, stub, bot)
    finally:
        await engine.dispose()


async def test_crash_between_claim_and_send_resends_after_the_lease(sqlite_url: str) -> None:
    async def body(
        sessions: async_sessionmaker[AsyncSession], stub: BotApiStub, bot: ExtBot[RateLimitArgs]
    ) -> None:
        clock = MutableClock(DUE)
        # An instance claims the prompts, then dies before sending anything.
        async with sessions.begin() as session:
            claimed = await PromptRepository(session).claim_due(
                now=DUE, lease_until=DUE + timedelta(seconds=60), claimer="dead", limit=100
            )
        assert len(claimed) == 5
        survivor = _dispatcher(sessions, clock, "survivor")
        assert (await survivor.drain(bot)).sent == 0  # the lease still holds
        clock.advance(seconds=61)
        assert (await survivor.drain(bot)).sent == 5
        assert _received(stub) == Counter({1: 1, 2: 1, 3: 1, 4: 1, 5: 1})

    await _run_scenario(sqlite_url, 5, body)


async def test_restart_takes_up_a_dead_runs_claims_at_once_without_waiting_for_the_lease(
    sqlite_url: str,
) -> None:
    async def body(
        sessions: async_sessionmaker[AsyncSession], stub: BotApiStub, bot: ExtBot[RateLimitArgs]
    ) -> None:
        clock = MutableClock(DUE)
        async with sessions.begin() as session:
            await PromptRepository(session).claim_due(
                now=DUE, lease_until=DUE + timedelta(seconds=60), claimer="dead", limit=100
            )
        restarted = _dispatcher(sessions, clock, "restarted")
        assert await restarted.recover() == 5
        clock.advance(seconds=1)
        assert (await restarted.drain(bot)).sent == 5
        assert _received(stub) == Counter({1: 1, 2: 1, 3: 1, 4: 1, 5: 1})

    await _run_scenario(sqlite_url, 5, body)


async def test_prompt_cut_off_while_sending_goes_out_again_and_is_logged_in_doubt(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def body(
        sessions: async_sessionmaker[AsyncSession], stub: BotApiStub, bot: ExtBot[RateLimitArgs]
    ) -> None:
        clock = MutableClock(DUE)
        async with sessions.begin() as session:
            repository = PromptRepository(session)
            claimed = await repository.claim_due(
                now=DUE, lease_until=DUE + timedelta(seconds=60), claimer="dead", limit=100
            )
            # The dead run had reached the Bot API call for the first two.
            marked = await repository.mark_sending(
                prompt_ids=[prompt.id for prompt in claimed[:2]], claimer="dead"
            )
            assert marked == {claimed[0].id, claimed[1].id}
        restarted = _dispatcher(sessions, clock, "restarted")
        await restarted.recover()
        clock.advance(seconds=1)
        assert (await restarted.drain(bot)).sent == 5
        assert _received(stub) == Counter({1: 1, 2: 1, 3: 1, 4: 1, 5: 1})
        in_doubt = [r.getMessage() for r in caplog.records if "in doubt" in r.getMessage()]
        assert len(in_doubt) == 2
        assert all(str(prompt.id) in line for prompt, line in zip(claimed, in_doubt, strict=False))

    caplog.set_level(logging.WARNING, logger="scheduler.dispatcher")
    await _run_scenario(sqlite_url, 5, body)


async def test_only_a_claims_owner_can_mark_it_sending(sqlite_url: str) -> None:
    async def body(
        sessions: async_sessionmaker[AsyncSession], stub: BotApiStub, bot: ExtBot[RateLimitArgs]
    ) -> None:
        async with sessions.begin() as session:
            repository = PromptRepository(session)
            (prompt,) = await repository.claim_due(
                now=DUE, lease_until=DUE + timedelta(seconds=60), claimer="first", limit=1
            )
            assert await repository.mark_sending(prompt_ids=[prompt.id], claimer="other") == set()
            assert await repository.mark_sending(prompt_ids=[prompt.id], claimer="first") == {
                prompt.id
            }
            # Already sending: a second mark is refused.
            assert await repository.mark_sending(prompt_ids=[prompt.id], claimer="first") == set()

    await _run_scenario(sqlite_url, 1, body)


async def test_restart_after_send_does_not_send_again(sqlite_url: str) -> None:
    async def body(
        sessions: async_sessionmaker[AsyncSession], stub: BotApiStub, bot: ExtBot[RateLimitArgs]
    ) -> None:
        clock = MutableClock(DUE)
        assert (await _dispatcher(sessions, clock, "first").drain(bot)).sent == 5
        clock.advance(seconds=120)  # well past any lease
        restarted = _dispatcher(sessions, clock, "restarted")
        assert (await restarted.drain(bot)).sent == 0
        assert set(_received(stub).values()) == {1}

    await _run_scenario(sqlite_url, 5, body)


async def test_two_dispatchers_on_one_postgresql_never_send_twice(postgres_url: str) -> None:
    async def body(
        sessions: async_sessionmaker[AsyncSession], stub: BotApiStub, bot: ExtBot[RateLimitArgs]
    ) -> None:
        clock = MutableClock(DUE)
        # Two instances: each its own engine (own connections), one shared database.
        other_engine = create_engine(postgres_url)
        try:
            first = _dispatcher(sessions, clock, "first")
            second = _dispatcher(create_session_factory(other_engine), clock, "second")
            a, b = await asyncio.gather(first.drain(bot), second.drain(bot))
        finally:
            await other_engine.dispose()
        received = _received(stub)
        assert a.sent + b.sent == 200
        assert a.sent > 0
        assert b.sent > 0  # both really worked
        assert len(received) == 200
        assert set(received.values()) == {1}

    await _run_scenario(postgres_url, 200, body)


async def test_one_chat_never_gets_two_prompts_within_a_second(sqlite_url: str) -> None:
    async def body(
        sessions: async_sessionmaker[AsyncSession], stub: BotApiStub, bot: ExtBot[RateLimitArgs]
    ) -> None:
        clock = MutableClock(DUE)
        async with sessions.begin() as session:
            # A reminder and the weekly check-in fall due together for user 1.
            await PromptRepository(session).enqueue(
                user_id=1, kind=CHECKIN_REMINDER, due_at=DUE, dedupe_key="extra", payload={}
            )
        await _dispatcher(sessions, clock, "one").drain(bot)
        times = [
            call.time
            for call in stub.calls
            if call.method == "sendMessage" and call.ok and int(call.params["chat_id"]) == 1
        ]
        assert len(times) == 2
        assert times[1] - times[0] >= 0.95

    await _run_scenario(sqlite_url, 1, body)


async def test_overdue_duplicates_for_one_user_are_coalesced_into_one(sqlite_url: str) -> None:
    async def body(
        sessions: async_sessionmaker[AsyncSession], stub: BotApiStub, bot: ExtBot[RateLimitArgs]
    ) -> None:
        clock = MutableClock(DUE + timedelta(hours=2))
        async with sessions.begin() as session:
            for hours in (1, 2):  # two older check-ins for user 1, left over from downtime
                await PromptRepository(session).enqueue(
                    user_id=1,
                    kind="weekly_checkin",
                    due_at=DUE - timedelta(hours=hours),
                    dedupe_key=f"old-{hours}",
                    payload={"period": "2026-W48"},
                )
        stats = await _dispatcher(sessions, clock, "one").drain(bot)
        assert (stats.sent, stats.skipped) == (1, 2)
        assert _received(stub) == Counter({1: 1})

    await _run_scenario(sqlite_url, 1, body)
