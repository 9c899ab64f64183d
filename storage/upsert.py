"""INSERT … ON CONFLICT for whichever database the session is bound to."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession) -> type[postgresql.Insert] | type[sqlite.Insert]:
    """The dialect's `insert` construct, which offers `on_conflict_do_nothing`."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.Insert
    return sqlite.Insert
