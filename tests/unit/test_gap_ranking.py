from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.gap_ranking import (
    DEFAULT_IMPORTANCE,
    GapInput,
    RankedGap,
    rank_gaps,
    scale_level,
    top_gaps,
)


def gap(key: str, current: int, required: int, importance: float = 3.0, name: str = "") -> GapInput:
    return GapInput(
        key=key, name=name or key.upper(), area="skills", current=current, required=required,
        importance=importance,
    )  # fmt: skip


def test_rank_gaps_orders_by_size_times_importance() -> None:
    sql = gap("sql", 1, 4, importance=4.5)  # 3 × 4.5 = 13.5
    python = gap("python", 0, 5, importance=2.0)  # 5 × 2 = 10
    excel = gap("excel", 2, 3, importance=5.0)  # 1 × 5 = 5
    ranked = rank_gaps([excel, python, sql])
    assert [r.item.key for r in ranked] == ["sql", "python", "excel"]
    assert ranked[0] == RankedGap(item=sql, size=3, score=13.5, rank=1)
    assert [r.rank for r in ranked] == [1, 2, 3]


def test_rank_gaps_leaves_out_items_without_a_gap() -> None:
    met = gap("met", 3, 3)
    over = gap("over", 5, 2)
    assert rank_gaps([met, over]) == []


def test_rank_gaps_of_nothing_is_empty() -> None:
    assert rank_gaps([]) == []
    assert top_gaps([]) == []


def test_equal_scores_prefer_the_bigger_gap() -> None:
    big = gap("big", 0, 4, importance=2.0)  # 8
    important = gap("important", 2, 4, importance=4.0)  # 8
    assert [r.item.key for r in rank_gaps([important, big])] == ["big", "important"]


def test_equal_score_and_size_prefer_importance_then_name_then_key() -> None:
    a = gap("k2", 1, 3, name="Alpha")
    b = gap("k1", 1, 3, name="Beta")
    c = gap("k0", 1, 3, name="alpha")
    d = gap("k3", 1, 3, name="Alpha")
    ranked = rank_gaps([b, d, a, c])
    # casefold(name) first, then the exact name ("Alpha" < "alpha"), then the key.
    assert [r.item.key for r in ranked] == ["k2", "k3", "k0", "k1"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]


def test_levels_and_importance_outside_their_scales_are_clipped() -> None:
    wild = gap("wild", -3, 9, importance=12.0)
    ranked = rank_gaps([wild])
    assert ranked[0].size == 5
    assert ranked[0].score == 25.0
    low = rank_gaps([gap("low", 0, 2, importance=0.0)])
    assert low[0].score == 2.0


def test_user_items_default_to_middle_importance() -> None:
    mine = GapInput(key="own", name="Storytelling", area="soft", current=1, required=3)
    assert mine.importance == DEFAULT_IMPORTANCE
    assert rank_gaps([mine])[0].score == 6.0


def test_top_gaps_keeps_the_first_n() -> None:
    items = [gap(f"g{i}", 0, i % 5 + 1, importance=1.0 + i % 4) for i in range(12)]
    assert top_gaps(items) == rank_gaps(items)[:5]
    assert len(top_gaps(items, n=3)) == 3
    assert top_gaps(items, n=0) == []
    assert top_gaps(items, n=-1) == []


@pytest.mark.parametrize(
    ("onet", "expected"),
    [(0.0, 1), (0.5, 1), (1.4, 1), (2.1, 2), (3.5, 3), (4.2, 3), (5.6, 4), (7.0, 5), (9.0, 5),
     (-2.0, 1), (float("nan"), 1), (float("inf"), 5)],
)  # fmt: skip
def test_scale_level_maps_onet_0_to_7_onto_1_to_5(onet: float, expected: int) -> None:
    assert scale_level(onet) == expected


_items = st.builds(
    GapInput,
    key=st.sampled_from(["a", "b", "c", "d"]),
    name=st.sampled_from(["SQL", "sql", "Python", "Excel"]),
    area=st.sampled_from(["skills", "tools"]),
    current=st.integers(min_value=-1, max_value=6),
    required=st.integers(min_value=-1, max_value=6),
    importance=st.sampled_from([1.0, 2.5, 3.0, 4.25, 5.0]),
)


@settings(max_examples=100)
@given(items=st.lists(_items, max_size=12), data=st.data())
def test_rank_gaps_order_is_stable_under_input_permutation(
    items: list[GapInput], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(items))
    assert rank_gaps(shuffled) == rank_gaps(items)


@settings(max_examples=100)
@given(items=st.lists(_items, max_size=12))
def test_rank_gaps_scores_never_increase_and_ranks_count_up(items: list[GapInput]) -> None:
    ranked = rank_gaps(items)
    assert all(r.size > 0 for r in ranked)
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(a.score >= b.score for a, b in pairwise(ranked))
