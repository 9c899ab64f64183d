"""/buddy: an accountability buddy — the invite link, what /buddy shows, and opening a
link with /start <token>. The agreements, ending and encouragement have modules of their
own (handlers/buddy_*.py); the wiring of all of them is here, at the end."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    filters,
)

from bot import buddy as rules
from bot.buddy import InviteProblem, ShareField
from bot.context import Context
from bot.texts import buddy as t
from handlers.buddy_agree import (
    accept_button,
    decline_button,
    not_with_button,
    save_sharing_button,
    share_settings_button,
    start_sharing_button,
    toggle_button,
)
from handlers.buddy_encourage import build_buddy_conversation
from handlers.buddy_end import bot_blocked, end_button, end_no_button, end_yes_button
from handlers.buddy_links import (
    ACCEPT,
    CANCEL_INVITE,
    DECLINE,
    END,
    END_NO,
    END_YES,
    ID_PATTERN,
    NEW_LINK,
    NOT_WITH,
    OWN_INVITE,
    SHARE_SAVE,
    SHARE_SETTINGS,
    SHARE_START,
    TOGGLE,
    Refused,
    Side,
    load_pressed,
    local_date,
    name_of,
    offer_buttons,
    refuse,
    share_keyboard,
    shared_phrase,
    tell,
    user_row,
)
from handlers.common import answer_button, current_user, end_flow, escape, inline_keyboard, reply
from scheduler.buddy_prompts import ENCOURAGE, replan_buddy
from storage.models import BuddyEnd, BuddyLink, BuddyState, User
from storage.repositories.buddies import BuddyRepository

__all__ = ["buddy_handlers", "build_buddy_conversation", "open_invite"]


def problem_text(problem: InviteProblem) -> str:
    """What the opener of an unusable link is told (read now: texts are translated on use)."""
    return {
        InviteProblem.UNKNOWN: t.TOKEN_UNKNOWN,
        InviteProblem.WITHDRAWN: t.TOKEN_UNKNOWN,
        InviteProblem.USED: t.TOKEN_USED,
        InviteProblem.EXPIRED: t.TOKEN_EXPIRED,
        InviteProblem.OWN: t.TOKEN_OWN,
    }[problem]


# --- /buddy: where things stand ------------------------------------------------------------


async def _new_invite(
    session: AsyncSession, user_id: int, context: Context
) -> tuple[str, BuddyLink] | None:
    """A fresh invite; None if a live link appeared meanwhile (a double /buddy)."""
    token = rules.new_token()
    now = context.now()
    link = await BuddyRepository(session).create_invite(
        user_id=user_id,
        token_hash=rules.token_fingerprint(token),
        expires_at=now + rules.INVITE_LIFETIME,
        now=now,
    )
    return None if link is None else (token, link)


async def _send_invite(update: Update, context: Context, token: str, link: BuddyLink) -> None:
    bot_username = context.bot.username
    await reply(
        update,
        t.NEW_INVITE.format(url=rules.invite_url(bot_username, token)),
        inline_keyboard([[(t.CANCEL_INVITE_BUTTON, f"{CANCEL_INVITE}:{link.id}")]]),
    )


async def _show_own(
    update: Update, context: Context, link: BuddyLink, me: User, buddy: User | None
) -> None:
    """The user's own link, with what they can do next."""
    if link.state == BuddyState.INVITED:
        buttons = [
            [(t.NEW_LINK_BUTTON, f"{NEW_LINK}:{link.id}")],
            [(t.CANCEL_INVITE_BUTTON, f"{CANCEL_INVITE}:{link.id}")],
        ]
        date = local_date(me, context, link.expires_at)
        await reply(update, t.INVITE_PENDING.format(date=date), inline_keyboard(buttons))
        return
    assert buddy is not None
    name = name_of(buddy)
    if link.state == BuddyState.OFFERED:
        button = (t.WITHDRAW_BUTTON, f"{CANCEL_INVITE}:{link.id}")
        await reply(update, t.STATUS_OFFERED.format(name=name), inline_keyboard([[button]]))
    elif link.state == BuddyState.ACCEPTED:
        await reply(
            update, t.STATUS_CHOOSING.format(name=name), share_keyboard(link, buddy.first_name)
        )
    else:
        assert link.next_summary_at is not None
        text = t.STATUS_OWNER.format(
            name=name,
            fields=shared_phrase(link),
            date=local_date(me, context, link.next_summary_at),
        )
        buttons = [
            [(t.SHARE_SETTINGS_BUTTON, f"{SHARE_SETTINGS}:{link.id}")],
            [(t.END_BUTTON, f"{END}:{link.id}")],
        ]
        await reply(update, text, inline_keyboard(buttons))


