"""The Bot API stub in its own process, so a benchmark's bot does not share its CPU.

    python bench/stub_server.py --users 100000 [--rate-limits]

Prints one JSON line {"base_url", "base_file_url", "control_url"} once ready. The control
server answers:

* GET /sent: the successful sendMessage calls ([monotonic time, chat id]) and the number
  of 429s; POST /reset forgets every recorded call.
* POST /run: simulated users talk to whatever bot polls the stub (see `LoadRun`); the
  answer, once every update is answered or the run times out, holds one record per
  update: when it was queued and when the bot's first reply to it arrived, both on this
  process's monotonic clock. The load generator lives here, next to the stub, so it
  takes no CPU from the bot under test and reads replies and buttons without a round trip.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from botapi_stub import ApiCall, BotApiStub

# A call that answers the user: the first one for a chat after its update was queued.
# (A bot that sent something from a background task, after moving on to later updates,
# would have it counted as the first reply to the user's next update.)
REPLY_METHODS = frozenset({"sendMessage", "editMessageText", "answerCallbackQuery", "sendPhoto"})
# Data of the press sent when the button asked for is not on screen (the echo bot's replies
# have no buttons): the update is the same kind, a callback query on the newest message.
NO_BUTTON = "bench:no-button"


@dataclass(slots=True)
class Injected:
    """One update a simulated user sent, and when the bot first answered it."""

    update_id: int
    user_id: int
    kind: str
    queued: float
    answered: float | None = None


@dataclass(slots=True)
class SimulatedUser:
    user_id: int
    script: list[dict[str, str]]
    position: int = 0
    in_flight: Injected | None = None
    last_reply: float = 0.0
    done: list[Injected] = field(default_factory=list)

    def has_more(self) -> bool:
        return self.position < len(self.script)


class LoadRun:
    """Users who each have one update in flight at most, following their scripts.

    An action is ``{"text": ..., "kind": ...}`` (a message) or ``{"press": label, ...}``
    (the newest button on screen whose label is `label`, else containing it). A user acts
    again once the bot is done with their previous update: the bot handles updates one at
    a time in update_id order, so that is when a later update gets its first reply (or,
    with nothing else going on, when the chat has been quiet for `settle` seconds). Any
    reply for the chat after that belongs to the new update.

    ``mode="closed"``: every user acts as soon as they may, until `total` updates were
    sent (capacity). ``mode="rate"``: one update every 1/`rate` s for `duration` s, each
    from the user who has waited longest since being ready (fixed offered load).
    """

    def __init__(self, stub: BotApiStub, request: dict[str, Any]) -> None:
        self.stub = stub
        self.mode: str = request["mode"]
        self.total: int = int(request.get("total", 0))
        self.rate: float = float(request.get("rate", 0))
        self.duration: float = float(request.get("duration", 0))
        self.settle: float = float(request.get("settle", 2.0))
        self.timeout: float = float(request.get("timeout", 120))
        self.users = {
            int(uid): SimulatedUser(int(uid), list(script))
            for uid, script in request["scripts"].items()
        }
        self.sent = 0
        self.missing_buttons: Counter[str] = Counter()
        self.rejected: list[str] = []
        self.no_user_ready = 0
        self.ready: deque[SimulatedUser] = deque()
        self.settling: deque[SimulatedUser] = deque()  # answered, bot maybe still busy
        self.queries: dict[str, int] = {}
        self.finished = asyncio.Event()
        self.stopped_sending = False

    # --- the bot's calls ------------------------------------------------------------------

    def on_call(self, call: ApiCall) -> None:
        if call.method not in REPLY_METHODS:
            return
        if call.method == "answerCallbackQuery":
            chat = self.queries.get(str(call.params.get("callback_query_id")))
        else:
            raw = call.params.get("chat_id")
            chat = raw if isinstance(raw, int) else None
        user = self.users.get(chat) if chat is not None else None
        if user is None:
            return
        if not call.ok:
            self.rejected.append(f"{call.method}: {call.description}")
        user.last_reply = call.time
        injected = user.in_flight
        if injected is None or injected.answered is not None or call.time < injected.queued:
            return
        injected.answered = call.time
        # Everyone answered before this update is finished with: the bot has moved on.
        while self.settling and self.settling[0].in_flight is not None:
            head = self.settling[0].in_flight
            if head.update_id >= injected.update_id:
                break
            self._release(self.settling.popleft())
        self.settling.append(user)
        self._check_finished()

    def _release(self, user: SimulatedUser) -> None:
        assert user.in_flight is not None
        user.done.append(user.in_flight)
        user.in_flight = None
        if not user.has_more():
            return
        if self.mode == "closed":
            if self.sent < self.total:
                self._act(user)
        else:
            self.ready.append(user)

    async def _settle_quiet_chats(self) -> None:
        while not self.finished.is_set():
            await asyncio.sleep(self.settle / 4)
            now = time.monotonic()
            while self.settling and now - self.settling[0].last_reply >= self.settle:
                self._release(self.settling.popleft())
            self._check_finished()

    # --- the users' actions ---------------------------------------------------------------

    def _find_button(self, user_id: int, label: str) -> tuple[int, str] | None:
        wanted = label.casefold()
        partial: tuple[int, str] | None = None
        for message in reversed(self.stub.messages(user_id)):
            if message.deleted:
                continue
            for row in message.inline_keyboard:
                for button in row:
                    text = str(button.get("text", "")).casefold()
                    data = button.get("callback_data")
                    if data is None:
                        continue
                    if text == wanted:
                        return message.message_id, str(data)
                    if partial is None and wanted in text:
                        partial = (message.message_id, str(data))
            if partial is not None:
                return partial
        return None

    def _act(self, user: SimulatedUser) -> None:
        action = user.script[user.position]
        user.position += 1
        if "text" in action:
            update = self.stub.send_text(user.user_id, action["text"])
        else:
            found = self._find_button(user.user_id, action["press"])
            if found is None:
                self.missing_buttons[action["press"]] += 1
                newest = [m for m in self.stub.messages(user.user_id) if not m.deleted]
                found = (newest[-1].message_id, NO_BUTTON)
            update = self.stub.press(user.user_id, found[0], found[1], require_button=False)
            self.queries[str(update["callback_query"]["id"])] = user.user_id
        user.in_flight = Injected(
            update_id=int(update["update_id"]),
            user_id=user.user_id,
            kind=action.get("kind", "text" if "text" in action else "press"),
            queued=time.monotonic(),
        )
        self.sent += 1

    async def _offer_at_rate(self) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        ticks = int(self.duration * self.rate)
        for tick in range(ticks):
            delay = started + tick / self.rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.ready:
                self._act(self.ready.popleft())
            else:
                self.no_user_ready += 1
        self.stopped_sending = True
        self._check_finished()

    def _check_finished(self) -> None:
        if self.finished.is_set():
            return
        if self.mode == "closed":
            sending_over = self.sent >= self.total or not any(
                u.in_flight is not None or u.has_more() for u in self.users.values()
            )
        else:
            sending_over = self.stopped_sending
        if sending_over and all(
            u.in_flight is None or u.in_flight.answered is not None for u in self.users.values()
        ):
            self.finished.set()

    # --- the run ---------------------------------------------------------------------------

    async def run(self) -> dict[str, Any]:
        self.stub.add_listener(self.on_call)
        settler = asyncio.create_task(self._settle_quiet_chats())
        offering: asyncio.Task[None] | None = None
        started = time.monotonic()
        try:
            users = [u for u in self.users.values() if u.has_more()]
            if self.mode == "closed":
                for user in users:
                    if self.sent >= self.total:
                        break
                    self._act(user)
            else:
                self.ready.extend(users)
                offering = asyncio.create_task(self._offer_at_rate())
            self._check_finished()
            timed_out = False
            try:
                await asyncio.wait_for(self.finished.wait(), self.timeout)
            except TimeoutError:
                timed_out = True
        finally:
            self.stub.remove_listener(self.on_call)
            self.finished.set()
            settler.cancel()
            if offering is not None:
                offering.cancel()
        records = [i for u in self.users.values() for i in u.done]
        records += [u.in_flight for u in self.users.values() if u.in_flight is not None]
        records.sort(key=lambda i: i.update_id)
        return {
            "started": started,
            "timed_out": timed_out,
            "sent": self.sent,
            "missing_buttons": dict(self.missing_buttons),
            "rejected": self.rejected[:20],
            "rejected_count": len(self.rejected),
            "no_user_ready": self.no_user_ready,
            "records": [[i.update_id, i.user_id, i.kind, i.queued, i.answered] for i in records],
        }


async def serve(users: int, rate_limits: bool) -> None:
    async with BotApiStub(
        rate_limits=rate_limits, global_per_second=30, per_chat_per_second=1
    ) as stub:
        for user_id in range(1, users + 1):
            stub.user(user_id, first_name=f"User {user_id}")

        async def sent(_request: web.Request) -> web.Response:
            calls = stub.calls
            return web.json_response(
                {
                    "sent": [
                        [call.time, int(call.params["chat_id"])]
                        for call in calls
                        if call.method == "sendMessage" and call.ok
                    ],
                    "http_429": sum(1 for call in calls if call.error_code == 429),
                }
            )

        async def reset(_request: web.Request) -> web.Response:
            stub.calls.clear()
            return web.json_response({"ok": True})

        async def run(request: web.Request) -> web.Response:
            stub.calls.clear()  # the list only grows; a long benchmark need not keep it
            result = await LoadRun(stub, await request.json()).run()
            stub.calls.clear()
            return web.Response(body=json.dumps(result), content_type="application/json")

        control = web.Application(client_max_size=64 * 1024 * 1024)
        control.add_routes(
            [web.get("/sent", sent), web.post("/reset", reset), web.post("/run", run)]
        )
        runner = web.AppRunner(control, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(
            json.dumps(
                {
                    "base_url": stub.base_url,
                    "base_file_url": stub.base_file_url,
                    "control_url": f"http://127.0.0.1:{port}",
                }
            ),
            flush=True,
        )
        await asyncio.Event().wait()  # until the benchmark terminates this process


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--rate-limits", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.users, arguments.rate_limits))
