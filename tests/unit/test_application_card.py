"""Pure pieces behind the application card: company matching, date concerns, typed dates,
and the card's round trip through the persisted draft."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.application_card import Card, date_concern, read_day, suggested_day
from bot.application_match import Known, clear_choice, matches, same_company
from bot.application_parser import DateConcern
from bot.application_status import Status

TODAY = date(2026, 11, 22)  # a Sunday
LOCAL_NOW = datetime(2026, 11, 22, 13, 0, tzinfo=ZoneInfo("Europe/Paris"))
EARLIER = datetime(2026, 11, 1, tzinfo=UTC)


def _known(id_: int, company: str, role: str | None, status: Status, age_days: int = 0) -> Known:
    return Known(id_, company, role, status, EARLIER - timedelta(days=age_days))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Stripe Inc", "stripe"),
        ("Stripe", "Stripe, Inc."),
        ("Stipe", "Stripe"),
        ("Procter & Gamble", "procter and gamble"),
        ("Stripe Payments", "Stripe"),
        ("Deutsche Bank AG", "deutsche bank"),
    ],
)
def test_same_company_forgives_case_legal_form_and_a_typo(a: str, b: str) -> None:
    assert same_company(a, b)


@pytest.mark.parametrize(("a", "b"), [("Meta", "Beta"), ("Acme", "Acne"), ("Stripe", "Square")])
def test_different_companies_stay_apart(a: str, b: str) -> None:
    assert not same_company(a, b)


def test_interview_news_matches_the_open_application_not_a_closed_one() -> None:
    known = [
        _known(1, "Stripe", "Senior PM", Status.REJECTED, age_days=30),
        _known(2, "stripe inc", "Senior PM", Status.APPLIED),
        _known(3, "Globex", None, Status.APPLIED),
    ]
    found = matches(company="Stripe", role=None, status=Status.INTERVIEW, known=known)
    assert [item.id for item in found] == [2]
    assert clear_choice(found, None) == known[1]


def test_a_new_application_is_not_taken_for_an_update() -> None:
    known = [_known(1, "Stripe", "Senior PM", Status.APPLIED)]
    assert matches(company="Stripe", role="Senior PM", status=Status.APPLIED, known=known) == []
    assert matches(company="Stripe", role=None, status=Status.SAVED, known=known) == []
    saved = [_known(1, "Stripe", "Senior PM", Status.SAVED)]
    assert len(matches(company="Stripe", role=None, status=Status.APPLIED, known=saved)) == 1


def test_a_different_role_at_the_same_company_is_another_application() -> None:
    known = [_known(1, "Stripe", "Senior PM", Status.APPLIED)]
    assert (
        matches(company="Stripe", role="Data Analyst", status=Status.INTERVIEW, known=known) == []
    )


def test_two_open_applications_at_one_company_ask_which_unless_the_role_says() -> None:
    known = [
        _known(1, "Stripe", "Senior PM", Status.APPLIED, age_days=3),
        _known(2, "Stripe", "Data Analyst", Status.APPLIED),
    ]
    found = matches(company="stripe", role=None, status=Status.REJECTED, known=known)
    assert [item.id for item in found] == [2, 1]  # the most recent first
    assert clear_choice(found, None) is None
    by_role = matches(company="stripe", role="data analyst", status=Status.REJECTED, known=known)
    assert clear_choice(by_role, "data analyst") == known[1]


def test_closed_application_matches_when_no_open_one_does() -> None:
    known = [_known(7, "Globex", None, Status.NO_ANSWER)]
    assert [
        k.id for k in matches(company="Globex", role=None, status=Status.REJECTED, known=known)
    ] == [7]


@pytest.mark.parametrize(
    ("status", "day", "expected"),
    [
        (Status.APPLIED, TODAY + timedelta(days=2), DateConcern.APPLIED_IN_FUTURE),
        (Status.REJECTED, TODAY + timedelta(days=1), DateConcern.APPLIED_IN_FUTURE),
        (Status.APPLIED, TODAY, None),
        (Status.INTERVIEW, TODAY - timedelta(days=2), DateConcern.INTERVIEW_IN_PAST),
        (Status.SCREENING, TODAY - timedelta(days=1), DateConcern.INTERVIEW_IN_PAST),
        (Status.INTERVIEW, TODAY + timedelta(days=2), None),
        (Status.SAVED, TODAY + timedelta(days=5), None),
        (None, TODAY + timedelta(days=5), None),
    ],
)
def test_date_concern(status: Status | None, day: date, expected: DateConcern | None) -> None:
    assert date_concern(status, day, TODAY) is expected


def test_suggested_day_is_the_same_weekday_a_week_away() -> None:
    tuesday = date(2026, 11, 24)
    assert suggested_day(DateConcern.APPLIED_IN_FUTURE, tuesday, TODAY) == date(2026, 11, 17)
    friday = date(2026, 11, 20)
    assert suggested_day(DateConcern.INTERVIEW_IN_PAST, friday, TODAY) == date(2026, 11, 27)
    assert suggested_day(DateConcern.INTERVIEW_IN_PAST, date(2026, 10, 1), TODAY) is None
    assert suggested_day(DateConcern.APPLIED_IN_FUTURE, date(2027, 3, 1), TODAY) == TODAY


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("yesterday", False, (date(2026, 11, 21), None)),
        ("Friday", False, (date(2026, 11, 20), None)),
        ("Friday", True, (date(2026, 11, 27), None)),
        ("Tuesday 2pm", True, (date(2026, 11, 24), time(14, 0))),
        ("tomorrow at 10:30", True, (date(2026, 11, 23), time(10, 30))),
        ("24 Nov", False, (date(2026, 11, 24), None)),  # not a year ago
        ("3 March", False, (date(2026, 3, 3), None)),
    ],
)
def test_read_day(text: str, future: bool, expected: tuple[date, time | None]) -> None:
    assert read_day(text, local_now=LOCAL_NOW, future=future) == expected


@pytest.mark.parametrize("text", ["", "12", "purple", "x" * 61])
def test_read_day_refuses_what_is_not_a_date(text: str) -> None:
    assert read_day(text, local_now=LOCAL_NOW, future=False) is None


def test_card_survives_the_json_draft() -> None:
    card = Card(
        token="1f",
        company="Stripe <Inc>",
        role="Senior PM",
        status=Status.INTERVIEW,
        day=date(2026, 11, 24),
        at=time(14, 0),
        target=12,
        target_status=Status.APPLIED,
        target_rounds=1,
        choices=[(12, "Stripe — Senior PM · applied")],
        concern=DateConcern.INTERVIEW_IN_PAST,
        day_asked=True,
        guess="Stripe",
    )
    assert Card.from_json(card.to_json()) == card
    assert Card.from_json(None) is None
    assert Card.from_json({"status": "nonsense"}) is None


def test_settle_defaults_dates_what_happened_today_and_drops_its_time() -> None:
    card = Card(company="Globex", status=Status.REJECTED, at=time(9, 0))
    card.settle_defaults(TODAY)
    assert (card.day, card.at) == (TODAY, None)
    interview = Card(company="Globex", status=Status.INTERVIEW)
    interview.settle_defaults(TODAY)
    assert interview.day is None
    assert interview.needs_event_date()
