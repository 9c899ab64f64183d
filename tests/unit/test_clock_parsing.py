from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.clock_parsing import parse_clock_time, parse_future_date

NOW = datetime(2026, 11, 22, 10, 0)  # a Sunday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30", time(7, 30)),
        ("7.30", time(7, 30)),
        ("6pm", time(18, 0)),
        ("6 PM", time(18, 0)),
        ("12am", time(0, 0)),
        ("18h", time(18, 0)),
        ("18h15", time(18, 15)),
        ("at 8", time(8, 0)),
    ],
)
def test_clock_times_are_read(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "7:61", "soon", "", "9999"])
def test_non_times_are_refused(text: str) -> None:
    assert parse_clock_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow", date(2026, 11, 23)),
        ("next Monday", date(2026, 11, 23)),
        ("in 3 weeks", date(2026, 12, 13)),
        ("15 January", date(2027, 1, 15)),
    ],
)
def test_future_dates_are_read_relative_to_local_now(text: str, expected: date) -> None:
    assert parse_future_date(text, local_now=NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "today", "asdf", "me", "5", "", "x" * 100])
def test_past_empty_and_nonsense_dates_are_refused(text: str) -> None:
    assert parse_future_date(text, local_now=NOW) is None
