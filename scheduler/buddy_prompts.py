"""The weekly buddy update: what a buddy reads about the person they cheer on, and when.

A buddy may cheer on several people, so the prompt belongs to the buddy and each link
keeps its own `next_summary_at`. One wake-up per buddy (the earliest of their links) is
queued at a time, and its message covers every link due by then. That also keeps the
dispatcher's coalescing (one message per user and kind in a batch) from dropping one
person's update in favour of another's.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buddy import SharedSummary, WeekFacts, next_summary_at, recent_commitment, shared_summary
from bot.schedule import week_period
from bot.streak import checkin_streak
from bot.texts import buddy as t
from bot.timezones import local_now
from scheduler.kinds import BUDDY_SUMMARY, buddy_summary_key, buddy_summary_prefix
from scheduler.planning import CheckinOwner
from scheduler.prompt_protocol import Item, Outgoing, PromptKind
from storage.models import BuddyEnd, BuddyLink
from storage.repositories.buddies import BuddyRepository, shared_fields
from storage.repositories.prompts import PromptRepository
from storage.repositories.users import Recipient, UserRepository

# Callback data of the button under an update: "bd:enc:<link id>".
ENCOURAGE = "bd:enc"
NAME_IN_BUTTON = 24  # characters of a name on a button


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def summary_time(owner: CheckinOwner, after: datetime, default_zone: str) -> datetime:
    """The owner's next weekly-update time strictly after `after`."""
    return next_summary_at(
        after,
        zone_id=owner.timezone or default_zone,
        weekday=owner.checkin_weekday,
        at=owner.checkin_time,
    )


async def replan_buddy(session: AsyncSession, buddy_id: int) -> datetime | None:
    """Queue the buddy's one wake-up at their earliest due update (replacing any other)."""
    prompts = PromptRepository(session)
    await prompts.cancel_with_prefix(
        user_id=buddy_id, prefix=buddy_summary_prefix(buddy_id), reason="re-planned"
    )
    due = await BuddyRepository(session).earliest_summary(buddy_id)
    if due is not None:
        await prompts.enqueue(
            user_id=buddy_id,
            kind=BUDDY_SUMMARY,
            due_at=due,
            dedupe_key=buddy_summary_key(buddy_id, str(int(due.timestamp()))),
        )
    return due


async def week_facts(
    session: AsyncSession, *, owner_id: int, zone: str, now: datetime
) -> WeekFacts:
    """The shareable facts about one user's week (no notes, answers or names in here)."""
    buddies = BuddyRepository(session)
    weeks = await buddies.checkin_weeks(owner_id)
    today = local_now(zone, now).date()
    return WeekFacts(
        streak=checkin_streak((period, state) for period, state, _commitment in weeks),
        commitment=recent_commitment(
            [(period, commitment) for period, _state, commitment in weeks],
            this_week=week_period(now, zone),
            last_week=week_period(now - timedelta(days=7), zone),
        ),
        applications=await buddies.applications_since(owner_id, since=today - timedelta(days=6)),
    )


def summary_lines(summary: SharedSummary) -> str:
    """The agreed facts, one line each (only those the summary carries)."""
    text = ""
    if summary.streak is not None:
        if summary.streak == 0:
            text += t.SUMMARY_STREAK_NONE
        elif summary.streak == 1:
            text += t.SUMMARY_STREAK_ONE
        else:
            text += t.SUMMARY_STREAK_MANY.format(streak=summary.streak)
    if summary.commitment_shared:
        text += (
            t.SUMMARY_COMMITMENT.format(commitment=escape(summary.commitment))
            if summary.commitment
            else t.SUMMARY_NO_COMMITMENT
        )
    if summary.applications is not None:
        text += t.SUMMARY_APPLICATIONS.format(count=summary.applications)
    return text


def _paused(owner: Recipient, now: datetime) -> bool:
    """Whether the user asked for quiet (reminders paused) at that moment."""
    return owner.paused and (owner.paused_until is None or owner.paused_until > now)


