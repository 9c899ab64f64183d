"""The retrospective every eight weeks, or after twenty applications with no interview.
HTML; user text ({name}, {target}) arrives escaped."""

from __future__ import annotations

# --- the prompt ---------------------------------------------------------------------------------

PROMPT_WEEKS = (
    "🔭 <b>Time to step back</b>, {name}.\n"
    "Eight weeks of work on your change — a good moment to ask whether you're still heading "
    "for the right thing, and whether the plan still fits your weeks. Two questions, two minutes."
)
PROMPT_APPLICATIONS = (
    "🔭 <b>Time to step back</b>, {name}.\n"
    "{count} applications since your last interview, and none has brought one yet. That's not "
    "a verdict on you — it's information. Let's see what it says: two questions, two minutes."
)
GO_BUTTON = "🔭 Let's look"
NOT_NOW_BUTTON = "Not now"
NOT_NOW = "Of course. I'll ask again in eight weeks — /progress shows your numbers any time."
ALREADY_DONE = (
    "You've done this retrospective already — you chose: <b>{choice}</b>. "
    "/progress shows where you are now."
)

# --- the conversation ---------------------------------------------------------------------------

ASK_FEELING = "<b>1/2</b> Gut feeling first: is <b>{target}</b> still the job you want?"
ASK_FEELING_NO_TARGET = (
    "<b>1/2</b> Gut feeling first: is the change you're working toward still the one you want?"
)
FEELING_BUTTONS = {
    "yes": "✅ Yes",
    "unsure": "🤔 Not sure",
    "no": "❌ No",
}
SKIP_HINT = "\n<i>/skip if you'd rather look at the numbers first · /cancel to stop</i>"

EVIDENCE_HEADER = "<b>2/2</b> Here's what the evidence says:\n"
READING_HEADER = "\n\n<b>What it tells me</b>"
FINDINGS = {
    "feels_wrong": "\n• Your gut says the target isn't right any more. Trust that — it's worth a look.",
    "no_interviews": (
        "\n• Your applications aren't turning into interviews. Either the target is a step too "
        "far from where you are today, or your CV isn't telling your story yet."
    ),
    "rejection_pattern": "\n• Your rejections have a pattern (the 💡 above): act on it first.",
    "confidence_falling": (
        "\n• Your confidence has been sliding. Worth asking: is it the target, or the pace?"
    ),
    "confidence_low": (
        "\n• Your confidence has been low for weeks. A smaller, surer next step may help more "
        "than pushing harder."
    ),
    "confidence_rising": "\n• Your confidence is rising — something is working. Keep it.",
    "behind_plan": (
        "\n• Milestones are piling up overdue: the plan asks more than your weeks give. A later "
        "deadline or fewer hours is not giving up — it's a plan you can keep."
    ),
    "deadline_passed": "\n• Your deadline has passed — time to set a new one.",
    "checkins_missed": (
        "\n• You've missed more check-ins than you've answered. A lighter plan is easier to keep."
    ),
    "on_track": "\n• Nothing alarming: you're moving. Keep going.",
}
ASK_CHOICE = "\n\nWhat now?"
SUGGESTED_HINT = "\n<i>💡 marks what the evidence points to — your call.</i>"
SUGGESTED_MARK = "💡 "
CHOICE_BUTTONS = {
    "keep": "👍 Keep course",
    "target": "🎯 Adjust the target",
    "plan": "🗺 Adjust the plan",
}
CHOICE_NAMES = {
    "keep": "keep course",
    "target": "adjust the target",
    "plan": "adjust the plan",
}
BACK_HINT = "\n<i>/back to the first question · /cancel to stop</i>"

# --- where each choice leads ----------------------------------------------------------------

DONE_KEEP = (
    "👍 Keeping course — that's a decision too. I'll ask again in eight weeks; "
    "/progress shows your numbers any time."
)
DONE_TARGET = (
    "🎯 Let's look at your target again. Tap /target: you'll see your answers, each with a "
    "button to change it. If the new target needs other skills, /gaps and then /plan follow."
)
DONE_TARGET_NEW = (
    "🎯 Let's name your target properly. Tap /target — a few short questions about the job "
    "you're aiming for."
)
DONE_PLAN = (
    "🗺 Let's adjust the plan. Tap /plan: you'll see your deadline, hours and methods, each "
    "with a button to change it. Your roadmap is rebuilt from them — what you've done stays done."
)
DONE_PLAN_NEW = (
    "🗺 Let's make a plan you can keep. Tap /plan — a date, the hours you can give each week, "
    "and your roadmap follows."
)
GONE = "That retrospective isn't there any more. /progress shows where you are now."
