"""The week-by-week roadmap from today to the deadline: learn → build proof → apply → interview.

Pure and deterministic: the same input always gives the same roadmap. Milestones are
codes (`MilestoneKind`) with the focus item they belong to; the texts package words them.

Rules (choices worth knowing when reading a roadmap):

* Weeks run Monday to Sunday. The first week contains the start day, the last one the
  deadline; a roadmap is at least one week long.
* Phases take about 50 / 25 / 15 / 10 % of the weeks, in order, each at least one week
  (largest-remainder rounding, ties to the earlier phase). With fewer than four weeks,
  phases are dropped, never reordered: build proof first (a portfolio piece does not fit
  in three weeks, getting out of the door does), then interview, then learn:
  3 weeks = learn, apply, interview; 2 = learn, apply; 1 = apply. When learning is
  dropped the top focus item's first step opens the single week, so it is not lost.
* Learn weeks are shared out between focus items in proportion to gap size × importance
  (each item at least one week while there are enough weeks; otherwise neighbouring items
  share a week). An item's block starts with its first step (when it has one); its later
  weeks are "learn", its last week "practice" (hands-on methods — project, volunteering,
  internal move — practise throughout).
* Build-proof weeks go to a proof project for each of the top three items (shared in the
  same proportion); without focus items they get a generic proof project.
* Apply weeks: polish the CV first, then apply and network. Interview weeks: prepare for
  interviews and keep applying.
* With no focus items, learn weeks stay open: the plan may start incomplete and the
  weekly check-in fills it in.
* Hours: every milestone gets at least one hour and a week's milestones add up to exactly
  its capacity, `hours_per_week`, scaled down for the days of a first or last week that
  fall outside the plan (at least one hour). When there are more milestones than hours,
  the later ones in a week's priority order are left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum

MIN_HOURS_PER_WEEK = 1
MAX_HOURS_PER_WEEK = 60
MAX_PROOF_PROJECTS = 3
DAYS_PER_WEEK = 7


class Phase(IntEnum):
    LEARN = 1
    BUILD_PROOF = 2
    APPLY = 3
    INTERVIEW = 4


class Method(StrEnum):
    COURSE = "course"
    PROJECT = "project"
    CERTIFICATE = "certificate"
    MENTOR = "mentor"
    VOLUNTEERING = "volunteering"
    INTERNAL_MOVE = "internal_move"
    OTHER = "other"


class MilestoneKind(StrEnum):
    FIRST_STEP = "first_step"
    LEARN = "learn"
    PRACTICE = "practice"
    BUILD_PROOF = "build_proof"
    POLISH_CV = "polish_cv"
    APPLY = "apply"
    NETWORK = "network"
    INTERVIEW_PREP = "interview_prep"


PHASE_SHARES: dict[Phase, float] = {
    Phase.LEARN: 0.50,
    Phase.BUILD_PROOF: 0.25,
    Phase.APPLY: 0.15,
    Phase.INTERVIEW: 0.10,
}
SHORT_PLANS: dict[int, tuple[Phase, ...]] = {
    1: (Phase.APPLY,),
    2: (Phase.LEARN, Phase.APPLY),
    3: (Phase.LEARN, Phase.APPLY, Phase.INTERVIEW),
}
HANDS_ON_METHODS = frozenset({Method.PROJECT, Method.VOLUNTEERING, Method.INTERNAL_MOVE})
# Relative share of a week's hours; a first step is small and concrete on purpose.
KIND_WEIGHTS: dict[MilestoneKind, int] = {
    MilestoneKind.FIRST_STEP: 1,
    MilestoneKind.LEARN: 3,
    MilestoneKind.PRACTICE: 3,
    MilestoneKind.BUILD_PROOF: 4,
    MilestoneKind.POLISH_CV: 2,
    MilestoneKind.APPLY: 3,
    MilestoneKind.NETWORK: 1,
    MilestoneKind.INTERVIEW_PREP: 3,
}


@dataclass(frozen=True, slots=True)
class FocusItem:
    key: str
    name: str
    method: str
    first_step: str | None
    gap_size: int
    importance: float


@dataclass(frozen=True, slots=True)
class Milestone:
    kind: str
    focus_key: str | None
    focus_name: str | None
    hours: int


@dataclass(frozen=True, slots=True)
class Week:
    index: int
    start: date
    phase: Phase
    milestones: tuple[Milestone, ...]

    @property
    def open(self) -> bool:
        """Nothing planned yet: the weekly check-in will fill it."""
        return not self.milestones

    @property
    def end(self) -> date:
        return self.start + timedelta(days=DAYS_PER_WEEK - 1)

    @property
    def hours(self) -> int:
        return sum(milestone.hours for milestone in self.milestones)


@dataclass(frozen=True, slots=True)
class Roadmap:
    start: date
    deadline: date
    hours_per_week: int
    weeks: tuple[Week, ...]

    @property
    def phases(self) -> tuple[Phase, ...]:
        """The phases present, in order (fewer than four for very short roadmaps)."""
        return tuple(sorted({week.phase for week in self.weeks}))

    def phase_span(self, phase: Phase) -> tuple[date, date] | None:
        """First and last day of a phase, clipped to start…deadline; None when it has no week."""
        weeks = [week for week in self.weeks if week.phase == phase]
        if not weeks:
            return None
        return max(weeks[0].start, self.start), min(weeks[-1].end, self.deadline)

    def week_of(self, day: date) -> Week | None:
        """The roadmap week (Monday–Sunday) containing `day`, or None outside the roadmap."""
        if not self.weeks:
            return None
        index = (day - self.weeks[0].start).days // DAYS_PER_WEEK
        return self.weeks[index] if 0 <= index < len(self.weeks) else None


def build_roadmap(
    *, start: date, deadline: date, hours_per_week: int, focus: Sequence[FocusItem]
) -> Roadmap:
    _check(start=start, deadline=deadline, hours_per_week=hours_per_week)
    mondays = _mondays(start, deadline)
    plan = phase_plan(len(mondays))
    tasks = _tasks_per_week(plan, _by_effort(focus))
    weeks = tuple(
        Week(
            index=index,
            start=monday,
            phase=plan[index],
            milestones=_fit(tasks[index], _capacity(monday, start, deadline, hours_per_week)),
        )
        for index, monday in enumerate(mondays)
    )
    return Roadmap(start=start, deadline=deadline, hours_per_week=hours_per_week, weeks=weeks)


def phase_plan(week_count: int) -> list[Phase]:
    """The phase of each week, for a roadmap of `week_count` weeks."""
    if week_count < 1:
        raise ValueError("a roadmap has at least one week")
    if week_count in SHORT_PLANS:
        return list(SHORT_PLANS[week_count])
    counts = apportion(week_count, list(PHASE_SHARES.values()))
    return [phase for phase, count in zip(PHASE_SHARES, counts, strict=True) for _ in range(count)]


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights`, each part at least 1 (largest remainder).

    Ties go to the earlier weight, so the split is deterministic.
    """
    if not weights or total < len(weights):
        raise ValueError("need at least one unit for each weight")
    weight_sum = sum(weights)
    ideal = [total * weight / weight_sum for weight in weights]
    counts = [max(1, math.floor(share)) for share in ideal]
    positions = range(len(weights))
    while sum(counts) < total:
        grow = max(positions, key=lambda i: (ideal[i] - counts[i], -i))
        counts[grow] += 1
    while sum(counts) > total:
        shrinkable = [i for i in positions if counts[i] > 1]
        shrink = max(shrinkable, key=lambda i: (counts[i] - ideal[i], -i))
        counts[shrink] -= 1
    return counts


