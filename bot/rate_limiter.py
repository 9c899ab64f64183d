"""Telegram's flood limits, kept on our side: ~30 messages/s overall, ~1/s per chat.

PTB's AIORateLimiter paces groups but not private chats, and cannot be told "no retries"
for a single call (a 0 is read as "use the default"). This one does both. Replies to a
user are paced by the user; what the bot sends on its own (scheduled prompts) passes
`RateLimitArgs(pace_chat=True)` and never reaches one chat faster than about once a second.

Every Bot API call passes through here, so this is also where a failure that must not end
the handling of an update is absorbed: an answer to a button press that Telegram calls too
late (see `STALE_QUERY`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

JSONDict = dict[str, Any]
_MAX_CHAT_LIMITERS = 4096
NETWORK_BACKOFF = 0.25  # seconds before the first retry after a network failure; doubles
# Telegram refuses to answer a callback query twice, or more than a few seconds after the
# press. Both happen to a press handled after a crash: the update journal replays it (its
# toast may have gone out just before the kill), or Telegram delivers it again once the bot
# is back. Only the toast is lost; the press itself must still be handled.
STALE_QUERY = ("query is too old", "query id is invalid")


def is_stale_query(error: BadRequest) -> bool:
    message = error.message.casefold()
    return any(fragment in message for fragment in STALE_QUERY)


@dataclass(frozen=True)
class RateLimitArgs:
    """Per-call options: retries after a 429 (None: the default), per-chat pacing, a last
    step once the call's turn has come (False cancels it with `SendCancelled`), and retries
    after network failures."""

    max_retries: int | None = None
    pace_chat: bool = False
    before_send: Callable[[], Awaitable[bool]] | None = None
    # Retries after a network error, a timeout or a 5xx (None: the default).
    network_retries: int | None = None


class SendCancelled(Exception):
    """`before_send` said no: the request was not made."""


class Pacer:
    """Spreads sends evenly, `1/rate` apart on a virtual clock.

    A waiter that wakes a little late does not push later slots back; after a stall (the
    event loop was busy) the missed slots are caught up only slightly faster than the
    interval, never in a burst, so requests also reach the server evenly spaced.
    """

    CATCH_UP = 0.985

    def __init__(self, rate: float, *, margin: float = 0.0) -> None:
        self._interval = 1 / (rate * (1 - margin))
        self._next = 0.0
        self._last = -1e9

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        slot = max(now, self._next)
        self._next = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)
        # Re-checked after each sleep: another waiter may have sent meanwhile.
        min_gap = self._interval * self.CATCH_UP
        while (gap := loop.time() - self._last) < min_gap:  # noqa: ASYNC110
            await asyncio.sleep(min_gap - gap)
        self._last = loop.time()


class SlidingWindow:
    """At most `limit` sends in any window of `period` seconds: Telegram's own rule.

    The window is a little longer than the limit's (`slack`), so the server never counts
    one too many when requests reach it a few milliseconds apart from how they left.
    After a pause the unused capacity is used at once, so the average rate holds.
    """

    def __init__(self, rate: float, *, slack: float = 0.025) -> None:
        self._limit = max(1, round(rate))
        self._period = self._limit / rate * (1 + slack)
        self._sent: deque[float] = deque()

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            while self._sent and self._sent[0] <= now - self._period:
                self._sent.popleft()
            if len(self._sent) < self._limit:
                self._sent.append(now)
                return
            await asyncio.sleep(self._sent[0] + self._period - now)

    def idle(self) -> bool:
        return not self._sent or self._sent[-1] <= asyncio.get_running_loop().time() - self._period


class CoachRateLimiter(BaseRateLimiter[RateLimitArgs]):
    def __init__(
        self,
        *,
        overall_per_second: float | None = 30,
        chat_per_second: float = 1.0,
        max_retries: int = 5,
        network_retries: int = 5,
    ) -> None:
        # Even spacing first; the window is the hard guarantee behind it. None: no overall
        # limit (a benchmark of the bot's own capacity, or a paid broadcast).
        self._pacer = Pacer(overall_per_second, margin=0.01) if overall_per_second else None
        self._overall = (
            SlidingWindow(overall_per_second, slack=0.025) if overall_per_second else None
        )
        self._chat_rate = chat_per_second
        self._chats: dict[int | str, SlidingWindow] = {}
        self._max_retries = max_retries
        self._network_retries = network_retries
        self._not_paused = asyncio.Event()
        self._not_paused.set()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def _chat_window(self, chat_id: int | str) -> SlidingWindow:
        window = self._chats.get(chat_id)
        if window is None:
            if len(self._chats) >= _MAX_CHAT_LIMITERS:
                # Forget chats whose next slot has passed: memory stays bounded.
                for key, old in list(self._chats.items()):
                    if old.idle():
                        del self._chats[key]
            window = SlidingWindow(self._chat_rate)
            self._chats[chat_id] = window
        return window

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | None,
    ) -> bool | JSONDict | list[JSONDict]:
        options = rate_limit_args or RateLimitArgs()
        flood_retries = self._max_retries if options.max_retries is None else options.max_retries
        network_retries = (
            self._network_retries if options.network_retries is None else options.network_retries
        )
        if endpoint == "getUpdates":
            network_retries = 0  # PTB's poller has its own retry loop
        floods = failures = 0
        while True:
            try:
                return await self._send(callback, args, kwargs, data, options)
            except RetryAfter as error:
                if floods >= flood_retries:
                    raise
                floods += 1
                pause = error.retry_after
                seconds = pause if isinstance(pause, int | float) else pause.total_seconds()
                logger.info("Telegram asked to slow down: waiting %.1f s", seconds)
                self._not_paused.clear()
                try:
                    await asyncio.sleep(seconds + 0.1)
                finally:
                    self._not_paused.set()
            except BadRequest as error:
                if endpoint == "answerCallbackQuery" and is_stale_query(error):
                    logger.info("A button press was answered too late for its toast (%s)", error)
                    return False
                raise
            except NetworkError as error:
                # BadRequest is a NetworkError to PTB, but sending it again cannot help.
                if isinstance(error, BadRequest) or failures >= network_retries:
                    raise
                # A timeout or a 5xx: Telegram did not take the call (almost always), so it
                # is made again, a little later each time.
                delay = NETWORK_BACKOFF * 2**failures
                failures += 1
                logger.info("%s failed (%s); trying again in %.1f s", endpoint, error, delay)
                await asyncio.sleep(delay)

    async def _send(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        data: dict[str, Any],
        options: RateLimitArgs,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        if chat_id is not None:
            if options.pace_chat:
                await self._chat_window(chat_id).wait()
            if self._pacer is not None and self._overall is not None:
                await self._pacer.wait()
                await self._overall.wait()
        await self._not_paused.wait()
        if options.before_send is not None and not await options.before_send():
            raise SendCancelled(data.get("chat_id"))
        return await callback(*args, **kwargs)
