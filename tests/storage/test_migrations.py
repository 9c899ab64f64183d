from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.migrate import upgrade_database
from storage.models import Base


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_migrations_create_every_model_table_and_are_idempotent(database_url: str) -> None:
    await upgrade_database(database_url)  # a second run changes nothing and does not fail
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        tables = await connection.run_sync(_tables)
    await engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


async def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    await upgrade_database(sqlite_url)
    engine = create_engine(sqlite_url)
    async with engine.connect() as connection:
        journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
        foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        busy = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
    await engine.dispose()
    assert (journal, foreign_keys, busy) == ("wal", 1, 5000)


async def test_upgrading_an_existing_database_keeps_every_users_rows(database_url: str) -> None:
    """SQLite rebuilds a table to alter it; rebuilding `users` must not cascade-delete."""
    # Start from a fresh database at 0004 (the conftest fixture has already migrated it).
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
        await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    await engine.dispose()
    await upgrade_database(database_url, "0004")
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO users (id, first_name, language, checkin_weekday, checkin_time,"
                " paused, active, created_at, updated_at) VALUES (7, 'Ada', 'es-ES', 0,"
                " '09:00:00', false, true, '2026-11-01', '2026-11-01')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO journey_answers (user_id, step, key, value, updated_at)"
                " VALUES (7, 'why', 'statement', 'Curiosity is the job', '2026-11-01')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO applications (user_id, company, status, status_on,"
                " interview_rounds, created_at, updated_at) VALUES (7, 'Stripe', 'applied',"
                " '2026-11-01', 0, '2026-11-01', '2026-11-01')"
            )
        )
    await engine.dispose()

    await upgrade_database(database_url)

    engine = create_engine(database_url)
    async with engine.connect() as connection:
        counts = [
            (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar()
            for table in ("users", "journey_answers", "applications")
        ]
        language = (await connection.execute(text("SELECT language FROM users"))).scalar()
    await engine.dispose()
    assert counts == [1, 1, 1]
    assert language == "es"  # 0006 turned Telegram's code into the language spoken
