"""The skill-gap audit's logic: candidate items from an occupation, and the audit's summary.

Pure Python, no Telegram. The handler (handlers/gaps.py) asks, stores and shows; this module
decides what to offer and how the answers add up.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.gap_ranking import DEFAULT_IMPORTANCE, GapInput, RankedGap, rank_gaps
from bot.occupations import OccupationProfile, Requirement, Technology

# The audit's areas, in the order they are offered.
AREAS: tuple[str, ...] = ("technical", "tools", "knowledge", "soft", "credentials", "network")
MAX_NAME_LENGTH = 200  # GapItem.name
MAX_ITEMS = 25  # enough to plan with; keeps the review within one Telegram message
MAX_REQUIREMENTS = 8
MAX_REQUIREMENTS_PER_AREA = 4  # so knowledge areas cannot crowd out every skill
# Every tool in demand for the occupation (a profile lists at most 15): O*NET gives them in
# alphabetical order, so any shorter cut would drop Python for a data scientist. With fewer
# than MIN_TECHNOLOGIES in demand, "hot" tools (often in job ads of any occupation) top it up.
MIN_TECHNOLOGIES = 5
# Only requirements are ticked in advance: O*NET ranks them by importance, while its
# in-demand tools come in alphabetical order, with nothing to say which one matters most.
PRESELECTED_REQUIREMENTS = 4
# Office software every job lists; offered after the tools that are specific to the job.
GENERIC_TOOLS = frozenset(
    {
        "adobe acrobat",
        "email software",
        "google docs",
        "microsoft office software",
        "microsoft outlook",
        "microsoft powerpoint",
        "microsoft teams",
        "microsoft windows",
        "microsoft word",
        "web browser software",
        "zoom",
    }
)
# O*NET rates no level for tools; job postings that name a tool expect hands-on use.
TECHNOLOGY_LEVEL = 3
TECHNOLOGY_IMPORTANCE_IN_DEMAND = 4.0
TECHNOLOGY_IMPORTANCE_HOT = 3.5
_KEY_LENGTH = 80  # GapItem.key
_TECH_PREFIX = "tech:"

ImportanceBand = Literal["very", "important", "useful"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An item the occupation suggests, before the user picks it."""

    key: str
    name: str
    area: str
    importance: float
    required: int  # on the audit's 0–5 scale
    description: str
    element_id: str | None  # O*NET element, whose level anchors help the user rate
    in_demand: bool
    preselected: bool


@dataclass(frozen=True, slots=True)
class AuditItem:
    """One item of the user's list as the summary needs it."""

    id: int
    key: str
    name: str
    area: str
    importance: float
    current: int | None
    required: int | None


@dataclass(frozen=True, slots=True)
class AuditSummary:
    ranked: list[RankedGap]  # rated items with a gap, largest gap × importance first
    met: list[AuditItem]  # rated items where the user already reaches the level
    unrated: list[AuditItem]  # no current or no required level yet


def technology_key(name: str) -> str:
    """A stable key for a tool; long names are cut and made unique with a short hash."""
    key = _TECH_PREFIX + name
    if len(key) <= _KEY_LENGTH:
        return key
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{key[: _KEY_LENGTH - 9]}~{digest}"


def _requirement_candidate(requirement: Requirement, preselected: bool) -> Candidate:
    return Candidate(
        key=requirement.element_id,
        name=requirement.name,
        area=requirement.area,
        importance=requirement.importance,
        required=requirement.required_0_5,
        description=requirement.description,
        element_id=requirement.element_id,
        in_demand=False,
        preselected=preselected,
    )


def _technology_candidate(technology: Technology) -> Candidate:
    if technology.in_demand:
        importance = TECHNOLOGY_IMPORTANCE_IN_DEMAND
    elif technology.hot:
        importance = TECHNOLOGY_IMPORTANCE_HOT
    else:
        importance = DEFAULT_IMPORTANCE
    return Candidate(
        key=technology_key(technology.name),
        name=technology.name,
        area="tools",
        importance=importance,
        required=TECHNOLOGY_LEVEL,
        description="",
        element_id=None,
        in_demand=technology.in_demand,
        preselected=False,
    )


