"""/settings: time zone, language, weekly check-in day and time, pause and resume reminders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import BotCommandScopeChat, InlineKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import locale_format, texts
from bot.clock_parsing import parse_clock_time, parse_future_date
from bot.context import Context
from bot.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    SUPPORTED_LANGUAGES,
    resolve_language,
    set_language,
)
from bot.timezones import local_now, resolve_zone
from handlers.common import (
    answer_button,
    current_user,
    edit_or_reply,
    end_flow,
    enter_flow,
    escape,
    flow_fallbacks,
    inline_keyboard,
    long_date,
    pick_a_button,
    reply,
)
from handlers.help import bot_commands
from handlers.timezone import CONFIRM_PATTERN, CONFIRM_YES, ask_timezone, describe_zone
from handlers.timezone import understand_timezone as _understand_timezone
from scheduler.planning import reschedule_checkins
from storage.models import User
from storage.repositories.users import UserRepository

MENU, ASK_TIMEZONE, CONFIRM_TIMEZONE, CHECKIN_DAY, CHECKIN_TIME, PAUSE, LANGUAGE = range(7)

MENU_TIMEZONE = "set:tz"
MENU_CHECKIN = "set:checkin"
MENU_PAUSE = "set:pause"
MENU_RESUME = "set:resume"
MENU_LANGUAGE = "set:lang"
MENU_DONE = "set:done"
BACK = "set:back"
SUGGESTED_TIMES = ("07:00", "08:00", "09:00", "12:00", "18:00", "20:00")


def _pause_choices() -> tuple[tuple[str, int], ...]:
    """(label, days): read when shown, so the labels are in the user's language."""
    return (
        (texts.PAUSE_ONE_WEEK, 7),
        (texts.PAUSE_TWO_WEEKS, 14),
        (texts.PAUSE_ONE_MONTH, 30),
        (texts.PAUSE_INDEFINITELY, 0),
    )


async def _reschedule(session: AsyncSession, context: Context, user_id: int) -> None:
    await reschedule_checkins(
        session, user_id=user_id, now=context.now(), default_zone=context.settings.default_timezone
    )


def _reminders(user: User) -> str:
    if not user.paused:
        return texts.REMINDERS_ON
    if user.paused_until is None:
        return texts.REMINDERS_PAUSED
    zone = resolve_zone(user.timezone or "UTC")
    return texts.REMINDERS_PAUSED_UNTIL.format(
        date=long_date(user.paused_until.astimezone(zone).date())
    )


def _menu(user: User, context: Context) -> tuple[str, InlineKeyboardMarkup]:
    if user.timezone:
        place = escape(user.timezone)
        local_time = describe_zone(user.timezone, context)["local_time"]
    else:
        place, local_time = texts.TIMEZONE_NOT_SET, "—"
    text = texts.SETTINGS_MENU.format(
        place=place,
        local_time=local_time,
        weekday=locale_format.weekday_name(user.checkin_weekday),
        time=user.checkin_time.strftime("%H:%M"),
        reminders=_reminders(user),
        language=LANGUAGE_NAMES[resolve_language(user.language) or DEFAULT_LANGUAGE],
    )
    pause_button = (
        (texts.SETTINGS_RESUME_BUTTON, MENU_RESUME)
        if user.paused
        else (texts.SETTINGS_PAUSE_BUTTON, MENU_PAUSE)
    )
    keyboard = inline_keyboard(
        [
            [(texts.SETTINGS_TIMEZONE_BUTTON, MENU_TIMEZONE)],
            [(texts.SETTINGS_CHECKIN_BUTTON, MENU_CHECKIN)],
            [(texts.SETTINGS_LANGUAGE_BUTTON, MENU_LANGUAGE)],
            [pause_button],
            [(texts.DONE, MENU_DONE)],
        ]
    )
    return text, keyboard


async def _show_menu(update: Update, context: Context, *, toast: str | None = None) -> int:
    user = await current_user(update, context)
    text, keyboard = _menu(user, context)
    await edit_or_reply(update, text, keyboard, toast=toast)
    return MENU


async def open_settings(update: Update, context: Context) -> int:
    """Show the current settings with a button for each thing that can change."""
    enter_flow(context, "settings")
    return await _show_menu(update, context)


