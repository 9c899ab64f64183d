"""/buddy: an accountability buddy (HTML; names and user text are escaped by the caller)."""

from __future__ import annotations

# --- the invite link ----------------------------------------------------------------------------

NEW_INVITE = (
    "🤝 <b>Don't change career alone.</b>\n"
    "An accountability buddy gets a short update from me once a week and can send you "
    "a word of encouragement back.\n\n"
    "Send this link to the person you'd like — it works once, for 7 days:\n"
    "{url}\n\n"
    "They'll see your name and choose whether to accept; then you choose exactly what "
    "they see. Your notes, reflections and contacts are never shared."
)
INVITE_PENDING = (
    "🔗 Your buddy invite link is out — it works until <b>{date}</b>.\n"
    "I keep only a fingerprint of it, so I can't show it again. Lost it? Make a new one "
    "(the old one then stops working)."
)
NEW_LINK_BUTTON = "🔗 New link"
CANCEL_INVITE_BUTTON = "✖️ Cancel the invite"
INVITE_CANCELLED = (
    "Invite cancelled — that link no longer works. /buddy whenever you want a new one."
)
OWN_BUDDY_OFFER = "Would you like an accountability buddy of your own, too?"
OWN_BUDDY_BUTTON = "🔗 Get my own invite link"

# --- opening someone's link ---------------------------------------------------------------------

INVITATION = (
    "👋 <b>{name}</b>{handle} is changing career and invited you to be their "
    "<b>accountability buddy</b>.\n\n"
    "What that means: once a week I send you a short update on how {name} is doing — only "
    "what {name} chooses to share — and you can send a line of encouragement back through "
    "me. Either of you can stop at any time.\n\n"
    "Would you like to?"
)
HANDLE = " (@{username})"
ACCEPT_BUTTON = "✅ Yes, I'm in"
DECLINE_BUTTON = "No, thanks"
TOKEN_UNKNOWN = (
    "This invite link doesn't work — it may have been replaced or cancelled. "
    "Ask for a fresh one (they make it with /buddy)."
)
TOKEN_USED = (
    "This invite link has already been used — each link works only once. "
    "Ask for a fresh one (they make it with /buddy)."
)
TOKEN_EXPIRED = (
    "This invite link has expired — links work for 7 days. "
    "Ask for a fresh one (they make it with /buddy)."
)
TOKEN_OWN = "That's your own invite link 🙂 Send it to the person you'd like as your buddy."

# --- both agree ---------------------------------------------------------------------------------

ACCEPTED_BUDDY = (
    "Thank you! 🙌 I've told {name}. As soon as they've chosen what to share, you'll hear from me."
)
OFFER_OWN_START = "\n\nThinking about a change of your own? Send /start and I'll coach you too."
ACCEPTED_OWNER = (
    "🎉 <b>{name}</b> said yes to being your accountability buddy!\n\n"
    "Choose what {name} sees in a short weekly update — tap to switch each on or off. "
    "Your notes, reflections, contacts and check-in answers are never shared."
)
SHARE_SETTINGS = (
    "⚙️ What <b>{name}</b> sees each week — tap to switch each on or off. "
    "Your notes, reflections, contacts and check-in answers are never shared."
)
SHARE_LABELS = {
    "streak": "Check-in streak",
    "commitment": "Commitment for the week",
    "applications": "Number of applications",
}
SHARE_PHRASES = {
    "streak": "your check-in streak",
    "commitment": "your commitment for the week",
    "applications": "how many applications you sent",
}
SHARE_JOIN = ", "
SHARE_ON = "✅ {label}"
SHARE_OFF = "⬜ {label}"
START_SHARING_BUTTON = "👍 Start sharing"
SAVE_SHARING_BUTTON = "👍 Save"
NOT_WITH_BUTTON = "✖️ Not with {name}"
PICK_ONE = "Pick at least one thing to share."
CONFIRMED_OWNER = (
    "All set: <b>{name}</b> is your accountability buddy. Each week, the day after your "
    "check-in, they'll see {fields}. /buddy changes that, or ends it, any time."
)
CONFIRMED_BUDDY = (
    "🤝 You're now <b>{name}</b>'s accountability buddy. Your first weekly update arrives "
    "on {date}. /buddy shows your buddy links; you can stop at any time."
)
SHARE_SAVED = "Saved: {name} sees {fields}."
DECLINED_BUDDY = "No problem — thanks for letting me know. I've told {name}, kindly."
DECLINED_OWNER = (
    "{name} can't be your buddy right now — that's okay, it often says more about their "
    "week than about you. /buddy makes a new link for someone else."
)
REFUSED_OWNER = "Okay — {name} won't be your buddy. /buddy makes a new link whenever you like."
REFUSED_BUDDY = (
    "{name} decided not to go ahead with the buddy link after all. "
    "Thank you for saying yes — that was kind."
)
WITHDRAWN_BUDDY = "{name} withdrew the buddy invite — nothing more to do. Thank you for looking!"

