"""The database schema as typed SQLAlchemy models."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class User(Base):
    """A person using the bot, keyed by their Telegram user id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128))
    last_name: Mapped[str | None] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(64))
    # The language the bot speaks to them: follows Telegram's until they choose in /settings.
    language: Mapped[str] = mapped_column(String(16), default="en")
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str | None] = mapped_column(String(64))
    checkin_weekday: Mapped[int] = mapped_column(SmallInteger, default=0)  # 0 = Monday
    checkin_time: Mapped[time] = mapped_column(Time, default=time(9, 0))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_until: Mapped[datetime | None] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False once they block the bot
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PromptState:
    PENDING = "pending"
    CLAIMED = "claimed"
    # Written just before the Bot API call: if a crash leaves a prompt here, it may or may
    # not have reached the user (the Bot API has no idempotency key to ask).
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


class ScheduledPrompt(Base):
    """A message the bot owes a user at a time: scheduling is data, not scheduler jobs."""

    __tablename__ = "scheduled_prompts"
    __table_args__ = (Index("ix_scheduled_prompts_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column()
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default=PromptState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_until: Mapped[datetime | None] = mapped_column()
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # Unique while the prompt stands; cleared on cancel so the slot can be queued again.
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class CheckinState:
    OPEN = "open"
    ANSWERED = "answered"
    MISSED = "missed"


class Checkin(Base):
    """One week's accountability check-in and the user's answers, saved one by one."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("user_id", "period"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(10))  # ISO week in the user's zone, 2026-W48
    state: Mapped[str] = mapped_column(String(16), default=CheckinState.OPEN)
    did: Mapped[str | None] = mapped_column(Text)
    obstacles: Mapped[str | None] = mapped_column(Text)
    went_well: Mapped[str | None] = mapped_column(Text)
    commitment: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[int | None] = mapped_column(SmallInteger)
    prompted_at: Mapped[datetime | None] = mapped_column()
    answered_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class JourneyAnswer(Base):
    """One answer of a coaching step (why, target, team, pitch …), saved the moment it is given.

    The questionnaire steps share this shape so every answer is stored, shown back and
    edited the same way; `value` is the user's text, or JSON for a list of choices.
    """

    __tablename__ = "journey_answers"
    __table_args__ = (UniqueConstraint("user_id", "step", "key"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(48))
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StepCompletion(Base):
    """When a user finished a coaching step (the first time, and the latest edit)."""

    __tablename__ = "step_completions"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[str] = mapped_column(String(16), primary_key=True)
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GapItem(Base):
    """One skill, tool, knowledge area or other requirement in the user's gap audit."""

    __tablename__ = "gap_items"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))  # O*NET element id, "tech:<name>" or "own:<n>"
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(8))  # "onet" or "own"
    importance: Mapped[float] = mapped_column(Float, default=3.0)
    suggested_level: Mapped[int | None] = mapped_column(SmallInteger)  # from the occupation
    required_level: Mapped[int | None] = mapped_column(SmallInteger)
    current_level: Mapped[int | None] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Plan(Base):
    """The re-skilling plan: a deadline and the hours a week the user can give."""

    __tablename__ = "plans"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    deadline: Mapped[date | None] = mapped_column(Date)
    deadline_text: Mapped[str | None] = mapped_column(String(200))  # the user's own words
    hours_per_week: Mapped[int | None] = mapped_column(SmallInteger)
    built_at: Mapped[datetime | None] = mapped_column()  # when the milestones were laid out
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PlanFocus(Base):
    """How the user will close one gap: a method and a first concrete step."""

    __tablename__ = "plan_focus"
    __table_args__ = (UniqueConstraint("user_id", "gap_key"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    gap_key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    method: Mapped[str | None] = mapped_column(String(24))
    first_step: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MilestoneState:
    PLANNED = "planned"
    DONE = "done"
    MOVED = "moved"  # missed and carried into a later week


class Milestone(Base):
    """One week's piece of the roadmap."""

    __tablename__ = "milestones"
    __table_args__ = (Index("ix_milestones_user_id_week_start", "user_id", "week_start"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)  # the Monday of the week, user's calendar
    phase: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(24))
    focus_key: Mapped[str | None] = mapped_column(String(80))
    focus_name: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[int] = mapped_column(SmallInteger, default=1)
    state: Mapped[str] = mapped_column(String(12), default=MilestoneState.PLANNED)
    done_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Application(Base):
    """One job the user applied to (or saved), with its current stage."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_user_id_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    company: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    status_on: Mapped[date] = mapped_column(Date)  # the day the current stage began
    applied_on: Mapped[date | None] = mapped_column(Date)
    interview_rounds: Mapped[int] = mapped_column(SmallInteger, default=0)
    next_event_at: Mapped[datetime | None] = mapped_column()  # the next interview/screen, UTC
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ApplicationEvent(Base):
    """A stage an application went through, with its date: the stage history."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    application_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("applications.id", ondelete="CASCADE"),
        index=True,
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    happened_on: Mapped[date] = mapped_column(Date)
    round: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApplicationNote(Base):
    """A note the user added to an application, or a contact (recruiter, referral)."""

    __tablename__ = "application_notes"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    application_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("applications.id", ondelete="CASCADE"),
        index=True,
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))  # "note", "recruiter", "referral"
    text: Mapped[str] = mapped_column(Text)  # the note, or the contact's name
    reach: Mapped[str | None] = mapped_column(String(200))  # how to reach a contact
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reflection(Base):
    """What the user learned from one rejection, answer by answer."""

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("applications.id", ondelete="SET NULL"),
    )
    company: Mapped[str] = mapped_column(String(200))  # kept if the application is deleted
    stage: Mapped[str | None] = mapped_column(String(24))
    round: Mapped[int | None] = mapped_column(SmallInteger)
    feedback: Mapped[str | None] = mapped_column(Text)
    went_well: Mapped[str | None] = mapped_column(Text)
    would_change: Mapped[str | None] = mapped_column(Text)
    next_action: Mapped[str | None] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column()


