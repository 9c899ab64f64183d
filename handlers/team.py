"""/team: for each of five supporting roles, who it is and how to involve them this week."""

from __future__ import annotations

from telegram.ext import ConversationHandler

from bot.context import Context
from bot.texts import team as t
from handlers.common import escape
from handlers.questionnaire import Choice, Env, Kind, Question, Questionnaire, build_questionnaire

STEP = "team"
NOBODY = "nobody"
ROLE_KEYS = tuple(role for role, _description, _suggestion in t.ROLES)
SUGGESTIONS = {role: suggestion for role, _description, suggestion in t.ROLES}


def who_key(role: str) -> str:
    return f"{role}_who"


def how_key(role: str) -> str:
    return f"{role}_how"


def activated_key(role: str) -> str:
    return f"{role}_activated"


def _has_someone(role: str, env: Env) -> bool:
    who = env.get(who_key(role))
    return bool(who) and who != NOBODY


def _react(role: str, env: Env) -> str | None:
    if env.get(who_key(role)) == NOBODY:
        return t.REACT_NOBODY.format(suggestion=escape(SUGGESTIONS[role]))
    return None


def _show_who(value: str, env: Env) -> str:
    return t.NOBODY_SHOWN if value == NOBODY else escape(value)


def _role_questions(role: str, description: str) -> tuple[Question, Question]:
    name = t.ROLE_NAMES[role]
    return (
        Question(
            who_key(role),
            t.LABEL_WHO.format(role=name),
            t.ASK_WHO.format(role=description),
            kind=Kind.CHOICE,
            choices=(Choice(NOBODY, t.NOBODY),),
            accepts_text=True,
            columns=1,
            max_length=80,
            react=lambda env: _react(role, env),
            show=_show_who,
            resets=(activated_key(role),),
        ),
        Question(
            how_key(role),
            t.LABEL_HOW.format(role=name),
            lambda env: t.ASK_HOW.format(who=escape(env.get(who_key(role)) or "")),
            ask_if=lambda env: _has_someone(role, env),
            max_length=300,
            resets=(activated_key(role),),
        ),
    )


def _line(role: str, env: Env) -> str:
    name = t.ROLE_NAMES[role]
    if not _has_someone(role, env):
        return t.DONE_LINE_NOBODY.format(role=name, suggestion=escape(SUGGESTIONS[role]))
    how = env.get(how_key(role))
    return t.DONE_LINE_WHO.format(
        role=name,
        who=escape(env.get(who_key(role)) or ""),
        how=t.DONE_LINE_HOW.format(how=escape(how)) if how else "",
    )


def _finish(env: Env) -> str:
    lines = "\n".join(_line(role, env) for role in ROLE_KEYS)
    return t.DONE.format(lines=lines) + t.DONE_FOOTER


TEAM = Questionnaire(
    step=STEP,
    intro=t.INTRO,
    review_header=t.REVIEW_HEADER,
    questions=tuple(
        question
        for role, description, _suggestion in t.ROLES
        for question in _role_questions(role, description)
    ),
    finish=_finish,
)


def build_team_conversation() -> ConversationHandler[Context]:
    return build_questionnaire(TEAM)
