"""/roadmap: the phases with their dates, this week and the next four, and a timeline picture.

The stored milestones are the truth (the weekly check-in ticks them off and fills open
weeks), so the roadmap shown is rebuilt from them: weeks from the plan's start to its
deadline, each with its stored milestones, or open when it has none.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot import locale_format
from bot.context import Context
from bot.roadmap import Milestone as PlannedMilestone
from bot.roadmap import MilestoneKind, Phase, Roadmap, Week, monday_of, phase_plan
from bot.roadmap_chart import ChartLabels, render_roadmap_png
from bot.texts import plan as t
from bot.timezones import local_now, resolve_zone
from handlers.common import current_user, escape, long_date, reply, short_date
from storage.models import Milestone, MilestoneState, Plan, PlanFocus
from storage.repositories.plans import MilestoneRepository, NewMilestone, PlanRepository

WEEKS_SHOWN = 5  # this week and the next four
COMMITMENT_KIND = "commitment"  # a week's milestone written by the user at a check-in


@dataclass(frozen=True, slots=True)
class StoredRoadmap:
    """A built plan as it stands in the database, with the pure roadmap drawn from it."""

    plan: Plan
    deadline: date
    roadmap: Roadmap
    rows: dict[date, list[Milestone]]  # by week start (Monday)
    focus: dict[str, PlanFocus]  # by gap key


# --- from the pure roadmap to rows, and back ------------------------------------------------


def roadmap_milestones(roadmap: Roadmap) -> list[NewMilestone]:
    """The rows to store for a freshly built roadmap."""
    return [
        NewMilestone(
            week_start=week.start,
            phase=int(week.phase),
            kind=milestone.kind,
            focus_key=milestone.focus_key,
            focus_name=milestone.focus_name,
            hours=milestone.hours,
        )
        for week in roadmap.weeks
        for milestone in week.milestones
    ]


def stored_roadmap(
    *, start: date, deadline: date, hours_per_week: int, rows: Sequence[Milestone]
) -> Roadmap:
    """The roadmap as stored: every week from `start` to `deadline` with its milestones.

    A week's phase comes from its milestones; an open week (nothing stored) takes the
    phase the builder gives that week, which depends only on the number of weeks.
    """
    first, last = monday_of(start), monday_of(deadline)
    mondays = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    phases = phase_plan(len(mondays))
    by_week: dict[date, list[Milestone]] = defaultdict(list)
    for row in rows:
        if row.state != MilestoneState.MOVED:  # a moved milestone lives on in a later week
            by_week[row.week_start].append(row)
    weeks = tuple(
        Week(
            index=index,
            start=monday,
            phase=Phase(by_week[monday][0].phase) if by_week[monday] else phases[index],
            milestones=tuple(
                PlannedMilestone(row.kind, row.focus_key, row.focus_name, row.hours)
                for row in by_week[monday]
            ),
        )
        for index, monday in enumerate(mondays)
    )
    return Roadmap(start=start, deadline=deadline, hours_per_week=hours_per_week, weeks=weeks)


async def load_stored_roadmap(
    session: AsyncSession, *, user_id: int, zone: str
) -> StoredRoadmap | None:
    """The user's built plan and its milestones, or None before the first /plan is done."""
    plan = await PlanRepository(session).get(user_id=user_id)
    if plan is None or plan.built_at is None or plan.deadline is None:
        return None
    start = plan.built_at.astimezone(resolve_zone(zone)).date()
    if start > plan.deadline:
        return None
    rows = await MilestoneRepository(session).for_user(user_id=user_id)
    focus = await PlanRepository(session).focus(user_id=user_id)
    roadmap = stored_roadmap(
        start=start,
        deadline=plan.deadline,
        hours_per_week=plan.hours_per_week or 1,
        rows=[row for row in rows if row.week_start >= monday_of(start)],
    )
    by_week: dict[date, list[Milestone]] = defaultdict(list)
    for row in rows:
        by_week[row.week_start].append(row)
    return StoredRoadmap(
        plan=plan,
        deadline=plan.deadline,
        roadmap=roadmap,
        rows=dict(by_week),
        focus={item.gap_key: item for item in focus},
    )


# --- words -----------------------------------------------------------------------------------


def _milestone_words(row: Milestone, focus: Mapping[str, PlanFocus]) -> str:
    item = focus.get(row.focus_key) if row.focus_key else None
    name = escape(row.focus_name) if row.focus_name else t.MILESTONE_NO_FOCUS
    if row.kind == COMMITMENT_KIND:
        return t.MILESTONE_COMMITMENT.format(focus=name)
    if row.kind == MilestoneKind.FIRST_STEP:
        if item is None or not item.first_step:
            return t.MILESTONE_FIRST_STEP_NO_WORDS.format(focus=name)
        return t.MILESTONES[row.kind].format(focus=name, step=escape(item.first_step))
    if row.kind == MilestoneKind.BUILD_PROOF and not row.focus_name:
        return t.MILESTONE_PROOF_NO_FOCUS
    if row.kind not in t.MILESTONES:
        return t.MILESTONE_UNKNOWN.format(kind=escape(row.kind))
    method = item.method if item is not None and item.method else "other"
    how = t.METHOD_HOW.get(method, t.METHOD_HOW["other"])
    return t.MILESTONES[row.kind].format(focus=name, how=how)


