"""When things happen: weekly occurrences in a user's zone (DST-correct), periods, backoff."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.timezones import resolve_zone

RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 600


def next_weekly(after: datetime, *, zone_id: str, weekday: int, at: time) -> datetime:
    """The first moment strictly after `after` that is `weekday` at `at` in the zone, in UTC.

    A wall time that does not exist (the spring-forward gap) is read with the offset in
    force before the change, i.e. it lands one hour later; a repeated wall time (autumn)
    takes its first occurrence. Both follow zoneinfo's fold=0 rule.
    """
    if after.tzinfo is None:
        raise ValueError("`after` must be timezone-aware")
    zone = resolve_zone(zone_id)
    local = after.astimezone(zone)
    days_ahead = (weekday - local.weekday()) % 7
    for extra_weeks in range(3):
        day = local.date() + timedelta(days=days_ahead + 7 * extra_weeks)
        candidate = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a weekly slot always exists within three weeks")


def week_period(moment: datetime, zone_id: str) -> str:
    """The ISO week ('2026-W48') of `moment` in the user's zone: one check-in per period."""
    year, week, _ = moment.astimezone(resolve_zone(zone_id)).isocalendar()
    return f"{year}-W{week:02d}"


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff for network errors: 5 s, 10 s, 20 s … capped at 10 minutes."""
    seconds = min(RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0), RETRY_MAX_SECONDS)
    return timedelta(seconds=seconds)
