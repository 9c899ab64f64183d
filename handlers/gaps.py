"""/gaps: the skill-gap audit between the user today and their target job.

1. The job's top requirements and in-demand tools as toggle buttons (one message).
2. Anything else the job needs, in the user's words, each with its area.
3. Each item in turn: the user's level today (0–5), and the level the job needs.
4. The gaps ranked by size × importance, the top five in one line each.

Every answer is a GapItem row written when given. Where the user stands lives in
`context.draft` (persisted user_data), so /cancel, a restart or /gaps again resumes there.
A finished audit opened again shows the list and the ranking, with buttons to change it.
Only the last message the flow sent has live buttons: any other press gets a toast.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import gap_audit, texts
from bot.context import Context
from bot.gap_audit import AuditItem, AuditSummary, Candidate
from bot.gap_ranking import DEFAULT_IMPORTANCE, RankedGap
from bot.occupations import CATALOG, Anchor, OccupationProfile, Requirement
from bot.texts import gaps as t
from handlers.common import (
    Button,
    answer_button,
    button_rows,
    edit_in_place,
    end_flow,
    enter_flow,
    escape,
    flow_fallbacks,
    inline_keyboard,
    pick_a_button,
    reply,
)
from storage.models import GapItem
from storage.repositories.gaps import GapRepository
from storage.repositories.journey import JourneyRepository

STEP = "gaps"
PICKING, ADDING, AREA, CURRENT, REQUIRED, REVIEWING, CHOOSING = range(7)
RESUMABLE = frozenset({PICKING, ADDING, AREA, CURRENT, REQUIRED})
TOP = 5
NAME_IN_LINE = 60  # item names are cut in lists, so 25 items fit in one message
NAME_IN_BUTTON = 40
NAMES_IN_SENTENCE = 6

# Where the user stands, in the persisted draft.
_STATE = "gaps:state"  # the question to resume after /cancel
_MESSAGE = "gaps:message"  # the one message whose buttons are live
_QUEUE = "gaps:queue"  # ids of the items this pass rates
_AT = "gaps:at"  # position in that queue
_ITEM = "gaps:item"  # the own item whose area is asked
_THEN = "gaps:then"  # after the needed level: "current" asks the level today again
_CHOOSE = "gaps:choose"  # what the item chooser is for: "levels" or "remove"
_EDITING = "gaps:editing"  # changing a finished audit: passes end at the review
_PRESELECTED = "gaps:preselected"  # the essentials were ticked once, not on every visit
_PLACE_KEYS = (_STATE, _MESSAGE, _QUEUE, _AT, _ITEM, _THEN, _CHOOSE, _EDITING, _PRESELECTED)


@dataclass(frozen=True, slots=True)
class Target:
    """The job the user aims for: their own words, and its O*NET profile when matched."""

    title: str | None
    profile: OccupationProfile | None

    @property
    def job(self) -> str | None:
        return self.profile.title if self.profile is not None else self.title

    def candidates(self) -> tuple[Candidate, ...]:
        return gap_audit.candidates(self.profile) if self.profile is not None else ()

    def requirement(self, key: str) -> Requirement | None:
        if self.profile is None:
            return None
        return next((r for r in self.profile.requirements if r.element_id == key), None)


# --- small helpers ----------------------------------------------------------------------------


def _user_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None, "every /gaps update has a user"
    return user.id


def _short(name: str, limit: int) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _icon(area: str) -> str:
    return t.AREA_ICONS.get(area, "•")


def _area_name(area: str) -> str:
    return t.AREA_NAMES.get(area, area)


def _draft_int(context: Context, key: str) -> int | None:
    value = context.draft.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _queue(context: Context) -> list[int]:
    value = context.draft.get(_QUEUE)
    return [i for i in value if isinstance(i, int)] if isinstance(value, list) else []


def _editing(context: Context) -> bool:
    return context.draft.get(_EDITING) is True


def _forget_place(context: Context) -> None:
    for key in _PLACE_KEYS:
        context.draft.pop(key, None)


def _as_audit_item(item: GapItem) -> AuditItem:
    return AuditItem(
        id=item.id,
        key=item.key,
        name=item.name,
        area=item.area,
        importance=item.importance,
        current=item.current_level,
        required=item.required_level,
    )


async def _target(context: Context, user_id: int) -> Target:
    async with context.sessions() as session:
        answers = await JourneyRepository(session).answers(user_id=user_id, step="target")
    code = answers.get("occupation")
    profile = None
    if code and code != "none":
        # The catalog reads its data on first use (about a second): off the event loop.
        profile = await asyncio.to_thread(CATALOG.profile, code)
    return Target(title=answers.get("title") or None, profile=profile)


async def _items(context: Context, user_id: int) -> list[GapItem]:
    async with context.sessions() as session:
        return await GapRepository(session).items(user_id=user_id)


async def _item(context: Context, user_id: int, item_id: int | None) -> GapItem | None:
    if item_id is None:
        return None
    async with context.sessions() as session:
        return await GapRepository(session).get(user_id=user_id, item_id=item_id)


async def _send(
    update: Update, context: Context, state: int, text: str, markup: InlineKeyboardMarkup | None
) -> int:
    """Send the flow's next message and make its buttons the live ones."""
    message = await reply(update, text, markup)
    context.draft[_MESSAGE] = message.message_id
    context.draft[_STATE] = state
    return state


