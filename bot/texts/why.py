"""/why: the reason behind the change, ending in a one-sentence why statement."""

from __future__ import annotations

INTRO = (
    "<b>Why do you want to change?</b>\n"
    "It's the first thing a good coach asks. A clear why keeps you going when applications "
    "go quiet — and it tells us whether you need a new <i>career</i> or just a new <i>job</i>."
)
REVIEW_HEADER = "<b>Your why</b> — here's what you told me:"

ASK_PUSH = "What's pushing you away from your current work?"
PUSH_CHOICES = (
    ("boss", "😤 My boss or manager"),
    ("company", "🏢 The company"),
    ("pay", "💸 Pay"),
    ("boredom", "😴 Boredom"),
    ("values", "🧭 My values"),
    ("workload", "🔥 Workload"),
    ("other", "✏️ Something else"),
)
ASK_PUSH_OTHER = "In your own words: what else is pushing you away?"
ASK_PULL = (
    "Now the other side: what <b>pulls</b> you toward something new? "
    "What would you love to spend your days doing?"
)
ASK_STAY = (
    "Imagine {what} changed tomorrow and you stayed where you are. Would you still want to leave?"
)
STAY_WHAT_DEFAULT = "the thing that bothers you most"
STAY_WHAT = {
    "boss": "your manager",
    "company": "the company",
    "pay": "your pay",
    "boredom": "the boredom",
    "values": "the clash with your values",
    "workload": "the workload",
    "other": "the thing that bothers you most",
}
STAY_CHOICES = (
    ("leave", "🚪 Yes, I'd still leave"),
    ("stay", "🙂 No, I'd probably stay"),
    ("unsure", "🤔 Not sure"),
)
REACT_JOB_CHANGE = (
    "💡 That's worth knowing. If fixing that one thing would make you stay, a new <i>job</i> "
    "— a different team or employer in your field — might solve it faster than a whole new "
    "<i>career</i>. Let's keep going anyway; the next answers will make it clearer."
)
REACT_UNSURE = "That's honest. Keep the question in mind — the next answers may settle it."
ASK_DAY_TO_DAY = (
    "What do you actually know about the <b>day-to-day</b> of the work you're drawn to?"
)
DAY_TO_DAY_CHOICES = (
    ("done", "🛠 I've done similar work"),
    ("talked", "🗣 I've talked to people who do it"),
    ("read", "📚 I've read and watched a lot"),
    ("little", "🤷 Honestly, not much yet"),
)
REACT_IDEALISED = (
    "💡 A tip: before you invest months, have coffee (or a call) with someone who does this "
    "job today. Ask what a normal Tuesday looks like, and what they'd warn a newcomer about. "
    "Pictures from the outside are often rosier than the real thing."
)
ASK_DEEPER_1 = "You're drawn to “{pull}”. <b>Why does that matter to you?</b>"
ASK_DEEPER_1_NO_PULL = "What you'd gain from this change — <b>why does it matter to you?</b>"
ASK_DEEPER_2 = "“{previous}” — and <b>why does that matter?</b>"
ASK_DEEPER_3 = (
    "One last round, if something deeper comes to mind: <b>and why is that important?</b>"
)
ASK_STATEMENT = "Here's your why in one sentence, built from your own words:\n\n<i>“{proposal}”</i>"
STATEMENT_FALLBACK = "I want a change because {reason}."
STATEMENT_TEMPLATE = "I want to move toward {pull} because {reason}."
STATEMENT_PULL_ONLY = "I want to move toward {pull}."

LABEL_PUSH = "Pushing away"
LABEL_PUSH_OTHER = "In your words"
LABEL_PULL = "Pulling toward"
LABEL_STAY = "Would still leave"
LABEL_DAY_TO_DAY = "Day-to-day known"
LABEL_DEEPER_1 = "Why it matters"
LABEL_DEEPER_2 = "Deeper"
LABEL_DEEPER_3 = "Deepest"
LABEL_STATEMENT = "Why statement"

DONE = (
    "✅ <b>Your why is saved:</b>\n<i>“{statement}”</i>\n\n"
    "I'll bring it back on the hard days — after a rejection, or when confidence dips."
)
DONE_JOB_CHANGE = (
    "\n\nOne honest note: your answers point to a <i>job</i> change more than a career "
    "change. That's a perfectly good outcome — a better employer can be a big win."
)
DONE_NO_STATEMENT = "✅ Saved. Whenever you're ready, /why again to put your why in one sentence."
DONE_NEXT = "\n\nNext: /target — the job you're aiming for."
