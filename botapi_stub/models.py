"""Plain data objects shared by the stub's modules and exposed to tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

MessageKind = Literal["text", "photo", "document"]


@dataclass(slots=True)
class StubUser:
    """A Telegram user talking to the bot; its private chat has ``chat id == user id``."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    blocked: bool = False

    def to_user_dict(self) -> dict[str, Any]:
        """The Bot API ``User`` object for this user."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None:
            data["language_code"] = self.language_code
        return data

    def to_chat_dict(self) -> dict[str, Any]:
        """The Bot API ``Chat`` object of the private chat with this user."""
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        return data


@dataclass(slots=True)
class ApiCall:
    """One HTTP request the bot made to the stub, and how the stub answered it.

    ``params`` are decoded: JSON-typed values are parsed, integers/booleans converted;
    uploaded files appear as :class:`UploadedFile`. ``time`` is ``time.monotonic()``.
    """

    method: str
    params: dict[str, Any]
    ok: bool
    error_code: int | None = None
    description: str | None = None
    time: float = 0.0
    result: Any = None


@dataclass(slots=True)
class BotMessage:
    """Current state of one message the bot sent into a chat."""

    message_id: int
    chat_id: int
    date: int
    kind: MessageKind = "text"
    text: str | None = None
    html: str | None = None
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    file_name: str | None = None
    mime_type: str | None = None
    content: bytes | None = None
    file_id: str | None = None
    caption: str | None = None
    edit_count: int = 0
    edit_date: int | None = None
    deleted: bool = False

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        """Rows of inline buttons (empty when the message has no inline keyboard)."""
        if self.reply_markup is None:
            return []
        rows = self.reply_markup.get("inline_keyboard")
        return rows if isinstance(rows, list) else []

    def button_texts(self) -> list[str]:
        """Texts of all inline and reply-keyboard buttons, row by row."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        texts: list[str] = []
        for row in rows:
            for button in row:
                texts.append(button if isinstance(button, str) else str(button.get("text", "")))
        return texts


@dataclass(slots=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    content: bytes

    def __repr__(self) -> str:
        return (
            f"UploadedFile(filename={self.filename!r}, content_type={self.content_type!r}, "
            f"size={len(self.content)})"
        )


@dataclass(frozen=True, slots=True)
class Fault:
    """An injected failure: optionally sleep ``delay`` seconds, then (if ``status`` is set)
    answer with that error instead of handling the request.

    ``Fault(status=429, retry_after=3)`` -> PTB ``RetryAfter``;
    ``Fault(status=502)`` -> PTB ``NetworkError``; ``Fault(delay=10.0)`` -> client timeout.
    """

    status: int | None = None
    description: str | None = None
    retry_after: int | None = None
    delay: float = 0.0

    def resolved_description(self) -> str:
        if self.description is not None:
            return self.description
        if self.status == 429:
            return f"Too Many Requests: retry after {self.retry_after or 1}"
        try:
            return HTTPStatus(self.status or 500).phrase
        except ValueError:
            return "Internal Server Error"


class ApiError(Exception):
    """Raised inside the stub to answer a request with ``{"ok": false, ...}``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def bad_request(description: str) -> ApiError:
    """A 400 error; ``description`` without the ``Bad Request: `` prefix."""
    return ApiError(400, f"Bad Request: {description}")
