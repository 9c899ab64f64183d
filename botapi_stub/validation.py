"""Semantic checks real Telegram applies on top of the parameter types.

Every function raises :class:`~botapi_stub.models.ApiError` with a Telegram-like
description, or returns the validated / derived value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from botapi_stub.html import HtmlError, ParsedText, parse_html, utf16_len
from botapi_stub.models import ApiError, bad_request

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
CALLBACK_DATA_LIMIT = 64
MAX_COMMANDS = 100
MAX_KEYBOARD_BUTTONS = 100
DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_PARSE_MODES = {"html": "HTML", "markdownv2": "MarkdownV2", "markdown": "Markdown"}
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}\Z")
_MARKUP_ERROR = "can't parse reply keyboard markup JSON object"
_BUTTON_DECORATIONS = frozenset({"text", "icon_custom_emoji_id", "style"})
# Fallbacks in case the trimmed spec does not carry the keyboard types.
_DEFAULT_INLINE_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_DEFAULT_KEYBOARD_REQUESTS = frozenset(
    {
        "request_users",
        "request_chat",
        "request_managed_bot",
        "request_contact",
        "request_location",
        "request_poll",
        "web_app",
    }
)


class MarkupRules:
    """Button field sets, derived once from the spec's keyboard types."""

    def __init__(self, type_fields: dict[str, tuple[str, ...]]) -> None:
        inline = type_fields.get("InlineKeyboardButton")
        keyboard = type_fields.get("KeyboardButton")
        self.inline_actions = (
            frozenset(inline) - _BUTTON_DECORATIONS if inline else _DEFAULT_INLINE_ACTIONS
        )
        self.keyboard_requests = (
            frozenset(keyboard) - _BUTTON_DECORATIONS if keyboard else _DEFAULT_KEYBOARD_REQUESTS
        )


# ---------------------------------------------------------------------------------------
# text and captions


def normalize_parse_mode(parse_mode: str | None) -> str | None:
    """Telegram matches parse modes case-insensitively; ``""`` means none."""
    if parse_mode is None or parse_mode == "":
        return None
    canonical = _PARSE_MODES.get(parse_mode.lower())
    if canonical is None:
        raise bad_request("unsupported parse_mode")
    return canonical


def parse_formatted(text: str, parse_mode: str | None, entities: Any) -> ParsedText:
    """Apply ``parse_mode`` (or explicit ``entities``) and return text + entities."""
    mode = normalize_parse_mode(parse_mode)
    if mode == "HTML":
        try:
            return parse_html(text)
        except HtmlError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    if mode is not None:
        return ParsedText(markdown_plain_text(text, v2=mode == "MarkdownV2"))
    if entities is not None:
        return ParsedText(text, _check_entities(entities, text))
    return ParsedText(text)


def _check_entities(entities: Any, text: str) -> list[dict[str, Any]]:
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    for entity in entities:
        if not isinstance(entity, dict):
            raise bad_request("can't parse entities JSON object")
        offset, length = entity.get("offset"), entity.get("length")
        if (
            not isinstance(entity.get("type"), str)
            or not isinstance(offset, int)
            or not isinstance(length, int)
            or offset < 0
            or length < 0
        ):
            raise bad_request("can't parse entities JSON object")
        if offset + length > total:
            raise bad_request("entity beyond the end of the text")
    return list(entities)


def markdown_plain_text(text: str, *, v2: bool) -> str:
    """Best-effort plain text of (legacy or V2) Markdown; no validation."""
    markers = "*_~|`" if v2 else "*_`"
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
            continue
        if text.startswith("```", i):
            i += 3
            newline = text.find("\n", i)
            if newline >= 0 and " " not in text[i:newline] and text.find("```", i) > newline:
                i = newline + 1  # skip the language line
            continue
        if char == "]" and i + 1 < n and text[i + 1] == "(":
            close = text.find(")", i + 2)
            i = close + 1 if close >= 0 else i + 1
            continue
        if char in markers or char == "[" or (char == "!" and text.startswith("![", i)):
            i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


def check_message_text(parsed: ParsedText) -> None:
    if not parsed.text.strip():
        raise bad_request("message text is empty")
    if utf16_len(parsed.text) > TEXT_LIMIT:
        raise bad_request("message is too long")


