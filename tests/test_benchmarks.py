"""The throughput benchmark still measures what it says: a small run of the real script,
every simulated update answered and every button found (a renamed button or a changed
flow would make the benchmark measure error replies instead)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.processes import PROJECT_ROOT

SMALL_RUN = (
    "--sqlite-only",
    "--users", "25",
    "--updates", "60",
    "--duration", "1",
    "--rate", "20",
    "--low-rate", "10",
)  # fmt: skip


def test_throughput_benchmark_small_run_answers_everything_and_reports_the_floor() -> None:
    finished = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / "throughput.py"), *SMALL_RUN],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = finished.stdout
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert "warning:" not in output, output
    for bot in ("echo bot", "durable echo (sqlite)", "bot (sqlite)"):
        assert re.search(rf"^  {re.escape(bot)}: capacity [\d,.]+ updates/s$", output, re.M), bot
    floor = re.search(
        r"durable echo \(sqlite\): ([\d.]+)× the echo bot's time per update .*"
        r"bot \(sqlite\): ([\d.]+)× the durable echo's",
        output,
    )
    assert floor is not None, output
    # Writing every update down costs something, and the bot does more than that.
    assert float(floor[1]) > 1.0 and float(floor[2]) > 1.0
