"""/pitch: position yourself like a product — who needs you, what you solve, your proof."""

from __future__ import annotations

INTRO = (
    "<b>Let's position you like a product.</b>\n"
    "Three short questions, then I'll put your answers together as a two-sentence pitch "
    "for networking chats and cover letters."
)
REVIEW_HEADER = "<b>Your pitch</b>, and the answers behind it:"
ASK_EMPLOYER = (
    "Who is the employer that needs someone like you? Be specific "
    "(e.g. <i>fast-growing fintech startups</i>, <i>hospitals modernising their records</i>)."
)
ASK_PROBLEM = (
    "What problem do you solve for them? (e.g. <i>turn messy data into decisions "
    "their teams trust</i>)"
)
ASK_PROOF = (
    "What proof do you have? A result, a project, a number (e.g. <i>I rebuilt our "
    "reporting and cut month-end close from 10 days to 4</i>)."
)
ASK_PITCH = "Here's your pitch, from your own words:\n\n<i>“{pitch}”</i>"
PITCH_TEMPLATE = "I help {employer} {problem}. {proof}."
PITCH_NO_PROOF = "I help {employer} {problem}."
LABEL_EMPLOYER = "Who needs you"
LABEL_PROBLEM = "Problem you solve"
LABEL_PROOF = "Your proof"
LABEL_PITCH = "Pitch"
DONE = (
    "✅ <b>Your pitch is saved:</b>\n<i>“{pitch}”</i>\n\n"
    "Say it out loud a few times — it should sound like you. /pitch any time to sharpen it."
)
DONE_NO_PITCH = "✅ Saved. /pitch again when you're ready to put it into two sentences."
