"""The retrospective: when one is due, and what the evidence says (pure).

A retrospective steps back from the weekly rhythm: is the target still right, and what do
the numbers say? It is offered on two triggers:

* WEEKS — every RETRO_EVERY (8 weeks), counted from the latest retrospective, or from the
  first answered check-in before there was one. The check-ins are the rhythm a
  retrospective looks back over (confidence, streak), so without one there is little to
  look at; a finished /plan alone does not start the clock.
* APPLICATIONS — NO_INTERVIEW_AFTER (20) applications sent since the latest interview (if
  any) and since the latest retrospective, none of which reached an interview. A screen
  is not an interview: it does not stop the count.

Never twice: every offer is recorded (with the newest application id seen), so the weeks
count again from it, and only applications newer than it count toward the next
APPLICATIONS trigger. When both triggers are due, one retrospective is offered, named
after the applications (the more specific reason).

A record is stored as JSON in a journey answer (step "retro", key = the day it was
offered): see `encode_record` / `decode_record`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from bot.application_patterns import ApplicationFacts, StageEvent, Suggestion
from bot.application_status import Status
from bot.progress import INTERVIEW_INDEX, STAGE_INDEX, ProgressSnapshot, Trend

RETRO_EVERY = timedelta(weeks=8)
NO_INTERVIEW_AFTER = 20
OVERDUE_MILESTONES = 3  # this many overdue milestones: the plan asks more than the weeks give
LOW_CONFIDENCE = 2.0  # mean of the last LOW_CONFIDENCE_WEEKS answers at or below this is low
LOW_CONFIDENCE_WEEKS = 3


class Trigger(StrEnum):
    WEEKS = "weeks"
    APPLICATIONS = "applications"


class Feeling(StrEnum):
    """The gut answer to "is the target still right?"."""

    YES = "yes"
    UNSURE = "unsure"
    NO = "no"


class Choice(StrEnum):
    """What the user does after the retrospective."""

    KEEP = "keep"
    TARGET = "target"
    PLAN = "plan"


class Finding(StrEnum):
    """One thing the evidence says; each has a sentence in bot/texts/retrospective.py."""

    FEELS_WRONG = "feels_wrong"
    NO_INTERVIEWS = "no_interviews"
    REJECTION_PATTERN = "rejection_pattern"
    CONFIDENCE_FALLING = "confidence_falling"
    CONFIDENCE_LOW = "confidence_low"
    CONFIDENCE_RISING = "confidence_rising"
    BEHIND_PLAN = "behind_plan"
    CHECKINS_MISSED = "checkins_missed"
    DEADLINE_PASSED = "deadline_passed"
    ON_TRACK = "on_track"


@dataclass(frozen=True, slots=True)
class RetroRecord:
    """One retrospective offered, and how far the user went with it."""

    offered_on: date
    trigger: Trigger
    last_application_id: int  # the newest application when it was offered (0: none)
    feeling: Feeling | None = None
    choice: Choice | None = None

    @property
    def key(self) -> str:
        return self.offered_on.isoformat()


@dataclass(frozen=True, slots=True)
class Due:
    """A retrospective that should be offered now, and why."""

    trigger: Trigger
    applications: int  # sent since the last interview and retrospective, no interview
    last_application_id: int


@dataclass(frozen=True, slots=True)
class SentApplication:
    id: int
    sent_on: date
    interview_on: date | None  # the first day it reached an interview (or further)


@dataclass(frozen=True, slots=True)
class Reading:
    """What the evidence says, and the choice it points to (marked on its button)."""

    findings: tuple[Finding, ...]
    suggested: Choice


# --- records ------------------------------------------------------------------------------


def encode_record(record: RetroRecord) -> str:
    return json.dumps(
        {
            "trigger": record.trigger.value,
            "last_application_id": record.last_application_id,
            "feeling": record.feeling.value if record.feeling else None,
            "choice": record.choice.value if record.choice else None,
        },
        sort_keys=True,
    )


def decode_record(key: str, value: str) -> RetroRecord | None:
    """The record stored under `key` (a day); None when it cannot be read."""
    try:
        offered_on = date.fromisoformat(key)
        data = json.loads(value)
        trigger = Trigger(data["trigger"])
        last_id = int(data.get("last_application_id") or 0)
        feeling = Feeling(data["feeling"]) if data.get("feeling") else None
        choice = Choice(data["choice"]) if data.get("choice") else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return RetroRecord(offered_on, trigger, last_id, feeling, choice)


def decode_records(answers: dict[str, str]) -> list[RetroRecord]:
    """Every readable record among a user's "retro" answers, oldest first."""
    found = (decode_record(key, value) for key, value in answers.items())
    return sorted((r for r in found if r is not None), key=lambda r: r.offered_on)


def answered(
    record: RetroRecord, *, feeling: Feeling | None = None, choice: Choice | None = None
) -> RetroRecord:
    """The record with the answers given so far (None keeps what was there)."""
    return replace(record, feeling=feeling or record.feeling, choice=choice or record.choice)


