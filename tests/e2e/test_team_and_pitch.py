"""/team and /pitch as a user lives them."""

from __future__ import annotations

from pathlib import Path

from storage.repositories.journey import JourneyRepository
from tests.harness import BotHarness, ChatUser, bot_harness


async def saved(harness: BotHarness, user: ChatUser, step: str) -> dict[str, str]:
    assert harness.application is not None
    async with harness.application.services.sessions() as session:
        return await JourneyRepository(session).answers(user_id=user.user_id, step=step)


async def test_team_names_people_and_suggests_where_nobody_is_yet(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/team")
    first = await ada.expect("Don't change career alone", "emotionally")
    assert first.buttons == ["🤷 Nobody yet"]
    await ada.send("My sister Léa 💛")
    await ada.expect("involve My sister Léa 💛")
    await ada.send("Tell her about the plan on Sunday")
    await ada.expect("mentor")
    await ada.press("Nobody yet")
    await ada.expect("here's one way to find someone", "LinkedIn", "review your CV")
    await ada.send("Tom <recruiter>")
    await ada.expect("involve Tom <recruiter>")
    await ada.send("/skip")
    await ada.expect("connector")
    await ada.press("Nobody yet")
    await ada.expect("accountability partner")
    await ada.press("Nobody yet")
    done = await ada.expect(
        "Your support team is saved", "My sister Léa", "Tell her about the plan"
    )
    assert "Mentor: nobody yet" in done.text
    answers = await saved(harness, ada, "team")
    assert answers["emotional_who"] == "My sister Léa 💛"
    assert answers["mentor_who"] == "nobody"
    assert answers["reviewer_how"] == ""
    assert "mentor_how" not in answers


async def test_team_review_changes_one_person(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/team")
    for role in ("mentor", "review your CV", "connector", "accountability partner"):
        await ada.press("Nobody yet")
        await ada.expect(role)
    await ada.press("Nobody yet")
    await ada.expect("support team is saved")
    await ada.send("/team")
    await ada.expect("Your support team")
    await ada.press("✏️ Mentor")
    await ada.send("Grace, a data lead")
    await ada.expect("involve Grace, a data lead")
    await ada.send("Ask her for a 20-minute call")
    review = await ada.expect(
        "Your support team", "Grace, a data lead", "Ask her for a 20-minute call"
    )
    await ada.press("Keep all", message_id=review.message_id)
    await ada.expect("support team is saved", "Grace")


async def test_pitch_is_assembled_from_three_answers(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/pitch")
    await ada.expect("position you like a product", "employer")
    await ada.send("fast-growing fintech startups")
    await ada.expect("What problem do you solve")
    await ada.send("turn messy data into decisions their teams trust.")
    await ada.expect("What proof")
    await ada.send("i rebuilt our reporting & cut month-end close from 10 days to 4")
    proposal = await ada.expect("Here's your pitch")
    assert (
        "I help fast-growing fintech startups turn messy data into decisions their teams trust. "
        "I rebuilt our reporting & cut month-end close from 10 days to 4." in proposal.text
    )
    await ada.press("Use this")
    await ada.expect("Your pitch is saved", "I help fast-growing fintech startups")
    await ada.send("/pitch")
    await ada.expect("Your pitch", "Who needs you")
    await ada.press("✏️ Pitch")
    await ada.send("I turn fintech chaos into clear numbers. Ask me how I cut close time by 60%.")
    review = await ada.expect("Your pitch", "I turn fintech chaos")
    await ada.press("Keep all", message_id=review.message_id)
    await ada.expect("Your pitch is saved", "I turn fintech chaos")
    assert (await saved(harness, ada, "pitch"))["pitch"].startswith("I turn fintech chaos")


async def test_pitch_back_returns_to_the_previous_answer(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/pitch")
    await ada.send("Hospitals")
    await ada.expect("What problem")
    await ada.send("/back")
    await ada.expect("employer that needs someone like you")
    await ada.send("Hospitals modernising their records")
    await ada.expect("What problem")
    assert (await saved(harness, ada, "pitch"))["employer"] == "Hospitals modernising their records"


async def test_team_cancel_then_reentry_resumes_at_the_next_role(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/team")
    await ada.send("Léa")
    await ada.expect("involve Léa")
    await ada.send("/cancel")
    await ada.expect("Everything you already told me is saved")
    await ada.send("/team")
    await ada.expect("Welcome back", "involve Léa")


async def test_team_and_pitch_restart_midway_continue_at_the_same_question(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    async with bot_harness(url) as harness:
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/team")
            await ada.send("Léa")
            await ada.expect("involve Léa")
        async with harness.running():
            await ada.send("Dinner on Friday")
            await ada.expect("mentor")
            await ada.send("/pitch")
            await ada.expect("employer that needs someone like you")
            await ada.send("Clinics")
            await ada.expect("What problem")
        async with harness.running():
            await ada.send("cut waiting times")
            await ada.expect("What proof")
            assert (await saved(harness, ada, "team"))["emotional_how"] == "Dinner on Friday"
            assert (await saved(harness, ada, "pitch"))["problem"] == "cut waiting times"
