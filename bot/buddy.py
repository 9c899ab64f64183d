"""Accountability buddies, the pure rules: invite tokens, what may be shared, when.

No Telegram and no database here. The one thing to remember: a buddy only ever sees
the facts in `WeekFacts` — a streak, a commitment, a count — and of those only the ones
the user switched on. Notes, reflections, contacts and check-in answers have no field
here, so no code path can hand them to a buddy.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from bot.schedule import next_weekly

# Telegram's start parameter: up to 64 of [A-Za-z0-9_-]. The prefix tells a buddy invite
# from any other deep link; 18 random bytes are 24 URL-safe characters (144 bits).
TOKEN_PREFIX = "buddy_"
TOKEN_BYTES = 18
TOKEN_BODY_LENGTH = 24
MAX_START_PARAMETER = 64
_TOKEN_RE = re.compile(rf"^{TOKEN_PREFIX}[A-Za-z0-9_-]{{{TOKEN_BODY_LENGTH}}}$")

INVITE_LIFETIME = timedelta(days=7)
MAX_ENCOURAGEMENT = 300


def new_token() -> str:
    """A fresh invite token, usable as Telegram's start parameter."""
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def is_buddy_parameter(parameter: str) -> bool:
    """Whether a /start parameter is meant as a buddy invite (well-formed or not)."""
    return parameter.startswith(TOKEN_PREFIX)


def is_well_formed(token: str) -> bool:
    return _TOKEN_RE.fullmatch(token) is not None


def token_fingerprint(token: str) -> str:
    """What is stored instead of the token (64 hex characters): a copy of the database
    cannot be turned back into working invite links."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def invite_url(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


class InviteProblem(StrEnum):
    """Why an opened invite link cannot make the opener a buddy."""

    UNKNOWN = "unknown"  # never issued, or its owner left
    WITHDRAWN = "withdrawn"  # replaced by a new link, or cancelled
    USED = "used"
    EXPIRED = "expired"
    OWN = "own"


def invite_problem(
    *,
    found: bool,
    opened: bool,
    withdrawn: bool,
    owner_id: int,
    opener_id: int,
    expires_at: datetime,
    now: datetime,
) -> InviteProblem | None:
    """None when the opener may be offered the link; otherwise why not (checked in this
    order, so someone opening their own used link hears that it was used)."""
    if not found:
        return InviteProblem.UNKNOWN
    if opened:
        return InviteProblem.USED
    if withdrawn:
        return InviteProblem.WITHDRAWN
    if expires_at <= now:
        return InviteProblem.EXPIRED
    if owner_id == opener_id:
        return InviteProblem.OWN
    return None


class ShareField(StrEnum):
    """What a user may let their buddy see each week — the complete list."""

    STREAK = "streak"
    COMMITMENT = "commitment"
    APPLICATIONS = "applications"


SHARE_ORDER = (ShareField.STREAK, ShareField.COMMITMENT, ShareField.APPLICATIONS)
DEFAULT_SHARE = frozenset({ShareField.STREAK})


def parse_share_field(value: str) -> ShareField | None:
    try:
        return ShareField(value)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class WeekFacts:
    """Everything a weekly update could ever say about the user."""

    streak: int
    commitment: str | None
    applications: int


@dataclass(frozen=True, slots=True)
class SharedSummary:
    """The facts the user agreed to share; None for everything else."""

    streak: int | None = None
    commitment: str | None = None
    commitment_shared: bool = False
    applications: int | None = None

    @property
    def is_empty(self) -> bool:
        return self.streak is None and not self.commitment_shared and self.applications is None


def shared_summary(facts: WeekFacts, share: frozenset[ShareField]) -> SharedSummary:
    """Keep only what was agreed: an unshared fact is dropped here, not at display time."""
    return SharedSummary(
        streak=facts.streak if ShareField.STREAK in share else None,
        commitment=facts.commitment if ShareField.COMMITMENT in share else None,
        commitment_shared=ShareField.COMMITMENT in share,
        applications=facts.applications if ShareField.APPLICATIONS in share else None,
    )


def recent_commitment(
    checkins: list[tuple[str, str | None]], *, this_week: str, last_week: str
) -> str | None:
    """The newest commitment made this week or last (periods like '2026-W48'); an older
    one is stale and better left unsaid."""
    for period, commitment in sorted(checkins, key=lambda week: week[0], reverse=True):
        if period in (this_week, last_week) and commitment:
            return commitment
    return None


def next_summary_at(after: datetime, *, zone_id: str, weekday: int, at: time) -> datetime:
    """The first weekly-update time strictly after `after`: the day after the user's
    check-in day, at their check-in time, in their zone — so a check-in answered on the
    day is already in it. (The next weekday, not 24 hours: DST must not move the hour.)"""
    return next_weekly(after, zone_id=zone_id, weekday=(weekday + 1) % 7, at=at)


def clean_encouragement(text: str) -> str:
    """One line: runs of whitespace (new lines included) become one space."""
    return " ".join(text.split())


def encouragement_too_long(text: str) -> bool:
    return len(clean_encouragement(text)) > MAX_ENCOURAGEMENT
