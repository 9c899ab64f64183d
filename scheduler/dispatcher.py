"""The one repeating job: claim due prompts from the database, send them, record the outcome.

No per-user scheduler jobs: a tick starts a drain task (unless one is running) that claims
batches until nothing is due. Each claimed prompt is leased; outcomes are written in small
groups every FLUSH_INTERVAL, so a crash re-sends at most the last few hundred milliseconds
of messages once their lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.rate_limiter import RateLimitArgs
from bot.schedule import retry_delay
from scheduler.prompt_kinds import PromptKind
from storage.models import PromptState, User
from storage.repositories.prompts import ClaimedPrompt, PromptRepository
from storage.repositories.users import UserRepository

logger = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.1  # seconds: the most a crash can leave sent-but-unrecorded


@dataclass(frozen=True)
class DispatchSettings:
    batch_size: int = 300
    lease: timedelta = timedelta(seconds=60)
    lease_margin: timedelta = timedelta(seconds=10)  # stop sending a claim this close to expiry
    max_lateness: timedelta = timedelta(hours=24)
    max_attempts: int = 5
    concurrency: int = 64


@dataclass
class DispatchStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    released: int = 0


@dataclass
class _Outcome:
    prompt: ClaimedPrompt
    user: User
    state: str  # PromptState: sent / pending (retry) / failed / skipped / cancelled
    reason: str = ""
    retry_at: datetime | None = None
    blocked: bool = False


@dataclass
class _Recorder:
    """Buffers outcomes and writes them, with each kind's follow-ups, in one transaction."""

    dispatcher: PromptDispatcher
    stats: DispatchStats
    pending: list[_Outcome] = field(default_factory=list)

    def add(self, outcome: _Outcome) -> None:
        self.dispatcher._count(self.stats, outcome)
        self.pending.append(outcome)

    async def flush(self) -> None:
        if not self.pending:
            return
        outcomes, self.pending = self.pending, []
        await self.dispatcher._record(outcomes)


