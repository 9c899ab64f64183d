"""Telegram-like flood limits: sliding one-second windows, globally and per chat."""

from __future__ import annotations

import math
import time
from collections import deque

from botapi_stub.validation import flood_error


class FloodLimiter:
    def __init__(self, global_per_second: int, per_chat_per_second: int) -> None:
        self.global_per_second = global_per_second
        self.per_chat_per_second = per_chat_per_second
        self._global: deque[float] = deque()
        self._per_chat: dict[object, deque[float]] = {}

    def check(self, chat_id: object) -> None:
        """Count one message to ``chat_id`` or raise a 429 ``ApiError`` with retry_after."""
        now = time.monotonic()
        horizon = now - 1.0
        window = self._global
        while window and window[0] <= horizon:
            window.popleft()
        if len(window) >= self.global_per_second:
            raise flood_error(max(1, math.ceil(window[0] + 1.0 - now)))
        if chat_id is not None:
            chat_window = self._per_chat.setdefault(chat_id, deque())
            while chat_window and chat_window[0] <= horizon:
                chat_window.popleft()
            if len(chat_window) >= self.per_chat_per_second:
                raise flood_error(max(1, math.ceil(chat_window[0] + 1.0 - now)))
            chat_window.append(now)
        window.append(now)
