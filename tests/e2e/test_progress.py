"""/progress as a user in Paris sees it — empty, half-filled and busy — and the two summary
lines that close a weekly check-in. Data is seeded through the repositories and the
application planning the bot itself uses; the clock starts on Sunday 22 November 2026."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta

from bot.application_status import Status
from botapi_stub.models import BotMessage
from storage.models import CheckinState
from storage.repositories.checkins import CheckinRepository
from storage.repositories.journey import JourneyRepository
from storage.repositories.plans import MilestoneRepository, NewMilestone, PlanRepository
from tests.e2e.test_followups import apply, change_status, sessions
from tests.harness import BotHarness, ChatUser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TODAY = date(2026, 11, 22)  # Sunday, ISO week 47
THIS_MONDAY = date(2026, 11, 16)
DEADLINE = TODAY + timedelta(days=38)  # Wednesday 30 December 2026


def photos(harness: BotHarness, user: ChatUser) -> list[BotMessage]:
    return [m for m in harness.stub.messages(user.user_id) if m.kind == "photo"]


def png_size(content: bytes) -> tuple[int, int]:
    assert content.startswith(PNG_SIGNATURE), content[:16]
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


async def seed_checkins(
    harness: BotHarness, user: ChatUser, answered: dict[str, int], missed: tuple[str, ...] = ()
) -> None:
    """Answered weeks (period → confidence), each answered on its Monday, and missed ones."""
    async with sessions(harness).begin() as session:
        checkins = CheckinRepository(session)
        for period in missed:
            row = await checkins.open(user_id=user.user_id, period=period, prompted_at=None)
            row.state = CheckinState.MISSED
        for period, confidence in answered.items():
            year, week = period.split("-W")
            monday = date.fromisocalendar(int(year), int(week), 1)
            await checkins.open(user_id=user.user_id, period=period, prompted_at=noon(monday))
            await checkins.save_confidence(
                user_id=user.user_id, period=period, confidence=confidence, now=noon(monday)
            )


async def seed_plan(harness: BotHarness, user: ChatUser, *, done: int, planned: int) -> None:
    """A plan built six weeks ago to DEADLINE: `done` milestones in the past weeks, then
    `planned` ones from this week on (this week's in the build-proof phase)."""
    built = noon(THIS_MONDAY - timedelta(weeks=6))
    async with sessions(harness).begin() as session:
        plans = PlanRepository(session)
        await plans.save_deadline(
            user_id=user.user_id, deadline=DEADLINE, text="end of December", now=built
        )
        await plans.save_hours(user_id=user.user_id, hours=6, now=built)
        await plans.mark_built(user_id=user.user_id, now=built)
        weeks = [THIS_MONDAY - timedelta(weeks=6 - n % 6) for n in range(done)]
        weeks += [THIS_MONDAY + timedelta(weeks=n % 6) for n in range(planned)]
        rows = await MilestoneRepository(session).replace_planned(
            user_id=user.user_id,
            milestones=[
                NewMilestone(week, 1 if week < THIS_MONDAY else 2, "learn", None, "SQL", 2)
                for week in weeks
            ],
        )
        for row in rows[:done]:
            await MilestoneRepository(session).mark_done(
                user_id=user.user_id, milestone_id=row.id, now=built
            )


async def seed_applications(harness: BotHarness, user: ChatUser) -> None:
    """Twelve sent on 1 November; three screened, one of those interviewed; three rejected
    with no call-back (a pattern: have the CV reviewed)."""
    ids = [
        await apply(harness, user, company=f"Company {n}", on=date(2026, 11, 1))
        for n in range(1, 13)
    ]
    for app_id in ids[:3]:
        await change_status(harness, user, app_id, Status.SCREENING, on=date(2026, 11, 5))
    await change_status(harness, user, ids[2], Status.INTERVIEW, on=date(2026, 11, 9))
    for app_id in ids[3:6]:
        await change_status(harness, user, app_id, Status.REJECTED, on=date(2026, 11, 10))


async def save_reviewer(harness: BotHarness, user: ChatUser, who: str) -> None:
    async with sessions(harness).begin() as session:
        await JourneyRepository(session).save(
            user_id=user.user_id, step="team", key="reviewer_who", value=who, now=noon(TODAY)
        )


async def test_progress_empty_account_is_kind_points_at_next_and_sends_no_picture(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send("/progress")
    answer = await ada.expect("Your progress", "Nothing to measure yet", "/next")
    assert answer.buttons == []
    await ada.settle()
    assert photos(harness, ada) == []


async def test_progress_busy_shows_every_number_and_a_phone_sized_picture(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await seed_checkins(
        harness,
        ada,
        {"2026-W44": 2, "2026-W45": 3, "2026-W46": 4, "2026-W47": 4},
        missed=("2026-W43",),
    )
    await seed_plan(harness, ada, done=6, planned=4)
    await seed_applications(harness, ada)
    await save_reviewer(harness, ada, "Maria <HR> & Co")
    # Someone else's data never shows in Ada's numbers.
    bob = await harness.onboard("Bob")
    for n in range(5):
        await apply(harness, bob, company=f"Bob's {n}", on=date(2026, 11, 2))
    await seed_checkins(harness, bob, {"2026-W45": 1})

    await ada.send("/progress")
    text = await ada.expect("📈 Your progress · Sunday 22 November 2026")
    for fragment in (
        "Check-ins",
        "🔥 4-week streak · 4 weeks answered, 1 missed",
        "💪 Confidence, last 4 weeks: 2 → 3 → 4 → 4 · rising ↗",
        "Roadmap",
        "🗺 6 of 10 milestones done · now: 🏗 Build proof",
        "⏳ 38 days to your deadline, Wednesday 30 December 2026",
        "Applications",
        "📨 Applied 12 → screening 3 (25%) → interview 1 (33%) → offer 0 (0%)",
        "❌ 3 rejections: 3 with no call-back",
        "3 of 3 rejections came with no call-back",
        "Maria <HR> & Co",  # the stub rejects unescaped HTML, so this arrived escaped
    ):
        assert fragment in text, fragment
    assert "overdue" not in text
    assert "retrospective" not in text  # four weeks in, an interview came: none due
    caption = await ada.expect("Your progress at a glance")
    (photo,) = photos(harness, ada)
    assert photo.message_id == caption.message_id
    assert photo.content is not None
    assert png_size(photo.content) == (1080, 1350)

    await bob.send("/progress")
    bobs = await bob.expect("Your progress")
    assert "Applied 5 → screening 0 (0%)" in bobs
    assert "1-week streak" in bobs
    assert "Maria" not in bobs


async def test_progress_half_filled_account_gets_the_picture_and_says_what_is_missing(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await seed_checkins(harness, ada, {"2026-W47": 3})
    await ada.send("/progress")
    text = await ada.expect("🔥 1-week streak · 1 week answered")
    assert "💪 Confidence: 3" in text
    assert "No roadmap yet — /plan" in text
    assert "None logged yet" in text
    await ada.expect("Your progress at a glance")
    (photo,) = photos(harness, ada)
    assert photo.content is not None and png_size(photo.content) == (1080, 1350)


async def test_progress_names_overdue_milestones_and_a_passed_deadline(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await seed_plan(harness, ada, done=1, planned=3)
    async with sessions(harness).begin() as session:
        rows = await MilestoneRepository(session).for_user(user_id=ada.user_id)
        for row in rows[1:3]:
            row.week_start = THIS_MONDAY - timedelta(weeks=2)  # left behind
    await ada.send("/progress")
    await ada.expect("1 of 4 milestones done", "⚠️ 2 milestones overdue")
    harness.clock.now += timedelta(days=45)
    await ada.send("/progress")
    await ada.expect("Your deadline, Wednesday 30 December 2026, has passed — /plan")


async def test_progress_in_the_middle_of_a_checkin_answers_without_leaving_it(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send("/checkin")
    await ada.expect("1/5")
    await ada.send("/progress")
    await ada.expect("Nothing to measure yet")
    await ada.send("Read two job postings")
    await ada.expect("2/5")


async def test_checkin_closes_with_two_summary_lines(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await seed_checkins(harness, ada, {"2026-W45": 3, "2026-W46": 4}, missed=("2026-W44",))
    await seed_plan(harness, ada, done=6, planned=4)
    await seed_applications(harness, ada)
    await ada.send("/checkin")
    for answer in ("Finished module 3", "/skip", "Mornings work", "Apply to two roles"):
        await ada.send(answer)
    await ada.press("4")
    done = await ada.expect("Check-in saved", "3 weeks in a row")
    # The commitment joined next week's roadmap: one milestone more.
    assert "📅 3/4 weeks checked in · 🗺 6/11 milestones · ⏳ 38 days to go" in done
    assert "📨 12 applied → 3 screens → 1 interview" in done


async def test_checkin_summary_of_a_first_checkin_is_one_line(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/checkin")
    for answer in ("Read about the job", "/skip", "/skip", "Talk to one analyst"):
        await ada.send(answer)
    await ada.press("3")
    done = await ada.expect("Check-in saved")
    assert "📅 1/1 weeks checked in" in done
    assert "🗺" not in done and "📨" not in done
