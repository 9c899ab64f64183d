"""Job applications: the card that confirms a plain message, /applied step by step, and
/apps, the pipeline. {company}, {role}, {what}, {note}, {name}, {reach} and {url} arrive
escaped."""

from __future__ import annotations

from bot.application_status import Status

# --- statuses ----------------------------------------------------------------------------

STATUS_LABELS = {
    Status.SAVED: "🔖 Saved",
    Status.APPLIED: "📨 Applied",
    Status.SCREENING: "📞 Screening",
    Status.INTERVIEW: "🤝 Interview",
    Status.OFFER: "🎉 Offer",
    Status.ACCEPTED: "🏆 Accepted",
    Status.REJECTED: "🙅 Rejected",
    Status.WITHDRAWN: "↩️ Withdrawn",
    Status.NO_ANSWER: "🔇 No answer",
}
STATUS_NAMES = {
    Status.SAVED: "saved",
    Status.APPLIED: "applied",
    Status.SCREENING: "screening",
    Status.INTERVIEW: "interview",
    Status.OFFER: "offer",
    Status.ACCEPTED: "accepted",
    Status.REJECTED: "rejected",
    Status.WITHDRAWN: "withdrawn",
    Status.NO_ANSWER: "no answer",
}
# How the event of a stage is called in "When is the … with Stripe?".
EVENT_NAMES = {Status.SCREENING: "screening call", Status.INTERVIEW: "interview"}
ROUND = "{status}, round {round}"
FINAL_ROUND = " (final round)"

# How an application is named: "Stripe — Senior PM", or just the company.
WHAT_WITH_ROLE = "{company} — {role}"
TIME = "{hour:02d}:{minute:02d}"
DATE_AT_TIME = "{date} at {time}"

# --- the card that confirms a message ------------------------------------------------------

CARD_NEW = "📝 <b>New application</b>"
CARD_UPDATE = "🔄 <b>Update {what}</b>: {before} → {after}"
CARD_COMPANY = "🏢 <b>{company}</b>"
CARD_ROLE = "💼 {role}"
CARD_NO_ROLE = "💼 <i>role not given</i>"
CARD_STATUS = "{status}"
CARD_NEWS = "📌 News from <b>{company}</b>: {status}"
CARD_DATE = "📅 {date}"
CARD_NO_DATE = "📅 <i>date not set yet</i>"
CARD_LINK = "🔗 {url}"
CARD_NOTE = "🗒 {note}"
CARD_FOOTER = "\n\nAll right? Tap <b>Save</b> — or fix what's off."
CARD_PICK_STATUS = "\n\n<b>Where does it stand?</b> Tap one."
CARD_PICK_TARGET = (
    "\n\nYou have more than one application at <b>{company}</b>. Which one is this about?"
)
CONCERN_FUTURE = "\n\n🤔 <b>{status}</b> on <b>{date}</b>? That day is still ahead."
CONCERN_PAST = "\n\n🤔 The {event} on <b>{date}</b> is already behind us."
CONCERN_SUGGEST = " Did you mean <b>{date}</b>?"
CONCERN_FIX = " Which date should I keep?"

SAVE = "✅ Save"
CHANGE_COMPANY = "✏️ Change company"
CHANGE_ROLE = "✏️ Change role"
CHANGE_DATE = "📅 Change date"
CHANGE_STATUS = "🔄 Change status"
CANCEL = "✖️ Cancel"
BACK = "⬅️ Back"
NEW_ONE = "➕ A new application"
USE_DAY = "✅ Yes, {date}"
USE_TODAY = "📅 Today"
IT_HAPPENED = "👍 It already happened"
FIX_DATE = "✏️ Fix the date"
TODAY = "Today"
YESTERDAY = "Yesterday"
TOMORROW = "Tomorrow"
CONFIRM_COMPANY = "✅ {company}"

ASK_COMPANY = "🏢 <b>Which company is it?</b> The name is enough."
ASK_COMPANY_GUESS = (
    "🏢 <b>Which company is it?</b> Is it <b>{company}</b>? Tap to confirm, or type the name."
)
ASK_ROLE = "💼 <b>What's the role?</b> (e.g. <i>Senior PM</i>)"
ASK_DAY = "📅 <b>When?</b> Tap one, or type a date (e.g. <i>last Monday</i>, <i>3 March</i>)."
ASK_EVENT_DAY = (
    "📅 <b>When is the {event} with {company}?</b> Type a day and time "
    "(e.g. <i>Tuesday 2pm</i>) so I can remind you the evening before."
)
HINT_SKIP_ROLE = "\n<i>/skip if you'd rather not say · /cancel to drop this one</i>"
HINT_SKIP_DAY = "\n<i>/skip if you don't know yet · /cancel to drop this one</i>"
HINT_KEEP_DAY = "\n<i>/skip to keep it as it is · /cancel to drop this one</i>"
HINT_CANCEL = "\n<i>/cancel to drop this one</i>"
COMPANY_REQUIRED = "I need the company's name to log it — or /cancel to drop this one."
DAY_NOT_UNDERSTOOD = (
    "I couldn't read “{text}” as a date. Try <i>yesterday</i>, <i>Friday 10am</i> or "
    "<i>3 March</i>."
)
ANSWER_TOO_LONG = "That's a bit long — could you keep it under {limit} characters?"

