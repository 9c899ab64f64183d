"""What a user's applications and rejections have in common, and what to do about it (pure).

The reflection flow and /reflections show these patterns; /progress can show the same
ones, so the inputs are plain protocols that the storage rows (Application,
ApplicationEvent, Reflection) already satisfy, and the result is codes and numbers —
the wording lives in bot/texts/reflections.py.

Thresholds (a pattern is only worth a suggestion when it is unlikely to be chance):

- a rejection-stage suggestion needs at least MIN_REJECTIONS rejections whose stage is
  known, and at least STAGE_SHARE of them at the one stage:
  no call-back → have the CV and cover letter reviewed by someone qualified;
  after the screening call → sharpen the pitch (the screen is where the story is judged);
  after interviews (any round, or the final one) → practise interviews;
- a "no answer" suggestion needs at least MIN_NO_ANSWER applications that never got an
  answer, and at least NO_ANSWER_SHARE of the applications whose fate is known
  (answered, or marked no answer) → follow up earlier and network more.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from bot.application_status import Status

MIN_REJECTIONS = 3
STAGE_SHARE = 0.6
MIN_NO_ANSWER = 3
NO_ANSWER_SHARE = 0.5

# An application has its first answer when it reaches one of these (a "no" is an answer).
ANSWERS = frozenset(
    {Status.SCREENING, Status.INTERVIEW, Status.OFFER, Status.ACCEPTED, Status.REJECTED}
)
# Applications whose fate is known: the no-answer rate is a share of these, not of the
# ones still waiting (which would make the rate look better than it is).
DECIDED = ANSWERS | {Status.NO_ANSWER}


class RejectionStage(StrEnum):
    NO_CALLBACK = "no_callback"  # rejected on the CV and letter: no call at all
    SCREENING = "screening"  # after a recruiter call, phone screen or test
    INTERVIEW = "interview"  # after an interview round (the reflection keeps which one)
    FINAL = "final"  # after the final round


AFTER_INTERVIEWS = frozenset({RejectionStage.INTERVIEW, RejectionStage.FINAL})


class Suggestion(StrEnum):
    REVIEW_CV = "review_cv"
    REFINE_PITCH = "refine_pitch"
    PRACTISE_INTERVIEWS = "practise_interviews"
    FOLLOW_UP_EARLIER = "follow_up_earlier"


class ApplicationFacts(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def status(self) -> str: ...


class StageEvent(Protocol):
    @property
    def application_id(self) -> int: ...

    @property
    def status(self) -> str: ...

    @property
    def happened_on(self) -> date: ...


class ReflectionFacts(Protocol):
    @property
    def application_id(self) -> int | None: ...

    @property
    def stage(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Advice:
    """A suggestion, and the numbers behind it ("count of total")."""

    suggestion: Suggestion
    count: int
    total: int


@dataclass(frozen=True, slots=True)
class Patterns:
    rejections: int  # every rejection, whether its stage is known or not
    rejections_by_stage: dict[RejectionStage, int]  # every stage, in funnel order
    no_answer: int
    decided: int  # applications whose fate is known (see DECIDED)
    median_days_to_answer: float | None
    answers_timed: int  # how many applications the median is taken over
    advice: tuple[Advice, ...]

    @property
    def no_answer_rate(self) -> float | None:
        return self.no_answer / self.decided if self.decided else None

    @property
    def known_stage_rejections(self) -> int:
        return sum(self.rejections_by_stage.values())

    @property
    def is_empty(self) -> bool:
        return not (self.rejections or self.no_answer or self.answers_timed)


def stage_from_history(events: Iterable[StageEvent]) -> RejectionStage:
    """Where a rejection came, judged from the furthest stage reached before it."""
    reached = {event.status for event in events}
    if Status.OFFER in reached or Status.ACCEPTED in reached:
        return RejectionStage.FINAL
    if Status.INTERVIEW in reached:
        return RejectionStage.INTERVIEW
    if Status.SCREENING in reached:
        return RejectionStage.SCREENING
    return RejectionStage.NO_CALLBACK


_STAGE_VALUES = frozenset(stage.value for stage in RejectionStage)


def _stage(value: str | None) -> RejectionStage | None:
    return RejectionStage(value) if value in _STAGE_VALUES else None


def rejection_stages(
    applications: Sequence[ApplicationFacts],
    events: Sequence[StageEvent],
    reflections: Sequence[ReflectionFacts],
) -> list[RejectionStage | None]:
    """One stage per rejection: the user's own answer when they gave one, else the history.

    Reflections whose application was deleted still count, with the stage they name.
    """
    history: dict[int, list[StageEvent]] = defaultdict(list)
    for event in events:
        history[event.application_id].append(event)
    told: dict[int, RejectionStage] = {}
    orphans: list[RejectionStage | None] = []
    for reflection in reflections:
        stage = _stage(reflection.stage)
        if reflection.application_id is None:
            orphans.append(stage)
        elif stage is not None:
            told[reflection.application_id] = stage
    stages: list[RejectionStage | None] = [
        told.get(application.id) or stage_from_history(history[application.id])
        for application in applications
        if application.status == Status.REJECTED
    ]
    return stages + orphans


def median_days_to_first_answer(events: Sequence[StageEvent]) -> tuple[float | None, int]:
    """The median number of days from applying to the first answer, and over how many."""
    applied: dict[int, date] = {}
    answered: dict[int, date] = {}
    for event in sorted(events, key=lambda e: e.happened_on):
        key = event.application_id
        if event.status == Status.APPLIED:
            applied.setdefault(key, event.happened_on)
        elif event.status in ANSWERS and key in applied and key not in answered:
            answered[key] = event.happened_on
    days = [(answered[key] - applied[key]).days for key in answered]
    return (statistics.median(days) if days else None), len(days)


def _stage_advice(by_stage: dict[RejectionStage, int]) -> Advice | None:
    known = sum(by_stage.values())
    if known < MIN_REJECTIONS:
        return None
    groups = (
        (Suggestion.REVIEW_CV, by_stage[RejectionStage.NO_CALLBACK]),
        (Suggestion.REFINE_PITCH, by_stage[RejectionStage.SCREENING]),
        (Suggestion.PRACTISE_INTERVIEWS, sum(by_stage[s] for s in AFTER_INTERVIEWS)),
    )
    # The shares add up to one, so at most one group can reach a share above one half.
    for suggestion, count in groups:
        if count / known >= STAGE_SHARE:
            return Advice(suggestion, count, known)
    return None


def _no_answer_advice(no_answer: int, decided: int) -> Advice | None:
    if no_answer >= MIN_NO_ANSWER and no_answer / decided >= NO_ANSWER_SHARE:
        return Advice(Suggestion.FOLLOW_UP_EARLIER, no_answer, decided)
    return None


def find_patterns(
    applications: Sequence[ApplicationFacts],
    events: Sequence[StageEvent],
    reflections: Sequence[ReflectionFacts] = (),
) -> Patterns:
    """Rejections by stage, the no-answer rate, the time to a first answer, and advice."""
    stages = rejection_stages(applications, events, reflections)
    by_stage = {stage: 0 for stage in RejectionStage}
    for stage in stages:
        if stage is not None:
            by_stage[stage] += 1
    no_answer = sum(1 for a in applications if a.status == Status.NO_ANSWER)
    decided = sum(1 for a in applications if a.status in DECIDED)
    median, timed = median_days_to_first_answer(events)
    found = [_stage_advice(by_stage), _no_answer_advice(no_answer, decided)]
    advice = sorted((a for a in found if a is not None), key=lambda a: -a.count)
    return Patterns(
        rejections=len(stages),
        rejections_by_stage=by_stage,
        no_answer=no_answer,
        decided=decided,
        median_days_to_answer=median,
        answers_timed=timed,
        advice=tuple(advice),
    )
