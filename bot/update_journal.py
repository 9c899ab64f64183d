"""Every update is journaled in the database before Telegram hears that we have it.

PTB confirms updates to Telegram (the next ``getUpdates`` offset, or the webhook's 200) as
soon as they are in the update queue, so a crash used to lose whatever was queued but not
yet handled. Journaling in ``put`` (which both the poller and the webhook await before
confirming) closes that gap: after a restart the unprocessed ones are replayed in order,
and one Telegram delivers again (not confirmed before a crash) is recognised and dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update

from bot.clock import Clock
from storage.repositories.inbound_updates import InboundUpdateRepository

logger = logging.getLogger(__name__)

# Telegram keeps an unconfirmed update for 24 hours: remembering processed ids for two
# days recognises any re-delivery.
RETENTION = timedelta(days=2)


_replaying: ContextVar[bool] = ContextVar("replaying", default=False)


def is_replay() -> bool:
    """Is the update being handled one a crash interrupted before? Its first handling may
    have got halfway (a button's keyboard already replaced, say), so "already done" signs
    must not be taken for a double tap."""
    return _replaying.get()


@contextmanager
def replaying(flag: bool) -> Iterator[None]:
    token = _replaying.set(flag)
    try:
        yield
    finally:
        _replaying.reset(token)


def sender_id(payload: dict[str, Any]) -> int | None:
    """The id of the user behind a raw update, as PTB's `effective_user` would find it:
    the `from` (or, for poll answers and reactions, `user`) of the update's one object."""
    for key, value in payload.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        sender = value.get("from", value.get("user"))
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
        return None
    return None


class JournaledUpdateQueue(asyncio.Queue[object]):
    """PTB's update queue, writing each new update to `inbound_updates` first."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        super().__init__()
        self._sessions = sessions
        self._clock = clock
        self._replayed: set[int] = set()
        # The last getUpdates batch, journaled as it arrived: update_id -> was it new?
        self._journaled_ahead: dict[int, bool] = {}

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            new = self._journaled_ahead.pop(item.update_id, None)
            if new is None:  # not from a journaled batch (a webhook delivers one at a time)
                new = await self._journal(item)
            if not new:
                logger.info("Update %s was delivered again; it is ignored", item.update_id)
                return
        await super().put(item)

    async def journal_batch(self, payloads: Sequence[dict[str, Any]]) -> None:
        """Journal a getUpdates batch in one statement, with the payloads exactly as
        Telegram sent them, before the poller hands its updates to `put` one by one."""
        entries = [
            (payload["update_id"], sender_id(payload), payload)
            for payload in payloads
            if isinstance(payload.get("update_id"), int)
        ]
        async with self._sessions.begin() as session:
            new = await InboundUpdateRepository(session).record_many(
                updates=entries, now=self._clock()
            )
        # The poller has put every update of the previous batch before asking for this one.
        self._journaled_ahead = {update_id: update_id in new for update_id, _, _ in entries}

    async def _journal(self, update: Update) -> bool:
        user = update.effective_user
        async with self._sessions.begin() as session:
            return await InboundUpdateRepository(session).record(
                update_id=update.update_id,
                user_id=user.id if user is not None else None,
                payload=update.to_dict(),
                now=self._clock(),
            )

    async def replay_unprocessed(self, bot: Bot) -> int:
        """Queue the updates a crash left journaled but unhandled; returns how many."""
        async with self._sessions() as session:
            payloads = await InboundUpdateRepository(session).unprocessed()
        for payload in payloads:
            try:
                update = Update.de_json(payload, bot)
            except Exception:  # never let one bad row keep the bot from starting
                logger.exception("A journaled update could not be read; it is skipped")
                await self._mark_processed(int(payload.get("update_id", 0)))
                continue
            self._replayed.add(update.update_id)
            await super().put(update)
        if payloads:
            logger.info("Replaying %d update(s) received before a restart", len(payloads))
        return len(payloads)

    def was_replayed(self, update: Update) -> bool:
        return update.update_id in self._replayed

    def processed_mark(self, update: Update) -> Callable[[AsyncSession], Awaitable[None]]:
        """The write that marks the update processed, for the caller's transaction (the one
        that stores the conversation state the update led to)."""
        self._replayed.discard(update.update_id)
        now = self._clock()

        async def mark(session: AsyncSession) -> None:
            await InboundUpdateRepository(session).mark_processed(
                update_id=update.update_id, now=now
            )

        return mark

    async def _mark_processed(self, update_id: int) -> None:
        async with self._sessions.begin() as session:
            await InboundUpdateRepository(session).mark_processed(
                update_id=update_id, now=self._clock()
            )

    async def prune(self) -> int:
        async with self._sessions.begin() as session:
            return await InboundUpdateRepository(session).prune(
                processed_before=self._clock() - RETENTION
            )