SAVED_NEW = "✅ <b>Saved:</b> {what} ({status}, {date})."
SAVED_UPDATE = "✅ <b>Updated:</b> {what} → <b>{status}</b> ({date})."
AFTER_APPLIED = "\nIf there's no news in {days} days, I'll help you follow up."
AFTER_REMINDER = "\n⏰ I'll remind you the evening before. You've got this."
AFTER_REJECTED = (
    "\nI'm sorry — that stings. Tomorrow morning I'll ask you a few short questions, "
    "so this one teaches you something."
)
AFTER_OFFER = "\n🎉 Congratulations — take a moment to enjoy it!"
AFTER_ACCEPTED = "\n🏆 Wonderful news: your change is happening!"
SAVED_FOOTER = "\n/apps shows your whole pipeline."
PACE_NOTE = (
    "\n\n💛 <b>{count} applications in a week</b>, and no answer yet. That's a lot of effort — "
    "and when many go out and nothing comes back, more of the same rarely helps. "
    "Quality beats quantity: pick your five best matches, tailor each one, and have someone "
    "qualified look at your CV. Is the target still the right one? /target to revisit it."
)

ALREADY_SAVED = "Already saved ✅"
OLD_CARD = "That card is out of date — please use the newest one."
CARD_DROPPED = "Okay, I didn't save it — nothing changed."
CARD_GONE = "That application is no longer in your list, so there's nothing to update."
NOT_YOURS = "That application isn't in your list."

# --- /applied ----------------------------------------------------------------------------

APPLIED_INTRO = "Let's log it, step by step.\n\n"
APPLIED_CANCELLED = "Okay, I didn't log it — nothing changed."
APPLIED_ASK_STATUS = "📌 <b>Where does it stand?</b>"
APPLIED_HINT_BACK = "\n<i>/back for the previous question · /cancel to stop</i>"
APPLIED_HINT_SKIP_ROLE = "\n<i>/skip if you'd rather not say · /back · /cancel</i>"
APPLIED_HINT_SKIP_TODAY = "\n<i>/skip means today · /back · /cancel</i>"
APPLIED_HINT_SKIP_EVENT = "\n<i>/skip if you don't know yet · /back · /cancel</i>"

# --- /apps ----------------------------------------------------------------------------------

APPS_EMPTY = (
    "📋 No applications yet.\n"
    "Tell me about one in your own words — e.g. <i>Applied to Stripe for a PM role "
    "yesterday</i> — or log it step by step with /applied."
)
APPS_HEADER = "📋 <b>Your applications</b> — {total} in all"
APPS_COUNTS = "<i>{counts}</i>"
APPS_COUNT = "{status} {count}"
APPS_GROUP = "\n<b>{status}</b> ({count})"
APPS_ITEM = "{number}. {what} · {day}"
APPS_ITEM_ROUND = "{number}. {what} · round {round} · {day}"
APPS_FOOTER = "\n<i>Tap a number to open it.</i>"
APPS_FOOTER_PAGED = "\n<i>Page {page} of {pages} · tap a number to open it.</i>"
APPS_ITEM_BUTTON = "{number}. {company}"
PREVIOUS_PAGE = "◀ Previous"
NEXT_PAGE = "Next ▶"

APP_STATUS_LINE = "📌 <b>{status}</b> · {day}"
APP_NEXT_EVENT = "⏰ Next: {moment}"
APP_HISTORY = "\n<b>Stages</b>"
APP_HISTORY_ITEM = "• {day} — {status}"
APP_NOTES = "\n<b>Notes</b>"
APP_NOTE_ITEM = "• {text}"
APP_CONTACTS = "\n<b>Contacts</b>"
APP_CONTACT_ITEM = "• {name} ({kind})"
APP_CONTACT_REACH = ": {reach}"
CONTACT_KINDS = {"recruiter": "recruiter", "referral": "referral"}
APP_PICK_STATUS = "\n\n<b>What's the news?</b>"
APP_PICK_CONTACT = "\n\n<b>Who is it?</b>"
APP_CONFIRM_DELETE = (
    "\n\n🗑 <b>Delete this application?</b> Its stages, notes and contacts go with it."
)

ADD_NOTE = "📝 Add a note"
ADD_CONTACT = "👤 Add a contact"
DELETE = "🗑 Delete"
ALL_APPS = "📋 All applications"
RECRUITER = "👩‍💼 Recruiter"
REFERRAL = "🤝 Referral"
DELETE_YES = "🗑 Yes, delete it"
DELETE_NO = "↩️ No, keep it"

APP_ASK_NOTE = "📝 What would you like to note about <b>{what}</b>?" + HINT_CANCEL.replace(
    "drop this one", "stop"
)
APP_ASK_CONTACT_NAME = "👤 What's the {kind}'s name?\n<i>/cancel to stop</i>"
APP_ASK_CONTACT_REACH = (
    "And how can you reach <b>{name}</b>? (email, phone, LinkedIn…)\n"
    "<i>/skip if you'd rather not say · /cancel to stop</i>"
)
APP_ASK_EVENT_DAY = ASK_EVENT_DAY + "\n<i>/skip if you don't know yet · /cancel to stop</i>"
APP_NOTE_SAVED = "📝 Note saved."
APP_CONTACT_SAVED = "👤 Contact saved."
APP_MOVED = "Moved to {status}."
APP_DELETED = "🗑 Deleted <b>{what}</b>.\n\n"
APP_GONE = "That application is no longer in your list. /apps shows the others."
