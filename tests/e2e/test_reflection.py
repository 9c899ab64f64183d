"""The reflection after a rejection — the next morning, answered, resumed after a restart —
and /reflections, as a user in Paris lives them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.application_status import Status
from storage.models import Reflection
from storage.repositories.applications import ApplicationRepository
from storage.repositories.journey import JourneyRepository
from storage.repositories.reflections import ReflectionRepository
from tests.e2e.test_followups import (
    apply,
    at_utc,
    change_status,
    dispatch_at,
    last_message_id,
    pending,
    save_why,
    sessions,
)
from tests.harness import BotHarness, ChatUser, bot_harness

REJECTED_ON = date(2026, 11, 22)  # the harness clock starts then, at 12:00 UTC
NEXT_MORNING = at_utc(date(2026, 11, 23), 8)  # 09:00 in Paris
WHY = "I want my work to <matter> to patients"


async def reflections(harness: BotHarness, user: ChatUser) -> list[Reflection]:
    async with sessions(harness)() as session:
        rows = await session.scalars(select(Reflection).where(Reflection.user_id == user.user_id))
        return list(rows)


async def reject(harness: BotHarness, user: ChatUser, company: str, applied: date) -> int:
    """An application sent on `applied` and rejected today (by the harness clock)."""
    application_id = await apply(harness, user, company=company, role="Product Analyst", on=applied)
    await change_status(harness, user, application_id, Status.REJECTED, on=harness.clock.now.date())
    return application_id


async def rejected_earlier(harness: BotHarness, user: ChatUser, *companies: str) -> None:
    """Rejections from earlier in the month, nine days after applying, with no call-back."""
    today = harness.clock.now
    harness.clock.now = at_utc(date(2026, 11, 10), 12)
    for company in companies:
        await reject(harness, user, company, applied=date(2026, 11, 1))
    harness.clock.now = today


async def test_rejection_reflection_next_morning_answered_fully_shows_the_pattern(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await save_why(harness, ada, WHY)
    async with sessions(harness).begin() as session:
        await JourneyRepository(session).save(
            user_id=ada.user_id,
            step="team",
            key="reviewer_who",
            value="Maria <HR>",
            now=NEXT_MORNING,
        )
    await rejected_earlier(harness, ada, "Initech", "Umbrella")
    globex = await reject(harness, ada, "Globex & Sons", applied=date(2026, 11, 12))
    assert ("app_reflection", NEXT_MORNING) in await pending(harness, ada)

    await dispatch_at(harness, NEXT_MORNING - timedelta(seconds=1))
    assert [r for r in await ada.settle() if "said no" in r] == []
    await dispatch_at(harness, NEXT_MORNING + timedelta(seconds=5))
    prompt = await ada.expect("Hi Ada. I saw that", "Globex & Sons", "said no", WHY)
    assert prompt.buttons == ["📝 Let's reflect", "Not now"]

    await ada.press("Let's reflect")
    stage = await ada.expect("1/5", "Reflecting on Globex & Sons", "At which stage")
    assert stage.buttons == [
        "📭 No call-back",
        "📞 After screening",
        "🗣 After interview round 1",
        "🏁 After the final round",
    ]
    await ada.press("After screening")
    await ada.expect("2/5", "What feedback came")
    await ada.send("/back")
    await ada.expect("1/5", "At which stage")
    await ada.press("No call-back")
    await ada.expect("2/5", "What feedback came")
    await ada.send("/skip")
    await ada.expect("3/5", "What went well")
    await ada.send("My cover letter told a <clear> story & it was short")
    await ada.expect("4/5", "differently")
    await ada.send("Tailor the CV to the posting's keywords")
    next_step = await ada.expect("5/5", "What will you do next?", "Maria <HR>")
    assert next_step.buttons == [
        "💡 📄 Have CV and cover letter reviewed",
        "🎤 Practise interviews",
        "💬 Ask for feedback",
        "🚀 Keep going",
    ]
    await ada.press("Have CV and cover letter reviewed")
    await ada.expect(
        "Thank you, Ada",
        "ask Maria <HR> to review your CV and cover letter",
        "Your patterns so far",
        "3 rejections: 3 with no call-back",
        "First answers take 9 days (median of 3)",
        "3 of 3 rejections came with no call-back",
        "reviewed by someone qualified — Maria <HR>, your reviewer from /team",
    )

    (reflection,) = await reflections(harness, ada)
    assert reflection.application_id == globex
    assert (reflection.company, reflection.stage, reflection.round) == (
        "Globex & Sons",
        "no_callback",
        None,
    )
    assert reflection.feedback is None
    assert reflection.went_well == "My cover letter told a <clear> story & it was short"
    assert reflection.would_change == "Tailor the CV to the posting's keywords"
    assert reflection.next_action == "cv_review"
    assert reflection.completed_at == NEXT_MORNING + timedelta(seconds=5)


async def test_stage_buttons_offer_each_interview_round_and_save_the_round(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    app_id = await apply(harness, ada, company="Acme", status=Status.INTERVIEW)
    await change_status(harness, ada, app_id, Status.INTERVIEW, on=REJECTED_ON)
    await change_status(harness, ada, app_id, Status.REJECTED, on=REJECTED_ON)
    await dispatch_at(harness, NEXT_MORNING + timedelta(seconds=5))
    await ada.expect("said no")
    await ada.press("Let's reflect")
    stage = await ada.expect("1/5")
    assert "🗣 After interview round 2" in stage.buttons
    await ada.press("After interview round 2")
    await ada.send("They went with someone more senior")
    for _question in range(2):
        await ada.send("/skip")
    await ada.expect("5/5")
    await ada.send("/skip")
    done = await ada.expect("Thank you, Ada", "1 rejection: 1 after interviews", "three are enough")
    assert "Next:" not in done.text
    (reflection,) = await reflections(harness, ada)
    assert (reflection.stage, reflection.round) == ("interview", 2)
    assert reflection.feedback == "They went with someone more senior"
    assert reflection.completed_at is not None


async def test_not_now_asks_once_more_three_days_later_then_never(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await reject(harness, ada, "Globex", applied=date(2026, 11, 12))
    await dispatch_at(harness, NEXT_MORNING + timedelta(seconds=5))
    await ada.expect("said no")
    await ada.press("Not now")
    await ada.expect("I'll ask once more in three days")
    three_days_later = NEXT_MORNING + timedelta(days=3)
    assert ("app_reflection", three_days_later) in await pending(harness, ada)

    await dispatch_at(harness, three_days_later + timedelta(seconds=5))
    again = await ada.expect("a few days ago", "Globex")
    assert again.buttons == ["📝 Let's reflect", "Not now"]
    await ada.press("Not now")
    await ada.expect("I won't ask again")
    assert [kind for kind, _due in await pending(harness, ada) if kind == "app_reflection"] == []
    assert await reflections(harness, ada) == []


async def test_restart_in_the_middle_of_a_reflection_resumes_at_the_same_question(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    async with bot_harness(url) as harness:
        async with harness.running():
            ada = await harness.onboard()
            await reject(harness, ada, "Globex", applied=date(2026, 11, 12))
            await dispatch_at(harness, NEXT_MORNING + timedelta(seconds=5))
            await ada.press("Let's reflect")
            await ada.press("After screening")
            await ada.send("Not enough domain experience, they said")
            await ada.expect("3/5", "What went well")
        # A brand-new application: nothing in memory, everything from the database.
        async with harness.running():
            await ada.send("The screening call felt easy")
            await ada.expect("4/5")
            await ada.send("/back")
            await ada.expect("3/5")
            await ada.send("The screening call felt easy and warm")
            await ada.expect("4/5")
            await ada.send("Read up on the domain before applying")
            await ada.press("Keep going")
            await ada.expect("Thank you, Ada", "keep going")
            (reflection,) = await reflections(harness, ada)
        assert harness.stub.rejected_calls == []
    assert (reflection.stage, reflection.feedback) == (
        "screening",
        "Not enough domain experience, they said",
    )
    assert reflection.went_well == "The screening call felt easy and warm"
    assert reflection.next_action == "keep_going"


async def _finished_reflection(
    harness: BotHarness, user: ChatUser, company: str, stage: str, finished: datetime
) -> None:
    app_id = await apply(harness, user, company=company, on=date(2026, 11, 1))
    await change_status(harness, user, app_id, Status.REJECTED, on=date(2026, 11, 15))
    async with sessions(harness).begin() as session:
        application = await ApplicationRepository(session).get(
            user_id=user.user_id, application_id=app_id
        )
        assert application is not None
        repository = ReflectionRepository(session)
        reflection = await repository.start(application=application, now=finished)
        await repository.set_stage(
            user_id=user.user_id, reflection_id=reflection.id, stage=stage, round_=None
        )
        await repository.save_answer(
            user_id=user.user_id, reflection_id=reflection.id, field="went_well", text="x" * 500
        )
        await repository.finish(
            user_id=user.user_id, reflection_id=reflection.id, next_action="practise", now=finished
        )


async def test_reflections_lists_patterns_then_newest_first_in_pages(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    for n in range(7):
        stage = "interview" if n % 2 else "final"
        finished = at_utc(date(2026, 11, 16 + n), 10)
        await _finished_reflection(harness, ada, f"Company {n}", stage, finished)
    await reject(harness, ada, "Hooli <Labs>", applied=date(2026, 11, 2))

    await ada.send("/reflections")
    first = await ada.expect(
        "Your patterns so far",
        "8 rejections: 1 with no call-back, 3 after interviews, 4 after the final round",
        "7 of 8 rejections came after interviews → practise interviews",
        "Your reflections (7) — page 1/2",
        "Not reflected on yet: Hooli <Labs>",
    )
    order = [first.text.index(f"Company {n} ·") for n in (6, 5, 4, 3, 2)]
    assert order == sorted(order)
    assert "Company 1 ·" not in first.text
    assert "x" * 119 + "…" in first.text  # long answers are cut in the list
    assert first.buttons == ["Older ▶️", "📝 Reflect on Hooli <Labs>"]

    await ada.press("Older")
    second = await ada.expect("page 2/2", "Company 1 · after an interview", "Company 0 · after")
    assert second.message_id == first.message_id  # the same message, edited
    assert second.buttons == ["◀️ Newer", "📝 Reflect on Hooli <Labs>"]

    await ada.press("Reflect on Hooli")
    await ada.expect("1/5", "Reflecting on Hooli <Labs>")


async def test_reflections_when_there_is_nothing_yet(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/reflections")
    empty = await ada.expect("No reflections yet")
    assert empty.buttons == []


async def test_reflecting_before_the_morning_prompt_means_it_is_not_sent(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await reject(harness, ada, "Globex", applied=date(2026, 11, 12))
    await ada.send("/reflections")
    await ada.press("Reflect on Globex")
    await ada.press("No call-back")
    for _question in range(3):
        await ada.send("/skip")
    await ada.press("Keep going")
    await ada.expect("Thank you, Ada")
    await dispatch_at(harness, NEXT_MORNING + timedelta(seconds=5))
    assert [r for r in await ada.settle() if "said no" in r] == []
    assert [kind for kind, _due in await pending(harness, ada) if kind == "app_reflection"] == []


async def test_second_user_cannot_reflect_on_or_snooze_someone_elses_rejection(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard("Ada")
    bob = await harness.onboard("Bob")
    app_id = await reject(harness, ada, "Globex", applied=date(2026, 11, 12))
    before = await pending(harness, ada)
    bobs_message = last_message_id(harness, bob)
    for data in (f"rf:go:{app_id}", f"rf:later:{app_id}", f"rf:ok:{app_id}"):
        await bob.press_data(bobs_message, data)
        await bob.expect_alert("isn't in your log")
    await bob.send("/skip")
    await bob.expect("nothing to skip")  # Bob is in no reflection flow
    assert await reflections(harness, ada) == []
    assert await reflections(harness, bob) == []
    assert await pending(harness, ada) == before
    assert await pending(harness, bob) == []
