"""/pitch: who needs you, what you solve for them, your proof → a two-sentence pitch."""

from __future__ import annotations

from telegram.ext import ConversationHandler

from bot.context import Context
from bot.pitch import assemble_pitch
from bot.texts import pitch as t
from handlers.common import escape
from handlers.questionnaire import Env, Kind, Question, Questionnaire, build_questionnaire

STEP = "pitch"
MAX_PITCH = 500


def proposal(env: Env) -> str:
    pitch = assemble_pitch(
        employer=env.get("employer"),
        problem=env.get("problem"),
        proof=env.get("proof"),
        template=t.PITCH_TEMPLATE,
        no_proof=t.PITCH_NO_PROOF,
    )
    return (pitch or "")[:MAX_PITCH]


def _finish(env: Env) -> str:
    pitch = env.get("pitch")
    return t.DONE.format(pitch=escape(pitch)) if pitch else t.DONE_NO_PITCH


PITCH = Questionnaire(
    step=STEP,
    intro=t.INTRO,
    review_header=t.REVIEW_HEADER,
    questions=(
        Question("employer", t.LABEL_EMPLOYER, t.ASK_EMPLOYER, max_length=200),
        Question("problem", t.LABEL_PROBLEM, t.ASK_PROBLEM, max_length=300),
        Question("proof", t.LABEL_PROOF, t.ASK_PROOF, max_length=400),
        Question(
            "pitch",
            t.LABEL_PITCH,
            lambda env: t.ASK_PITCH.format(pitch=escape(proposal(env))),
            kind=Kind.PROPOSAL,
            propose=proposal,
            ask_if=lambda env: bool(proposal(env)),
            max_length=MAX_PITCH,
        ),
    ),
    finish=_finish,
)


def build_pitch_conversation() -> ConversationHandler[Context]:
    return build_questionnaire(PITCH)
