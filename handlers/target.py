"""/target: job title matched to an O*NET® occupation, sector, a typical day, certainty,
and one concrete test of the idea this month."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import ConversationHandler

from bot.clock_parsing import parse_future_date
from bot.context import Context
from bot.occupations import CATALOG, OccupationProfile, TitleMatch
from bot.texts import target as t
from handlers.common import escape, long_date
from handlers.questionnaire import (
    Choice,
    Env,
    Kind,
    Parsed,
    Question,
    Questionnaire,
    build_questionnaire,
    decode_multi,
)

STEP = "target"
NO_OCCUPATION = "none"
MAX_TITLE = 120
TASKS_SHOWN = 6
ACTION_HORIZON = timedelta(days=62)


def matches(env: Env) -> list[TitleMatch]:
    title = env.get("title")
    return CATALOG.match(title) if title else []


def profile(env: Env) -> OccupationProfile | None:
    found = env.extra.get("profile")
    return found if isinstance(found, OccupationProfile) else None


async def _load_profile(
    session: AsyncSession, user_id: int, answers: dict[str, str]
) -> dict[str, object]:
    code = answers.get("occupation")
    found = CATALOG.profile(code) if code and code != NO_OCCUPATION else None
    return {"profile": found} if found is not None else {}


def _occupation_choices(env: Env) -> tuple[Choice, ...]:
    found = tuple(Choice(m.code, m.title[:60]) for m in matches(env))
    return (*found, Choice(NO_OCCUPATION, t.NONE_OF_THESE))


def _ask_occupation(env: Env) -> str:
    lines = [
        (
            t.CANDIDATE_LINE_SAME.format(title=escape(m.title))
            if m.matched_title.casefold() == m.title.casefold()
            else t.CANDIDATE_LINE.format(title=escape(m.title), matched=escape(m.matched_title))
        )
        for m in matches(env)
    ]
    return t.ASK_OCCUPATION.format(
        title=escape(env.get("title") or ""), candidates="\n".join(lines)
    )


def _react_occupation(env: Env) -> str | None:
    if env.get("occupation") == NO_OCCUPATION:
        return t.REACT_NO_MATCH.format(title=escape(env.get("title") or ""))
    return None


def _show_occupation(value: str, env: Env) -> str:
    if value == NO_OCCUPATION:
        return t.OCCUPATION_NONE
    found = profile(env)
    return escape(found.title) if found else escape(value)


def _tasks(env: Env) -> tuple[str, ...]:
    found = profile(env)
    return found.core_tasks[:TASKS_SHOWN] if found else ()


def _task_list(env: Env, numbers: list[int] | None = None) -> str:
    return "\n".join(
        t.TASK_LINE.format(number=n, task=escape(task))
        for n, task in enumerate(_tasks(env), 1)
        if numbers is None or n in numbers
    )


def _task_choices(env: Env) -> tuple[Choice, ...]:
    return tuple(Choice(str(n), str(n)) for n in range(1, len(_tasks(env)) + 1))


def _ask_tasks_like(env: Env) -> str:
    found = profile(env)
    return t.ASK_TASKS_LIKE.format(
        occupation=escape(found.title if found else ""), tasks=_task_list(env)
    )


def _ask_tasks_dislike(env: Env) -> str:
    liked = {int(n) for n in env.chosen("tasks_like") if n.isdigit()}
    rest = [n for n in range(1, len(_tasks(env)) + 1) if n not in liked]
    return t.ASK_TASKS_DISLIKE.format(tasks=_task_list(env, rest))


def _dislike_choices(env: Env) -> tuple[Choice, ...]:
    liked = set(env.chosen("tasks_like"))
    return tuple(c for c in _task_choices(env) if c.value not in liked)


def _show_tasks(value: str, env: Env) -> str:
    tasks = _tasks(env)
    picked = [
        tasks[int(n) - 1] for n in decode_multi(value) if n.isdigit() and 0 < int(n) <= len(tasks)
    ]
    return "; ".join(escape(task) for task in picked) or "—"


def _has_tasks(env: Env) -> bool:
    return bool(_tasks(env))


def _react_certainty(env: Env) -> str | None:
    return t.REACT_LOW_CERTAINTY if env.get("certainty") in {"1", "2"} else None


def _action_dates(today: date) -> list[tuple[str, date]]:
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    month_end = today.replace(day=monthrange(today.year, today.month)[1])
    if month_end - today < timedelta(days=3):
        following = month_end + timedelta(days=1)
        month_end = following.replace(day=monthrange(following.year, following.month)[1])
    return [
        (t.ACTION_DATE_WEEKEND, saturday),
        (t.ACTION_DATE_WEEK, today + timedelta(days=7)),
        (t.ACTION_DATE_TWO_WEEKS, today + timedelta(days=14)),
        (t.ACTION_DATE_MONTH_END, month_end),
    ]


def _action_date_choices(env: Env) -> tuple[Choice, ...]:
    return tuple(Choice(day.isoformat(), label) for label, day in _action_dates(env.today))


def _parse_action_date(text: str, env: Env) -> Parsed:
    local_now = datetime.combine(env.today, datetime.min.time())
    found = parse_future_date(text, local_now=local_now)
    if found is None:
        return Parsed(error=t.ACTION_DATE_UNCLEAR)
    if found - env.today > ACTION_HORIZON:
        return Parsed(error=t.ACTION_DATE_TOO_FAR)
    return Parsed(value=found.isoformat())


def _show_date(value: str, env: Env) -> str:
    try:
        return long_date(date.fromisoformat(value))
    except ValueError:
        return escape(value)


def _finish(env: Env) -> str:
    found = profile(env)
    occupation = t.DONE_OCCUPATION.format(occupation=escape(found.title)) if found else ""
    text = t.DONE.format(title=escape(env.get("title") or ""), occupation=occupation)
    if env.get("action"):
        by = env.get("action_date")
        text += t.DONE_ACTION.format(
            action=escape(env.get("action") or ""),
            by=t.DONE_ACTION_BY.format(date=_show_date(by, env)) if by else "",
        )
    return text + t.DONE_NEXT


TARGET = Questionnaire(
    step=STEP,
    intro=t.INTRO,
    review_header=t.REVIEW_HEADER,
    load_extra=_load_profile,
    questions=(
        Question(
            "title",
            t.LABEL_TITLE,
            t.ASK_TITLE,
            required=True,
            max_length=MAX_TITLE,
            resets=("occupation", "tasks_like", "tasks_dislike"),
        ),
        Question(
            "occupation",
            t.LABEL_OCCUPATION,
            _ask_occupation,
            kind=Kind.CHOICE,
            choices=_occupation_choices,
            columns=1,
            required=True,
            ask_if=lambda env: bool(matches(env)),
            react=_react_occupation,
            show=_show_occupation,
            resets=("tasks_like", "tasks_dislike"),
        ),
        Question(
            "sector",
            t.LABEL_SECTOR,
            t.ASK_SECTOR,
            kind=Kind.CHOICE,
            choices=tuple(Choice(v, label) for v, label in t.SECTOR_CHOICES),
            accepts_text=True,
            max_length=80,
        ),
        Question(
            "tasks_like",
            t.LABEL_TASKS_LIKE,
            _ask_tasks_like,
            kind=Kind.MULTI,
            choices=_task_choices,
            columns=6,
            ask_if=_has_tasks,
            show=_show_tasks,
        ),
        Question(
            "tasks_dislike",
            t.LABEL_TASKS_DISLIKE,
            _ask_tasks_dislike,
            kind=Kind.MULTI,
            choices=_dislike_choices,
            columns=6,
            ask_if=lambda env: bool(_dislike_choices(env)),
            show=_show_tasks,
        ),
        Question(
            "typical_day",
            t.LABEL_TYPICAL_DAY,
            t.ASK_TYPICAL_DAY,
            ask_if=lambda env: not _has_tasks(env),
        ),
        Question(
            "certainty",
            t.LABEL_CERTAINTY,
            t.ASK_CERTAINTY,
            kind=Kind.CHOICE,
            choices=tuple(Choice(str(n), str(n)) for n in range(1, 6)),
            columns=5,
            react=_react_certainty,
            show=lambda value, env: t.CERTAINTY_SHOWN.format(value=escape(value)),
        ),
        Question("action", t.LABEL_ACTION, t.ASK_ACTION, max_length=300),
        Question(
            "action_date",
            t.LABEL_ACTION_DATE,
            t.ASK_ACTION_DATE,
            kind=Kind.CHOICE,
            choices=_action_date_choices,
            accepts_text=True,
            parse=_parse_action_date,
            ask_if=lambda env: bool(env.get("action")),
            show=_show_date,
            max_length=60,
        ),
    ),
    finish=_finish,
)


def build_target_conversation() -> ConversationHandler[Context]:
    return build_questionnaire(TARGET)