# --- when one is due ------------------------------------------------------------------------


def sent_applications(
    applications: Sequence[ApplicationFacts], events: Sequence[StageEvent]
) -> list[SentApplication]:
    """The applications that were sent, with the day they went out and their first interview."""
    history: dict[int, list[StageEvent]] = {app.id: [] for app in applications}
    for event in events:
        if event.application_id in history:
            history[event.application_id].append(event)
    sent: list[SentApplication] = []
    for app_id, rows in history.items():
        proving = sorted(
            (row for row in rows if row.status in STAGE_INDEX), key=lambda row: row.happened_on
        )
        if not proving:
            continue  # only saved (or withdrawn before applying)
        interviews = [
            row.happened_on for row in proving if STAGE_INDEX[row.status] >= INTERVIEW_INDEX
        ]
        sent.append(SentApplication(app_id, proving[0].happened_on, min(interviews, default=None)))
    return sorted(sent, key=lambda app: app.id)


def without_interview(applications: Iterable[SentApplication], *, after_id: int) -> int:
    """Applications newer than `after_id`, sent since the latest interview, with none."""
    sent = list(applications)
    interviews = [app.interview_on for app in sent if app.interview_on is not None]
    since = max(interviews, default=None)
    return sum(
        1
        for app in sent
        if app.id > after_id
        and app.interview_on is None
        and (since is None or app.sent_on >= since)
    )


def due_retrospective(
    *,
    today: date,
    first_checkin: date | None,
    records: Sequence[RetroRecord],
    applications: Sequence[SentApplication],
) -> Due | None:
    """The retrospective to offer today, if one is due (see the module's rules)."""
    latest = max(records, key=lambda r: r.offered_on, default=None)
    if latest is not None and latest.offered_on >= today:
        return None  # one offered today already (or a record from a moved clock)
    newest_id = max((app.id for app in applications), default=0)
    after_id = latest.last_application_id if latest else 0
    count = without_interview(applications, after_id=after_id)
    if count >= NO_INTERVIEW_AFTER:
        return Due(Trigger.APPLICATIONS, count, newest_id)
    anchor = latest.offered_on if latest else first_checkin
    if anchor is not None and today >= anchor + RETRO_EVERY:
        return Due(Trigger.WEEKS, count, newest_id)
    return None


# --- what the evidence says ----------------------------------------------------------------


def _confidence_findings(snapshot: ProgressSnapshot) -> list[Finding]:
    values = [value for _period, value in snapshot.confidence]
    recent = values[-LOW_CONFIDENCE_WEEKS:]
    if (
        recent
        and len(recent) == LOW_CONFIDENCE_WEEKS
        and sum(recent) / len(recent) <= LOW_CONFIDENCE
    ):
        return [Finding.CONFIDENCE_LOW]
    if snapshot.trend is Trend.FALLING:
        return [Finding.CONFIDENCE_FALLING]
    if snapshot.trend is Trend.RISING:
        return [Finding.CONFIDENCE_RISING]
    return []


def read_evidence(snapshot: ProgressSnapshot, feeling: Feeling | None) -> Reading:
    """The findings worth saying, most telling first, and the choice they point to.

    The gut answer weighs most: "no" points at the target. Applications that bring no
    interview while confidence sinks point at the target too (it may be a step too far
    from where the user is now); without the sinking, at the plan (more proof, a reviewed
    CV). A plan running behind, or a passed deadline, points at the plan. Otherwise: keep.
    """
    findings: list[Finding] = []
    if feeling is Feeling.NO:
        findings.append(Finding.FEELS_WRONG)
    no_interviews = (
        snapshot.applied >= NO_INTERVIEW_AFTER and snapshot.reached(Status.INTERVIEW) == 0
    )
    if no_interviews:
        findings.append(Finding.NO_INTERVIEWS)
    if any(a.suggestion is not Suggestion.FOLLOW_UP_EARLIER for a in snapshot.patterns.advice):
        findings.append(Finding.REJECTION_PATTERN)
    confidence = _confidence_findings(snapshot)
    findings += confidence
    roadmap = snapshot.roadmap
    behind = roadmap is not None and roadmap.overdue >= OVERDUE_MILESTONES
    passed = roadmap is not None and roadmap.days_left < 0
    if behind:
        findings.append(Finding.BEHIND_PLAN)
    if passed:
        findings.append(Finding.DEADLINE_PASSED)
    if snapshot.weeks_missed > snapshot.weeks_answered:
        findings.append(Finding.CHECKINS_MISSED)
    sinking = bool({Finding.CONFIDENCE_FALLING, Finding.CONFIDENCE_LOW} & set(confidence))
    if feeling is Feeling.NO or (no_interviews and (sinking or feeling is Feeling.UNSURE)):
        suggested = Choice.TARGET
    elif no_interviews or behind or passed or Finding.CHECKINS_MISSED in findings:
        suggested = Choice.PLAN
    else:
        suggested = Choice.KEEP
    if not findings:
        findings.append(Finding.ON_TRACK)
    return Reading(tuple(findings), suggested)
