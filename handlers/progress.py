"""/progress: streak, roadmap and applications as one message and one picture — and the
two summary lines that close a weekly check-in, from the same snapshot.

A user with nothing yet (no check-in, no plan, no application) gets a kind message
pointing at /next and no picture: three empty cards would say nothing the message does
not, and a picture of nothing reads like a broken feature. Anyone with some data gets the
picture, its empty cards saying in one line what will fill them.
"""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.application_patterns import Patterns
from bot.context import Context
from bot.progress import FUNNEL_STAGES, ProgressSnapshot, build_snapshot
from bot.progress_chart import ChartLabels, render_progress_png
from bot.texts import plan as pt
from bot.texts import progress as t
from bot.texts import reflections as rt
from bot.timezones import local_now
from handlers.common import current_user, escape, long_date, reply, short_date
from handlers.reflection import cv_reviewer
from handlers.roadmap import load_stored_roadmap
from scheduler.retrospective_prompts import queue_retrospective_if_due
from storage.repositories.applications import ApplicationRepository
from storage.repositories.checkins import CheckinRepository
from storage.repositories.reflections import ReflectionRepository

CHECKIN_HISTORY = 520  # ten years of weeks: every week counts toward answered and missed


def _count(count: int, one: str, many: str, **values: object) -> str:
    """The singular or plural text, formatted with `count` (and any other values)."""
    return (one if count == 1 else many).format(count=count, **values)


# --- loading ------------------------------------------------------------------------------------


async def load_snapshot(
    session: AsyncSession, *, user_id: int, zone: str, today: date
) -> ProgressSnapshot:
    """The user's snapshot: only their own check-ins, roadmap, applications, reflections."""
    checkins = await CheckinRepository(session).history(user_id=user_id, limit=CHECKIN_HISTORY)
    stored = await load_stored_roadmap(session, user_id=user_id, zone=zone)
    applications = ApplicationRepository(session)
    week = stored.roadmap.week_of(today) if stored else None
    return build_snapshot(
        today=today,
        checkins=checkins,
        milestones=[row for rows in stored.rows.values() for row in rows] if stored else [],
        deadline=stored.deadline if stored else None,
        phase=week.phase if week else None,
        applications=await applications.all_for_user(user_id=user_id),
        events=await applications.all_events(user_id=user_id),
        reflections=await ReflectionRepository(session).all_for_user(user_id=user_id),
    )


# --- words ----------------------------------------------------------------------------------------


def week_label(period: str) -> str:
    """ "2026-W47" → "16 Nov", the Monday of that week."""
    year, week = period.split("-W")
    return short_date(date.fromisocalendar(int(year), int(week), 1))


def confidence_line(snapshot: ProgressSnapshot) -> str:
    values = [value for _period, value in snapshot.confidence]
    if not values:
        return ""
    shown = t.CONFIDENCE_SEPARATOR.join(str(value) for value in values)
    if snapshot.trend is None:
        return t.CONFIDENCE_ONE.format(values=shown)
    return t.CONFIDENCE_MANY.format(count=len(values), values=shown, trend=t.TRENDS[snapshot.trend])


def checkins_lines(snapshot: ProgressSnapshot) -> str:
    """Streak, weeks answered and missed, and the confidence of the last weeks."""
    if not snapshot.has_checkins:
        return t.NO_CHECKINS
    streak = snapshot.streak
    text = _count(streak, t.STREAK_ONE, t.STREAK_MANY) if streak else t.STREAK_NONE
    text += _count(snapshot.weeks_answered, t.WEEKS_ANSWERED_ONE, t.WEEKS_ANSWERED_MANY)
    if snapshot.weeks_missed:
        text += t.WEEKS_MISSED.format(count=snapshot.weeks_missed)
    return text + confidence_line(snapshot)


def deadline_line(snapshot: ProgressSnapshot) -> str:
    roadmap = snapshot.roadmap
    assert roadmap is not None
    day = long_date(roadmap.deadline)
    if roadmap.days_left < 0:
        return t.DEADLINE_PASSED.format(date=day)
    if roadmap.days_left == 0:
        return t.DEADLINE_TODAY.format(date=day)
    return _count(roadmap.days_left, t.DAYS_LEFT_ONE, t.DAYS_LEFT_MANY, date=day)