async def _is_live(update: Update, context: Context) -> bool:
    """Whether the pressed button is on the flow's latest message; if not, say so in a toast."""
    query = update.callback_query
    assert query is not None
    pressed = query.message.message_id if query.message is not None else None
    if pressed is not None and pressed == _draft_int(context, _MESSAGE):
        return True
    await query.answer(texts.STALE_BUTTON)
    return False


def _pressed(update: Update) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data


def _level_buttons(prefix: str) -> list[Button]:
    return [(label, f"{prefix}{level}") for level, label in enumerate(t.LEVEL_BUTTONS)]


def _pressed_level(update: Update, prefix: str) -> int | None:
    value = _pressed(update).removeprefix(prefix)
    return int(value) if value.isdigit() and 0 <= int(value) <= 5 else None


# --- 1. the job's requirements ----------------------------------------------------------------


async def start_gaps(update: Update, context: Context) -> int:
    """/gaps: the review when finished, else where the user left off, else the start."""
    enter_flow(context, STEP)
    user_id = _user_id(update)
    async with context.sessions() as session:
        finished = await JourneyRepository(session).is_complete(user_id=user_id, step=STEP)
    if finished:
        _forget_place(context)
        return await _show_review(update, context)
    state = _draft_int(context, _STATE)
    if state in RESUMABLE:
        return await _resume(update, context, state)
    target = await _target(context, user_id)
    if target.profile is not None:
        return await _ask_pick(update, context, target)
    intro = t.INTRO_NO_MATCH.format(title=escape(target.title)) if target.title else None
    return await _ask_add(update, context, (intro or t.INTRO_NO_TARGET) + "\n\n", first=True)


async def _resume(update: Update, context: Context, state: int | None) -> int:
    """Ask again the question the user left (its item may have gone since)."""
    if state == CURRENT:
        return await _ask_current(update, context, t.RESUME)
    if state == REQUIRED:
        return await _ask_required(update, context, t.RESUME)
    if state == AREA:
        item = await _item(context, _user_id(update), _draft_int(context, _ITEM))
        if item is not None:
            return await _ask_area(update, context, item, t.RESUME)
    if state == PICKING:
        target = await _target(context, _user_id(update))
        if target.profile is not None:
            return await _ask_pick(update, context, target, t.RESUME)
    return await _ask_add(update, context, t.RESUME)


async def _preselect(context: Context, user_id: int, target: Target) -> None:
    """Tick the essentials the first time the list is shown in a new audit."""
    if context.draft.get(_PRESELECTED) or _editing(context):
        return
    context.draft[_PRESELECTED] = True
    async with context.sessions.begin() as session:
        gaps = GapRepository(session)
        room = gap_audit.MAX_ITEMS - await gaps.count(user_id=user_id)
        for candidate in [c for c in target.candidates() if c.preselected][: max(0, room)]:
            await _add_candidate(gaps, user_id, candidate, context)


async def _add_candidate(
    gaps: GapRepository, user_id: int, candidate: Candidate, context: Context
) -> None:
    await gaps.add(
        user_id=user_id,
        key=candidate.key,
        name=candidate.name,
        area=candidate.area,
        source="onet",
        importance=candidate.importance,
        suggested_level=candidate.required,
        now=context.now(),
    )


