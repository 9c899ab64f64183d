"""``BotApiStub``: a local, strict fake of the Telegram Bot API server.

The stub is a real aiohttp HTTP server on ``127.0.0.1`` that speaks the Bot API exactly the
way python-telegram-bot's default HTTPX request class talks to Telegram, so an unmodified
``Application`` can poll it::

    async with BotApiStub(bot_username="career_coach_bot") as stub:
        app = (ApplicationBuilder().token("123:ABC").base_url(stub.base_url)
               .base_file_url(stub.base_file_url).build())
        stub.user(1001, first_name="Ada")
        stub.send_text(1001, "/start")
        await stub.wait_for(lambda: stub.messages(1001))

It validates every call against the official spec (``botapi_spec.json``, Bot API 10.1) and
rejects what real Telegram rejects (unknown chats, empty/too long texts, broken HTML, bad
keyboards, edits that change nothing, stale callback queries, ...), answering with
Telegram's status codes and descriptions, so PTB raises ``BadRequest``/``Forbidden``/
``RetryAfter``/``Conflict``/``NetworkError`` just like in production.

Python API (same event loop as the bot):

* lifecycle: ``await start()`` / ``await stop()`` / ``async with``; ``base_url``,
  ``base_file_url``.
* users and injection: ``user()``, ``send_text()``, ``send_location()``,
  ``send_document()``, ``send_photo()``, ``send_sticker()``, ``press()``, ``inject_raw()``,
  ``block()`` / ``unblock()`` — each injection returns the queued update dict;
  ``redeliver(update)`` hands one out again.
* observation: ``calls``, ``rejected_calls``, ``messages(chat_id)``, ``transcript(chat_id)``,
  ``pending_updates()``, ``add_listener()``, ``await wait_for(predicate)``.
* failures: ``fault_injector`` (return a :class:`Fault` to answer a request with it) and
  Telegram-like flood limits (``rate_limits=True``).

Updates are delivered through real ``getUpdates`` long polling (``offset`` confirms) or, after
``setWebhook``, POSTed in order to the webhook URL (``http`` URLs are allowed for local tests).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlsplit

from aiohttp import web

from botapi_stub.files import FileStore
from botapi_stub.html import utf16_len
from botapi_stub.models import (
    ApiCall,
    ApiError,
    BotMessage,
    Fault,
    MessageKind,
    StubUser,
    UploadedFile,
    bad_request,
)
from botapi_stub.ratelimit import FloodLimiter
from botapi_stub.spec import BotApiSpec
from botapi_stub.updates import Signal, UpdateQueue, Webhook, dumps
from botapi_stub.validation import (
    DESCRIPTION_LIMIT,
    SHORT_DESCRIPTION_LIMIT,
    MarkupRules,
    check_callback_answer_text,
    check_caption,
    check_chat_action,
    check_length,
    check_message_text,
    normalize_parse_mode,
    parse_formatted,
    scope_key,
    validate_commands,
    validate_reply_markup,
)

__all__ = ["BotApiStub"]

_LOG = logging.getLogger("botapi_stub")

SPEC = BotApiSpec.load()
_MARKUP_RULES = MarkupRules(SPEC.type_fields)

BOT_ID = 7000000001
_BOT_FIRST_NAME = "Career Change Coach"
_MAX_UPLOAD = 50 * 1024 * 1024
_MAX_DOWNLOAD = 20 * 1024 * 1024
_UPDATE_TYPES = frozenset(SPEC.type_fields.get("Update", ())) - {"update_id"}
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}\Z")
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,32})?")
_PHOTO_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00stub-photo\xff\xd9"
_FORBIDDEN_BLOCKED = "Forbidden: bot was blocked by the user"
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_NO_RATE_LIMIT = frozenset({"sendchataction", "sendmessagedraft", "sendrichmessagedraft"})
_RATE_LIMITED = frozenset(
    lowered
    for lowered in (name.lower() for name in SPEC.method_names)
    if (lowered.startswith(("send", "editmessage", "copymessage", "forwardmessage")))
    and lowered not in _NO_RATE_LIMIT
)

Handler = Callable[[dict[str, Any]], Any]


@dataclass(slots=True)
class _Chat:
    user: StubUser
    chat_dict: dict[str, Any]
    chat_instance: str
    messages: dict[int, BotMessage] = field(default_factory=dict)
    user_message_ids: set[int] = field(default_factory=set)
    next_message_id: int = 1
    transcript: list[str] = field(default_factory=list)

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass(slots=True)
class _CallbackQuery:
    chat_id: int
    message_id: int
    data: str
    answered: bool = False


class BotApiStub:
    """A fake Telegram Bot API server for tests, the offline chat and benchmarks."""

    def __init__(
        self,
        bot_username: str = "career_coach_bot",
        token: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limits: bool = False,
        global_per_second: int = 30,
        per_chat_per_second: int = 1,
        webhook_retry_delay: float = 0.2,
    ) -> None:
        self.bot_username = bot_username
        self.token = token
        self.host = host
        self.port = port
        self.rate_limits = rate_limits
        self.limiter = FloodLimiter(global_per_second, per_chat_per_second)
        self.spec = SPEC
        self.bot_user: dict[str, Any] = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": _BOT_FIRST_NAME,
            "username": bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[ApiCall] = []
        self.fault_injector: Callable[[str, dict[str, Any]], Fault | None] | None = None
        self._listeners: list[Callable[[ApiCall], None]] = []
        self._users: dict[int, StubUser] = {}
        self._chats: dict[int, _Chat] = {}
        self._files = FileStore()
        self._queries: dict[str, _CallbackQuery] = {}
        self._query_seq = 0
        self._activity = Signal()
        self._updates = UpdateQueue(_UPDATE_TYPES, self._activity_notify, webhook_retry_delay)
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._descriptions: dict[str, str] = {}
        self._short_descriptions: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._runner: web.AppRunner | None = None
        self._sync_handlers: dict[str, Handler] = {
            "getme": self._get_me,
            "logout": self._true,
            "close": self._true,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setmydescription": self._set_my_description,
            "getmydescription": self._get_my_description,
            "setmyshortdescription": self._set_my_short_description,
            "getmyshortdescription": self._get_my_short_description,
            "setmyname": self._set_my_name,
            "getmyname": self._get_my_name,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "sendchataction": self._send_chat_action,
            "getfile": self._get_file,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
        }

    # ------------------------------------------------------------------------------------
    # lifecycle

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/bot`` — PTB appends the token."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> None:
        if self._runner is not None:
            return
        self._activity = Signal()
        app = web.Application(client_max_size=_MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("POST", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self._updates.start()
        _LOG.debug("Bot API stub listening on %s", self.base_url)

    async def stop(self) -> None:
        await self._updates.stop()
        self._activity.notify()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> BotApiStub:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------------------------
    # users and injected updates

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> StubUser:
        """Create (or return the existing) user and its private chat (chat id == user id)."""
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        user = StubUser(
            id=user_id,
            first_name=first_name or f"User{user_id}",
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self._users[user_id] = user
        self._chats[user_id] = _Chat(
            user=user,
            chat_dict=user.to_chat_dict(),
            chat_instance=str((user_id * 2654435761 + BOT_ID) % (1 << 62)),
        )
        return user

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sending to them now fails with 403 Forbidden."""
        self.user(user_id).blocked = True
        self._chats[user_id].transcript.append("user blocked the bot")

    def unblock(self, user_id: int) -> None:
        self.user(user_id).blocked = False
        self._chats[user_id].transcript.append("user unblocked the bot")

    def send_text(self, user_id: int, text: str) -> dict[str, Any]:
        """Queue a private text message; a leading /command gets a ``bot_command`` entity."""
        message = self._user_message(user_id, text=text)
        match = _COMMAND_RE.match(text)
        if match is not None:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}
            ]
        self._chats[user_id].transcript.append(f"user: {text}")
        return self._updates.push({"message": message})

    def send_location(self, user_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        message = self._user_message(
            user_id, location={"latitude": latitude, "longitude": longitude}
        )
        self._chats[user_id].transcript.append(f"user: [location {latitude}, {longitude}]")
        return self._updates.push({"message": message})

    def send_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Queue a document; the bot can fetch ``content`` via getFile + the /file/ route."""
        stored = self._files.store("documents", content, file_name, mime_type)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        extra: dict[str, Any] = {"document": document}
        if caption is not None:
            extra["caption"] = caption
        message = self._user_message(user_id, **extra)
        self._chats[user_id].transcript.append(
            f"user: [document {file_name}]" + (f" {caption}" if caption else "")
        )
        return self._updates.push({"message": message})

    def send_photo(
        self, user_id: int, content: bytes | None = None, caption: str | None = None
    ) -> dict[str, Any]:
        stored = self._files.store("photos", content or _PHOTO_BYTES, None, "image/jpeg")
        extra: dict[str, Any] = {"photo": stored.photo_sizes()}
        if caption is not None:
            extra["caption"] = caption
        message = self._user_message(user_id, **extra)
        self._chats[user_id].transcript.append("user: [photo]" + (f" {caption}" if caption else ""))
        return self._updates.push({"message": message})

    def send_sticker(self, user_id: int, emoji: str = "👍") -> dict[str, Any]:
        stored = self._files.store("stickers", b"RIFFstub-sticker", None, "image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": len(stored.content),
        }
        message = self._user_message(user_id, sticker=sticker)
        self._chats[user_id].transcript.append(f"user: [sticker {emoji}]")
        return self._updates.push({"message": message})

    def press(
        self, user_id: int, message_id: int, callback_data: str, *, require_button: bool = True
    ) -> dict[str, Any]:
        """The user presses an inline button of a bot message -> ``callback_query`` update.

        Raises ValueError if the bot message does not exist (or was deleted) in that chat,
        or (unless ``require_button=False``) has no inline button with that callback_data.
        """
        chat = self._chats.get(user_id)
        message = chat.messages.get(message_id) if chat is not None else None
        if chat is None or message is None or message.deleted:
            raise ValueError(f"no bot message {message_id} in chat {user_id}")
        label = self._button_label(message, callback_data)
        if label is None and require_button:
            available = [
                button.get("callback_data")
                for row in message.inline_keyboard
                for button in row
                if "callback_data" in button
            ]
            raise ValueError(
                f"message {message_id} in chat {user_id} has no inline button with "
                f"callback_data={callback_data!r}; available: {available}"
            )
        self._query_seq += 1
        query_id = f"{user_id}{self._query_seq:08d}"
        self._queries[query_id] = _CallbackQuery(user_id, message_id, callback_data)
        query = {
            "id": query_id,
            "from": chat.user.to_user_dict(),
            "message": self._message_json(chat, message),
            "chat_instance": chat.chat_instance,
            "data": callback_data,
        }
        chat.transcript.append(f"user pressed [{label if label is not None else callback_data}]")
        return self._updates.push({"callback_query": query})

    def continue_after(self, update_id: int) -> None:
        """Number the next updates after `update_id`: Telegram's ids for a bot only grow,
        also across restarts of the bot (the offline chat starts a new stub each run)."""
        self._updates.last_update_id = max(self._updates.last_update_id, update_id)

    def redeliver(self, update: dict[str, Any]) -> None:
        """Deliver an already delivered update again (same ``update_id``), like Telegram
        after a bot crashed before confirming it."""
        self._updates.redeliver(update)

    def inject_raw(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue any update dict (``update_id`` is assigned unless given and increasing)."""
        given = update.get("update_id")
        if given is not None:
            last = self._updates.last_update_id
            if not isinstance(given, int) or given <= last:
                raise ValueError(f"update_id must be an int > {last}")
            self._updates.last_update_id = given - 1
        return self._updates.push({k: v for k, v in update.items() if k != "update_id"})

    # ------------------------------------------------------------------------------------
    # observation

    @property
    def rejected_calls(self) -> list[ApiCall]:
        """Invalid Bot API usage: calls answered with 400 Bad Request."""
        return [call for call in self.calls if not call.ok and call.error_code == 400]

    def messages(self, chat_id: int) -> list[BotMessage]:
        """Current state of the bot's messages in the chat (deleted ones flagged), in order."""
        chat = self._chats.get(chat_id)
        return list(chat.messages.values()) if chat is not None else []

    def transcript(self, chat_id: int) -> list[str]:
        chat = self._chats.get(chat_id)
        return list(chat.transcript) if chat is not None else []

    def pending_updates(self) -> int:
        """Updates not yet confirmed (getUpdates offset) or delivered (webhook)."""
        return len(self._updates.pending)

    def waiting_polls(self) -> int:
        """Number of getUpdates long polls currently parked inside the stub."""
        return self._updates.waiting_polls

    def add_listener(self, callback: Callable[[ApiCall], None]) -> None:
        """``callback(call)`` runs synchronously after every handled request."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[ApiCall], None]) -> None:
        self._listeners.remove(callback)

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,
    ) -> None:
        """Wait until ``predicate()`` is true; re-checked after every request/injection."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(self._describe_timeout(timeout))
            await self._activity.wait(remaining)

    def _describe_timeout(self, timeout: float) -> str:
        lines = [f"condition not met within {timeout:g}s"]
        recent = self.calls[-8:]
        if recent:
            lines.append(f"last {len(recent)} of {len(self.calls)} Bot API calls:")
            lines.extend(f"  {self._describe_call(call)}" for call in recent)
        else:
            lines.append("the bot made no Bot API calls at all")
        lines.append(f"pending (unconfirmed) updates: {self.pending_updates()}")
        return "\n".join(lines)

    @staticmethod
    def _describe_call(call: ApiCall) -> str:
        shown = {k: v for k, v in call.params.items() if k in ("chat_id", "text", "offset")}
        outcome = "ok" if call.ok else f"{call.error_code} {call.description}"
        return f"{call.method}({shown}) -> {outcome}"

    # ------------------------------------------------------------------------------------
    # HTTP layer

    async def _handle_api(self, request: web.Request) -> web.Response:
        started = time.monotonic()
        method_name = request.match_info["method"]
        method = self.spec.method(method_name)
        name = method.name if method is not None else method_name
        if self.token is not None and request.match_info["token"] != self.token:
            return self._finish(name, {}, started, ApiError(401, "Unauthorized"))
        try:
            raw, attachments = await self._read_params(request)
        except ApiError as exc:
            return self._finish(name, {}, started, exc)
        params: dict[str, Any] = raw
        try:
            if self.fault_injector is not None:
                fault = self.fault_injector(name, self.spec.decode_lenient(method, raw))
                if fault is not None:
                    if fault.delay > 0:
                        await asyncio.sleep(fault.delay)
                    if fault.status is not None:
                        error = ApiError(
                            fault.status, fault.resolved_description(), fault.retry_after
                        )
                        return self._finish(name, raw, started, error)
            if method is None:
                raise ApiError(404, "Not Found: method not found")
            params = self.spec.decode(method, raw)
            if attachments:
                self._resolve_attachments(params, attachments)
            lowered = method.name.lower()
            if self.rate_limits and lowered in _RATE_LIMITED:
                self.limiter.check(params.get("chat_id"))
            if lowered == "getupdates":
                result: Any = await self._updates.poll(params)
            else:
                handler = self._sync_handlers.get(lowered)
                result = handler(params) if handler is not None else True
        except ApiError as exc:
            return self._finish(name, params, started, exc)
        except asyncio.CancelledError:
            if name != "getUpdates":
                self._record(ApiCall(name, params, False, None, "client disconnected", started))
            raise
        return self._finish(name, params, started, None, result)

    def _finish(
        self,
        method: str,
        params: dict[str, Any],
        started: float,
        error: ApiError | None,
        result: Any = None,
    ) -> web.Response:
        if error is None:
            self._record(ApiCall(method, params, True, None, None, started, result))
            return web.Response(
                body=dumps({"ok": True, "result": result}), content_type="application/json"
            )
        payload: dict[str, Any] = {
            "ok": False,
            "error_code": error.status,
            "description": error.description,
        }
        if error.retry_after is not None:
            payload["parameters"] = {"retry_after": error.retry_after}
        self._record(ApiCall(method, params, False, error.status, error.description, started))
        return web.Response(
            body=dumps(payload), status=error.status, content_type="application/json"
        )

    def _activity_notify(self) -> None:
        self._activity.notify()

    def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        for listener in self._listeners:
            try:
                listener(call)
            except Exception:
                _LOG.exception("botapi_stub listener failed")
        self._activity.notify()

    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = dict(request.query) if request.query_string else {}
        attachments: dict[str, UploadedFile] = {}
        if request.method != "POST" or not request.body_exists:
            return params, attachments
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON encoded request") from None
            if not isinstance(body, dict):
                raise bad_request("JSON object expected as request body")
            params.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                form = await request.post()
            except web.HTTPRequestEntityTooLarge:
                raise ApiError(413, "Request Entity Too Large") from None
            files: dict[str, UploadedFile] = {}
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = UploadedFile(value.filename, value.content_type, value.file.read())
                else:
                    params[key] = value
            if files:
                referenced = " ".join(v for v in params.values() if isinstance(v, str))
                for key, upload in files.items():
                    if f"attach://{key}" in referenced:
                        attachments[key] = upload
                    else:
                        params[key] = upload
        return params, attachments

    @staticmethod
    def _resolve_attachments(params: dict[str, Any], attachments: dict[str, UploadedFile]) -> None:
        for key, value in params.items():
            if isinstance(value, str) and value.startswith("attach://"):
                upload = attachments.get(value[len("attach://") :])
                if upload is not None:
                    params[key] = upload

    async def _handle_file(self, request: web.Request) -> web.Response:
        if self.token is not None and request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        stored = self._files.by_path(request.match_info["path"])
        if stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        mime = (stored.mime_type or "").split(";", 1)[0].strip()
        return web.Response(body=stored.content, content_type=mime or "application/octet-stream")

    # ------------------------------------------------------------------------------------
    # helpers for handlers

    def _chat(self, chat_id: Any) -> _Chat:
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    @staticmethod
    def _check_not_blocked(chat: _Chat) -> None:
        if chat.user.blocked:
            raise ApiError(403, _FORBIDDEN_BLOCKED)

    @staticmethod
    def _markup(params: dict[str, Any], *, inline_only: bool = False) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        validate_reply_markup(markup, _MARKUP_RULES, inline_only=inline_only)
        return dict(markup)

    @staticmethod
    def _inline(markup: dict[str, Any] | None) -> dict[str, Any] | None:
        return markup if markup is not None and "inline_keyboard" in markup else None

    def _check_reply_target(self, chat: _Chat, params: dict[str, Any]) -> None:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict) or "message_id" not in reply:
            return
        if reply.get("allow_sending_without_reply"):
            return
        target = reply["message_id"]
        bot_message = chat.messages.get(target)
        if target in chat.user_message_ids or (bot_message is not None and not bot_message.deleted):
            return
        raise bad_request("message to be replied not found")

    def _user_message(self, user_id: int, **content: Any) -> dict[str, Any]:
        user = self.user(user_id)
        chat = self._chats[user_id]
        message_id = chat.take_message_id()
        chat.user_message_ids.add(message_id)
        return {
            "message_id": message_id,
            "from": user.to_user_dict(),
            "chat": chat.chat_dict,
            "date": int(time.time()),
            **content,
        }

    def _new_bot_message(self, chat: _Chat, kind: MessageKind, **fields: Any) -> BotMessage:
        message = BotMessage(
            message_id=chat.take_message_id(),
            chat_id=chat.user.id,
            date=int(time.time()),
            kind=kind,
            **fields,
        )
        chat.messages[message.message_id] = message
        return message

    def _message_json(self, chat: _Chat, message: BotMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": chat.chat_dict,
            "date": message.date,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.kind == "text":
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        else:
            stored = self._files.get(message.file_id or "")
            if message.kind == "photo" and stored is not None:
                data["photo"] = stored.photo_sizes()
            elif stored is not None:
                data["document"] = stored.document()
            if message.caption:
                data["caption"] = message.caption
                if message.entities:
                    data["caption_entities"] = message.entities
        inline = self._inline(message.reply_markup)
        if inline is not None:
            data["reply_markup"] = inline
        return data

    @staticmethod
    def _button_label(message: BotMessage, callback_data: str) -> str | None:
        for row in message.inline_keyboard:
            for button in row:
                if button.get("callback_data") == callback_data:
                    return str(button.get("text", ""))
        return None

    @staticmethod
    def _render(text: str | None, markup: dict[str, Any] | None) -> str:
        rows = (markup or {}).get("inline_keyboard") or (markup or {}).get("keyboard") or []
        labels = [b if isinstance(b, str) else str(b.get("text", "")) for r in rows for b in r]
        buttons = "  " + " ".join(f"[{label}]" for label in labels) if labels else ""
        return f"{text or ''}{buttons}"

    def _editable(self, params: dict[str, Any]) -> tuple[_Chat, BotMessage]:
        if params.get("inline_message_id"):
            raise bad_request("message to edit not found")
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        chat = self._chat(params["chat_id"])
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            if message_id in chat.user_message_ids:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return chat, message

    def _apply_edit(self, chat: _Chat, message: BotMessage, line: str) -> dict[str, Any]:
        message.edit_count += 1
        message.edit_date = int(time.time())
        chat.transcript.append(line)
        return self._message_json(chat, message)

    # ------------------------------------------------------------------------------------
    # method handlers

    def _true(self, params: dict[str, Any]) -> bool:
        return True

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = validate_commands(params["commands"])
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        self._commands[key] = commands
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        return list(self._commands.get(key, []))

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        self._commands.pop(key, None)
        return True

    def _set_my_description(self, params: dict[str, Any]) -> bool:
        text = check_length(params.get("description"), DESCRIPTION_LIMIT, "BOT_DESCRIPTION_INVALID")
        self._descriptions[params.get("language_code") or ""] = text
        return True

    def _get_my_description(self, params: dict[str, Any]) -> dict[str, str]:
        lang = params.get("language_code") or ""
        return {"description": self._descriptions.get(lang, "")}

    def _set_my_short_description(self, params: dict[str, Any]) -> bool:
        text = check_length(
            params.get("short_description"), SHORT_DESCRIPTION_LIMIT, "BOT_ABOUT_INVALID"
        )
        self._short_descriptions[params.get("language_code") or ""] = text
        return True

    def _get_my_short_description(self, params: dict[str, Any]) -> dict[str, str]:
        lang = params.get("language_code") or ""
        return {"short_description": self._short_descriptions.get(lang, "")}

    def _set_my_name(self, params: dict[str, Any]) -> bool:
        name = check_length(params.get("name"), 64, "BOT_NAME_INVALID")
        self._names[params.get("language_code") or ""] = name
        return True

    def _get_my_name(self, params: dict[str, Any]) -> dict[str, str]:
        lang = params.get("language_code") or ""
        return {"name": self._names.get(lang, _BOT_FIRST_NAME)}

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        markup = self._markup(params)
        chat = self._chat(params["chat_id"])
        parsed = parse_formatted(params["text"], params.get("parse_mode"), params.get("entities"))
        check_message_text(parsed)
        self._check_reply_target(chat, params)
        self._check_not_blocked(chat)
        message = self._new_bot_message(
            chat,
            "text",
            text=parsed.text,
            html=params["text"],
            parse_mode=normalize_parse_mode(params.get("parse_mode")),
            entities=parsed.entities,
            reply_markup=markup,
        )
        chat.transcript.append(f"bot: {self._render(parsed.text, markup)}")
        return self._message_json(chat, message)

    def _send_media(self, params: dict[str, Any], kind: Literal["photo", "document"]) -> Any:
        markup = self._markup(params)
        chat = self._chat(params["chat_id"])
        caption_raw = params.get("caption")
        parsed = None
        if caption_raw is not None:
            parsed = parse_formatted(
                caption_raw, params.get("parse_mode"), params.get("caption_entities")
            )
            check_caption(parsed)
        self._check_reply_target(chat, params)
        self._check_not_blocked(chat)
        folder = "photos" if kind == "photo" else "documents"
        default_name = None if kind == "photo" else "document"
        stored = self._files.resolve_input(params[kind], folder, default_name)
        message = self._new_bot_message(
            chat,
            kind,
            html=caption_raw,
            caption=parsed.text if parsed is not None else None,
            parse_mode=normalize_parse_mode(params.get("parse_mode")),
            entities=parsed.entities if parsed is not None else [],
            reply_markup=markup,
            file_name=stored.file_name,
            mime_type=stored.mime_type,
            content=stored.content,
            file_id=stored.file_id,
        )
        label = "[photo]" if kind == "photo" else f"[document {stored.file_name or ''}]"
        caption = f" {parsed.text}" if parsed is not None and parsed.text else ""
        chat.transcript.append(f"bot: {self._render(label + caption, markup)}")
        return self._message_json(chat, message)

    def _send_photo(self, params: dict[str, Any]) -> Any:
        return self._send_media(params, "photo")

    def _send_document(self, params: dict[str, Any]) -> Any:
        return self._send_media(params, "document")

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        markup = self._markup(params, inline_only=True)
        chat, message = self._editable(params)
        if "text" not in params:
            raise bad_request("message text is empty")
        parsed = parse_formatted(params["text"], params.get("parse_mode"), params.get("entities"))
        check_message_text(parsed)
        self._check_not_blocked(chat)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        current = self._inline(message.reply_markup)
        if (
            parsed.text == message.text
            and parsed.entities == message.entities
            and markup == current
        ):
            raise bad_request(_NOT_MODIFIED)
        message.text = parsed.text
        message.html = params["text"]
        message.parse_mode = normalize_parse_mode(params.get("parse_mode"))
        message.entities = parsed.entities
        if markup is not None or current is not None:
            message.reply_markup = markup
        return self._apply_edit(chat, message, f"bot edited: {self._render(parsed.text, markup)}")

    def _edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        markup = self._markup(params, inline_only=True)
        chat, message = self._editable(params)
        caption_raw = params.get("caption")
        parsed = parse_formatted(
            caption_raw or "", params.get("parse_mode"), params.get("caption_entities")
        )
        check_caption(parsed)
        self._check_not_blocked(chat)
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        current = self._inline(message.reply_markup)
        new_caption = parsed.text or None
        if (
            new_caption == message.caption
            and parsed.entities == message.entities
            and markup == current
        ):
            raise bad_request(_NOT_MODIFIED)
        message.caption = new_caption
        message.html = caption_raw
        message.entities = parsed.entities
        if markup is not None or current is not None:
            message.reply_markup = markup
        line = f"bot edited caption: {self._render(new_caption, markup)}"
        return self._apply_edit(chat, message, line)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        markup = self._markup(params, inline_only=True)
        chat, message = self._editable(params)
        self._check_not_blocked(chat)
        current = self._inline(message.reply_markup)
        if markup == current:
            raise bad_request(_NOT_MODIFIED)
        message.reply_markup = markup
        line = f"bot edited keyboard: {self._render('', markup).strip() or '(removed)'}"
        return self._apply_edit(chat, message, line)

    def _delete_message(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params["chat_id"])
        message_id = params["message_id"]
        message = chat.messages.get(message_id)
        if message is not None and not message.deleted:
            message.deleted = True
            chat.transcript.append(f"bot deleted message #{message_id}")
            return True
        if message_id in chat.user_message_ids:
            chat.user_message_ids.discard(message_id)
            chat.transcript.append(f"bot deleted user message #{message_id}")
            return True
        raise bad_request("message to delete not found")

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query = self._queries.get(params["callback_query_id"])
        if query is None or query.answered:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        check_callback_answer_text(text)
        query.answered = True
        if text:
            kind = "alert" if params.get("show_alert") else "toast"
            self._chats[query.chat_id].transcript.append(f"bot ({kind}): {text}")
        return True

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params["chat_id"])
        check_chat_action(params["action"])
        self._check_not_blocked(chat)
        return True

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._files.get(params["file_id"])
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > _MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return {
            "file_id": params["file_id"],
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = params["url"]
        if url == "":
            return self._delete_webhook(params)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = params.get("max_connections", 40)
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: invalid max_connections specified")
        if "allowed_updates" in params:
            self._updates.set_allowed(params["allowed_updates"])
        if params.get("drop_pending_updates"):
            self._updates.drop_pending()
        self._updates.set_webhook(Webhook(url, secret or None, max_connections))
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.drop_pending()
        self._updates.delete_webhook()
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._updates.webhook_info()