class PromptDispatcher:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        kinds: dict[str, PromptKind],
        default_zone: str,
        settings: DispatchSettings | None = None,
        claimer: str | None = None,
        on_blocked: Callable[[int], None] = lambda _user_id: None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._kinds = kinds
        self._default_zone = default_zone
        self.settings = settings or DispatchSettings()
        self.claimer = claimer or f"instance-{uuid.uuid4().hex[:12]}"
        self._on_blocked = on_blocked  # e.g. forget the user in caches of active users
        self._drain_task: asyncio.Task[DispatchStats] | None = None
        self.totals = DispatchStats()

    # --- the tick ---------------------------------------------------------------------

    def tick(self, bot: ExtBot[RateLimitArgs]) -> asyncio.Task[DispatchStats] | None:
        """Start draining due prompts unless a drain is already under way."""
        if self._drain_task is not None and not self._drain_task.done():
            return None
        self._drain_task = asyncio.create_task(self.drain(bot), name="prompt-drain")
        return self._drain_task

    async def stop(self) -> None:
        task = self._drain_task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def drain(self, bot: ExtBot[RateLimitArgs]) -> DispatchStats:
        """Claim and send batches until nothing is due; never raises for a bad prompt."""
        stats = DispatchStats()
        while True:
            now = self._clock()
            async with self._sessions.begin() as session:
                batch = await PromptRepository(session).claim_due(
                    now=now,
                    lease_until=now + self.settings.lease,
                    claimer=self.claimer,
                    limit=self.settings.batch_size,
                )
            if not batch:
                break
            await self._send_batch(bot, batch, now + self.settings.lease, stats)
        self._add_to_totals(stats)
        return stats

    def _add_to_totals(self, stats: DispatchStats) -> None:
        for name in vars(stats):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(stats, name))

    # --- one batch --------------------------------------------------------------------

    async def _send_batch(
        self,
        bot: ExtBot[RateLimitArgs],
        batch: list[ClaimedPrompt],
        lease_until: datetime,
        stats: DispatchStats,
    ) -> None:
        users = await self._load_users({prompt.user_id for prompt in batch})
        recorder = _Recorder(self, stats)
        to_send: list[tuple[ClaimedPrompt, User]] = []
        now = self._clock()
        newest: dict[tuple[int, str], ClaimedPrompt] = {}
        for prompt in batch:
            key = (prompt.user_id, prompt.kind)
            if key not in newest or newest[key].due_at < prompt.due_at:
                newest[key] = prompt
        for prompt in batch:
            user = users.get(prompt.user_id)
            if user is None:
                continue  # the user is gone; the row went with them (cascade)
            outcome = self._triage(prompt, user, now, newest[(prompt.user_id, prompt.kind)])
            if outcome is not None:
                recorder.add(outcome)
            else:
                to_send.append((prompt, user))

        semaphore = asyncio.Semaphore(self.settings.concurrency)
        flusher = asyncio.create_task(self._flush_periodically(recorder))
        released: list[int] = []

        async def send_one(prompt: ClaimedPrompt, user: User) -> None:
            async with semaphore:
                if self._clock() >= lease_until - self.settings.lease_margin:
                    released.append(prompt.id)  # too late for this claim: give it back
                    return
                recorder.add(await self._deliver(bot, prompt, user))

        try:
            await asyncio.gather(*(send_one(prompt, user) for prompt, user in to_send))
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await recorder.flush()
            if released:
                async with self._sessions.begin() as session:
                    await PromptRepository(session).release(prompt_ids=released)
                stats.released += len(released)

    async def _flush_periodically(self, recorder: _Recorder) -> None:
        while True:
            await asyncio.sleep(FLUSH_INTERVAL)
            await recorder.flush()

    def _count(self, stats: DispatchStats, outcome: _Outcome) -> None:
        if outcome.state == PromptState.SENT:
            stats.sent += 1
        elif outcome.state == PromptState.PENDING:
            stats.retried += 1
        elif outcome.state == PromptState.FAILED:
            stats.failed += 1
        elif outcome.state == PromptState.SKIPPED:
            stats.skipped += 1
        else:
            stats.cancelled += 1

    def _triage(
        self, prompt: ClaimedPrompt, user: User, now: datetime, newest: ClaimedPrompt
    ) -> _Outcome | None:
        """Decide without sending: stale, superseded, paused, or inactive prompts end here."""
        if prompt.kind not in self._kinds:
            return _Outcome(prompt, user, PromptState.FAILED, f"unknown kind {prompt.kind}")
        if not user.active:
            return _Outcome(prompt, user, PromptState.CANCELLED, "user inactive")
        if user.paused and (user.paused_until is None or user.paused_until > now):
            return _Outcome(prompt, user, PromptState.CANCELLED, "reminders paused")
        if prompt is not newest:
            return _Outcome(prompt, user, PromptState.SKIPPED, "coalesced with a newer one")
        lateness = now - prompt.due_at
        if lateness > self.settings.max_lateness:
            return _Outcome(prompt, user, PromptState.SKIPPED, f"overdue by {lateness}")
        return None

    async def _deliver(
        self, bot: ExtBot[RateLimitArgs], prompt: ClaimedPrompt, user: User
    ) -> _Outcome:
        kind = self._kinds[prompt.kind]
        try:
            async with self._sessions() as session:
                outgoing = await kind.render(session, prompt=prompt, user=user)
            if outgoing is None:
                return _Outcome(prompt, user, PromptState.SKIPPED, "nothing to say any more")
            await bot.send_message(
                chat_id=user.id,
                text=outgoing.text,
                reply_markup=outgoing.markup,
                # No retry inside: a 429 comes back here and becomes a later due time.
                rate_limit_args=RateLimitArgs(max_retries=0, pace_chat=True),
            )
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
            due = self._clock() + timedelta(seconds=float(seconds))
            return _Outcome(prompt, user, PromptState.PENDING, "429 retry after", retry_at=due)
        except Forbidden as error:
            return _Outcome(prompt, user, PromptState.CANCELLED, str(error), blocked=True)
        except BadRequest as error:
            if "chat not found" in str(error).lower():
                return _Outcome(prompt, user, PromptState.CANCELLED, str(error), blocked=True)
            logger.error("Prompt %s (%s) was refused: %s", prompt.id, prompt.kind, error)
            return _Outcome(prompt, user, PromptState.FAILED, str(error))
        except (NetworkError, TelegramError) as error:
            if prompt.attempts >= self.settings.max_attempts:
                return _Outcome(prompt, user, PromptState.FAILED, f"gave up: {error}")
            due = self._clock() + retry_delay(prompt.attempts)
            return _Outcome(prompt, user, PromptState.PENDING, str(error), retry_at=due)
        except Exception as error:  # a bug in one prompt must not stop the others
            logger.exception("Prompt %s (%s) could not be prepared", prompt.id, prompt.kind)
            return _Outcome(prompt, user, PromptState.FAILED, f"{type(error).__name__}: {error}")
        return _Outcome(prompt, user, PromptState.SENT)

    # --- recording --------------------------------------------------------------------

    async def _load_users(self, user_ids: set[int]) -> dict[int, User]:
        async with self._sessions() as session:
            rows = await session.scalars(select(User).where(User.id.in_(user_ids)))
            return {user.id: user for user in rows}

    async def _record(self, outcomes: list[_Outcome]) -> None:
        now = self._clock()
        async with self._sessions.begin() as session:
            prompts = PromptRepository(session)
            sent = [o for o in outcomes if o.state == PromptState.SENT]
            await prompts.mark_sent(
                prompt_ids=[o.prompt.id for o in sent], claimer=self.claimer, now=now
            )
            users = UserRepository(session)
            for outcome in outcomes:
                user = outcome.user
                if user.paused and user.paused_until is not None and user.paused_until <= now:
                    await users.resume(user_id=user.id)  # "pause until" ends by itself
                    user.paused, user.paused_until = False, None
                kind = self._kinds.get(outcome.prompt.kind)
                if outcome.state == PromptState.SENT:
                    if kind is not None:
                        await kind.after_sent(
                            session, prompt=outcome.prompt, user=outcome.user, now=now
                        )
                    continue
                if outcome.state == PromptState.PENDING:
                    assert outcome.retry_at is not None
                    await prompts.retry_later(
                        prompt_id=outcome.prompt.id, due_at=outcome.retry_at, error=outcome.reason
                    )
                    continue
                await prompts.finish(
                    prompt_ids=[outcome.prompt.id], state=outcome.state, reason=outcome.reason
                )
                if outcome.blocked:
                    await users.mark_inactive(user_id=outcome.user.id)
                    self._on_blocked(outcome.user.id)
                    await prompts.cancel_pending(
                        user_id=outcome.user.id, reason="user blocked the bot"
                    )
                elif kind is not None:
                    await kind.after_dropped(
                        session, prompt=outcome.prompt, user=outcome.user, now=now
                    )
