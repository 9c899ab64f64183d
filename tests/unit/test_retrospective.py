"""When a retrospective is due (eight weeks; twenty applications with no interview; never
twice), how its record is stored, and what the evidence says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from bot.progress import build_snapshot
from bot.retrospective import (
    NO_INTERVIEW_AFTER,
    RETRO_EVERY,
    Choice,
    Feeling,
    Finding,
    RetroRecord,
    SentApplication,
    Trigger,
    answered,
    decode_record,
    decode_records,
    due_retrospective,
    encode_record,
    read_evidence,
    sent_applications,
)

FIRST_CHECKIN = date(2026, 9, 7)
EIGHT_WEEKS_ON = FIRST_CHECKIN + RETRO_EVERY


@dataclass(frozen=True)
class App:
    id: int
    status: str


@dataclass(frozen=True)
class Event:
    application_id: int
    status: str
    happened_on: date


@dataclass(frozen=True)
class Week:
    period: str
    state: str
    confidence: int | None = None


def _sent(count: int, *, first_id: int = 1, on: date = date(2026, 10, 1)) -> list[SentApplication]:
    return [SentApplication(first_id + n, on + timedelta(days=n % 5), None) for n in range(count)]


def _due(
    today: date,
    *,
    records: list[RetroRecord] | None = None,
    applications: list[SentApplication] | None = None,
    first_checkin: date | None = FIRST_CHECKIN,
) -> Trigger | None:
    due = due_retrospective(
        today=today,
        first_checkin=first_checkin,
        records=records or [],
        applications=applications or [],
    )
    return due.trigger if due else None


# --- eight weeks ------------------------------------------------------------------------------


def test_eight_weeks_after_the_first_checkin_a_retrospective_is_due() -> None:
    assert _due(EIGHT_WEEKS_ON - timedelta(days=1)) is None
    assert _due(EIGHT_WEEKS_ON) is Trigger.WEEKS
    assert _due(EIGHT_WEEKS_ON + timedelta(days=20)) is Trigger.WEEKS


def test_without_a_checkin_the_weeks_never_start_counting() -> None:
    assert _due(date(2030, 1, 1), first_checkin=None) is None


def test_weeks_count_again_from_the_latest_offer_so_it_is_not_offered_twice() -> None:
    offered = RetroRecord(EIGHT_WEEKS_ON, Trigger.WEEKS, last_application_id=0)
    assert _due(EIGHT_WEEKS_ON, records=[offered]) is None  # the same day
    assert _due(EIGHT_WEEKS_ON + timedelta(days=30), records=[offered]) is None
    assert _due(EIGHT_WEEKS_ON + RETRO_EVERY, records=[offered]) is Trigger.WEEKS


def test_an_unanswered_offer_counts_as_an_offer() -> None:
    ignored = RetroRecord(EIGHT_WEEKS_ON, Trigger.WEEKS, 0)  # "Not now", or no answer at all
    assert ignored.choice is None
    assert _due(EIGHT_WEEKS_ON + timedelta(weeks=4), records=[ignored]) is None


# --- twenty applications with no interview -------------------------------------------------------


def test_twenty_applications_without_an_interview_make_a_retrospective_due() -> None:
    today = date(2026, 10, 20)  # only six weeks after the first check-in
    assert _due(today, applications=_sent(NO_INTERVIEW_AFTER - 1)) is None
    due = due_retrospective(
        today=today, first_checkin=FIRST_CHECKIN, records=[], applications=_sent(20)
    )
    assert due is not None
    assert (due.trigger, due.applications, due.last_application_id) == (
        Trigger.APPLICATIONS,
        20,
        20,
    )


def test_an_interview_resets_the_count_to_the_applications_sent_since() -> None:
    today = date(2026, 11, 1)
    before = _sent(15, on=date(2026, 9, 20))
    interview = SentApplication(16, date(2026, 9, 25), interview_on=date(2026, 10, 5))
    after = _sent(NO_INTERVIEW_AFTER - 1, first_id=17, on=date(2026, 10, 6))
    assert _due(today, applications=[*before, interview, *after], first_checkin=None) is None
    more = _sent(1, first_id=40, on=date(2026, 10, 20))
    assert _due(today, applications=[*before, interview, *after, *more]) is Trigger.APPLICATIONS


def test_a_screen_is_not_an_interview_and_does_not_stop_the_count() -> None:
    apps = [App(n, "rejected") for n in range(1, 21)]
    events = [Event(n, "applied", date(2026, 10, 1)) for n in range(1, 21)]
    events += [Event(1, "screening", date(2026, 10, 3)), Event(1, "rejected", date(2026, 10, 6))]
    sent = sent_applications(apps, events)
    assert len(sent) == 20
    assert all(app.interview_on is None for app in sent)
    assert _due(date(2026, 10, 20), applications=sent, first_checkin=None) is Trigger.APPLICATIONS


def test_saved_applications_are_not_sent_ones() -> None:
    apps = [App(1, "saved"), App(2, "withdrawn"), App(3, "interview")]
    events = [
        Event(1, "saved", date(2026, 10, 1)),
        Event(2, "saved", date(2026, 10, 1)),
        Event(2, "withdrawn", date(2026, 10, 2)),
        Event(3, "applied", date(2026, 10, 1)),
        Event(3, "interview", date(2026, 10, 8)),
    ]
    assert sent_applications(apps, events) == [
        SentApplication(3, date(2026, 10, 1), interview_on=date(2026, 10, 8))
    ]


def test_the_applications_trigger_fires_once_for_the_same_twenty() -> None:
    today = date(2026, 10, 20)
    twenty = _sent(20)
    offered = RetroRecord(today - timedelta(days=1), Trigger.APPLICATIONS, last_application_id=20)
    assert _due(today, applications=twenty, records=[offered]) is None
    nineteen_more = _sent(19, first_id=21, on=date(2026, 10, 21))
    assert _due(today, applications=twenty + nineteen_more, records=[offered]) is None
    twenty_more = _sent(20, first_id=21, on=date(2026, 10, 21))
    assert _due(today, applications=twenty + twenty_more, records=[offered]) is (
        Trigger.APPLICATIONS
    )


def test_when_both_are_due_one_retrospective_names_the_applications() -> None:
    assert _due(EIGHT_WEEKS_ON, applications=_sent(25)) is Trigger.APPLICATIONS


# --- records ---------------------------------------------------------------------------------------


def test_a_record_round_trips_through_its_stored_form() -> None:
    record = RetroRecord(date(2026, 11, 2), Trigger.APPLICATIONS, 42)
    record = answered(answered(record, feeling=Feeling.UNSURE), choice=Choice.PLAN)
    assert record.feeling is Feeling.UNSURE  # a later answer keeps the earlier ones
    assert decode_record(record.key, encode_record(record)) == record


@pytest.mark.parametrize(
    ("key", "value"),
    [("not-a-day", '{"trigger": "weeks"}'), ("2026-11-02", "{"), ("2026-11-02", '{"x": 1}')],
)
def test_an_unreadable_record_is_skipped_not_an_error(key: str, value: str) -> None:
    assert decode_record(key, value) is None
    assert decode_records({key: value}) == []


# --- what the evidence says ---------------------------------------------------------------------


def _weeks(*confidence: int) -> list[Week]:
    return [Week(f"2026-W{30 + n:02d}", "answered", c) for n, c in enumerate(confidence)]


def _applied(count: int, *, screened: int = 0) -> tuple[list[App], list[Event]]:
    apps = [App(n, "applied") for n in range(1, count + 1)]
    events = [Event(n, "applied", date(2026, 10, 1)) for n in range(1, count + 1)]
    events += [Event(n, "screening", date(2026, 10, 5)) for n in range(1, screened + 1)]
    return apps, events


def test_evidence_of_a_steady_week_rhythm_says_keep_going() -> None:
    snapshot = build_snapshot(today=date(2026, 11, 2), checkins=_weeks(3, 4, 3, 4))
    reading = read_evidence(snapshot, Feeling.YES)
    assert reading.findings == (Finding.ON_TRACK,)
    assert reading.suggested is Choice.KEEP


def test_no_interviews_while_confidence_sinks_points_at_the_target() -> None:
    apps, events = _applied(24, screened=2)
    snapshot = build_snapshot(
        today=date(2026, 11, 2),
        checkins=_weeks(4, 4, 3, 2, 2, 2),
        applications=apps,
        events=events,
    )
    reading = read_evidence(snapshot, Feeling.UNSURE)
    assert Finding.NO_INTERVIEWS in reading.findings
    assert Finding.CONFIDENCE_LOW in reading.findings
    assert reading.suggested is Choice.TARGET


def test_no_interviews_with_confidence_intact_points_at_the_plan() -> None:
    apps, events = _applied(20)
    snapshot = build_snapshot(
        today=date(2026, 11, 2), checkins=_weeks(4, 4, 4), applications=apps, events=events
    )
    reading = read_evidence(snapshot, Feeling.YES)
    assert reading.findings == (Finding.NO_INTERVIEWS,)
    assert reading.suggested is Choice.PLAN


def test_a_gut_no_points_at_the_target_whatever_the_numbers() -> None:
    snapshot = build_snapshot(today=date(2026, 11, 2), checkins=_weeks(4, 5, 5))
    reading = read_evidence(snapshot, Feeling.NO)
    assert reading.findings[0] is Finding.FEELS_WRONG
    assert Finding.CONFIDENCE_RISING in reading.findings
    assert reading.suggested is Choice.TARGET


def test_overdue_milestones_point_at_the_plan() -> None:
    @dataclass(frozen=True)
    class Step:
        week_start: date
        state: str

    today = date(2026, 11, 25)
    late = [Step(date(2026, 11, 2), "planned")] * 3
    snapshot = build_snapshot(
        today=today, checkins=_weeks(3, 3), milestones=late, deadline=date(2027, 3, 1)
    )
    reading = read_evidence(snapshot, None)
    assert reading.findings == (Finding.BEHIND_PLAN,)
    assert reading.suggested is Choice.PLAN
