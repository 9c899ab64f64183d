"""The one repeating job: claim due prompts from the database, send them, record the outcome.

No per-user scheduler jobs: a tick starts a drain (unless one is running). The drain is a
small pipeline: one producer claims leased batches and renders them, workers send through
the rate limiter, and a recorder writes outcomes (with each kind's follow-ups) in group
commits.

A crash: each prompt is marked "sending" just before its Bot API call, once the limiter
has given it its turn. At the next start (`recover`) claims never sent go out normally;
the few still "sending" — the calls in flight and those whose outcome was not written
yet — may or may not have reached the user (Telegram has no idempotency key to ask), so they
are sent again and logged as "in doubt": a possible duplicate is preferred to a lost
check-in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.i18n import use_language
from bot.rate_limiter import RateLimitArgs, SendCancelled
from bot.schedule import retry_delay
from scheduler.kinds import APPLICATION_FOLLOWUP, REJECTION_REFLECTION
from scheduler.prompt_protocol import Item, Outgoing, PromptKind
from storage.models import PromptState
from storage.repositories.prompts import ClaimedPrompt, PromptRepository
from storage.repositories.users import Recipient, UserRepository

logger = logging.getLogger(__name__)

RETRY_FLUSH_AFTER = 0.1  # seconds, when the database is busy


@dataclass(frozen=True)
class DispatchSettings:
    batch_size: int = 300
    # Finished prompts are kept this long (for the record), then pruned in the background.
    retention: timedelta = timedelta(days=30)
    prune_every: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(seconds=60)
    lease_margin: timedelta = timedelta(seconds=10)  # stop sending a claim this close to expiry
    max_lateness: timedelta = timedelta(hours=24)
    max_attempts: int = 5
    concurrency: int = 32
    # ALLOWED_USER_IDS: when set, nobody else is sent anything.
    allowed_user_ids: frozenset[int] = frozenset()


@dataclass
class DispatchStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    released: int = 0

    def add(self, other: DispatchStats) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# Which DispatchStats counter an outcome's state adds to (pending: a retry later).
_COUNTER_FOR_STATE = {
    PromptState.SENT: "sent",
    PromptState.PENDING: "retried",
    PromptState.FAILED: "failed",
    PromptState.SKIPPED: "skipped",
    PromptState.CANCELLED: "cancelled",
}


@dataclass
class _Outcome:
    prompt: ClaimedPrompt
    user: Recipient
    state: str  # PromptState: sent / pending (retry) / failed / skipped / cancelled
    reason: str = ""
    retry_at: datetime | None = None
    blocked: bool = False


@dataclass
class _Job:
    prompt: ClaimedPrompt
    user: Recipient
    outgoing: Outgoing
    lease_until: datetime


@dataclass
class _Recorder:
    """Writes what the workers report in small group commits, each as soon as the last one
    ends: prompts about to be sent (their workers wait for that write) and outcomes (with
    each kind's follow-ups). Under load many fit in one transaction; when idle, none waits."""

    dispatcher: PromptDispatcher
    stats: DispatchStats
    pending: list[_Outcome] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    announced: list[tuple[int, asyncio.Future[bool]]] = field(default_factory=list)
    closing: bool = False
    _wake: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, outcome: _Outcome) -> None:
        name = _COUNTER_FOR_STATE[outcome.state]
        setattr(self.stats, name, getattr(self.stats, name) + 1)
        self.pending.append(outcome)
        self._wake.set()

    async def announce(self, prompt_id: int) -> bool:
        """Mark a claimed prompt "sending" before its Bot API call; False: not ours now."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.announced.append((prompt_id, future))
        self._wake.set()
        return await future

    def close(self) -> None:
        self.closing = True
        self._wake.set()

    def _idle(self) -> bool:
        return not (self.pending or self.released or self.announced)

    async def flush(self) -> None:
        if self.pending:
            outcomes, self.pending = self.pending, []
            try:
                await self.dispatcher._record(outcomes)
            except Exception:
                # Keep them for the next flush (SQLite may be busy for a moment): an
                # outcome written late is fine, one forgotten would mean a duplicate.
                self.pending[:0] = outcomes
                raise
        if self.announced:
            announced, self.announced = self.announced, []
            marked: set[int] = set()
            try:
                async with self.dispatcher._sessions.begin() as session:
                    marked = await PromptRepository(session).mark_sending(
                        prompt_ids=[prompt_id for prompt_id, _ in announced],
                        claimer=self.dispatcher.claimer,
                    )
            finally:  # on an error nothing is marked, so nothing is sent
                for prompt_id, future in announced:
                    if not future.done():
                        future.set_result(prompt_id in marked)
        if self.released:
            released, self.released = self.released, []
            async with self.dispatcher._sessions.begin() as session:
                await PromptRepository(session).release(prompt_ids=released)
            self.stats.released += len(released)

    async def run(self) -> None:
        """Flush whenever something waits, until closed and idle; never cancelled
        mid-transaction."""
        while not (self.closing and self._idle()):
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.flush()
            except Exception:
                logger.warning("Could not record prompt outcomes yet; will retry", exc_info=True)
                await asyncio.sleep(RETRY_FLUSH_AFTER)
                self._wake.set()


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
        self._stopping = asyncio.Event()
        self._pruned_at: datetime | None = None
        self.totals = DispatchStats()

    # --- the tick ---------------------------------------------------------------------

    def tick(self, bot: ExtBot[RateLimitArgs]) -> asyncio.Task[DispatchStats] | None:
        """Start draining due prompts unless a drain is already under way."""
        if self._stopping.is_set():
            return None
        if self._drain_task is not None and not self._drain_task.done():
            return None
        self._drain_task = asyncio.create_task(self.drain(bot), name="prompt-drain")
        return self._drain_task

    async def stop(self, timeout: float = 15.0) -> None:
        """Finish the sends under way, give back unsent claims, record everything, stop.

        Not a cancellation: cutting a database transaction short would leave SQLite locked.
        """
        self._stopping.set()
        task = self._drain_task
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def drain(self, bot: ExtBot[RateLimitArgs]) -> DispatchStats:
        """Claim, send and record until nothing is due; a bad prompt never stops the rest."""
        stats = DispatchStats()
        recorder = _Recorder(self, stats)
        queue: asyncio.Queue[_Job | None] = asyncio.Queue(maxsize=self.settings.batch_size)
        workers = [
            asyncio.create_task(self._work(bot, queue, recorder))
            for _ in range(self.settings.concurrency)
        ]
        flusher = asyncio.create_task(recorder.run())
        try:
            while not self._stopping.is_set() and await self._claim_and_queue(queue, recorder):
                pass
            await self._prune_if_due()
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            recorder.close()
            # Shielded: a transaction cut short would keep SQLite's write lock.
            await asyncio.shield(flusher)
            # Claims never sent (stopping): give them back at once instead of at lease end.
            while not queue.empty():
                job = queue.get_nowait()
                if job is not None:
                    recorder.released.append(job.prompt.id)
            await asyncio.shield(self._final_flush(recorder))
        self.totals.add(stats)
        return stats

    async def _prune_if_due(self) -> int:
        """Forget old finished prompts now and then, so the table stays small."""
        now = self._clock()
        if self._pruned_at is not None and now - self._pruned_at < self.settings.prune_every:
            return 0
        self._pruned_at = now
        async with self._sessions.begin() as session:
            return await PromptRepository(session).prune(
                finished_before=now - self.settings.retention
            )

    async def _final_flush(self, recorder: _Recorder, attempts: int = 5) -> None:
        for attempt in range(1, attempts + 1):
            try:
                await recorder.flush()
                return
            except Exception:
                if attempt == attempts:
                    raise
                logger.warning("Recording prompt outcomes failed; retrying", exc_info=True)
                await asyncio.sleep(0.2 * attempt)

    # --- producer ---------------------------------------------------------------------

    async def _claim_and_queue(
        self, queue: asyncio.Queue[_Job | None], recorder: _Recorder
    ) -> bool:
        now = self._clock()
        lease_until = now + self.settings.lease
        async with self._sessions.begin() as session:
            batch = await PromptRepository(session).claim_due(
                now=now,
                lease_until=lease_until,
                claimer=self.claimer,
                limit=self.settings.batch_size,
            )
        if not batch:
            return False
        async with self._sessions() as session:
            users = await UserRepository(session).recipients(p.user_id for p in batch)
            newest: dict[tuple[int, str, str], ClaimedPrompt] = {}
            for prompt in batch:
                key = _coalescing_key(prompt)
                if key not in newest or newest[key].due_at < prompt.due_at:
                    newest[key] = prompt
            # Rendered per kind and language: each message speaks its recipient's language.
            by_kind: dict[tuple[str, str], list[Item]] = defaultdict(list)
            for prompt in batch:
                user = users.get(prompt.user_id)
                if user is None:
                    continue  # the user is gone, and their prompts with them
                dropped = self._triage(prompt, user, now, newest[_coalescing_key(prompt)])
                if dropped is not None:
                    recorder.add(dropped)
                else:
                    by_kind[prompt.kind, user.language].append((prompt, user))
            rendered: dict[int, Outgoing | None] = {}
            for (kind, language), items in by_kind.items():
                try:
                    with use_language(language):
                        rendered.update(await self._kinds[kind].render(session, items))
                except Exception as error:  # a bug in one kind must not stop the others
                    logger.exception("Prompts of kind %s could not be prepared", kind)
                    for prompt, user in items:
                        recorder.add(_Outcome(prompt, user, PromptState.FAILED, repr(error)))
        for items in by_kind.values():
            for prompt, user in items:
                if prompt.id not in rendered:
                    continue
                outgoing = rendered[prompt.id]
                if outgoing is None:
                    recorder.add(_Outcome(prompt, user, PromptState.SKIPPED, "no longer applies"))
                else:
                    await queue.put(_Job(prompt, user, outgoing, lease_until))
        return True

    def _triage(
        self, prompt: ClaimedPrompt, user: Recipient, now: datetime, newest: ClaimedPrompt
    ) -> _Outcome | None:
        """Decide without sending: stale, superseded, paused, or inactive prompts end here."""
        if prompt.kind not in self._kinds:
            return _Outcome(prompt, user, PromptState.FAILED, f"unknown kind {prompt.kind}")
        if not user.active:
            return _Outcome(prompt, user, PromptState.CANCELLED, "user inactive")
        allowed = self.settings.allowed_user_ids
        if allowed and user.id not in allowed:
            # Taken off ALLOWED_USER_IDS after their prompts were planned.
            return _Outcome(prompt, user, PromptState.CANCELLED, "not on the allow-list")
        if user.paused and (user.paused_until is None or user.paused_until > now):
            if user.paused_until is not None and prompt.kind in WAIT_OUT_A_PAUSE:
                # About something that happened (an application, a rejection): it waits
                # for the end of a dated pause instead of being lost. Weekly prompts are
                # planned afresh on resume, and an indefinite pause means no prompts.
                return _Outcome(
                    prompt, user, PromptState.PENDING, "reminders paused", user.paused_until
                )
            return _Outcome(prompt, user, PromptState.CANCELLED, "reminders paused")
        if prompt is not newest:
            return _Outcome(prompt, user, PromptState.SKIPPED, "coalesced with a newer one")
        lateness = now - prompt.due_at
        if lateness > self.settings.max_lateness:
            return _Outcome(prompt, user, PromptState.SKIPPED, f"overdue by {lateness}")
        return None

    # --- workers ----------------------------------------------------------------------

    async def _work(
        self, bot: ExtBot[RateLimitArgs], queue: asyncio.Queue[_Job | None], recorder: _Recorder
    ) -> None:
        while (job := await queue.get()) is not None:
            if (
                self._stopping.is_set()
                or self._clock() >= job.lease_until - self.settings.lease_margin
            ):
                recorder.released.append(job.prompt.id)  # stopping, or too late for this claim
                continue
            outcome = await self._deliver(bot, job, recorder)
            if outcome is not None:
                recorder.add(outcome)

    async def _deliver(
        self, bot: ExtBot[RateLimitArgs], job: _Job, recorder: _Recorder
    ) -> _Outcome | None:
        """Send one prompt; None when it was not sent and its claim is left to its lease."""
        prompt, user = job.prompt, job.user
        if prompt.in_doubt:
            logger.warning(
                "Prompt %s (%s) was being sent when a run stopped; it may have arrived, "
                "sending it again (in doubt)",
                prompt.id,
                prompt.kind,
            )
        try:
            await bot.send_message(
                chat_id=user.id,
                text=job.outgoing.text,
                reply_markup=job.outgoing.markup,
                # No retries inside the limiter: a 429 or a network failure becomes a later
                # due time (and a second "sending" mark would be refused anyway).
                rate_limit_args=RateLimitArgs(
                    max_retries=0,
                    network_retries=0,
                    pace_chat=True,
                    before_send=partial(recorder.announce, prompt.id),
                ),
            )
        except SendCancelled:
            return None
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
        except Exception as error:  # a bug must cost one prompt, not the whole drain
            logger.exception("Prompt %s (%s) could not be sent", prompt.id, prompt.kind)
            return _Outcome(prompt, user, PromptState.FAILED, f"{type(error).__name__}: {error}")
        return _Outcome(prompt, user, PromptState.SENT)

    async def recover(self) -> int:
        """At start-up, as the only dispatcher on this database: claims a stopped or crashed
        run left behind are taken up now instead of when their lease runs out."""
        async with self._sessions.begin() as session:
            expired = await PromptRepository(session).expire_claims(now=self._clock())
        if expired:
            logger.info("Taking up %d prompt(s) claimed by an earlier run", expired)
        return expired

    # --- recording --------------------------------------------------------------------

    async def _record(self, outcomes: list[_Outcome]) -> None:
        now = self._clock()
        sent: dict[str, list[Item]] = defaultdict(list)
        dropped: dict[str, list[Item]] = defaultdict(list)
        async with self._sessions.begin() as session:
            prompts = PromptRepository(session)
            users = UserRepository(session)
            # A user who erased their data (/delete_me) while their prompt was on its way:
            # their rows are gone, and nothing may be queued for them again.
            alive = await users.recipients({o.prompt.user_id for o in outcomes})
            outcomes = [o for o in outcomes if o.prompt.user_id in alive]
            await prompts.mark_sent(
                prompt_ids=[o.prompt.id for o in outcomes if o.state == PromptState.SENT],
                claimer=self.claimer,
                now=now,
            )
            for outcome in outcomes:
                prompt, user = outcome.prompt, outcome.user
                if user.paused and user.paused_until is not None and user.paused_until <= now:
                    await users.resume(user_id=user.id)  # "pause until" ends by itself
                    user.paused, user.paused_until = False, None
                if outcome.state == PromptState.SENT:
                    sent[prompt.kind].append((prompt, user))
                elif outcome.state == PromptState.PENDING:
                    assert outcome.retry_at is not None
                    await prompts.retry_later(
                        prompt_id=prompt.id, due_at=outcome.retry_at, error=outcome.reason
                    )
                else:
                    await prompts.finish(
                        prompt_ids=[prompt.id], state=outcome.state, reason=outcome.reason
                    )
                    if outcome.blocked:
                        user.active = False
                        await users.mark_inactive(user_id=user.id)
                        await prompts.cancel_pending(user_id=user.id, reason="user blocked the bot")
                        self._on_blocked(user.id)
                    else:
                        dropped[prompt.kind].append((prompt, user))
            for kind, items in sent.items():
                await self._kinds[kind].after_sent(session, items, now)
            for kind, items in dropped.items():
                if kind in self._kinds:
                    await self._kinds[kind].after_dropped(session, items, now)


# Prompt kinds that wait out a pause with an end date rather than being cancelled.
WAIT_OUT_A_PAUSE = frozenset({APPLICATION_FOLLOWUP, REJECTION_REFLECTION})


def _coalescing_key(prompt: ClaimedPrompt) -> tuple[int, str, str]:
    """Prompts that say the same thing: one user, one kind, one subject. After downtime only
    the newest check-in goes out, but five applications still get five follow-ups."""
    subject = prompt.payload.get("application_id", "")
    return prompt.user_id, prompt.kind, str(subject)
