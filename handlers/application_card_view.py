"""How the application card looks at each moment: the application to pick, the stage to
pick, a date to question, or ready to save — its text and its buttons (no Telegram calls)."""

from __future__ import annotations

from datetime import date

from bot.application_card import Card, suggested_day
from bot.application_parser import DateConcern
from bot.application_status import Status
from bot.texts import applications as t
from handlers.application_views import PIPELINE, day_and_time, stage, what
from handlers.common import Button, button_rows, escape, long_date, short_date

PREFIX = "ac"  # every button of the card: "ac:<token>:<action>[:<argument>]"


def card_data(card: Card, action: str, arg: str = "") -> str:
    """Callback data of one of the card's buttons (well under 64 bytes)."""
    return f"{PREFIX}:{card.token}:{action}" + (f":{arg}" if arg else "")


def _after_stage(card: Card) -> str:
    """The stage the card moves to, with the interview round when it counts."""
    assert card.status is not None
    rounds = card.round or (card.target_rounds + 1 if card.is_update else 1)
    text = stage(card.status, rounds)
    if card.status is Status.INTERVIEW and card.final_round:
        text += t.FINAL_ROUND
    return text


def card_text(card: Card) -> str:
    """The card's body: what will be saved."""
    assert card.company is not None
    if card.choices and card.status is not None:
        lines = [
            t.CARD_NEWS.format(company=escape(card.company), status=t.STATUS_NAMES[card.status])
        ]
    elif card.is_update and card.target_status is not None and card.status is not None:
        lines = [
            t.CARD_UPDATE.format(
                what=what(card.company, card.role),
                before=stage(card.target_status, card.target_rounds),
                after=_after_stage(card),
            )
        ]
    else:
        lines = [
            t.CARD_NEW,
            t.CARD_COMPANY.format(company=escape(card.company)),
            t.CARD_ROLE.format(role=escape(card.role)) if card.role else t.CARD_NO_ROLE,
        ]
        if card.status is not None:
            lines.append(t.CARD_STATUS.format(status=t.STATUS_LABELS[card.status]))
    if card.day is not None:
        lines.append(t.CARD_DATE.format(date=day_and_time(card.day, card.at)))
    elif card.status is not None:
        lines.append(t.CARD_NO_DATE)
    if card.url:
        lines.append(t.CARD_LINK.format(url=escape(card.url)))
    if card.note:
        lines.append(t.CARD_NOTE.format(note=escape(card.note)))
    return "\n".join(lines)


def _main_buttons(card: Card) -> list[list[Button]]:
    """Save, the fixes, Cancel."""
    return [
        [(t.SAVE, card_data(card, "sv"))],
        [(t.CHANGE_COMPANY, card_data(card, "co")), (t.CHANGE_ROLE, card_data(card, "ro"))],
        [(t.CHANGE_DATE, card_data(card, "da")), (t.CHANGE_STATUS, card_data(card, "st"))],
        [(t.CANCEL, card_data(card, "cx"))],
    ]


def _status_buttons(card: Card) -> list[list[Button]]:
    """Every stage to pick (an update leaves out the current one, but an interview may repeat)."""
    shown = [
        status
        for status in PIPELINE
        if status is not card.target_status or status is Status.INTERVIEW
    ]
    rows = button_rows([(t.STATUS_LABELS[s], card_data(card, "s", s.value)) for s in shown], 3)
    last: list[Button] = [(t.BACK, card_data(card, "bk"))] if card.status is not None else []
    rows.append([*last, (t.CANCEL, card_data(card, "cx"))])
    return rows


def _choice_buttons(card: Card) -> list[list[Button]]:
    """One button per matching application, then a new one, then Cancel."""
    rows = [[(label[:60], card_data(card, "pk", str(choice)))] for choice, label in card.choices]
    rows.append([(t.NEW_ONE, card_data(card, "nw"))])
    rows.append([(t.CANCEL, card_data(card, "cx"))])
    return rows


def _concern(card: Card, today: date) -> tuple[str, list[list[Button]]]:
    """The question about the date, and the ways to answer it."""
    assert card.concern is not None and card.day is not None and card.status is not None
    suggestion = suggested_day(card.concern, card.day, today)
    buttons: list[Button] = []
    if suggestion is not None:
        buttons.append(
            (t.USE_DAY.format(date=short_date(suggestion)), card_data(card, "dy", str(suggestion)))
        )
    if card.concern is DateConcern.APPLIED_IN_FUTURE:
        text = t.CONCERN_FUTURE.format(
            status=t.STATUS_NAMES[card.status].capitalize(), date=long_date(card.day)
        )
        if suggestion != today:
            buttons.append((t.USE_TODAY, card_data(card, "dy", str(today))))
    else:
        text = t.CONCERN_PAST.format(
            event=t.EVENT_NAMES.get(card.status, t.STATUS_NAMES[card.status]),
            date=long_date(card.day),
        )
        buttons.append((t.IT_HAPPENED, card_data(card, "ok")))
    text += t.CONCERN_SUGGEST.format(date=long_date(suggestion)) if suggestion else t.CONCERN_FIX
    rows = [[button] for button in buttons]
    rows.append([(t.FIX_DATE, card_data(card, "da")), (t.CANCEL, card_data(card, "cx"))])
    return text, rows


def render(card: Card, today: date, *, picking: bool = False) -> tuple[str, list[list[Button]]]:
    """The card's text and buttons: a choice of application, of stage, a date question, or
    the card ready to save."""
    body = card_text(card)
    if card.choices:
        return body + t.CARD_PICK_TARGET.format(company=escape(card.company or "")), (
            _choice_buttons(card)
        )
    if card.status is None or picking:
        return body + t.CARD_PICK_STATUS, _status_buttons(card)
    if card.date_in_question:
        text, rows = _concern(card, today)
        return body + text, rows
    return body + t.CARD_FOOTER, _main_buttons(card)