# --- weeks and capacity --------------------------------------------------------------


def _check(*, start: date, deadline: date, hours_per_week: int) -> None:
    if deadline < start:
        raise ValueError("the deadline is before the start")
    if not MIN_HOURS_PER_WEEK <= hours_per_week <= MAX_HOURS_PER_WEEK:
        raise ValueError(
            f"hours_per_week must be {MIN_HOURS_PER_WEEK}..{MAX_HOURS_PER_WEEK}, not {hours_per_week}"
        )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _mondays(start: date, deadline: date) -> list[date]:
    first, last = monday_of(start), monday_of(deadline)
    count = (last - first).days // DAYS_PER_WEEK + 1
    return [first + timedelta(weeks=offset) for offset in range(count)]


def _capacity(monday: date, start: date, deadline: date, hours_per_week: int) -> int:
    """Hours available in a week: fewer when the plan starts or ends mid-week."""
    first = max(monday, start)
    last = min(monday + timedelta(days=DAYS_PER_WEEK - 1), deadline)
    days = (last - first).days + 1
    return max(1, math.floor(hours_per_week * days / DAYS_PER_WEEK + 0.5))


# --- what each week asks for ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Task:
    kind: MilestoneKind
    item: FocusItem | None = None


def _effort(item: FocusItem) -> float:
    """Bigger and more important gaps deserve more weeks."""
    size = min(5, max(1, item.gap_size))
    importance = min(5.0, max(1.0, item.importance))
    return size * importance