def check_caption(parsed: ParsedText) -> None:
    if utf16_len(parsed.text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")


# ---------------------------------------------------------------------------------------
# reply markup


def validate_reply_markup(markup: Any, rules: MarkupRules, *, inline_only: bool = False) -> None:
    """Validate any of the four reply markup kinds (only inline ones for edits)."""
    if not isinstance(markup, dict):
        raise bad_request(_MARKUP_ERROR)
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"], rules)
        return
    if inline_only:
        raise bad_request("can't parse inline keyboard markup JSON object")
    if "keyboard" in markup:
        _validate_keyboard(markup, rules)
    elif "remove_keyboard" in markup:
        if markup["remove_keyboard"] is not True:
            raise bad_request(_MARKUP_ERROR)
    elif "force_reply" in markup:
        if markup["force_reply"] is not True:
            raise bad_request(_MARKUP_ERROR)
        _check_placeholder(markup)
    else:
        raise bad_request(_MARKUP_ERROR)


def _rows(rows: Any) -> Iterable[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(_MARKUP_ERROR)
    if sum(len(row) for row in rows) > MAX_KEYBOARD_BUTTONS:
        raise bad_request("reply markup is too long")
    return rows


def _validate_inline_keyboard(rows: Any, rules: MarkupRules) -> None:
    for row in _rows(rows):
        for button in row:
            if not isinstance(button, dict):
                raise bad_request(_MARKUP_ERROR)
            text = button.get("text")
            if not isinstance(text, str):
                raise bad_request(_MARKUP_ERROR)
            if not text.strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            actions = [key for key in button if key in rules.inline_actions]
            if not actions:
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise bad_request(
                    "can't parse inline keyboard button: exactly one of the fields "
                    f"{', '.join(sorted(actions))} may be specified"
                )
            action = actions[0]
            value = button[action]
            if action == "callback_data":
                if (
                    not isinstance(value, str)
                    or not value
                    or len(value.encode("utf-8")) > CALLBACK_DATA_LIMIT
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
            elif action == "url":
                _check_button_url(value)


def _check_button_url(value: Any) -> None:
    if not isinstance(value, str):
        raise bad_request(_MARKUP_ERROR)
    try:
        parts = urlsplit(value)
    except ValueError:
        raise bad_request("BUTTON_URL_INVALID") from None
    scheme = parts.scheme.lower()
    if scheme == "tg" or (scheme in ("http", "https") and parts.hostname):
        return
    raise bad_request("BUTTON_URL_INVALID")


def _validate_keyboard(markup: dict[str, Any], rules: MarkupRules) -> None:
    for row in _rows(markup["keyboard"]):
        for button in row:
            if isinstance(button, str):
                text: Any = button
            elif isinstance(button, dict):
                text = button.get("text")
                requests = [key for key in button if key in rules.keyboard_requests]
                if len(requests) > 1:
                    raise bad_request(_MARKUP_ERROR)
            else:
                raise bad_request(_MARKUP_ERROR)
            if not isinstance(text, str):
                raise bad_request(_MARKUP_ERROR)
            if not text.strip():
                raise bad_request("BUTTON_TEXT_INVALID")
    _check_placeholder(markup)


def _check_placeholder(markup: dict[str, Any]) -> None:
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and (not isinstance(placeholder, str) or len(placeholder) > 64):
        raise bad_request("input field placeholder is too long")


# ---------------------------------------------------------------------------------------
# commands, descriptions, chat actions, callback answers


def validate_commands(commands: Any) -> list[dict[str, str]]:
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    result: list[dict[str, str]] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND_RE.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        result.append({"command": command, "description": description})
    return result


def scope_key(scope: Any) -> str:
    """Validate a BotCommandScope and return a stable key for it."""
    if scope is None:
        return "default"
    if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = str(scope["type"])
    if kind in ("chat", "chat_administrators", "chat_member") and "chat_id" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    if kind == "chat_member" and "user_id" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    return f"{kind}:{scope.get('chat_id', '')}:{scope.get('user_id', '')}"


def check_length(value: str | None, limit: int, error: str) -> str:
    text = value or ""
    if len(text) > limit:
        raise bad_request(error)
    return text


def check_chat_action(action: str) -> None:
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")


def check_callback_answer_text(text: str | None) -> None:
    if text is not None and utf16_len(text) > CALLBACK_ANSWER_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")


def flood_error(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
