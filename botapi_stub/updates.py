"""The pending-update queue: ``getUpdates`` long polling and webhook delivery.

Telegram keeps updates until they are confirmed: by a later ``getUpdates`` whose ``offset``
is greater than their id, or by a 2xx answer of the webhook. ``allowed_updates`` decides
which *new* updates are created at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import aiohttp

from botapi_stub.models import ApiError, bad_request

_LOG = logging.getLogger("botapi_stub")

CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
#: Not delivered unless explicitly requested via ``allowed_updates`` (Bot API docs).
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Signal:
    """Wakes every current waiter on :meth:`notify` (a re-armed ``asyncio.Event``)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float | None) -> None:
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)


@dataclass(slots=True)
class Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    last_error_date: int | None = None
    last_error_message: str | None = None


class UpdateQueue:
    """Pending updates plus the two ways of handing them to the bot."""

    def __init__(
        self,
        update_types: Collection[str],
        on_activity: Callable[[], None],
        webhook_retry_delay: float,
    ) -> None:
        self.update_types = frozenset(update_types)
        self.default_allowed = self.update_types - OPT_IN_UPDATES
        self.allowed = self.default_allowed
        self.pending: deque[dict[str, Any]] = deque()
        # Updates handed out once more, whatever the offset says (see `redeliver`).
        self.again: deque[dict[str, Any]] = deque()
        self.last_update_id = 0
        self.webhook: Webhook | None = None
        self.webhook_retry_delay = webhook_retry_delay
        self.waiting_polls = 0
        self.closing = False
        self._on_activity = on_activity
        self._signal = Signal()
        self._poll_generation = 0
        self._task: asyncio.Task[None] | None = None
        self._running = False

    # -- queue -----------------------------------------------------------------------------

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        """Assign the next update_id; queue it unless ``allowed_updates`` filters it out."""
        self.last_update_id += 1
        update = {"update_id": self.last_update_id, **body}
        kind = next(iter(body), None)
        if kind in self.allowed:
            self.pending.append(update)
            self._signal.notify()
        elif kind in self.update_types:
            _LOG.info("update %s dropped: %s not in allowed_updates", update["update_id"], kind)
        else:
            _LOG.warning("update %s dropped: %r is not a Bot API update type", update, kind)
        self._on_activity()
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """Hand out an update the bot already received, as Telegram does when the bot
        crashed before confirming it: the next poll (or webhook call) gets it first."""
        self.again.append(update)
        self._signal.notify()
        self._on_activity()

    def confirm(self, offset: int | None) -> None:
        pending = self.pending
        if offset is None or offset == 0:
            return
        if offset > 0:
            while pending and pending[0]["update_id"] < offset:
                pending.popleft()
        else:  # negative offset: keep only the last -offset updates
            while len(pending) > -offset:
                pending.popleft()

    def set_allowed(self, allowed: Any) -> None:
        if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
            raise bad_request("can't parse allowed_updates JSON object")
        self.allowed = frozenset(allowed) if allowed else self.default_allowed

    def drop_pending(self) -> None:
        self.pending.clear()

    # -- getUpdates ------------------------------------------------------------------------

    async def poll(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """``getUpdates``: confirm by offset, then wait up to ``timeout`` for updates."""
        if self.webhook is not None:
            raise ApiError(409, CONFLICT_WEBHOOK)
        self._poll_generation += 1
        generation = self._poll_generation
        self._signal.notify()  # an older long poll still waiting now answers 409
        self.confirm(params.get("offset"))
        if "allowed_updates" in params:
            self.set_allowed(params["allowed_updates"])
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        timeout = max(float(params.get("timeout", 0)), 0.0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self.again:
                again = list(self.again)
                self.again.clear()
                return again
            pending = self.pending
            if pending:
                if len(pending) <= limit:
                    return list(pending)
                return [pending[i] for i in range(limit)]
            remaining = deadline - loop.time()
            if remaining <= 0 or self.closing:
                return []
            self.waiting_polls += 1
            self._on_activity()
            try:
                await self._signal.wait(remaining)
            finally:
                self.waiting_polls -= 1
            if generation != self._poll_generation:
                raise ApiError(409, CONFLICT_POLL)
            if self.webhook is not None:
                raise ApiError(409, CONFLICT_WEBHOOK)

    # -- webhook ---------------------------------------------------------------------------

    def set_webhook(self, webhook: Webhook) -> None:
        self.webhook = webhook
        self._signal.notify()
        self._ensure_delivery()

    def delete_webhook(self) -> None:
        self.webhook = None
        self._signal.notify()

    def webhook_info(self) -> dict[str, Any]:
        hook = self.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook is not None else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            if self.allowed != self.default_allowed:
                info["allowed_updates"] = sorted(self.allowed)
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    def start(self) -> None:
        """Called once the server runs: from now on webhooks can be delivered."""
        self.closing = False
        self._running = True
        self._signal = Signal()
        self._ensure_delivery()

    async def stop(self) -> None:
        self.closing = True
        self._running = False
        self._signal.notify()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _ensure_delivery(self) -> None:
        if self.webhook is None or not self._running:
            return
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._deliver(), name="botapi_stub:webhook")

    async def _deliver(self) -> None:
        """POST pending updates to the webhook one at a time, in order, retrying failures."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while self.webhook is not None and not self.closing:
                if not self.pending and not self.again:
                    await self._signal.wait(None)
                    continue
                hook = self.webhook
                update = self.again[0] if self.again else self.pending[0]
                headers = {"Content-Type": "application/json"}
                if hook.secret_token:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
                error: str | None = None
                try:
                    async with session.post(hook.url, data=dumps(update), headers=headers) as resp:
                        await resp.read()
                        if not 200 <= resp.status < 300:
                            error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
                except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                    error = f"Connection failed: {exc.__class__.__name__}"
                if error is None:
                    if self.again and self.again[0] is update:
                        self.again.popleft()
                    elif self.pending and self.pending[0] is update:
                        self.pending.popleft()
                    self._on_activity()
                else:
                    hook.last_error_date = int(time.time())
                    hook.last_error_message = error
                    await asyncio.sleep(self.webhook_retry_delay)
