"""/export: a short note, then the user's data as JSON, applications as CSV, a calendar."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.application_status import Status
from scheduler.application_planning import ApplicationTiming, log_application
from tests.harness import TEST_TOKEN, BotHarness, ChatUser
from tests.storage.test_user_data_repository import seed_every_table

PARIS = ZoneInfo("Europe/Paris")


def _sessions(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    assert harness.application is not None
    return harness.application.services.sessions


async def _documents(harness: BotHarness, user: ChatUser, count: int) -> dict[str, bytes]:
    """The files the bot sent the user, by name, once `count` of them have arrived."""

    def documents() -> dict[str, bytes]:
        return {
            m.file_name or "": m.content or b""
            for m in harness.stub.messages(user.user_id)
            if m.kind == "document"
        }

    await harness.stub.wait_for(lambda: len(documents()) >= count, timeout=8)
    await user.settle()
    found = documents()
    assert len(found) == count, sorted(found)
    return found


async def _seed_bob(harness: BotHarness, user_id: int) -> None:
    async with _sessions(harness).begin() as session:
        await log_application(
            session,
            user_id=user_id,
            company="Initech",
            role="Secret Role",
            status=Status.APPLIED,
            on=date(2026, 11, 18),
            timing=ApplicationTiming(zone="Asia/Tokyo"),
            now=harness.clock.now,
        )


async def test_export_sends_a_note_then_json_csv_and_calendar(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    bob = await harness.onboard("Bob", "Tokyo")
    await seed_every_table(_sessions(harness), ada.user_id, now=harness.clock.now, ptb_rows=False)
    await _seed_bob(harness, bob.user_id)
    await ada.send("/export")
    note = await ada.expect(
        "Here's everything", "careercoach-export.json", "applications.csv", ".ics"
    )
    files = await _documents(harness, ada, 3)
    assert sorted(files) == [
        "applications.csv",
        "careercoach-calendar.ics",
        "careercoach-export.json",
    ]
    sent = harness.stub.messages(ada.user_id)
    first_document = next(m.message_id for m in sent if m.kind == "document")
    assert note.message_id < first_document
    mime_types = {m.file_name: m.mime_type for m in sent if m.kind == "document"}
    assert mime_types["careercoach-export.json"] == "application/json"
    assert mime_types["careercoach-calendar.ics"] == "text/calendar"


async def test_export_json_holds_the_users_data_and_nobody_elses(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    bob = await harness.onboard("Bob", "Tokyo")
    await seed_every_table(_sessions(harness), ada.user_id, now=harness.clock.now, ptb_rows=False)
    await _seed_bob(harness, bob.user_id)
    await ada.send("/export")
    files = await _documents(harness, ada, 3)
    raw = files["careercoach-export.json"]
    document = json.loads(raw)
    assert document["profile"]["user_id"] == ada.user_id
    assert document["profile"]["timezone"] == "Europe/Paris"
    assert document["journey"]["why"]["answers"] == {"push": ["pay"], "statement": "Impact"}
    assert [gap["name"] for gap in document["gap_items"]] == ["SQL"]
    assert document["plan"]["deadline"] == "2027-05-31"
    assert [m["week_start"] for m in document["milestones"]] == ["2026-11-23", "2026-11-30"]
    assert document["checkins"][0]["did"] == "SQL"
    acme = next(a for a in document["applications"] if a["company"] == "Acme")
    assert [(s["status"], s["on"]) for s in acme["stages"]] == [
        ("applied", "2026-11-20"),
        ("interview", "2026-11-27"),
    ]
    assert acme["next_event_at"] == "2026-11-27T13:00:00+00:00"
    assert document["reflections"][0]["company"] == "Globex"
    kinds = {prompt["kind"] for prompt in document["scheduled_prompts"]}
    assert {"weekly_checkin", "app_followup", "app_interview", "app_reflection"} <= kinds
    for forbidden in (b"Initech", b"Secret Role", str(bob.user_id).encode(), TEST_TOKEN.encode()):
        assert forbidden not in raw
        assert all(forbidden not in content for content in files.values())


async def test_export_csv_lists_each_application_with_its_history(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    await seed_every_table(_sessions(harness), ada.user_id, now=harness.clock.now, ptb_rows=False)
    await ada.send("/export")
    data = (await _documents(harness, ada, 3))["applications.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row["company"] for row in rows] == ["Acme", "Café Société", "Globex"]
    acme = rows[0]
    assert acme["history"] == "applied 2026-11-20; interview 2026-11-27 (round 1)"
    assert acme["status"] == "interview"
    assert acme["applied_on"] == "2026-11-20"
    assert acme["contacts"] == "Jane Doe (recruiter, jane@acme.example)"
    assert acme["notes"] == "'=cmd|' /C calc'!A0"  # a formula, neutralised
    assert acme["link"] == "https://acme.example/jobs/1"
    assert rows[2]["history"] == "rejected 2026-11-19"


async def test_export_calendar_has_milestones_interview_and_follow_ups(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard("Ada", "Paris")
    await seed_every_table(_sessions(harness), ada.user_id, now=harness.clock.now, ptb_rows=False)
    await ada.send("/export")
    calendar = Calendar.from_ical((await _documents(harness, ada, 3))["careercoach-calendar.ics"])
    events = {str(event["SUMMARY"]): event for event in calendar.events}
    milestones = sorted(
        e.start
        for e in calendar.events
        if isinstance(e.start, date) and not isinstance(e.start, datetime)
    )
    assert milestones == [date(2026, 11, 23), date(2026, 11, 30)]
    interview = events["🎤 Interview: Acme — Product Manager (round 1)"]
    assert isinstance(interview.start, datetime)
    assert interview.start == datetime(2026, 11, 27, 14, 0, tzinfo=PARIS)
    assert str(interview.start.tzinfo) == "Europe/Paris"
    follow_ups = sorted(
        e.start for e in calendar.events if str(e["SUMMARY"]).startswith("📨 Follow up: Café")
    )
    # Applied on Saturday 21 November: nudges 7, 14 and 21 days later at 10:00, Paris time.
    assert follow_ups == [
        datetime(2026, 11, 28, 10, 0, tzinfo=PARIS),
        datetime(2026, 12, 5, 10, 0, tzinfo=PARIS),
        datetime(2026, 12, 12, 10, 0, tzinfo=PARIS),
    ]
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]


async def test_export_of_an_empty_account_sends_a_friendly_note_and_valid_json(
    harness: BotHarness,
) -> None:
    nu = harness.user("Nu")
    await nu.send("/export")
    await nu.expect("nothing saved about you yet")
    files = await _documents(harness, nu, 1)
    document = json.loads(files["careercoach-export.json"])
    assert document["profile"]["first_name"] == "Nu"
    assert document["profile"]["timezone"] is None
    assert document["applications"] == [] and document["plan"] is None


async def test_export_after_start_only_sends_the_json(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    await ada.send("/export")
    note = await ada.expect("Here's everything", "careercoach-export.json")
    assert "applications.csv" not in note.text and ".ics" not in note.text
    files = await _documents(harness, ada, 1)
    document = json.loads(files["careercoach-export.json"])
    assert [p["kind"] for p in document["scheduled_prompts"]] == ["weekly_checkin"]