async def menu_choice(update: Update, context: Context) -> int:
    """Open the editor the user picked, resume reminders, or close the menu."""
    query = update.callback_query
    assert query is not None
    choice = query.data
    if choice == MENU_TIMEZONE:
        await answer_button(update)
        await ask_timezone(update, context)
        return ASK_TIMEZONE
    if choice == MENU_CHECKIN:
        days = [(locale_format.weekday_button(day), f"day:{day}") for day in range(7)]
        await edit_or_reply(
            update,
            texts.ASK_CHECKIN_DAY,
            inline_keyboard([days[:4], days[4:], [(texts.BACK, BACK)]]),
        )
        return CHECKIN_DAY
    if choice == MENU_PAUSE:
        choices = [(label, f"pause:{days}") for label, days in _pause_choices()]
        await edit_or_reply(
            update,
            texts.ASK_PAUSE,
            inline_keyboard([choices[:2], choices[2:], [(texts.BACK, BACK)]]),
        )
        return PAUSE
    if choice == MENU_LANGUAGE:
        languages = [(LANGUAGE_NAMES[code], f"lang:{code}") for code in SUPPORTED_LANGUAGES]
        await edit_or_reply(
            update, texts.ASK_LANGUAGE, inline_keyboard([languages, [(texts.BACK, BACK)]])
        )
        return LANGUAGE
    if choice == MENU_RESUME:
        user = await current_user(update, context)
        async with context.sessions.begin() as session:
            await UserRepository(session).resume(user_id=user.id)
            await _reschedule(session, context, user.id)
        return await _show_menu(update, context, toast=texts.RESUMED)
    # Done: the menu message becomes a plain summary.
    user = await current_user(update, context)
    text, _keyboard = _menu(user, context)
    summary = text.rsplit("\n\n", 1)[0]
    await edit_or_reply(update, f"{summary}\n\n{texts.SETTINGS_CLOSED}", None)
    return end_flow(context)


async def back_to_menu(update: Update, context: Context) -> int:
    """Return from an editor to the settings menu without changing anything."""
    return await _show_menu(update, context)


async def receive_timezone(update: Update, context: Context) -> int:
    """Store the zone from a city, offset or location and ask the user to confirm it."""
    understood = await _understand_timezone(update, context)
    return CONFIRM_TIMEZONE if understood else ASK_TIMEZONE


async def confirm_timezone(update: Update, context: Context) -> int:
    """Back to the menu on "yes"; ask again on "no"."""
    choice = await answer_button(update)
    if choice != CONFIRM_YES:
        await ask_timezone(update, context)
        return ASK_TIMEZONE
    await reply(update, texts.TIMEZONE_SAVED, ReplyKeyboardRemove())
    user = await current_user(update, context)
    text, keyboard = _menu(user, context)
    await reply(update, text, keyboard)
    return MENU


async def choose_day(update: Update, context: Context) -> int:
    """Remember the chosen check-in day (until the time is picked) and ask for the time."""
    query = update.callback_query
    assert query is not None and query.data is not None
    weekday = int(query.data.removeprefix("day:"))
    context.draft["checkin_day"] = weekday
    times = [(value, f"time:{value}") for value in SUGGESTED_TIMES]
    await edit_or_reply(
        update,
        texts.ASK_CHECKIN_TIME.format(weekday=locale_format.weekday_name(weekday)),
        inline_keyboard([times[:3], times[3:], [(texts.BACK, BACK)]]),
    )
    return CHECKIN_TIME


async def _save_checkin(update: Update, context: Context, at: time) -> int:
    weekday = int(context.draft.pop("checkin_day", 0))
    user = await current_user(update, context)
    async with context.sessions.begin() as session:
        await UserRepository(session).set_checkin_schedule(user_id=user.id, weekday=weekday, at=at)
        await _reschedule(session, context, user.id)
    user.checkin_weekday, user.checkin_time = weekday, at
    saved = texts.CHECKIN_SAVED.format(
        weekday=locale_format.weekday_name(weekday), time=at.strftime("%H:%M")
    )
    text, keyboard = _menu(user, context)
    await edit_or_reply(update, f"{saved}\n\n{text}", keyboard)
    return MENU


async def choose_time_button(update: Update, context: Context) -> int:
    """Save the check-in day and the tapped time, then show the menu."""
    query = update.callback_query
    assert query is not None and query.data is not None
    hours, minutes = query.data.removeprefix("time:").split(":")
    return await _save_checkin(update, context, time(int(hours), int(minutes)))


async def choose_time_text(update: Update, context: Context) -> int:
    """Save the check-in day and a typed time such as "7:30" or "6pm"."""
    message = update.effective_message
    assert message is not None and message.text is not None
    at = parse_clock_time(message.text[:20])
    if at is None:
        await reply(update, texts.CHECKIN_TIME_INVALID.format(text=escape(message.text[:40])))
        return CHECKIN_TIME
    return await _save_checkin(update, context, at)


