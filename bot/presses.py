"""Recent button presses, to recognise the second tap of a double tap (handlers/guards.py).

Both taps of a double tap leave the app before the bot has answered the first, so both
show the message as it was. The second is a repeat: the same button, pressed on the same
view of the message, which the first press has changed since. A button pressed again on a
message that is still as it was (a button that stays), or on a message that was changed
and changed back, is not.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

REMEMBERED = 4096  # presses (and pressed messages): a few minutes' worth on a busy bot

MessageKey = tuple[int, int]  # chat id, message id


class RecentPresses:
    """Each press by message, button and view; each pressed message as the bot left it."""

    def __init__(self, limit: int = REMEMBERED) -> None:
        self._limit = limit
        self._pressed: dict[tuple[MessageKey, str, str], None] = {}
        self._shown: dict[MessageKey, str] = {}

    def is_repeat(self, message: MessageKey, button: str, view: str) -> bool:
        """This button was pressed on this view before, and the message has changed since."""
        shown = self._shown.get(message)
        return shown is not None and shown != view and (message, button, view) in self._pressed

    def pressed(self, message: MessageKey, button: str, view: str) -> None:
        _remember(self._pressed, (message, button, view), None, self._limit)

    def shown(self, message: MessageKey, view: str) -> None:
        """The bot has just left the message showing `view`."""
        _remember(self._shown, message, view, self._limit)


def _remember(memory: dict[K, V], key: K, value: V, limit: int) -> None:
    """Store as the newest; forget the oldest beyond `limit`."""
    memory.pop(key, None)
    memory[key] = value
    while len(memory) > limit:
        del memory[next(iter(memory))]
