"""Counting an engine's commits, for tests that promise "one transaction"."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


def count_commits(engine: AsyncEngine) -> Callable[[], int]:
    """Start counting the engine's commits; the returned function tells how many so far
    (the count lives as long as the engine, which each test disposes of)."""
    seen: list[object] = []
    event.listen(engine.sync_engine, "commit", seen.append)
    return lambda: len(seen)
