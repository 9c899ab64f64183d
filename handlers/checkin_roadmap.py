"""The weekly check-in's look at the roadmap: what was planned, tick it off, carry the rest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import texts
from bot.context import Context
from bot.roadmap import monday_of
from bot.texts import plan as t
from handlers.common import Button, current_user, edit_in_place, reply, short_date
from handlers.roadmap import COMMITMENT_KIND, load_stored_roadmap, milestone_line
from storage.models import Milestone, PlanFocus
from storage.repositories.plans import (
    MilestoneRepository,
    MilestoneReviewRepository,
    PlanRepository,
)

# A week is reviewed once most of it is behind: a Monday check-in looks at last week, a
# Friday one at the week ending now.
REVIEW_LAG = timedelta(days=3)
MAX_TICK_BUTTONS = 8
_TICK = re.compile(r"^ms:done:(\d{1,12})$")
_CARRY = re.compile(r"^ms:carry:(\d{4}-\d{2}-\d{2})$")


def review_cutoff(today: date) -> date:
    return today - REVIEW_LAG


def carry_target(cutoff: date) -> date:
    """The week after the last one reviewed."""
    return monday_of(cutoff) + timedelta(days=7)


async def milestones_to_review(
    session: AsyncSession, *, user_id: int, today: date
) -> tuple[list[Milestone], dict[str, PlanFocus]]:
    rows = await MilestoneReviewRepository(session).due_for_review(
        user_id=user_id, up_to=review_cutoff(today)
    )
    if not rows:
        return [], {}
    focus = await PlanRepository(session).focus(user_id=user_id)
    return rows, {item.gap_key: item for item in focus}


def roadmap_reminder(rows: Sequence[Milestone], focus: dict[str, PlanFocus]) -> str:
    """The planned work, shown above "what did you do?" so the answer can refer to it."""
    if not rows:
        return ""
    return t.CHECKIN_ROADMAP.format(lines="\n".join(milestone_line(r, focus) for r in rows))


def review_text(rows: Sequence[Milestone], focus: dict[str, PlanFocus]) -> str:
    lines = [
        t.CHECKIN_REVIEW_LINE.format(number=n, text=milestone_line(row, focus).lstrip("• "))
        for n, row in enumerate(rows[:MAX_TICK_BUTTONS], 1)
    ]
    return t.CHECKIN_REVIEW.format(lines="\n".join(lines)) if lines else ""


def review_buttons(rows: Sequence[Milestone], today: date) -> list[list[Button]]:
    if not rows:
        return []
    ticks = [
        (t.CHECKIN_TICK_BUTTON.format(number=n), f"ms:done:{row.id}")
        for n, row in enumerate(rows[:MAX_TICK_BUTTONS], 1)
    ]
    cutoff = review_cutoff(today)
    week = short_date(carry_target(cutoff))
    carry = (t.CHECKIN_CARRY_BUTTON.format(week=week), f"ms:carry:{cutoff.isoformat()}")
    return [ticks[:4], ticks[4:], [carry]] if len(ticks) > 4 else [ticks, [carry]]


def _without(markup: InlineKeyboardMarkup | None, drop: str) -> InlineKeyboardMarkup | None:
    """The same keyboard minus the buttons whose data starts with `drop`."""
    if markup is None:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    for row in markup.inline_keyboard:
        kept = [b for b in row if not str(b.callback_data or "").startswith(drop)]
        if kept:
            rows.append(kept)
    return InlineKeyboardMarkup(rows) if rows else None


async def _edit_keyboard(update: Update, drop: str) -> None:
    query = update.callback_query
    assert query is not None
    message = query.message
    if not isinstance(message, Message) or not message.text_html:
        return
    if any(
        str(button.callback_data or "").startswith(drop)
        for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
        for button in row
    ):
        # editMessageText rather than editMessageReplyMarkup: with Defaults(parse_mode) PTB
        # also sends parse_mode to the latter, which that method does not define.
        await edit_in_place(update, message.text_html, _without(message.reply_markup, drop))


async def tick_milestone(update: Update, context: Context) -> None:
    """ "✅ n" under a check-in: that milestone is done."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = _TICK.match(query.data)
    assert match is not None
    user = await current_user(update, context)
    async with context.sessions.begin() as session:
        ticked = await MilestoneRepository(session).mark_done(
            user_id=user.id, milestone_id=int(match[1]), now=context.now()
        )
    if not ticked:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer(t.CHECKIN_TICKED)
    await _edit_keyboard(update, query.data)


async def carry_the_rest(update: Update, context: Context) -> None:
    """ "Move the rest": what is still planned up to the reviewed week moves one week on."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = _CARRY.match(query.data)
    assert match is not None
    cutoff = date.fromisoformat(match[1])
    target = carry_target(cutoff)
    if cutoff > context.now().date() + timedelta(days=1):
        await query.answer(texts.STALE_BUTTON)  # forged: only weeks already lived can be carried
        return
    user = await current_user(update, context)
    async with context.sessions.begin() as session:
        moved = await MilestoneReviewRepository(session).carry_over(
            user_id=user.id, up_to=cutoff, to_week=target
        )
    await query.answer()
    await _edit_keyboard(update, "ms:")
    if moved:
        await reply(update, t.CHECKIN_CARRIED.format(count=moved, week=short_date(target)))
    else:
        await reply(update, t.CHECKIN_NOTHING_TO_CARRY)


async def record_commitment(
    session: AsyncSession, *, user_id: int, zone: str, today: date, text: str
) -> None:
    """Put the week's commitment on the roadmap, filling the week it is for."""
    stored = await load_stored_roadmap(session, user_id=user_id, zone=zone)
    if stored is None:
        return
    week_start = carry_target(review_cutoff(today))
    week = stored.roadmap.week_of(week_start)
    if week is None:
        return  # past the deadline: /next suggests a new plan
    await MilestoneReviewRepository(session).set_commitment(
        user_id=user_id,
        week_start=week_start,
        phase=int(week.phase),
        kind=COMMITMENT_KIND,
        text=text,
    )


def checkin_roadmap_handlers() -> list[BaseHandler[Update, Context, object]]:
    return [
        CallbackQueryHandler(tick_milestone, pattern=_TICK),
        CallbackQueryHandler(carry_the_rest, pattern=_CARRY),
    ]
