"""The reflection after a rejection, /reflections, and the patterns across rejections.
User text ({company}, {statement}, answers, names) arrives escaped."""

from __future__ import annotations

# --- the prompt, the morning after ----------------------------------------------------------

PROMPT = (
    "Hi {name}. I saw that <b>{company}</b> said no. That stings — and it's part "
    "of every career change: most people hear many no's before the yes that counts."
)
PROMPT_AGAIN = (
    "Hi {name} — a few days ago <b>{company}</b> said no. When you have ten quiet minutes, "
    "five short questions turn it into a lesson for the next application."
)
PROMPT_WHY = "\n\nRemember why you started: <i>“{statement}”</i>"
PROMPT_INVITE = "\n\nFive short questions turn this no into a lesson for the next one. Ready?"
REFLECT_BUTTON = "📝 Let's reflect"
NOT_NOW_BUTTON = "Not now"
NOT_NOW_AGAIN = (
    "Of course — take your time. I'll ask once more in three days; "
    "/reflections has it whenever you're ready."
)
NOT_NOW_FINAL = "Okay, I won't ask again. /reflections has it whenever you want to look back."
NOT_YOURS = "That application isn't in your log (any more)."
NOT_REJECTED = "That application isn't marked rejected any more — nothing to reflect on."
ALREADY_REFLECTED = (
    "You've already reflected on <b>{company}</b> — /reflections shows what you found."
)
GONE = "That reflection isn't there any more. /reflections lists the ones you've done."

# --- the conversation ------------------------------------------------------------------------

SKIP_HINT = "\n<i>/skip to leave it blank · /back for the previous question</i>"
BACK_HINT = "\n<i>/back for the previous question</i>"
ASK_STAGE = "<b>1/5</b> Reflecting on <b>{company}</b>. At which stage did the no come?"
STAGE_NO_CALLBACK = "📭 No call-back"
STAGE_SCREENING = "📞 After screening"
STAGE_ROUND = "🗣 After interview round {round}"
STAGE_FINAL = "🏁 After the final round"
ASK_FEEDBACK = (
    "<b>2/5</b> What feedback came with it, if any? Their words, or your reading between "
    "the lines. <i>/skip if none came — that's common.</i>"
)
ASK_WENT_WELL = (
    "<b>3/5</b> What went <b>well</b>? Something you did that worked, even a small one — "
    "it's the part worth repeating."
)
ASK_WOULD_CHANGE = "<b>4/5</b> What would you do differently next time?"
ASK_NEXT = "<b>5/5</b> What will you do next?"
ASK_NEXT_REVIEWER = "\nYour CV reviewer from /team: <b>{who}</b>."
ASK_NEXT_SUGGESTED = "\n💡 marks what your pattern so far suggests."
SUGGESTED_MARK = "💡 "
TOO_LONG = "Thank you — that's a lot! Could you fit it in {limit} characters? (You wrote {length}.)"

# Next actions: code → (button, what it means in the list).
NEXT_ACTIONS = {
    "cv_review": ("📄 Have CV and cover letter reviewed", "have the CV and cover letter reviewed"),
    "practise": ("🎤 Practise interviews", "practise interviews"),
    "ask_feedback": ("💬 Ask for feedback", "ask for feedback"),
    "keep_going": ("🚀 Keep going", "keep going"),
}

DONE = "Thank you, {name} — that's a no turned into a lesson. 🙏"
NEXT_CV_REVIEW_WHO = (
    "\n\nNext: ask <b>{who}</b> to review your CV and cover letter this week — fifteen "
    "minutes of their time can change your next ten applications."
)
NEXT_CV_REVIEW_NOBODY = (
    "\n\nNext: find someone qualified to review your CV and cover letter — a recruiter in "
    "the field, a hiring manager, a careers adviser. /team helps you pick who."
)
NEXT_PRACTISE = (
    "\n\nNext: one mock interview this week — a friend or mentor asks, you answer out loud, "
    "with your examples and their numbers."
)
NEXT_ASK_FEEDBACK = (
    "\n\nNext: ask {company} for feedback — many will answer a short, gracious note. "
    "Tap to copy:\n\n<code>Thank you for letting me know. Would you be open to sharing one "
    "or two things I could improve? I'd really value it, and I'd be glad to be considered "
    "for future roles.</code>"
)
NEXT_KEEP_GOING = "\n\nNext: keep going — every application is practice, and it only takes one yes."

# --- /reflections ----------------------------------------------------------------------------

LIST_HEADER = "<b>Your reflections</b> ({count})"
LIST_PAGE = " — page {page}/{pages}"
LIST_EMPTY = (
    "No reflections yet. When an application is rejected, I'll ask you five short questions "
    "the next morning — each no becomes a lesson."
)
LIST_ITEM = "<b>{company}</b> · {stage} · {date}"
LIST_FEEDBACK = "\n  Feedback: <i>{text}</i>"
LIST_WENT_WELL = "\n  Went well: <i>{text}</i>"
LIST_WOULD_CHANGE = "\n  Next time: <i>{text}</i>"
LIST_NEXT = "\n  Next: {action}"
LIST_STAGE_UNKNOWN = "stage not said"
LIST_NONE_YET = "None finished yet."
LIST_PENDING = "\n\n📝 Not reflected on yet: {companies}"
LIST_REFLECT_BUTTON = "📝 Reflect on {company}"
PREVIOUS_PAGE = "◀️ Newer"
NEXT_PAGE = "Older ▶️"

STAGE_NAMES = {
    "no_callback": "no call-back",
    "screening": "after screening",
    "interview": "after an interview",
    "final": "after the final round",
}
STAGE_ROUND_NAME = "after interview round {round}"

# --- patterns (shown after each reflection and in /reflections) ------------------------------

PATTERNS_HEADER = "📊 <b>Your patterns so far</b>"
PATTERN_REJECTIONS = "\n• {count} rejection{plural}: {parts}"
PATTERN_STAGE_PART = "{count} {stage}"
PATTERN_STAGE_NAMES = {
    "no_callback": "with no call-back",
    "screening": "after screening",
    "interview": "after interviews",
    "final": "after the final round",
}
PATTERN_NO_ANSWER = "\n• {count} of {total} applications never answered ({percent}%)"
PATTERN_MEDIAN = "\n• First answers take {days} day{plural} (median of {count})"
PATTERNS_TOO_FEW = (
    "\nA few more data points and I'll tell you what your rejections have in common — "
    "three are enough."
)
ADVICE = {
    "review_cv": (
        "\n💡 {count} of {total} rejections came with no call-back → have your CV and cover "
        "letter reviewed by someone qualified{reviewer}."
    ),
    "refine_pitch": (
        "\n💡 {count} of {total} rejections came after the screening call → sharpen the story "
        "you tell in that first call: /pitch."
    ),
    "practise_interviews": (
        "\n💡 {count} of {total} rejections came after interviews → practise interviews: "
        "mock interviews out loud, with your examples and their numbers."
    ),
    "follow_up_earlier": (
        "\n💡 {count} of {total} applications got no answer → follow up earlier (after a "
        "week), and network more: an application that comes through a person gets read."
    ),
}
ADVICE_REVIEWER = " — <b>{who}</b>, your reviewer from /team, is the person to ask"
ADVICE_NO_REVIEWER = " — /team helps you find one"