def _demand_marked(candidates: Sequence[Candidate]) -> bool:
    """Mark tools in demand only when some are not: a 🔥 on every button says nothing."""
    demand = {c.in_demand for c in candidates if c.area == "tools"}
    return demand == {True, False}


def _pick_keyboard(candidates: Sequence[Candidate], chosen: set[str]) -> InlineKeyboardMarkup:
    marked = _demand_marked(candidates)
    buttons = [
        (
            (t.PICK_SELECTED if candidate.key in chosen else "")
            + f"{_icon(candidate.area)} {_short(candidate.name, NAME_IN_BUTTON)}"
            + (t.IN_DEMAND_MARK if marked and candidate.in_demand else ""),
            f"gap:pick:{index}",
        )
        for index, candidate in enumerate(candidates)
    ]
    rows = button_rows(buttons, 2)
    rows.append([(t.PICK_DONE, "gap:pick:done")])
    return inline_keyboard(rows)


def _pick_text(target: Target) -> str:
    profile = target.profile
    assert profile is not None
    text = t.INTRO.format(title=escape(profile.title))
    if profile.ratings_from is not None:
        lender = profile.ratings_from[1]
        text += t.INTRO_BORROWED.format(title=escape(profile.title), lender=escape(lender))
    candidates = target.candidates()
    text += t.INTRO_LEGEND
    if _demand_marked(candidates):
        return text + t.LEGEND_IN_DEMAND
    if any(c.in_demand for c in candidates):
        return text + t.LEGEND_ALL_IN_DEMAND
    return text


async def _ask_pick(update: Update, context: Context, target: Target, prefix: str = "") -> int:
    assert target.profile is not None
    user_id = _user_id(update)
    await _preselect(context, user_id, target)
    async with context.sessions() as session:
        chosen = await GapRepository(session).keys(user_id=user_id)
    markup = _pick_keyboard(target.candidates(), chosen)
    return await _send(update, context, PICKING, prefix + _pick_text(target), markup)


async def on_pick(update: Update, context: Context) -> int:
    """A tap on the job's list: tick or untick a candidate, or Done."""
    if not await _is_live(update, context):
        return PICKING
    action = _pressed(update).removeprefix("gap:pick:")
    if action == "done":
        await answer_button(update)
        return await _after_pick(update, context)
    user_id = _user_id(update)
    target = await _target(context, user_id)
    candidates = target.candidates()
    index = int(action) if action.isdigit() else -1
    query = update.callback_query
    assert query is not None
    if not 0 <= index < len(candidates):
        await query.answer(texts.STALE_BUTTON)
        return PICKING
    refused = await _toggle(context, user_id, candidates[index])
    await query.answer(refused)
    if refused:
        return PICKING  # nothing changed, and Telegram refuses an edit that changes nothing
    async with context.sessions() as session:
        chosen = await GapRepository(session).keys(user_id=user_id)
    if isinstance(query.message, Message) and query.message.text_html:
        # An older copy of the list may already show the new choice.
        await edit_in_place(update, query.message.text_html, _pick_keyboard(candidates, chosen))
    return PICKING


async def _toggle(context: Context, user_id: int, candidate: Candidate) -> str | None:
    """Add or remove a candidate; when the list is already full, the toast that says so."""
    async with context.sessions.begin() as session:
        gaps = GapRepository(session)
        if candidate.key in await gaps.keys(user_id=user_id):
            await gaps.remove_key(user_id=user_id, key=candidate.key)
        elif await gaps.count(user_id=user_id) >= gap_audit.MAX_ITEMS:
            return t.LIST_FULL.format(limit=gap_audit.MAX_ITEMS)
        else:
            await _add_candidate(gaps, user_id, candidate, context)
    return None


async def _after_pick(update: Update, context: Context) -> int:
    if _editing(context):
        return await _start_rating(update, context)
    return await _ask_add(update, context)


async def skip_pick(update: Update, context: Context) -> int:
    """/skip on the job's list: go on with what is ticked."""
    return await _after_pick(update, context)


async def back_pick(update: Update, context: Context) -> int:
    """/back on the job's list: the review when editing; else it is the first question."""
    if _editing(context):
        return await _show_review(update, context)
    target = await _target(context, _user_id(update))
    if target.profile is None:
        return await _ask_add(update, context)
    return await _ask_pick(update, context, target)