async def _section(
    session: AsyncSession, link: BuddyLink, owner: Recipient, now: datetime, default_zone: str
) -> str:
    """One person's part of an update: their name and the facts they agreed to share."""
    facts = await week_facts(
        session, owner_id=owner.id, zone=owner.timezone or default_zone, now=now
    )
    summary = shared_summary(facts, shared_fields(link))
    return t.SUMMARY_NAME.format(name=escape(owner.first_name)) + summary_lines(summary)


def _keyboard(cheered: list[tuple[BuddyLink, Recipient]]) -> InlineKeyboardMarkup | None:
    """One "send encouragement" button per person in the update (named when several)."""
    if not cheered:
        return None
    if len(cheered) == 1:
        link, _owner = cheered[0]
        labels = [(t.ENCOURAGE_BUTTON, link.id)]
    else:
        labels = [
            (t.ENCOURAGE_NAMED_BUTTON.format(name=owner.first_name[:NAME_IN_BUTTON]), link.id)
            for link, owner in cheered
        ]
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=f"{ENCOURAGE}:{link_id}")]
            for label, link_id in labels
        ]
    )


class BuddySummaryPrompt:
    """The update a buddy gets, a day after each cheered-on person's check-in time."""

    def __init__(self, default_zone: str) -> None:
        self._default_zone = default_zone

    async def _due(
        self, session: AsyncSession, items: Iterable[Item]
    ) -> tuple[dict[int, list[BuddyLink]], dict[int, Recipient]]:
        """Each buddy's links due by their prompt's time, and the people those links cheer on."""
        until = {user.id: prompt.due_at for prompt, user in items}
        links = await BuddyRepository(session).due_for_buddies(until)
        owners = await UserRepository(session).recipients(link.user_id for link in links)
        by_buddy: dict[int, list[BuddyLink]] = defaultdict(list)
        for link in links:
            assert link.buddy_id is not None
            by_buddy[link.buddy_id].append(link)
        return by_buddy, owners

    async def render(self, session: AsyncSession, items: list[Item]) -> dict[int, Outgoing | None]:
        by_buddy, owners = await self._due(session, items)
        rendered: dict[int, Outgoing | None] = {}
        for prompt, user in items:
            text, cheered = "", []
            for link in by_buddy.get(user.id, []):
                owner = owners.get(link.user_id)
                if owner is None or (owner.active and _paused(owner, prompt.due_at)):
                    continue  # taking a break: no update about them this week
                if not owner.active:
                    text += "\n\n" + t.OWNER_UNREACHABLE.format(name=escape(owner.first_name))
                    continue
                text += await _section(session, link, owner, prompt.due_at, self._default_zone)
                cheered.append((link, owner))
            if not text:
                rendered[prompt.id] = None
                continue
            footer = t.SUMMARY_FOOTER if cheered else ""
            rendered[prompt.id] = Outgoing(t.SUMMARY_HEADER + text + footer, _keyboard(cheered))
        return rendered

    async def after_sent(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Next week's time for each link in the update; a link whose owner left ends here
        (the update just said so)."""
        await self._advance(session, items, now, end_gone=True)

    async def after_dropped(self, session: AsyncSession, items: list[Item], now: datetime) -> None:
        """Paused, too late, or nothing to say: the weekly rhythm goes on all the same."""
        await self._advance(session, [(p, u) for p, u in items if u.active], now, end_gone=False)

    async def _advance(
        self, session: AsyncSession, items: list[Item], now: datetime, *, end_gone: bool
    ) -> None:
        """Move each due link to its next weekly time (or end it), then re-plan the wake-up."""
        by_buddy, owners = await self._due(session, items)
        buddies = BuddyRepository(session)
        for _prompt, user in items:
            for link in by_buddy.get(user.id, []):
                owner = owners.get(link.user_id)
                if owner is None:
                    continue
                if end_gone and not owner.active:
                    await buddies.end(link.id, reason=BuddyEnd.UNREACHABLE, now=now)
                else:
                    due = summary_time(owner, now, self._default_zone)
                    await buddies.reschedule(link.id, next_summary_at=due)
            await replan_buddy(session, user.id)


def buddy_prompt_kinds(default_zone: str) -> dict[str, PromptKind]:
    return {BUDDY_SUMMARY: BuddySummaryPrompt(default_zone)}
