"""The kinds of scheduled prompt, and the dedupe keys that keep each one unique."""

from __future__ import annotations

WEEKLY_CHECKIN = "weekly_checkin"
CHECKIN_REMINDER = "checkin_reminder"


def weekly_checkin_key(user_id: int, period: str) -> str:
    return f"checkin:{user_id}:{period}"


def checkin_reminder_key(user_id: int, period: str, label: str = "48h") -> str:
    return f"checkin-reminder:{user_id}:{period}:{label}"
