"""bot.occupations against the O*NET® data the bot ships (bot/data/onet/)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.occupations import (
    CATALOG,
    DATA_DIR,
    MAX_QUERY_LENGTH,
    OccupationCatalog,
    OccupationProfile,
    area_of,
    level_to_0_5,
)

ROOT = Path(__file__).resolve().parents[2]
ONET_SOURCE = Path("/work/shared/data/onet")


def codes(query: str, limit: int = 3) -> list[str]:
    return [match.code for match in CATALOG.match(query, limit=limit)]


def profile(code: str) -> OccupationProfile:
    found = CATALOG.profile(code)
    assert found is not None, code
    return found


# --- Title matching. ----------------------------------------------------------------


def test_data_analyst_matches_three_data_analysis_occupations() -> None:
    data_analysis = {
        "15-2051.01",  # Business Intelligence Analysts
        "15-2041.00",  # Statisticians
        "15-2051.00",  # Data Scientists
        "13-2099.01",  # Financial Quantitative Analysts
        "15-1243.00",  # Database Architects
    }
    found = codes("data analyst")
    assert len(found) == 3
    assert set(found) <= data_analysis


def test_ux_designer_matches_web_and_digital_interface_designers_first() -> None:
    matches = CATALOG.match("UX designer")
    assert matches[0].code == "15-1255.00"
    assert matches[0].matched_title == "UX Designer"


def test_product_manager_matches_marketing_managers_first() -> None:
    matches = CATALOG.match("product manager")
    assert matches[0].code == "11-2021.00"
    assert matches[0].matched_title == "Product Manager"


def test_nurse_matches_registered_nurses_first() -> None:
    assert codes("nurse")[0] == "29-1141.00"


def test_registered_nurse_matches_registered_nurses_first() -> None:
    assert codes("registered nurse")[0] == "29-1141.00"


def test_typo_in_software_engineer_still_matches_software_developers_first() -> None:
    best = CATALOG.match("sofware engineer")[0]
    assert (best.code, best.title, best.matched_title) == (
        "15-1252.00",
        "Software Developers",
        "Software Engineer",
    )
    assert 90 <= best.score < 100


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("registerd nurse", "29-1141.00"),
        ("nurce", "29-1141.00"),
        ("data scintist", "15-2051.00"),
        ("acountant", "13-2011.00"),
    ],
)
def test_typos_still_match_the_intended_occupation(query: str, code: str) -> None:
    assert codes(query)[0] == code


@pytest.mark.parametrize(
    "query",
    [
        "dragon tamer",
        "asdf",
        "",
        "🙂",
        "professional napper",
        "xyzzy",
        "unicorn wrangler",
        "space cowboy",
        "pizza eater",
        "qwerty uiop",
        "   ",
        "?!.,;",
        "the and of",
    ],
)
def test_nonsense_matches_nothing(query: str) -> None:
    assert CATALOG.match(query) == []


def test_software_engineer_match_names_official_and_matched_titles() -> None:
    best = CATALOG.match("software engineer")[0]
    assert best.code == "15-1252.00"
    assert best.title == "Software Developers"
    assert best.matched_title == "Software Engineer"
    assert best.score == 100.0


def test_official_title_ranks_its_own_occupation_first() -> None:
    best = CATALOG.match("Statisticians")[0]
    assert (best.code, best.matched_title) == ("15-2041.00", "Statisticians")


@pytest.mark.parametrize(
    "query",
    ["DATA ANALYSTS", "Data-Analyst", "dàta analyst", "data analyst's", "  data   analyst  "],
)
def test_case_accents_punctuation_and_plurals_are_ignored(query: str) -> None:
    assert codes(query) == codes("data analyst")


@pytest.mark.parametrize(
    ("abbreviated", "written_out"),
    [
        ("sr. ux designer", "senior ux designer"),
        ("jr accountant", "junior accountant"),
        ("mktg mgr", "marketing manager"),
    ],
)
def test_common_abbreviations_are_understood(abbreviated: str, written_out: str) -> None:
    assert codes(abbreviated) == codes(written_out) != []


def test_conversational_filler_is_ignored() -> None:
    assert codes("I am a nurse") == codes("nurse")


def test_compound_word_is_split_into_title_words() -> None:
    assert codes("frontend developer") == codes("front end developer") != []


def test_matches_are_distinct_occupations_within_the_limit() -> None:
    # "Teacher" is an alternate title of dozens of occupations.
    many = CATALOG.match("teacher", limit=10)
    assert len(many) == 10
    assert len({match.code for match in many}) == 10
    assert all(0 < match.score <= 100 for match in many)


def test_limit_caps_the_number_of_matches() -> None:
    assert len(CATALOG.match("nurse", limit=1)) == 1
    assert CATALOG.match("nurse", limit=0) == []


def test_query_longer_than_the_maximum_is_truncated() -> None:
    query = "registered nurse " + "x" * 10_000
    assert CATALOG.match(query) == CATALOG.match(query[:MAX_QUERY_LENGTH])


def test_occupation_with_tasks_ranks_before_a_residual_one_without() -> None:
    # Three sources list "Golf Club Manager" for 11-9199.00 Managers, All Other (no tasks,
    # no ratings), one for 11-9072.00 Entertainment and Recreation Managers.
    assert codes("golf club manager", limit=2) == ["11-9072.00", "11-9199.00"]


# --- Profiles. ----------------------------------------------------------------------


def test_business_intelligence_analysts_have_their_own_ratings() -> None:
    analysts = profile("15-2051.01")
    assert analysts.title == "Business Intelligence Analysts"
    assert analysts.ratings_from is None
    top_names = [requirement.name for requirement in analysts.requirements[:5]]
    assert "Reading Comprehension" in top_names
    assert "Critical Thinking" in top_names


def test_reading_comprehension_of_business_intelligence_analysts_matches_onet() -> None:
    reading = next(r for r in profile("15-2051.01").requirements if r.element_id == "2.A.1.a")
    assert (reading.name, reading.area) == ("Reading Comprehension", "technical")
    assert (reading.importance, reading.level, reading.required_0_5) == (4.0, 4.25, 3)
    assert reading.description.startswith("Understanding written sentences")


def test_data_scientists_borrow_ratings_from_statisticians() -> None:
    scientists = profile("15-2051.00")
    assert scientists.ratings_from == ("15-2041.00", "Statisticians")
    assert scientists.requirements == profile("15-2041.00").requirements
    assert scientists.core_tasks and scientists.technologies  # its own, not borrowed
    assert scientists.core_tasks != profile("15-2041.00").core_tasks


def test_project_management_specialists_borrow_from_it_project_managers() -> None:
    specialists = profile("13-1082.00")
    assert specialists.ratings_from == (
        "15-1299.09",
        "Information Technology Project Managers",
    )
    assert specialists.requirements


@pytest.mark.parametrize(
    ("code", "lender"),
    [
        ("15-1255.00", "15-1254.00"),  # Web and Digital Interface Designers <- Web Developers
        (
            "13-2051.00",
            "13-2052.00",
        ),  # Financial and Investment Analysts <- Personal Financial Advisors
        ("15-1299.04", "15-1299.05"),  # Penetration Testers <- Information Security Engineers
    ],
)
def test_unrated_occupations_borrow_from_closest_rated_relative(code: str, lender: str) -> None:
    borrower = profile(code)
    assert borrower.ratings_from is not None
    assert borrower.ratings_from[0] == lender
    assert borrower.requirements


def test_requirements_are_sorted_by_importance_then_level_then_name() -> None:
    requirements = profile("29-1141.00").requirements
    keys = [(-r.importance, -r.level, r.name) for r in requirements]
    assert keys == sorted(keys)


def test_not_relevant_and_suppressed_ratings_are_left_out() -> None:
    nurse_elements = {r.element_id for r in profile("29-1141.00").requirements}
    assert "2.B.3.d" not in nurse_elements  # Installation: rated not relevant
    assert "2.C.4.b" not in nurse_elements  # Physics: level estimate suppressed
    assert "2.A.1.a" in nurse_elements


def test_required_level_is_between_one_and_five() -> None:
    for requirement in profile("29-1141.00").requirements:
        assert 1 <= requirement.required_0_5 <= 5
        assert requirement.required_0_5 == max(1, level_to_0_5(requirement.level))
        assert 1 <= requirement.importance <= 5
        assert 0 <= requirement.level <= 7


def test_requirements_cover_technical_soft_and_knowledge_areas() -> None:
    areas = {r.area for r in profile("15-2051.01").requirements}
    assert areas == {"technical", "soft", "knowledge"}


def test_technologies_list_in_demand_then_hot_then_others() -> None:
    technologies = profile("15-2051.01").technologies
    assert 0 < len(technologies) <= 15
    ranks = [(not tech.in_demand, not tech.hot) for tech in technologies]
    assert ranks == sorted(ranks)
    assert "Microsoft Power BI" in {tech.name for tech in technologies}


def test_core_tasks_are_at_most_eight_core_statements() -> None:
    tasks = profile("15-2051.01").core_tasks
    assert len(tasks) == 8
    assert tasks[0].startswith("Generate standard or custom reports")


def test_profile_carries_description_and_job_zone() -> None:
    analysts = profile("15-2051.01")
    assert analysts.description.startswith("Produce financial and market intelligence")
    assert analysts.job_zone == 4


def test_residual_occupation_without_data_has_an_empty_profile() -> None:
    others = profile("11-9199.00")
    assert others.title == "Managers, All Other"
    assert (others.requirements, others.core_tasks, others.ratings_from) == ((), (), None)
    assert others.job_zone is None


def test_unknown_code_has_no_profile() -> None:
    assert CATALOG.profile("99-9999.99") is None


def test_profile_code_is_trimmed() -> None:
    assert profile(" 15-2051.01 ").code == "15-2051.01"


# --- Anchors and scales. -------------------------------------------------------------


def test_reading_comprehension_has_three_anchors_sorted_by_level() -> None:
    anchors = CATALOG.anchors("2.A.1.a")
    assert [anchor.level for anchor in anchors] == [2, 4, 6]
    assert [anchor.level_0_5 for anchor in anchors] == [1, 3, 4]
    assert anchors[0].description == "Read step-by-step instructions for completing a form"


def test_knowledge_area_has_anchors() -> None:
    assert len(CATALOG.anchors("2.C.1.a")) == 3


def test_unknown_element_has_no_anchors() -> None:
    assert CATALOG.anchors("9.Z.9") == ()


@pytest.mark.parametrize(
    ("level", "expected"),
    [(0.0, 0), (1.0, 1), (2.0, 1), (3.5, 3), (4.0, 3), (4.25, 3), (6.0, 4), (7.0, 5)],
)
def test_level_maps_to_the_bots_scale_rounding_halves_up(level: float, expected: int) -> None:
    assert level_to_0_5(level) == expected


@pytest.mark.parametrize(
    ("element_id", "area"),
    [
        ("2.A.1.a", "technical"),  # Reading Comprehension
        ("2.A.1.b", "soft"),  # Active Listening
        ("2.A.1.c", "soft"),  # Writing
        ("2.A.1.d", "soft"),  # Speaking
        ("2.A.2.a", "technical"),  # Critical Thinking
        ("2.B.1.a", "soft"),  # Social Perceptiveness
        ("2.B.3.e", "technical"),  # Programming
        ("2.C.3.a", "knowledge"),  # Computers and Electronics
    ],
)
def test_skill_areas_follow_the_content_model(element_id: str, area: str) -> None:
    assert area_of(element_id) == area


# --- Loading. ------------------------------------------------------------------------


def test_catalog_reads_nothing_until_first_use(tmp_path: Path) -> None:
    catalog = OccupationCatalog(tmp_path / "missing")  # no error yet: nothing is read
    with pytest.raises(FileNotFoundError):
        catalog.match("nurse")


def test_concurrent_loads_all_see_the_same_catalog() -> None:
    catalog = OccupationCatalog(DATA_DIR)
    results: list[list[str]] = []

    def load_and_match() -> None:
        catalog.load()
        results.append([match.code for match in catalog.match("nurse")])

    threads = [threading.Thread(target=load_and_match) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert all(result == results[0] != [] for result in results)


def test_load_is_idempotent() -> None:
    catalog = OccupationCatalog()
    catalog.load()
    catalog.load()
    assert catalog.profile("15-2051.01") is catalog.profile("15-2051.01")


@pytest.mark.skipif(not ONET_SOURCE.is_dir(), reason="O*NET source files not available")
def test_build_script_reproduces_the_shipped_files_byte_for_byte(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "build_onet_subset.py"
    subprocess.run(
        [sys.executable, str(script), str(ONET_SOURCE), "--output", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in ("occupations.json.gz", "titles.tsv.gz", "ATTRIBUTION.md"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_tool_in_the_title_is_dropped_when_nothing_matches_it() -> None:
    # No O*NET title names Python; the job itself is still found.
    assert codes("python developer")[0] == "15-1252.00"


def test_unknown_word_is_not_dropped_like_a_tool() -> None:
    assert CATALOG.match("dragon tamer") == []
    assert CATALOG.match("python") == []  # a tool alone is not a job
