"""What a kind of scheduled prompt must do: the contract between the dispatcher and kinds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from storage.repositories.prompts import ClaimedPrompt
from storage.repositories.users import Recipient

Item = tuple[ClaimedPrompt, Recipient]


@dataclass(frozen=True)
class Outgoing:
    text: str
    markup: InlineKeyboardMarkup | None = None


class PromptKind(Protocol):
    async def render(self, session: AsyncSession, items: list[Item]) -> dict[int, Outgoing | None]:
        """The message for each prompt id, or None when it no longer applies."""

    async def after_sent(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Follow-ups, in the same transaction that records the sends."""

    async def after_dropped(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Follow-ups when prompts were skipped, cancelled or failed."""
