"""/plan and /roadmap: the deadline, hours a week, a method and first step per top gap,
and the week-by-week roadmap they turn into (HTML; user text is escaped by the caller)."""

from __future__ import annotations

from bot.roadmap import Method, MilestoneKind, Phase

# --- /plan: opening ------------------------------------------------------------------------

INTRO = (
    "<b>Let's turn your change into a plan.</b>\n"
    "Three things: a date to aim for, the hours you can give each week, and how you'll "
    "close your biggest skill gaps. Then I'll lay out your weeks from now to that date."
)
RESUME = "Welcome back — let's pick up where we left off."
HINT_FIRST = "\n<i>/cancel to stop here — what you tell me stays saved.</i>"
HINT_BACK = "\n<i>/back for the previous question · /cancel to stop (answers stay saved)</i>"
HINT_SKIP = "\n<i>/skip to leave it for now · /back for the previous question</i>"

# --- deadline ------------------------------------------------------------------------------

ASK_DEADLINE = (
    "📅 <b>By when</b> would you like to have made the change?\n"
    "Say it your way: <i>in 6 months</i>, <i>by March 1st</i>, <i>end of next year</i>."
)
CONFIRM_DEADLINE = "<b>{date}</b> — {distance}. Right?"
DISTANCE_DAYS = "{count} days from now"
DISTANCE_ONE_DAY = "tomorrow"
DISTANCE_WEEKS = "{count} weeks from now"
DISTANCE_ABOUT_WEEKS = "about {count} weeks from now"
SHORT_DEADLINE_NOTE = (
    "\n<i>That's close — we'll focus on getting your applications out rather than on learning.</i>"
)
DEADLINE_YES = "✅ Yes"
DEADLINE_FIX = "✏️ No, let me fix it"
DEADLINE_UNPARSABLE = (
    "I couldn't find a date in “{text}”. Try <i>in 6 months</i>, <i>by 1 March</i>, "
    "<i>next spring</i> or <i>end of next year</i>."
)
DEADLINE_PAST = (
    "“{text}” would be <b>{date}</b> — that's already behind us. "
    "Pick a day ahead, e.g. <i>in 6 months</i>."
)
DEADLINE_TODAY = (
    "That's today — too soon to plan toward. Give yourself a few weeks at least, "
    "e.g. <i>in 3 months</i>."
)
DEADLINE_TOO_FAR = (
    "“{text}” would be <b>{date}</b> — more than {years} years away. A plan works best "
    "within reach: pick a date in the next {years} years (you can always move it later)."
)
DEADLINE_REQUIRED = (
    "I need a date to lay out your weeks — a rough one is fine, e.g. <i>in 6 months</i>. "
    "(/cancel to stop here.)"
)
DEADLINE_ASK_AGAIN = "No problem — when would you like it to be?"
DEADLINE_PASSED = (
    "Your deadline, <b>{date}</b>, is already here or behind us — let's pick a new one."
)

# --- hours a week --------------------------------------------------------------------------

ASK_HOURS = (
    "⏱ <b>How many hours a week</b> can you give your change — honestly, on a normal week?\n"
    "Tap one, or type a number from {low} to {high}."
)
HOURS_BUTTON = "{hours} h"
HOURS_INVALID = (
    "I need a whole number of hours from {low} to {high} — e.g. <i>6</i>. Or tap one above."
)
HOURS_ZERO = "Even one hour a week moves you forward — pick a number from {low} to {high}."
HOURS_TOO_MANY = (
    "{hours} hours on top of everything else would wear anyone out. "
    "Let's keep it between {low} and {high} — you can raise it later."
)
HOURS_REQUIRED = "I need a rough number to size your weeks — tap one of the buttons above."

# --- top gaps: method and first step --------------------------------------------------------

