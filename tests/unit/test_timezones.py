from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.timezones import find_zone, local_now, parse_utc_offset, resolve_zone, zone_for_location


@pytest.mark.parametrize(
    ("text", "zone_id"),
    [
        ("+5:30", "UTC+05:30"),
        ("UTC-3", "UTC-03:00"),
        ("gmt+2", "UTC+02:00"),
        ("-0330", "UTC-03:30"),
        ("UTC", "UTC"),
        ("+0", "UTC"),
        ("utc + 14", "UTC+14:00"),
    ],
)
def test_utc_offsets_are_understood(text: str, zone_id: str) -> None:
    assert parse_utc_offset(text) == zone_id


@pytest.mark.parametrize("text", ["+15", "-13", "+5:20", "UTC+", "five", "+5:300", ""])
def test_impossible_offsets_are_refused(text: str) -> None:
    assert parse_utc_offset(text) is None


def test_fixed_offset_zone_gives_the_right_local_time() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert local_now("UTC+05:30", now).strftime("%H:%M") == "17:30"
    assert resolve_zone("UTC-03:00").utcoffset(None) == timedelta(hours=-3)


@pytest.mark.parametrize(
    ("text", "zone_id"),
    [
        ("Paris", "Europe/Paris"),
        ("paris", "Europe/Paris"),
        ("new york", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("München", "Europe/Berlin"),
        ("Tokyo", "Asia/Tokyo"),
        ("Bangalore", "Asia/Kolkata"),
        ("Europe/Lisbon", "Europe/Lisbon"),
        ("america/los_angeles", "America/Los_Angeles"),
        ("France", "Europe/Paris"),
    ],
)
def test_places_are_found(text: str, zone_id: str) -> None:
    match = find_zone(text)
    assert match is not None
    assert match.zone_id == zone_id


@pytest.mark.parametrize(
    "text", ["Atlantis of the North", "asdfgh", "🙂", "<b>Paris</b>&", "x" * 500]
)
def test_unknown_places_are_not_found(text: str) -> None:
    assert find_zone(text) is None


def test_location_gives_the_zone_there() -> None:
    assert zone_for_location(48.8566, 2.3522) == "Europe/Paris"
    assert zone_for_location(-33.87, 151.21) == "Australia/Sydney"
    assert zone_for_location(95.0, 0.0) is None


def test_unknown_zone_id_raises_value_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        resolve_zone("Mars/Olympus")