def _top_requirements(requirements: Iterable[Requirement]) -> list[Requirement]:
    """The most important requirements (the profile lists them by importance, then level)."""
    chosen: list[Requirement] = []
    per_area: dict[str, int] = {}
    for requirement in requirements:
        if per_area.get(requirement.area, 0) >= MAX_REQUIREMENTS_PER_AREA:
            continue
        per_area[requirement.area] = per_area.get(requirement.area, 0) + 1
        chosen.append(requirement)
        if len(chosen) == MAX_REQUIREMENTS:
            break
    return chosen


def candidates(profile: OccupationProfile) -> tuple[Candidate, ...]:
    """What to offer for this occupation: its top requirements, then its in-demand tools."""
    requirements = [
        _requirement_candidate(requirement, index < PRESELECTED_REQUIREMENTS)
        for index, requirement in enumerate(_top_requirements(profile.requirements))
    ]
    technologies = [
        _technology_candidate(technology) for technology in _top_technologies(profile.technologies)
    ]
    return (*requirements, *technologies)


def _top_technologies(technologies: Sequence[Technology]) -> list[Technology]:
    """The tools in demand, topped up with hot ones; generic office software last in each."""

    def ordered(group: list[tuple[int, Technology]]) -> list[Technology]:
        group.sort(key=lambda pair: (pair[1].name.casefold() in GENERIC_TOOLS, pair[0]))
        return [technology for _, technology in group]

    in_demand = ordered([(i, tech) for i, tech in enumerate(technologies) if tech.in_demand])
    others = ordered([(i, tech) for i, tech in enumerate(technologies) if not tech.in_demand])
    hot = [technology for technology in others if technology.hot]
    return in_demand + hot[: max(0, MIN_TECHNOLOGIES - len(in_demand))]


def importance_band(importance: float) -> ImportanceBand:
    """O*NET's 1–5 importance in words a person uses."""
    if importance >= 4.0:
        return "very"
    if importance >= 3.0:
        return "important"
    return "useful"


_AREA_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "credentials",
        re.compile(
            r"\b(certific\w*|certified|degree|diploma|licen[cs]e\w*|portfolio|"
            r"experience|years?|internship|bootcamp|mba|phd|master'?s?)\b"
        ),
    ),
    (
        "network",
        re.compile(
            r"\b(network\w*|contacts?|referrals?|mentors?|linkedin|meetups?|connections?)\b"
        ),
    ),
)


def guess_area(name: str) -> str | None:
    """A likely area for an item in the user's words ("AWS certificate" → credentials)."""
    folded = name.casefold()
    return next((area for area, pattern in _AREA_WORDS if pattern.search(folded)), None)


def is_duplicate(name: str, existing: Iterable[str]) -> bool:
    """Whether the list already has an item of that name (case and spacing aside)."""
    wanted = " ".join(name.casefold().split())
    return any(" ".join(other.casefold().split()) == wanted for other in existing)


def summarise(items: Iterable[AuditItem]) -> AuditSummary:
    """Rank what is rated; set aside what is met and what still needs a level."""
    rated: list[GapInput] = []
    unrated: list[AuditItem] = []
    by_key: dict[str, AuditItem] = {}
    for item in items:
        if item.current is None or item.required is None:
            unrated.append(item)
            continue
        by_key[item.key] = item
        rated.append(
            GapInput(
                key=item.key,
                name=item.name,
                area=item.area,
                current=item.current,
                required=item.required,
                importance=item.importance,
            )
        )
    ranked = rank_gaps(rated)
    with_gap = {gap.item.key for gap in ranked}
    met = [item for key, item in by_key.items() if key not in with_gap]
    return AuditSummary(ranked=ranked, met=met, unrated=unrated)
