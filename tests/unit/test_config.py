from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_DATABASE_URL, Mode, SettingsError, load_settings

TOKEN = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOO"
SETTINGS_VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_API_FILE_URL",
    "DATABASE_URL",
    "MODE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "DEFAULT_TIMEZONE",
    "LOG_LEVEL",
    "ALLOWED_USER_IDS",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env, and ./data is created here


def test_defaults_use_sqlite_under_data_and_create_the_folder(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.token is None
    assert settings.mode is Mode.POLLING
    assert (tmp_path / "data").is_dir()


def test_environment_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ALLOWED_USER_IDS", "12, 34 56")
    monkeypatch.setenv("DATABASE_URL", "postgresql://coach@db:5432/coach")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/Paris")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.token == TOKEN
    assert settings.allowed_user_ids == frozenset({12, 34, 56})
    assert settings.database_url == "postgresql+asyncpg://coach@db:5432/coach"
    assert settings.log_level == "DEBUG"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEFAULT_TIMEZONE=America/New_York\n")
    assert load_settings().default_timezone == "America/New_York"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("MODE", "carrier-pigeon", "MODE"),
        ("WEBHOOK_PORT", "eighty", "WEBHOOK_PORT"),
        ("WEBHOOK_PORT", "70000", "WEBHOOK_PORT"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("ALLOWED_USER_IDS", "12,abc", "ALLOWED_USER_IDS"),
        ("TELEGRAM_API_BASE_URL", "ftp://example", "TELEGRAM_API_BASE_URL"),
        ("WEBHOOK_SECRET", "has spaces!", "WEBHOOK_SECRET"),
    ],
)
def test_bad_value_gives_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert named in message
    assert "\n" not in message
    assert message.startswith("Configuration error:")


def test_bad_token_message_never_contains_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "123:short-but-secret-value"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", secret)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert secret not in str(raised.value)


def test_webhook_mode_requires_url_and_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODE", "webhook")
    with pytest.raises(SettingsError, match="WEBHOOK_URL"):
        load_settings()
    monkeypatch.setenv("WEBHOOK_URL", "https://coach.example.com/hook")
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        load_settings()
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret_value")
    assert load_settings().mode is Mode.WEBHOOK