# --- 2. the user's own items ----------------------------------------------------------------


def _examples() -> str:
    return "\n".join(
        t.AREA_EXAMPLE_LINE.format(
            icon=_icon(area), name=t.AREA_HEADINGS[area], examples=t.AREA_EXAMPLES[area]
        )
        for area in gap_audit.AREAS
    )


async def _ask_add(
    update: Update, context: Context, prefix: str = "", *, first: bool = False, text: str = ""
) -> int:
    """Ask for the user's own items (`text` replaces the question after an item is added)."""
    question = text or (t.ASK_ADD_FIRST if first else t.ASK_ADD).format(examples=_examples())
    markup = inline_keyboard([[(t.ADD_DONE, "gap:add:done")]])
    return await _send(update, context, ADDING, prefix + question, markup)


async def on_own_item(update: Update, context: Context) -> int:
    """A typed item: check it, save it, and ask its area."""
    message = update.effective_message
    assert message is not None and message.text is not None
    name = " ".join(message.text.split())
    if len(name) > gap_audit.MAX_NAME_LENGTH:
        await reply(
            update, t.NAME_TOO_LONG.format(length=len(name), limit=gap_audit.MAX_NAME_LENGTH)
        )
        return ADDING
    if not name:
        await reply(update, t.NEED_ONE)
        return ADDING
    user_id = _user_id(update)
    items = await _items(context, user_id)
    if gap_audit.is_duplicate(name, (item.name for item in items)):
        await reply(update, t.NAME_DUPLICATE.format(name=escape(name)))
        return ADDING
    if len(items) >= gap_audit.MAX_ITEMS:
        await reply(update, t.LIST_FULL.format(limit=gap_audit.MAX_ITEMS))
        return ADDING
    async with context.sessions.begin() as session:
        # Saved at once under a likely area; the next answer sets the real one.
        item = await GapRepository(session).add_own(
            user_id=user_id,
            name=name,
            area=gap_audit.guess_area(name) or "technical",
            importance=DEFAULT_IMPORTANCE,
            now=context.now(),
        )
    context.draft[_ITEM] = item.id
    return await _ask_area(update, context, item)


async def _ask_area(update: Update, context: Context, item: GapItem, prefix: str = "") -> int:
    text = prefix + t.ASK_AREA.format(name=escape(item.name))
    guess = gap_audit.guess_area(item.name)
    if guess is not None:
        text += t.ASK_AREA_GUESS.format(area=_area_name(guess))
    buttons = [(t.AREA_BUTTONS[area], f"gap:area:{area}") for area in gap_audit.AREAS]
    return await _send(update, context, AREA, text, inline_keyboard(button_rows(buttons, 2)))


async def on_area(update: Update, context: Context) -> int:
    """The area of the item just typed."""
    if not await _is_live(update, context):
        return AREA
    area = _pressed(update).removeprefix("gap:area:")
    user_id = _user_id(update)
    item = await _item(context, user_id, _draft_int(context, _ITEM))
    query = update.callback_query
    assert query is not None
    if area not in gap_audit.AREAS or item is None:
        await query.answer(texts.STALE_BUTTON if item is not None else t.ITEM_GONE)
        return AREA if item is not None else await _ask_add(update, context)
    await answer_button(update)
    async with context.sessions.begin() as session:
        await GapRepository(session).set_area(
            user_id=user_id, item_id=item.id, area=area, now=context.now()
        )
    return await _item_added(update, context, item.name, area)


async def _item_added(update: Update, context: Context, name: str, area: str) -> int:
    context.draft.pop(_ITEM, None)
    added = t.ADDED.format(name=escape(name), area=_area_name(area))
    return await _ask_add(update, context, text=added)


async def skip_area(update: Update, context: Context) -> int:
    """/skip on the area: keep the likely area and go on."""
    item = await _item(context, _user_id(update), _draft_int(context, _ITEM))
    if item is None:
        return await _ask_add(update, context)
    return await _item_added(update, context, item.name, item.area)


async def back_area(update: Update, context: Context) -> int:
    """/back on the area: undo the item just typed."""
    item_id = _draft_int(context, _ITEM)
    if item_id is not None:
        async with context.sessions.begin() as session:
            await GapRepository(session).remove(user_id=_user_id(update), item_id=item_id)
    context.draft.pop(_ITEM, None)
    return await _ask_add(update, context)


