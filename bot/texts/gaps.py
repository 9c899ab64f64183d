"""/gaps: the skill-gap audit between the user today and their target job (HTML).

User text (item names, the job title) is escaped by the caller before it is formatted in.
"""

from __future__ import annotations

# --- areas --------------------------------------------------------------------------------

AREA_ICONS = {
    "technical": "🛠",
    "tools": "🧰",
    "knowledge": "📚",
    "soft": "🤝",
    "credentials": "🎓",
    "network": "🌐",
}
AREA_NAMES = {  # HTML, inside sentences
    "technical": "technical skill",
    "tools": "tool",
    "knowledge": "domain knowledge",
    "soft": "soft skill",
    "credentials": "credentials &amp; experience",
    "network": "network",
}
AREA_BUTTONS = {  # plain text: button labels are not HTML
    "technical": "🛠 Technical",
    "tools": "🧰 Tools",
    "knowledge": "📚 Knowledge",
    "soft": "🤝 Soft skill",
    "credentials": "🎓 Credentials & experience",
    "network": "🌐 Network",
}
AREA_HEADINGS = {  # HTML
    "technical": "Technical skills",
    "tools": "Tools &amp; technologies",
    "knowledge": "Domain knowledge",
    "soft": "Soft skills",
    "credentials": "Credentials &amp; experience",
    "network": "Network",
}
AREA_EXAMPLES = {
    "technical": "SQL, writing code, financial modelling",
    "tools": "Excel, Figma, Salesforce",
    "knowledge": "accounting rules, how hospitals run",
    "soft": "presenting to leaders, negotiating",
    "credentials": "a certificate, a portfolio, a year of hands-on projects",
    "network": "contacts in the industry, a mentor who does the job",
}
AREA_EXAMPLE_LINE = "{icon} <b>{name}</b> — {examples}"

# --- step 1: intro and the job's requirements ----------------------------------------------

INTRO = (
    "<b>Let's map the gap</b> between you today and <b>{title}</b>.\n"
    "Here's what the job asks for most, from the O*NET job database. I've ticked the "
    "essentials — tap to add or remove (and tick the tools you'd use), then Done."
)
INTRO_BORROWED = (
    "\n\n<i>O*NET hasn't rated {title} on its own yet, so the skill levels come from a close "
    "relative: {lender}.</i>"
)
INTRO_LEGEND = "\n\n🛠 skill · 📚 knowledge · 🤝 soft skill · 🧰 tool"
LEGEND_IN_DEMAND = " · 🔥 in demand in job ads"
LEGEND_ALL_IN_DEMAND = "\n<i>Every tool listed is in demand in job ads.</i>"
INTRO_NO_TARGET = (
    "<b>Let's map the gap</b> between you today and the job you want.\n"
    "You haven't named a target job yet — /target first, and I can show what the job really "
    "requires. For now, let's list it together in your own words."
)
INTRO_NO_MATCH = (
    "<b>Let's map the gap</b> between you today and <b>{title}</b>.\n"
    "I couldn't match that job in the O*NET data, so let's list what it needs in your own words."
)
PICK_DONE = "✅ Done"
PICK_SELECTED = "✓ "
IN_DEMAND_MARK = " 🔥"

# --- step 2: the user's own items -----------------------------------------------------------

ASK_ADD = (
    "<b>Anything else this job needs?</b> Type one thing per message. Some ideas:\n{examples}"
    "\n\nTap Done when the list feels right."
)
ASK_ADD_FIRST = (
    "<b>What does this job need that you'd have to build?</b> Type one thing per message. "
    "Some ideas:\n{examples}\n\nTap Done when the list feels right."
)
ASK_AREA = "Where does <b>{name}</b> belong?"
ASK_AREA_GUESS = "\n<i>My guess: {area}.</i>"
ADDED = "Added <b>{name}</b> ({area}). Anything else? Type it, or tap Done."
ADD_DONE = "✅ Done"
NAME_TOO_LONG = (
    "That's a long one ({length} characters). Could you name it in {limit} or fewer? A short "
    "label is enough — e.g. <i>SQL</i> or <i>a project-management certificate</i>."
)
NAME_DUPLICATE = "<b>{name}</b> is already on your list. Type something else, or tap Done."
LIST_FULL = (
    "Your list is full ({limit} items) — plenty to plan with. Tap Done, or remove an item first."
)
NEED_ONE = "Type at least one thing the job needs — or /cancel to stop here."
NEED_ONE_TOAST = "Add at least one item first."

# --- step 3: rating each item -----------------------------------------------------------------

