"""Validated settings, read from the environment and `.env`; a bad value stops start-up."""

from __future__ import annotations

import enum
import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/careercoach.sqlite3"
_TOKEN_SHAPE = re.compile(r"^\d{5,12}:[A-Za-z0-9_-]{30,}$")


class Mode(enum.StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class SettingsError(Exception):
    """A setting has a bad value; the message names the variable and is safe to print."""


class Settings(BaseSettings):
    """Everything the bot reads from its environment, checked once at start-up."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_api_file_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    mode: Mode = Mode.POLLING
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    default_timezone: str = "UTC"
    log_level: str = "INFO"
    allowed_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    # How long one Bot API call may take before it counts as failed (and is retried).
    telegram_timeout_seconds: float = Field(default=5, gt=0, le=120)
    # Scheduled prompts (check-ins, reminders): how often the tick runs, how fast it may
    # send (Telegram allows about 30 messages/s), and when a late prompt is not worth sending.
    dispatch_interval_seconds: float = Field(default=15, gt=0, le=3600)
    send_rate_per_second: float = Field(default=30, gt=0, le=1000)
    prompt_max_lateness_hours: float = Field(default=24, gt=0)
    # Job applications: follow-up nudges this many days after applying with no news (the
    # last one asks whether to mark it "no answer"), and the local hour of the reflection
    # that follows a rejection (the next morning).
    followup_days: Annotated[tuple[int, int, int], NoDecode] = (7, 14, 21)
    reflection_hour: int = Field(default=9, ge=0, le=23)

    @field_validator("telegram_bot_token", "webhook_secret", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # The message never echoes the value: it is a secret.
        if value is not None and not _TOKEN_SHAPE.match(value.get_secret_value().strip()):
            raise ValueError("does not look like a token from @BotFather (digits:letters)")
        return SecretStr(value.get_secret_value().strip()) if value is not None else None

    @field_validator("telegram_api_base_url", "telegram_api_file_url", "webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.match(r"^https?://[^\s/]+", value.strip()):
            raise ValueError("must be an http:// or https:// URL")
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -.
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        value = value.strip()
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite:///"):
            value = "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        if not (
            value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")
        ):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Europe/Paris") from None
        return value.strip()

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("allowed_user_ids", mode="before")
    @classmethod
    def _user_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part for part in re.split(r"[,\s]+", value.strip()) if part]
            if not all(re.fullmatch(r"\d{1,20}", part) for part in parts):
                raise ValueError("must be Telegram user ids separated by commas")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("followup_days", mode="before")
    @classmethod
    def _followup_days(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part for part in re.split(r"[,\s]+", value.strip()) if part]
            if len(parts) != 3 or not all(re.fullmatch(r"\d{1,3}", part) for part in parts):
                raise ValueError("must be three numbers of days, e.g. 7,14,21")
            value = tuple(int(part) for part in parts)
        if isinstance(value, tuple | list):
            days = tuple(int(day) for day in value)
            if len(days) != 3 or not 0 < days[0] < days[1] < days[2] <= 365:
                raise ValueError("must be three increasing numbers of days between 1 and 365")
            return days
        return value

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> Settings:
        if self.mode is Mode.WEBHOOK and not self.webhook_url:
            raise ValueError("WEBHOOK_URL is required when MODE=webhook")
        if self.mode is Mode.WEBHOOK and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET is required when MODE=webhook")
        return self

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    def sqlite_path(self) -> Path | None:
        """The SQLite file behind DATABASE_URL, or None for other databases."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        path = self.database_url.removeprefix(prefix).split("?", 1)[0]
        return None if path in ("", ":memory:") else Path(path)


def load_settings(**overrides: object) -> Settings:
    """Read the settings; raise SettingsError with one line naming the bad variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        variable = "_".join(str(part) for part in first["loc"]).upper() or "settings"
        reason = first["msg"].removeprefix("Value error, ")
        if reason[1:2].islower():  # "Input should…" → "input should…", but keep "WEBHOOK_URL"
            reason = reason[:1].lower() + reason[1:]
        if not first["loc"]:
            raise SettingsError(f"Configuration error: {reason}") from None
        raise SettingsError(f"Configuration error: {variable}: {reason}") from None
    sqlite_file = settings.sqlite_path()
    if sqlite_file is not None:
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    return settings
