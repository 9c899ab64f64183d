"""Reflections after rejections, on SQLite and PostgreSQL: one per application, answers
saved one by one, scoped to their user, listed newest first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import create_engine, create_session_factory
from storage.models import Application
from storage.repositories.applications import ApplicationRepository
from storage.repositories.reflections import ReflectionRepository
from storage.repositories.users import UserRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ADA, BOB = 1, 2


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    factory = create_session_factory(engine)
    async with factory.begin() as session:
        for user_id in (ADA, BOB):
            await UserRepository(session).ensure(user_id=user_id, first_name=f"User {user_id}")
    yield factory
    await engine.dispose()


async def _rejected(
    sessions: async_sessionmaker[AsyncSession], user_id: int, company: str, day: int = 1
) -> Application:
    async with sessions.begin() as session:
        return await ApplicationRepository(session).create(
            user_id=user_id,
            company=company,
            role=None,
            status="rejected",
            on=date(2026, 11, day),
            now=NOW,
        )


async def test_start_twice_returns_the_same_reflection_with_its_answers(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    globex = await _rejected(sessions, ADA, "Globex <Corp> 📉")
    async with sessions.begin() as session:
        first = await ReflectionRepository(session).start(application=globex, now=NOW)
        await ReflectionRepository(session).set_stage(
            user_id=ADA, reflection_id=first.id, stage="interview", round_=2
        )
        await ReflectionRepository(session).save_answer(
            user_id=ADA, reflection_id=first.id, field="feedback", text="x" * 3000
        )
    async with sessions.begin() as session:
        again = await ReflectionRepository(session).start(application=globex, now=NOW)
    assert again.id == first.id
    assert (again.company, again.stage, again.round) == ("Globex <Corp> 📉", "interview", 2)
    assert again.feedback == "x" * 3000
    assert again.completed_at is None


async def test_another_users_reflection_can_be_neither_read_nor_changed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    globex = await _rejected(sessions, ADA, "Globex")
    async with sessions.begin() as session:
        reflection = await ReflectionRepository(session).start(application=globex, now=NOW)
    async with sessions.begin() as session:
        bobs = ReflectionRepository(session)
        assert await bobs.get(user_id=BOB, reflection_id=reflection.id) is None
        assert await bobs.for_application(user_id=BOB, application_id=globex.id) is None
        await bobs.save_answer(
            user_id=BOB, reflection_id=reflection.id, field="went_well", text="hijacked"
        )
        await bobs.set_stage(user_id=BOB, reflection_id=reflection.id, stage="final", round_=None)
        await bobs.finish(user_id=BOB, reflection_id=reflection.id, next_action="x", now=NOW)
    async with sessions() as session:
        kept = await ReflectionRepository(session).get(user_id=ADA, reflection_id=reflection.id)
    assert kept is not None
    assert (kept.went_well, kept.stage, kept.next_action, kept.completed_at) == (
        None,
        None,
        None,
        None,
    )


async def test_finished_reflections_are_listed_newest_first_and_counted(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ids = []
    for n in range(7):
        application = await _rejected(sessions, ADA, f"Company {n}", day=n + 1)
        async with sessions.begin() as session:
            reflections = ReflectionRepository(session)
            reflection = await reflections.start(application=application, now=NOW)
            await reflections.finish(
                user_id=ADA,
                reflection_id=reflection.id,
                next_action="keep_going",
                now=NOW + timedelta(hours=n),
            )
            ids.append(reflection.id)
    unfinished = await _rejected(sessions, ADA, "Still thinking")
    async with sessions.begin() as session:
        await ReflectionRepository(session).start(application=unfinished, now=NOW)
    await _rejected(sessions, BOB, "Bob's own")
    async with sessions() as session:
        reflections = ReflectionRepository(session)
        assert await reflections.completed_count(user_id=ADA) == 7
        assert await reflections.completed_count(user_id=BOB) == 0
        first = await reflections.completed_page(user_id=ADA, offset=0, limit=5)
        second = await reflections.completed_page(user_id=ADA, offset=5, limit=5)
        assert [r.id for r in first + second] == ids[::-1]
        assert len(await reflections.all_for_user(user_id=ADA)) == 8
        pending = await reflections.unreflected_rejections(user_id=ADA, limit=3)
        assert [a.company for a in pending] == ["Still thinking"]
        assert await reflections.finished_for_applications([]) == set()


async def test_finished_for_applications_names_only_finished_ones(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    done = await _rejected(sessions, ADA, "Done")
    begun = await _rejected(sessions, ADA, "Begun")
    untouched = await _rejected(sessions, BOB, "Untouched")
    async with sessions.begin() as session:
        reflections = ReflectionRepository(session)
        finished = await reflections.start(application=done, now=NOW)
        await reflections.finish(user_id=ADA, reflection_id=finished.id, next_action=None, now=NOW)
        await reflections.start(application=begun, now=NOW)
    async with sessions() as session:
        found = await ReflectionRepository(session).finished_for_applications(
            [done.id, begun.id, untouched.id]
        )
    assert found == {done.id}


async def test_reflection_outlives_its_deleted_application(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    globex = await _rejected(sessions, ADA, "Globex")
    async with sessions.begin() as session:
        reflection = await ReflectionRepository(session).start(application=globex, now=NOW)
        await ReflectionRepository(session).finish(
            user_id=ADA, reflection_id=reflection.id, next_action="practise", now=NOW
        )
    async with sessions.begin() as session:
        assert await ApplicationRepository(session).delete(user_id=ADA, application_id=globex.id)
    async with sessions() as session:
        kept = await ReflectionRepository(session).get(user_id=ADA, reflection_id=reflection.id)
        assert kept is not None
        assert (kept.application_id, kept.company, kept.next_action) == (None, "Globex", "practise")
        assert await ReflectionRepository(session).completed_count(user_id=ADA) == 1
