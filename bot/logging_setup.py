"""Logging that never reveals the bot token (or the webhook secret).

Three ways text leaves the process, and each goes through the same redaction: log records
(message, traceback and stack), tracebacks of exceptions nobody caught (in the main thread
or another one), and warnings (routed into logging).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Iterable
from types import TracebackType

REDACTED = "[REDACTED]"
# httpx logs every request URL at INFO, and Bot API URLs contain the token.
_CHATTY_LOGGERS = ("httpx", "httpcore", "apscheduler", "aiosqlite")


class Redactor:
    """Replaces every secret in a text. For a bot token ("<digits>:<secret part>") the
    secret part alone is replaced too: it is what matters, and it is all that is left of
    the token in a URL that encodes the colon ("%3A")."""

    def __init__(self, secrets: Iterable[str]) -> None:
        pieces: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            pieces.add(secret)
            _bot_id, colon, secret_part = secret.partition(":")
            if colon and secret_part:
                pieces.add(secret_part)
        # Longest first: the whole token goes before its secret part would.
        self._pieces = sorted(pieces, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._pieces)

    def __call__(self, text: str) -> str:
        for piece in self._pieces:
            text = text.replace(piece, REDACTED)
        return text


class RedactSecrets(logging.Filter):
    """Replace secrets in a record's final message, traceback and stack (a second line of
    defence: nothing should log a secret in the first place)."""

    def __init__(self, secrets: Iterable[str] | Redactor) -> None:
        super().__init__()
        self._redact = secrets if isinstance(secrets, Redactor) else Redactor(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._redact:
            return True
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: keep them, redacted
            message = f"{record.msg!s} {record.args!r}"
        record.msg, record.args = self._redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


def _redacting_excepthooks(redact: Redactor) -> None:
    """Print uncaught exceptions (a crash at start-up, a dying thread) redacted."""

    def excepthook(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, error, trace))))

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "a thread"
        lines = traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        sys.stderr.write(redact(f"Exception in {name}:\n" + "".join(lines)))

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


def configure_logging(level: str, *, secrets: Iterable[str] = ()) -> Redactor:
    """Log at `level` with every secret redacted; returns the redaction, for the few lines
    the CLI prints itself."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    root.setLevel(level)
    redact = Redactor(secrets)
    redact_records = RedactSecrets(redact)
    for handler in root.handlers:
        handler.addFilter(redact_records)
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # Warnings go through logging (and so through the filter) rather than straight to stderr.
    logging.captureWarnings(True)
    if redact:
        _redacting_excepthooks(redact)
    return redact
