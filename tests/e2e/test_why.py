"""/why as a user lives it: push, pull, the two pitfalls, why rounds, the statement, edits."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories.journey import JourneyRepository
from tests.harness import BotHarness, ChatUser, Reply, bot_harness


def _sessions(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    assert harness.application is not None
    return harness.application.services.sessions


async def saved_why(harness: BotHarness, user: ChatUser) -> dict[str, str]:
    async with _sessions(harness)() as session:
        return await JourneyRepository(session).answers(user_id=user.user_id, step="why")


async def answer_why(ada: ChatUser) -> Reply:
    await ada.send("/why")
    await ada.expect("Why do you want to change", "pushing you away")
    await ada.press("Boredom")
    await ada.press("Something else")
    await ada.press("Done")
    await ada.expect("what else is pushing you away")
    await ada.send("No room to <grow> & learn")
    await ada.expect("pulls")
    await ada.send("Working with data to help people decide.")
    await ada.expect("Would you still want to leave?")
    await ada.press("still leave")
    await ada.expect("day-to-day")
    await ada.press("not much yet")
    await ada.expect("have coffee", "Why does that matter to you?")
    await ada.send("I like finding out what is true")
    await ada.expect("I like finding out what is true", "why does that matter?")
    await ada.send("Good decisions make people's lives easier")
    await ada.expect("One last round")
    await ada.send("/skip")
    return await ada.expect("your why in one sentence")


async def test_why_flow_ends_with_a_statement_in_the_users_words(harness: BotHarness) -> None:
    ada = await harness.onboard()
    proposal = await answer_why(ada)
    assert (
        "I want to move toward working with data to help people decide because "
        "good decisions make people's lives easier." in proposal
    )
    assert "Use this" in proposal.buttons[0]
    await ada.press("Use this")
    done = await ada.expect("Your why is saved", "/target")
    assert "job</i> change" not in done.text
    saved = await saved_why(harness, ada)
    assert saved["push_other"] == "No room to <grow> & learn"
    assert saved["deeper_3"] == ""  # skipped, and remembered as skipped
    assert saved["statement"].startswith("I want to move toward working with data")


async def test_why_staying_if_fixed_names_a_job_change_kindly(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/why")
    await ada.press("My boss")
    await ada.press("Done")
    await ada.expect("pulls")
    await ada.send("A team that trusts me")
    question = await ada.expect("Imagine your manager changed tomorrow")
    assert question.buttons == [
        "🚪 Yes, I'd still leave",
        "🙂 No, I'd probably stay",
        "🤔 Not sure",
    ]
    await ada.press("probably stay")
    await ada.expect("new job", "day-to-day")


async def test_why_own_statement_replaces_the_proposal(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await answer_why(ada)
    await ada.send("I want work where curiosity is the job.")
    await ada.expect("Your why is saved", "curiosity is the job")
    assert (await saved_why(harness, ada))["statement"] == "I want work where curiosity is the job."


async def test_why_back_and_skip_move_between_questions(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/why")
    await ada.press("Pay")
    await ada.press("Done")
    await ada.expect("pulls")
    await ada.send("/back")
    back = await ada.expect("pushing you away")
    assert "✓ 💸 Pay" in back.buttons
    await ada.press("Done")
    await ada.expect("pulls")
    await ada.send("/skip")
    await ada.expect("Imagine your pay changed")


async def test_why_done_is_refused_until_something_is_picked(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/why")
    await ada.press("Done")
    await ada.expect_alert("Tap at least one")
    await ada.send("just text")
    await ada.expect("tap one of the buttons")


async def test_why_reopened_shows_answers_to_keep_or_change(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await answer_why(ada)
    await ada.press("Use this")
    await ada.expect("Your why is saved")

    await ada.send("/why")
    review = await ada.expect(
        "Your why", "Pulling toward", "Working with data to help people decide"
    )
    assert "👍 Keep all" in review.buttons
    await ada.press("✏️ Pulling toward")
    await ada.expect("pulls")
    await ada.send("Building products people love")
    edited = await ada.expect("Your why", "Building products people love")
    assert "Keep all" in edited.buttons[-1]
    await ada.press("✏️ Why statement")
    await ada.expect("Building products people love")  # a fresh proposal from the new answer
    await ada.send("My own words, finally.")
    review = await ada.expect("Your why", "My own words, finally.")
    await ada.press("Keep all", message_id=review.message_id)
    await ada.expect("Your why is saved", "My own words, finally.")
    saved = await saved_why(harness, ada)
    assert saved["pull"] == "Building products people love"


async def test_why_cancel_keeps_answers_and_reentry_resumes(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/why")
    await ada.press("Workload")
    await ada.press("Done")
    await ada.expect("pulls")
    await ada.send("Teaching")
    await ada.expect("still want to leave")
    await ada.send("/cancel")
    await ada.expect("Everything you already told me is saved")
    await ada.send("/why")
    await ada.expect("Welcome back", "Imagine the workload changed")
    assert (await saved_why(harness, ada))["pull"] == "Teaching"


async def test_why_command_in_the_middle_switches_flow(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/why")
    await ada.press("Pay")
    await ada.press("Done")
    await ada.expect("pulls")
    await ada.send("/settings")
    await ada.expect("Your settings")


async def test_why_over_long_answer_is_refused_and_kept_out(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/why")
    await ada.press("Pay")
    await ada.press("Done")
    await ada.expect("pulls")
    await ada.send("x" * 1500)
    await ada.expect("fit it in 1000 characters")
    assert "pull" not in await saved_why(harness, ada)


async def test_why_restart_midway_continues_at_the_same_question(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    async with bot_harness(url) as harness:
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/why")
            await ada.press("Values")
            await ada.press("Done")
            await ada.expect("pulls")
        async with harness.running():
            await ada.send("Climate work")
            await ada.expect("Imagine the clash with your values changed")
            assert (await saved_why(harness, ada))["pull"] == "Climate work"


async def test_why_on_postgresql_saves_and_resumes(postgres_url: str) -> None:
    async with bot_harness(postgres_url) as harness:
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/why")
            await ada.press("Values")
            await ada.press("Done")
            await ada.expect("pulls")
            await ada.send("Climate work 🌍")
        async with harness.running():
            await ada.press("still leave")
            await ada.expect("day-to-day")
            saved = await saved_why(harness, ada)
        assert saved == {"push": '["values"]', "pull": "Climate work 🌍", "stay": "leave"}
        assert harness.stub.rejected_calls == []


async def test_why_tap_on_an_older_copy_of_the_question_is_taken(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/why")
    older = await ada.expect("pushing you away")
    await ada.send("/why")
    newer = await ada.expect("pushing you away")
    assert newer.message_id != older.message_id

    def buttons(message_id: int) -> list[str]:
        (message,) = [m for m in harness.stub.messages(ada.user_id) if m.message_id == message_id]
        return message.button_texts()

    await ada.press("Pay", message_id=newer.message_id)
    await ada.settle()
    assert "✓ 💸 Pay" in buttons(newer.message_id)
    # The older copy still shows Pay unticked: the tap unticks it, as that copy shows already.
    await ada.press("Pay", message_id=older.message_id)
    await ada.settle()
    assert (await saved_why(harness, ada))["push"] == "[]"
    assert "💸 Pay" in buttons(older.message_id)
    await ada.press("Boredom", message_id=older.message_id)
    await ada.settle()
    assert "✓ 😴 Boredom" in buttons(older.message_id)
