from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.schedule import next_weekly, retry_delay, week_period
from bot.streak import checkin_streak

MONDAY, SUNDAY = 0, 6


def test_next_weekly_is_the_coming_slot_in_the_users_zone() -> None:
    # Sunday 22 Nov 2026, 12:00 UTC; Paris is UTC+1 in winter.
    after = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    slot = next_weekly(after, zone_id="Europe/Paris", weekday=MONDAY, at=time(9, 0))
    assert slot == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_next_weekly_is_strictly_after_even_at_the_exact_moment() -> None:
    at_slot = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    slot = next_weekly(at_slot, zone_id="Europe/Paris", weekday=MONDAY, at=time(9, 0))
    assert slot == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "after", "weekday", "at", "expected_utc"),
    [
        # Paris springs forward on Sun 28 Mar 2027: 09:00 is 07:00 UTC after, 08:00 before.
        (
            "Europe/Paris",
            datetime(2027, 3, 27, 12, tzinfo=UTC),
            SUNDAY,
            time(9),
            datetime(2027, 3, 28, 7, tzinfo=UTC),
        ),
        (
            "Europe/Paris",
            datetime(2027, 3, 21, 12, tzinfo=UTC),
            MONDAY,
            time(9),
            datetime(2027, 3, 22, 8, tzinfo=UTC),
        ),
        (
            "Europe/Paris",
            datetime(2027, 3, 28, 12, tzinfo=UTC),
            MONDAY,
            time(9),
            datetime(2027, 3, 29, 7, tzinfo=UTC),
        ),
        # Paris falls back on Sun 25 Oct 2026.
        (
            "Europe/Paris",
            datetime(2026, 10, 24, 12, tzinfo=UTC),
            SUNDAY,
            time(9),
            datetime(2026, 10, 25, 8, tzinfo=UTC),
        ),
        # New York springs forward on Sun 14 Mar 2027 and falls back on Sun 1 Nov 2026.
        (
            "America/New_York",
            datetime(2027, 3, 13, 12, tzinfo=UTC),
            SUNDAY,
            time(9),
            datetime(2027, 3, 14, 13, tzinfo=UTC),
        ),
        (
            "America/New_York",
            datetime(2026, 10, 31, 12, tzinfo=UTC),
            SUNDAY,
            time(9),
            datetime(2026, 11, 1, 14, tzinfo=UTC),
        ),
    ],
)
def test_next_weekly_keeps_local_wall_time_across_dst(
    zone: str, after: datetime, weekday: int, at: time, expected_utc: datetime
) -> None:
    assert next_weekly(after, zone_id=zone, weekday=weekday, at=at) == expected_utc


def test_wall_time_in_the_spring_gap_moves_forward_and_autumn_repeat_takes_the_first() -> None:
    gap = next_weekly(
        datetime(2027, 3, 27, tzinfo=UTC), zone_id="Europe/Paris", weekday=SUNDAY, at=time(2, 30)
    )
    assert gap == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 local, the clocks jumped
    repeat = next_weekly(
        datetime(2026, 10, 24, tzinfo=UTC), zone_id="Europe/Paris", weekday=SUNDAY, at=time(2, 30)
    )
    assert repeat == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30 (summer time)


def test_weekly_slots_in_a_fixed_offset_zone() -> None:
    after = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    slot = next_weekly(after, zone_id="UTC+05:30", weekday=MONDAY, at=time(9, 0))
    assert slot == datetime(2026, 11, 23, 3, 30, tzinfo=UTC)


def test_next_weekly_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_weekly(datetime(2026, 1, 1), zone_id="UTC", weekday=0, at=time(9))


def test_week_period_follows_the_users_local_date() -> None:
    late_sunday_utc = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert week_period(late_sunday_utc, "UTC") == "2026-W48"
    assert week_period(late_sunday_utc, "Europe/Paris") == "2026-W49"  # already Monday there


def test_retry_delay_doubles_and_is_capped() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [5, 10, 20]
    assert retry_delay(30) == timedelta(minutes=10)


@pytest.mark.parametrize(
    ("weeks", "streak"),
    [
        ([], 0),
        ([("2026-W47", "answered"), ("2026-W48", "answered")], 2),
        ([("2026-W47", "answered"), ("2026-W48", "open")], 1),
        ([("2026-W46", "answered"), ("2026-W47", "missed"), ("2026-W48", "answered")], 1),
        ([("2026-W47", "answered"), ("2026-W48", "missed")], 0),
    ],
)
def test_streak_counts_consecutive_answered_weeks(
    weeks: list[tuple[str, str]], streak: int
) -> None:
    assert checkin_streak(weeks) == streak
