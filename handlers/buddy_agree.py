"""The two agreements: the buddy accepts (or declines), then the user chooses what to share
and starts sharing (or says "not with them"); later, what is shared can change."""

from __future__ import annotations

from telegram import Message, Update

from bot import buddy as rules
from bot.context import Context
from bot.texts import buddy as t
from handlers.buddy_links import (
    Refused,
    Side,
    end_unreachable,
    load_pressed,
    local_date,
    name_of,
    refuse,
    share_keyboard,
    shared_phrase,
    tell,
    user_row,
)
from handlers.common import answer_button, edit_in_place, reply
from scheduler.buddy_prompts import replan_buddy, summary_time
from storage.models import BuddyEnd, BuddyState, User
from storage.repositories.buddies import BuddyRepository, shared_fields

# --- the buddy answers -----------------------------------------------------------------------


async def accept_button(update: Update, context: Context) -> None:
    """ "Yes, I'm in": the user is told and chooses what to share."""
    try:
        async with context.sessions.begin() as session:
            link = await load_pressed(session, update, Side.BUDDY, (BuddyState.OFFERED,))
            if not await BuddyRepository(session).accept(link.id):
                raise Refused(t.STALE)  # answered a moment ago (another instance)
            await session.refresh(link)
            owner, buddy = (
                await user_row(session, link.user_id),
                await user_row(session, link.buddy_id),
            )
    except Refused as refused:
        await refuse(update, refused)
        return
    await answer_button(update)
    if not await tell(
        context,
        owner.id,
        lambda: t.ACCEPTED_OWNER.format(name=name_of(buddy)),
        lambda: share_keyboard(link, buddy.first_name),
    ):
        await end_unreachable(context, link.id)
        await reply(update, t.OWNER_UNREACHABLE.format(name=name_of(owner)))
        return
    offer_start = t.OFFER_OWN_START if buddy.timezone is None else ""
    await reply(update, t.ACCEPTED_BUDDY.format(name=name_of(owner)) + offer_start)


async def _end_before_start(
    update: Update, context: Context, side: Side, state: str, reason: str
) -> tuple[User, User] | None:
    """End a link that never got going (declined, or refused after a yes); the pair, or
    None when the press was refused (it has been answered)."""
    try:
        async with context.sessions.begin() as session:
            link = await load_pressed(session, update, side, (state,))
            if not await BuddyRepository(session).end(
                link.id, reason=reason, now=context.now(), from_states=[state]
            ):
                raise Refused(t.STALE)
            owner = await user_row(session, link.user_id)
            buddy = await user_row(session, link.buddy_id)
    except Refused as refused:
        await refuse(update, refused)
        return None
    await answer_button(update)
    return owner, buddy


async def decline_button(update: Update, context: Context) -> None:
    """ "No, thanks": the link ends and the user is told, kindly."""
    pair = await _end_before_start(
        update, context, Side.BUDDY, BuddyState.OFFERED, BuddyEnd.DECLINED
    )
    if pair is None:
        return
    owner, buddy = pair
    await reply(update, t.DECLINED_BUDDY.format(name=name_of(owner)))
    await tell(context, owner.id, lambda: t.DECLINED_OWNER.format(name=name_of(buddy)))


# --- the user chooses what to share ----------------------------------------------------------


async def toggle_button(update: Update, context: Context) -> None:
    """A share toggle: saved at once, and the keyboard shows the new choice."""
    query = update.callback_query
    assert query is not None and query.data is not None
    field = rules.parse_share_field(query.data.rsplit(":", 1)[1])
    assert field is not None, "the handler's pattern admits share fields only"
    states = (BuddyState.ACCEPTED, BuddyState.ACTIVE)
    try:
        async with context.sessions.begin() as session:
            buddies = BuddyRepository(session)
            link = await load_pressed(session, update, Side.USER, states)
            shared = shared_fields(link)
            if shared == {field}:
                raise Refused(t.PICK_ONE)  # sharing nothing at all is ending it: /buddy
            await buddies.set_shared(link.id, field, shared=field not in shared)
            await session.refresh(link)
            buddy = await user_row(session, link.buddy_id)
    except Refused as refused:
        await refuse(update, refused)
        return
    await query.answer()
    # The text stays; only the keyboard changes. (editMessageText rather than
    # editMessageReplyMarkup: PTB adds the default parse_mode to every edit.)
    message = query.message
    assert isinstance(message, Message) and message.text_html
    # An older copy of the toggles can already show the new choice: nothing to redraw then.
    await edit_in_place(update, message.text_html, share_keyboard(link, buddy.first_name))


async def start_sharing_button(update: Update, context: Context) -> None:
    """ "Start sharing": both have agreed, so the link is active and the first update has
    a time; the buddy hears when it comes."""
    now = context.now()
    try:
        async with context.sessions.begin() as session:
            link = await load_pressed(session, update, Side.USER, (BuddyState.ACCEPTED,))
            if not shared_fields(link):
                raise Refused(t.PICK_ONE)
            owner = await user_row(session, link.user_id)
            buddy = await user_row(session, link.buddy_id)
            first = summary_time(owner, now, context.settings.default_timezone)
            if not await BuddyRepository(session).confirm(link.id, next_summary_at=first, now=now):
                raise Refused(t.STALE)
            await replan_buddy(session, buddy.id)
    except Refused as refused:
        await refuse(update, refused)
        return
    await answer_button(update)
    if not await tell(
        context,
        buddy.id,
        lambda: t.CONFIRMED_BUDDY.format(
            name=name_of(owner), date=local_date(buddy, context, first)
        ),
    ):
        await end_unreachable(context, link.id)
        await reply(update, t.BUDDY_UNREACHABLE.format(name=name_of(buddy)))
        return
    await reply(update, t.CONFIRMED_OWNER.format(name=name_of(buddy), fields=shared_phrase(link)))


async def save_sharing_button(update: Update, context: Context) -> None:
    """ "Save" under the toggles of an active link (each toggle was saved already)."""
    try:
        async with context.sessions() as session:
            link = await load_pressed(session, update, Side.USER, (BuddyState.ACTIVE,))
            if not shared_fields(link):
                raise Refused(t.PICK_ONE)
            buddy = await user_row(session, link.buddy_id)
    except Refused as refused:
        await refuse(update, refused)
        return
    await answer_button(update)
    await reply(update, t.SHARE_SAVED.format(name=name_of(buddy), fields=shared_phrase(link)))


async def not_with_button(update: Update, context: Context) -> None:
    """ "Not with them": the user changed their mind after the buddy said yes."""
    pair = await _end_before_start(
        update, context, Side.USER, BuddyState.ACCEPTED, BuddyEnd.REFUSED
    )
    if pair is None:
        return
    owner, buddy = pair
    await reply(update, t.REFUSED_OWNER.format(name=name_of(buddy)))
    await tell(context, buddy.id, lambda: t.REFUSED_BUDDY.format(name=name_of(owner)))


async def share_settings_button(update: Update, context: Context) -> None:
    """ "What I share" under /buddy: the toggles again."""
    try:
        async with context.sessions() as session:
            link = await load_pressed(session, update, Side.USER, (BuddyState.ACTIVE,))
            buddy = await user_row(session, link.buddy_id)
    except Refused as refused:
        await refuse(update, refused)
        return
    await answer_button(update)
    await reply(
        update, t.SHARE_SETTINGS.format(name=name_of(buddy)), share_keyboard(link, buddy.first_name)
    )
