"""The `careercoach` command as an operator and a first-time user meet it: real processes."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from botapi_stub import BotApiStub, Fault
from tests.processes import clean_environment

REAL_LOOKING_TOKEN = "7123456789:AAH-fake-token-for-the-tests_ab"
# The part after the colon is the secret: it must not show even where the colon is
# URL-encoded.
TOKEN_SECRET_PART = REAL_LOOKING_TOKEN.split(":")[1]
WEBHOOK_SECRET = "the_right_secret_7f3a9c2e"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return clean_environment(f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}", **extra)


def _run_bot(
    command: str, env: dict[str, str], cwd: Path, *, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m bot <command>` to its end, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "bot", command],
        input=stdin,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


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


def _assert_no_secret(output: str, *secrets: str) -> None:
    for secret in (REAL_LOOKING_TOKEN, TOKEN_SECRET_PART, *secrets):
        assert secret not in output, f"{secret!r} leaked:\n{output[-3000:]}"


async def _run_to_exit(env: dict[str, str], timeout: float = 90) -> tuple[int, str]:
    """`careercoach run` until it exits by itself; its exit status and everything it printed."""
    async with _bot_process(env, "run") as process:
        output, _ = await asyncio.wait_for(process.communicate(), timeout=timeout)
    assert process.returncode is not None
    return process.returncode, output.decode()


def _last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def test_bad_setting_stops_with_one_line_and_exit_status_2(tmp_path: Path) -> None:
    env = _environment(tmp_path, MODE="carrier-pigeon", TELEGRAM_BOT_TOKEN=REAL_LOOKING_TOKEN)
    result = _run_bot("run", env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Configuration error: MODE")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert REAL_LOOKING_TOKEN not in result.stderr + result.stdout


def test_migrate_brings_a_new_database_up_to_date(tmp_path: Path) -> None:
    result = _run_bot("migrate", _environment(tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "cli.sqlite3").exists()


def test_offline_chat_runs_start_through_the_time_zone_step_from_stdin(tmp_path: Path) -> None:
    # No token: the offline chat opens. After the press, the buttons are gone: "2" is an
    # answer, not a button.
    script = "/start\nParis\n1\n/pitch\n2\n/roadmap\n/quit\n"
    result = _run_bot("run", _environment(tmp_path), tmp_path, stdin=script, timeout=120)
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


def test_offline_chat_run_again_on_the_same_database_answers_at_once(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    first = _run_bot("run", env, tmp_path, stdin="/start\nParis\n1\n/quit\n", timeout=120)
    assert first.returncode == 0, first.stderr
    # A new chat numbers its messages from 1 again unless told otherwise: the journal
    # would take them for messages delivered twice and the bot would stay silent.
    assert "Try /start" in first.stdout and "Welcome back" not in first.stdout
    again = _run_bot("run", env, tmp_path, stdin="/help\n/quit\n", timeout=120)
    assert again.returncode == 0, again.stderr
    assert "Here's what I can do" in again.stdout
    assert "delivered again" not in again.stderr
    # The buttons printed by the first run are unknown to this one: the person is told how
    # to see a question again.
    assert "Welcome back" in again.stdout and "Try /start" not in again.stdout


def test_offline_chat_after_delete_me_starts_afresh(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    stdin = "/start\nParis\n1\n/delete_me\n1\n/quit\n"  # 1: "Yes, delete everything"
    erased = _run_bot("run", env, tmp_path, stdin=stdin, timeout=120)
    assert erased.returncode == 0, erased.stderr
    assert "Delete everything about you?" in erased.stdout
    assert erased.stdout.rstrip().endswith("Bye!")  # not "everything is saved"
    afresh = _run_bot("run", env, tmp_path, stdin="/quit\n", timeout=120)
    assert afresh.returncode == 0, afresh.stderr
    assert "Try /start" in afresh.stdout and "Welcome back" not in afresh.stdout


def test_bad_webhook_url_stops_with_one_line_without_the_token(tmp_path: Path) -> None:
    # Putting the token in the webhook path is common advice; a typo in the scheme must
    # not print it back.
    env = _environment(
        tmp_path,
        TELEGRAM_BOT_TOKEN=REAL_LOOKING_TOKEN,
        MODE="webhook",
        WEBHOOK_URL=f"htps://bot.example.invalid/{REAL_LOOKING_TOKEN}",
        WEBHOOK_SECRET=WEBHOOK_SECRET,
        LOG_LEVEL="DEBUG",
    )
    result = _run_bot("run", env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: WEBHOOK_URL: must be an http:// or https:// URL"
    )
    _assert_no_secret(result.stdout + result.stderr, WEBHOOK_SECRET)


async def test_refused_token_stops_with_one_line_and_never_shows_the_token(
    tmp_path: Path,
) -> None:
    # The Bot API knows another token: getMe answers 401 Unauthorized, and PTB's
    # InvalidToken message quotes the token it sent.
    async with BotApiStub(token="1000:another-bots-token") as stub:
        env = _environment(
            tmp_path,
            TELEGRAM_BOT_TOKEN=REAL_LOOKING_TOKEN,
            TELEGRAM_API_BASE_URL=stub.base_url,
            TELEGRAM_API_FILE_URL=stub.base_file_url,
            LOG_LEVEL="DEBUG",
        )
        status, output = await _run_to_exit(env)
    assert [(c.method, c.error_code) for c in stub.calls] == [("getMe", 401)]
    assert status == 1
    assert _last_line(output) == (
        "Start-up error: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): "
        "check the token @BotFather gave you"
    )
    assert "The token `[REDACTED]` was rejected" in output  # the traceback, redacted
    assert "Unclosed client session" not in output
    _assert_no_secret(output)


async def test_unreachable_bot_api_stops_with_one_line_and_never_shows_the_token(
    tmp_path: Path,
) -> None:
    closed = f"http://127.0.0.1:{_free_port()}"
    env = _environment(
        tmp_path,
        TELEGRAM_BOT_TOKEN=REAL_LOOKING_TOKEN,
        TELEGRAM_API_BASE_URL=f"{closed}/bot",
        TELEGRAM_API_FILE_URL=f"{closed}/file/bot",
        LOG_LEVEL="DEBUG",
    )
    status, output = await _run_to_exit(env)
    assert status == 1
    last = _last_line(output)
    assert last.startswith(
        f"Start-up error: could not reach the Telegram Bot API at {closed.removeprefix('http://')} ("
    )
    assert last.endswith("): check the network and TELEGRAM_API_BASE_URL")
    assert "Traceback" in output  # DEBUG shows the chain, redacted
    assert "Unclosed client session" not in output
    _assert_no_secret(output)


async def test_refused_set_webhook_stops_with_one_line_and_never_shows_secrets(
    tmp_path: Path,
) -> None:
    async with BotApiStub() as stub:
        stub.fault_injector = lambda method, _params: (
            Fault(
                400, "Bad Request: bad webhook: Failed to resolve host: Name or service not known"
            )
            if method == "setWebhook"
            else None
        )
        port = _free_port()
        env = _environment(
            tmp_path,
            TELEGRAM_BOT_TOKEN=REAL_LOOKING_TOKEN,
            TELEGRAM_API_BASE_URL=stub.base_url,
            TELEGRAM_API_FILE_URL=stub.base_file_url,
            MODE="webhook",
            WEBHOOK_URL=f"https://bot.example.invalid/{REAL_LOOKING_TOKEN}",
            WEBHOOK_SECRET=WEBHOOK_SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            LOG_LEVEL="DEBUG",
        )
        status, output = await _run_to_exit(env)
    assert [c.error_code for c in stub.calls if c.method == "setWebhook"] == [400]
    assert status == 1
    assert _last_line(output) == (
        "Start-up error: Telegram refused a request (Bad webhook: failed to resolve host: "
        "name or service not known): check WEBHOOK_URL"
    )
    assert "Calling Bot API endpoint `setWebhook`" in output  # the DEBUG wire log was on
    _assert_no_secret(output, WEBHOOK_SECRET)


def test_an_uncaught_crash_prints_its_traceback_without_secrets(tmp_path: Path) -> None:
    # The last line of defence: whatever escapes (in the main thread or another one) is
    # printed by the redacting hooks that logging set up.
    script = (
        "import threading\n"
        "from bot.logging_setup import configure_logging\n"
        f"token = {REAL_LOOKING_TOKEN!r}\n"
        f"configure_logging('DEBUG', secrets=[token, {WEBHOOK_SECRET!r}])\n"
        "def worker():\n"
        "    raise ValueError(f'thread saw https://example.invalid/bot{token}/getMe')\n"
        "thread = threading.Thread(target=worker, name='warm-up')\n"
        "thread.start(); thread.join()\n"
        f"raise RuntimeError('crashed with ' + token.replace(':', '%3A') + ' and ' + {WEBHOOK_SECRET!r})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_environment(tmp_path),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Exception in warm-up" in result.stderr
    assert "ValueError: thread saw https://example.invalid/bot[REDACTED]/getMe" in result.stderr
    assert "RuntimeError: crashed with 7123456789%3A[REDACTED] and [REDACTED]" in result.stderr
    _assert_no_secret(result.stdout + result.stderr, WEBHOOK_SECRET)


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
    _assert_no_secret(log)


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


def _private_text(update_id: int, user_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1700000000,
            "chat": {"id": user_id, "type": "private", "first_name": "Ada"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Ada"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def test_webhook_mode_refuses_requests_without_the_right_secret_and_never_logs_secrets(
    tmp_path: Path,
) -> None:
    port = _free_port()
    # The token in the webhook path, as often advised: the access log must not show it.
    url = f"http://127.0.0.1:{port}/{REAL_LOOKING_TOKEN}"
    async with BotApiStub() as stub:
        stub.user(88, first_name="Ada")
        env = _environment(
            tmp_path,
            TELEGRAM_BOT_TOKEN=REAL_LOOKING_TOKEN,
            TELEGRAM_API_BASE_URL=stub.base_url,
            TELEGRAM_API_FILE_URL=stub.base_file_url,
            MODE="webhook",
            WEBHOOK_URL=url,
            WEBHOOK_SECRET=WEBHOOK_SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            LOG_LEVEL="DEBUG",
        )

        def replies() -> list[str]:
            return [
                str(c.params.get("text"))
                for c in stub.calls
                if c.method == "sendMessage" and c.params.get("chat_id") == 88 and c.ok
            ]

        async with _bot_process(env, "run") as process:
            await stub.wait_for(
                lambda: any(c.method == "setWebhook" and c.ok for c in stub.calls), timeout=60
            )
            async with httpx.AsyncClient() as client:
                # PTB sets the webhook before its server listens: wait for the port.
                missing = await _post_when_listening(client, url, _private_text(901, 88, "/help"))
                wrong = await client.post(
                    url,
                    json=_private_text(902, 88, "/help"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "the_wrong_secret"},
                )
                assert (missing.status_code, wrong.status_code) == (403, 403)
                await asyncio.sleep(1.0)
                assert replies() == []  # nothing was processed: no answer at all
                right = await client.post(
                    url,
                    json=_private_text(903, 88, "/help"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
                )
            assert right.status_code == 200
            await stub.wait_for(
                lambda: any("Here's what I can do" in text for text in replies()), timeout=30
            )
            # Telegram (the stub) delivers with the secret too: the bot answers.
            stub.send_text(88, "/start")
            await stub.wait_for(lambda: len(replies()) == 2, timeout=30)
            stub.block(88)  # the next reply fails with 403: the error path logs too
            stub.send_text(88, "/help")
            await stub.wait_for(lambda: any(c.error_code == 403 for c in stub.calls), timeout=30)
            await asyncio.sleep(0.5)
            process.terminate()
            output, _ = await process.communicate()
    log = output.decode()
    assert "Calling Bot API endpoint `setWebhook`" in log  # DEBUG logging really was on
    assert "Telegram refused a message" in log  # the failing handler was logged
    _assert_no_secret(log, WEBHOOK_SECRET)