# --- where things stand (/buddy) ----------------------------------------------------------------

STATUS_OWNER = (
    "🤝 Your accountability buddy: <b>{name}</b>.\nEach week they see {fields}.\n"
    "Next update: {date}."
)
STATUS_OFFERED = "⏳ <b>{name}</b> opened your invite and is deciding. I'll tell you their answer."
STATUS_CHOOSING = "🎉 <b>{name}</b> said yes. Choose what they see each week:"
STATUS_BUDDY = "🙌 You're <b>{name}</b>'s accountability buddy. Updates come once a week."
STATUS_BUDDY_WAITING = "⏳ You said yes to <b>{name}</b>; they're choosing what to share."
STATUS_BUDDY_DECIDING = (
    "👋 <b>{name}</b> invited you to be their accountability buddy. Would you like to?"
)
SHARE_SETTINGS_BUTTON = "⚙️ What I share"
END_BUTTON = "✖️ End"
WITHDRAW_BUTTON = "✖️ Withdraw the invite"

# --- ending it ----------------------------------------------------------------------------------

END_CONFIRM = "End the buddy link with <b>{name}</b>? I'll let them know, kindly."
END_YES_BUTTON = "Yes, end it"
END_NO_BUTTON = "Keep it"
END_KEPT = "Kept. 🤝"
ENDED_OWNER = (
    "Done — the buddy link with {name} has ended. /buddy makes a new link whenever you like."
)
ENDED_BUDDY = "Done — you're no longer {name}'s buddy. Thank you for cheering them on."
ENDED_BY_BUDDY = (
    "{name} has stepped back as your accountability buddy. Thank you both for the time "
    "together — /buddy makes a new link whenever you're ready."
)
ENDED_BY_OWNER = (
    "{name} has ended the buddy link, so no more weekly updates. "
    "Thank you for cheering them on — it mattered."
)
BUDDY_UNREACHABLE = (
    "{name} can't be reached anymore (they may have stopped the bot), so your buddy link "
    "has ended. /buddy makes a new link whenever you're ready."
)
OWNER_UNREACHABLE = (
    "{name} has stopped using the coach, so your buddy link has ended. "
    "Thank you for cheering them on."
)

# --- encouragement ------------------------------------------------------------------------------

ENCOURAGE_BUTTON = "💬 Send encouragement"
ENCOURAGE_NAMED_BUTTON = "💬 Encourage {name}"
ASK_ENCOURAGEMENT = (
    "What would you like to tell <b>{name}</b>? One line, up to {limit} characters — "
    "I'll pass it on with your name.\n<i>/cancel to stop.</i>"
)
ENCOURAGEMENT_TOO_LONG = (
    "That's a lot of cheering 🙂 Could you fit it in {limit} characters? (You wrote {length}.)"
)
ENCOURAGEMENT_EMPTY = "Just a few words is plenty — or /cancel."
ENCOURAGEMENT_RECEIVED = "💬 <b>{name}</b>, your accountability buddy, says:\n<i>“{text}”</i>"
ENCOURAGEMENT_SENT = "Sent to {name} ✅ Thank you!"
ENCOURAGEMENT_LINK_GONE = "That buddy link has ended, so I couldn't pass it on."

# --- the weekly update --------------------------------------------------------------------------

SUMMARY_HEADER = "🤝 <b>Weekly buddy update</b>"
SUMMARY_NAME = "\n\n<b>{name}</b>"
SUMMARY_STREAK_ONE = "\n🔥 Check-in streak: 1 week"
SUMMARY_STREAK_MANY = "\n🔥 Check-in streak: {streak} weeks"
SUMMARY_STREAK_NONE = "\n🔥 No check-in streak right now — a kind word could help restart it."
SUMMARY_COMMITMENT = "\n🎯 This week's commitment: <i>“{commitment}”</i>"
SUMMARY_NO_COMMITMENT = "\n🎯 No commitment set for this week yet."
SUMMARY_APPLICATIONS = "\n📨 Applications sent in the last 7 days: {count}"
SUMMARY_FOOTER = "\n\nA line from you can make their week."

# --- refusals (button answers) ------------------------------------------------------------------

NOT_YOURS = "That button isn't for you."
STALE = "That's already been answered — /buddy shows where things stand."
