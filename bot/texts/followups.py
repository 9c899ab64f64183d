"""Follow-up nudges on applications with no news, and the reminder the evening before an
interview. {company}, {role} and {position} arrive escaped; messages in <code> are copied
with one tap in Telegram."""

from __future__ import annotations

# How the application is named: "<b>Stripe</b> (Data Analyst)", or just the company.
WHAT_WITH_ROLE = "<b>{company}</b> ({role})"
WHAT_COMPANY = "<b>{company}</b>"
# …and inside the message to copy.
POSITION_WITH_ROLE = "the {role} position"
POSITION_ANY = "a position"

# One nudge per step (1: first, 2: second, 3: ask about "no answer"), each with its own
# message to copy, so the second follow-up does not repeat the first word for word.
NUDGES = {
    1: (
        "📬 <b>{days} days since you applied</b> to {what}, and no news yet.\n"
        "A short, friendly follow-up helps you stand out — most applicants never send one. "
        "Tap the message to copy it:\n\n<code>{message}</code>"
    ),
    2: (
        "⏳ <b>{days} days without news</b> from {what}.\n"
        "Hiring is slow, and a second polite note is perfectly normal. "
        "If you know someone there, a word from them beats any email. "
        "Another message to copy:\n\n<code>{message}</code>"
    ),
    3: (
        "🤔 <b>{days} days</b> and still nothing from {what}.\n"
        "Shall I mark it as <b>no answer</b>? Silence says more about their inbox than about "
        "you. If you'd like one last try first:\n\n<code>{message}</code>"
    ),
}
MESSAGES = {
    1: (
        "Hello, I applied for {position} at {company} on {date} and wanted to follow up. "
        "I'm still very interested and happy to share anything that would help. "
        "Thank you for your time!"
    ),
    2: (
        "Hi again, I'm following up on my application for {position} at {company}. "
        "Is the role still open, and is there anything more I can send you? "
        "I'd love to hear about the next steps."
    ),
    3: (
        "Hello, I'm checking in one last time about {position} at {company}. "
        "If it has been filled, a short note would help me plan — and I'd be glad to be "
        "considered for future roles."
    ),
}
DONE_BUTTON = "✅ Done, I followed up"
SNOOZE_BUTTON = "⏰ Snooze 3 days"
NO_ANSWER_BUTTON = "🙈 Mark no answer"

DONE = (
    "Nice one — following up is the step most applicants skip. "
    "I've noted it on {company}; tell me when you hear back."
)
DONE_NOTE = "Followed up ({days} days after applying)"
SNOOZED = "Okay — I'll bring it up again on <b>{date}</b>."
MARKED_NO_ANSWER = (
    "Marked <b>{company}</b> as <b>no answer</b>. That's their silence, not your worth. 🙈\n"
    "For the next ones: follow up after a week, and look for someone who can refer you — "
    "an application that comes through a person gets read."
)

NOT_YOURS = "That application isn't in your log (any more)."
MOVED_ON = "That application has moved on since — nothing to follow up."

# --- the evening before an interview --------------------------------------------------------

KIND_SCREENING = "screening call"
KIND_INTERVIEW = "interview"
KIND_INTERVIEW_ROUND = "interview (round {round})"
INTERVIEW_REMINDER = (
    "🎯 <b>Tomorrow at {time}: your {kind}</b> with {what}.\n"
    "Twenty minutes tonight makes a real difference. Prepare three things:\n\n"
    "1. <b>Your 60-second story for this role</b>: where you come from, why this change, "
    "why them.{why}\n"
    "2. <b>Two examples with numbers</b>: a problem, what you did, the result "
    "(<i>“cut the monthly report from 3 days to 4 hours”</i>).\n"
    "3. <b>Three questions to ask them</b>: about the team, the first 90 days, "
    "how success is measured."
)
INTERVIEW_WHY = "\n   Your why, in your words: <i>“{statement}”</i>"
READY_BUTTON = "💪 I'm ready"
READY = (
    "Good luck tomorrow — you've prepared for this. Sleep well. 💪\n"
    "Once you hear back, log it here so I can help with what comes next."
)