async def _pause(update: Update, context: Context, user: User, until: date | None) -> int:
    zone = resolve_zone(user.timezone or context.settings.default_timezone)
    until_utc = datetime.combine(until, time(0, 0), tzinfo=zone) if until is not None else None
    async with context.sessions.begin() as session:
        await UserRepository(session).pause(user_id=user.id, until=until_utc)
        await _reschedule(session, context, user.id)
    user.paused, user.paused_until = True, until_utc
    note = (
        texts.PAUSED_UNTIL.format(date=long_date(until))
        if until is not None
        else texts.PAUSED_INDEFINITELY
    )
    text, keyboard = _menu(user, context)
    await edit_or_reply(update, f"{note}\n\n{text}", keyboard)
    return MENU


async def choose_language(update: Update, context: Context) -> int:
    """Speak the chosen language from now on, whatever Telegram's language says later."""
    query = update.callback_query
    assert query is not None and query.data is not None
    language = resolve_language(query.data.removeprefix("lang:")) or DEFAULT_LANGUAGE
    user = await current_user(update, context)
    async with context.sessions.begin() as session:
        await UserRepository(session).choose_language(user_id=user.id, language=language)
    context.services.languages[user.id] = (language, True)
    user.language = language
    set_language(language)  # the rest of this update already speaks it
    chat = update.effective_chat
    if chat is not None:
        # Telegram shows the command menu in the app's language; this chat gets the choice.
        await context.bot.set_my_commands(bot_commands(), scope=BotCommandScopeChat(chat.id))
    text, keyboard = _menu(user, context)
    await edit_or_reply(update, f"{texts.LANGUAGE_SAVED}\n\n{text}", keyboard)
    return MENU


async def choose_pause_button(update: Update, context: Context) -> int:
    """Pause reminders for the tapped period (0 days: until the user resumes)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    days = int(query.data.removeprefix("pause:"))
    user = await current_user(update, context)
    if days == 0:
        return await _pause(update, context, user, None)
    today = local_now(user.timezone or context.settings.default_timezone, context.now()).date()
    return await _pause(update, context, user, today + timedelta(days=days))


async def choose_pause_date(update: Update, context: Context) -> int:
    """Pause reminders until a typed date in the future."""
    message = update.effective_message
    assert message is not None and message.text is not None
    user = await current_user(update, context)
    now = local_now(user.timezone or context.settings.default_timezone, context.now())
    until = parse_future_date(message.text, local_now=now)
    if until is None:
        await reply(update, texts.PAUSE_DATE_INVALID.format(text=escape(message.text[:60])))
        return PAUSE
    return await _pause(update, context, user, until)


def build_settings_conversation() -> ConversationHandler[Context]:
    text = filters.TEXT & ~filters.COMMAND
    back: BaseHandler[Update, Context, object] = CallbackQueryHandler(
        back_to_menu, pattern=rf"^{BACK}$"
    )
    button_only: BaseHandler[Update, Context, object] = MessageHandler(
        filters.ALL & ~filters.COMMAND, pick_a_button
    )
    return ConversationHandler(
        entry_points=[CommandHandler("settings", open_settings)],
        states={
            MENU: [
                CallbackQueryHandler(
                    menu_choice, pattern=r"^set:(tz|checkin|lang|pause|resume|done)$"
                ),
                button_only,
            ],
            ASK_TIMEZONE: [MessageHandler(text | filters.LOCATION, receive_timezone)],
            CONFIRM_TIMEZONE: [
                CallbackQueryHandler(confirm_timezone, pattern=CONFIRM_PATTERN),
                MessageHandler(text | filters.LOCATION, receive_timezone),
            ],
            CHECKIN_DAY: [
                CallbackQueryHandler(choose_day, pattern=r"^day:[0-6]$"),
                back,
                button_only,
            ],
            CHECKIN_TIME: [
                CallbackQueryHandler(choose_time_button, pattern=r"^time:\d{2}:\d{2}$"),
                back,
                MessageHandler(text, choose_time_text),
            ],
            PAUSE: [
                CallbackQueryHandler(choose_pause_button, pattern=r"^pause:\d{1,3}$"),
                back,
                MessageHandler(text, choose_pause_date),
            ],
            LANGUAGE: [
                CallbackQueryHandler(
                    choose_language, pattern=rf"^lang:({'|'.join(SUPPORTED_LANGUAGES)})$"
                ),
                back,
                button_only,
            ],
        },
        fallbacks=flow_fallbacks("settings"),
        name="settings",
        persistent=True,
        allow_reentry=True,
    )
