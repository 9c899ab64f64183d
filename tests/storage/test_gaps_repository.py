from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import create_engine, create_session_factory
from storage.models import User
from storage.repositories.gaps import GapRepository
from storage.repositories.users import UserRepository

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ADA, BOB = 7_999_999_999, 2  # Telegram ids exceed 32 bits


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    factory = create_session_factory(engine)
    async with factory.begin() as session:
        for user_id, name in ((ADA, "Ada"), (BOB, "Bob")):
            await UserRepository(session).ensure(user_id=user_id, first_name=name)
    yield factory
    await engine.dispose()


async def add_onet(
    session: AsyncSession, user_id: int, key: str, name: str, suggested: int = 4
) -> int:
    item = await GapRepository(session).add(
        user_id=user_id,
        key=key,
        name=name,
        area="technical",
        source="onet",
        importance=4.25,
        suggested_level=suggested,
        now=NOW,
    )
    return item.id


async def test_add_keeps_order_and_copies_the_suggested_level(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await add_onet(session, ADA, "2.A.1.e", "Mathematics", suggested=4)
        await add_onet(session, ADA, "tech:Python", "Python", suggested=3)
    async with sessions() as session:
        items = await GapRepository(session).items(user_id=ADA)
    assert [(i.key, i.position) for i in items] == [("2.A.1.e", 0), ("tech:Python", 1)]
    first = items[0]
    assert (first.suggested_level, first.required_level, first.current_level) == (4, 4, None)
    assert (first.importance, first.source, first.name) == (4.25, "onet", "Mathematics")


async def test_add_twice_keeps_the_first_row_and_its_levels(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        item_id = await add_onet(session, ADA, "2.A.1.e", "Mathematics")
        await GapRepository(session).set_current(user_id=ADA, item_id=item_id, level=2, now=NOW)
    async with sessions.begin() as session:
        again = await add_onet(session, ADA, "2.A.1.e", "Mathematics")
    async with sessions() as session:
        repository = GapRepository(session)
        assert again == item_id
        assert await repository.count(user_id=ADA) == 1
        stored = await repository.get(user_id=ADA, item_id=item_id)
    assert stored is not None and stored.current_level == 2


async def test_own_items_get_fresh_keys_and_keep_unicode_names(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    name = "Réseau <pro> & 🚀 " + "x" * 180
    async with sessions.begin() as session:
        gaps = GapRepository(session)
        first = await gaps.add_own(user_id=ADA, name=name, area="network", importance=3.0, now=NOW)
        second = await gaps.add_own(
            user_id=ADA, name="AWS cert", area="credentials", importance=3.0, now=NOW
        )
        other = await gaps.add_own(
            user_id=BOB, name="SQL", area="technical", importance=3.0, now=NOW
        )
    assert (first.key, second.key, other.key) == ("own:1", "own:2", "own:1")
    async with sessions() as session:
        stored = await GapRepository(session).get(user_id=ADA, item_id=first.id)
    assert stored is not None
    assert (stored.name, stored.source, stored.required_level) == (name, "own", None)


async def test_levels_and_area_are_saved_by_the_caller_commit(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        item_id = await add_onet(session, ADA, "2.A.1.e", "Mathematics")
    async with sessions.begin() as session:
        gaps = GapRepository(session)
        await gaps.set_current(user_id=ADA, item_id=item_id, level=1, now=NOW)
        await gaps.set_required(user_id=ADA, item_id=item_id, level=5, now=NOW)
        await gaps.set_area(user_id=ADA, item_id=item_id, area="knowledge", now=NOW)
    async with sessions() as session:
        gaps = GapRepository(session)
        await gaps.set_current(user_id=ADA, item_id=item_id, level=4, now=NOW)
        await session.rollback()  # never committed: the repository does not commit
    async with sessions() as session:
        stored = await GapRepository(session).get(user_id=ADA, item_id=item_id)
    assert stored is not None
    assert (stored.current_level, stored.required_level, stored.area) == (1, 5, "knowledge")
    assert stored.updated_at == NOW


async def test_other_users_items_are_out_of_reach(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        item_id = await add_onet(session, ADA, "2.A.1.e", "Mathematics")
    async with sessions.begin() as session:
        gaps = GapRepository(session)
        assert await gaps.get(user_id=BOB, item_id=item_id) is None
        await gaps.set_current(user_id=BOB, item_id=item_id, level=5, now=NOW)
        assert not await gaps.remove(user_id=BOB, item_id=item_id)
    async with sessions() as session:
        stored = await GapRepository(session).get(user_id=ADA, item_id=item_id)
    assert stored is not None and stored.current_level is None


async def test_remove_and_remove_key_take_items_off_the_list(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        maths = await add_onet(session, ADA, "2.A.1.e", "Mathematics")
        await add_onet(session, ADA, "tech:Python", "Python")
        await add_onet(session, ADA, "tech:R", "R")
    async with sessions.begin() as session:
        gaps = GapRepository(session)
        assert await gaps.remove(user_id=ADA, item_id=maths)
        assert not await gaps.remove(user_id=ADA, item_id=maths)
        await gaps.remove_key(user_id=ADA, key="tech:R")
    async with sessions() as session:
        assert await GapRepository(session).keys(user_id=ADA) == {"tech:Python"}


async def test_new_items_go_after_the_last_even_after_removals(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await add_onet(session, ADA, "a", "A")
        middle = await add_onet(session, ADA, "b", "B")
        await add_onet(session, ADA, "c", "C")
        await GapRepository(session).remove(user_id=ADA, item_id=middle)
        await add_onet(session, ADA, "d", "D")
    async with sessions() as session:
        items = await GapRepository(session).items(user_id=ADA)
    assert [i.key for i in items] == ["a", "c", "d"]


async def test_deleting_the_user_deletes_their_items(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await add_onet(session, ADA, "2.A.1.e", "Mathematics")
    async with sessions.begin() as session:
        user = await session.get(User, ADA)
        assert user is not None
        await session.delete(user)
    async with sessions() as session:
        assert await GapRepository(session).items(user_id=ADA) == []
