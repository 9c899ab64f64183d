"""The composition root: builds the Application and registers every handler, in one place."""

from __future__ import annotations

import logging
import threading
import warnings
from datetime import UTC, datetime, timedelta

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.aiohttp_request import AiohttpRequest
from bot.application_parser import parse_application
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.context import CoachApplication, Context
from bot.deadline import parse_deadline
from bot.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, use_language
from bot.journaling_request import JournalingUpdatesRequest
from bot.occupations import CATALOG
from bot.rate_limiter import CoachRateLimiter
from bot.services import Services
from bot.timezones import PLACES
from bot.update_journal import JournaledUpdateQueue
from handlers.applications import build_application_capture
from handlers.applied import build_applied_conversation
from handlers.apps import build_apps_conversation
from handlers.buddy import buddy_handlers, build_buddy_conversation
from handlers.checkin import build_checkin_conversation, checkin_button_handlers
from handlers.checkin_roadmap import checkin_roadmap_handlers
from handlers.errors import handle_error
from handlers.followups import followup_button_handlers
from handlers.gaps import build_gaps_conversation
from handlers.guards import (
    answer_edit,
    drop_double_tap,
    enforce_allow_list,
    refuse_overlong,
    register_user,
)
from handlers.help import bot_commands, fallback_handlers
from handlers.next_step import next_step_handlers
from handlers.pitch import build_pitch_conversation
from handlers.plan import build_plan_conversation
from handlers.privacy import privacy_handlers
from handlers.progress import progress_handlers
from handlers.reflection import build_reflection_conversation, reflection_button_handlers
from handlers.retrospective import (
    build_retrospective_conversation,
    retrospective_button_handlers,
)
from handlers.roadmap import roadmap_handlers
from handlers.settings import build_settings_conversation
from handlers.start import build_start_conversation
from handlers.target import build_target_conversation
from handlers.team import build_team_conversation, team_button_handlers
from handlers.why import build_why_conversation
from scheduler.dispatcher import DispatchSettings, PromptDispatcher
from scheduler.prompt_kinds import prompt_kinds
from storage.db import create_engine, create_session_factory
from storage.persistence import DatabasePersistence

logger = logging.getLogger(__name__)

# Flows mix CallbackQueryHandlers into per-user conversations on purpose; PTB warns about it.
warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")

# Handler groups run in order; a group that raises ApplicationHandlerStop ends the update.
GROUP_ALLOW_LIST = -4  # strangers are refused before anything touches the database
# The second tap of a double tap changes nothing, not even the users table; nor does an
# edited message (answered with a word about edits).
GROUP_DOUBLE_TAP = -3
GROUP_REGISTER = -2  # then every known user exists in the users table
GROUP_INPUT_LIMITS = -1  # then over-long input is answered without reaching a flow
# Within one group only the first matching handler runs: conversations come first, so a
# flow's own answers win over the catch-all answers (help, unknown text, old buttons).
GROUP_HANDLERS = 0


