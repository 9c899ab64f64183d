"""The stages of a job application (pure; shared by the parser, storage and handlers)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    SAVED = "saved"  # found it, not applied yet
    APPLIED = "applied"
    SCREENING = "screening"  # a recruiter call, a phone screen, a test
    INTERVIEW = "interview"  # rounds are counted
    OFFER = "offer"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NO_ANSWER = "no_answer"  # ghosted


# Stages where the employer still owes an answer: follow-up nudges apply.
AWAITING_ANSWER = frozenset({Status.APPLIED})
# The story is over: nothing more to nudge about.
CLOSED = frozenset({Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN, Status.NO_ANSWER})
# The funnel, in order (for counts and conversion rates).
FUNNEL = (Status.APPLIED, Status.SCREENING, Status.INTERVIEW, Status.OFFER, Status.ACCEPTED)