def milestone_line(row: Milestone, focus: Mapping[str, PlanFocus]) -> str:
    """One milestone as a bullet: what to do, the hours, and whether it is done."""
    text = _milestone_words(row, focus)
    if row.kind != COMMITMENT_KIND:  # the user's own words carry no hour estimate
        text += t.MILESTONE_HOURS.format(hours=row.hours)
    if row.state == MilestoneState.DONE:
        text = t.MILESTONE_DONE.format(text=text)
    elif row.state == MilestoneState.MOVED:
        text = t.MILESTONE_MOVED.format(text=text)
    return t.MILESTONE_LINE.format(text=text)


def week_milestone_lines(rows: Sequence[Milestone], focus: Mapping[str, PlanFocus]) -> list[str]:
    """The bullets of one week, or the open-week line when nothing is planned."""
    return [milestone_line(row, focus) for row in rows] or [t.ROADMAP_OPEN_WEEK]


def phase_lines(roadmap: Roadmap) -> list[str]:
    """ "📚 Learn · 22 Nov – 17 Jan" for each phase the roadmap has."""
    lines = []
    for phase in roadmap.phases:
        span = roadmap.phase_span(phase)
        if span is not None:
            lines.append(
                t.PHASE_LINE.format(
                    name=t.PHASE_NAMES[phase], first=short_date(span[0]), last=short_date(span[1])
                )
            )
    return lines


def week_count(start: date, deadline: date) -> str:
    """ "26 weeks": the distance to the deadline, in whole weeks (at least one)."""
    count = max(1, round((deadline - start).days / 7))
    return t.WEEK_COUNT_ONE if count == 1 else t.WEEK_COUNT.format(count=count)


def _week_header(week: Week, offset: int) -> str:
    phase = t.PHASE_NAMES[week.phase]
    first, last = short_date(week.start), short_date(week.end)
    if offset == 0:
        return t.ROADMAP_THIS_WEEK.format(first=first, last=last, phase=phase)
    if offset == 1:
        return t.ROADMAP_NEXT_WEEK.format(first=first, last=last, phase=phase)
    return t.ROADMAP_LATER_WEEK.format(first=first, phase=phase)


def roadmap_text(stored: StoredRoadmap, today: date) -> str:
    """The phases, then this week and the next four with their milestones."""
    roadmap = stored.roadmap
    hours = stored.plan.hours_per_week or roadmap.hours_per_week
    lines = [t.ROADMAP_HEADER.format(deadline=long_date(stored.deadline), hours=hours), ""]
    lines += phase_lines(roadmap)
    lines.append(t.ROADMAP_WEEKS_HEADER)
    current = roadmap.week_of(today)
    first = current.index if current is not None else 0
    for offset, week in enumerate(roadmap.weeks[first : first + WEEKS_SHOWN]):
        lines += ["", _week_header(week, offset)]
        lines += week_milestone_lines(stored.rows.get(week.start, []), stored.focus)
    lines.append(t.ROADMAP_FOOTER)
    return "\n".join(lines)


def chart_labels(deadline: date) -> ChartLabels:
    return ChartLabels(
        title=t.CHART_TITLE.format(deadline=short_date(deadline) + f" {deadline.year}"),
        phase_names=t.CHART_PHASES,
        today=t.CHART_TODAY,
        deadline=t.CHART_DEADLINE,
        open_weeks=t.CHART_OPEN_WEEKS,
        month_names=locale_format.month_short_names(),
    )


# --- the command -------------------------------------------------------------------------------


async def show_roadmap(update: Update, context: Context) -> None:
    """/roadmap: the plan's phases and next five weeks as text, then the timeline picture."""
    user = await current_user(update, context)
    zone = user.timezone or context.settings.default_timezone
    today = local_now(zone, context.now()).date()
    async with context.sessions() as session:
        stored = await load_stored_roadmap(session, user_id=user.id, zone=zone)
    if stored is None:
        await reply(update, t.NO_PLAN)
        return
    if today > stored.deadline:
        await reply(update, t.ROADMAP_DEADLINE_PASSED.format(date=long_date(stored.deadline)))
        return
    await reply(update, roadmap_text(stored, today))
    # Drawing takes a few hundred milliseconds of CPU: off the event loop.
    png = await asyncio.to_thread(
        render_roadmap_png, stored.roadmap, today=today, labels=chart_labels(stored.deadline)
    )
    chat = update.effective_chat
    assert chat is not None
    await chat.send_photo(photo=InputFile(png, filename="roadmap.png"), caption=t.ROADMAP_CAPTION)


def roadmap_handlers() -> list[BaseHandler[Update, Context, object]]:
    return [CommandHandler("roadmap", show_roadmap)]
