"""/export and /delete_me: what the bot says, and the words inside the exported files.

Chat messages are HTML; calendar and spreadsheet words are plain text (user text arrives
unescaped there, because those files are not HTML).
"""

from __future__ import annotations

# --- /export ---------------------------------------------------------------------------------

EXPORT_INTRO = "📦 Here's everything I keep about you:"
EXPORT_JSON_LINE = (
    "• <b>careercoach-export.json</b> — all of it: profile and settings, your answers, "
    "gap audit, plan and roadmap, check-ins, applications, reflections and upcoming reminders"
)
EXPORT_CSV_LINE = (
    "• <b>applications.csv</b> — every application with each stage and its date; it opens "
    "in Excel or Google Sheets and works as a record of your job search"
)
EXPORT_ICS_LINE = (
    "• <b>careercoach-calendar.ics</b> — your roadmap, upcoming interviews and follow-ups; "
    "import it into Google Calendar or Apple Calendar"
)
EXPORT_FOOTER = "\nThese files hold only your data. /delete_me erases it all from my side."
EXPORT_EMPTY = (
    "📦 There's nothing saved about you yet besides your name and settings — here they are, "
    "as JSON.\nOnce you've started (/why is a good first step), /export will have much more "
    "to show."
)
JSON_CAPTION = "All your data"
CSV_CAPTION = "Your applications, stage by stage"
ICS_CAPTION = "Your roadmap, interviews and follow-ups"

# --- /delete_me ------------------------------------------------------------------------------

DELETE_CONFIRM = (
    "⚠️ <b>Delete everything about you?</b>\n\n"
    "This erases your profile and settings, every answer, your gap audit, plan and roadmap, "
    "check-ins, applications, reflections and reminders — for good. It can't be undone.\n\n"
    "Want a copy first? /export sends it all to you."
)
DELETE_YES = "🗑 Yes, delete everything"
DELETE_NO = "No, keep it"
DELETE_DONE = (
    "Done — I've forgotten everything about you. 🫡\n"
    "Your answers, plan, check-ins, applications and reminders are erased, and I won't "
    "message you again.\n\n"
    "Our chat history stays in Telegram; you can clear it there. If you ever want to start "
    "over, just send /start. Good luck with the change! 🍀"
)
DELETE_KEPT = "Good — nothing was deleted. Everything stays just as it was. 👍"
# Toasts (at most 200 characters) for a press on an old or already answered question.
DELETE_STALE = "This question has expired — nothing was changed. Send /delete_me to ask again."
DELETE_ALREADY_DONE = "Already done: there's nothing left about you to delete."

# --- inside the calendar (plain text) --------------------------------------------------------

ICS_CALENDAR_NAME = "Career Change Coach"
ICS_MILESTONE_DESCRIPTION = "Your roadmap, week of {week} · {phase}"
ICS_MILESTONE_DONE = "✅ {title}"
ICS_PHASES: dict[int, str] = {1: "Learn", 2: "Build proof", 3: "Apply", 4: "Interview"}
ICS_ROLE = " — {role}"
ICS_ROUND = " (round {round})"
ICS_INTERVIEW = "🎤 Interview: {company}{role}{round}"
ICS_SCREENING = "📞 Screening: {company}{role}"
ICS_INTERVIEW_DESCRIPTION = (
    "Before it: re-read the job ad, have two stories ready that show the skills it asks for, "
    "and one good question for them. Good luck!"
)
ICS_FOLLOWUP = "📨 Follow up: {company}{role}"
ICS_FOLLOWUP_DESCRIPTION = (
    "No news yet? A short, friendly note to the recruiter keeps your application in mind. "
    "Tell me what happened and I'll update your log."
)
