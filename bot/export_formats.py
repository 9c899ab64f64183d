"""The files /export sends: all of a user's data as JSON, applications as CSV, a calendar.

Pure: plain data classes in, bytes out — no database and no Telegram here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.application_status import Status
from bot.texts import privacy as t
from bot.timezones import resolve_zone

JSON_NAME = "careercoach-export.json"
CSV_NAME = "applications.csv"
ICS_NAME = "careercoach-calendar.ics"
FORMAT_VERSION = 1
PRODID = "-//Career Change Coach//Export//EN"
UID_DOMAIN = "career-change-coach"
CSV_COLUMNS = ("company", "role", "status", "applied_on", "history", "contacts", "notes", "link")
# A spreadsheet runs a cell starting with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WEEKDAY_IDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
INTERVIEW_LENGTH = timedelta(hours=1)
FOLLOWUP_LENGTH = timedelta(minutes=15)
DONE = "done"
MOVED = "moved"  # a missed milestone: its carried-over copy is the one that counts


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str
    timezone: str | None
    checkin_weekday: int  # 0 = Monday
    checkin_time: time
    paused: bool
    paused_until: datetime | None
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One coaching step (why, target, team …): its answers and when it was finished."""

    step: str
    answers: dict[str, str]
    completed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class GapRecord:
    name: str
    area: str
    source: str
    importance: float
    current_level: int | None
    required_level: int | None
    suggested_level: int | None


@dataclass(frozen=True, slots=True)
class FocusRecord:
    name: str
    method: str | None
    first_step: str | None


