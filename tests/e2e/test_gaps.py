"""/gaps as a user lives it: the job's requirements, own items, levels, the ranking, edits."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.gap_audit import MAX_ITEMS
from storage.models import GapItem
from storage.repositories.gaps import GapRepository
from storage.repositories.journey import JourneyRepository
from tests.harness import BotHarness, ChatUser, Reply, bot_harness

BI_ANALYSTS = "15-2051.01"  # Business Intelligence Analysts: rated by O*NET itself
DATA_SCIENTISTS = "15-2051.00"  # Data Scientists: ratings borrowed from Statisticians


def _sessions(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    assert harness.application is not None
    return harness.application.services.sessions


async def set_target(harness: BotHarness, user: ChatUser, *, title: str, code: str) -> None:
    """What /target stores: the user's words and the chosen occupation (or "none")."""
    async with _sessions(harness).begin() as session:
        journey = JourneyRepository(session)
        for key, value in (("title", title), ("occupation", code)):
            await journey.save(
                user_id=user.user_id, step="target", key=key, value=value, now=harness.clock()
            )


async def saved_items(harness: BotHarness, user: ChatUser) -> dict[str, GapItem]:
    async with _sessions(harness)() as session:
        items = await GapRepository(session).items(user_id=user.user_id)
    return {item.name: item for item in items}


def levels(items: dict[str, GapItem]) -> dict[str, tuple[int | None, int | None]]:
    return {name: (item.current_level, item.required_level) for name, item in items.items()}


async def start_with_own_item(ada: ChatUser, name: str = "SQL", area: str = "Technical") -> None:
    """No target: /gaps, one own item, Done."""
    await ada.send("/gaps")
    await ada.expect("haven't named a target job")
    await ada.send(name)
    await ada.expect("Where does")
    await ada.press(area)
    await ada.expect("Added")
    await ada.press("Done")


async def add_sql_and_excel(ada: ChatUser) -> None:
    await ada.send("/gaps")
    await ada.expect("haven't named a target job")
    await ada.send("SQL")
    await ada.press("Technical")
    await ada.expect("Added")
    await ada.send("Excel")
    await ada.press("Tools")
    await ada.expect("Added")
    await ada.press("Done")


async def finish_own_audit(ada: ChatUser) -> Reply:
    """No target: two own items rated, to the result."""
    await start_with_own_item(ada, "SQL")
    await ada.expect("1/1", "SQL", "Where are you today?")
    await ada.press("1")
    await ada.expect("what level does the job need?")
    await ada.press("4")
    return await ada.expect("Your biggest gaps")