async def _show_cheering(update: Update, link: BuddyLink, owner: User) -> None:
    """A link in which the user is the buddy."""
    name = name_of(owner)
    if link.state == BuddyState.OFFERED:
        text, rows = t.STATUS_BUDDY_DECIDING.format(name=name), offer_buttons(link)
    elif link.state == BuddyState.ACCEPTED:
        text, rows = (
            t.STATUS_BUDDY_WAITING.format(name=name),
            [[(t.END_BUTTON, f"{END}:{link.id}")]],
        )
    else:
        text = t.STATUS_BUDDY.format(name=name)
        rows = [
            [(t.ENCOURAGE_BUTTON, f"{ENCOURAGE}:{link.id}")],
            [(t.END_BUTTON, f"{END}:{link.id}")],
        ]
    await reply(update, text, inline_keyboard(rows))


@dataclasses.dataclass
class _Overview:
    """Where a user's buddy links stand, after tidying up links that can no longer work."""

    own: BuddyLink | None = None  # the user's own link, live
    buddy: User | None = None  # who that link is with, once opened
    cheering: list[tuple[BuddyLink, User]] = dataclasses.field(
        default_factory=list
    )  # (link, its user)
    notices: list[str] = dataclasses.field(default_factory=list)  # links that just ended, and why


async def _overview(session: AsyncSession, me: User, now: datetime) -> _Overview:
    """The user's links; an expired invite, or a link whose other side stopped the bot
    (the dispatcher marked them inactive), ends here."""
    buddies = BuddyRepository(session)
    seen = _Overview(own=await buddies.live_for_user(me.id))
    own = seen.own
    if own is not None and own.state == BuddyState.INVITED and own.expires_at <= now:
        await buddies.end(own.id, reason=BuddyEnd.EXPIRED, now=now, from_states=[own.state])
        seen.own = None
    elif own is not None and own.buddy_id is not None:
        seen.buddy = await user_row(session, own.buddy_id)
        if not seen.buddy.active:
            await buddies.end(own.id, reason=BuddyEnd.UNREACHABLE, now=now)
            await replan_buddy(session, seen.buddy.id)
            seen.notices.append(t.BUDDY_UNREACHABLE.format(name=name_of(seen.buddy)))
            seen.own = None
    for link in await buddies.live_as_buddy(me.id):
        owner = await user_row(session, link.user_id)
        if owner.active:
            seen.cheering.append((link, owner))
        else:
            await buddies.end(link.id, reason=BuddyEnd.UNREACHABLE, now=now)
            seen.notices.append(t.OWNER_UNREACHABLE.format(name=name_of(owner)))
    return seen


async def buddy_command(update: Update, context: Context) -> None:
    """/buddy: the user's own buddy link (a new invite when there is none yet) and the
    people they cheer on."""
    me = await current_user(update, context)
    invite: tuple[str, BuddyLink] | None = None
    async with context.sessions.begin() as session:
        seen = await _overview(session, me, context.now())
        if seen.own is None and not seen.cheering and not seen.notices:
            invite = await _new_invite(session, me.id, context)
        if seen.cheering or seen.notices:
            await replan_buddy(session, me.id)  # picks the weekly rhythm up again if it was lost
    for notice in seen.notices:
        await reply(update, notice)
    if invite is not None:
        await _send_invite(update, context, *invite)
    elif seen.own is not None:
        await _show_own(update, context, seen.own, me, seen.buddy)
    for link, owner in seen.cheering:
        await _show_cheering(update, link, owner)
    if seen.own is None and seen.cheering:
        offer = inline_keyboard([[(t.OWN_BUDDY_BUTTON, OWN_INVITE)]])
        await reply(update, t.OWN_BUDDY_OFFER, offer)


async def own_invite_button(update: Update, context: Context) -> None:
    """ "Get my own invite link" (for someone who so far was only a buddy)."""
    await answer_button(update)
    me = await current_user(update, context)
    async with context.sessions.begin() as session:
        seen = await _overview(session, me, context.now())
        invite = None if seen.own is not None else await _new_invite(session, me.id, context)
    for notice in seen.notices:
        await reply(update, notice)
    if invite is not None:
        await _send_invite(update, context, *invite)
    elif seen.own is not None:
        await _show_own(update, context, seen.own, me, seen.buddy)  # one stands already


# --- opening an invite link (/start <token>) -------------------------------------------------