NO_GAPS = (
    "There are no skill gaps to work on yet, so the <b>learning weeks stay open</b> for now. "
    "That's fine — it is fine not to have the whole plan at first: your weekly check-ins fill "
    "open weeks, and /gaps followed by /plan adds the skills whenever you're ready."
)
ASK_METHOD = (
    "🎯 <b>{number}/{total} · {name}</b>\n"
    "How will you build this up? Pick what suits you best.\n"
    "<i>Online courses: Coursera, edX, Udemy, Udacity, MIT OpenCourseWare.</i>"
)
GAP_LEVELS = "\nYou're at {current}/5, the job asks for {required}/5."
METHOD_LABELS: dict[str, str] = {
    Method.COURSE: "🎓 Online course",
    Method.PROJECT: "🛠 Practical project",
    Method.CERTIFICATE: "📜 Certificate",
    Method.MENTOR: "🧑‍🏫 Mentor",
    Method.VOLUNTEERING: "🤝 Volunteering",
    Method.INTERNAL_MOVE: "🏢 Internal move",
    Method.OTHER: "✏️ Something else",
}
METHOD_UNDECIDED = "not decided yet"
ASK_FIRST_STEP = (
    "And your <b>first concrete step</b> for {name} — something you could do this week?\n"
    "e.g. <i>{example}</i>"
)
FIRST_STEP_EXAMPLES: dict[str, str] = {
    Method.COURSE: "sign up for a free Coursera course and finish module 1",
    Method.PROJECT: "pick a small public dataset and write down three questions to answer",
    Method.CERTIFICATE: "look up the exam syllabus and book a date",
    Method.MENTOR: "message one person who does this work and ask for 20 minutes",
    Method.VOLUNTEERING: "find one charity that needs this skill and write to them",
    Method.INTERNAL_MOVE: "ask your manager who in the company uses this skill",
    Method.OTHER: "block two hours in your calendar for it this Thursday",
}
FIRST_STEP_TOO_LONG = (
    "Lovely detail — could you fit it in {limit} characters? (You wrote {length}.) "
    "A first step is best small."
)
FIRST_STEP_SKIPPED = "—"

# --- the roadmap is laid out ----------------------------------------------------------------

BUILT = "🗺 <b>Your roadmap is ready!</b>\n{weeks} to <b>{deadline}</b>, {hours} h a week.\n"
REBUILT = "🗺 <b>Your roadmap is updated.</b>\n{weeks} to <b>{deadline}</b>, {hours} h a week.\n"
WEEK_COUNT_ONE = "1 week"
WEEK_COUNT = "{count} weeks"
THIS_WEEK_HEADER = "\n<b>This week</b>"
BUILT_FOOTER = (
    "\n\n/roadmap shows the whole timeline as a picture. At each weekly check-in we'll tick "
    "off what you did and fill any open weeks. /plan lets you change anything."
)
KEPT = "👍 Your plan stays as it is. /roadmap shows this week and the next four."

# --- /plan opened again: review -------------------------------------------------------------

REVIEW_HEADER = "<b>Your plan</b> — here's what we have:"
REVIEW_SAVED_HEADER = "✅ Saved, and your roadmap is rebuilt. Anything else?"
REVIEW_DEADLINE = "📅 <b>Deadline</b>: {date}"
REVIEW_DEADLINE_WORDS = " (“{text}”)"
REVIEW_HOURS = "⏱ <b>Hours a week</b>: {hours}"
REVIEW_FOCUS = "{number}. <b>{name}</b>: {method}\n    First step: {first_step}"
REVIEW_NO_FOCUS = "🎯 No skill gaps yet — /gaps adds them, and the learning weeks wait for them."
REVIEW_NOT_SET = "not set yet"
REVIEW_FOOTER = "\n\nKeep it, or tap what you'd like to change. Any change rebuilds your roadmap."
CHANGE_DEADLINE = "✏️ Deadline"
CHANGE_HOURS = "✏️ Hours a week"
CHANGE_METHOD = "✏️ {name}: method"
CHANGE_FIRST_STEP = "✏️ {name}: first step"
KEEP_ALL = "👍 Keep all"
BUTTON_NAME_LIMIT = 18  # a gap's name in a button, so two buttons fit side by side

# --- phases and milestones, as the chats show them -------------------------------------------

