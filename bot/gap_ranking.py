"""Rank the skill gaps of a gap audit: the largest gap × importance first.

Levels are on the audit's 0–5 scale and importance on 1–5; values outside those ranges
(a stale row, a hand-edited import) are clipped into them rather than refused, so one bad
item cannot break the whole list.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

MIN_LEVEL, MAX_LEVEL = 0, 5
MIN_IMPORTANCE, MAX_IMPORTANCE = 1.0, 5.0
DEFAULT_IMPORTANCE = 3.0  # for items the user adds: O*NET gives no importance for them
ONET_MAX_LEVEL = 7.0
DEFAULT_TOP = 5


@dataclass(frozen=True, slots=True)
class GapInput:
    key: str
    name: str
    area: str
    current: int
    required: int
    importance: float = DEFAULT_IMPORTANCE


@dataclass(frozen=True, slots=True)
class RankedGap:
    item: GapInput
    size: int
    score: float
    rank: int


def gap_size(item: GapInput) -> int:
    """Levels still to climb: never negative (being over-qualified is not a gap)."""
    return max(0, _clip_level(item.required) - _clip_level(item.current))


def gap_score(item: GapInput) -> float:
    return gap_size(item) * _clip_importance(item.importance)


def rank_gaps(items: Iterable[GapInput]) -> list[RankedGap]:
    """Items with a gap, best first: score, then size, then importance, then name and key.

    The tie-breakers make the order total, so the list never depends on input order;
    ranks are positions (1, 2, 3…), so tied items still get distinct ranks.
    """
    with_gap = [item for item in items if gap_size(item) > 0]
    with_gap.sort(key=_order_key)
    return [
        RankedGap(item=item, size=gap_size(item), score=gap_score(item), rank=position)
        for position, item in enumerate(with_gap, start=1)
    ]


def top_gaps(items: Iterable[GapInput], n: int = DEFAULT_TOP) -> list[RankedGap]:
    return rank_gaps(items)[: max(0, n)]


def scale_level(onet_level: float) -> int:
    """An O*NET level (LV scale 0–7) on the audit's 0–5 scale.

    A required skill is at least level 1: O*NET lists it, so the job needs some of it.
    Halves round up (3.5/7×5 = 2.5 → 3), unlike Python's round-half-to-even.
    """
    if math.isnan(onet_level):
        return 1
    bounded = min(ONET_MAX_LEVEL, max(0.0, onet_level))
    scaled = math.floor(bounded / ONET_MAX_LEVEL * MAX_LEVEL + 0.5)
    return min(MAX_LEVEL, max(1, scaled))


def _clip_level(level: int) -> int:
    return min(MAX_LEVEL, max(MIN_LEVEL, level))


def _clip_importance(importance: float) -> float:
    if math.isnan(importance):
        return DEFAULT_IMPORTANCE
    return min(MAX_IMPORTANCE, max(MIN_IMPORTANCE, importance))


def _order_key(item: GapInput) -> tuple[float, int, float, str, str, str, str, int, int, str]:
    # Everything after the key only separates near-duplicates, so that the order is total.
    return (
        -gap_score(item),
        -gap_size(item),
        -_clip_importance(item.importance),
        item.name.casefold(),
        item.name,
        item.key,
        item.area,
        item.required,
        item.current,
        repr(item.importance),
    )