@dataclass(frozen=True, slots=True)
class PlanRecord:
    deadline: date | None
    deadline_text: str | None
    hours_per_week: int | None
    built_at: datetime | None
    focus: tuple[FocusRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class MilestoneRecord:
    week_start: date  # a Monday
    phase: int
    kind: str
    title: str  # what to do, in words, as the roadmap shows it
    focus_name: str | None
    hours: int
    state: str
    done_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CheckinRecord:
    period: str
    state: str
    did: str | None
    obstacles: str | None
    went_well: str | None
    commitment: str | None
    confidence: int | None
    prompted_at: datetime | None
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class StageRecord:
    status: str
    on: date
    round: int | None = None


@dataclass(frozen=True, slots=True)
class NoteRecord:
    kind: str  # "note", or a contact: "recruiter", "referral"
    text: str  # the note, or the contact's name
    reach: str | None = None  # how to reach a contact
    created_at: datetime | None = None

    @property
    def is_contact(self) -> bool:
        return self.kind != "note"


@dataclass(frozen=True, slots=True)
class ApplicationRecord:
    id: int
    company: str
    role: str | None
    status: str
    status_on: date
    applied_on: date | None
    url: str | None = None
    interview_rounds: int = 0
    next_event_at: datetime | None = None  # the next interview or screening, aware
    created_at: datetime | None = None
    stages: tuple[StageRecord, ...] = ()
    notes: tuple[NoteRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class ReflectionRecord:
    company: str
    stage: str | None
    round: int | None
    feedback: str | None
    went_well: str | None
    would_change: str | None
    next_action: str | None
    created_at: datetime | None
    completed_at: datetime | None


@dataclass(frozen=True, slots=True)
class PromptRecord:
    """A message the bot still owes the user (a check-in, a nudge …)."""

    kind: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FollowUpRecord:
    """A pending follow-up nudge about one application."""

    application_id: int
    company: str
    role: str | None
    due_at: datetime
    step: int


@dataclass(frozen=True, slots=True)
class BuddyRecord:
    """A buddy link seen from this user's side: never the other person's details."""

    role: str  # "you_invited" or "you_are_the_buddy"
    state: str
    share_streak: bool
    share_commitment: bool
    share_applications: bool
    created_at: datetime
    confirmed_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None


@dataclass(frozen=True, slots=True)
class UserExport:
    profile: ProfileRecord
    buddies: tuple[BuddyRecord, ...] = ()
    steps: tuple[StepRecord, ...] = ()
    gaps: tuple[GapRecord, ...] = ()
    plan: PlanRecord | None = None
    milestones: tuple[MilestoneRecord, ...] = ()
    checkins: tuple[CheckinRecord, ...] = ()
    applications: tuple[ApplicationRecord, ...] = ()
    reflections: tuple[ReflectionRecord, ...] = ()
    prompts: tuple[PromptRecord, ...] = ()
    followups: tuple[FollowUpRecord, ...] = ()  # also among `prompts`; here for the calendar

    @property
    def is_empty(self) -> bool:
        """Nothing but the profile: the user has not started anything yet."""
        kept = (self.steps, self.gaps, self.milestones, self.checkins, self.applications)
        return self.plan is None and not any(kept) and not self.reflections and not self.prompts


# --- JSON ------------------------------------------------------------------------------------


def _iso(value: object) -> str:
    """Dates and times as ISO 8601; moments in UTC, with their offset."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _answer(value: str) -> object:
    """An answer as given: text, or the list of choices stored as JSON."""
    if value.startswith("["):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if isinstance(decoded, list):
            return decoded
    return value


def _profile(profile: ProfileRecord) -> dict[str, object]:
    document = asdict(profile)
    document["checkin_weekday"] = WEEKDAY_IDS[profile.checkin_weekday % 7]
    return document


def _journey(steps: Sequence[StepRecord]) -> dict[str, object]:
    return {
        step.step: {
            "completed_at": step.completed_at,
            "answers": {key: _answer(value) for key, value in sorted(step.answers.items())},
        }
        for step in steps
    }


def export_document(data: UserExport, *, exported_at: datetime) -> dict[str, object]:
    """Everything about the user as one JSON-ready document (dates still Python objects)."""
    return {
        "format": "careercoach-export",
        "version": FORMAT_VERSION,
        "exported_at": exported_at,
        "profile": _profile(data.profile),
        "journey": _journey(data.steps),
        "gap_items": [asdict(gap) for gap in data.gaps],
        "plan": asdict(data.plan) if data.plan is not None else None,
        "milestones": [asdict(milestone) for milestone in data.milestones],
        "checkins": [asdict(checkin) for checkin in data.checkins],
        "applications": [asdict(application) for application in data.applications],
        "reflections": [asdict(reflection) for reflection in data.reflections],
        "scheduled_prompts": [asdict(prompt) for prompt in data.prompts],
        "buddy_links": [asdict(buddy) for buddy in data.buddies],
    }


def export_json(data: UserExport, *, exported_at: datetime) -> bytes:
    """The JSON file: UTF-8, indented, so it reads well in any text editor too."""
    document = export_document(data, exported_at=exported_at)
    return json.dumps(document, default=_iso, ensure_ascii=False, indent=2).encode("utf-8")


# --- CSV -------------------------------------------------------------------------------------


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe stops formula evaluation."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _words(status: str) -> str:
    return status.replace("_", " ")


def stage_history(stages: Sequence[StageRecord]) -> str:
    """ "applied 2026-11-20; interview 2026-11-27 (round 1)"."""
    parts = []
    for stage in stages:
        part = f"{_words(stage.status)} {stage.on.isoformat()}"
        if stage.round:
            part += f" (round {stage.round})"
        parts.append(part)
    return "; ".join(parts)


def _contact(note: NoteRecord) -> str:
    details = ", ".join(part for part in (note.kind, note.reach) if part)
    return f"{note.text} ({details})"


def _csv_row(application: ApplicationRecord) -> list[str]:
    contacts = [note for note in application.notes if note.is_contact]
    notes = [note.text for note in application.notes if not note.is_contact]
    return [
        application.company,
        application.role or "",
        _words(application.status),
        application.applied_on.isoformat() if application.applied_on else "",
        stage_history(application.stages),
        "; ".join(_contact(note) for note in contacts),
        "\n".join(notes),
        application.url or "",
    ]


def applications_csv(applications: Sequence[ApplicationRecord]) -> bytes:
    """One row per application with its whole stage history; UTF-8 with a BOM so Excel
    reads accents right, CRLF line ends, formula-looking cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for application in applications:
        writer.writerow([safe_cell(cell) for cell in _csv_row(application)])
    return buffer.getvalue().encode("utf-8-sig")


# --- iCalendar -------------------------------------------------------------------------------


def _calendar_zone(zone_id: str) -> tzinfo:
    """The user's IANA zone (written with TZID and a VTIMEZONE); UTC for a fixed offset,
    which has no TZID calendars understand."""
    try:
        zone = resolve_zone(zone_id)
    except ValueError:
        return UTC
    return zone if isinstance(zone, ZoneInfo) and zone.key != "UTC" else UTC


def _uid(owner: int, *parts: object) -> str:
    """Stable across exports, so importing a newer file updates events instead of doubling them."""
    return "-".join(str(part) for part in parts) + f".{owner}@{UID_DOMAIN}"


def _role(role: str | None) -> str:
    return t.ICS_ROLE.format(role=role) if role else ""


def _milestone_events(data: UserExport, stamp: datetime) -> Iterator[Event]:
    # Named by week and kind rather than row id: laying out the roadmap again makes new rows.
    slots: dict[tuple[date, str], int] = {}
    for milestone in data.milestones:
        if milestone.state == MOVED:
            continue
        slot = (milestone.week_start, milestone.kind)
        slots[slot] = slots.get(slot, 0) + 1
        title = milestone.title
        if milestone.state == DONE:
            title = t.ICS_MILESTONE_DONE.format(title=title)
        yield Event.new(
            uid=_uid(data.profile.user_id, "milestone", *slot, slots[slot]),
            summary=title,
            description=t.ICS_MILESTONE_DESCRIPTION.format(
                week=milestone.week_start.isoformat(),
                phase=t.ICS_PHASES.get(milestone.phase, str(milestone.phase)),
            ),
            # All day on the week's Monday: a to-do for the week, not a busy block.
            start=milestone.week_start,
            end=milestone.week_start + timedelta(days=1),
            stamp=stamp,
        )


def upcoming_interviews(data: UserExport, now: datetime) -> list[ApplicationRecord]:
    """Applications with a screening or interview still ahead."""
    stages = {Status.SCREENING.value, Status.INTERVIEW.value}
    return [
        application
        for application in data.applications
        if application.status in stages
        and application.next_event_at is not None
        and application.next_event_at >= now
    ]


def _interview_summary(application: ApplicationRecord) -> str:
    role = _role(application.role)
    if application.status == Status.SCREENING:
        return t.ICS_SCREENING.format(company=application.company, role=role)
    rounds = application.interview_rounds
    number = t.ICS_ROUND.format(round=rounds) if rounds else ""
    return t.ICS_INTERVIEW.format(company=application.company, role=role, round=number)


def _interview_events(
    data: UserExport, zone: tzinfo, now: datetime, stamp: datetime
) -> Iterator[Event]:
    owner = data.profile.user_id
    for application in upcoming_interviews(data, now):
        assert application.next_event_at is not None
        start = application.next_event_at.astimezone(zone)
        yield Event.new(
            # The round, not the time, names it: a rescheduled interview moves, not doubles.
            uid=_uid(owner, "interview", application.id, application.interview_rounds),
            summary=_interview_summary(application),
            description=t.ICS_INTERVIEW_DESCRIPTION,
            start=start,
            end=start + INTERVIEW_LENGTH,
            url=application.url or None,
            stamp=stamp,
        )


def _followup_events(data: UserExport, zone: tzinfo, stamp: datetime) -> Iterator[Event]:
    for followup in data.followups:
        start = followup.due_at.astimezone(zone)
        yield Event.new(
            uid=_uid(data.profile.user_id, "followup", followup.application_id, followup.step),
            summary=t.ICS_FOLLOWUP.format(company=followup.company, role=_role(followup.role)),
            description=t.ICS_FOLLOWUP_DESCRIPTION,
            start=start,
            end=start + FOLLOWUP_LENGTH,
            stamp=stamp,
        )


def calendar_events(data: UserExport, *, now: datetime, zone_id: str) -> list[Event]:
    """Milestones, upcoming interviews and pending follow-ups, in the user's zone."""
    zone = _calendar_zone(zone_id)
    stamp = now.astimezone(UTC)
    return [
        *_milestone_events(data, stamp),
        *_interview_events(data, zone, now, stamp),
        *_followup_events(data, zone, stamp),
    ]


def _span(events: Sequence[Event]) -> tuple[date, date]:
    """The years the events fall in: the VTIMEZONE only needs to cover those."""
    days = [
        start.date() if isinstance(start, datetime) else start
        for event in events
        if (start := event.start) is not None
    ]
    return date(min(days).year, 1, 1), date(max(days).year + 1, 12, 31)


def calendar_ics(data: UserExport, *, now: datetime, zone_id: str) -> bytes:
    """An iCalendar file Google Calendar and Apple Calendar import as they are."""
    calendar = Calendar.new(
        prodid=PRODID,
        name=t.ICS_CALENDAR_NAME,
        calscale="GREGORIAN",
        method="PUBLISH",
        uid=_uid(data.profile.user_id, "calendar"),
    )
    events = calendar_events(data, now=now, zone_id=zone_id)
    for event in events:
        calendar.add_component(event)
    if events:
        first, last = _span(events)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())