PHASE_NAMES: dict[Phase, str] = {
    Phase.LEARN: "📚 Learn",
    Phase.BUILD_PROOF: "🏗 Build proof",
    Phase.APPLY: "📨 Apply",
    Phase.INTERVIEW: "🎤 Interview",
}
PHASE_LINE = "{name} · {first} – {last}"
# By kind; {focus} is the gap's name, {step} the user's first step, {how} the method's words.
MILESTONES: dict[str, str] = {
    MilestoneKind.FIRST_STEP: "🚀 First step for {focus}: {step}",
    MilestoneKind.LEARN: "📚 Learn {focus} {how}",
    MilestoneKind.PRACTICE: "🛠 Practise {focus} hands-on",
    MilestoneKind.BUILD_PROOF: "🏗 Build a small proof project with {focus}",
    MilestoneKind.POLISH_CV: "📝 Polish your CV and LinkedIn for the new role",
    MilestoneKind.APPLY: "📨 Apply to a few roles that fit",
    MilestoneKind.NETWORK: "🤝 Reach out to one person in the field",
    MilestoneKind.INTERVIEW_PREP: "🎤 Prepare for interviews: practise your stories",
}
MILESTONE_COMMITMENT = "✍️ Your commitment: {focus}"
MILESTONE_FIRST_STEP_NO_WORDS = "🚀 Take a first small step on {focus}"
MILESTONE_PROOF_NO_FOCUS = "🏗 Build a small project that shows what you can do"
MILESTONE_NO_FOCUS = "your new skills"
MILESTONE_UNKNOWN = "✔️ {kind}"
MILESTONE_HOURS = " <i>({hours} h)</i>"
MILESTONE_DONE = "✅ <s>{text}</s>"
MILESTONE_MOVED = "↪️ <i>moved:</i> {text}"
MILESTONE_LINE = "• {text}"
METHOD_HOW: dict[str, str] = {
    Method.COURSE: "with your online course",
    Method.PROJECT: "by building with it",
    Method.CERTIFICATE: "toward the certificate",
    Method.MENTOR: "with your mentor",
    Method.VOLUNTEERING: "through volunteering",
    Method.INTERNAL_MOVE: "on the job at work",
    Method.OTHER: "your way",
}

# --- /roadmap -----------------------------------------------------------------------------

NO_PLAN = (
    "You don't have a roadmap yet. 🗺\n"
    "/plan takes about three minutes: a date, the hours you can give, and a first step — "
    "then I'll lay out your weeks."
)
ROADMAP_HEADER = "🗺 <b>Your roadmap</b> — to <b>{deadline}</b>, {hours} h a week"
ROADMAP_WEEKS_HEADER = "\n<b>The next five weeks</b>"
ROADMAP_THIS_WEEK = "<b>This week</b> · {first} – {last} · {phase}"
ROADMAP_NEXT_WEEK = "<b>Next week</b> · {first} – {last} · {phase}"
ROADMAP_LATER_WEEK = "<b>Week of {first}</b> · {phase}"
ROADMAP_OPEN_WEEK = "• <i>Open — fill it at your check-in.</i>"
ROADMAP_FOOTER = "\n/plan to change the date, your hours or your methods."
ROADMAP_DEADLINE_PASSED = (
    "Your deadline, <b>{date}</b>, has passed. 🎉 Wherever you are now, it's a good moment "
    "to look back and set the next one: /plan."
)
ROADMAP_CAPTION = "Your roadmap at a glance. The marker shows where you are today."

# --- the picture (plain text: the chart's font has no emoji) -------------------------------

CHART_TITLE = "Your road to {deadline}"
CHART_PHASES: dict[Phase, str] = {
    Phase.LEARN: "Learn",
    Phase.BUILD_PROOF: "Build proof",
    Phase.APPLY: "Apply",
    Phase.INTERVIEW: "Interview",
}
CHART_TODAY = "Today"
CHART_DEADLINE = "Deadline"
CHART_OPEN_WEEKS = "Open weeks: fill them at your check-ins"

# --- the weekly check-in's look at the roadmap ---------------------------------------------

CHECKIN_ROADMAP = "\n\n🗺 <b>On your roadmap:</b>\n{lines}"
CHECKIN_REVIEW = "\n\n🗺 <b>Your roadmap:</b> tap what you finished.\n{lines}"
CHECKIN_REVIEW_LINE = "{number}. {text}"
CHECKIN_TICK_BUTTON = "✅ {number}"
CHECKIN_CARRY_BUTTON = "➡️ Move the rest to the week of {week}"
CHECKIN_TICKED = "Ticked off ✅"
CHECKIN_CARRIED = (
    "Moved {count} to the week of {week}. No guilt — a plan is meant to bend. /roadmap shows it."
)
CHECKIN_NOTHING_TO_CARRY = "Nothing left to move — all done. 🎉"
