"""/next: the single best next step, and why."""

from __future__ import annotations

STEPS = {
    "start": ("👉 <b>/start</b> — tell me where you are, so my reminders come at sensible hours."),
    "why": (
        "👉 <b>/why</b> — start with your reason for changing. A clear why carries you "
        "through the quiet weeks and the rejections."
    ),
    "target": (
        "👉 <b>/target</b> — name the job you're aiming for. Everything else (skills, plan, "
        "applications) hangs on it."
    ),
    "test_target": (
        "👉 Your test of the target is due: <i>{action}</i>. Do it, then /target to update "
        "how sure you are."
    ),
    "gaps": (
        "👉 <b>/gaps</b> — compare what the job needs with what you have, so you learn only "
        "what matters."
    ),
    "plan": (
        "👉 <b>/plan</b> — pick a deadline and the hours you can give each week; I'll turn "
        "your top gaps into a week-by-week roadmap."
    ),
    "replan": (
        "👉 <b>/plan</b> — your deadline has passed. No shame in that: pick a new date that "
        "fits what you've learned, and I'll redo the roadmap."
    ),
    "team": (
        "👉 <b>/team</b> — line up the people who'll help: support, a mentor, a CV reviewer, "
        "a connector, an accountability partner."
    ),
    "checkin": "👉 <b>/checkin</b> — this week's check-in is waiting for you. Five quick questions.",
    "milestones": (
        "👉 This week's roadmap: {count} thing{plural} to do. /roadmap shows them — "
        "pick the smallest and start today."
    ),
    "pitch": (
        "👉 <b>/pitch</b> — put who you help and your proof into two sentences, ready for "
        "networking chats."
    ),
    "keep_going": (
        "👉 You're all set up — keep going with this week's plan (/roadmap), and tell me "
        "about applications as you send them."
    ),
}
NEXT_CHECKIN = "\n\n📅 Next check-in: <b>{weekday} {date} at {time}</b> your time."
CHECKIN_PAUSED = "\n\n⏸ Check-in reminders are paused (/settings to resume)."