async def on_add_done(update: Update, context: Context) -> int:
    """Done adding: rate the items."""
    if not await _is_live(update, context):
        return ADDING
    if not await _items(context, _user_id(update)):
        query = update.callback_query
        assert query is not None
        await query.answer(t.NEED_ONE_TOAST)
        return ADDING
    await answer_button(update)
    return await _start_rating(update, context)


async def skip_add(update: Update, context: Context) -> int:
    """/skip while adding: the same as Done."""
    if not await _items(context, _user_id(update)):
        await reply(update, t.NEED_ONE)
        return ADDING
    return await _start_rating(update, context)


async def back_add(update: Update, context: Context) -> int:
    """/back while adding: the job's list (or the review when editing)."""
    if _editing(context):
        return await _show_review(update, context)
    target = await _target(context, _user_id(update))
    if target.profile is not None:
        return await _ask_pick(update, context, target)
    return await _ask_add(update, context)


# --- 3. rating each item --------------------------------------------------------------------


async def _start_rating(update: Update, context: Context) -> int:
    """Rate every item that still lacks a level, in list order."""
    items = await _items(context, _user_id(update))
    context.draft[_QUEUE] = [
        item.id for item in items if item.current_level is None or item.required_level is None
    ]
    context.draft[_AT] = 0
    return await _ask_current(update, context)


async def _current_item(update: Update, context: Context) -> GapItem | None:
    """The item at the queue's position, moving past any removed meanwhile."""
    queue = _queue(context)
    at = _draft_int(context, _AT) or 0
    while at < len(queue):
        item = await _item(context, _user_id(update), queue[at])
        if item is not None:
            context.draft[_AT] = at
            return item
        at += 1
    return None


async def _anchors(item: GapItem) -> tuple[tuple[int, str], ...]:
    """What a few levels look like: O*NET's anchors for its elements, ours for the rest."""
    if item.source == "onet" and not item.key.startswith("tech:"):
        found: tuple[Anchor, ...] = await asyncio.to_thread(CATALOG.anchors, item.key)
        if found:
            return tuple((anchor.level_0_5, anchor.description) for anchor in found)
    return t.GENERIC_ANCHORS.get(item.area, t.GENERIC_ANCHORS["default"])


def _needs_line(item: GapItem) -> str:
    if item.required_level is None:
        return ""
    if item.source == "own" or item.required_level != item.suggested_level:
        return t.RATE_NEEDS_OWN.format(level=item.required_level)
    importance = t.IMPORTANCE[gap_audit.importance_band(item.importance)]
    needs = t.RATE_NEEDS_TOOL if item.area == "tools" else t.RATE_NEEDS
    return needs.format(level=item.required_level, importance=importance)


async def _rating_text(context: Context, item: GapItem, number: int, total: int) -> str:
    text = t.RATE_HEADER.format(
        number=number,
        total=total,
        icon=_icon(item.area),
        name=escape(item.name),
        area=_area_name(item.area),
    )
    requirement = (await _target(context, item.user_id)).requirement(item.key)
    if requirement is not None and requirement.description:
        text += t.RATE_DESCRIPTION.format(description=escape(requirement.description))
    text += _needs_line(item)
    lines = "\n".join(
        t.RATE_ANCHOR_LINE.format(level=level, description=escape(description))
        for level, description in await _anchors(item)
    )
    return text + t.RATE_ANCHORS.format(lines=lines) + t.RATE_ASK + t.RATE_HINT


async def _ask_current(update: Update, context: Context, prefix: str = "") -> int:
    item = await _current_item(update, context)
    if item is None:
        return await _end_pass(update, context)
    at = _draft_int(context, _AT) or 0
    text = await _rating_text(context, item, at + 1, len(_queue(context)))
    rows = [_level_buttons("gap:cur:")]
    if item.source != "own":
        rows.append([(t.CHANGE_NEEDED, "gap:need")])
    return await _send(update, context, CURRENT, prefix + text, inline_keyboard(rows))


async def _next_item(update: Update, context: Context) -> int:
    context.draft[_AT] = (_draft_int(context, _AT) or 0) + 1
    return await _ask_current(update, context)


