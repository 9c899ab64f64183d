"""/plan: a deadline in the user's words, the hours a week they can give, and for each of the
top gaps a method and a first concrete step; then the weekly milestones up to the deadline.

Hand-written rather than a questionnaire: the deadline is confirmed back as a date, two
questions repeat per gap, and every change rebuilds the roadmap. Each answer is saved the
moment it is given (plans, plan_focus); where the user is lives in the draft (persisted
user_data), so a restart resumes at the same question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.context import Context
from bot.deadline import DeadlineProblem, DeadlineResult, parse_deadline
from bot.gap_ranking import DEFAULT_IMPORTANCE, GapInput, gap_size, top_gaps
from bot.roadmap import (
    MAX_HOURS_PER_WEEK,
    MIN_HOURS_PER_WEEK,
    FocusItem,
    Method,
    Roadmap,
    build_roadmap,
    monday_of,
)
from bot.texts import plan as t
from bot.timezones import local_now
from handlers.common import (
    Button,
    answer_button,
    current_user,
    end_flow,
    enter_flow,
    escape,
    flow_fallbacks,
    inline_keyboard,
    long_date,
    pick_a_button,
    reply,
)
from handlers.roadmap import (
    load_stored_roadmap,
    phase_lines,
    roadmap_milestones,
    week_count,
    week_milestone_lines,
)
from storage.models import GapItem, Plan, PlanFocus
from storage.repositories.plans import FocusGap, MilestoneRepository, PlanRepository

DEADLINE, CONFIRM_DEADLINE, HOURS, METHOD, FIRST_STEP, REVIEW = range(6)

STEP = "plan"
TOP_GAPS = 3
MAX_YEARS = 5
HOUR_CHOICES = (2, 5, 8, 10, 15, 20)
MAX_FIRST_STEP = 300
MAX_DEADLINE_WORDS = 200  # the size of plans.deadline_text
SHORT_DEADLINE_DAYS = 21  # under three weeks the builder drops phases: say so
FORTNIGHT_DAYS = 14

# Where the user is, in the draft: the question asked ("deadline", "confirm", "hours",
# "method:<n>", "step:<n>", "review"). Buttons are checked against it, so an old or
# doubly pressed button gets a toast instead of answering the wrong question.
_AT = "plan:at"
_PENDING = "plan:pending"  # [ISO date, the user's words]: read but not confirmed yet
_EDITING = "plan:edit"  # answering from the review: back to the review afterwards
_CHANGED = "plan:changed"  # the review rebuilt the roadmap at least once
_DRAFT_KEYS = (_AT, _PENDING, _EDITING, _CHANGED)

Q_DEADLINE, Q_CONFIRM, Q_HOURS, Q_REVIEW = "deadline", "confirm", "hours", "review"
Q_METHOD, Q_STEP = "method", "step"
_METHOD_DATA = re.compile(r"pl:m:(?P<index>\d+):(?P<method>" + "|".join(Method) + ")")


@dataclass(frozen=True, slots=True)
class PlanView:
    """The plan as saved, and the user's today, loaded for one update."""

    user_id: int
    zone: str
    today: date
    plan: Plan | None
    focus: tuple[PlanFocus, ...]
    gaps: dict[str, GapItem]

    @property
    def built(self) -> bool:
        return self.plan is not None and self.plan.built_at is not None


# --- loading and rebuilding -------------------------------------------------------------------


def _gap_input(item: GapItem) -> GapInput:
    return GapInput(
        key=item.key,
        name=item.name,
        area=item.area,
        current=item.current_level or 0,
        required=item.required_level or 0,
        importance=item.importance,
    )


def _top_focus(gaps: Sequence[GapItem]) -> list[FocusGap]:
    ranked = top_gaps([_gap_input(item) for item in gaps], n=TOP_GAPS)
    return [FocusGap(key=r.item.key, name=r.item.name) for r in ranked]