def build_application(
    settings: Settings, *, token: str, clock: Clock = system_clock
) -> CoachApplication:
    """Wire settings, storage, persistence and handlers into a ready-to-run Application."""
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    known_users: set[int] = set()
    dispatcher = PromptDispatcher(
        sessions=sessions,
        on_blocked=known_users.discard,
        clock=clock,
        kinds=prompt_kinds(settings.default_timezone),
        default_zone=settings.default_timezone,
        settings=DispatchSettings(
            max_lateness=timedelta(hours=settings.prompt_max_lateness_hours),
            # Small batches (two seconds of sending) keep each pause of the event loop
            # short, so pacing stays even; a batch goes out well within its lease.
            batch_size=max(10, int(settings.send_rate_per_second * 2)),
            allowed_user_ids=settings.allowed_user_ids,
        ),
    )
    services = Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=clock,
        dispatcher=dispatcher,
        known_users=known_users,
    )
    update_queue = JournaledUpdateQueue(sessions, clock)

    builder = (
        ApplicationBuilder()
        .application_class(CoachApplication, kwargs={"services": services})
        .token(token)
        .context_types(ContextTypes(context=Context))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=UTC,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(CoachRateLimiter(overall_per_second=settings.send_rate_per_second))
        # aiohttp instead of PTB's HTTPX stack: several times less CPU per Bot API call.
        .request(
            AiohttpRequest(
                connection_pool_size=256,
                read_timeout=settings.telegram_timeout_seconds,
                connect_timeout=settings.telegram_timeout_seconds,
            )
        )
        .get_updates_request(
            JournalingUpdatesRequest(
                AiohttpRequest(connection_pool_size=1, read_timeout=10.0), update_queue
            )
        )
        .persistence(DatabasePersistence(sessions))
        .update_queue(update_queue)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    if settings.telegram_api_file_url:
        builder = builder.base_file_url(settings.telegram_api_file_url)
    application = builder.build()
    assert isinstance(application, CoachApplication)
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, enforce_allow_list), group=GROUP_ALLOW_LIST)
    application.add_handler(CallbackQueryHandler(drop_double_tap), group=GROUP_DOUBLE_TAP)
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, answer_edit), group=GROUP_DOUBLE_TAP
    )
    application.add_handler(TypeHandler(Update, register_user), group=GROUP_REGISTER)
    application.add_handler(TypeHandler(Update, refuse_overlong), group=GROUP_INPUT_LIMITS)
    flows = [
        # First: the encouragement a buddy starts with a button, possibly in the middle of
        # another flow, must get the line typed next (then that flow goes on).
        build_buddy_conversation(),
        build_start_conversation(),
        build_settings_conversation(),
        build_checkin_conversation(),
        build_why_conversation(),
        build_target_conversation(),
        build_gaps_conversation(),
        build_team_conversation(),
        build_pitch_conversation(),
        build_plan_conversation(),
        build_applied_conversation(),
        build_apps_conversation(),
        build_reflection_conversation(),
        build_retrospective_conversation(),
    ]
    application.add_handlers(
        [
            *flows,
            *checkin_button_handlers(),
            *followup_button_handlers(),
            *reflection_button_handlers(),
            *checkin_roadmap_handlers(),
            *team_button_handlers(),
            *next_step_handlers(),
            *roadmap_handlers(),
            *progress_handlers(),
            *retrospective_button_handlers(),
            *buddy_handlers(),
            *privacy_handlers(),
            build_application_capture(),
            *fallback_handlers(),
        ],
        group=GROUP_HANDLERS,
    )
    application.add_error_handler(handle_error)


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    # The command menu in each language; Telegram picks it by the app's language.
    for language in SUPPORTED_LANGUAGES:
        with use_language(language):
            await application.bot.set_my_commands(
                bot_commands(), language_code=None if language == DEFAULT_LANGUAGE else language
            )
    # Load the city list and the occupation data in the background so the first /start
    # and /target answer quickly.
    threading.Thread(target=PLACES.build, name="warm-place-index", daemon=True).start()
    threading.Thread(target=CATALOG.load, name="warm-occupations", daemon=True).start()
    threading.Thread(target=_warm_date_parsing, name="warm-dateparser", daemon=True).start()
    assert isinstance(application, CoachApplication)
    # Before polling starts: what a crash left unhandled goes first, in its order.
    await application.journal.replay_unprocessed(application.bot)
    await application.services.dispatcher.recover()
    # The one repeating job: every user's prompts are rows, not scheduler jobs.
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        _dispatch_tick,
        interval=application.services.settings.dispatch_interval_seconds,
        first=1,
        name="dispatch-prompts",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    application.job_queue.run_repeating(
        _prune_update_journal, interval=timedelta(hours=1), first=60, name="prune-update-journal"
    )


async def _prune_update_journal(context: Context) -> None:
    assert isinstance(context.application, CoachApplication)
    await context.application.journal.prune()


def _warm_date_parsing() -> None:
    """dateparser loads its language data on first use (~0.1 s): not on a user's message."""
    now = datetime.now(UTC)
    parse_application("applied to Acme yesterday", now=now)
    parse_deadline("in 6 months", today=now.date())


async def _dispatch_tick(context: Context) -> None:
    context.services.dispatcher.tick(context.bot)


async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    assert isinstance(application, CoachApplication)
    await application.services.dispatcher.stop()
    await application.services.engine.dispose()