async def on_current(update: Update, context: Context) -> int:
    """The user's level today; own items then ask what the job needs."""
    if not await _is_live(update, context):
        return CURRENT
    level = _pressed_level(update, "gap:cur:")
    item = await _current_item(update, context)
    if level is None or item is None:
        return await _gone(update, context)
    await answer_button(update)
    async with context.sessions.begin() as session:
        await GapRepository(session).set_current(
            user_id=item.user_id, item_id=item.id, level=level, now=context.now()
        )
    if item.source == "own":
        context.draft[_THEN] = "next"
        return await _ask_required(update, context)
    return await _next_item(update, context)


async def _gone(update: Update, context: Context) -> int:
    """A press about an item that is no longer there: say so and go on."""
    query = update.callback_query
    assert query is not None
    await query.answer(t.ITEM_GONE)
    return await _ask_current(update, context)


async def on_change_needed(update: Update, context: Context) -> int:
    """ "Change what's needed": set the job's level, then rate yourself."""
    if not await _is_live(update, context):
        return CURRENT
    if await _current_item(update, context) is None:
        return await _gone(update, context)
    await answer_button(update)
    context.draft[_THEN] = "current"
    return await _ask_required(update, context)


async def _ask_required(update: Update, context: Context, prefix: str = "") -> int:
    item = await _current_item(update, context)
    if item is None:
        return await _end_pass(update, context)
    name, icon = escape(item.name), _icon(item.area)
    if item.source == "own":
        text = t.ASK_REQUIRED_OWN.format(icon=icon, name=name) + _needs_line(item)
    else:
        text = t.ASK_REQUIRED.format(icon=icon, name=name, level=item.suggested_level)
    markup = inline_keyboard([_level_buttons("gap:req:")])
    return await _send(update, context, REQUIRED, prefix + text + t.ASK_REQUIRED_HINT, markup)


async def on_required(update: Update, context: Context) -> int:
    """The level the job needs, set by the user."""
    if not await _is_live(update, context):
        return REQUIRED
    level = _pressed_level(update, "gap:req:")
    item = await _current_item(update, context)
    if level is None or item is None:
        return await _gone(update, context)
    await answer_button(update)
    async with context.sessions.begin() as session:
        await GapRepository(session).set_required(
            user_id=item.user_id, item_id=item.id, level=level, now=context.now()
        )
    return await _after_required(update, context)


async def _after_required(update: Update, context: Context) -> int:
    if context.draft.pop(_THEN, None) == "current":
        return await _ask_current(update, context)
    return await _next_item(update, context)


async def skip_current(update: Update, context: Context) -> int:
    """/skip: leave this item unrated and go on."""
    return await _next_item(update, context)


async def skip_required(update: Update, context: Context) -> int:
    """/skip on the needed level: keep it as it is."""
    return await _after_required(update, context)


async def back_current(update: Update, context: Context) -> int:
    """/back: the previous item (or, before the first, the previous question)."""
    at = _draft_int(context, _AT) or 0
    if at > 0:
        context.draft[_AT] = at - 1
        return await _ask_current(update, context)
    if _editing(context):
        return await _show_review(update, context)
    return await _ask_add(update, context)


async def back_required(update: Update, context: Context) -> int:
    """/back on the needed level: rate yourself on this item again."""
    context.draft.pop(_THEN, None)
    return await _ask_current(update, context)


async def _end_pass(update: Update, context: Context) -> int:
    context.draft.pop(_QUEUE, None)
    context.draft.pop(_AT, None)
    if _editing(context):
        return await _show_review(update, context)
    return await _finish(update, context)


# --- 4. the result -------------------------------------------------------------------------


def _gap_line(gap: RankedGap) -> str:
    return t.RESULT_LINE.format(
        rank=gap.rank,
        icon=_icon(gap.item.area),
        name=escape(_short(gap.item.name, NAME_IN_LINE)),
        current=gap.item.current,
        required=gap.item.required,
        importance=t.IMPORTANCE[gap_audit.importance_band(gap.item.importance)],
    )


def _names(items: Sequence[AuditItem]) -> str:
    shown = ", ".join(
        escape(_short(item.name, NAME_IN_BUTTON)) for item in items[:NAMES_IN_SENTENCE]
    )
    hidden = len(items) - NAMES_IN_SENTENCE
    return shown + (t.RESULT_MORE_NAMES.format(count=hidden) if hidden > 0 else "")


