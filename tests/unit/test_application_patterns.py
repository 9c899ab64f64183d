"""Patterns across applications and rejections: stages, no answers, time to answer, advice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from bot.application_patterns import (
    MIN_NO_ANSWER,
    MIN_REJECTIONS,
    Advice,
    RejectionStage,
    Suggestion,
    find_patterns,
    median_days_to_first_answer,
    stage_from_history,
)

DAY = date(2026, 10, 1)


@dataclass(frozen=True)
class App:
    id: int
    status: str


@dataclass(frozen=True)
class Event:
    application_id: int
    status: str
    happened_on: date


@dataclass(frozen=True)
class Told:
    application_id: int | None
    stage: str | None


def _history(app_id: int, *stages: str, days_apart: int = 5) -> list[Event]:
    return [
        Event(app_id, status, DAY + timedelta(days=i * days_apart))
        for i, status in enumerate(stages)
    ]


def _rejections(start: int, count: int, *path: str) -> tuple[list[App], list[Event]]:
    """`count` applications that went through `path` and ended rejected."""
    apps = [App(i, "rejected") for i in range(start, start + count)]
    events = [e for app in apps for e in _history(app.id, "applied", *path, "rejected")]
    return apps, events


def test_patterns_of_nothing_are_empty_with_no_advice() -> None:
    patterns = find_patterns([], [], [])
    assert patterns.is_empty
    assert patterns.rejections == 0
    assert patterns.known_stage_rejections == 0
    assert set(patterns.rejections_by_stage.values()) == {0}
    assert patterns.no_answer_rate is None
    assert patterns.median_days_to_answer is None
    assert patterns.advice == ()


def test_patterns_of_applications_still_waiting_are_empty() -> None:
    apps = [App(1, "applied"), App(2, "saved")]
    patterns = find_patterns(apps, _history(1, "applied"))
    assert patterns.is_empty
    assert patterns.decided == 0


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        (("applied", "rejected"), RejectionStage.NO_CALLBACK),
        (("applied", "screening", "rejected"), RejectionStage.SCREENING),
        (("applied", "screening", "interview", "interview", "rejected"), RejectionStage.INTERVIEW),
        (("interview", "offer", "rejected"), RejectionStage.FINAL),
        ((), RejectionStage.NO_CALLBACK),
    ],
)
def test_stage_from_history_is_the_furthest_stage_reached(
    stages: tuple[str, ...], expected: RejectionStage
) -> None:
    assert stage_from_history(_history(1, *stages)) is expected


def test_review_cv_at_three_rejections_all_without_call_back() -> None:
    apps, events = _rejections(1, MIN_REJECTIONS)
    patterns = find_patterns(apps, events)
    assert patterns.rejections_by_stage[RejectionStage.NO_CALLBACK] == 3
    assert patterns.advice == (Advice(Suggestion.REVIEW_CV, 3, 3),)


def test_no_advice_below_the_minimum_number_of_rejections() -> None:
    apps, events = _rejections(1, MIN_REJECTIONS - 1)
    patterns = find_patterns(apps, events)
    assert patterns.rejections == 2
    assert patterns.advice == ()


def test_review_cv_at_exactly_sixty_percent_but_not_at_half() -> None:
    no_call, no_call_events = _rejections(1, 3)
    screened, screened_events = _rejections(10, 2, "screening")
    at_sixty = find_patterns(no_call + screened, no_call_events + screened_events)
    assert at_sixty.advice == (Advice(Suggestion.REVIEW_CV, 3, 5),)

    more, more_events = _rejections(20, 1, "screening")
    at_half = find_patterns(
        no_call + screened + more, no_call_events + screened_events + more_events
    )
    assert at_half.advice == ()


def test_practise_interviews_counts_interview_and_final_rounds_together() -> None:
    interviewed, events = _rejections(1, 2, "interview")
    finals, final_events = _rejections(10, 1, "interview", "offer")
    no_call, no_call_events = _rejections(20, 1)
    patterns = find_patterns(interviewed + finals + no_call, events + final_events + no_call_events)
    assert patterns.rejections_by_stage == {
        RejectionStage.NO_CALLBACK: 1,
        RejectionStage.SCREENING: 0,
        RejectionStage.INTERVIEW: 2,
        RejectionStage.FINAL: 1,
    }
    assert patterns.advice == (Advice(Suggestion.PRACTISE_INTERVIEWS, 3, 4),)


def test_refine_pitch_when_most_rejections_follow_the_screening() -> None:
    apps, events = _rejections(1, 4, "screening")
    assert find_patterns(apps, events).advice == (Advice(Suggestion.REFINE_PITCH, 4, 4),)


def test_the_users_own_stage_wins_over_the_history() -> None:
    # The log says "no call-back", but the user told us each came after an interview.
    apps, events = _rejections(1, 3)
    told = [Told(app.id, "interview") for app in apps]
    patterns = find_patterns(apps, events, told)
    assert patterns.rejections_by_stage[RejectionStage.INTERVIEW] == 3
    assert patterns.advice == (Advice(Suggestion.PRACTISE_INTERVIEWS, 3, 3),)


def test_reflections_on_deleted_applications_still_count() -> None:
    apps, events = _rejections(1, 2)
    told = [Told(None, "no_callback"), Told(None, None)]
    patterns = find_patterns(apps, events, told)
    assert patterns.rejections == 4
    assert patterns.known_stage_rejections == 3
    assert patterns.advice == (Advice(Suggestion.REVIEW_CV, 3, 3),)


def test_reflection_on_an_application_no_longer_rejected_is_ignored() -> None:
    apps = [App(1, "interview")]
    patterns = find_patterns(apps, _history(1, "applied", "interview"), [Told(1, "screening")])
    assert patterns.rejections == 0


def test_follow_up_earlier_at_half_no_answer_of_decided_applications() -> None:
    ghosted = [App(i, "no_answer") for i in range(1, MIN_NO_ANSWER + 1)]
    answered = [App(i, s) for i, s in ((10, "interview"), (11, "offer"), (12, "rejected"))]
    waiting = [App(20, "applied"), App(21, "withdrawn")]  # not decided: left out of the rate
    patterns = find_patterns(ghosted + answered + waiting, [])
    assert (patterns.no_answer, patterns.decided) == (3, 6)
    assert patterns.no_answer_rate == 0.5
    assert Advice(Suggestion.FOLLOW_UP_EARLIER, 3, 6) in patterns.advice

    one_more_answer = find_patterns([*ghosted, *answered, App(13, "screening")], [])
    assert one_more_answer.advice == ()


def test_no_answer_advice_needs_the_minimum_count() -> None:
    patterns = find_patterns([App(1, "no_answer"), App(2, "no_answer")], [])
    assert patterns.no_answer_rate == 1.0
    assert patterns.advice == ()


def test_advice_is_ordered_by_how_many_it_concerns() -> None:
    apps, events = _rejections(1, 3)
    ghosted = [App(i, "no_answer") for i in range(10, 15)]
    patterns = find_patterns(apps + ghosted, events)
    assert [a.suggestion for a in patterns.advice] == [
        Suggestion.FOLLOW_UP_EARLIER,
        Suggestion.REVIEW_CV,
    ]


def test_median_days_to_first_answer_uses_the_first_answer_after_applying() -> None:
    events = [
        *_history(1, "applied", "screening", "interview", days_apart=3),  # 3 days
        *_history(2, "applied", "rejected", days_apart=9),  # 9 days
        *_history(3, "applied", "interview", days_apart=14),  # 14 days
        *_history(4, "applied", "no_answer", days_apart=30),  # no answer: not timed
        *_history(5, "interview", "offer"),  # never "applied": not timed
    ]
    assert median_days_to_first_answer(events) == (9, 3)
    assert median_days_to_first_answer(events[:5]) == (6, 2)  # even count: the middle two
    assert median_days_to_first_answer([]) == (None, 0)