def _focus_items(focus: Sequence[PlanFocus], gaps: dict[str, GapItem]) -> list[FocusItem]:
    items = []
    for item in focus:
        gap = gaps.get(item.gap_key)
        items.append(
            FocusItem(
                key=item.gap_key,
                name=item.name,
                method=item.method or Method.OTHER,  # skipped: "your way"
                first_step=item.first_step or None,
                gap_size=gap_size(_gap_input(gap)) if gap is not None else 1,
                importance=gap.importance if gap is not None else DEFAULT_IMPORTANCE,
            )
        )
    return items


async def _user_today(update: Update, context: Context) -> tuple[int, str, date]:
    """The user's id, time zone and local today (deadlines are days on their calendar)."""
    user = await current_user(update, context)
    zone = user.timezone or context.settings.default_timezone
    return user.id, zone, local_now(zone, context.now()).date()


async def _load(update: Update, context: Context, *, sync_focus: bool = False) -> PlanView:
    """The saved plan; with `sync_focus`, first re-aim it at today's top gaps."""
    user_id, zone, today = await _user_today(update, context)
    async with context.sessions.begin() as session:
        plans = PlanRepository(session)
        gaps = await plans.assessed_gaps(user_id=user_id)
        if sync_focus:
            focus = await plans.sync_focus(
                user_id=user_id, gaps=_top_focus(gaps), now=context.now()
            )
        else:
            focus = await plans.focus(user_id=user_id)
        plan = await plans.get(user_id=user_id)
    return PlanView(user_id, zone, today, plan, tuple(focus), {gap.key: gap for gap in gaps})


async def rebuild_roadmap(
    session: AsyncSession, *, user_id: int, today: date, now: datetime
) -> Roadmap | None:
    """Lay the milestones out again from the saved plan, from `today` to the deadline.

    Done milestones are kept. None when the plan has no deadline or hours yet, or when
    the deadline is no longer ahead (the user must choose a new one first).
    """
    plans = PlanRepository(session)
    plan = await plans.get(user_id=user_id)
    if plan is None or plan.deadline is None or plan.hours_per_week is None:
        return None
    if plan.deadline <= today:
        return None
    gaps = {gap.key: gap for gap in await plans.assessed_gaps(user_id=user_id)}
    roadmap = build_roadmap(
        start=today,
        deadline=plan.deadline,
        hours_per_week=plan.hours_per_week,
        focus=_focus_items(await plans.focus(user_id=user_id), gaps),
    )
    await MilestoneRepository(session).replace_planned(
        user_id=user_id, milestones=roadmap_milestones(roadmap)
    )
    await plans.mark_built(user_id=user_id, now=now)
    return roadmap


# --- the questions, in order ------------------------------------------------------------------


def _positions(view: PlanView) -> list[str]:
    per_gap = ((f"{Q_METHOD}:{n}", f"{Q_STEP}:{n}") for n in range(len(view.focus)))
    return [Q_DEADLINE, Q_HOURS, *chain.from_iterable(per_gap)]


def _split(position: str) -> tuple[str, int]:
    """ "method:1" → ("method", 1); the index is -1 for questions not about a gap."""
    kind, _, index = position.partition(":")
    return kind, int(index) if index.isdigit() else -1


def _answered(view: PlanView, position: str) -> bool:
    plan = view.plan
    if position == Q_DEADLINE:
        return plan is not None and plan.deadline is not None
    if position == Q_HOURS:
        return plan is not None and plan.hours_per_week is not None
    kind, index = _split(position)
    item = view.focus[index]
    return (item.method if kind == Q_METHOD else item.first_step) is not None


def _next_open(view: PlanView, *, after: str | None) -> str | None:
    """The first unanswered question after `after` (from the start when None)."""
    positions = _positions(view)
    if after in positions:
        positions = positions[positions.index(after) + 1 :]
    return next((p for p in positions if not _answered(view, p)), None)


def _at(context: Context) -> str:
    at = context.draft.get(_AT)
    return at if isinstance(at, str) else Q_DEADLINE


def _focus_at(context: Context, view: PlanView, kind: str) -> int | None:
    """The gap the current question is about, when it is a `kind` question."""
    asked, index = _split(_at(context))
    return index if asked == kind and 0 <= index < len(view.focus) else None


