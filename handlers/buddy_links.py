"""What every buddy handler shares: button data, who may press what, and telling the
other side.

A button's link id is never trusted on its own: each press checks that the presser is
the right side of that link and that the link is still where the button left it. A
press that fails either check changes nothing and says why in a small notice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.error import Forbidden

from bot.buddy import SHARE_ORDER
from bot.context import Context
from bot.i18n import use_language
from bot.texts import buddy as t
from bot.timezones import local_now
from handlers.common import Button, escape, inline_keyboard, long_date
from scheduler.buddy_prompts import replan_buddy
from storage.models import BuddyEnd, BuddyLink, BuddyState, User
from storage.repositories.buddies import BuddyRepository, shared_fields
from storage.repositories.users import UserRepository

NAME_IN_BUTTON = 24

# Callback data: "bd:<action>:<link id>[:<share field>]", well under Telegram's 64 bytes.
ACCEPT, DECLINE = "bd:acc", "bd:dec"
TOGGLE, SHARE_START, SHARE_SAVE = "bd:tg", "bd:go", "bd:sv"
NOT_WITH, SHARE_SETTINGS = "bd:no", "bd:set"
END, END_YES, END_NO = "bd:end", "bd:endy", "bd:endn"
NEW_LINK, CANCEL_INVITE, OWN_INVITE = "bd:new", "bd:cx", "bd:own"
ID_PATTERN = r"\d{1,18}"


class Side(Enum):
    USER = "user"  # the person cheered on, who made the invite
    BUDDY = "buddy"
    EITHER = "either"


class Refused(Exception):
    """A press that cannot act; the message is the notice. Raised inside the transaction,
    so nothing is written."""


def pressed_link_id(update: Update) -> int:
    """The link id in the pressed button's data (not yet trusted: see load_link)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    return int(query.data.split(":")[2])


def presser_id(update: Update) -> int:
    """Who sent this update."""
    user = update.effective_user
    assert user is not None
    return user.id


def on_side(link: BuddyLink, person_id: int, side: Side) -> bool:
    """Whether the person is that side of the link."""
    is_user, is_buddy = link.user_id == person_id, link.buddy_id == person_id
    return {Side.USER: is_user, Side.BUDDY: is_buddy, Side.EITHER: is_user or is_buddy}[side]


async def load_link(
    session: AsyncSession, link_id: int, person_id: int, side: Side, states: tuple[str, ...]
) -> BuddyLink:
    """The link, if the person is on that side of it and it is in one of `states`."""
    link = await BuddyRepository(session).get(link_id)
    if link is None:
        raise Refused(t.STALE)  # gone with an erased account, or never existed
    if not on_side(link, person_id, side):
        raise Refused(t.NOT_YOURS)
    if link.state not in states:
        raise Refused(t.STALE)
    return link


async def load_pressed(
    session: AsyncSession, update: Update, side: Side, states: tuple[str, ...]
) -> BuddyLink:
    """The link of the pressed button, if the presser is that side of it (see load_link)."""
    return await load_link(session, pressed_link_id(update), presser_id(update), side, states)


async def refuse(update: Update, refused: Refused) -> None:
    """Answer the press with the reason, as a small notice; the message stays as it was."""
    query = update.callback_query
    assert query is not None
    await query.answer(str(refused))


async def user_row(session: AsyncSession, user_id: int | None) -> User:
    """One end of a link, as stored."""
    user = await session.get(User, user_id) if user_id is not None else None
    assert user is not None, "both ends of a link are users (the foreign keys say so)"
    return user


def name_of(user: User) -> str:
    """A first name, safe inside an HTML message."""
    return escape(user.first_name)


async def tell(
    context: Context,
    user_id: int,
    compose: Callable[[], str],
    markup: Callable[[], InlineKeyboardMarkup] | None = None,
) -> bool:
    """Message the other side, worded in *their* language; False when they blocked the bot
    (then they are inactive, as the error handler would mark them)."""
    async with context.sessions() as session:
        recipient = await session.get(User, user_id)
    with use_language(recipient.language if recipient is not None else None):
        text, keyboard = compose(), markup() if markup is not None else None
    try:
        await context.bot.send_message(chat_id=user_id, text=text, reply_markup=keyboard)
    except Forbidden:
        async with context.sessions.begin() as session:
            await UserRepository(session).mark_inactive(user_id=user_id)
        context.services.known_users.discard(user_id)
        return False
    return True


async def end_unreachable(context: Context, link_id: int) -> None:
    """End a link whose other side turned out to have blocked the bot."""
    async with context.sessions.begin() as session:
        link = await BuddyRepository(session).get(link_id)
        await BuddyRepository(session).end(link_id, reason=BuddyEnd.UNREACHABLE, now=context.now())
        if link is not None and link.buddy_id is not None:
            await replan_buddy(session, link.buddy_id)


def local_date(user: User, context: Context, moment: datetime) -> str:
    """A moment as a date in that person's zone ("Tuesday 24 November 2026")."""
    zone = user.timezone or context.settings.default_timezone
    return long_date(local_now(zone, moment).date())


def shared_phrase(link: BuddyLink) -> str:
    """ "your check-in streak, how many applications you sent"."""
    shared = shared_fields(link)
    return t.SHARE_JOIN.join(t.SHARE_PHRASES[field] for field in SHARE_ORDER if field in shared)


def share_keyboard(link: BuddyLink, buddy_name: str) -> InlineKeyboardMarkup:
    """A toggle per shareable fact, then "start sharing" (or "save") and, before the
    user has agreed, "not with them"."""
    shared = shared_fields(link)
    rows: list[list[Button]] = [
        [
            (
                (t.SHARE_ON if field in shared else t.SHARE_OFF).format(
                    label=t.SHARE_LABELS[field]
                ),
                f"{TOGGLE}:{link.id}:{field}",
            )
        ]
        for field in SHARE_ORDER
    ]
    if link.state == BuddyState.ACCEPTED:
        rows.append([(t.START_SHARING_BUTTON, f"{SHARE_START}:{link.id}")])
        name = buddy_name[:NAME_IN_BUTTON]
        rows.append([(t.NOT_WITH_BUTTON.format(name=name), f"{NOT_WITH}:{link.id}")])
    else:
        rows.append([(t.SAVE_SHARING_BUTTON, f"{SHARE_SAVE}:{link.id}")])
    return inline_keyboard(rows)


def offer_buttons(link: BuddyLink) -> list[list[Button]]:
    """ "Yes, I'm in" / "No, thanks" under an invitation."""
    return [[(t.ACCEPT_BUTTON, f"{ACCEPT}:{link.id}"), (t.DECLINE_BUTTON, f"{DECLINE}:{link.id}")]]
