"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when a server answers)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from storage.migrate import upgrade_database

ADMIN_POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
_postgres_checked: dict[str, str | None] = {}


async def _postgres_unavailable_reason() -> str | None:
    if "reason" not in _postgres_checked:
        try:
            connection = await asyncpg.connect(ADMIN_POSTGRES_URL, timeout=3)
            await connection.close()
            _postgres_checked["reason"] = None
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            _postgres_checked["reason"] = (
                f"PostgreSQL not reachable at {ADMIN_POSTGRES_URL} ({type(error).__name__}); "
                "set TEST_POSTGRES_URL to run these tests"
            )
    return _postgres_checked["reason"]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'coach.sqlite3'}"


@asynccontextmanager
async def _throwaway_postgres_database() -> AsyncIterator[str]:
    reason = await _postgres_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    name = f"cc_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(ADMIN_POSTGRES_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base = ADMIN_POSTGRES_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        admin = await asyncpg.connect(ADMIN_POSTGRES_URL)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A throw-away PostgreSQL database, dropped after the test."""
    async with _throwaway_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each storage test runs on a SQLite file and on PostgreSQL, both migrated to head."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'coach.sqlite3'}"
        await upgrade_database(url)
        yield url
        return
    async with _throwaway_postgres_database() as url:
        await upgrade_database(url)
        yield url
