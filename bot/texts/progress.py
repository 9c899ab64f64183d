"""/progress, its picture, and the two summary lines that close a weekly check-in.
HTML; user text arrives escaped. Counted words come in pairs (one / many) for translation,
never two identical texts: each is its own msgid, so a language can word them apart."""

from __future__ import annotations

# --- /progress ------------------------------------------------------------------------------

HEADER = "📈 <b>Your progress</b> · {date}"
EMPTY = (
    "📈 <b>Your progress</b>\n\n"
    "Nothing to measure yet — and that's fine: every change starts at zero. Your check-in "
    "streak, your roadmap and your applications will show up here as you go.\n\n"
    "/next tells you the best first step."
)

SECTION_CHECKINS = "\n\n<b>Check-ins</b>"
STREAK_ONE = "\n🔥 1-week streak"
STREAK_MANY = "\n🔥 {count}-week streak"
STREAK_NONE = "\n🔥 No streak running — your next check-in starts one"
WEEKS_ANSWERED_ONE = " · {count} week answered"
WEEKS_ANSWERED_MANY = " · {count} weeks answered"
WEEKS_MISSED = ", {count} missed"
NO_CHECKINS = "\n🗓 No check-ins yet — /checkin takes three minutes, any time."
CONFIDENCE_ONE = "\n💪 Confidence: {values}"
CONFIDENCE_MANY = "\n💪 Confidence, last {count} weeks: {values} · {trend}"
CONFIDENCE_SEPARATOR = " → "
TRENDS = {
    "rising": "rising ↗",
    "steady": "steady →",
    "falling": "falling ↘",
}

SECTION_ROADMAP = "\n\n<b>Roadmap</b>"
MILESTONES = "\n🗺 {done} of {total} milestones done"
MILESTONES_NONE = "\n🗺 No milestones on your roadmap yet"
PHASE = " · now: {phase}"
OVERDUE_ONE = "\n⚠️ {count} milestone overdue — tick it off or carry it over at your check-in"
OVERDUE_MANY = "\n⚠️ {count} milestones overdue — tick them off or carry them over at your check-in"
DAYS_LEFT_ONE = "\n⏳ {count} day to your deadline, {date}"
DAYS_LEFT_MANY = "\n⏳ {count} days to your deadline, {date}"
DEADLINE_TODAY = "\n⏳ Your deadline is today, {date}"
DEADLINE_PASSED = "\n⏳ Your deadline, {date}, has passed — /plan sets a new one"
NO_ROADMAP = "\n🗺 No roadmap yet — /plan lays one out, week by week, to a date you choose."

SECTION_APPLICATIONS = "\n\n<b>Applications</b>"
FUNNEL_START = "\n📨 Applied {count}"
FUNNEL_STEP = " → {stage} {count} ({percent}%)"
FUNNEL_STEP_NO_RATE = " → {stage} {count}"
FUNNEL_STAGES = {
    "screening": "screening",
    "interview": "interview",
    "offer": "offer",
}
REJECTIONS_ONE = "\n❌ {count} rejection: {parts}"
REJECTIONS_MANY = "\n❌ {count} rejections: {parts}"
REJECTIONS_UNKNOWN_STAGE = "stage not known"
NO_ANSWER = "\n🔇 {count} of {total} never answered"
NO_APPLICATIONS = (
    "\n📨 None logged yet — just tell me when you apply, e.g. <i>Applied to Acme today</i>."
)
RETRO_SOON = "\n\n🔭 It's a good moment to step back — I'll send you a short retrospective."

CAPTION = "Your progress at a glance"

# --- the two lines that close a weekly check-in ----------------------------------------------

SUMMARY_WEEKS = "📅 {answered}/{total} weeks checked in"
SUMMARY_MILESTONES = "🗺 {done}/{total} milestones"
SUMMARY_DAYS_ONE = "⏳ {count} day to go"
SUMMARY_DAYS_MANY = "⏳ {count} days to go"
SUMMARY_SEPARATOR = " · "
SUMMARY_APPLIED = "📨 {count} applied"
SUMMARY_STEP = " → {part}"
SUMMARY_SCREENS_ONE = "{count} screen"
SUMMARY_SCREENS_MANY = "{count} screens"
SUMMARY_INTERVIEWS_ONE = "{count} interview"
SUMMARY_INTERVIEWS_MANY = "{count} interviews"
SUMMARY_OFFERS_ONE = "{count} offer"
SUMMARY_OFFERS_MANY = "{count} offers"

# --- the picture (no emoji: the chart font has none) ------------------------------------------

CHART_TITLE = "Your progress"
CHART_CONFIDENCE = "Confidence"
CHART_STREAK_ONE = "1-week streak"
CHART_STREAK_MANY = "{count}-week streak"
CHART_NO_CHECKINS = "Appears after your first check-in"
CHART_APPLICATIONS = "Applications"
CHART_STAGES = ("Applied", "Screening", "Interview", "Offer")
CHART_NO_APPLICATIONS = "Appears when you log an application"
CHART_ROADMAP = "Roadmap"
CHART_DAYS_LEFT_ONE = "{count} day to go"
CHART_DAYS_LEFT_MANY = "{count} days to go"
CHART_DEADLINE_TODAY = "Deadline today"
CHART_DEADLINE_PASSED = "Deadline passed"
CHART_MILESTONES = "{done} of {total} milestones done"
CHART_PHASE = "Now: {phase}"
CHART_NO_ROADMAP = "Appears once your /plan is done"