def _by_effort(focus: Sequence[FocusItem]) -> list[FocusItem]:
    # sorted() is stable: equal efforts keep the caller's order (usually the gap ranking).
    return sorted(focus, key=lambda item: -_effort(item))


def _tasks_per_week(plan: list[Phase], items: list[FocusItem]) -> list[list[_Task]]:
    builders: dict[Phase, Callable[[int, list[FocusItem]], list[list[_Task]]]] = {
        Phase.LEARN: _learn_weeks,
        Phase.BUILD_PROOF: _proof_weeks,
        Phase.APPLY: _apply_weeks,
        Phase.INTERVIEW: _interview_weeks,
    }
    weeks: list[list[_Task]] = []
    for phase in sorted(set(plan)):
        weeks.extend(builders[phase](plan.count(phase), items))
    if Phase.LEARN not in plan and items:
        weeks[0] = _first_steps(items[:1]) + weeks[0]
    return weeks


def _learn_weeks(count: int, items: list[FocusItem]) -> list[list[_Task]]:
    if not items:
        return [[] for _ in range(count)]
    if count < len(items):
        return _shared_learn_weeks(count, items)
    weeks: list[list[_Task]] = []
    for item, block in zip(items, apportion(count, [_effort(i) for i in items]), strict=True):
        for offset in range(block):
            opening = _first_steps([item]) if offset == 0 else []
            weeks.append([*opening, _Task(_learning_kind(item, offset, block), item)])
    return weeks


def _shared_learn_weeks(count: int, items: list[FocusItem]) -> list[list[_Task]]:
    """More items than weeks: neighbours in effort order share a week; first steps go first."""
    weeks: list[list[_Task]] = []
    for week in range(count):
        sharing = [item for j, item in enumerate(items) if j * count // len(items) == week]
        weeks.append(_first_steps(sharing) + [_Task(_learning_kind(i, 0, 1), i) for i in sharing])
    return weeks


def _learning_kind(item: FocusItem, offset: int, block: int) -> MilestoneKind:
    if item.method in HANDS_ON_METHODS or (block >= 2 and offset == block - 1):
        return MilestoneKind.PRACTICE
    return MilestoneKind.LEARN


def _first_steps(items: list[FocusItem]) -> list[_Task]:
    return [
        _Task(MilestoneKind.FIRST_STEP, item)
        for item in items
        if item.first_step and item.first_step.strip()
    ]


def _proof_weeks(count: int, items: list[FocusItem]) -> list[list[_Task]]:
    top = items[: min(count, MAX_PROOF_PROJECTS)]
    if not top:
        return [[_Task(MilestoneKind.BUILD_PROOF)] for _ in range(count)]
    blocks = apportion(count, [_effort(item) for item in top])
    return [
        [_Task(MilestoneKind.BUILD_PROOF, item)]
        for item, block in zip(top, blocks, strict=True)
        for _ in range(block)
    ]


def _apply_weeks(count: int, _items: list[FocusItem]) -> list[list[_Task]]:
    first = [
        _Task(MilestoneKind.POLISH_CV),
        _Task(MilestoneKind.APPLY),
        _Task(MilestoneKind.NETWORK),
    ]
    later = [_Task(MilestoneKind.APPLY), _Task(MilestoneKind.NETWORK)]
    return [first] + [list(later) for _ in range(count - 1)]


def _interview_weeks(count: int, _items: list[FocusItem]) -> list[list[_Task]]:
    return [[_Task(MilestoneKind.INTERVIEW_PREP), _Task(MilestoneKind.APPLY)] for _ in range(count)]


# --- hours ---------------------------------------------------------------------------


def _fit(tasks: list[_Task], capacity: int) -> tuple[Milestone, ...]:
    """The tasks that fit (one hour each at least), sharing exactly `capacity` hours by weight."""
    kept = tasks[:capacity]
    if not kept:
        return ()
    hours = apportion(capacity, [KIND_WEIGHTS[task.kind] for task in kept])
    return tuple(
        Milestone(
            kind=task.kind,
            focus_key=task.item.key if task.item else None,
            focus_name=task.item.name if task.item else None,
            hours=task_hours,
        )
        for task, task_hours in zip(kept, hours, strict=True)
    )
