"""Turn the answers of /why into a proposed why statement, and read what they imply."""

from __future__ import annotations

import re

MAX_FRAGMENT = 140


def sentence_fragment(text: str, *, lower_first: bool = True) -> str:
    """A user answer shaped to sit inside a sentence: trimmed, no end punctuation."""
    cleaned = re.sub(r"\s+", " ", text).strip().rstrip(".!?;:,… ")
    if len(cleaned) > MAX_FRAGMENT:
        cleaned = cleaned[:MAX_FRAGMENT].rsplit(" ", 1)[0] + "…"
    # Lower-case the first letter unless it starts a name or an acronym ("I", "UX").
    if (
        lower_first
        and len(cleaned) > 1
        and cleaned[0].isupper()
        and not cleaned[1].isupper()
        and cleaned[:2] != "I "
    ):
        cleaned = cleaned[0].lower() + cleaned[1:]
    return cleaned


# The templates supply "because"/"porque" and "toward"/"hacia" themselves: an answer that
# starts with the same word would read "…because because…".
_REASON_LEAD = re.compile(r"^(?:because|'?cause|cuz|porque)\b[\s,:]*", re.IGNORECASE)
_PULL_LEAD = re.compile(r"^(?:towards?|hacia)\b\s*", re.IGNORECASE)


def _fragment_without(lead: re.Pattern[str], text: str) -> str:
    """`sentence_fragment` of the answer, without a lead word the template already says."""
    return sentence_fragment(lead.sub("", text.strip()))


def propose_statement(
    *, pull: str | None, reasons: list[str], template: str, pull_only: str, fallback: str
) -> str | None:
    """One sentence from the user's own words: what pulls them, because of the deepest why."""
    fragments = (_fragment_without(_REASON_LEAD, reason) for reason in reversed(reasons))
    deepest = next((fragment for fragment in fragments if fragment), None)
    toward = _fragment_without(_PULL_LEAD, pull) if pull else None
    if toward and deepest:
        return template.format(pull=toward, reason=deepest)
    if toward:
        return pull_only.format(pull=toward)
    if deepest:
        return fallback.format(reason=deepest)
    return None


def points_to_job_change(*, stay_if_fixed: str | None) -> bool:
    """Pitfall 1: when fixing the one thing would make them stay, it is a job change."""
    return stay_if_fixed == "stay"


def picture_may_be_idealised(*, day_to_day: str | None) -> bool:
    """Pitfall 2: little first-hand knowledge of the day-to-day of the new work."""
    return day_to_day in {"read", "little"}