async def test_gaps_with_occupation_ranks_the_top_gaps_and_saves_every_answer(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await set_target(harness, ada, title="BI analyst", code=BI_ANALYSTS)
    await ada.send("/gaps")
    intro = await ada.expect(
        "Let's map the gap",
        "Business Intelligence Analysts",
        "O*NET",
        "Every tool listed is in demand",
    )
    assert "close relative" not in intro
    assert "✓ 📚 Computers and Electronics" in intro.buttons
    assert "✓ 🛠 Reading Comprehension" in intro.buttons
    assert "🧰 Python" in intro.buttons  # offered, not ticked
    assert intro.buttons[-1] == "✅ Done"
    await ada.press("Reading Comprehension")
    unticked = await ada.expect("Let's map the gap")
    assert "🛠 Reading Comprehension" in unticked.buttons
    await ada.press("Python")
    ticked = await ada.expect("Let's map the gap")
    assert "✓ 🧰 Python" in ticked.buttons
    await ada.press("Done")

    await ada.expect("Anything else this job needs?", "a certificate", "contacts in the industry")
    await ada.send("Tableau <dashboards> & reports")
    area = await ada.expect("Where does", "Tableau <dashboards> & reports")
    assert area.buttons == [
        "🛠 Technical",
        "🧰 Tools",
        "📚 Knowledge",
        "🤝 Soft skill",
        "🎓 Credentials & experience",
        "🌐 Network",
    ]
    await ada.press("Tools")
    await ada.expect("Added", "Tableau <dashboards> & reports", "Anything else?")
    await ada.press("Done")

    first = await ada.expect("1/5", "Computers and Electronics", "about 4/5", "very important")
    assert "What the levels look like" in first
    assert "Create a program to scan a computer for viruses" in first  # O*NET's anchor
    assert first.buttons == ["0", "1", "2", "3", "4", "5", "✏️ Change what's needed"]
    await ada.press("1")
    await ada.expect("2/5", "Critical Thinking", "about 3/5")
    await ada.press("Change what's needed")
    await ada.expect("O*NET says about 3/5", "What level does your target job need?")
    await ada.press("5")
    await ada.expect("2/5", "Critical Thinking", "You said the job needs 5/5")
    await ada.press("2")
    await ada.expect("3/5", "Active Learning")
    await ada.press("3")
    python = await ada.expect("4/5", "Python", "about 3/5", "my estimate")
    assert "others come to me for it" in python  # our anchors where O*NET has none
    await ada.press("0")
    own = await ada.expect("5/5", "Tableau <dashboards> & reports")
    assert "Change what's needed" not in own.buttons  # asked right after for own items
    await ada.press("1")
    await ada.expect("And what level does the job need?")
    await ada.press("4")

    result = await ada.expect("Your biggest gaps for Business Intelligence Analysts", "/plan")
    lines = result.text.splitlines()
    assert "1. 📚 Computers and Electronics — you 1/5, the job 4/5 · very important" in lines
    assert "2. 🧰 Python — you 0/5, the job 3/5 · very important" in lines
    assert "3. 🛠 Critical Thinking — you 2/5, the job 5/5 · important" in lines
    assert "4. 🧰 Tableau <dashboards> & reports — you 1/5, the job 4/5 · important" in lines
    assert "✅ Already there: Active Learning" in result
    saved = await saved_items(harness, ada)
    assert levels(saved) == {
        "Computers and Electronics": (1, 4),
        "Critical Thinking": (2, 5),
        "Active Learning": (3, 3),
        "Python": (0, 3),
        "Tableau <dashboards> & reports": (1, 4),
    }
    assert saved["Critical Thinking"].suggested_level == 3
    assert saved["Python"].key == "tech:Python"
    assert (saved["Tableau <dashboards> & reports"].source, saved["Python"].area) == (
        "own",
        "tools",
    )


async def test_gaps_borrowed_ratings_name_the_occupation_they_come_from(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await set_target(harness, ada, title="Data scientist", code=DATA_SCIENTISTS)
    await ada.send("/gaps")
    intro = await ada.expect("Data Scientists", "close relative", "Statisticians")
    assert "✓ 🛠 Mathematics" in intro.buttons
    assert "✓ 📚 Mathematics" in intro.buttons  # the skill and the knowledge area, told apart


async def test_gaps_without_target_lists_own_items_with_a_hint_per_area(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send("/gaps")
    intro = await ada.expect("haven't named a target job", "/target", "What does this job need")
    for hint in (
        "Technical skills",
        "Tools & technologies",
        "a certificate, a portfolio",
        "contacts in the industry",
    ):
        assert hint in intro
    await ada.send("AWS certificate")
    await ada.expect("Where does", "My guess: credentials & experience")
    await ada.press("Credentials")
    await ada.expect("Added", "credentials & experience")
    await ada.send("Contacts at fintech startups")
    await ada.press("Network")
    await ada.expect("Added")
    await ada.press("Done")
    first = await ada.expect("1/2", "AWS certificate", "nothing to show for it yet")
    assert "Change what's needed" not in first.buttons
    await ada.press("0")
    await ada.expect("And what level does the job need?")
    await ada.press("4")
    await ada.expect("2/2", "Contacts at fintech startups", "people who'd refer me")
    await ada.press("1")
    await ada.expect("what level does the job need?")
    await ada.press("3")
    result = await ada.expect("Your biggest gaps", "/plan")
    assert "Your biggest gaps for" not in result
    assert "1. 🎓 AWS certificate — you 0/5, the job 4/5 · important" in result.text
    assert "2. 🌐 Contacts at fintech startups — you 1/5, the job 3/5 · important" in result.text
    saved = await saved_items(harness, ada)
    assert {name: item.area for name, item in saved.items()} == {
        "AWS certificate": "credentials",
        "Contacts at fintech startups": "network",
    }


async def test_gaps_unmatched_target_says_so_and_continues_with_own_items(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await set_target(harness, ada, title="Dragon <tamer>", code="none")
    await ada.send("/gaps")
    await ada.expect("Dragon <tamer>", "couldn't match", "What does this job need")


async def test_gaps_over_long_or_repeated_item_is_refused_and_not_saved(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send("/gaps")
    await ada.expect("haven't named a target job")
    await ada.send("x" * 250)
    await ada.expect("That's a long one (250 characters)", "200 or fewer")
    assert await saved_items(harness, ada) == {}
    await ada.send("SQL")
    await ada.press("Technical")
    await ada.expect("Added")
    await ada.send("  sql ")
    await ada.expect("sql is already on your list")
    assert list(await saved_items(harness, ada)) == ["SQL"]


async def test_gaps_done_without_items_is_refused_kindly(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/gaps")
    await ada.expect("haven't named a target job")
    await ada.press("Done")
    await ada.expect_alert("Add at least one item")
    await ada.send("/skip")
    await ada.expect("Type at least one thing the job needs")


async def test_gaps_buttons_only_question_asks_for_a_tap(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await start_with_own_item(ada)
    await ada.expect("Where are you today?")
    await ada.send("pretty good")
    await ada.expect("tap one of the buttons")


async def test_gaps_skip_leaves_an_item_unrated_and_goes_on(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/gaps")
    await ada.send("SQL")
    await ada.press("Technical")
    await ada.expect("Added")
    await ada.send("Public speaking")
    await ada.press("Soft skill")
    await ada.expect("Added")
    await ada.press("Done")
    await ada.expect("1/2", "SQL")
    await ada.send("/skip")
    await ada.expect("2/2", "Public speaking")
    await ada.press("2")
    await ada.expect("And what level does the job need?")
    await ada.press("4")
    result = await ada.expect("Your biggest gaps", "Not rated yet: SQL")
    assert "1. 🤝 Public speaking — you 2/5, the job 4/5" in result.text
    assert levels(await saved_items(harness, ada))["SQL"] == (None, None)


async def test_gaps_back_returns_to_the_previous_item_and_question(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await set_target(harness, ada, title="BI analyst", code=BI_ANALYSTS)
    await ada.send("/gaps")
    await ada.expect("Let's map the gap")
    await ada.press("Done")
    await ada.expect("Anything else this job needs?")
    await ada.send("Dashboards")
    await ada.expect("Where does")
    await ada.send("/back")  # undoes the item just typed
    await ada.expect("Anything else this job needs?")
    assert "Dashboards" not in await saved_items(harness, ada)
    await ada.press("Done")
    await ada.expect("1/4", "Computers and Electronics")
    await ada.press("2")
    await ada.expect("2/4", "Reading Comprehension")
    await ada.send("/back")
    again = await ada.expect("1/4", "Computers and Electronics")
    assert again.buttons[0] == "0"
    await ada.press("3")
    await ada.expect("2/4", "Reading Comprehension")
    await ada.press("Change what's needed")
    await ada.expect("What level does your target job need?")
    await ada.send("/back")
    await ada.expect("2/4", "Reading Comprehension", "Where are you today?")
    await ada.send("/back")
    await ada.send("/back")
    await ada.expect("Anything else this job needs?")
    await ada.send("/back")
    await ada.expect("Let's map the gap", "Business Intelligence Analysts")
    assert levels(await saved_items(harness, ada))["Computers and Electronics"] == (3, 4)


async def test_gaps_cancel_keeps_answers_and_reentry_resumes(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await add_sql_and_excel(ada)
    await ada.expect("1/2", "SQL")
    await ada.press("1")
    await ada.expect("what level does the job need?")
    await ada.press("3")
    await ada.expect("2/2", "Excel")
    await ada.send("/cancel")
    await ada.expect("Everything you already told me is saved")
    await ada.send("/gaps")
    resumed = await ada.expect("Welcome back", "2/2", "Excel")
    assert resumed.buttons[:6] == ["0", "1", "2", "3", "4", "5"]
    await ada.press("2")
    await ada.expect("what level does the job need?")
    await ada.press("5")
    await ada.expect("Your biggest gaps")
    assert levels(await saved_items(harness, ada)) == {"SQL": (1, 3), "Excel": (2, 5)}


async def test_gaps_old_button_gets_a_toast_and_changes_nothing(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await add_sql_and_excel(ada)
    first = await ada.expect("1/2", "SQL")
    await ada.press("1")
    await ada.expect("what level does the job need?")
    await ada.press("3")
    await ada.expect("2/2", "Excel")
    await ada.press_data(first.message_id, "gap:cur:5")  # pressed again, or an old client
    await ada.expect_alert(texts.STALE_BUTTON)
    await ada.press_data(first.message_id, "gap:pick:99")  # another question's button
    await ada.expect_alert(texts.STALE_BUTTON)
    assert levels(await saved_items(harness, ada))["SQL"] == (1, 3)
    await ada.press("4")
    await ada.expect("what level does the job need?")
    await ada.press("4")
    await ada.expect("Your biggest gaps")
    await ada.press_data(first.message_id, "gap:cur:5")  # after the flow ended
    await ada.expect_alert(texts.STALE_BUTTON)


async def test_gaps_double_tap_on_done_moves_on_once(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await set_target(harness, ada, title="BI analyst", code=BI_ANALYSTS)
    await ada.send("/gaps")
    intro = await ada.expect("Let's map the gap")
    await ada.press("Done")
    await ada.expect("Anything else this job needs?")
    await ada.press_data(intro.message_id, "gap:pick:done")
    await ada.expect_alert(texts.STALE_BUTTON)
    await ada.press_data(intro.message_id, "gap:pick:0")
    await ada.expect_alert(texts.STALE_BUTTON)
    assert "Computers and Electronics" in await saved_items(harness, ada)


async def test_gaps_reopened_shows_levels_and_ranking_and_edits_them(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await finish_own_audit(ada)

    await ada.send("/gaps")
    review = await ada.expect(
        "Your gap audit", "1. 🛠 SQL — you 1/5, the job 4/5", "Biggest gaps now"
    )
    assert review.buttons == [
        "✏️ Change levels",
        "➕ Add an item",
        "➖ Remove an item",
        "👍 Keep all",
    ]  # no re-pick without a matched occupation
    await ada.press("Change levels")
    chooser = await ada.expect("Which one would you like to re-rate?")
    assert chooser.buttons == ["🛠 SQL · 1/5→4/5", "⬅️ Back"]
    await ada.press("SQL")
    await ada.expect("1/1", "SQL", "You said the job needs 4/5")
    await ada.press("3")
    await ada.expect("what level does the job need?")
    await ada.press("5")
    await ada.expect("Your gap audit", "SQL — you 3/5, the job 5/5")

    await ada.press("Add an item")
    await ada.expect("Anything else this job needs?")
    await ada.send("Stakeholder interviews")
    await ada.press("Soft skill")
    await ada.expect("Added")
    await ada.press("Done")
    await ada.expect("1/1", "Stakeholder interviews")
    await ada.press("0")
    await ada.expect("what level does the job need?")
    await ada.press("3")
    edited = await ada.expect(
        "Your gap audit", "2. 🤝 Stakeholder interviews — you 0/5, the job 3/5"
    )
    assert "1. 🤝 Stakeholder interviews" in edited.text.split("Biggest gaps now")[1]

    await ada.press("Remove an item")
    await ada.expect("Which one should go?")
    await ada.press("SQL")
    removed = await ada.expect("Removed SQL", "Your gap audit")
    assert "— you 3/5" not in removed
    await ada.press("Keep all")
    await ada.expect("Your biggest gaps", "Stakeholder interviews — you 0/5, the job 3/5")
    assert levels(await saved_items(harness, ada)) == {"Stakeholder interviews": (0, 3)}


async def test_gaps_repick_after_finishing_rates_only_the_new_items(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await set_target(harness, ada, title="BI analyst", code=BI_ANALYSTS)
    await ada.send("/gaps")
    await ada.expect("Let's map the gap")
    for label in ("Reading Comprehension", "Critical Thinking", "Active Learning"):
        await ada.press(label)
        await ada.expect("Let's map the gap")
    await ada.press("Done")
    await ada.expect("Anything else this job needs?")
    await ada.press("Done")
    await ada.expect("1/1", "Computers and Electronics")
    await ada.press("2")
    await ada.expect("Your biggest gaps")

    await ada.send("/gaps")
    review = await ada.expect("Your gap audit for Business Intelligence Analysts")
    assert "🔁 Re-pick from the job's list" in review.buttons
    await ada.press("Re-pick")
    picks = await ada.expect("Let's map the gap")
    assert "✓ 📚 Computers and Electronics" in picks.buttons
    assert "🛠 Reading Comprehension" in picks.buttons  # no ticking again behind her back
    await ada.press("Excel")
    await ada.expect("Let's map the gap")
    await ada.press("Done")
    await ada.expect("1/1", "Microsoft Excel")
    await ada.press("4")
    await ada.expect("Your gap audit", "Microsoft Excel — you 4/5, the job 3/5")
    assert levels(await saved_items(harness, ada)) == {
        "Computers and Electronics": (2, 4),
        "Microsoft Excel": (4, 3),
    }


async def test_gaps_restart_midway_continues_at_the_same_item(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    async with bot_harness(url) as harness:
        ada = harness.user("Ada")
        async with harness.running():
            await ada.send("/start")
            await ada.expect("where are you")
            await set_target(harness, ada, title="BI analyst", code=BI_ANALYSTS)
            await ada.send("/gaps")
            await ada.expect("Let's map the gap")
            await ada.press("Done")
            await ada.expect("Anything else this job needs?")
            await ada.press("Done")
            await ada.expect("1/4", "Computers and Electronics")
            await ada.press("1")
            await ada.expect("2/4", "Reading Comprehension")
        # A brand-new application: nothing in memory, everything from the database.
        async with harness.running():
            await ada.press("2")  # on the message sent before the restart
            await ada.expect("3/4", "Critical Thinking")
            assert levels(await saved_items(harness, ada))["Reading Comprehension"] == (2, 3)
        assert harness.stub.rejected_calls == []


async def test_gaps_full_list_refuses_more_items_with_a_clear_answer(harness: BotHarness) -> None:
    ada = await harness.onboard()
    async with _sessions(harness).begin() as session:
        gaps = GapRepository(session)
        for number in range(MAX_ITEMS):
            await gaps.add_own(
                user_id=ada.user_id,
                name=f"Skill {number}",
                area="technical",
                importance=3.0,
                now=harness.clock(),
            )
    await set_target(harness, ada, title="BI analyst", code=BI_ANALYSTS)
    await ada.send("/gaps")
    intro = await ada.expect("Let's map the gap")
    assert not any(label.startswith("✓") for label in intro.buttons)  # no room to preselect
    await ada.press("Python")
    await ada.expect_alert("Your list is full (25 items)")
    await ada.press("Done")
    await ada.expect("Anything else this job needs?")
    await ada.send("One more")
    await ada.expect("Your list is full (25 items)")
    assert len(await saved_items(harness, ada)) == MAX_ITEMS


async def test_gaps_other_flow_command_switches_and_gaps_resumes_later(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await start_with_own_item(ada)
    await ada.expect("1/1", "SQL")
    await ada.send("/why")
    await ada.expect("Why do you want to change")
    await ada.send("/gaps")
    await ada.expect("Welcome back", "1/1", "SQL")
