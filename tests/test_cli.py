"""The `careercoach` command as an operator and a first-time user meet it: real processes."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from botapi_stub import BotApiStub

REAL_LOOKING_TOKEN = "7123456789:AAH-fake-token-for-the-tests_ab"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "WEBHOOK_", "MODE", "DATABASE_URL", "ALLOWED_"))
    }
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def _bot_process(
    env: dict[str, str], *args: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=env.get("CWD", str(PROJECT_ROOT)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), timeout=15)
            except TimeoutError:
                process.kill()


def test_bad_setting_stops_with_one_line_and_exit_status_2(tmp_path: Path) -> None:
    env = _environment(tmp_path, MODE="carrier-pigeon", TELEGRAM_BOT_TOKEN=REAL_LOOKING_TOKEN)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Configuration error: MODE")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert REAL_LOOKING_TOKEN not in result.stderr + result.stdout


def test_migrate_brings_a_new_database_up_to_date(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        env=_environment(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "cli.sqlite3").exists()


def test_offline_chat_runs_start_through_the_time_zone_step_from_stdin(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],  # no token: the offline chat opens
        # After the press, the buttons are gone: "2" is an answer, not a button.
        input="/start\nParis\n1\n/pitch\n2\n/roadmap\n/quit\n",
        env=_environment(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert (
        out.splitlines()[0]
        == "No TELEGRAM_BOT_TOKEN set — opening the offline chat in this terminal instead."
    )
    assert "Career Change Coach" in out
    assert "[1] 📍 Share my location" in out
    assert "Paris (Europe/Paris)" in out
    assert "[1] ✅ Yes  [2] ✏️ No, let me fix it" in out
    assert "→ ✅ Yes" in out
    assert "your time zone is saved" in out
    assert "What problem do you solve" in out
    assert "/plan" in out  # no roadmap yet: a pointer to /plan
    assert "Traceback" not in result.stderr


async def test_token_never_appears_in_logs_of_a_real_polling_run(tmp_path: Path) -> None:
    async with BotApiStub() as stub:
        stub.user(77, first_name="Ada")
        env = _environment(
            tmp_path,
            TELEGRAM_BOT_TOKEN=REAL_LOOKING_TOKEN,
            TELEGRAM_API_BASE_URL=stub.base_url,
            TELEGRAM_API_FILE_URL=stub.base_file_url,
            LOG_LEVEL="DEBUG",
        )
        async with _bot_process(env, "run") as process:
            stub.send_text(77, "/start")
            await stub.wait_for(
                lambda: any(c.method == "sendMessage" and c.ok for c in stub.calls), timeout=60
            )
            stub.block(77)  # the next reply fails with 403: error paths log too
            stub.send_text(77, "/help")
            await stub.wait_for(lambda: any(c.error_code == 403 for c in stub.calls), timeout=30)
            await asyncio.sleep(0.5)
            process.terminate()
            output, _ = await process.communicate()
    log = output.decode()
    assert "getUpdates" in log or "Application started" in log  # logging really was on
    assert REAL_LOOKING_TOKEN not in log
    assert REAL_LOOKING_TOKEN.split(":")[1] not in log


async def _post_when_listening(
    client: httpx.AsyncClient, url: str, body: dict[str, object], timeout: float = 30.0
) -> httpx.Response:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            return await client.post(url, json=body)
        except httpx.ConnectError:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.1)


async def test_webhook_mode_refuses_requests_without_the_secret(tmp_path: Path) -> None:
    port = _free_port()
    async with BotApiStub() as stub:
        stub.user(88, first_name="Ada")
        env = _environment(
            tmp_path,
            TELEGRAM_BOT_TOKEN=REAL_LOOKING_TOKEN,
            TELEGRAM_API_BASE_URL=stub.base_url,
            TELEGRAM_API_FILE_URL=stub.base_file_url,
            MODE="webhook",
            WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
            WEBHOOK_SECRET="the_right_secret",
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            LOG_LEVEL="DEBUG",
        )
        async with _bot_process(env, "run") as process:
            await stub.wait_for(
                lambda: any(c.method == "setWebhook" and c.ok for c in stub.calls), timeout=60
            )
            update = {
                "update_id": 999,
                "message": {
                    "message_id": 1,
                    "date": 1700000000,
                    "chat": {"id": 88, "type": "private", "first_name": "Ada"},
                    "from": {"id": 88, "is_bot": False, "first_name": "Ada"},
                    "text": "/help",
                },
            }
            url = f"http://127.0.0.1:{port}/telegram"
            async with httpx.AsyncClient() as client:
                # PTB sets the webhook before its server listens: wait for the port.
                missing = await _post_when_listening(client, url, update)
                wrong = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
                )
            assert missing.status_code == 403
            assert wrong.status_code == 403
            # Telegram (the stub) delivers with the secret: the bot answers.
            stub.send_text(88, "/start")
            await stub.wait_for(
                lambda: any(c.method == "sendMessage" and c.ok for c in stub.calls), timeout=30
            )
            sent = [c for c in stub.calls if c.method == "sendMessage"]
            assert all("Here's what I can do" not in str(c.params.get("text")) for c in sent)
            process.terminate()
            output, _ = await process.communicate()
    assert REAL_LOOKING_TOKEN not in output.decode()
