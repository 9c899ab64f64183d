"""/team: the people who help the user change career (nobody should do it alone)."""

from __future__ import annotations

INTRO = (
    "<b>Don't change career alone.</b>\n"
    "Five kinds of people make the road much shorter. For each, a name is enough — "
    "and it's fine to have nobody yet."
)
REVIEW_HEADER = "<b>Your support team</b>:"

# (role key, who it is, how to find one when there's nobody yet)
ROLES = (
    (
        "emotional",
        "someone who supports you emotionally — who believes in you on the hard days",
        "Tell one friend or family member about your plan this week and ask them to check on you now and then.",
    ),
    (
        "mentor",
        "a mentor or role model who already does the job you want",
        "Search LinkedIn for people with your target title in your city, or ask in a meetup group. Most people say yes to one 20-minute call.",
    ),
    (
        "reviewer",
        "an expert who can review your CV and cover letter",
        "A recruiter in your target field, a hiring manager you know, or a careers adviser — ask for a 15-minute review.",
    ),
    (
        "connector",
        "a connector who knows people and can open doors",
        "Think of the most sociable person you know — a former colleague, a community organiser — and tell them exactly what you're looking for.",
    ),
    (
        "accountability",
        "an accountability partner who asks every week how it's going",
        "Pair up with someone who's also making a change, or a friend who'll text you on Sundays. I'll check in weekly too.",
    ),
)
ROLE_NAMES = {
    "emotional": "Emotional support",
    "mentor": "Mentor",
    "reviewer": "CV reviewer",
    "connector": "Connector",
    "accountability": "Accountability partner",
}
ASK_WHO = "Who is {role}? A first name is enough."
NOBODY = "🤷 Nobody yet"
REACT_NOBODY = "No problem — here's one way to find someone:\n<i>{suggestion}</i>"
ASK_HOW = "How will you involve <b>{who}</b> this week? One small, concrete step (e.g. a message, a coffee)."
LABEL_WHO = "{role}"
LABEL_HOW = "{role}: this week"
NOBODY_SHOWN = "nobody yet"

DONE = "✅ <b>Your support team is saved.</b>\n\n{lines}"
DONE_LINE_WHO = "• <b>{role}</b>: {who}{how}"
DONE_LINE_HOW = " — {how}"
DONE_LINE_NOBODY = "• <b>{role}</b>: nobody yet — {suggestion}"
DONE_FOOTER = "\n\nI'll ask in your check-ins whether you've reached out. Next: /plan or /pitch."

# In the weekly check-in: one role that still needs activating.
CHECKIN_NUDGE = "\n\n👥 <b>Your team:</b> did you {how_or_reach} <b>{who}</b> ({role}) yet?"
CHECKIN_NUDGE_REACH = "reach out to"
CHECKIN_NUDGE_NOBODY = "\n\n👥 <b>Your team:</b> you still have no {role}. {suggestion}"
CHECKIN_ACTIVATED_BUTTON = "✅ Yes, done"
CHECKIN_NOT_YET_BUTTON = "Not yet"
ACTIVATED = "Wonderful — one more person on your side. 💪"
NOT_YET = "Okay — I'll ask again next week. Even a two-line message counts."
