"""Every sentence the bot says, in one place (HTML; user text is escaped by the caller).

Each text is English and is its own gettext msgid: `scripts/i18n.py update` collects the
public UPPER_CASE constants of this package (strings, and strings inside tuples and dict
values) into the catalogs in `bot/locale/`. Dict keys are codes, never translated; so is
the first item of a record nested in a collection when it is a lower-case identifier
("boss" in PUSH_CHOICES). Every module here reads in the user's language on attribute
access (see `bot.i18n`), so keep reading `texts.NAME` when the message is sent.
"""

from __future__ import annotations

# Dates are CLDR patterns (Babel), not words: a translation may reorder them and add words
# in quotes ("EEEE d 'de' MMMM 'de' y"); weekday and month names come from CLDR.
LONG_DATE = "EEEE d MMMM y"  # Monday 23 November 2026
SHORT_DATE = "d MMM"  # 23 Nov

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
TIMEZONE_PLACEHOLDER = "e.g. Paris, +5:30"  # in the empty input field
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
    "Ready? We begin with <b>/why</b> — the reason behind your change. "
    "(/next always tells you the best next step, /help lists everything.)"
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
    "🔔 Reminders: <b>{reminders}</b>\n"
    "🌐 Language: <b>{language}</b>\n\n"
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
SETTINGS_LANGUAGE_BUTTON = "🌐 Language"
ASK_LANGUAGE = "Which language would you like me to speak?"
# Said in the language just chosen: its translation names that language.
LANGUAGE_SAVED = "✅ Done — from now on I'll speak English."
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

# --- weekly check-in ---------------------------------------------------------------------

CHECKIN_PROMPT = (
    "🗓 <b>Weekly check-in</b>\n"
    "Hi {name}! Time to look back at your week and choose one small step for the next. "
    "It takes about three minutes."
)
CHECKIN_PROMPT_STREAK = "\n🔥 {streak}-week streak so far — let's keep it going."
CHECKIN_REMINDER = (
    "A gentle nudge, {name}: this week's check-in is still open. "
    "Three minutes now keeps your plan honest. 🙂"
)
CHECKIN_GO = "✍️ Let's go"
CHECKIN_LATER = "⏰ Later today"
CHECKIN_SKIP_WEEK = "Skip this week"
CHECKIN_LATER_OK = "No problem — I'll nudge you again in about three hours."
CHECKIN_WEEK_SKIPPED = "Okay, we'll skip this week. Rest counts too — see you next week!"
CHECKIN_ASK_DID = (
    "<b>1/5</b> What did you do toward your plan this week? Big or small, it all counts."
)
CHECKIN_ASK_OBSTACLES = "<b>2/5</b> What got in the way?"
CHECKIN_ASK_WENT_WELL = (
    "<b>3/5</b> What went <b>well</b> — and why do you think it did? "
    "Knowing what works is as useful as knowing what didn't."
)
CHECKIN_ASK_COMMITMENT = (
    "<b>4/5</b> What's the one small, concrete thing you'll do next week? "
    "(e.g. <i>apply to two roles on Tuesday evening</i>)"
)
CHECKIN_ASK_CONFIDENCE = "<b>5/5</b> How confident do you feel about your change right now?"
CONFIDENCE_BUTTONS = ("1 😟", "2", "3", "4", "5 🚀")
CHECKIN_SKIP_HINT = "\n<i>/skip to leave this one blank, /back for the previous question.</i>"
CHECKIN_DONE = "Check-in saved — thank you. ✅\nNext week's commitment: <i>{commitment}</i>"
CHECKIN_DONE_NO_COMMITMENT = "Check-in saved — thank you. ✅"
CHECKIN_STREAK = "\n🔥 {streak} week{plural} in a row."
CHECKIN_LOW_CONFIDENCE = (
    "\n\nLow weeks are part of every change — they don't undo your progress. "
    "One tiny step for tomorrow: <b>{tiny_step}</b>"
)
CHECKIN_WHY_REMINDER = "\n\nRemember why you started: <i>“{statement}”</i>"
TINY_STEPS = (
    "spend 15 minutes on your plan, nothing more",
    "message one person who does the job you want",
    "write down three things you already did well",
    "read one job posting and underline what you can already do",
    "book a 20-minute slot in your calendar for your plan",
)
CHECKIN_ALREADY_DONE = (
    "You've already checked in this week (confidence {confidence}/5). "
    "Would you like to go through it again?"
)
CHECKIN_REDO = "✏️ Update my answers"
CHECKIN_KEEP = "👍 Keep them"
CHECKIN_TEXT_TOO_LONG = (
    "That's a lot — thank you! Could you fit it in {limit} characters? (You wrote {length}.)"
)
CHECKIN_NOT_NOW = "Okay. /checkin whenever you're ready."