def roadmap_lines(snapshot: ProgressSnapshot) -> str:
    """Milestones done, the phase now, overdue ones, and the days to the deadline."""
    roadmap = snapshot.roadmap
    if roadmap is None:
        return t.NO_ROADMAP
    if roadmap.total:
        text = t.MILESTONES.format(done=roadmap.done, total=roadmap.total)
    else:
        text = t.MILESTONES_NONE
    if roadmap.phase is not None:
        text += t.PHASE.format(phase=pt.PHASE_NAMES[roadmap.phase])
    if roadmap.overdue:
        text += _count(roadmap.overdue, t.OVERDUE_ONE, t.OVERDUE_MANY)
    return text + deadline_line(snapshot)


def funnel_line(snapshot: ProgressSnapshot) -> str:
    """ "📨 Applied 12 → screening 3 (25%) → interview 1 (33%) → offer 0 (0%)"."""
    names = t.FUNNEL_STAGES
    first, *rest = snapshot.funnel
    text = t.FUNNEL_START.format(count=first.count)
    for stage in rest:
        if stage.rate is None:
            text += t.FUNNEL_STEP_NO_RATE.format(stage=names[stage.status], count=stage.count)
        else:
            percent = round(stage.rate * 100)
            text += t.FUNNEL_STEP.format(
                stage=names[stage.status], count=stage.count, percent=percent
            )
    return text


def patterns_lines(patterns: Patterns, reviewer: str | None) -> str:
    """Rejections by stage, applications never answered, and the advice the patterns give."""
    text = ""
    if patterns.rejections:
        parts = [
            rt.PATTERN_STAGE_PART.format(count=count, stage=rt.PATTERN_STAGE_NAMES[stage])
            for stage, count in patterns.rejections_by_stage.items()
            if count
        ]
        unknown = patterns.rejections - patterns.known_stage_rejections
        if unknown:
            parts.append(
                rt.PATTERN_STAGE_PART.format(count=unknown, stage=t.REJECTIONS_UNKNOWN_STAGE)
            )
        text += _count(
            patterns.rejections, t.REJECTIONS_ONE, t.REJECTIONS_MANY, parts=", ".join(parts)
        )
    if patterns.no_answer:
        text += t.NO_ANSWER.format(count=patterns.no_answer, total=patterns.decided)
    for advice in patterns.advice:
        who = rt.ADVICE_REVIEWER.format(who=escape(reviewer)) if reviewer else rt.ADVICE_NO_REVIEWER
        text += rt.ADVICE[advice.suggestion].format(
            count=advice.count, total=advice.total, reviewer=who
        )
    return text


def applications_lines(snapshot: ProgressSnapshot, reviewer: str | None) -> str:
    """The funnel, then rejections by stage and what their patterns suggest."""
    if not snapshot.applied:
        return t.NO_APPLICATIONS
    return funnel_line(snapshot) + patterns_lines(snapshot.patterns, reviewer)


def progress_text(snapshot: ProgressSnapshot, reviewer: str | None) -> str:
    """The whole /progress message: every number the picture shows, and more."""
    if snapshot.is_empty:
        return t.EMPTY
    return (
        t.HEADER.format(date=long_date(snapshot.today))
        + t.SECTION_CHECKINS
        + checkins_lines(snapshot)
        + t.SECTION_ROADMAP
        + roadmap_lines(snapshot)
        + t.SECTION_APPLICATIONS
        + applications_lines(snapshot, reviewer)
    )


def checkin_summary(snapshot: ProgressSnapshot) -> str:
    """The two lines under a check-in: weeks, milestones and days left; the funnel.

    The check-in already says the streak, so the first line counts weeks checked in
    instead. Parts without data are left out, and a line with none at all too.
    """
    first: list[str] = []
    total = snapshot.weeks_answered + snapshot.weeks_missed
    if total:
        first.append(t.SUMMARY_WEEKS.format(answered=snapshot.weeks_answered, total=total))
    roadmap = snapshot.roadmap
    if roadmap is not None and roadmap.total:
        first.append(t.SUMMARY_MILESTONES.format(done=roadmap.done, total=roadmap.total))
    if roadmap is not None and roadmap.days_left > 0:
        first.append(_count(roadmap.days_left, t.SUMMARY_DAYS_ONE, t.SUMMARY_DAYS_MANY))
    lines = [t.SUMMARY_SEPARATOR.join(first)] if first else []
    if snapshot.applied:
        second = t.SUMMARY_APPLIED.format(count=snapshot.applied)
        screens, interviews, offers = (snapshot.reached(status) for status in FUNNEL_STAGES[1:])
        second += t.SUMMARY_STEP.format(
            part=_count(screens, t.SUMMARY_SCREENS_ONE, t.SUMMARY_SCREENS_MANY)
        )
        second += t.SUMMARY_STEP.format(
            part=_count(interviews, t.SUMMARY_INTERVIEWS_ONE, t.SUMMARY_INTERVIEWS_MANY)
        )
        if offers:
            second += t.SUMMARY_STEP.format(
                part=_count(offers, t.SUMMARY_OFFERS_ONE, t.SUMMARY_OFFERS_MANY)
            )
        lines.append(second)
    return "\n\n" + "\n".join(lines) if lines else ""


