"""The export files: JSON that loads back, a CSV Excel reads safely, a calendar that parses."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from bot import export_formats as fmt

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
OWNER = 4242


def _profile(timezone: str | None = "Europe/Paris") -> fmt.ProfileRecord:
    return fmt.ProfileRecord(
        user_id=OWNER,
        first_name="Zoë",
        last_name=None,
        username="zoe",
        language="fr",
        timezone=timezone,
        checkin_weekday=4,
        checkin_time=time(18, 30),
        paused=False,
        paused_until=None,
        active=True,
        created_at=datetime(2026, 11, 1, 8, 0, tzinfo=UTC),
    )


ACME = fmt.ApplicationRecord(
    id=7,
    company="Acme",
    role="Product Manager",
    status="interview",
    status_on=date(2026, 11, 27),
    applied_on=date(2026, 11, 20),
    url="https://acme.example/jobs/1",
    interview_rounds=1,
    next_event_at=datetime(2026, 11, 27, 13, 0, tzinfo=UTC),  # 14:00 in Paris
    stages=(
        fmt.StageRecord(status="applied", on=date(2026, 11, 20)),
        fmt.StageRecord(status="interview", on=date(2026, 11, 27), round=1),
    ),
    notes=(
        fmt.NoteRecord(kind="note", text='=HYPERLINK("http://evil.example","click")'),
        fmt.NoteRecord(kind="note", text="Loved the team"),
        fmt.NoteRecord(kind="recruiter", text="Jane Doe", reach="jane@acme.example"),
        fmt.NoteRecord(kind="referral", text="Bob"),
    ),
)
CAFE = fmt.ApplicationRecord(
    id=8,
    company="Café Société",
    role="Analyste données",
    status="no_answer",
    status_on=date(2026, 11, 2),
    applied_on=date(2026, 10, 12),
    stages=(fmt.StageRecord(status="applied", on=date(2026, 10, 12)),),
)
MILESTONES = (
    fmt.MilestoneRecord(
        week_start=date(2026, 11, 23),
        phase=1,
        kind="learn",
        title="📚 Learn SQL with your online course (3 h)",
        focus_name="SQL",
        hours=3,
        state="planned",
    ),
    fmt.MilestoneRecord(
        week_start=date(2026, 11, 16),
        phase=1,
        kind="first_step",
        title="🚀 First step for SQL: sign up (1 h)",
        focus_name="SQL",
        hours=1,
        state="done",
        done_at=datetime(2026, 11, 18, 9, 0, tzinfo=UTC),
    ),
    fmt.MilestoneRecord(
        week_start=date(2026, 11, 16),
        phase=1,
        kind="learn",
        title="📚 Learn SQL (missed)",
        focus_name="SQL",
        hours=3,
        state="moved",
    ),
)
FOLLOWUP = fmt.FollowUpRecord(
    application_id=8,
    company="Café Société",
    role="Analyste données",
    due_at=datetime(2026, 11, 29, 9, 0, tzinfo=UTC),  # 10:00 in Paris
    step=2,
)


def _export(**overrides: object) -> fmt.UserExport:
    values: dict[str, object] = {
        "profile": _profile(),
        "steps": (
            fmt.StepRecord(
                step="why",
                answers={"push": '["boss", "pay"]', "statement": "I want [real] impact"},
                completed_at=datetime(2026, 11, 3, 10, 0, tzinfo=UTC),
            ),
        ),
        "gaps": (
            fmt.GapRecord(
                name="SQL",
                area="technical",
                source="onet",
                importance=4.5,
                current_level=1,
                required_level=4,
                suggested_level=4,
            ),
        ),
        "plan": fmt.PlanRecord(
            deadline=date(2027, 5, 31),
            deadline_text="end of May",
            hours_per_week=6,
            built_at=NOW,
            focus=(fmt.FocusRecord(name="SQL", method="course", first_step="sign up"),),
        ),
        "milestones": MILESTONES,
        "applications": (ACME, CAFE),
        "prompts": (
            fmt.PromptRecord(
                kind="app_followup",
                due_at=FOLLOWUP.due_at,
                payload={"application_id": 8, "step": 2},
            ),
        ),
        "followups": (FOLLOWUP,),
        **overrides,
    }
    return fmt.UserExport(**values)  # type: ignore[arg-type]


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _calendar(data: fmt.UserExport, zone_id: str = "Europe/Paris") -> Calendar:
    return Calendar.from_ical(fmt.calendar_ics(data, now=NOW, zone_id=zone_id))


def _event(calendar: Calendar, summary_part: str) -> Event:
    found = [event for event in calendar.events if summary_part in str(event.get("SUMMARY"))]
    assert len(found) == 1, [str(event.get("SUMMARY")) for event in calendar.events]
    return found[0]


# --- JSON --------------------------------------------------------------------------------------


def test_json_loads_back_with_every_section_and_iso_dates() -> None:
    document = json.loads(fmt.export_json(_export(), exported_at=NOW))
    assert document["format"] == "careercoach-export"
    assert document["exported_at"] == "2026-11-22T12:00:00+00:00"
    assert document["profile"]["first_name"] == "Zoë"
    assert document["profile"]["checkin_weekday"] == "friday"
    assert document["profile"]["checkin_time"] == "18:30:00"
    assert document["plan"]["deadline"] == "2027-05-31"
    assert document["plan"]["focus"] == [
        {"name": "SQL", "method": "course", "first_step": "sign up"}
    ]
    acme = document["applications"][0]
    assert acme["next_event_at"] == "2026-11-27T13:00:00+00:00"
    assert acme["stages"][1] == {"status": "interview", "on": "2026-11-27", "round": 1}
    assert acme["notes"][2]["reach"] == "jane@acme.example"
    assert document["scheduled_prompts"][0]["payload"] == {"application_id": 8, "step": 2}
    assert [m["state"] for m in document["milestones"]] == ["planned", "done", "moved"]
    assert "followups" not in document  # the calendar's view of the prompts, not more data


def test_json_answers_keep_choice_lists_as_lists_and_text_as_text() -> None:
    document = json.loads(fmt.export_json(_export(), exported_at=NOW))
    why = document["journey"]["why"]
    assert why["completed_at"] == "2026-11-03T10:00:00+00:00"
    assert why["answers"] == {"push": ["boss", "pay"], "statement": "I want [real] impact"}


def test_json_of_an_empty_account_is_still_a_full_document() -> None:
    empty = fmt.UserExport(profile=_profile(timezone=None))
    assert empty.is_empty
    assert not _export().is_empty
    document = json.loads(fmt.export_json(empty, exported_at=NOW))
    assert document["profile"]["timezone"] is None
    assert document["plan"] is None
    assert document["applications"] == [] and document["journey"] == {}


def test_json_keeps_accents_readable() -> None:
    raw = fmt.export_json(_export(), exported_at=NOW)
    assert "Café Société".encode() in raw


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_has_the_columns_and_each_stage_with_its_date() -> None:
    data = fmt.applications_csv([ACME, CAFE])
    rows = _csv_rows(data)
    assert list(rows[0].keys()) == [
        "company",
        "role",
        "status",
        "applied_on",
        "history",
        "contacts",
        "notes",
        "link",
    ]
    acme, cafe = rows
    assert acme["history"] == "applied 2026-11-20; interview 2026-11-27 (round 1)"
    assert acme["applied_on"] == "2026-11-20"
    assert acme["contacts"] == "Jane Doe (recruiter, jane@acme.example); Bob (referral)"
    assert acme["link"] == "https://acme.example/jobs/1"
    assert cafe["status"] == "no answer"
    assert cafe["link"] == ""


def test_csv_is_utf8_with_a_bom_and_crlf_lines() -> None:
    data = fmt.applications_csv([CAFE])
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Café Société".encode() in data
    assert b"\r\n" in data


def test_csv_escapes_a_formula_looking_note_with_an_apostrophe() -> None:
    acme = _csv_rows(fmt.applications_csv([ACME]))[0]
    assert acme["notes"].splitlines() == [
        '\'=HYPERLINK("http://evil.example","click")',
        "Loved the team",
    ]


@pytest.mark.parametrize("text", ["=1+1", "+33 6 12", "-2", "@SUM(A1)", "\tx"])
def test_csv_cells_that_start_a_formula_get_an_apostrophe(text: str) -> None:
    application = fmt.ApplicationRecord(
        id=1, company=text, role=None, status="saved", status_on=NOW.date(), applied_on=None
    )
    row = _csv_rows(fmt.applications_csv([application]))[0]
    assert row["company"] == f"'{text}"


def test_csv_leaves_ordinary_text_alone() -> None:
    assert fmt.safe_cell("Acme = fun") == "Acme = fun"
    assert fmt.safe_cell("") == ""


def test_csv_of_no_applications_is_the_header_only() -> None:
    assert _csv_rows(fmt.applications_csv([])) == []
    assert fmt.applications_csv([]).decode("utf-8-sig").startswith("company,role,status")


# --- iCalendar ---------------------------------------------------------------------------------


def test_ics_has_prodid_version_and_a_vtimezone_for_the_users_zone() -> None:
    calendar = _calendar(_export())
    assert str(calendar["PRODID"]) == fmt.PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/Paris"]


def test_ics_milestones_are_all_day_events_on_their_monday() -> None:
    calendar = _calendar(_export())
    learn = _event(calendar, "Learn SQL with")
    assert learn.start == date(2026, 11, 23)
    assert learn.end == date(2026, 11, 24)
    assert not isinstance(learn.start, datetime)
    done = _event(calendar, "First step")
    assert str(done["SUMMARY"]).startswith("✅ ")
    # The missed milestone was carried over: only its copy belongs in the calendar.
    assert not [e for e in calendar.events if "missed" in str(e.get("SUMMARY"))]


def test_ics_interview_is_at_its_local_time_in_the_users_zone() -> None:
    interview = _event(_calendar(_export()), "Interview: Acme")
    assert str(interview["SUMMARY"]) == "🎤 Interview: Acme — Product Manager (round 1)"
    start, end = interview.start, interview.end
    assert isinstance(start, datetime) and isinstance(end, datetime)
    assert start == datetime(2026, 11, 27, 14, 0, tzinfo=PARIS)
    assert str(start.tzinfo) == "Europe/Paris"
    assert end - start == timedelta(hours=1)
    assert b"DTSTART;TZID=Europe/Paris:20261127T140000" in fmt.calendar_ics(
        _export(), now=NOW, zone_id="Europe/Paris"
    )


def test_ics_follow_up_nudge_is_an_event_at_its_due_time() -> None:
    followup = _event(_calendar(_export()), "Follow up")
    assert str(followup["SUMMARY"]) == "📨 Follow up: Café Société — Analyste données"
    assert followup.start == datetime(2026, 11, 29, 10, 0, tzinfo=PARIS)


def test_ics_leaves_out_interviews_already_past() -> None:
    past = fmt.ApplicationRecord(
        id=9,
        company="Globex",
        role=None,
        status="interview",
        status_on=date(2026, 11, 10),
        applied_on=None,
        interview_rounds=2,
        next_event_at=NOW - timedelta(days=3),
    )
    calendar = _calendar(_export(applications=(ACME, past)))
    assert not [e for e in calendar.events if "Globex" in str(e.get("SUMMARY"))]


def test_ics_uids_are_unique_and_the_same_in_every_export() -> None:
    first = [str(e["UID"]) for e in _calendar(_export()).events]
    later = fmt.calendar_ics(_export(), now=NOW + timedelta(days=1), zone_id="Europe/Paris")
    assert len(set(first)) == len(first) == 4
    assert [str(e["UID"]) for e in Calendar.from_ical(later).events] == first
    assert all(uid.endswith(f".{OWNER}@{fmt.UID_DOMAIN}") for uid in first)


def test_ics_two_milestones_of_one_kind_in_a_week_get_different_uids() -> None:
    twin = fmt.MilestoneRecord(
        week_start=date(2026, 11, 23),
        phase=1,
        kind="learn",
        title="📚 Learn Python (2 h)",
        focus_name="Python",
        hours=2,
        state="planned",
    )
    calendar = _calendar(_export(milestones=(*MILESTONES, twin), followups=(), applications=()))
    uids = [str(e["UID"]) for e in calendar.events]
    assert len(uids) == len(set(uids)) == 3


def test_ics_fixed_offset_zone_is_written_in_utc() -> None:
    calendar = _calendar(_export(), zone_id="UTC+05:30")
    interview = _event(calendar, "Interview: Acme")
    assert interview.start == datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
    assert calendar.timezones == []
