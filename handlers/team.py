"""/team: for each of five supporting roles, who it is and how to involve them this week."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot.context import Context
from bot.texts import team as t
from handlers.common import answer_button, current_user, escape, reply
from handlers.questionnaire import Choice, Env, Kind, Question, Questionnaire, build_questionnaire
from storage.repositories.journey import JourneyRepository

STEP = "team"
NOBODY = "nobody"
ROLE_KEYS = tuple(role for role, _description, _suggestion in t.ROLES)


def _description(role: str) -> str:
    """Who the role is, in the user's language (t.ROLES is read when asked, not at import)."""
    return next(description for key, description, _suggestion in t.ROLES if key == role)


def _suggestion(role: str) -> str:
    """How to find someone for the role, in the user's language."""
    return next(suggestion for key, _description, suggestion in t.ROLES if key == role)


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
        return t.REACT_NOBODY.format(suggestion=escape(_suggestion(role)))
    return None


def _show_who(value: str, env: Env) -> str:
    return t.NOBODY_SHOWN if value == NOBODY else escape(value)


def _role_questions(role: str) -> tuple[Question, Question]:
    # Labels and prompts are read when shown, so they speak the user's language.
    return (
        Question(
            who_key(role),
            lambda env: t.LABEL_WHO.format(role=t.ROLE_NAMES[role]),
            lambda env: t.ASK_WHO.format(role=_description(role)),
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
            lambda env: t.LABEL_HOW.format(role=t.ROLE_NAMES[role]),
            lambda env: t.ASK_HOW.format(who=escape(env.get(who_key(role)) or "")),
            ask_if=lambda env: _has_someone(role, env),
            max_length=300,
            resets=(activated_key(role),),
        ),
    )


@dataclass(frozen=True, slots=True)
class TeamNudge:
    """The role a check-in asks about: someone to involve, or a gap in the team."""

    role: str
    who: str | None  # None: nobody in that role yet
    how: str | None


def team_nudge(answers: dict[str, str]) -> TeamNudge | None:
    """The first person not yet involved; else the first empty role; None when all is done."""
    for role in ROLE_KEYS:
        who = answers.get(who_key(role))
        if who and who != NOBODY and not answers.get(activated_key(role)):
            return TeamNudge(role, who, answers.get(how_key(role)) or None)
    for role in ROLE_KEYS:
        if answers.get(who_key(role)) == NOBODY:
            return TeamNudge(role, None, None)
    return None


def nudge_text(nudge: TeamNudge) -> str:
    name = t.ROLE_NAMES[nudge.role]
    if nudge.who is None:
        return t.CHECKIN_NUDGE_NOBODY.format(
            role=name.lower(), suggestion=escape(_suggestion(nudge.role))
        )
    return t.CHECKIN_NUDGE.format(
        how_or_reach=t.CHECKIN_NUDGE_REACH, who=escape(nudge.who), role=name.lower()
    )


def nudge_buttons(nudge: TeamNudge) -> list[tuple[str, str]]:
    if nudge.who is None:
        return []
    return [
        (t.CHECKIN_ACTIVATED_BUTTON, f"tm:done:{nudge.role}"),
        (t.CHECKIN_NOT_YET_BUTTON, f"tm:later:{nudge.role}"),
    ]


async def activation_button(update: Update, context: Context) -> None:
    """ "Yes, done" / "Not yet" under a check-in's team question."""
    data = await answer_button(update)
    _prefix, action, role = data.split(":", 2)
    if role not in ROLE_KEYS:
        return
    if action == "done":
        user = await current_user(update, context)
        async with context.sessions.begin() as session:
            await JourneyRepository(session).save(
                user_id=user.id,
                step=STEP,
                key=activated_key(role),
                value=context.now().date().isoformat(),
                now=context.now(),
            )
        await reply(update, t.ACTIVATED)
    else:
        await reply(update, t.NOT_YET)


def team_button_handlers() -> list[BaseHandler[Update, Context, object]]:
    roles = "|".join(ROLE_KEYS)
    return [CallbackQueryHandler(activation_button, pattern=rf"^tm:(done|later):({roles})$")]


def _line(role: str, env: Env) -> str:
    name = t.ROLE_NAMES[role]
    if not _has_someone(role, env):
        return t.DONE_LINE_NOBODY.format(role=name, suggestion=escape(_suggestion(role)))
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
    questions=tuple(question for role in ROLE_KEYS for question in _role_questions(role)),
    finish=_finish,
)


def build_team_conversation() -> ConversationHandler[Context]:
    return build_questionnaire(TEAM)
