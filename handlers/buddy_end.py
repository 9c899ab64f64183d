"""Ending a buddy link: from either side (asked once more), or because Telegram says one
side blocked the bot. The other side is always told, kindly."""

from __future__ import annotations

from collections.abc import Callable

from telegram import ChatMember, Update
from telegram.constants import ChatType

from bot.context import Context
from bot.texts import buddy as t
from handlers.buddy_links import (
    END_NO,
    END_YES,
    Refused,
    Side,
    load_pressed,
    name_of,
    presser_id,
    refuse,
    tell,
    user_row,
)
from handlers.common import answer_button, inline_keyboard, reply
from scheduler.buddy_prompts import replan_buddy
from storage.models import BuddyEnd, BuddyState
from storage.repositories.buddies import BuddyRepository
from storage.repositories.users import UserRepository

# --- ending it, from either side -------------------------------------------------------------

_ENDABLE = (BuddyState.ACCEPTED, BuddyState.ACTIVE)


async def end_button(update: Update, context: Context) -> None:
    """ "End": ask once more, so a stray tap ends nothing."""
    try:
        async with context.sessions() as session:
            link = await load_pressed(session, update, Side.EITHER, _ENDABLE)
            other_id = link.buddy_id if link.user_id == presser_id(update) else link.user_id
            other = await user_row(session, other_id)
    except Refused as refused:
        await refuse(update, refused)
        return
    await answer_button(update)
    buttons = [
        [(t.END_YES_BUTTON, f"{END_YES}:{link.id}"), (t.END_NO_BUTTON, f"{END_NO}:{link.id}")]
    ]
    await reply(update, t.END_CONFIRM.format(name=name_of(other)), inline_keyboard(buttons))


async def end_yes_button(update: Update, context: Context) -> None:
    """ "Yes, end it": the link ends and the other side is told, kindly."""
    presser = presser_id(update)
    now = context.now()
    try:
        async with context.sessions.begin() as session:
            link = await load_pressed(session, update, Side.EITHER, _ENDABLE)
            by_user = link.user_id == presser
            reason = BuddyEnd.BY_USER if by_user else BuddyEnd.BY_BUDDY
            if not await BuddyRepository(session).end(
                link.id, reason=reason, now=now, from_states=_ENDABLE
            ):
                raise Refused(t.STALE)
            owner, buddy = (
                await user_row(session, link.user_id),
                await user_row(session, link.buddy_id),
            )
            await replan_buddy(session, buddy.id)
    except Refused as refused:
        await refuse(update, refused)
        return
    await answer_button(update)
    if by_user:
        await reply(update, t.ENDED_OWNER.format(name=name_of(buddy)))
        await tell(context, buddy.id, lambda: t.ENDED_BY_OWNER.format(name=name_of(owner)))
    else:
        await reply(update, t.ENDED_BUDDY.format(name=name_of(owner)))
        await tell(context, owner.id, lambda: t.ENDED_BY_BUDDY.format(name=name_of(buddy)))


async def end_no_button(update: Update, context: Context) -> None:
    """ "Keep it": nothing changes."""
    try:
        async with context.sessions() as session:
            await load_pressed(session, update, Side.EITHER, _ENDABLE)
    except Refused as refused:
        await refuse(update, refused)
        return
    await answer_button(update)
    await reply(update, t.END_KEPT)


# --- someone blocked the bot -----------------------------------------------------------------


async def bot_blocked(update: Update, context: Context) -> None:
    """Telegram says a user blocked the bot: their buddy links end, and the people on the
    other side are told. (They are marked inactive, as a refused message would.)"""
    member = update.my_chat_member
    if (
        member is None
        or member.chat.type != ChatType.PRIVATE
        or member.new_chat_member.status != ChatMember.BANNED
    ):
        return
    person = member.from_user.id
    async with context.sessions.begin() as session:
        ended = await BuddyRepository(session).end_all_of(
            person, reason=BuddyEnd.UNREACHABLE, now=context.now()
        )
        await UserRepository(session).mark_inactive(user_id=person)
        await replan_buddy(session, person)  # no more updates for them either
        gone = await user_row(session, person)
        notices: list[tuple[int, Callable[[], str]]] = []
        for link in ended:
            if link.buddy_id is None:
                continue  # an invite nobody opened: nobody to tell
            if link.buddy_id == person:
                notices.append(
                    (link.user_id, lambda: t.BUDDY_UNREACHABLE.format(name=name_of(gone)))
                )
            else:
                notices.append(
                    (link.buddy_id, lambda: t.OWNER_UNREACHABLE.format(name=name_of(gone)))
                )
                await replan_buddy(session, link.buddy_id)
    context.services.known_users.discard(person)
    for other_id, compose in notices:
        await tell(context, other_id, compose)