RATE_HEADER = "<b>{number}/{total} · {icon} {name}</b> <i>({area})</i>"
RATE_DESCRIPTION = "\n<i>{description}</i>"
RATE_NEEDS = "\nThe job needs: <b>about {level}/5</b> · {importance}."
RATE_NEEDS_TOOL = (
    "\nThe job needs: <b>about {level}/5</b> · {importance} (my estimate: job ads expect "
    "hands-on use)."
)
RATE_NEEDS_OWN = "\nYou said the job needs <b>{level}/5</b>."
RATE_ANCHORS = "\n\n<i>What the levels look like:</i>\n{lines}"
RATE_ANCHOR_LINE = "<b>{level}</b> — {description}"
RATE_ASK = "\n\n<b>Where are you today?</b> 0 = not at all · 5 = expert"
RATE_HINT = "\n<i>/skip to leave it unrated · /back for the previous one</i>"
CHANGE_NEEDED = "✏️ Change what's needed"
ASK_REQUIRED = (
    "<b>{icon} {name}</b>\nO*NET says about {level}/5. What level does <i>your</i> target job need?"
)
ASK_REQUIRED_OWN = "<b>{icon} {name}</b>\nAnd what level does the job need?"
ASK_REQUIRED_HINT = "\n<i>/skip to keep it as it is · /back to rate yourself again</i>"
LEVEL_BUTTONS = ("0", "1", "2", "3", "4", "5")

# What 1, 3 and 5 look like when O*NET has no anchors for the item.
GENERIC_ANCHORS: dict[str, tuple[tuple[int, str], ...]] = {
    "default": (
        (1, "heard of it, tried it once or twice"),
        (3, "use it on my own for real work"),
        (5, "others come to me for it"),
    ),
    "credentials": (
        (1, "nothing to show for it yet"),
        (3, "on the way: a course in progress, a first project"),
        (5, "done and provable: the certificate, the portfolio, the years"),
    ),
    "network": (
        (1, "I don't know anyone in this field"),
        (3, "a few people I could ask for advice"),
        (5, "people who'd refer me or vouch for me"),
    ),
}

IMPORTANCE = {"very": "very important", "important": "important", "useful": "useful to have"}

# --- step 4: the result ------------------------------------------------------------------------

RESULT_HEADER = "<b>Your biggest gaps for {title}</b>\n<i>Largest gap × importance first.</i>\n"
RESULT_HEADER_NO_TITLE = "<b>Your biggest gaps</b>\n<i>Largest gap × importance first.</i>\n"
RESULT_LINE = "{rank}. {icon} <b>{name}</b> — you {current}/5, the job {required}/5 · {importance}"
RESULT_MORE = "\n…and {count} smaller gap{plural} further down."
RESULT_NONE = (
    "No gaps on this list — you already reach every level you rated. 🎉\n"
    "Worth reading a few real job ads for what might be missing."
)
RESULT_MET = "\n✅ Already there: {names}"
RESULT_UNRATED = "\n⏳ Not rated yet: {names} — /gaps to rate them."
RESULT_NEXT = "\n\nNext: /plan turns the top gaps into a week-by-week roadmap."

# --- editing a finished audit ------------------------------------------------------------------

REVIEW_HEADER = "<b>Your gap audit</b>{job} — here's what you told me:\n"
REVIEW_JOB = " for {title}"
REVIEW_LINE = "{number}. {icon} {name} — you {current}, the job {required}"
REVIEW_LEVEL = "{level}/5"
REVIEW_UNRATED = "?"
REVIEW_EMPTY = "<i>Nothing on the list right now.</i>"
REVIEW_TOP = "\n<b>Biggest gaps now:</b>\n{lines}"
REVIEW_FOOTER = "\n\nKeep it all, or change something."
REVIEW_LEVELS = "✏️ Change levels"
REVIEW_ADD = "➕ Add an item"
REVIEW_REMOVE = "➖ Remove an item"
REVIEW_REPICK = "🔁 Re-pick from the job's list"
REVIEW_KEEP = "👍 Keep all"
CHOOSE_LEVELS = "Which one would you like to re-rate?"
CHOOSE_REMOVE = "Which one should go? Its levels go with it."
CHOOSE_BACK = "⬅️ Back"
CHOOSE_NOTHING = "Nothing on the list yet."
REMOVED = "Removed <b>{name}</b>.\n\n"

RESUME = "Welcome back — let's pick up where we left off.\n\n"
ITEM_GONE = "That item is no longer on your list."
RESULT_NOTHING_RATED = "Nothing rated yet, so no ranking for now."
RESULT_MORE_NAMES = " and {count} more"
