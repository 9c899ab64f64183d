#!/usr/bin/env python3
"""Bootstrap and run: `python3 scripts/dev.py run` or `python3 scripts/dev.py test [pytest args]`.

Needs only Python 3.11+: creates .venv when missing, installs the project (again only when
pyproject.toml changed), then runs the bot or the test suite inside it.

`python3 scripts/dev.py long` runs what CI runs in a short form, at length (about an hour):
the chaos user for 50,000 steps, the fan-out crash test with 20,000 users and 50 kills,
and then the throughput benchmark on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The long modes of the tests that CI runs short (each test's docstring says more).
LONG_MODE = {"CHAOS_STEPS": "50000", "CRASH_USERS": "20000", "CRASH_KILLS": "50"}
LONG_TESTS = ["tests/e2e/test_chaos.py", "tests/e2e/test_crash_fanout.py"]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-pyproject.sha256"


def _python() -> Path:
    return BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run under an older python3
        sys.exit("Career Change Coach needs Python 3.11 or newer.")
    if not _python().exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    print("Installing dependencies (first run only) …", flush=True)
    pip = [str(_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "long", "chat", "migrate"}:
        print(__doc__)
        return 2
    ensure_environment()
    os.chdir(ROOT)
    command, rest = argv[0], argv[1:]
    if command == "test":
        return subprocess.call([str(_python()), "-m", "pytest", *rest])
    if command == "long":
        env = {**os.environ, **LONG_MODE}
        tests = subprocess.call([str(_python()), "-m", "pytest", "-s", *LONG_TESTS, *rest], env=env)
        bench = subprocess.call([str(_python()), "bench/throughput.py"])
        return tests or bench
    # Hand the terminal over to the bot (stdin matters for the offline chat).
    careercoach = str(_python())
    os.execv(careercoach, [careercoach, "-m", "bot", command, *rest])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
