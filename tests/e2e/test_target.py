"""/target as a user lives it: a typed title matched to real occupations, tasks, a test."""

from __future__ import annotations

from pathlib import Path

from storage.repositories.journey import JourneyRepository
from tests.harness import BotHarness, ChatUser, bot_harness


async def saved_target(harness: BotHarness, user: ChatUser) -> dict[str, str]:
    assert harness.application is not None
    async with harness.application.services.sessions() as session:
        return await JourneyRepository(session).answers(user_id=user.user_id, step="target")


async def test_target_matches_a_title_and_walks_through_the_day(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/target")
    await ada.expect("name the job", "job title")
    await ada.send("data analyst")
    candidates = await ada.expect("closest to “data analyst”", "Business Intelligence Analysts")
    assert candidates.buttons[-1] == "🙅 None of these"
    assert len(candidates.buttons) == 4
    await ada.press("Business Intelligence Analysts")
    await ada.expect("Which sector")
    await ada.press("Finance")
    tasks = await ada.expect("typical day holds", "Business Intelligence Analysts", "appeal")
    assert tasks.buttons[:3] == ["1", "2", "3"]
    await ada.press("1")
    await ada.press("3")
    await ada.press("Done")
    dislike = await ada.expect("don't", "appeal")
    assert "1" not in dislike.buttons and "3" not in dislike.buttons
    await ada.send("/skip")
    await ada.expect("How sure")
    await ada.press("2")
    await ada.expect("most people aren't sure", "this month")
    await ada.send("Coffee with Priya, a BI analyst at my bank")
    dates = await ada.expect("By when")
    assert "This weekend" in dates.buttons
    await ada.send("asdf")
    await ada.expect("couldn't read that as a date")
    await ada.send("in 5 months")
    await ada.expect("more than two months away")
    await ada.press("In two weeks")
    done = await ada.expect(
        "Target saved", "data analyst", "Business Intelligence Analysts", "Coffee with Priya"
    )
    assert "Sunday 6 December 2026" in done.text  # the harness clock: Sunday 22 November
    saved = await saved_target(harness, ada)
    assert saved["occupation"] == "15-2051.01"
    assert saved["sector"] == "finance"
    assert saved["tasks_like"] == '["1", "3"]'
    assert saved["tasks_dislike"] == ""
    assert saved["action_date"] == "2026-12-06"


async def test_target_typo_still_finds_software_developers(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/target")
    await ada.send("sofware engineer")
    candidates = await ada.expect("closest to")
    assert candidates.buttons[0] == "Software Developers"


async def test_target_absurd_title_is_kept_in_the_users_words(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/target")
    await ada.send("dragon tamer <3")
    await ada.expect("Which sector")
    await ada.send("Fantasy & folklore")
    await ada.expect("typical day in this job")
    await ada.send("Feeding, training, fire safety")
    await ada.expect("How sure")
    saved = await saved_target(harness, ada)
    assert saved == {
        "title": "dragon tamer <3",
        "sector": "Fantasy & folklore",
        "typical_day": "Feeding, training, fire safety",
    }


async def test_target_none_of_these_keeps_own_title(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/target")
    await ada.send("product manager")
    await ada.press("None of these")
    await ada.expect("keep “product manager” in your own words", "Which sector")
    assert (await saved_target(harness, ada))["occupation"] == "none"


async def test_target_title_is_required(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/target")
    await ada.send("/skip")
    await ada.expect("I need this one")


async def test_target_changing_the_title_asks_for_the_occupation_again(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/target")
    await ada.send("nurse")
    await ada.press("Registered Nurses")
    await ada.press("Health")
    await ada.expect("typical day holds")
    await ada.press("1")
    await ada.press("Done")
    await ada.expect("don't")
    await ada.send("/skip")
    await ada.expect("How sure")
    await ada.press("4")
    await ada.expect("this month")
    await ada.send("/skip")
    await ada.expect("Target saved", "Registered Nurses")

    await ada.send("/target")
    review = await ada.expect("Your target job", "Registered Nurses", "Health")
    assert "👍 Keep all" in review.buttons
    await ada.press("✏️ Job title")
    await ada.send("UX designer")
    await ada.expect("closest to “UX designer”")
    await ada.press("Web and Digital Interface Designers")
    await ada.expect("typical day holds")  # the old task picks no longer apply
    await ada.press("2")
    await ada.press("Done")
    await ada.expect("don't")
    await ada.send("/skip")
    review = await ada.expect(
        "Your target job", "UX designer", "Web and Digital Interface Designers"
    )
    await ada.press("Keep all", message_id=review.message_id)
    await ada.expect("Target saved", "UX designer")
    saved = await saved_target(harness, ada)
    assert (saved["occupation"], saved["tasks_like"]) == ("15-1255.00", '["2"]')


async def test_target_old_candidate_button_is_answered_not_acted_on(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/target")
    await ada.send("nurse")
    candidates = await ada.expect("closest to")
    await ada.press("Registered Nurses")
    await ada.expect("Which sector")
    # The keyboard is gone from that message; an outdated client could still send it.
    await ada.press_data(candidates.message_id, "q:target:occupation:29-1141.01")
    await ada.expect_alert("earlier message")
    assert (await saved_target(harness, ada))["occupation"] == "29-1141.00"


async def test_target_restart_midway_keeps_the_title(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    async with bot_harness(url) as harness:
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/target")
            await ada.send("registered nurse")
            await ada.expect("closest to")
        async with harness.running():
            await ada.press("Registered Nurses")
            await ada.expect("Which sector")
            assert (await saved_target(harness, ada))["occupation"] == "29-1141.00"