def _result_text(summary: AuditSummary, job: str | None) -> str:
    lines = [t.RESULT_HEADER.format(title=escape(job)) if job else t.RESULT_HEADER_NO_TITLE]
    lines += [_gap_line(gap) for gap in summary.ranked[:TOP]]
    text = "\n".join(lines)
    hidden = len(summary.ranked) - TOP
    if hidden > 0:
        text += t.RESULT_MORE.format(count=hidden, plural="" if hidden == 1 else "s")
    if not summary.ranked:
        text += t.RESULT_NONE if summary.met else t.RESULT_NOTHING_RATED
    if summary.met and summary.ranked:
        text += "\n" + t.RESULT_MET.format(names=_names(summary.met))
    if summary.unrated:
        text += t.RESULT_UNRATED.format(names=_names(summary.unrated))
    return text + t.RESULT_NEXT


async def _finish(update: Update, context: Context) -> int:
    user_id = _user_id(update)
    items = await _items(context, user_id)
    target = await _target(context, user_id)
    async with context.sessions.begin() as session:
        await JourneyRepository(session).complete(user_id=user_id, step=STEP, now=context.now())
    summary = gap_audit.summarise(_as_audit_item(item) for item in items)
    await reply(update, _result_text(summary, target.job))
    _forget_place(context)
    return end_flow(context)


# --- editing a finished audit ------------------------------------------------------------------


def _level(level: int | None) -> str:
    return t.REVIEW_UNRATED if level is None else t.REVIEW_LEVEL.format(level=level)


def _review_text(items: Sequence[GapItem], job: str | None) -> str:
    header = t.REVIEW_HEADER.format(job=t.REVIEW_JOB.format(title=escape(job)) if job else "")
    lines = [
        t.REVIEW_LINE.format(
            number=number,
            icon=_icon(item.area),
            name=escape(_short(item.name, NAME_IN_LINE)),
            current=_level(item.current_level),
            required=_level(item.required_level),
        )
        for number, item in enumerate(items, 1)
    ]
    text = header + ("\n".join(lines) if lines else t.REVIEW_EMPTY)
    ranked = gap_audit.summarise(_as_audit_item(item) for item in items).ranked
    if ranked:
        text += "\n" + t.REVIEW_TOP.format(lines="\n".join(_gap_line(g) for g in ranked[:TOP]))
    return text + t.REVIEW_FOOTER


async def _show_review(update: Update, context: Context, prefix: str = "") -> int:
    user_id = _user_id(update)
    items = await _items(context, user_id)
    target = await _target(context, user_id)
    for key in (_QUEUE, _AT, _ITEM, _THEN, _CHOOSE):
        context.draft.pop(key, None)
    context.draft[_EDITING] = True
    rows: list[list[Button]] = [
        [(t.REVIEW_LEVELS, "gap:rv:levels"), (t.REVIEW_ADD, "gap:rv:add")],
        [(t.REVIEW_REMOVE, "gap:rv:remove")],
    ]
    if target.profile is not None:
        rows[1].append((t.REVIEW_REPICK, "gap:rv:repick"))
    rows.append([(t.REVIEW_KEEP, "gap:rv:keep")])
    text = prefix + _review_text(items, target.job)
    return await _send(update, context, REVIEWING, text, inline_keyboard(rows))


async def on_review(update: Update, context: Context) -> int:
    """A button under the review: change levels, add, remove, re-pick, or keep all."""
    if not await _is_live(update, context):
        return REVIEWING
    action = _pressed(update).removeprefix("gap:rv:")
    await answer_button(update)
    if action == "keep":
        return await _finish(update, context)
    if action in ("levels", "remove"):
        return await _ask_choose(update, context, action)
    if action == "add":
        return await _ask_add(update, context)
    target = await _target(context, _user_id(update))
    if target.profile is None:
        return await _show_review(update, context)
    return await _ask_pick(update, context, target)


