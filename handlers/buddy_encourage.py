"""A line of encouragement: the buddy taps a button, types one line, and the user gets it
(escaped, with who it is from). The one step of the buddy feature that waits for text."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import buddy as rules
from bot.context import Context
from bot.texts import buddy as t
from handlers.buddy_links import (
    ID_PATTERN,
    Refused,
    Side,
    end_unreachable,
    load_link,
    load_pressed,
    name_of,
    presser_id,
    refuse,
    tell,
    user_row,
)
from handlers.common import end_flow, enter_flow, escape, flow_fallbacks, reply
from scheduler.buddy_prompts import ENCOURAGE
from storage.models import BuddyLink, BuddyState, User

FLOW = "buddy"
WRITING = 0
_LINK_KEY = "buddy_link"  # user_data: the link an encouragement is being written for


# --- a line of encouragement -----------------------------------------------------------------


async def encourage_button(update: Update, context: Context) -> int:
    """ "Send encouragement": ask for the line (the update keeps its button for next time)."""
    query = update.callback_query
    assert query is not None
    try:
        async with context.sessions() as session:
            link = await load_pressed(session, update, Side.BUDDY, (BuddyState.ACTIVE,))
            owner = await user_row(session, link.user_id)
    except Refused as refused:
        await refuse(update, refused)
        return ConversationHandler.END
    await query.answer()
    enter_flow(context, FLOW)
    context.draft[_LINK_KEY] = link.id
    await reply(
        update, t.ASK_ENCOURAGEMENT.format(name=name_of(owner), limit=rules.MAX_ENCOURAGEMENT)
    )
    return WRITING


def _finish(context: Context) -> int:
    context.draft.pop(_LINK_KEY, None)
    return end_flow(context)


async def _writing_for(update: Update, context: Context) -> tuple[BuddyLink, User, User] | None:
    """The link the line is for, its user and its buddy — if it still stands (either side
    may have ended it while the line was being typed)."""
    link_id = context.draft.get(_LINK_KEY)
    if not isinstance(link_id, int):
        return None
    async with context.sessions() as session:
        try:
            link = await load_link(
                session, link_id, presser_id(update), Side.BUDDY, (BuddyState.ACTIVE,)
            )
        except Refused:
            return None
        return link, await user_row(session, link.user_id), await user_row(session, link.buddy_id)


async def receive_encouragement(update: Update, context: Context) -> int:
    """Pass the line on, escaped and with the buddy's name; too long asks again."""
    message = update.effective_message
    assert message is not None and message.text is not None
    line = rules.clean_encouragement(message.text)
    if not line:
        await reply(update, t.ENCOURAGEMENT_EMPTY)
        return WRITING
    if rules.encouragement_too_long(line):
        await reply(
            update, t.ENCOURAGEMENT_TOO_LONG.format(limit=rules.MAX_ENCOURAGEMENT, length=len(line))
        )
        return WRITING
    found = await _writing_for(update, context)
    if found is None:
        await reply(update, t.ENCOURAGEMENT_LINK_GONE)
        return _finish(context)
    link, owner, buddy = found
    if await tell(
        context,
        owner.id,
        lambda: t.ENCOURAGEMENT_RECEIVED.format(name=name_of(buddy), text=escape(line)),
    ):
        await reply(update, t.ENCOURAGEMENT_SENT.format(name=name_of(owner)))
    else:
        await end_unreachable(context, link.id)
        await reply(update, t.OWNER_UNREACHABLE.format(name=name_of(owner)))
    return _finish(context)


def build_buddy_conversation() -> ConversationHandler[Context]:
    """Writing a line of encouragement: the one step that waits for text."""
    return ConversationHandler(
        entry_points=[
            CallbackQueryHandler(encourage_button, pattern=rf"^{ENCOURAGE}:{ID_PATTERN}$")
        ],
        states={WRITING: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_encouragement)]},
        fallbacks=flow_fallbacks(FLOW),
        name=FLOW,
        persistent=True,
        allow_reentry=True,
    )
