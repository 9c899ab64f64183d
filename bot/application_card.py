"""The application card waiting for the user's tap (pure): what was understood, what is
still missing, what looks wrong about its date, and typed dates read for it.

A card lives in the user's draft (persisted JSON) until it is saved or dropped, so it
survives a restart; every new rendering gets a new token, so an old card's buttons can be
told apart from the current one's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.application_dates import Preference, find_dates, find_times, resolve_date
from bot.application_parser import DateConcern
from bot.application_status import Status

INTERVIEW_STAGES = frozenset({Status.SCREENING, Status.INTERVIEW})
# Stages whose date says when something already happened (not a date to come).
PAST_STAGES = frozenset(Status) - INTERVIEW_STAGES - {Status.SAVED}
MAX_DATE_TEXT = 60
WEEK = timedelta(days=7)


@dataclass(slots=True)
class Card:
    """One application message understood and waiting for Save (or an update of one)."""

    token: str = ""
    company: str | None = None
    role: str | None = None
    status: Status | None = None
    day: date | None = None
    at: time | None = None
    url: str | None = None
    note: str | None = None
    round: int | None = None  # the interview round the user named ("2nd round")
    final_round: bool = False
    # An update of an existing application: its id, and how it stood before.
    target: int | None = None
    target_status: Status | None = None
    target_rounds: int = 0
    # Several applications could be meant: (id, label) to choose from.
    choices: list[tuple[int, str]] = field(default_factory=list)
    concern: DateConcern | None = None
    date_settled: bool = False  # the user confirmed the date after a concern
    day_asked: bool = False  # the interview date was asked (and maybe skipped)
    guess: str | None = None  # a company the parser was unsure of, to confirm

    @property
    def is_update(self) -> bool:
        return self.target is not None

    def to_json(self) -> dict[str, Any]:
        """The card as plain JSON for the persisted draft."""
        data: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, time):
                value = value.isoformat(timespec="minutes")
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, DateConcern):
                value = value.name
            elif isinstance(value, Status):
                value = value.value
            elif item.name == "choices":
                value = [[choice_id, label] for choice_id, label in value]
            data[item.name] = value
        return data

    @classmethod
    def from_json(cls, data: object) -> Card | None:
        """The card back from the draft (None when there is none, or it cannot be read)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                token=str(data.get("token") or ""),
                company=_text(data.get("company")),
                role=_text(data.get("role")),
                status=Status(data["status"]) if data.get("status") else None,
                day=date.fromisoformat(data["day"]) if data.get("day") else None,
                at=time.fromisoformat(data["at"]) if data.get("at") else None,
                url=_text(data.get("url")),
                note=_text(data.get("note")),
                round=int(data["round"]) if data.get("round") else None,
                final_round=bool(data.get("final_round")),
                target=int(data["target"]) if data.get("target") else None,
                target_status=Status(data["target_status"]) if data.get("target_status") else None,
                target_rounds=int(data.get("target_rounds") or 0),
                choices=[(int(i), str(label)) for i, label in data.get("choices") or []],
                concern=DateConcern[data["concern"]] if data.get("concern") else None,
                date_settled=bool(data.get("date_settled")),
                day_asked=bool(data.get("day_asked")),
                guess=_text(data.get("guess")),
            )
        except (KeyError, ValueError, TypeError):
            return None

    def forget_target(self) -> None:
        """No longer an update of an existing application."""
        self.target = None
        self.target_status = None
        self.target_rounds = 0
        self.choices = []

    def needs_event_date(self) -> bool:
        """An interview or screen without a date, not asked about yet: ask when it is."""
        return self.status in INTERVIEW_STAGES and self.day is None and not self.day_asked

    def settle_defaults(self, today: date) -> None:
        """What already happened and has no date happened today; only events keep a time."""
        if self.status is None:
            return
        if self.status not in INTERVIEW_STAGES:
            self.at = None
            if self.day is None:
                self.day = today

    def recheck(self, today: date) -> None:
        """The stage or the date changed: look at the date afresh."""
        self.concern = date_concern(self.status, self.day, today)
        self.date_settled = False

    @property
    def date_in_question(self) -> bool:
        return self.concern is not None and not self.date_settled and self.day is not None


def _text(value: object) -> str | None:
    return str(value) if value else None


def date_concern(status: Status | None, day: date | None, today: date) -> DateConcern | None:
    """Applied (or rejected, offered…) on a day still to come, or an interview already past."""
    if status is None or day is None:
        return None
    if status in PAST_STAGES and day > today:
        return DateConcern.APPLIED_IN_FUTURE
    if status in INTERVIEW_STAGES and day < today:
        return DateConcern.INTERVIEW_IN_PAST
    return None


def suggested_day(concern: DateConcern, day: date, today: date) -> date | None:
    """What the user most likely meant: the same weekday a week earlier or later."""
    if concern is DateConcern.APPLIED_IN_FUTURE:
        earlier = day - WEEK
        return earlier if earlier <= today else today
    later = day + WEEK
    return later if later >= today else None


def read_day(text: str, *, local_now: datetime, future: bool) -> tuple[date, time | None] | None:
    """A typed day (and the time, when one was given), or None when there is none.

    Read the way the parser reads dates in messages (bot.application_dates), so "next
    Tuesday" means the same in a message and in an answer: `future` prefers the coming
    date ("Friday" = this Friday) for interviews, the past one for what already happened.
    """
    lower = text.strip().lower()
    if not lower or len(lower) > MAX_DATE_TEXT:
        return None
    prefer: Preference = "future" if future else "past"
    today = local_now.date()
    days = (resolve_date(mention, today=today, prefer=prefer) for mention in find_dates(lower))
    day = next((found for found in days if found is not None), None)
    if day is None:
        return None
    times = find_times(lower)
    return day, times[0].value if times else None
