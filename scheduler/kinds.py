"""The kinds of scheduled prompt, and the dedupe keys that keep each one unique."""

from __future__ import annotations

WEEKLY_CHECKIN = "weekly_checkin"
CHECKIN_REMINDER = "checkin_reminder"


def weekly_checkin_key(user_id: int, period: str) -> str:
    return f"checkin:{user_id}:{period}"


def checkin_reminder_key(user_id: int, period: str, label: str = "48h") -> str:
    return f"checkin-reminder:{user_id}:{period}:{label}"


APPLICATION_FOLLOWUP = "app_followup"  # payload: application_id, step 1..3
INTERVIEW_REMINDER = "app_interview"  # payload: application_id, event_at (ISO, UTC)
REJECTION_REFLECTION = "app_reflection"  # payload: application_id
APPLICATION_KINDS = (APPLICATION_FOLLOWUP, INTERVIEW_REMINDER, REJECTION_REFLECTION)


def application_key_prefix(application_id: int) -> str:
    """Every prompt about one application shares this prefix, so a change can cancel them."""
    return f"app:{application_id}:"


def application_prompt_key(application_id: int, label: str) -> str:
    return f"{application_key_prefix(application_id)}{label}"


RETROSPECTIVE = "retrospective"  # payload: trigger ("weeks" or "applications")


def retrospective_key(user_id: int, day: str) -> str:
    """At most one retrospective a day per user (`day`: the local date it is due, ISO)."""
    return f"retro:{user_id}:{day}"


BUDDY_SUMMARY = "buddy_summary"  # to a buddy; no payload: their links say what is due


def buddy_summary_prefix(buddy_id: int) -> str:
    """A buddy's weekly-update prompts share this prefix, so re-planning can cancel them."""
    return f"buddy:{buddy_id}:"


def buddy_summary_key(buddy_id: int, label: str) -> str:
    return f"{buddy_summary_prefix(buddy_id)}{label}"
