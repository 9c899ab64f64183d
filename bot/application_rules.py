"""A cue's rule and a cue found in a message: shared by the English and Spanish cue lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.application_status import Status
from bot.application_text import Message


@dataclass(frozen=True, slots=True)
class Rule:
    status: Status | None  # None: says nothing about the stage, only where the company is
    pattern: re.Pattern[str]
    after: bool = True  # the company may follow: "applied *to Stripe*"
    before: bool = False  # the company may precede: "*Initech* rejected me"
    bare: bool = False  # a phrase right after, without a preposition, may be the company
    check: Callable[[Message, int, int], bool] | None = None  # extra guard on tokens [first, last)
    folded: bool = False  # matched on the accent-free copy of the text (Spanish rules)


@dataclass(frozen=True, slots=True)
class Cue:
    rule: Rule
    first: int  # token range [first, last)
    last: int
    start: int  # character range
    end: int

    @property
    def status(self) -> Status | None:
        return self.rule.status


def rule(
    status: Status | None,
    pattern: str,
    *,
    after: bool = True,
    before: bool = False,
    bare: bool = False,
    check: Callable[[Message, int, int], bool] | None = None,
    folded: bool = False,
) -> Rule:
    return Rule(status, re.compile(pattern), after, before, bare, check, folded)
