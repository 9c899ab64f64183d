"""/start: a warm welcome, then the user's time zone (city, offset or shared location)."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import locale_format, texts
from bot.buddy import is_buddy_parameter
from bot.context import Context
from handlers.buddy import open_invite
from handlers.common import (
    answer_button,
    end_flow,
    ensure_user,
    enter_flow,
    escape,
    flow_fallbacks,
    inline_keyboard,
    pick_a_button,
    reply,
)
from handlers.timezone import (
    CONFIRM_PATTERN,
    CONFIRM_YES,
    ask_timezone,
    describe_zone,
    understand_timezone,
)
from storage.repositories.users import UserRepository

ASK_TIMEZONE, CONFIRM_TIMEZONE, RETURNING = range(3)

KEEP_TIMEZONE = "start:keep"
CHANGE_TIMEZONE = "start:change"


async def start(update: Update, context: Context) -> int:
    """Greet the user; ask for their time zone, or offer to keep the saved one."""
    if context.args and is_buddy_parameter(context.args[0]):
        # A buddy invite link (t.me/<bot>?start=<token>): the invitation, not the welcome.
        return await open_invite(update, context, context.args[0])
    enter_flow(context, "start")
    tg_user = update.effective_user
    assert tg_user is not None
    async with context.sessions.begin() as session:
        user = await ensure_user(session, tg_user)
        timezone = user.timezone
    name = escape(tg_user.first_name)
    if timezone is None:
        await ask_timezone(update, context, intro=texts.WELCOME.format(name=name))
        return ASK_TIMEZONE
    await reply(
        update,
        texts.WELCOME_BACK.format(
            name=name, place=escape(timezone), **describe_zone(timezone, context)
        ),
        inline_keyboard([[(texts.KEEP, KEEP_TIMEZONE), (texts.CHANGE_TIMEZONE, CHANGE_TIMEZONE)]]),
    )
    return RETURNING


async def receive_timezone(update: Update, context: Context) -> int:
    """Store the zone from a city, offset or location and ask the user to confirm it."""
    understood = await understand_timezone(update, context)
    return CONFIRM_TIMEZONE if understood else ASK_TIMEZONE


async def confirm_timezone(update: Update, context: Context) -> int:
    """Finish on "yes"; ask again on "no"."""
    choice = await answer_button(update)
    if choice != CONFIRM_YES:
        await ask_timezone(update, context)
        return ASK_TIMEZONE
    tg_user = update.effective_user
    assert tg_user is not None
    async with context.sessions() as session:
        user = await UserRepository(session).get(tg_user.id)
    assert user is not None
    await reply(
        update,
        texts.TIMEZONE_SAVED_START.format(
            weekday=locale_format.weekday_name(user.checkin_weekday),
            time=user.checkin_time.strftime("%H:%M"),
        ),
        ReplyKeyboardRemove(),
    )
    return end_flow(context)


async def returning_choice(update: Update, context: Context) -> int:
    """A returning user keeps their zone or changes it."""
    choice = await answer_button(update)
    if choice == CHANGE_TIMEZONE:
        await ask_timezone(update, context)
        return ASK_TIMEZONE
    return end_flow(context)


def build_start_conversation() -> ConversationHandler[Context]:
    place_or_location = (filters.TEXT & ~filters.COMMAND) | filters.LOCATION
    return ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states={
            ASK_TIMEZONE: [MessageHandler(place_or_location, receive_timezone)],
            CONFIRM_TIMEZONE: [
                CallbackQueryHandler(confirm_timezone, pattern=CONFIRM_PATTERN),
                # Typing another place instead of pressing "No" is an answer too.
                MessageHandler(place_or_location, receive_timezone),
            ],
            RETURNING: [
                CallbackQueryHandler(
                    returning_choice, pattern=rf"^({KEEP_TIMEZONE}|{CHANGE_TIMEZONE})$"
                ),
                MessageHandler(filters.ALL & ~filters.COMMAND, pick_a_button),
            ],
        },
        fallbacks=flow_fallbacks("start"),
        name="start",
        persistent=True,
        allow_reentry=True,
    )
