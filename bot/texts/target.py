"""/target: the job the user is aiming for, matched to an occupation in the O*NET® data."""

from __future__ import annotations

INTRO = (
    "<b>Let's name the job you're aiming for.</b>\n"
    "The clearer the target, the easier it is to see what to learn — and what to skip."
)
REVIEW_HEADER = "<b>Your target job</b> — here's what we have:"

ASK_TITLE = (
    "What's the job title you're aiming for? Type it the way you'd search for it "
    "(e.g. <i>data analyst</i>, <i>UX designer</i>, <i>nurse</i>)."
)
ASK_OCCUPATION = (
    "Which of these is closest to “{title}”? Each comes with real data on what the job "
    "involves and requires.\n\n{candidates}"
)
CANDIDATE_LINE = "• <b>{title}</b> — also called “{matched}”"
CANDIDATE_LINE_SAME = "• <b>{title}</b>"
NONE_OF_THESE = "🙅 None of these"
REACT_NO_MATCH = (
    "I'll keep “{title}” in your own words. Without a matching occupation I can't show its "
    "typical tasks, but everything else works just the same."
)
ASK_SECTOR = "Which sector would you like to work in? Tap one, or type your own."
SECTOR_CHOICES = (
    ("tech", "💻 Tech"),
    ("health", "🩺 Health & care"),
    ("finance", "🏦 Finance"),
    ("education", "🎓 Education"),
    ("public", "🏛 Public & non-profit"),
    ("creative", "🎨 Creative & media"),
    ("industry", "🏭 Industry & trades"),
    ("open", "🤷 Open to any"),
)
ASK_TASKS_LIKE = (
    "Here's what a typical day holds for <b>{occupation}</b>:\n\n{tasks}\n\n"
    "Which of these <b>appeal</b> to you?"
)
ASK_TASKS_DISLIKE = "And which ones <b>don't</b> appeal to you? (/skip if none.)\n\n{tasks}"
TASK_LINE = "{number}. {task}"
ASK_TYPICAL_DAY = (
    "In your own words: what does a typical day in this job look like? "
    "What would you spend most of your time on?"
)
ASK_CERTAINTY = "How sure are you that this is the right target? (1 = a hunch, 5 = certain)"
REACT_LOW_CERTAINTY = (
    "That's fine — most people aren't sure at the start. "
    "The next question is about testing the idea cheaply before you commit."
)
ASK_ACTION = (
    "What's one concrete thing you could do <b>this month</b> to become more sure? For example: "
    "talk to someone who does this job, shadow them for a day, or try a small project."
)
ASK_ACTION_DATE = "By when will you do it? Tap one, or type a date (e.g. <i>next Friday</i>)."
ACTION_DATE_WEEKEND = "This weekend"
ACTION_DATE_WEEK = "In a week"
ACTION_DATE_TWO_WEEKS = "In two weeks"
ACTION_DATE_MONTH_END = "End of the month"
ACTION_DATE_UNCLEAR = (
    "I couldn't read that as a date in the future. Try <i>next Friday</i>, <i>15 December</i> "
    "or tap a button."
)
ACTION_DATE_TOO_FAR = (
    "That's more than two months away — let's pick something sooner, so it doesn't slip."
)

LABEL_TITLE = "Job title"
LABEL_OCCUPATION = "Occupation"
LABEL_SECTOR = "Sector"
LABEL_TASKS_LIKE = "Tasks you like"
LABEL_TASKS_DISLIKE = "Tasks you don't"
LABEL_TYPICAL_DAY = "Typical day"
LABEL_CERTAINTY = "How sure"
LABEL_ACTION = "This month's test"
LABEL_ACTION_DATE = "By"
OCCUPATION_NONE = "none — your own title"
CERTAINTY_SHOWN = "{value}/5"

DONE = "✅ <b>Target saved:</b> {title}{occupation}.\n"
DONE_OCCUPATION = " (<i>{occupation}</i>)"
DONE_ACTION = "🧪 Your test this month: {action}{by}.\n"
DONE_ACTION_BY = " — by {date}"
DONE_NEXT = "\nNext: /gaps — what this job needs that you don't have yet."
