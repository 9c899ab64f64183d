"""/why: what pushes the user away, what pulls them, the two pitfalls, and a why statement."""

from __future__ import annotations

from telegram.ext import ConversationHandler

from bot.context import Context
from bot.texts import why as t
from bot.why_statement import picture_may_be_idealised, points_to_job_change, propose_statement
from handlers.common import escape
from handlers.questionnaire import (
    Choice,
    Env,
    Kind,
    Question,
    Questionnaire,
    build_questionnaire,
)

STEP = "why"
MAX_STATEMENT = 300


def _choices(pairs: tuple[tuple[str, str], ...]) -> tuple[Choice, ...]:
    return tuple(Choice(value, label) for value, label in pairs)


def _ask_stay(env: Env) -> str:
    pushes = env.chosen("push")
    what = t.STAY_WHAT.get(pushes[0], t.STAY_WHAT_DEFAULT) if len(pushes) == 1 else None
    return t.ASK_STAY.format(what=what or t.STAY_WHAT_DEFAULT)


def _react_stay(env: Env) -> str | None:
    if points_to_job_change(stay_if_fixed=env.get("stay")):
        return t.REACT_JOB_CHANGE
    return t.REACT_UNSURE if env.get("stay") == "unsure" else None


def _react_day_to_day(env: Env) -> str | None:
    return t.REACT_IDEALISED if picture_may_be_idealised(day_to_day=env.get("day_to_day")) else None


def _ask_deeper_1(env: Env) -> str:
    pull = env.get("pull")
    return t.ASK_DEEPER_1.format(pull=escape(pull)) if pull else t.ASK_DEEPER_1_NO_PULL


def _ask_deeper_2(env: Env) -> str:
    previous = env.get("deeper_1") or env.get("pull") or ""
    return t.ASK_DEEPER_2.format(previous=escape(previous))


def proposal(env: Env) -> str:
    reasons = [env.get(key) or "" for key in ("deeper_1", "deeper_2", "deeper_3")]
    proposed = propose_statement(
        pull=env.get("pull"),
        reasons=reasons,
        template=t.STATEMENT_TEMPLATE,
        pull_only=t.STATEMENT_PULL_ONLY,
        fallback=t.STATEMENT_FALLBACK,
    )
    return (proposed or env.get("push_other") or "")[:MAX_STATEMENT]


def _ask_statement(env: Env) -> str:
    return t.ASK_STATEMENT.format(proposal=escape(proposal(env)))


def _finish(env: Env) -> str:
    statement = env.get("statement")
    if not statement:
        return t.DONE_NO_STATEMENT
    text = t.DONE.format(statement=escape(statement))
    if points_to_job_change(stay_if_fixed=env.get("stay")):
        text += t.DONE_JOB_CHANGE
    return text + t.DONE_NEXT


WHY = Questionnaire(
    step=STEP,
    intro=t.INTRO,
    review_header=t.REVIEW_HEADER,
    questions=(
        Question(
            "push", t.LABEL_PUSH, t.ASK_PUSH, kind=Kind.MULTI, choices=_choices(t.PUSH_CHOICES)
        ),
        Question(
            "push_other",
            t.LABEL_PUSH_OTHER,
            t.ASK_PUSH_OTHER,
            ask_if=lambda env: "other" in env.chosen("push"),
        ),
        Question("pull", t.LABEL_PULL, t.ASK_PULL),
        Question(
            "stay",
            t.LABEL_STAY,
            _ask_stay,
            kind=Kind.CHOICE,
            choices=_choices(t.STAY_CHOICES),
            columns=1,
            react=_react_stay,
        ),
        Question(
            "day_to_day",
            t.LABEL_DAY_TO_DAY,
            t.ASK_DAY_TO_DAY,
            kind=Kind.CHOICE,
            choices=_choices(t.DAY_TO_DAY_CHOICES),
            columns=1,
            react=_react_day_to_day,
        ),
        Question("deeper_1", t.LABEL_DEEPER_1, _ask_deeper_1),
        Question("deeper_2", t.LABEL_DEEPER_2, _ask_deeper_2),
        Question("deeper_3", t.LABEL_DEEPER_3, t.ASK_DEEPER_3),
        Question(
            "statement",
            t.LABEL_STATEMENT,
            _ask_statement,
            kind=Kind.PROPOSAL,
            propose=proposal,
            ask_if=lambda env: bool(proposal(env)),
            max_length=MAX_STATEMENT,
        ),
    ),
    finish=_finish,
)


def build_why_conversation() -> ConversationHandler[Context]:
    return build_questionnaire(WHY)