async def checkin_summary_for(
    session: AsyncSession, *, user_id: int, zone: str, today: date
) -> str:
    """The two summary lines for the message that closes a check-in."""
    return checkin_summary(await load_snapshot(session, user_id=user_id, zone=zone, today=today))


# --- the picture ------------------------------------------------------------------------------


def chart_labels(snapshot: ProgressSnapshot) -> ChartLabels:
    roadmap = snapshot.roadmap
    if roadmap is None or roadmap.days_left < 0:
        days_left = t.CHART_DEADLINE_PASSED if roadmap else ""
    elif roadmap.days_left == 0:
        days_left = t.CHART_DEADLINE_TODAY
    else:
        days_left = _count(roadmap.days_left, t.CHART_DAYS_LEFT_ONE, t.CHART_DAYS_LEFT_MANY)
    phase = roadmap.phase if roadmap else None
    stages = t.CHART_STAGES
    return ChartLabels(
        title=t.CHART_TITLE,
        date=short_date(snapshot.today) + f" {snapshot.today.year}",
        confidence=t.CHART_CONFIDENCE,
        streak=(
            _count(snapshot.streak, t.CHART_STREAK_ONE, t.CHART_STREAK_MANY)
            if snapshot.streak
            else ""
        ),
        week_labels=tuple(week_label(period) for period, _value in snapshot.confidence),
        no_checkins=t.CHART_NO_CHECKINS,
        applications=t.CHART_APPLICATIONS,
        stages=(stages[0], stages[1], stages[2], stages[3]),
        no_applications=t.CHART_NO_APPLICATIONS,
        roadmap=t.CHART_ROADMAP,
        days_left=days_left,
        milestones=(
            t.CHART_MILESTONES.format(done=roadmap.done, total=roadmap.total) if roadmap else ""
        ),
        phase=t.CHART_PHASE.format(phase=pt.CHART_PHASES[phase]) if phase else "",
        no_roadmap=t.CHART_NO_ROADMAP,
    )


# --- the command ------------------------------------------------------------------------------


async def show_progress(update: Update, context: Context) -> None:
    """/progress: the numbers as text, then the picture (none for an empty account)."""
    user = await current_user(update, context)
    zone = user.timezone or context.settings.default_timezone
    now = context.now()
    today = local_now(zone, now).date()
    async with context.sessions.begin() as session:
        snapshot = await load_snapshot(session, user_id=user.id, zone=zone, today=today)
        reviewer = await cv_reviewer(session, user.id)
        # Looking at the numbers is the moment to step back, when a retrospective is due.
        retro = await queue_retrospective_if_due(
            session, user=user, now=now, default_zone=context.settings.default_timezone, at=now
        )
    text = progress_text(snapshot, reviewer)
    await reply(update, text + (t.RETRO_SOON if retro else ""))
    if snapshot.is_empty:
        return
    # Drawing takes ~16 ms of CPU (with matplotlib it took ~150 and set everyone's p99
    # reply latency, docs/benchmarks.md): off the event loop, half of it in zlib, which
    # lets go of the GIL.
    png = await asyncio.to_thread(render_progress_png, snapshot, chart_labels(snapshot))
    chat = update.effective_chat
    assert chat is not None
    await chat.send_photo(photo=InputFile(png, filename="progress.png"), caption=t.CAPTION)


def progress_handlers() -> list[BaseHandler[Update, Context, object]]:
    return [CommandHandler("progress", show_progress)]
