"""Everything about one user, collected and erased — on SQLite and on PostgreSQL.

The erase test is generic over the schema: it looks at every table in Base.metadata and
every column that holds a user or chat id (and at the text of every string or JSON value),
so a table added later is checked without a change here.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, Column, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.application_status import Status
from bot.buddy import token_fingerprint
from scheduler.application_planning import ApplicationTiming, log_application, record_status
from scheduler.planning import reschedule_checkins
from storage.db import create_engine, create_session_factory
from storage.models import Base
from storage.repositories.applications import ApplicationRepository
from storage.repositories.buddies import BuddyRepository
from storage.repositories.checkins import CheckinRepository
from storage.repositories.gaps import GapRepository
from storage.repositories.inbound_updates import InboundUpdateRepository
from storage.repositories.journey import JourneyRepository
from storage.repositories.plans import FocusGap, MilestoneRepository, NewMilestone, PlanRepository
from storage.repositories.ptb_state import PtbStateRepository
from storage.repositories.reflections import ReflectionRepository
from storage.repositories.user_data import UserDataRepository
from storage.repositories.users import UserRepository

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ADA, BOB = 7_300_001, 7_300_002
Sessions = async_sessionmaker[AsyncSession]
# PTB's own tables name a user or a chat this way, without a foreign key.
ID_COLUMN_NAMES = {"user_id", "chat_id"}


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(database_url)
    yield create_session_factory(engine)
    await engine.dispose()


# --- helpers the end-to-end tests share ---------------------------------------------------------


def holds_user_id(column: Column[Any]) -> bool:
    """A column whose value is a user's (or their private chat's) id."""
    table = column.table
    if getattr(table, "name", None) == "users" and column.name == "id":
        return True
    refers_to_users = any(key.column.table.name == "users" for key in column.foreign_keys)
    return refers_to_users or column.name in ID_COLUMN_NAMES


def _mentions(value: object, user_id: int) -> bool:
    """Whether text or JSON (a conversation key, a dedupe key, a payload) names the id."""
    if isinstance(value, str | dict | list):
        return str(user_id) in json.dumps(value, default=str)
    return False


async def rows_mentioning(session: AsyncSession, user_id: int) -> list[str]:
    """Every row, in every table, that refers to the user: "table: column=value"."""
    found = []
    for table in Base.metadata.sorted_tables:
        rows = (await session.execute(select(table))).mappings().all()
        for row in rows:
            for column in table.columns:
                value = row[column]
                textual = isinstance(column.type, String | Text | JSON)
                if (holds_user_id(column) and value == user_id) or (
                    textual and _mentions(value, user_id)
                ):
                    found.append(f"{table.name}: {column.name}={value!r}")
    return found


async def tables_holding(session: AsyncSession, user_id: int) -> set[str]:
    """The tables with at least one row referring to the user."""
    return {entry.split(":")[0] for entry in await rows_mentioning(session, user_id)}


def tables_with_user_columns() -> set[str]:
    return {
        table.name
        for table in Base.metadata.sorted_tables
        if any(holds_user_id(column) for column in table.columns)
    }


async def seed_every_table(
    sessions: Sessions,
    user_id: int,
    *,
    now: datetime = NOW,
    zone: str = "Europe/Paris",
    ptb_rows: bool = True,
) -> None:
    """A user with data everywhere: answers, gaps, plan, milestones, check-ins, prompts,
    applications with history and notes, a reflection, and (unless a running bot writes
    its own, which would race with these) PTB persistence rows."""
    timing = ApplicationTiming(zone=zone)
    async with sessions.begin() as session:
        users = UserRepository(session)
        await users.ensure(user_id=user_id, first_name=f"User {user_id}", username="someone")
        await users.set_timezone(user_id=user_id, timezone=zone)
        await reschedule_checkins(session, user_id=user_id, now=now, default_zone=zone)
        journey = JourneyRepository(session)
        await journey.save(user_id=user_id, step="why", key="statement", value="Impact", now=now)
        await journey.save(user_id=user_id, step="why", key="push", value='["pay"]', now=now)
        await journey.complete(user_id=user_id, step="why", now=now)
        await GapRepository(session).add(
            user_id=user_id,
            key="2.B.1.a",
            name="SQL",
            area="technical",
            source="onet",
            importance=4.0,
            suggested_level=4,
            now=now,
        )
        plans = PlanRepository(session)
        await plans.save_deadline(user_id=user_id, deadline=date(2027, 5, 31), text="May", now=now)
        await plans.save_hours(user_id=user_id, hours=6, now=now)
        await plans.sync_focus(user_id=user_id, gaps=[FocusGap("2.B.1.a", "SQL")], now=now)
        await plans.save_method(user_id=user_id, gap_key="2.B.1.a", method="course", now=now)
        await plans.mark_built(user_id=user_id, now=now)
        await MilestoneRepository(session).replace_planned(
            user_id=user_id,
            milestones=[
                NewMilestone(date(2026, 11, 23), 1, "learn", "2.B.1.a", "SQL", 3),
                NewMilestone(date(2026, 11, 30), 1, "practice", "2.B.1.a", "SQL", 3),
            ],
        )
        checkins = CheckinRepository(session)
        await checkins.open(user_id=user_id, period="2026-W47", prompted_at=now)
        await checkins.save_answer(user_id=user_id, period="2026-W47", field="did", text="SQL")
        journal = InboundUpdateRepository(session)
        await journal.record(
            update_id=user_id,  # one handled message, remembered to spot a re-delivery
            user_id=user_id,
            payload={"update_id": user_id, "message": {"text": "applied to Acme"}},
            now=now,
        )
        await journal.mark_processed(update_id=user_id, now=now)
    await _seed_applications(sessions, user_id, timing, now)
    await _seed_buddy_invite(sessions, user_id, now)
    if not ptb_rows:
        return
    async with sessions.begin() as session:
        ptb = PtbStateRepository(session)
        await ptb.put_user_data(user_id=user_id, data={"checkin_day": 3})
        await ptb.put_chat_data(chat_id=user_id, data={"seen": True})
        await ptb.put_conversation(name="settings", key=(user_id, user_id), state=4)


async def _seed_applications(
    sessions: Sessions, user_id: int, timing: ApplicationTiming, now: datetime
) -> None:
    async with sessions.begin() as session:
        acme = await log_application(
            session,
            user_id=user_id,
            company="Acme",
            role="Product Manager",
            status=Status.APPLIED,
            on=date(2026, 11, 20),
            url="https://acme.example/jobs/1",
            timing=timing,
            now=now,
        )
        await record_status(
            session,
            application=acme,
            status=Status.INTERVIEW,
            on=date(2026, 11, 27),
            event_time=time(14, 0),
            timing=timing,
            now=now,
        )
        applications = ApplicationRepository(session)
        await applications.add_note(
            application=acme, kind="note", text="=cmd|' /C calc'!A0", now=now
        )
        await applications.add_note(
            application=acme, kind="recruiter", text="Jane Doe", reach="jane@acme.example", now=now
        )
        await log_application(
            session,
            user_id=user_id,
            company="Café Société",
            role=None,
            status=Status.APPLIED,
            on=date(2026, 11, 21),
            timing=timing,
            now=now,
        )
        globex = await log_application(
            session,
            user_id=user_id,
            company="Globex",
            role="Analyst",
            status=Status.REJECTED,
            on=date(2026, 11, 19),
            timing=timing,
            now=now,
        )
        reflection = await ReflectionRepository(session).start(application=globex, now=now)
        await ReflectionRepository(session).set_stage(
            user_id=user_id, reflection_id=reflection.id, stage="cv", round_=None
        )


async def _seed_buddy_invite(sessions: Sessions, user_id: int, now: datetime) -> None:
    """An invite link nobody opened yet: the user's own row, naming no other user (a link
    with a buddy would be erased with that buddy too, which these tests keep apart)."""
    async with sessions.begin() as session:
        await BuddyRepository(session).create_invite(
            user_id=user_id,
            token_hash=token_fingerprint(f"seed-{user_id}"),
            expires_at=now + timedelta(days=7),
            now=now,
        )


# --- erase -------------------------------------------------------------------------------------


async def test_erase_leaves_no_row_anywhere_that_refers_to_the_user(sessions: Sessions) -> None:
    await seed_every_table(sessions, ADA)
    await seed_every_table(sessions, BOB)
    async with sessions() as session:
        assert await tables_holding(session, ADA) >= tables_with_user_columns(), (
            "seed_every_table must give the user a row in every table that holds user ids"
        )
        bob_before = sorted(await rows_mentioning(session, BOB))
    async with sessions.begin() as session:
        erased = await UserDataRepository(session).erase(user_id=ADA)
    async with sessions() as session:
        assert await rows_mentioning(session, ADA) == []
        assert sorted(await rows_mentioning(session, BOB)) == bob_before
    assert erased >= len(tables_with_user_columns())


async def test_erase_twice_or_of_an_unknown_user_erases_nothing(sessions: Sessions) -> None:
    await seed_every_table(sessions, BOB)
    async with sessions.begin() as session:
        assert await UserDataRepository(session).erase(user_id=ADA) == 0
    async with sessions() as session:
        assert await tables_holding(session, BOB) >= tables_with_user_columns()


async def test_erase_also_removes_conversations_stored_under_a_chat_only_key(
    sessions: Sessions,
) -> None:
    async with sessions.begin() as session:
        await UserRepository(session).ensure(user_id=ADA, first_name="Ada")
        await PtbStateRepository(session).put_conversation(name="per_chat", key=(ADA,), state=1)
        await PtbStateRepository(session).put_conversation(name="per_chat", key=(BOB,), state=1)
    async with sessions.begin() as session:
        await UserDataRepository(session).erase(user_id=ADA)
    async with sessions() as session:
        assert await rows_mentioning(session, ADA) == []
        assert await PtbStateRepository(session).conversations("per_chat") == {(BOB,): 1}


# --- collect -----------------------------------------------------------------------------------


async def test_collect_returns_every_row_of_the_user_and_none_of_anyone_else(
    sessions: Sessions,
) -> None:
    await seed_every_table(sessions, ADA)
    await seed_every_table(sessions, BOB)
    async with sessions() as session:
        records = await UserDataRepository(session).collect(user_id=ADA)
    assert records is not None
    assert records.user.id == ADA and records.user.timezone == "Europe/Paris"
    owners = {
        row.user_id
        for rows in (
            records.answers,
            records.completions,
            records.gaps,
            records.focus,
            records.milestones,
            records.checkins,
            records.applications,
            records.events,
            records.notes,
            records.reflections,
            records.pending_prompts,
        )
        for row in rows
    }
    assert owners == {ADA}
    assert records.plan is not None and records.plan.hours_per_week == 6
    assert [a.company for a in records.applications] == ["Acme", "Café Société", "Globex"]
    assert [
        (e.status, e.round)
        for e in records.events
        if e.application_id == records.applications[0].id
    ] == [
        ("applied", None),
        ("interview", 1),
    ]
    assert {note.kind for note in records.notes} == {"note", "recruiter"}
    assert {answer.key for answer in records.answers} == {"statement", "push"}
    assert all(prompt.state == "pending" for prompt in records.pending_prompts)
    assert {prompt.kind for prompt in records.pending_prompts} >= {
        "weekly_checkin",
        "app_followup",
        "app_interview",
        "app_reflection",
    }
    assert [row.week_start for row in records.milestones] == [
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]


async def test_collect_of_an_unknown_user_is_none(sessions: Sessions) -> None:
    async with sessions() as session:
        assert await UserDataRepository(session).collect(user_id=ADA) is None


async def test_collect_of_a_new_user_has_only_the_profile(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        await UserRepository(session).ensure(user_id=ADA, first_name="Ada")
    async with sessions() as session:
        records = await UserDataRepository(session).collect(user_id=ADA)
    assert records is not None
    assert records.plan is None
    assert (records.answers, records.applications, records.pending_prompts) == ([], [], [])


# --- blank accounts ----------------------------------------------------------------------------


async def test_a_freshly_registered_user_is_blank_until_they_tell_anything(
    sessions: Sessions,
) -> None:
    async with sessions.begin() as session:
        await UserRepository(session).ensure(user_id=ADA, first_name="Ada")
        assert await UserDataRepository(session).is_blank(user_id=ADA)
        await PtbStateRepository(session).put_user_data(user_id=ADA, data={"x": 1})
        assert not await UserDataRepository(session).is_blank(user_id=ADA)
        await PtbStateRepository(session).drop_user_data(user_id=ADA)
        await UserRepository(session).set_timezone(user_id=ADA, timezone="Europe/Paris")
        assert not await UserDataRepository(session).is_blank(user_id=ADA)
        assert await UserDataRepository(session).is_blank(user_id=BOB)


async def test_a_user_whose_only_rows_are_journaled_updates_is_blank(
    sessions: Sessions,
) -> None:
    # A second tap of "Yes, delete" can be journaled after the first has erased everything:
    # its own journal row must not make the erased user look like they told something.
    async with sessions.begin() as session:
        await UserRepository(session).ensure(user_id=ADA, first_name="Ada")
        await InboundUpdateRepository(session).record(
            update_id=41, user_id=ADA, payload={"update_id": 41}, now=NOW
        )
        assert await UserDataRepository(session).is_blank(user_id=ADA)


async def test_a_user_with_any_row_elsewhere_is_not_blank(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        await UserRepository(session).ensure(user_id=ADA, first_name="Ada")
        await JourneyRepository(session).save(
            user_id=ADA, step="why", key="statement", value="x", now=NOW
        )
        assert not await UserDataRepository(session).is_blank(user_id=ADA)
        await PtbStateRepository(session).put_conversation(name="why", key=(ADA, ADA), state=2)
    async with sessions.begin() as session:
        await JourneyRepository(session).forget(user_id=ADA, step="why", key="statement")
        assert not await UserDataRepository(session).is_blank(user_id=ADA)
