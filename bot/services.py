"""The long-lived resources handlers need, opened once per application."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.presses import RecentPresses

if TYPE_CHECKING:
    from scheduler.dispatcher import PromptDispatcher


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    dispatcher: PromptDispatcher
    # Users known to exist and be active, so most updates skip the users table.
    known_users: set[int] = field(default_factory=set)
    # Each known user's stored language and whether they chose it in /settings (else it
    # follows Telegram's), so every update speaks it without a query. Per instance, like
    # known_users: a choice made through another instance shows here after a restart.
    languages: dict[int, tuple[str, bool]] = field(default_factory=dict)
    # Recent button presses, to recognise the second tap of a double tap (per instance).
    recent_presses: RecentPresses = field(default_factory=RecentPresses)