class BuddyState:
    INVITED = "invited"  # a link is out; nobody has opened it yet
    OFFERED = "offered"  # someone opened it and is deciding
    ACCEPTED = "accepted"  # they said yes; the user is choosing what to share
    ACTIVE = "active"  # both agreed: weekly updates go out
    ENDED = "ended"  # declined, cancelled, replaced, expired or ended by either side
    LIVE = (INVITED, OFFERED, ACCEPTED, ACTIVE)


class BuddyEnd:
    """Why a buddy link ended (so each side can be told the right thing)."""

    DECLINED = "declined"  # the invited person said no
    REFUSED = "refused"  # the user said "not with them" after they accepted
    CANCELLED = "cancelled"  # the user withdrew the invite
    REPLACED = "replaced"  # the user asked for a new link
    EXPIRED = "expired"
    BY_USER = "by_user"
    BY_BUDDY = "by_buddy"
    UNREACHABLE = "unreachable"  # one side blocked the bot


class BuddyLink(Base):
    """An accountability buddy for a user: from the invite link to the end of the pairing.

    Only a fingerprint of the invite token is kept. Both ends reference users, so erasing
    either person erases the link with them.
    """

    __tablename__ = "buddy_links"
    __table_args__ = (
        # One live link per user (one buddy is enough); ended ones stay for the record.
        Index(
            "uq_buddy_links_live_user_id",
            "user_id",
            unique=True,
            sqlite_where=sql_text("state != 'ended'"),
            postgresql_where=sql_text("state != 'ended'"),
        ),
        Index("ix_buddy_links_buddy_id_state", "buddy_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    buddy_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE")
    )
    state: Mapped[str] = mapped_column(String(12), default=BuddyState.INVITED)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()  # of the invite link
    share_streak: Mapped[bool] = mapped_column(Boolean, default=True)
    share_commitment: Mapped[bool] = mapped_column(Boolean, default=False)
    share_applications: Mapped[bool] = mapped_column(Boolean, default=False)
    next_summary_at: Mapped[datetime | None] = mapped_column()
    end_reason: Mapped[str | None] = mapped_column(String(16))  # see BuddyEnd
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column()
    confirmed_at: Mapped[datetime | None] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()


class PtbUserData(Base):
    """PTB's per-user scratch data (user_data), as JSON."""

    __tablename__ = "ptb_user_data"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]] = mapped_column()


class PtbChatData(Base):
    """PTB's per-chat scratch data (chat_data), as JSON."""

    __tablename__ = "ptb_chat_data"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]] = mapped_column()


class PtbSingleton(Base):
    """PTB's bot_data and callback data: one JSON document per name."""

    __tablename__ = "ptb_singletons"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON)


class PtbConversation(Base):
    """Where each user stands in each conversation, so a restart resumes at the same step."""

    __tablename__ = "ptb_conversations"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)  # JSON of PTB's key tuple
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    state: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InboundUpdate(Base):
    """An update from Telegram, journaled before it is confirmed: replayed after a crash if
    unprocessed, ignored if Telegram delivers it again. The payload is dropped once the
    update is processed; the row stays for a while only to recognise re-deliveries."""

    __tablename__ = "inbound_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # No foreign key: strangers and not-yet-registered users send updates too. The column
    # name lets /delete_me find the rows.
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    payload: Mapped[dict[str, Any] | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(index=True)


__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationNote",
    "Base",
    "BuddyEnd",
    "BuddyLink",
    "BuddyState",
    "Checkin",
    "CheckinState",
    "GapItem",
    "InboundUpdate",
    "JourneyAnswer",
    "Milestone",
    "MilestoneState",
    "Plan",
    "PlanFocus",
    "PromptState",
    "PtbChatData",
    "PtbConversation",
    "PtbSingleton",
    "PtbUserData",
    "Reflection",
    "ScheduledPrompt",
    "StepCompletion",
    "User",
    "utcnow",
]
