"""Logging that never reveals the bot token."""

from __future__ import annotations

import logging
from collections.abc import Iterable

# httpx logs every request URL at INFO, and Bot API URLs contain the token.
_CHATTY_LOGGERS = ("httpx", "httpcore", "apscheduler", "aiosqlite")


class RedactSecrets(logging.Filter):
    """Replace secrets in a record's final message (a second line of defence)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, "[REDACTED]")
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        exc_text = record.exc_text or ""
        clean_exc = exc_text
        for secret in self._secrets:
            clean_exc = clean_exc.replace(secret, "[REDACTED]")
        if redacted != message or clean_exc != exc_text:
            record.msg, record.args = redacted, None
            record.exc_text = clean_exc
        return True


def configure_logging(level: str, *, secrets: Iterable[str] = ()) -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    root.setLevel(level)
    redact = RedactSecrets(secrets)
    for handler in root.handlers:
        handler.addFilter(redact)
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