async def _ask_choose(update: Update, context: Context, purpose: str) -> int:
    items = await _items(context, _user_id(update))
    if not items:
        return await _show_review(update, context, t.CHOOSE_NOTHING + "\n\n")
    context.draft[_CHOOSE] = purpose
    buttons = [
        (
            f"{_icon(item.area)} {_short(item.name, NAME_IN_BUTTON)}"
            f" · {_level(item.current_level)}→{_level(item.required_level)}",
            f"gap:ch:{item.id}",
        )
        for item in items
    ]
    rows = [[button] for button in buttons]
    rows.append([(t.CHOOSE_BACK, "gap:ch:back")])
    question = t.CHOOSE_LEVELS if purpose == "levels" else t.CHOOSE_REMOVE
    return await _send(update, context, CHOOSING, question, inline_keyboard(rows))


async def on_choose(update: Update, context: Context) -> int:
    """The item to re-rate or remove (or Back to the review)."""
    if not await _is_live(update, context):
        return CHOOSING
    choice = _pressed(update).removeprefix("gap:ch:")
    user_id = _user_id(update)
    item = await _item(context, user_id, int(choice) if choice.isdigit() else None)
    if choice != "back" and item is None:
        query = update.callback_query
        assert query is not None
        await query.answer(t.ITEM_GONE)
        return CHOOSING
    await answer_button(update)
    if item is None:
        return await _show_review(update, context)
    if context.draft.get(_CHOOSE) == "remove":
        async with context.sessions.begin() as session:
            await GapRepository(session).remove(user_id=user_id, item_id=item.id)
        return await _show_review(update, context, t.REMOVED.format(name=escape(item.name)))
    context.draft[_QUEUE] = [item.id]
    context.draft[_AT] = 0
    return await _ask_current(update, context)


async def back_choose(update: Update, context: Context) -> int:
    """/back in the item chooser: the review."""
    return await _show_review(update, context)


async def stale_button(update: Update, context: Context) -> None:
    """A /gaps button from a message this question does not own: a toast, nothing else."""
    query = update.callback_query
    assert query is not None
    await query.answer(texts.STALE_BUTTON)


# --- wiring ------------------------------------------------------------------------------------


def _buttons_only(
    *handlers: BaseHandler[Update, Context, object],
) -> list[BaseHandler[Update, Context, object]]:
    """A state answered by buttons: typed text gets "tap a button", old buttons a toast."""
    return [
        *handlers,
        CallbackQueryHandler(stale_button, pattern=r"^gap:"),
        MessageHandler(filters.TEXT & ~filters.COMMAND, pick_a_button),
    ]


def build_gaps_conversation() -> ConversationHandler[Context]:
    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[CommandHandler(STEP, start_gaps)],
        states={
            PICKING: _buttons_only(
                CallbackQueryHandler(on_pick, pattern=r"^gap:pick:(\d+|done)$"),
                CommandHandler("skip", skip_pick),
                CommandHandler("back", back_pick),
            ),
            ADDING: [
                MessageHandler(text, on_own_item),
                CallbackQueryHandler(on_add_done, pattern=r"^gap:add:done$"),
                CommandHandler("skip", skip_add),
                CommandHandler("back", back_add),
                CallbackQueryHandler(stale_button, pattern=r"^gap:"),
            ],
            AREA: _buttons_only(
                CallbackQueryHandler(on_area, pattern=r"^gap:area:\w+$"),
                CommandHandler("skip", skip_area),
                CommandHandler("back", back_area),
            ),
            CURRENT: _buttons_only(
                CallbackQueryHandler(on_current, pattern=r"^gap:cur:\d$"),
                CallbackQueryHandler(on_change_needed, pattern=r"^gap:need$"),
                CommandHandler("skip", skip_current),
                CommandHandler("back", back_current),
            ),
            REQUIRED: _buttons_only(
                CallbackQueryHandler(on_required, pattern=r"^gap:req:\d$"),
                CommandHandler("skip", skip_required),
                CommandHandler("back", back_required),
            ),
            REVIEWING: _buttons_only(
                CallbackQueryHandler(
                    on_review, pattern=r"^gap:rv:(levels|add|remove|repick|keep)$"
                ),
                CommandHandler(["skip", "back"], pick_a_button),
            ),
            CHOOSING: _buttons_only(
                CallbackQueryHandler(on_choose, pattern=r"^gap:ch:(\d+|back)$"),
                CommandHandler("back", back_choose),
                CommandHandler("skip", pick_a_button),
            ),
        },
        fallbacks=flow_fallbacks(STEP),
        name=STEP,
        persistent=True,
        allow_reentry=True,
    )
