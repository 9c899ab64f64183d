"""The conversation engine behind the coaching steps (/why, /target, /team, /pitch).

A step is declared as a `Questionnaire`: an ordered list of questions, some asked only
when earlier answers call for them. The engine asks them one message at a time, saves
each answer the moment it arrives, supports /skip and /back, resumes where the user left
off, and — when a finished step is opened again — shows the saved answers with a
"change" button per answer and "keep all".

Steps are declared at import, in English: every plain string of a declaration (intro,
labels, prompts, choice labels) goes through `tr()` when it is shown, so it reads in the
user's language; callables read their texts when called, already translated.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message, Update
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
from bot.i18n import tr
from bot.timezones import local_now
from handlers.common import (
    Button,
    answer_button,
    button_rows,
    edit_in_place,
    edit_or_reply,
    end_flow,
    ensure_user,
    enter_flow,
    escape,
    flow_fallbacks,
    inline_keyboard,
    pick_a_button,
    reply,
)
from storage.repositories.journey import JourneyRepository

ASKING, REVIEWING = range(2)
SKIPPED = ""  # stored for a skipped question, so a resumed step does not ask it again


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"  # one button (and, with accepts_text, typed text too)
    MULTI = "multi"  # toggle buttons, then Done; stored as a JSON list
    PROPOSAL = "proposal"  # the bot proposes a text; "use this" or type your own


@dataclass(frozen=True, slots=True)
class Choice:
    value: str  # short: it travels in callback data
    label: str


@dataclass(frozen=True, slots=True)
class Env:
    """What a question may look at to word itself: earlier answers and the user's today."""

    user_id: int
    today: date
    answers: dict[str, str]
    extra: dict[str, object] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        value = self.answers.get(key)
        return value or None

    def chosen(self, key: str) -> list[str]:
        """The values picked on a multiple-choice question."""
        return decode_multi(self.answers.get(key))


@dataclass(frozen=True, slots=True)
class Parsed:
    """Typed text turned into the value to store, or a reason to ask again."""

    value: str | None = None
    error: str | None = None


Text = str | Callable[[Env], str]
Choices = tuple[Choice, ...] | Callable[[Env], tuple[Choice, ...]]


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    label: Text  # its short name in the review list (plain text)
    prompt: Text  # HTML; anything quoted from the user must be escaped by the callable
    kind: Kind = Kind.TEXT
    choices: Choices = ()
    accepts_text: bool = False
    required: bool = False
    ask_if: Callable[[Env], bool] | None = None
    react: Callable[[Env], str | None] | None = None  # a word after the answer (a pitfall …)
    parse: Callable[[str, Env], Parsed] | None = None
    show: Callable[[str, Env], str] | None = None  # stored value → HTML for the review
    propose: Callable[[Env], str] | None = None
    resets: tuple[str, ...] = ()  # answers that stop making sense when this one changes
    max_length: int = 1000
    columns: int = 2

    def applies(self, env: Env) -> bool:
        return self.ask_if is None or self.ask_if(env)

    def options(self, env: Env) -> tuple[Choice, ...]:
        return self.choices(env) if callable(self.choices) else self.choices


@dataclass(frozen=True, slots=True)
class Questionnaire:
    step: str  # also the command that opens it
    intro: str  # said before the first question, the first time only
    review_header: str
    questions: tuple[Question, ...]
    finish: Callable[[Env], str]  # the closing message (HTML)
    # Work the step does once answered (e.g. remember derived data); same transaction.
    on_finish: Callable[[AsyncSession, Env], Awaitable[None]] | None = None
    # Extra data a step's questions need (e.g. the chosen occupation), loaded per update.
    load_extra: (
        Callable[[AsyncSession, int, dict[str, str]], Awaitable[dict[str, object]]] | None
    ) = None

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


def decode_multi(value: str | None) -> list[str]:
    if not value:
        return []
    try:
        loaded = json.loads(value)
    except ValueError:
        return []
    return [str(item) for item in loaded] if isinstance(loaded, list) else []


def _render(text: Text, env: Env) -> str:
    return text(env) if callable(text) else tr(text)


