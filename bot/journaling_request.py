"""The getUpdates transport: each batch is journaled the moment it arrives.

PTB hands the updates of one getUpdates answer to the update queue one at a time, and the
queue journals each before Telegram may hear that we have it (bot/update_journal.py). Done
here instead, a whole batch goes into the journal in one statement, with the payloads
exactly as Telegram sent them (no re-serialising of PTB's objects); the queue then only
looks each update up. If journaling fails, the answer is not handed to PTB: it asks again
with the same offset, so nothing is confirmed that is not journaled.
"""

from __future__ import annotations

import json

from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.update_journal import JournaledUpdateQueue

GET_UPDATES = "getUpdates"


class JournalingUpdatesRequest(BaseRequest):
    """Wraps the request object PTB polls with; every other call passes straight through."""

    def __init__(self, inner: BaseRequest, journal: JournaledUpdateQueue) -> None:
        self._inner = inner
        self._journal = journal

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await self._inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if code == 200 and url.rsplit("/", 1)[-1] == GET_UPDATES:
            updates = _updates_in(payload)
            if updates:
                await self._journal.journal_batch(updates)
        return code, payload


def _updates_in(payload: bytes) -> list[dict[str, object]]:
    """The updates of a getUpdates answer; none if it is not one PTB could read either
    (PTB then reports the error itself)."""
    try:
        answer = json.loads(payload)
    except ValueError:
        return []
    result = answer.get("result") if isinstance(answer, dict) and answer.get("ok") else None
    if not isinstance(result, list):
        return []
    return [update for update in result if isinstance(update, dict)]