# --- the coaching steps' shared questionnaire ------------------------------------------------

QUESTION_PROGRESS = "<i>{number}/{total}</i> "
QUESTION_HINT_SKIP = "\n<i>/skip to leave it for now · /back for the previous question</i>"
QUESTION_HINT_BACK = "\n<i>/back for the previous question</i>"
QUESTION_REQUIRED = "I need this one to go on — a few words are enough. (/cancel to stop here.)"
QUESTION_TOO_LONG = (
    "Thank you — that's a lot! Could you fit it in {limit} characters? (You wrote {length}.)"
)
QUESTION_RESUME = "Welcome back — let's pick up where we left off."
QUESTION_MULTI_HINT = "\n<i>Tap all that apply, then Done.</i>"
QUESTION_MULTI_DONE = "✅ Done"
QUESTION_MULTI_EMPTY = "Tap at least one — or /skip."
QUESTION_PROPOSAL_USE = "👍 Use this"
QUESTION_PROPOSAL_HINT = "\n\nKeep it, or type your own version."
QUESTION_SKIPPED = "—"
REVIEW_FOOTER = "\n\nKeep these, or tap one to change it."
REVIEW_KEEP = "👍 Keep all"
REVIEW_CHANGE = "✏️ {label}"
REVIEW_SAVED = "Saved."

# --- help, cancel, fallbacks ---------------------------------------------------------------

HELP_HEADER = "<b>Here's what I can do</b>"
HELP_FOOTER = "\nYou can leave any question with /cancel — what you already told me stays saved."
CANCELLED = "Okay, stopped there. Everything you already told me is saved."
NOTHING_TO_CANCEL = "Nothing to cancel right now. /help lists what we can do."
EDITED_MESSAGE = (
    "I only read new messages, so that edit passed me by. "
    "If it changes your answer, just send it again."
)
NOTHING_TO_SKIP = (
    "No question is open right now, so there is nothing to skip or go back to. "
    "/help lists what we can do."
)
UNKNOWN_TEXT = "I'm not sure what to do with that yet. /help lists everything I can do."
UNKNOWN_COMMAND = "I don't know {command}. /help lists the commands I understand."
IN_FLOW_HINT = "\n\n<i>You were in the middle of {flow} — answer above to go on, or /cancel.</i>"
ANSWER_ABOVE = "I can't use that here — please answer the question above, or /cancel to stop."
PICK_A_BUTTON = "Please tap one of the buttons above — or /cancel to stop here."
WAITING_IN_FLOW = "\n<i>(We're in the middle of {flow}.)</i>"
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
    "checkin": "your weekly check-in",
    "why": "your why",
    "target": "your target job",
    "gaps": "your gap audit",
    "plan": "your plan",
    "team": "your support team",
    "pitch": "your pitch",
    "applied": "logging an application",
    "apps": "your applications",
    "appcard": "an application card",
    "reflection": "your reflection",
    "buddy": "a note to the person you cheer on",
    "retro": "your retrospective",
}

# Commands shown in Telegram's menu and in /help, in that order.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Start here: welcome and your time zone"),
    ("next", "Your single best next step"),
    ("why", "Why you want this change, in one sentence"),
    ("target", "The job you're aiming for"),
    ("gaps", "Skills to build for that job"),
    ("plan", "Deadline, hours a week and a roadmap"),
    ("roadmap", "Your roadmap: this week and the next four"),
    ("team", "Your support team"),
    ("buddy", "An accountability buddy who cheers you on"),
    ("pitch", "Your two-sentence pitch"),
    ("checkin", "Your weekly check-in, any time"),
    ("applied", "Log a job application step by step"),
    ("apps", "Your applications, by stage"),
    ("reflections", "What your rejections taught you"),
    ("progress", "Your progress: streak, roadmap, applications"),
    ("help", "Everything I can do"),
    ("settings", "Time zone, language, check-in day and time, pause reminders"),
    ("export", "Download your data: JSON, CSV, calendar"),
    ("delete_me", "Erase everything about you"),
    ("cancel", "Leave the current question (your answers stay saved)"),
)


# --- every texts module translates itself on attribute access (see bot.i18n) -----------------


def _translate_package() -> None:
    """Import every texts module now and make each read in the current language, so a new
    module is translated without registering it anywhere."""
    import importlib
    import pkgutil

    from bot.i18n import translate_module

    translate_module(__name__)
    for found in pkgutil.iter_modules(__path__):
        translate_module(importlib.import_module(f"{__name__}.{found.name}").__name__)


_translate_package()
