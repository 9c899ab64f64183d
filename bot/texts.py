"""Every sentence the bot says, in one place (HTML; user text is escaped by the caller)."""

from __future__ import annotations

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# --- /start -----------------------------------------------------------------------------

WELCOME = (
    "Hi {name}! I'm your <b>Career Change Coach</b>.\n\n"
    "Together we'll get clear on <i>why</i> you want a change, pick the job you're aiming for, "
    "map the skills to build, and turn it all into a week-by-week plan to a date you choose.\n"
    "Then I'll check in once a week, keep your job applications in order, "
    "and help you learn from every no.\n\n"
    "🔒 What you tell me is stored only to coach you, and never shared."
)
ASK_TIMEZONE = (
    "First, so my reminders arrive at sensible hours: <b>where are you?</b>\n"
    "Type your city (e.g. <i>Paris</i>, <i>São Paulo</i>), a UTC offset (e.g. <i>+5:30</i>), "
    "or tap the button to share your location."
)
SHARE_LOCATION_BUTTON = "📍 Share my location"
TIMEZONE_CONFIRM = (
    "Got it: <b>{place}</b>. It's {local_time} on {weekday} there right now. Is that right?"
)
TIMEZONE_NOT_FOUND = (
    "I couldn't find “{query}”. Try a larger city nearby (e.g. <i>Lyon</i>), "
    "a time zone like <i>Europe/Berlin</i>, or an offset like <i>UTC-3</i>."
)
TIMEZONE_TOO_LONG = (
    "That's a bit long for a place name — just the city is enough (e.g. <i>Paris</i>)."
)
TIMEZONE_LOCATION_UNKNOWN = (
    "I couldn't tell the time zone of that spot (the open sea, perhaps?). "
    "Type your city instead, or an offset like <i>+1</i>."
)
TIMEZONE_LOOKING = "One moment, looking that up…"
TIMEZONE_SAVED_START = (
    "Perfect, your time zone is saved.\n\n"
    "Our weekly check-in is set for <b>{weekday} at {time}</b> your time — change it any time "
    "in /settings.\n\n"
    "/help lists everything we can do together."
)
TIMEZONE_SAVED = "✅ Time zone saved."
WELCOME_BACK = (
    "Welcome back, {name}! Your time zone is <b>{place}</b> (it's {local_time} there now).\n"
    "/help lists everything we can do together."
)

# --- buttons shared by many flows ----------------------------------------------------------

YES = "✅ Yes"
NO_RETRY = "✏️ No, let me fix it"
KEEP = "👍 Keep it"
CHANGE_TIMEZONE = "🌍 Change time zone"
BACK = "⬅️ Back"
DONE = "✅ Done"

# --- /settings ---------------------------------------------------------------------------

SETTINGS_MENU = (
    "<b>Your settings</b>\n"
    "🌍 Time zone: <b>{place}</b> (now {local_time})\n"
    "📅 Weekly check-in: <b>{weekday} at {time}</b>\n"
    "🔔 Reminders: <b>{reminders}</b>\n\n"
    "What would you like to change?"
)
REMINDERS_ON = "on"
REMINDERS_PAUSED = "paused"
REMINDERS_PAUSED_UNTIL = "paused until {date}"
TIMEZONE_NOT_SET = "not set yet"
SETTINGS_TIMEZONE_BUTTON = "🌍 Time zone"
SETTINGS_CHECKIN_BUTTON = "📅 Check-in day & time"
SETTINGS_PAUSE_BUTTON = "⏸ Pause reminders"
SETTINGS_RESUME_BUTTON = "▶️ Resume reminders"
ASK_CHECKIN_DAY = "Which day suits you best for our weekly check-in?"
ASK_CHECKIN_TIME = (
    "And at what time on {weekday}? Tap one, or type a time like <i>07:30</i> or <i>6pm</i>."
)
CHECKIN_TIME_INVALID = "I didn't catch a time in “{text}”. Try something like <i>08:15</i>, <i>18:00</i> or <i>7pm</i>."
CHECKIN_SAVED = "Saved: we'll check in every <b>{weekday} at {time}</b> your time."
ASK_PAUSE = (
    "Need a break? I'll stay quiet until you're back. For how long?\n"
    "Tap one, or type a date (e.g. <i>15 January</i>)."
)
PAUSE_ONE_WEEK = "1 week"
PAUSE_TWO_WEEKS = "2 weeks"
PAUSE_ONE_MONTH = "1 month"
PAUSE_INDEFINITELY = "Until I resume"
PAUSE_DATE_INVALID = (
    "I couldn't read “{text}” as a date in the future. Try <i>next Monday</i>, <i>in 3 weeks</i> "
    "or <i>15 January</i>."
)
PAUSED_UNTIL = "Reminders paused until <b>{date}</b>. Rest well — everything you saved is kept."
PAUSED_INDEFINITELY = "Reminders paused. Come back to /settings whenever you're ready to resume."
RESUMED = "Welcome back! Reminders are on again."
SETTINGS_CLOSED = "Settings saved. /help if you need anything else."

# --- help, cancel, fallbacks ---------------------------------------------------------------

HELP_HEADER = "<b>Here's what I can do</b>"
HELP_FOOTER = "\nYou can leave any question with /cancel — what you already told me stays saved."
CANCELLED = "Okay, stopped there. Everything you already told me is saved."
NOTHING_TO_CANCEL = "Nothing to cancel right now. /help lists what we can do."
UNKNOWN_TEXT = "I'm not sure what to do with that yet. /help lists everything I can do."
UNKNOWN_COMMAND = "I don't know {command}. /help lists the commands I understand."
IN_FLOW_HINT = "\n\n<i>You were in the middle of {flow} — answer above to go on, or /cancel.</i>"
ANSWER_ABOVE = "I can't use that here — please answer the question above, or /cancel to stop."
PICK_A_BUTTON = "Please tap one of the buttons above — or /cancel to stop here."
STALE_BUTTON = "That button belongs to an earlier message. Send /help to pick up from here."
UNSUPPORTED_MESSAGE = (
    "I can only read text (and locations when I ask for them). /help lists what I can do."
)
TOO_LONG = (
    "That's longer than I can take in one go ({length} characters; the limit is {limit}). "
    "Could you shorten it?"
)
ERROR = (
    "Sorry, something went wrong on my side. Everything you saved so far is safe — "
    "please try again in a moment."
)
NOT_ALLOWED = "Sorry, this coach is private and only open to invited users."
OFFLINE_NO_TOKEN = "No TELEGRAM_BOT_TOKEN set — opening the offline chat in this terminal instead."

FLOW_NAMES = {
    "start": "setting up",
    "settings": "your settings",
}

# Commands shown in Telegram's menu and in /help, in that order.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Start here: welcome and your time zone"),
    ("help", "Everything I can do"),
    ("settings", "Time zone, check-in day and time, pause reminders"),
    ("cancel", "Leave the current question (your answers stay saved)"),
)