async def _take_invite(
    session: AsyncSession, parameter: str, opener_id: int, now: datetime
) -> tuple[BuddyLink, bool] | InviteProblem:
    """The link the parameter opens, now offered to the opener (and whether they had
    opened it before); or why it cannot be."""
    buddies = BuddyRepository(session)
    well_formed = rules.is_well_formed(parameter)
    link = await buddies.by_token_hash(rules.token_fingerprint(parameter)) if well_formed else None
    if link is None:
        return InviteProblem.UNKNOWN
    if link.buddy_id == opener_id and link.state in BuddyState.LIVE:
        return link, True  # opened twice: show where it stands
    problem = rules.invite_problem(
        found=True,
        opened=link.buddy_id is not None,
        withdrawn=link.state == BuddyState.ENDED and link.end_reason != BuddyEnd.EXPIRED,
        owner_id=link.user_id,
        opener_id=opener_id,
        expires_at=link.expires_at,
        now=now,
    )
    if problem is not None:
        return problem
    if not await buddies.open_invite(link.id, buddy_id=opener_id, now=now):
        return InviteProblem.USED  # someone else opened it a moment before
    taken = await buddies.get(link.id)
    assert taken is not None
    return taken, False


async def open_invite(update: Update, context: Context, parameter: str) -> int:
    """/start <token>: the opener sees who invites them and chooses; a link that cannot
    work (unknown, used, expired, their own) gets a clear word instead."""
    opener = await current_user(update, context)
    async with context.sessions.begin() as session:
        taken = await _take_invite(session, parameter, opener.id, context.now())
        owner = (
            None if isinstance(taken, InviteProblem) else await user_row(session, taken[0].user_id)
        )
    if isinstance(taken, InviteProblem):
        await reply(update, problem_text(taken))
        return end_flow(context)
    assert owner is not None
    link, again = taken
    if again:
        await _show_cheering(update, link, owner)
    else:
        handle = t.HANDLE.format(username=escape(owner.username)) if owner.username else ""
        text = t.INVITATION.format(name=name_of(owner), handle=handle)
        await reply(update, text, inline_keyboard(offer_buttons(link)))
    return end_flow(context)


# --- the invite, replaced or withdrawn -------------------------------------------------------


async def new_link_button(update: Update, context: Context) -> None:
    """ "New link": the old invite stops working and a fresh one is made."""
    now = context.now()
    try:
        async with context.sessions.begin() as session:
            link = await load_pressed(session, update, Side.USER, (BuddyState.INVITED,))
            if not await BuddyRepository(session).end(
                link.id, reason=BuddyEnd.REPLACED, now=now, from_states=[BuddyState.INVITED]
            ):
                raise Refused(t.STALE)
            invite = await _new_invite(session, link.user_id, context)
            if invite is None:
                raise Refused(t.STALE)
    except Refused as refused:
        await refuse(update, refused)
        return
    await answer_button(update)
    await _send_invite(update, context, *invite)


async def cancel_invite_button(update: Update, context: Context) -> None:
    """ "Cancel the invite" / "Withdraw": the link stops working; an opener is told."""
    now = context.now()
    states = (BuddyState.INVITED, BuddyState.OFFERED)
    try:
        async with context.sessions.begin() as session:
            link = await load_pressed(session, update, Side.USER, states)
            if not await BuddyRepository(session).end(
                link.id, reason=BuddyEnd.CANCELLED, now=now, from_states=states
            ):
                raise Refused(t.STALE)
            owner = await user_row(session, link.user_id)
    except Refused as refused:
        await refuse(update, refused)
        return
    await answer_button(update)
    await reply(update, t.INVITE_CANCELLED)
    if link.buddy_id is not None:
        await tell(context, link.buddy_id, lambda: t.WITHDRAWN_BUDDY.format(name=name_of(owner)))


def buddy_handlers() -> list[BaseHandler[Update, Context, object]]:
    """/buddy, the buttons that act at once, and Telegram's word that someone blocked us."""
    fields = "|".join(field.value for field in ShareField)
    simple = {
        ACCEPT: accept_button,
        DECLINE: decline_button,
        SHARE_START: start_sharing_button,
        SHARE_SAVE: save_sharing_button,
        NOT_WITH: not_with_button,
        SHARE_SETTINGS: share_settings_button,
        END: end_button,
        END_YES: end_yes_button,
        END_NO: end_no_button,
        NEW_LINK: new_link_button,
        CANCEL_INVITE: cancel_invite_button,
    }
    buttons: list[BaseHandler[Update, Context, object]] = [
        CallbackQueryHandler(callback, pattern=rf"^{data}:{ID_PATTERN}$")
        for data, callback in simple.items()
    ]
    return [
        CommandHandler("buddy", buddy_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(own_invite_button, pattern=rf"^{OWN_INVITE}$"),
        CallbackQueryHandler(toggle_button, pattern=rf"^{TOGGLE}:{ID_PATTERN}:({fields})$"),
        *buttons,
        ChatMemberHandler(bot_blocked, ChatMemberHandler.MY_CHAT_MEMBER),
    ]