# --- asking -----------------------------------------------------------------------------------


async def _ask(
    update: Update, context: Context, view: PlanView, position: str, prefix: str = ""
) -> int:
    context.draft[_AT] = position
    if position == Q_DEADLINE:
        return await ask_deadline(update, prefix)
    if position == Q_HOURS:
        return await ask_hours(update, prefix)
    kind, index = _split(position)
    if kind == Q_METHOD:
        return await ask_method(update, view, index, prefix)
    return await ask_first_step(update, view, index, prefix)


async def ask_deadline(update: Update, prefix: str = "") -> int:
    """The deadline question: any words, read as a date."""
    await reply(update, prefix + t.ASK_DEADLINE + t.HINT_FIRST)
    return DEADLINE


async def ask_hours(update: Update, prefix: str = "") -> int:
    """Hours a week: a few buttons, or a typed number."""
    buttons = [(t.HOURS_BUTTON.format(hours=h), f"pl:h:{h}") for h in HOUR_CHOICES]
    text = t.ASK_HOURS.format(low=MIN_HOURS_PER_WEEK, high=MAX_HOURS_PER_WEEK)
    await reply(update, prefix + text + t.HINT_BACK, inline_keyboard([buttons[:3], buttons[3:]]))
    return HOURS


async def ask_method(update: Update, view: PlanView, index: int, prefix: str = "") -> int:
    """How the user will close one of the top gaps."""
    item = view.focus[index]
    text = t.ASK_METHOD.format(number=index + 1, total=len(view.focus), name=escape(item.name))
    gap = view.gaps.get(item.gap_key)
    if gap is not None and gap.current_level is not None and gap.required_level is not None:
        text += t.GAP_LEVELS.format(current=gap.current_level, required=gap.required_level)
    buttons = [(label, f"pl:m:{index}:{code}") for code, label in t.METHOD_LABELS.items()]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    await reply(update, prefix + text + t.HINT_SKIP, inline_keyboard(rows))
    return METHOD


async def ask_first_step(update: Update, view: PlanView, index: int, prefix: str = "") -> int:
    """The first concrete step for one gap, in the user's words."""
    item = view.focus[index]
    example = t.FIRST_STEP_EXAMPLES.get(item.method or Method.OTHER, t.FIRST_STEP_EXAMPLES["other"])
    text = t.ASK_FIRST_STEP.format(name=escape(item.name), example=example)
    await reply(update, prefix + text + t.HINT_SKIP)
    return FIRST_STEP


# --- entering ---------------------------------------------------------------------------------


def _forget_place(context: Context) -> None:
    for key in _DRAFT_KEYS:
        context.draft.pop(key, None)


async def start_plan(update: Update, context: Context) -> int:
    """/plan: the review when the plan is built, else the next question still open."""
    enter_flow(context, STEP)
    _forget_place(context)
    view = await _load(update, context, sync_focus=True)
    position = _next_open(view, after=None)
    if position is None:
        if view.built:
            return await _review(update, context, view)
        return await _build_and_finish(update, context, view)
    started = view.plan is not None or any(_answered(view, p) for p in _positions(view)[2:])
    prefix = (t.RESUME if started else t.INTRO) + "\n\n"
    return await _ask(update, context, view, position, prefix)


# --- answering --------------------------------------------------------------------------------


