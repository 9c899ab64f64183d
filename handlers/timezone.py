"""The time-zone question, shared by /start and /settings: city, offset or location → zone."""

from __future__ import annotations

import asyncio

from telegram import KeyboardButton, ReplyKeyboardMarkup, Update
from telegram.constants import ChatAction

from bot import locale_format, texts
from bot.context import Context
from bot.timezones import (
    MAX_QUERY_LENGTH,
    PLACES,
    ZoneMatch,
    find_zone,
    local_now,
    zone_for_location,
)
from handlers.common import escape, inline_keyboard, reply
from scheduler.planning import reschedule_checkins
from storage.repositories.users import UserRepository

CONFIRM_YES = "tz:yes"
CONFIRM_NO = "tz:no"
CONFIRM_PATTERN = r"^tz:(yes|no)$"


def location_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.SHARE_LOCATION_BUTTON, request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=texts.TIMEZONE_PLACEHOLDER,
    )


async def ask_timezone(update: Update, context: Context, *, intro: str = "") -> None:
    """Ask where the user is, with a button to share their location."""
    text = f"{intro}\n\n{texts.ASK_TIMEZONE}" if intro else texts.ASK_TIMEZONE
    await reply(update, text, location_keyboard())


def describe_zone(zone_id: str, context: Context) -> dict[str, str]:
    """Placeholders that show a zone and the local time in it now."""
    now = local_now(zone_id, context.now())
    return {
        "local_time": now.strftime("%H:%M"),
        "weekday": locale_format.weekday_name(now.weekday()),
    }


async def _lookup(update: Update, context: Context, query: str) -> ZoneMatch | None:
    if not PLACES.ready:
        # The first lookup loads the city list (about a second): show we are on it.
        chat = update.effective_chat
        if chat is not None:
            await chat.send_action(ChatAction.TYPING)
    return await asyncio.to_thread(find_zone, query)


async def understand_timezone(update: Update, context: Context) -> bool:
    """Read a city, offset or location; save the zone and ask to confirm. False: asked again."""
    message = update.effective_message
    assert message is not None
    match: ZoneMatch | None
    if message.location is not None:
        zone = zone_for_location(message.location.latitude, message.location.longitude)
        if zone is None:
            await reply(update, texts.TIMEZONE_LOCATION_UNKNOWN, location_keyboard())
            return False
        match = ZoneMatch(zone_id=zone, place=zone)
    else:
        query = (message.text or "").strip()
        if len(query) > MAX_QUERY_LENGTH:
            await reply(update, texts.TIMEZONE_TOO_LONG, location_keyboard())
            return False
        match = await _lookup(update, context, query)
        if match is None:
            await reply(
                update, texts.TIMEZONE_NOT_FOUND.format(query=escape(query)), location_keyboard()
            )
            return False
    user = update.effective_user
    assert user is not None
    async with context.sessions.begin() as session:
        await UserRepository(session).set_timezone(user_id=user.id, timezone=match.zone_id)
        await reschedule_checkins(
            session,
            user_id=user.id,
            now=context.now(),
            default_zone=context.settings.default_timezone,
        )
    place = match.place if match.place == match.zone_id else f"{match.place} ({match.zone_id})"
    await reply(
        update,
        texts.TIMEZONE_CONFIRM.format(place=escape(place), **describe_zone(match.zone_id, context)),
        inline_keyboard([[(texts.YES, CONFIRM_YES), (texts.NO_RETRY, CONFIRM_NO)]]),
    )
    return True
