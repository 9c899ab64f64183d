from __future__ import annotations

import pytest

from bot.gap_audit import (
    MAX_REQUIREMENTS,
    MAX_REQUIREMENTS_PER_AREA,
    MIN_TECHNOLOGIES,
    PRESELECTED_REQUIREMENTS,
    TECHNOLOGY_IMPORTANCE_HOT,
    TECHNOLOGY_IMPORTANCE_IN_DEMAND,
    TECHNOLOGY_LEVEL,
    AuditItem,
    candidates,
    guess_area,
    importance_band,
    is_duplicate,
    summarise,
    technology_key,
)
from bot.occupations import OccupationProfile, Requirement, Technology


def requirement(element_id: str, area: str, importance: float, required: int = 3) -> Requirement:
    return Requirement(
        element_id=element_id,
        name=f"Skill {element_id}",
        area=area,  # type: ignore[arg-type]
        description=f"About {element_id}",
        importance=importance,
        level=4.0,
        required_0_5=required,
    )


def profile(
    requirements: tuple[Requirement, ...] = (), technologies: tuple[Technology, ...] = ()
) -> OccupationProfile:
    return OccupationProfile(
        code="00-0000.00",
        title="Test Occupation",
        description="",
        core_tasks=(),
        requirements=requirements,
        technologies=technologies,
        ratings_from=None,
        job_zone=None,
    )


def item(
    key: str,
    current: int | None,
    required: int | None,
    importance: float = 3.0,
    name: str = "",
) -> AuditItem:
    return AuditItem(
        id=hash(key) % 1000,
        key=key,
        name=name or key.upper(),
        area="technical",
        importance=importance,
        current=current,
        required=required,
    )


def test_candidates_take_top_requirements_with_a_cap_per_area() -> None:
    knowledge = tuple(requirement(f"2.C.{i}", "knowledge", 5.0 - i / 10) for i in range(6))
    skills = tuple(requirement(f"2.A.{i}", "technical", 3.0 - i / 10) for i in range(6))
    offered = candidates(profile(knowledge + skills))
    areas = [c.area for c in offered]
    assert len(offered) == MAX_REQUIREMENTS
    assert areas.count("knowledge") == MAX_REQUIREMENTS_PER_AREA
    assert [c.key for c in offered[:4]] == ["2.C.0", "2.C.1", "2.C.2", "2.C.3"]


def test_candidates_preselect_only_the_most_important_requirements() -> None:
    requirements = tuple(
        requirement(f"2.A.{i}", area, 5.0 - i / 10)
        for i, area in enumerate(["technical", "soft", "knowledge"] * 3)
    )
    tools = (Technology("Python", hot=True, in_demand=True),)
    offered = candidates(profile(requirements, tools))
    assert [c.preselected for c in offered].count(True) == PRESELECTED_REQUIREMENTS
    assert all(c.preselected for c in offered[:PRESELECTED_REQUIREMENTS])
    assert not offered[-1].preselected  # a tool is the user's call


def test_candidates_carry_the_requirement_level_and_importance() -> None:
    (offered,) = candidates(profile((requirement("2.A.1.e", "technical", 4.5, required=4),)))
    assert (offered.key, offered.element_id, offered.required) == ("2.A.1.e", "2.A.1.e", 4)
    assert (offered.importance, offered.description) == (4.5, "About 2.A.1.e")


def test_candidates_offer_every_tool_in_demand_with_generic_office_software_last() -> None:
    tools = (
        Technology("Microsoft Office software", hot=True, in_demand=True),
        Technology("Python", hot=True, in_demand=True),
        Technology("Tableau", hot=True, in_demand=True),
        Technology("Apache Spark", hot=True, in_demand=False),
    )
    offered = [c for c in candidates(profile(technologies=tools)) if c.area == "tools"]
    assert [c.name for c in offered] == [
        "Python",
        "Tableau",
        "Microsoft Office software",
        "Apache Spark",  # topped up: fewer than MIN_TECHNOLOGIES in demand
    ]
    assert offered[0].importance == TECHNOLOGY_IMPORTANCE_IN_DEMAND
    assert offered[-1].importance == TECHNOLOGY_IMPORTANCE_HOT
    assert {c.required for c in offered} == {TECHNOLOGY_LEVEL}
    assert offered[0].key == "tech:Python"


def test_candidates_do_not_top_up_when_enough_tools_are_in_demand() -> None:
    in_demand = tuple(
        Technology(f"Tool {i}", hot=True, in_demand=True) for i in range(MIN_TECHNOLOGIES)
    )
    tools = (*in_demand, Technology("Hot elsewhere", hot=True, in_demand=False))
    offered = [c.name for c in candidates(profile(technologies=tools))]
    assert "Hot elsewhere" not in offered
    assert len(offered) == MIN_TECHNOLOGIES


def test_candidates_skip_tools_neither_hot_nor_in_demand() -> None:
    tools = (Technology("Obscure", hot=False, in_demand=False),)
    assert candidates(profile(technologies=tools)) == ()


def test_technology_key_fits_the_column_and_stays_unique() -> None:
    long_a, long_b = "x" * 100 + "a", "x" * 100 + "b"
    assert technology_key("R") == "tech:R"
    assert len(technology_key(long_a)) == 80
    assert technology_key(long_a) != technology_key(long_b)
    assert technology_key(long_a) == technology_key(long_a)


@pytest.mark.parametrize(
    ("importance", "band"),
    [(5.0, "very"), (4.0, "very"), (3.99, "important"), (3.0, "important"), (2.9, "useful")],
)
def test_importance_band_uses_onet_words(importance: float, band: str) -> None:
    assert importance_band(importance) == band


@pytest.mark.parametrize(
    ("name", "area"),
    [
        ("AWS certificate", "credentials"),
        ("A portfolio of three dashboards", "credentials"),
        ("2 years of experience", "credentials"),
        ("Contacts in fintech", "network"),
        ("A mentor who is a data scientist", "network"),
        ("SQL", None),
        ("Networking events", "network"),
    ],
)
def test_guess_area_recognises_credentials_and_network(name: str, area: str | None) -> None:
    assert guess_area(name) == area


def test_is_duplicate_ignores_case_and_spacing() -> None:
    assert is_duplicate("  power   bi ", ["SQL", "Power BI"])
    assert not is_duplicate("Power BI Pro", ["Power BI"])


def test_summarise_ranks_by_gap_times_importance() -> None:
    summary = summarise(
        [
            item("sql", 1, 4, importance=4.5),  # 3 × 4.5 = 13.5
            item("python", 0, 5, importance=2.0),  # 5 × 2 = 10
            item("excel", 2, 3, importance=5.0),  # 1 × 5 = 5
        ]
    )
    assert [gap.item.key for gap in summary.ranked] == ["sql", "python", "excel"]
    assert [gap.rank for gap in summary.ranked] == [1, 2, 3]
    assert summary.ranked[0].size == 3


def test_summarise_sets_aside_met_and_unrated_items() -> None:
    summary = summarise(
        [
            item("met", 4, 3),
            item("equal", 3, 3),
            item("no-current", None, 4),
            item("no-required", 2, None),
            item("gap", 0, 2),
        ]
    )
    assert [gap.item.key for gap in summary.ranked] == ["gap"]
    assert [i.key for i in summary.met] == ["met", "equal"]
    assert [i.key for i in summary.unrated] == ["no-current", "no-required"]


def test_summarise_of_nothing_is_empty() -> None:
    summary = summarise([])
    assert (summary.ranked, summary.met, summary.unrated) == ([], [], [])
