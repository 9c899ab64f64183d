from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.deadline import (
    MAX_INPUT_CHARS,
    DeadlineProblem,
    DeadlineResult,
    add_months,
    parse_deadline,
)

TODAY = date(2026, 11, 23)  # a Monday, in (northern) autumn, in Q4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 6 months", date(2027, 5, 23)),
        ("6 months", date(2027, 5, 23)),
        ("In 6 months!", date(2027, 5, 23)),
        ("in about 6 months", date(2027, 5, 23)),
        ("6 months from now", date(2027, 5, 23)),
        ("in 6 months' time", date(2027, 5, 23)),
        ("six months", date(2027, 5, 23)),
        ("6m", date(2027, 5, 23)),
        ("in 2 weeks", date(2026, 12, 7)),
        ("two weeks", date(2026, 12, 7)),
        ("in a year", date(2027, 11, 23)),
        ("in 18 months", date(2028, 5, 23)),
        ("within 3 months", date(2027, 2, 23)),
        ("in 5 years", date(2031, 11, 23)),
    ],
)
def test_durations_count_from_today(text: str, expected: date) -> None:
    assert parse_deadline(text, today=TODAY) == DeadlineResult(expected, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5 years", date(2028, 5, 23)),
        ("half a year", date(2027, 5, 23)),
        ("a year and a half", date(2028, 5, 23)),
        ("2.5 months", date(2027, 2, 7)),
    ],
)
def test_fractional_durations_use_calendar_months_then_days(text: str, expected: date) -> None:
    assert parse_deadline(text, today=TODAY).deadline == expected


@pytest.mark.parametrize(
    "text",
    ["by March 1st", "by 1 March", "March 1", "1st of March", "1 March 2027", "2027-03-01"],
)
def test_day_and_month_is_the_next_occurrence(text: str) -> None:
    assert parse_deadline(text, today=TODAY) == DeadlineResult(date(2027, 3, 1), None)


def test_numeric_date_with_slashes_is_day_first() -> None:
    assert parse_deadline("01/03/2027", today=TODAY).deadline == date(2027, 3, 1)


def test_numeric_date_that_cannot_be_day_first_is_month_first() -> None:
    assert parse_deadline("12/25/2027", today=TODAY).deadline == date(2027, 12, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("end of next year", date(2027, 12, 31)),
        ("end of the year", date(2026, 12, 31)),
        ("by the end of this year", date(2026, 12, 31)),
        ("eoy", date(2026, 12, 31)),
        ("end of March", date(2027, 3, 31)),
        ("end of March 2028", date(2028, 3, 31)),
        ("end of next month", date(2026, 12, 31)),
        ("end of the week", date(2026, 11, 29)),
        ("end of 2027", date(2027, 12, 31)),
        ("mid-March", date(2027, 3, 15)),
        ("early 2027", date(2027, 1, 1)),
        ("mid 2027", date(2027, 7, 1)),
        ("late summer", date(2027, 9, 21)),
    ],
)
def test_positions_in_calendar_spans_are_read(text: str, expected: date) -> None:
    assert parse_deadline(text, today=TODAY).deadline == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March", date(2027, 3, 1)),
        ("around March", date(2027, 3, 1)),
        ("before June 2027", date(2027, 6, 1)),
        ("2027", date(2027, 12, 31)),
    ],
)
def test_bare_month_is_its_first_day_and_bare_year_its_last(text: str, expected: date) -> None:
    assert parse_deadline(text, today=TODAY).deadline == expected


def test_bare_current_month_is_its_last_day() -> None:
    assert parse_deadline("November", today=TODAY).deadline == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next spring", date(2027, 3, 20)),
        ("spring", date(2027, 3, 20)),
        ("next summer", date(2027, 6, 21)),
        ("next winter", date(2026, 12, 21)),
        ("next autumn", date(2027, 9, 22)),
        ("winter 2027", date(2027, 12, 21)),
    ],
)
def test_seasons_start_on_northern_astronomical_dates(text: str, expected: date) -> None:
    assert parse_deadline(text, today=TODAY).deadline == expected


