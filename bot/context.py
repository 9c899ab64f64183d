"""The typed context every handler receives, with the application's services at hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.config import Settings
from bot.i18n import DEFAULT_LANGUAGE, resolve_language, use_language
from bot.rate_limiter import RateLimitArgs
from bot.services import Services
from bot.update_journal import JournaledUpdateQueue, replaying
from storage.persistence import DatabasePersistence

UserData = dict[str, Any]
ChatData = dict[str, Any]
BotData = dict[str, Any]


class CoachApplication(
    Application[ExtBot[RateLimitArgs], "Context", UserData, ChatData, BotData, JobQueue["Context"]]
):
    """PTB's Application plus the bot's services, and persistence written after every update."""

    def __init__(self, *, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services

    async def process_update(self, update: object) -> None:
        # Everything said while handling this update speaks the user's language, and the
        # language ends with the update (updates share one task when processed in turn).
        replay = isinstance(update, Update) and self.journal.was_replayed(update)
        with use_language(self.language_for(update)), replaying(replay):
            await super().process_update(update)
        # The update is marked processed in the transaction that writes the conversation
        # state it led to: after a crash, either both are stored or the update is replayed
        # into the step it was meant for. Written now rather than on PTB's timer: a crash
        # right after a reply must not send the user back to an earlier step.
        if isinstance(update, Update):
            self.state_store.attach(self.journal.processed_mark(update))
        await self.update_persistence()
        await self.state_store.commit_attached()  # when the update changed no state

    @property
    def state_store(self) -> DatabasePersistence:
        persistence = self.persistence
        assert isinstance(persistence, DatabasePersistence), "built by bot.app.build_application"
        return persistence

    @property
    def journal(self) -> JournaledUpdateQueue:
        queue = self.update_queue
        assert isinstance(queue, JournaledUpdateQueue), "built by bot.app.build_application"
        return queue

    def language_for(self, update: object) -> str:
        """Their choice in /settings if they made one, else their Telegram app's language.
        (A user not seen since start-up has their choice read when registered.)"""
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            return DEFAULT_LANGUAGE
        stored, chosen = self.services.languages.get(user.id, (DEFAULT_LANGUAGE, False))
        if chosen:
            return stored
        return resolve_language(user.language_code) or stored


class Context(CallbackContext[ExtBot[RateLimitArgs], UserData, ChatData, BotData]):
    @property
    def services(self) -> Services:
        return cast(CoachApplication, self.application).services

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self.services.sessions

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def draft(self) -> UserData:
        """This user's scratch space for answers that are only complete in pairs."""
        assert self.user_data is not None, "draft needs an update with a user"
        return self.user_data

    def now(self) -> datetime:
        return self.services.clock()
