"""The caring check: more than 15 applications in 7 days with no answer, once a week."""

from __future__ import annotations

from datetime import date, timedelta

from bot.application_pace import PACE_LIMIT, Logged, pace_note_due, recent, window_start
from bot.application_status import Status

TODAY = date(2026, 11, 22)


def _sent(count: int, *, days_ago: int = 0, status: Status = Status.APPLIED) -> list[Logged]:
    return [Logged(applied_on=TODAY - timedelta(days=days_ago), status=status)] * count


def test_sixteen_unanswered_in_a_week_calls_for_the_note() -> None:
    logged = _sent(8, days_ago=0) + _sent(8, days_ago=6)
    assert pace_note_due(logged, today=TODAY, last_noted=None)


def test_fifteen_is_not_too_many() -> None:
    assert not pace_note_due(_sent(PACE_LIMIT), today=TODAY, last_noted=None)


def test_applications_older_than_seven_days_do_not_count() -> None:
    logged = _sent(15) + _sent(5, days_ago=7)
    assert window_start(TODAY) == TODAY - timedelta(days=6)
    assert len(recent(logged, today=TODAY)) == 15
    assert not pace_note_due(logged, today=TODAY, last_noted=None)


def test_one_answer_among_them_means_no_note() -> None:
    logged = _sent(16) + _sent(1, status=Status.SCREENING)
    assert not pace_note_due(logged, today=TODAY, last_noted=None)
    rejected = _sent(16) + _sent(1, status=Status.REJECTED)
    assert not pace_note_due(rejected, today=TODAY, last_noted=None)


def test_note_is_not_repeated_within_a_week() -> None:
    logged = _sent(20)
    assert not pace_note_due(logged, today=TODAY, last_noted=TODAY)
    assert not pace_note_due(logged, today=TODAY, last_noted=TODAY - timedelta(days=6))
    assert pace_note_due(logged, today=TODAY, last_noted=TODAY - timedelta(days=7))


def test_future_dates_are_not_counted_as_sent_this_week() -> None:
    logged = [*_sent(15), Logged(applied_on=TODAY + timedelta(days=1), status=Status.APPLIED)]
    assert not pace_note_due(logged, today=TODAY, last_noted=None)