@pytest.mark.parametrize("text", ["this autumn", "this fall", "by this fall"])
def test_current_season_means_its_last_day(text: str) -> None:
    assert parse_deadline(text, today=TODAY).deadline == date(2026, 12, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q2 2027", date(2027, 6, 30)),
        ("2027 Q2", date(2027, 6, 30)),
        ("by Q3", date(2027, 9, 30)),
        ("Q4", date(2026, 12, 31)),
        ("end of Q1", date(2027, 3, 31)),
        ("next quarter", date(2027, 3, 31)),
    ],
)
def test_quarters_mean_their_last_day(text: str, expected: date) -> None:
    assert parse_deadline(text, today=TODAY).deadline == expected


@pytest.mark.parametrize("text", ["yesterday", "2020-05-01", "1 March 2026", "March this year"])
def test_past_dates_are_reported_past_with_the_date(text: str) -> None:
    result = parse_deadline(text, today=TODAY)
    assert result.problem is DeadlineProblem.PAST
    assert result.deadline is not None and result.deadline < TODAY
    assert not result.ok


@pytest.mark.parametrize("text", ["today", "now"])
def test_today_is_reported_today(text: str) -> None:
    assert parse_deadline(text, today=TODAY) == DeadlineResult(TODAY, DeadlineProblem.TODAY)


@pytest.mark.parametrize("text", ["in 10 years", "2036-01-01", "in 5 years and 1 day", "2099"])
def test_dates_beyond_max_years_are_too_far(text: str) -> None:
    result = parse_deadline(text, today=TODAY)
    assert result.problem is DeadlineProblem.TOO_FAR
    assert result.deadline is not None


def test_max_years_is_configurable() -> None:
    assert parse_deadline("in 2 years", today=TODAY, max_years=1).problem is DeadlineProblem.TOO_FAR
    assert parse_deadline("in 1 year", today=TODAY, max_years=1).ok


@pytest.mark.parametrize(
    "text",
    ["asdf", "", "   ", "me", "do it", "42", "7", "a", "sat", "ok", "by christmas", "?", "99999"],
)
def test_nonsense_and_bare_numbers_are_unparsable(text: str) -> None:
    assert parse_deadline(text, today=TODAY) == DeadlineResult(None, DeadlineProblem.UNPARSABLE)


def test_input_is_capped_before_parsing() -> None:
    padded = "in 6 months" + " " * MAX_INPUT_CHARS + "garbage"
    assert parse_deadline(padded, today=TODAY).deadline == date(2027, 5, 23)
    assert parse_deadline("x" * 10_000, today=TODAY).problem is DeadlineProblem.UNPARSABLE


def test_valid_result_is_ok() -> None:
    assert parse_deadline("in 6 months", today=TODAY).ok


def test_add_months_clamps_to_the_end_of_short_months() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


@settings(max_examples=60, deadline=None)
@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    months=st.integers(min_value=1, max_value=60),
)
def test_months_ahead_is_always_a_valid_future_deadline(today: date, months: int) -> None:
    result = parse_deadline(f"in {months} months", today=today)
    assert result.ok
    assert result.deadline == add_months(today, months)


@settings(max_examples=60, deadline=None)
@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    season=st.sampled_from(["spring", "summer", "autumn", "winter"]),
    qualifier=st.sampled_from(["", "this ", "next "]),
)
def test_seasons_are_never_in_the_past(today: date, season: str, qualifier: str) -> None:
    result = parse_deadline(qualifier + season, today=today)
    assert result.deadline is not None
    assert today <= result.deadline <= today + timedelta(days=366)


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=40))
def test_any_text_gives_a_result_without_raising(text: str) -> None:
    result = parse_deadline(text, today=TODAY)
    assert (result.deadline is None) == (result.problem is DeadlineProblem.UNPARSABLE)