def _distance(days: int) -> str:
    if days == 1:
        return t.DISTANCE_ONE_DAY
    if days < FORTNIGHT_DAYS:
        return t.DISTANCE_DAYS.format(count=days)
    if days % 7 == 0:
        return t.DISTANCE_WEEKS.format(count=days // 7)
    return t.DISTANCE_ABOUT_WEEKS.format(count=round(days / 7))


def _deadline_problem(text: str, result: DeadlineResult) -> str:
    words = escape(text[:80])
    found = long_date(result.deadline) if result.deadline is not None else ""
    if result.problem is DeadlineProblem.PAST:
        return t.DEADLINE_PAST.format(text=words, date=found)
    if result.problem is DeadlineProblem.TODAY:
        return t.DEADLINE_TODAY
    if result.problem is DeadlineProblem.TOO_FAR:
        return t.DEADLINE_TOO_FAR.format(text=words, date=found, years=MAX_YEARS)
    return t.DEADLINE_UNPARSABLE.format(text=words)


async def take_deadline(update: Update, context: Context) -> int:
    """Typed deadline: read it from the user's today, then confirm it back as a date."""
    message = update.effective_message
    assert message is not None and message.text is not None
    text = message.text.strip()
    _user_id, _zone, today = await _user_today(update, context)
    result = parse_deadline(text, today=today, max_years=MAX_YEARS)
    if not result.ok or result.deadline is None:
        context.draft[_AT] = Q_DEADLINE
        await reply(update, _deadline_problem(text, result))
        return DEADLINE
    deadline = result.deadline
    context.draft[_AT] = Q_CONFIRM
    context.draft[_PENDING] = [deadline.isoformat(), text[:MAX_DEADLINE_WORDS]]
    days = (deadline - today).days
    question = t.CONFIRM_DEADLINE.format(date=long_date(deadline), distance=_distance(days))
    if days < SHORT_DEADLINE_DAYS:
        question += t.SHORT_DEADLINE_NOTE
    buttons = [(t.DEADLINE_YES, f"pl:dl:yes:{deadline.isoformat()}"), (t.DEADLINE_FIX, "pl:dl:no")]
    await reply(update, question, inline_keyboard([buttons]))
    return CONFIRM_DEADLINE


async def confirm_deadline(update: Update, context: Context) -> int | None:
    """Yes: save the date and the user's words. No: ask for the date again."""
    query = update.callback_query
    assert query is not None and query.data is not None
    pending = context.draft.get(_PENDING)
    answer = query.data.removeprefix("pl:dl:")
    expected = f"yes:{pending[0]}" if isinstance(pending, list) else None
    if _at(context) != Q_CONFIRM or answer not in {expected, "no"}:
        await stale_press(update, context)
        return None
    await answer_button(update)
    context.draft.pop(_PENDING, None)
    if answer == "no":
        context.draft[_AT] = Q_DEADLINE
        await reply(update, t.DEADLINE_ASK_AGAIN)
        return DEADLINE
    assert isinstance(pending, list)
    user_id, _zone, _today = await _user_today(update, context)
    async with context.sessions.begin() as session:
        await PlanRepository(session).save_deadline(
            user_id=user_id,
            deadline=date.fromisoformat(pending[0]),
            text=str(pending[1]),
            now=context.now(),
        )
    return await _advance(update, context, Q_DEADLINE)


def parse_hours(text: str) -> int | None:
    """ "6", "6h", "6 hours", "6 h a week" → 6; anything else → None."""
    words = text.lower().replace("/", " ").split()
    if not words:
        return None
    number = words[0].rstrip("h")
    rest = {"h", "hrs", "hr", "hour", "hours", "a", "per", "week", "wk", "w"}
    if not number.isdigit() or not set(words[1:]) <= rest:
        return None
    return int(number)


async def type_hours(update: Update, context: Context) -> int:
    """Hours a week typed as a number."""
    message = update.effective_message
    assert message is not None and message.text is not None
    hours = parse_hours(message.text.strip())
    limits = {"low": MIN_HOURS_PER_WEEK, "high": MAX_HOURS_PER_WEEK}
    if hours is None:
        await reply(update, t.HOURS_INVALID.format(**limits))
        return HOURS
    if hours < MIN_HOURS_PER_WEEK:
        await reply(update, t.HOURS_ZERO.format(**limits))
        return HOURS
    if hours > MAX_HOURS_PER_WEEK:
        await reply(update, t.HOURS_TOO_MANY.format(hours=hours, **limits))
        return HOURS
    return await _save_hours(update, context, hours)


async def choose_hours(update: Update, context: Context) -> int | None:
    """One of the hour buttons."""
    query = update.callback_query
    assert query is not None and query.data is not None
    value = query.data.removeprefix("pl:h:")
    if _at(context) != Q_HOURS or not value.isdigit() or int(value) not in HOUR_CHOICES:
        await stale_press(update, context)
        return None
    await answer_button(update)
    return await _save_hours(update, context, int(value))


async def _save_hours(update: Update, context: Context, hours: int) -> int:
    user_id, _zone, _today = await _user_today(update, context)
    async with context.sessions.begin() as session:
        await PlanRepository(session).save_hours(user_id=user_id, hours=hours, now=context.now())
    return await _advance(update, context, Q_HOURS)


async def choose_method(update: Update, context: Context) -> int | None:
    """A method button for one gap ("pl:m:<gap number>:<method>")."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = _METHOD_DATA.fullmatch(query.data)
    view = await _load(update, context)
    index = _focus_at(context, view, Q_METHOD)
    if match is None or index is None or match["index"] != str(index):
        await stale_press(update, context)
        return None
    method = match["method"]
    await answer_button(update)
    async with context.sessions.begin() as session:
        await PlanRepository(session).save_method(
            user_id=view.user_id,
            gap_key=view.focus[index].gap_key,
            method=method,
            now=context.now(),
        )
    return await _advance(update, context, _at(context))


async def take_first_step(update: Update, context: Context) -> int:
    """The first concrete step for the gap being asked about."""
    message = update.effective_message
    assert message is not None and message.text is not None
    text = message.text.strip()
    if len(text) > MAX_FIRST_STEP:
        await reply(update, t.FIRST_STEP_TOO_LONG.format(limit=MAX_FIRST_STEP, length=len(text)))
        return FIRST_STEP
    view = await _load(update, context)
    index = _focus_at(context, view, Q_STEP)
    if index is None:
        # The gap left the plan meanwhile (another device ran /gaps): start over cleanly.
        return await start_plan(update, context)
    async with context.sessions.begin() as session:
        await PlanRepository(session).save_first_step(
            user_id=view.user_id,
            gap_key=view.focus[index].gap_key,
            first_step=text,
            now=context.now(),
        )
    return await _advance(update, context, _at(context))


async def skip(update: Update, context: Context) -> int:
    """/skip: a method or first step can wait; the date and the hours cannot."""
    position = _at(context)
    if position == Q_DEADLINE:
        await reply(update, t.DEADLINE_REQUIRED)
        return DEADLINE
    if position == Q_CONFIRM:
        await pick_a_button(update, context)
        return CONFIRM_DEADLINE
    if position == Q_HOURS:
        await reply(update, t.HOURS_REQUIRED)
        return HOURS
    view = await _load(update, context)
    kind, index = _split(position)
    if not 0 <= index < len(view.focus):
        return await start_plan(update, context)
    if not _answered(view, position):
        # Saved as empty, so a resumed /plan does not ask it again.
        async with context.sessions.begin() as session:
            plans = PlanRepository(session)
            key, now = view.focus[index].gap_key, context.now()
            if kind == Q_METHOD:
                await plans.save_method(user_id=view.user_id, gap_key=key, method="", now=now)
            else:
                await plans.save_first_step(
                    user_id=view.user_id, gap_key=key, first_step="", now=now
                )
    return await _advance(update, context, position)


async def back(update: Update, context: Context) -> int:
    """/back: the previous question again (or the review, when changing one answer)."""
    view = await _load(update, context)
    if context.draft.get(_EDITING):
        return await _review(update, context, view)
    position = _at(context)
    if position == Q_CONFIRM:
        context.draft.pop(_PENDING, None)
        return await _ask(update, context, view, Q_DEADLINE)
    positions = _positions(view)
    index = positions.index(position) if position in positions else 0
    return await _ask(update, context, view, positions[max(0, index - 1)])


async def _advance(update: Update, context: Context, position: str) -> int:
    """After an answer: the next open question, or the roadmap (rebuilt after a change)."""
    view = await _load(update, context)
    if context.draft.get(_EDITING):
        return await _rebuild_and_review(update, context, view)
    following = _next_open(view, after=position)
    if following is not None:
        return await _ask(update, context, view, following)
    return await _build_and_finish(update, context, view)


# --- building ---------------------------------------------------------------------------------


async def _build(context: Context, view: PlanView) -> bool:
    async with context.sessions.begin() as session:
        roadmap = await rebuild_roadmap(
            session, user_id=view.user_id, today=view.today, now=context.now()
        )
    return roadmap is not None


async def _deadline_gone(update: Update, context: Context, view: PlanView) -> int:
    """The saved deadline is today or past (the plan was left for a while): ask anew."""
    deadline = view.plan.deadline if view.plan is not None else None
    prefix = t.DEADLINE_PASSED.format(date=long_date(deadline)) + "\n\n" if deadline else ""
    context.draft[_AT] = Q_DEADLINE
    return await ask_deadline(update, prefix)


async def _summary(context: Context, view: PlanView, *, header: str) -> str:
    """The roadmap in a few lines: phases with dates and this week's milestones."""
    async with context.sessions() as session:
        stored = await load_stored_roadmap(session, user_id=view.user_id, zone=view.zone)
    assert stored is not None, "only called once the roadmap is built"
    lines = [
        header.format(
            weeks=week_count(view.today, stored.deadline),
            deadline=long_date(stored.deadline),
            hours=stored.plan.hours_per_week,
        )
    ]
    lines += phase_lines(stored.roadmap)
    lines.append(t.THIS_WEEK_HEADER)
    lines += week_milestone_lines(stored.rows.get(monday_of(view.today), []), stored.focus)
    return "\n".join(lines) + t.BUILT_FOOTER


async def _build_and_finish(update: Update, context: Context, view: PlanView) -> int:
    header = t.REBUILT if view.built else t.BUILT
    if not await _build(context, view):
        return await _deadline_gone(update, context, view)
    view = await _load(update, context)
    text = await _summary(context, view, header=header)
    if not view.focus:
        text = t.NO_GAPS + "\n\n" + text
    await reply(update, text)
    _forget_place(context)
    return end_flow(context)


# --- review: /plan again after finishing -------------------------------------------------------


def _short(name: str) -> str:
    limit = t.BUTTON_NAME_LIMIT
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _review_text(view: PlanView, header: str) -> str:
    plan = view.plan
    lines = [header, ""]
    if plan is not None and plan.deadline is not None:
        deadline = long_date(plan.deadline)
        if plan.deadline_text:
            deadline += t.REVIEW_DEADLINE_WORDS.format(text=escape(plan.deadline_text))
    else:
        deadline = t.REVIEW_NOT_SET
    lines.append(t.REVIEW_DEADLINE.format(date=deadline))
    hours = plan.hours_per_week if plan is not None else None
    lines.append(t.REVIEW_HOURS.format(hours=hours if hours is not None else t.REVIEW_NOT_SET))
    for number, item in enumerate(view.focus, 1):
        method = t.METHOD_LABELS.get(item.method or "", t.METHOD_UNDECIDED)
        step = escape(item.first_step) if item.first_step else t.FIRST_STEP_SKIPPED
        lines.append(
            t.REVIEW_FOCUS.format(
                number=number, name=escape(item.name), method=method, first_step=step
            )
        )
    if not view.focus:
        lines.append(t.REVIEW_NO_FOCUS)
    return "\n".join(lines) + t.REVIEW_FOOTER


def _review_keyboard(view: PlanView) -> list[list[Button]]:
    rows: list[list[Button]] = [[(t.CHANGE_DEADLINE, "pl:e:dl"), (t.CHANGE_HOURS, "pl:e:h")]]
    for index, item in enumerate(view.focus):
        name = _short(item.name)
        rows.append(
            [
                (t.CHANGE_METHOD.format(name=name), f"pl:e:m:{index}"),
                (t.CHANGE_FIRST_STEP.format(name=name), f"pl:e:s:{index}"),
            ]
        )
    rows.append([(t.KEEP_ALL, "pl:keep")])
    return rows


async def _review(
    update: Update, context: Context, view: PlanView, header: str | None = None
) -> int:
    context.draft[_AT] = Q_REVIEW
    context.draft.pop(_EDITING, None)
    context.draft.pop(_PENDING, None)
    text = _review_text(view, header if header is not None else t.REVIEW_HEADER)
    await reply(update, text, inline_keyboard(_review_keyboard(view)))
    return REVIEW


async def _rebuild_and_review(update: Update, context: Context, view: PlanView) -> int:
    if not await _build(context, view):
        context.draft[_EDITING] = True
        return await _deadline_gone(update, context, view)
    context.draft[_CHANGED] = True
    return await _review(update, context, await _load(update, context), t.REVIEW_SAVED_HEADER)


_EDIT_TARGETS = {"dl": Q_DEADLINE, "h": Q_HOURS, "m": Q_METHOD, "s": Q_STEP}


async def review_button(update: Update, context: Context) -> int | None:
    """ "Keep all", or the change button of one answer."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if _at(context) != Q_REVIEW:
        await stale_press(update, context)
        return None
    view = await _load(update, context)
    if query.data == "pl:keep":
        await answer_button(update)
        return await _keep_all(update, context, view)
    target, _, index = query.data.removeprefix("pl:e:").partition(":")
    kind = _EDIT_TARGETS.get(target)
    position = kind if kind in (Q_DEADLINE, Q_HOURS) else f"{kind}:{index}"
    if kind is None or (index and not (index.isdigit() and int(index) < len(view.focus))):
        await stale_press(update, context)
        return None
    await answer_button(update)
    context.draft[_EDITING] = True
    return await _ask(update, context, view, position)


async def _keep_all(update: Update, context: Context, view: PlanView) -> int:
    if context.draft.get(_CHANGED):
        await reply(update, await _summary(context, view, header=t.REBUILT))
    else:
        await reply(update, t.KEPT)
    _forget_place(context)
    return end_flow(context)


async def stray_in_review(update: Update, context: Context) -> None:
    """Typing (or /skip, /back) while the review waits for a button."""
    await pick_a_button(update, context)


async def stale_press(update: Update, context: Context) -> None:
    """A button from an earlier question, or pressed twice: a toast, nothing else."""
    query = update.callback_query
    assert query is not None
    await query.answer(texts.STALE_BUTTON)


# --- wiring -----------------------------------------------------------------------------------


def build_plan_conversation() -> ConversationHandler[Context]:
    text = filters.TEXT & ~filters.COMMAND
    # Every state takes every plan button: each checks it against the question asked,
    # so an old or repeated press gets a toast rather than falling through.
    buttons: list[BaseHandler[Update, Context, object]] = [
        CallbackQueryHandler(confirm_deadline, pattern=r"^pl:dl:"),
        CallbackQueryHandler(choose_hours, pattern=r"^pl:h:"),
        CallbackQueryHandler(choose_method, pattern=r"^pl:m:"),
        CallbackQueryHandler(review_button, pattern=r"^pl:(e:|keep$)"),
        CallbackQueryHandler(stale_press, pattern=r"^pl:"),
    ]
    navigation: list[BaseHandler[Update, Context, object]] = [
        CommandHandler("skip", skip),
        CommandHandler("back", back),
    ]
    return ConversationHandler(
        entry_points=[CommandHandler(STEP, start_plan)],
        states={
            DEADLINE: [MessageHandler(text, take_deadline), *navigation, *buttons],
            CONFIRM_DEADLINE: [MessageHandler(text, take_deadline), *navigation, *buttons],
            HOURS: [MessageHandler(text, type_hours), *navigation, *buttons],
            METHOD: [MessageHandler(text, pick_a_button), *navigation, *buttons],
            FIRST_STEP: [MessageHandler(text, take_first_step), *navigation, *buttons],
            REVIEW: [
                *buttons,
                CommandHandler(["skip", "back"], stray_in_review),
                MessageHandler(filters.ALL & ~filters.COMMAND, stray_in_review),
            ],
        },
        fallbacks=flow_fallbacks(STEP),
        name=STEP,
        persistent=True,
        allow_reentry=True,
    )