class QuestionnaireFlow:
    """The handlers of one questionnaire, bound to its definition."""

    def __init__(self, spec: Questionnaire) -> None:
        self.spec = spec
        self._at_key = f"{spec.step}:at"
        self._edit_key = f"{spec.step}:edit"
        self._prefix = f"q:{spec.step}:"

    # --- state ------------------------------------------------------------------------

    async def _env(self, update: Update, context: Context) -> Env:
        """The user and their answers so far, read in one transaction (nearly every update
        of a questionnaire starts here)."""
        tg_user = update.effective_user
        assert tg_user is not None, "every flow update has a user"
        async with context.sessions.begin() as session:
            user = await ensure_user(session, tg_user)
            answers = await JourneyRepository(session).answers(user_id=user.id, step=self.spec.step)
            extra = (
                await self.spec.load_extra(session, user.id, answers)
                if self.spec.load_extra
                else {}
            )
        zone = user.timezone or context.settings.default_timezone
        return Env(
            user_id=user.id,
            today=local_now(zone, context.now()).date(),
            answers=answers,
            extra=extra,
        )

    def _current(self, context: Context) -> Question:
        key = context.draft.get(self._at_key)
        question = self.spec.question(key) if isinstance(key, str) else None
        return question or self.spec.questions[0]

    def _applicable(self, env: Env) -> list[Question]:
        return [q for q in self.spec.questions if q.applies(env)]

    def _next_unanswered(self, env: Env, after: Question | None) -> Question | None:
        """The first applicable question without an answer, after `after` (or from the start)."""
        questions = self._applicable(env)
        if after is not None:
            position = self.spec.questions.index(after)
            questions = [q for q in questions if self.spec.questions.index(q) > position]
        return next((q for q in questions if q.key not in env.answers), None)

    def _next_in_order(self, env: Env, after: Question) -> Question | None:
        position = self.spec.questions.index(after)
        return next(
            (q for q in self._applicable(env) if self.spec.questions.index(q) > position), None
        )

    # --- asking -----------------------------------------------------------------------

    async def _ask(
        self, update: Update, context: Context, env: Env, question: Question, prefix: str = ""
    ) -> int:
        context.draft[self._at_key] = question.key
        applicable = self._applicable(env)
        number = applicable.index(question) + 1 if question in applicable else 1
        text = prefix + texts.QUESTION_PROGRESS.format(number=number, total=len(applicable))
        text += _render(question.prompt, env)
        markup = None
        if question.kind is Kind.MULTI:
            text += texts.QUESTION_MULTI_HINT
            markup = self._multi_keyboard(question, env)
        elif question.kind is Kind.CHOICE:
            buttons = [(tr(c.label), self._data(question, c.value)) for c in question.options(env)]
            markup = inline_keyboard(button_rows(buttons, question.columns))
        elif question.kind is Kind.PROPOSAL:
            assert question.propose is not None
            text += texts.QUESTION_PROPOSAL_HINT
            markup = inline_keyboard([[(texts.QUESTION_PROPOSAL_USE, self._data(question, "use"))]])
        if question.kind is not Kind.PROPOSAL:
            text += texts.QUESTION_HINT_BACK if question.required else texts.QUESTION_HINT_SKIP
        await reply(update, text, markup)
        return ASKING

    def _data(self, question: Question, value: str) -> str:
        return f"{self._prefix}{question.key}:{value}"

    def _multi_keyboard(self, question: Question, env: Env) -> InlineKeyboardMarkup:
        chosen = set(env.chosen(question.key))
        buttons = [
            (("✓ " if c.value in chosen else "") + tr(c.label), self._data(question, "+" + c.value))
            for c in question.options(env)
        ]
        rows = button_rows(buttons, question.columns)
        rows.append([(texts.QUESTION_MULTI_DONE, self._data(question, "!"))])
        return inline_keyboard(rows)

    # --- entering -----------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> int:
        """Open the step: the review when finished, else the next unanswered question."""
        enter_flow(context, self.spec.step)
        context.draft.pop(self._edit_key, None)
        env = await self._env(update, context)
        async with context.sessions() as session:
            finished = await JourneyRepository(session).is_complete(
                user_id=env.user_id, step=self.spec.step
            )
        if finished:
            return await self._review(update, context, env)
        question = self._next_unanswered(env, None)
        if question is None:
            return await self._finish(update, context, env)
        prefix = (texts.QUESTION_RESUME if env.answers else tr(self.spec.intro)) + "\n\n"
        return await self._ask(update, context, env, question, prefix)

    # --- answering ----------------------------------------------------------------------

    async def _save(self, context: Context, env: Env, key: str, value: str) -> Env:
        question = self.spec.question(key)
        changed = env.answers.get(key) != value
        stale = question.resets if question is not None and changed else ()
        async with context.sessions.begin() as session:
            journey = JourneyRepository(session)
            await journey.save(
                user_id=env.user_id, step=self.spec.step, key=key, value=value, now=context.now()
            )
            for dependent in stale:
                await journey.forget(user_id=env.user_id, step=self.spec.step, key=dependent)
            answers = {k: v for k, v in env.answers.items() if k not in stale}
            answers[key] = value
            extra = (
                await self.spec.load_extra(session, env.user_id, answers)
                if self.spec.load_extra and changed
                else env.extra
            )
        return Env(env.user_id, env.today, answers, extra)

    async def _after_answer(
        self, update: Update, context: Context, env: Env, question: Question
    ) -> int:
        reaction = question.react(env) if question.react else None
        prefix = f"{reaction}\n\n" if reaction else ""
        if context.draft.get(self._edit_key):
            # An edit: ask whatever the new answer opened up, then back to the review.
            following = self._next_unanswered(env, question)
            if following is not None:
                return await self._ask(update, context, env, following, prefix)
            if prefix:
                await reply(update, reaction or "")
            return await self._review(update, context, env)
        following = self._next_in_order(env, question)
        if following is None:
            if prefix:
                await reply(update, reaction or "")
            return await self._finish(update, context, env)
        return await self._ask(update, context, env, following, prefix)

    async def on_text(self, update: Update, context: Context) -> int:
        """A typed answer to the current question: check it, save it, ask the next."""
        message = update.effective_message
        assert message is not None and message.text is not None
        question = self._current(context)
        if question.kind is Kind.MULTI or (
            question.kind is Kind.CHOICE and not question.accepts_text
        ):
            await pick_a_button(update, context)
            return ASKING
        text = message.text.strip()
        if len(text) > question.max_length:
            await reply(
                update, texts.QUESTION_TOO_LONG.format(limit=question.max_length, length=len(text))
            )
            return ASKING
        env = await self._env(update, context)
        value = text
        if question.parse is not None:
            parsed = question.parse(text, env)
            if parsed.error is not None or parsed.value is None:
                await reply(update, parsed.error or texts.QUESTION_REQUIRED)
                return ASKING
            value = parsed.value
        if not value:
            await reply(update, texts.QUESTION_REQUIRED)
            return ASKING
        env = await self._save(context, env, question.key, value)
        return await self._after_answer(update, context, env, question)

    async def on_button(self, update: Update, context: Context) -> int:
        """A button under a question or under the review."""
        query = update.callback_query
        assert query is not None and query.data is not None
        rest = query.data.removeprefix(self._prefix)
        if rest.startswith("!"):
            return await self._review_button(update, context, rest)
        key, _, value = rest.partition(":")
        question = self.spec.question(key)
        if question is None or question.key != self._current(context).key:
            await query.answer(texts.STALE_BUTTON)
            return ASKING
        env = await self._env(update, context)
        if question.kind is Kind.MULTI:
            return await self._toggle(update, context, env, question, value)
        if question.kind is Kind.PROPOSAL:
            await answer_button(update)
            assert question.propose is not None
            env = await self._save(context, env, key, question.propose(env))
            return await self._after_answer(update, context, env, question)
        if value not in {c.value for c in question.options(env)}:
            await query.answer(texts.STALE_BUTTON)
            return ASKING
        await answer_button(update)
        env = await self._save(context, env, key, value)
        return await self._after_answer(update, context, env, question)

    async def _toggle(
        self, update: Update, context: Context, env: Env, question: Question, value: str
    ) -> int:
        query = update.callback_query
        assert query is not None
        chosen = env.chosen(question.key)
        if value == "!":
            if not chosen:
                await query.answer(texts.QUESTION_MULTI_EMPTY)
                return ASKING
            await answer_button(update)
            return await self._after_answer(update, context, env, question)
        choice = value.removeprefix("+")
        if choice not in {c.value for c in question.options(env)}:
            await query.answer(texts.STALE_BUTTON)
            return ASKING
        chosen = [c for c in chosen if c != choice] if choice in chosen else [*chosen, choice]
        env = await self._save(context, env, question.key, json.dumps(chosen))
        await query.answer()
        if isinstance(query.message, Message) and query.message.text_html:
            # An older copy of the question may already show the new choice.
            await edit_in_place(
                update, query.message.text_html, self._multi_keyboard(question, env)
            )
        return ASKING

    async def skip(self, update: Update, context: Context) -> int:
        """/skip: leave this question for now and go on."""
        question = self._current(context)
        if question.required:
            await reply(update, texts.QUESTION_REQUIRED)
            return ASKING
        env = await self._env(update, context)
        if question.key not in env.answers:
            env = await self._save(context, env, question.key, SKIPPED)
        return await self._after_answer(update, context, env, question)

    async def back(self, update: Update, context: Context) -> int:
        """/back: ask the previous question again."""
        question = self._current(context)
        env = await self._env(update, context)
        applicable = self._applicable(env)
        position = self.spec.questions.index(question)
        earlier = [q for q in applicable if self.spec.questions.index(q) < position]
        return await self._ask(update, context, env, earlier[-1] if earlier else question)

    # --- review and finish ----------------------------------------------------------------

    def display(self, question: Question, env: Env) -> str:
        """A saved answer as the review shows it (HTML)."""
        value = env.answers.get(question.key)
        if not value:
            return texts.QUESTION_SKIPPED
        if question.show is not None:
            return question.show(value, env)
        if question.kind is Kind.MULTI:
            labels = {c.value: tr(c.label) for c in question.options(env)}
            return escape(", ".join(labels.get(v, v) for v in env.chosen(question.key)))
        if question.kind is Kind.CHOICE:
            labels = {c.value: tr(c.label) for c in question.options(env)}
            return escape(labels.get(value, value))
        return escape(value)

    async def _review(self, update: Update, context: Context, env: Env) -> int:
        context.draft.pop(self._at_key, None)
        context.draft.pop(self._edit_key, None)
        lines = [tr(self.spec.review_header), ""]
        buttons: list[Button] = []
        for number, question in enumerate(self._applicable(env), 1):
            label = _render(question.label, env)
            lines.append(f"{number}. <b>{escape(label)}</b>: {self.display(question, env)}")
            buttons.append(
                (
                    texts.REVIEW_CHANGE.format(label=label),
                    f"{self._prefix}!edit:{question.key}",
                )
            )
        rows = button_rows(buttons, 2)
        rows.append([(texts.REVIEW_KEEP, f"{self._prefix}!keep")])
        await reply(update, "\n".join(lines) + texts.REVIEW_FOOTER, inline_keyboard(rows))
        return REVIEWING

    async def _review_button(self, update: Update, context: Context, action: str) -> int:
        env = await self._env(update, context)
        if action == "!keep":
            await answer_button(update)
            return await self._finish(update, context, env)
        question = self.spec.question(action.removeprefix("!edit:"))
        if question is None or not question.applies(env):
            await edit_or_reply(update, texts.STALE_BUTTON, None)
            return REVIEWING
        await answer_button(update)
        context.draft[self._edit_key] = True
        return await self._ask(update, context, env, question)

    async def _finish(self, update: Update, context: Context, env: Env) -> int:
        async with context.sessions.begin() as session:
            await JourneyRepository(session).complete(
                user_id=env.user_id, step=self.spec.step, now=context.now()
            )
            if self.spec.on_finish is not None:
                await self.spec.on_finish(session, env)
        await reply(update, self.spec.finish(env))
        context.draft.pop(self._at_key, None)
        context.draft.pop(self._edit_key, None)
        return end_flow(context)

    async def stray_in_review(self, update: Update, context: Context) -> int:
        await pick_a_button(update, context)
        return REVIEWING

    # --- wiring -----------------------------------------------------------------------------

    def conversation(self) -> ConversationHandler[Context]:
        step = self.spec.step
        text = filters.TEXT & ~filters.COMMAND
        buttons: BaseHandler[Update, Context, object] = CallbackQueryHandler(
            self.on_button, pattern=rf"^q:{step}:"
        )
        asking: list[BaseHandler[Update, Context, object]] = [
            MessageHandler(text, self.on_text),
            buttons,
            CommandHandler("skip", self.skip),
            CommandHandler("back", self.back),
        ]
        return ConversationHandler(
            entry_points=[CommandHandler(step, self.start)],
            states={
                ASKING: asking,
                REVIEWING: [
                    buttons,
                    CommandHandler("skip", self.stray_in_review),
                    CommandHandler("back", self.stray_in_review),
                    MessageHandler(filters.ALL & ~filters.COMMAND, self.stray_in_review),
                ],
            },
            fallbacks=flow_fallbacks(step),
            name=step,
            persistent=True,
            allow_reentry=True,
        )


def build_questionnaire(spec: Questionnaire) -> ConversationHandler[Context]:
    return QuestionnaireFlow(spec).conversation()
