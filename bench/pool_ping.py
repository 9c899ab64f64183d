"""What checking PostgreSQL connections costs: at every checkout, or only after idling.

    .venv/bin/python bench/pool_ping.py                  # 3,000 transactions x 3 rounds
    .venv/bin/python bench/pool_ping.py --transactions 10000 --rounds 5

Short transactions (one SELECT, as most of the bot's are) on TEST_POSTGRES_URL, in this
process, alternating between an engine with SQLAlchemy's `pool_pre_ping=True` (BEGIN,
SELECT, COMMIT before every checkout) and the bot's own engine (`storage.db`: a check
only after PING_AFTER_IDLE_SECONDS idle). Prints CPU and wall time per transaction for
both, and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.db import create_engine, create_session_factory

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
ASYNC_URL = POSTGRES_URL.replace("postgresql://", "postgresql+asyncpg://", 1)
WARM_UP = 200


async def per_transaction(engine: AsyncEngine, count: int) -> tuple[float, float]:
    """CPU and wall milliseconds per transaction over `count` of them."""
    sessions = create_session_factory(engine)
    select_one = text("SELECT 1")
    for _ in range(WARM_UP):
        async with sessions.begin() as session:
            await session.execute(select_one)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        async with sessions.begin() as session:
            await session.execute(select_one)
    return (
        1000 * (time.process_time() - cpu) / count,
        1000 * (time.perf_counter() - wall) / count,
    )


async def measure(make: Callable[[], AsyncEngine], count: int) -> tuple[float, float]:
    engine = make()
    try:
        return await per_transaction(engine, count)
    finally:
        await engine.dispose()


async def main(count: int, rounds: int) -> None:
    engines: dict[str, Callable[[], AsyncEngine]] = {
        "pool_pre_ping=True": lambda: create_async_engine(
            ASYNC_URL, pool_size=10, max_overflow=10, pool_pre_ping=True
        ),
        "the bot's engine": lambda: create_engine(ASYNC_URL),
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in engines}
    for _ in range(rounds):
        for name, make in engines.items():
            results[name].append(await measure(make, count))
    print(f"{count:,} one-SELECT transactions x {rounds} rounds, PostgreSQL, medians:")
    medians = {
        name: (statistics.median(c for c, _ in runs), statistics.median(w for _, w in runs))
        for name, runs in results.items()
    }
    for name, (cpu, wall) in medians.items():
        print(f"  {name:22} CPU {cpu:.3f} ms, wall {wall:.3f} ms per transaction")
    (ping_cpu, ping_wall), (bot_cpu, bot_wall) = medians.values()
    print(
        f"  the bot's engine / pre-ping: CPU {bot_cpu / ping_cpu:.2f}×, wall {bot_wall / ping_wall:.2f}×"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.transactions, arguments.rounds))
