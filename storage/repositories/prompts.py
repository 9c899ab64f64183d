"""Scheduled prompts: queue once, claim safely (several instances), record the outcome."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Select, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PromptState, ScheduledPrompt, utcnow
from storage.upsert import insert_for


@dataclass(frozen=True)
class ClaimedPrompt:
    id: int
    user_id: int
    kind: str
    due_at: datetime
    payload: dict[str, Any]
    attempts: int
    dedupe_key: str | None
    # Its last sending was interrupted by a crash: the user may already have it.
    in_doubt: bool = False


class PromptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def enqueue(
        self,
        *,
        user_id: int,
        kind: str,
        due_at: datetime,
        dedupe_key: str,
        payload: dict[str, Any] | None = None,
    ) -> bool:
        """Queue a prompt unless one with the same key stands; True when it was queued."""
        values = {
            "user_id": user_id,
            "kind": kind,
            "due_at": due_at,
            "dedupe_key": dedupe_key,
            "payload": payload or {},
            "state": PromptState.PENDING,
            "attempts": 0,
        }
        insert = insert_for(self._session)
        statement = (
            insert(ScheduledPrompt)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(ScheduledPrompt.id)
        )
        inserted = await self._session.scalar(statement)
        return inserted is not None

    async def enqueue_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Queue many prompts in one statement; rows whose key stands already are left out.

        Each row has user_id, kind, due_at, dedupe_key and payload.
        """
        if not rows:
            return
        insert = insert_for(self._session)
        # The table, not the mapped class: a plain executemany, without ORM bulk machinery.
        table = cast(Table, ScheduledPrompt.__table__)
        statement = insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])
        now = utcnow()
        await self._session.execute(
            statement,
            [
                {"state": PromptState.PENDING, "attempts": 0, "created_at": now, **row}
                for row in rows
            ],
        )

    async def claim_due(
        self, *, now: datetime, lease_until: datetime, claimer: str, limit: int
    ) -> list[ClaimedPrompt]:
        """Take up to `limit` due prompts (and ones whose lease ran out) for this claimer.

        On PostgreSQL rows locked by another instance are skipped, so instances never
        claim the same prompt; SQLite serialises writers, so each UPDATE is enough. Two
        narrow statements rather than one with OR: each walks the (state, due_at) index,
        so a claim costs the same with a million sent prompts in the table as with none.
        """
        interrupted = await self._claim(
            select(ScheduledPrompt.id).where(
                ScheduledPrompt.state == PromptState.SENDING, ScheduledPrompt.claimed_until < now
            ),
            lease_until=lease_until,
            claimer=claimer,
            limit=limit,
            in_doubt=True,
        )
        expired = await self._claim(
            select(ScheduledPrompt.id).where(
                ScheduledPrompt.state == PromptState.CLAIMED, ScheduledPrompt.claimed_until < now
            ),
            lease_until=lease_until,
            claimer=claimer,
            limit=limit - len(interrupted),
        )
        expired = interrupted + expired
        due = await self._claim(
            select(ScheduledPrompt.id).where(
                ScheduledPrompt.state == PromptState.PENDING, ScheduledPrompt.due_at <= now
            ),
            lease_until=lease_until,
            claimer=claimer,
            limit=limit - len(expired),
        )
        return sorted(expired + due, key=lambda prompt: (prompt.due_at, prompt.id))

    async def _claim(
        self,
        candidates: Select[int],
        *,
        lease_until: datetime,
        claimer: str,
        limit: int,
        in_doubt: bool = False,
    ) -> list[ClaimedPrompt]:
        if limit <= 0:
            return []
        chosen = candidates.order_by(ScheduledPrompt.due_at).limit(limit)
        if self._dialect == "postgresql":
            chosen = chosen.with_for_update(skip_locked=True)
        statement = (
            update(ScheduledPrompt)
            .where(ScheduledPrompt.id.in_(chosen.scalar_subquery()))
            .values(
                state=PromptState.CLAIMED,
                claimed_until=lease_until,
                claimed_by=claimer,
                attempts=ScheduledPrompt.attempts + 1,
            )
            .returning(
                ScheduledPrompt.id,
                ScheduledPrompt.user_id,
                ScheduledPrompt.kind,
                ScheduledPrompt.due_at,
                ScheduledPrompt.payload,
                ScheduledPrompt.attempts,
                ScheduledPrompt.dedupe_key,
            )
            .execution_options(synchronize_session=False)
        )
        rows = (await self._session.execute(statement)).all()
        claimed = [ClaimedPrompt(*row) for row in rows]
        return [replace(prompt, in_doubt=True) for prompt in claimed] if in_doubt else claimed

    async def mark_sending(self, *, prompt_ids: Sequence[int], claimer: str) -> set[int]:
        """Note that these claims are about to be sent; returns those still ours."""
        if not prompt_ids:
            return set()
        result = await self._session.execute(
            update(ScheduledPrompt)
            .where(
                ScheduledPrompt.id.in_(prompt_ids),
                ScheduledPrompt.claimed_by == claimer,
                ScheduledPrompt.state == PromptState.CLAIMED,
            )
            .values(state=PromptState.SENDING)
            .returning(ScheduledPrompt.id)
            .execution_options(synchronize_session=False)
        )
        return set(result.scalars())

    async def expire_claims(self, *, now: datetime) -> int:
        """End every lease at once: at start-up, when no other dispatcher can be running
        (SQLite has one instance; on PostgreSQL this one holds the active lock), claims
        left by a stopped or crashed run need not wait for their lease to run out."""
        result = await self._session.execute(
            update(ScheduledPrompt)
            .where(
                ScheduledPrompt.state.in_([PromptState.CLAIMED, PromptState.SENDING]),
                ScheduledPrompt.claimed_until >= now,
            )
            .values(claimed_until=now - timedelta(microseconds=1))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def mark_sent(self, *, prompt_ids: Sequence[int], claimer: str, now: datetime) -> None:
        if not prompt_ids:
            return
        await self._session.execute(
            update(ScheduledPrompt)
            .where(ScheduledPrompt.id.in_(prompt_ids), ScheduledPrompt.claimed_by == claimer)
            .values(state=PromptState.SENT, sent_at=now, claimed_until=None, last_error=None)
            .execution_options(synchronize_session=False)
        )

    async def retry_later(self, *, prompt_id: int, due_at: datetime, error: str) -> None:
        await self._session.execute(
            update(ScheduledPrompt)
            .where(ScheduledPrompt.id == prompt_id)
            .values(
                state=PromptState.PENDING, due_at=due_at, claimed_until=None, last_error=error[:500]
            )
            .execution_options(synchronize_session=False)
        )

    async def release(self, *, prompt_ids: Sequence[int]) -> None:
        """Give unsent claims back at once (shutting down, or the lease is nearly over)."""
        if not prompt_ids:
            return
        await self._session.execute(
            update(ScheduledPrompt)
            .where(ScheduledPrompt.id.in_(prompt_ids), ScheduledPrompt.state == PromptState.CLAIMED)
            .values(
                state=PromptState.PENDING,
                claimed_until=None,
                attempts=ScheduledPrompt.attempts - 1,
            )
            .execution_options(synchronize_session=False)
        )

    async def finish(self, *, prompt_ids: Iterable[int], state: str, reason: str) -> None:
        """End prompts without sending them (failed, skipped, cancelled), keeping why."""
        ids = list(prompt_ids)
        if not ids:
            return
        values: dict[str, Any] = {"state": state, "claimed_until": None, "last_error": reason[:500]}
        if state == PromptState.CANCELLED:
            values["dedupe_key"] = None
        await self._session.execute(
            update(ScheduledPrompt)
            .where(ScheduledPrompt.id.in_(ids))
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def cancel_pending(
        self, *, user_id: int, kinds: Iterable[str] | None = None, reason: str
    ) -> int:
        """Cancel a user's pending prompts (optionally only some kinds); returns how many."""
        conditions = [
            ScheduledPrompt.user_id == user_id,
            ScheduledPrompt.state == PromptState.PENDING,
        ]
        if kinds is not None:
            conditions.append(ScheduledPrompt.kind.in_(list(kinds)))
        result = await self._session.execute(
            update(ScheduledPrompt)
            .where(*conditions)
            .values(state=PromptState.CANCELLED, dedupe_key=None, last_error=reason[:500])
            .returning(ScheduledPrompt.id)
            .execution_options(synchronize_session=False)
        )
        return len(result.all())

    async def prune(self, *, finished_before: datetime, limit: int = 5000) -> int:
        """Delete up to `limit` finished prompts (sent, skipped, cancelled, failed) created
        before the given time; returns how many. Pending and claimed ones always stay."""
        finished = [
            PromptState.SENT,
            PromptState.SKIPPED,
            PromptState.CANCELLED,
            PromptState.FAILED,
        ]
        old = (
            select(ScheduledPrompt.id)
            .where(
                ScheduledPrompt.state.in_(finished),
                ScheduledPrompt.created_at < finished_before,
            )
            .limit(limit)
        )
        result = await self._session.execute(
            delete(ScheduledPrompt)
            .where(ScheduledPrompt.id.in_(old.scalar_subquery()))
            .returning(ScheduledPrompt.id)
            .execution_options(synchronize_session=False)
        )
        return len(result.all())

    async def pending_for_user(self, user_id: int) -> list[ScheduledPrompt]:
        rows = await self._session.scalars(
            select(ScheduledPrompt)
            .where(ScheduledPrompt.user_id == user_id, ScheduledPrompt.state == PromptState.PENDING)
            .order_by(ScheduledPrompt.due_at)
        )
        return list(rows)

    async def all_for_user(self, user_id: int) -> list[ScheduledPrompt]:
        rows = await self._session.scalars(
            select(ScheduledPrompt)
            .where(ScheduledPrompt.user_id == user_id)
            .order_by(ScheduledPrompt.due_at, ScheduledPrompt.id)
        )
        return list(rows)

    async def cancel_with_prefix(self, *, user_id: int, prefix: str, reason: str) -> int:
        """Cancel a user's pending prompts whose dedupe key starts with `prefix`."""
        result = await self._session.execute(
            update(ScheduledPrompt)
            .where(
                ScheduledPrompt.user_id == user_id,
                ScheduledPrompt.state == PromptState.PENDING,
                ScheduledPrompt.dedupe_key.startswith(prefix, autoescape=True),
            )
            .values(state=PromptState.CANCELLED, dedupe_key=None, last_error=reason[:500])
            .returning(ScheduledPrompt.id)
            .execution_options(synchronize_session=False)
        )
        return len(result.all())
