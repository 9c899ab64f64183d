"""How /apps looks: a page of the pipeline grouped by stage, one application's card, and
their buttons, whose data carry the application's id and the page to come back to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.application_status import Status
from bot.texts import applications as t
from handlers.application_views import PIPELINE, UserClock, day_and_time, is_id, stage, what
from handlers.common import Button, button_rows, escape, short_date
from storage.models import Application, ApplicationEvent, ApplicationNote

PAGE_SIZE = 8
_RANK = {status: rank for rank, status in enumerate(PIPELINE)}


@dataclass(frozen=True, slots=True)
class Pressed:
    """A /apps button: what to do, to which application, from which page, and an argument."""

    action: str
    application_id: int
    page: int
    arg: str = ""


def parse_pressed(data: str) -> Pressed | None:
    """ "ap:<action>:<id>:<page>[:<arg>]" (the list: "ap:l:0:<page>"); None if malformed."""
    parts = data.split(":")
    if len(parts) < 4 or parts[0] != "ap" or not all(is_id(p) for p in parts[2:4]):
        return None
    return Pressed(parts[1], int(parts[2]), int(parts[3]), ":".join(parts[4:]))


def apps_data(action: str, application_id: int, page: int, arg: str = "") -> str:
    """Callback data of a /apps button (well under 64 bytes)."""
    return f"ap:{action}:{application_id}:{page}" + (f":{arg}" if arg else "")


def _ordered(applications: list[Application]) -> list[Application]:
    """Stage by stage in pipeline order; the most recent first within a stage."""
    return sorted(applications, key=lambda a: _RANK.get(Status(a.status), len(_RANK)))


def list_view(applications: list[Application], page: int) -> tuple[str, list[list[Button]]]:
    """One page of the pipeline: counts, then the applications grouped by stage."""
    if not applications:
        return t.APPS_EMPTY, []
    ordered = _ordered(applications)
    pages = (len(ordered) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    counts = Counter(Status(a.status) for a in ordered)
    lines = [t.APPS_HEADER.format(total=len(ordered))]
    if len(counts) > 1:
        summary = [
            t.APPS_COUNT.format(status=t.STATUS_LABELS[s], count=counts[s])
            for s in PIPELINE
            if counts[s]
        ]
        lines.append(t.APPS_COUNTS.format(counts=" · ".join(summary)))
    buttons: list[Button] = []
    shown_group: Status | None = None
    first = page * PAGE_SIZE
    for number, application in enumerate(ordered[first : first + PAGE_SIZE], first + 1):
        status = Status(application.status)
        if status is not shown_group:
            lines.append(t.APPS_GROUP.format(status=t.STATUS_LABELS[status], count=counts[status]))
            shown_group = status
        lines.append(_list_line(number, application))
        label = t.APPS_ITEM_BUTTON.format(number=number, company=application.company[:24])
        buttons.append((label, apps_data("o", application.id, page)))
    footer = t.APPS_FOOTER_PAGED.format(page=page + 1, pages=pages) if pages > 1 else t.APPS_FOOTER
    rows = button_rows(buttons, 2)
    paging: list[Button] = []
    if page > 0:
        paging.append((t.PREVIOUS_PAGE, apps_data("l", 0, page - 1)))
    if page < pages - 1:
        paging.append((t.NEXT_PAGE, apps_data("l", 0, page + 1)))
    if paging:
        rows.append(paging)
    return "\n".join(lines) + "\n" + footer, rows


def _list_line(number: int, application: Application) -> str:
    """One application in the list."""
    name = what(application.company, application.role)
    day = short_date(application.status_on)
    if application.status == Status.INTERVIEW and application.interview_rounds >= 2:
        return t.APPS_ITEM_ROUND.format(
            number=number, what=name, round=application.interview_rounds, day=day
        )
    return t.APPS_ITEM.format(number=number, what=name, day=day)


@dataclass(frozen=True, slots=True)
class Details:
    application: Application
    history: list[ApplicationEvent]
    notes: list[ApplicationNote]


def card_text(details: Details, clock: UserClock) -> str:
    """Company, role, stage, the next interview, stages with dates, notes, contacts, link."""
    application = details.application
    status = Status(application.status)
    lines = [
        f"<b>{what(application.company, application.role)}</b>",
        t.APP_STATUS_LINE.format(
            status=stage(status, application.interview_rounds),
            day=short_date(application.status_on),
        ),
    ]
    if application.next_event_at is not None and application.next_event_at > clock.now:
        local = application.next_event_at.astimezone(clock.local.tzinfo)
        moment = day_and_time(local.date(), local.time().replace(second=0, microsecond=0))
        lines.append(t.APP_NEXT_EVENT.format(moment=moment))
    if application.url:
        lines.append(t.CARD_LINK.format(url=escape(application.url)))
    lines.append(t.APP_HISTORY)
    lines += [
        t.APP_HISTORY_ITEM.format(
            day=short_date(event.happened_on),
            status=stage(Status(event.status), event.round or 0),
        )
        for event in details.history
    ]
    notes = [note for note in details.notes if note.kind == "note"]
    contacts = [note for note in details.notes if note.kind != "note"]
    if notes:
        lines.append(t.APP_NOTES)
        lines += [t.APP_NOTE_ITEM.format(text=escape(note.text)) for note in notes]
    if contacts:
        lines.append(t.APP_CONTACTS)
        lines += [_contact_line(note) for note in contacts]
    return "\n".join(lines)


def _contact_line(note: ApplicationNote) -> str:
    """ "Jane Doe (recruiter): jane@stripe.com"."""
    line = t.APP_CONTACT_ITEM.format(
        name=escape(note.text), kind=t.CONTACT_KINDS.get(note.kind, note.kind)
    )
    return line + (t.APP_CONTACT_REACH.format(reach=escape(note.reach)) if note.reach else "")


def card_buttons(application_id: int, page: int) -> list[list[Button]]:
    """The card's actions: stage, note, contact, delete, back to the list."""
    return [
        [(t.CHANGE_STATUS, apps_data("s", application_id, page))],
        [
            (t.ADD_NOTE, apps_data("n", application_id, page)),
            (t.ADD_CONTACT, apps_data("k", application_id, page)),
        ],
        [(t.DELETE, apps_data("d", application_id, page)), (t.ALL_APPS, apps_data("l", 0, page))],
    ]


def status_buttons(application: Application, page: int) -> list[list[Button]]:
    """The stages to move to (the current one left out, except another interview)."""
    current = Status(application.status)
    shown = [s for s in PIPELINE if s is not current or s is Status.INTERVIEW]
    buttons = [(t.STATUS_LABELS[s], apps_data("S", application.id, page, s.value)) for s in shown]
    rows = button_rows(buttons, 3)
    rows.append([(t.BACK, apps_data("o", application.id, page))])
    return rows


def contact_buttons(application_id: int, page: int) -> list[list[Button]]:
    """Recruiter or referral."""
    return [
        [
            (t.RECRUITER, apps_data("K", application_id, page, "r")),
            (t.REFERRAL, apps_data("K", application_id, page, "f")),
        ],
        [(t.BACK, apps_data("o", application_id, page))],
    ]


def delete_buttons(application_id: int, page: int) -> list[list[Button]]:
    """Confirm or keep."""
    return [
        [(t.DELETE_YES, apps_data("D", application_id, page))],
        [(t.DELETE_NO, apps_data("o", application_id, page))],
    ]
