"""Which of the user's applications a message is about (pure): company names compared
loosely ("Stripe Inc" is "stripe"), roles used to tell two jobs at one company apart."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from bot.application_status import CLOSED, Status

# Words that name the legal form, not the company.
_LEGAL_FORMS = frozenset(
    {
        *("inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation"),
        *("co", "company", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "oy", "ab", "as"),
        *("spa", "srl", "pty", "pvt", "kk"),
    }
)
_NON_WORD = re.compile(r"[^\w]+")
SIMILAR_COMPANY = 88  # rapidfuzz ratio: one or two typos in a longer name
MIN_FUZZY_LENGTH = 5  # short names ("Meta", "Acme") must match exactly
SIMILAR_ROLE = 70  # token-set ratio: "Senior PM" ~ "PM", not "Data Analyst"
MAX_CHOICES = 5


@dataclass(frozen=True, slots=True)
class Known:
    """One of the user's applications, as matching needs it."""

    id: int
    company: str
    role: str | None
    status: Status
    updated_at: datetime


def company_words(name: str) -> list[str]:
    """The words of a company name, lower-cased, without punctuation or legal form."""
    words = [w for w in _NON_WORD.sub(" ", name.casefold().replace("&", " and ")).split() if w]
    kept = [w for w in words if w not in _LEGAL_FORMS]
    return kept or words


def same_company(a: str, b: str) -> bool:
    """True when two names very likely mean the same company."""
    words_a, words_b = company_words(a), company_words(b)
    joined_a, joined_b = " ".join(words_a), " ".join(words_b)
    if not joined_a or not joined_b:
        return False
    if joined_a == joined_b or joined_a.replace(" ", "") == joined_b.replace(" ", ""):
        return True
    shorter, longer = sorted((words_a, words_b), key=len)
    if len("".join(shorter)) >= MIN_FUZZY_LENGTH - 1 and set(shorter) <= set(longer):
        return True  # "Stripe" and "Stripe Payments"
    if min(len(joined_a), len(joined_b)) < MIN_FUZZY_LENGTH:
        return False
    return fuzz.ratio(joined_a, joined_b) >= SIMILAR_COMPANY


def compatible_roles(a: str | None, b: str | None) -> bool:
    """Two roles that could be the same job (an unknown role fits anything)."""
    if not a or not b:
        return True
    return fuzz.token_set_ratio(a.casefold(), b.casefold()) >= SIMILAR_ROLE


def _may_update(known: Known, status: Status | None) -> bool:
    """Can a message with this status be news about that application?"""
    if status is Status.SAVED:
        return False  # saving a job is always a new entry
    if status is Status.APPLIED:
        return known.status is Status.SAVED  # saved earlier, applied now
    return True


def matches(
    *, company: str, role: str | None, status: Status | None, known: Sequence[Known]
) -> list[Known]:
    """The applications this message may update, best first (open ones, closer role, newest)."""
    found = [
        item
        for item in known
        if same_company(company, item.company)
        and compatible_roles(role, item.role)
        and _may_update(item, status)
    ]

    def rank(item: Known) -> tuple[bool, float, float]:
        closeness = fuzz.token_set_ratio((role or "").casefold(), (item.role or "").casefold())
        return (item.status not in CLOSED, closeness if role else 0.0, item.updated_at.timestamp())

    found.sort(key=rank, reverse=True)
    open_ones = [item for item in found if item.status not in CLOSED]
    return (open_ones or found)[:MAX_CHOICES]


def clear_choice(found: Sequence[Known], role: str | None) -> Known | None:
    """The one application meant, or None when the user should pick among `found`."""
    if len(found) == 1:
        return found[0]
    if role:
        exact = [item for item in found if (item.role or "").casefold() == role.casefold()]
        if len(exact) == 1:
            return exact[0]
    return None
