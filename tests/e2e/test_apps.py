"""/applied step by step, and /apps: the pipeline by stage, paged, each application's card
and its buttons — and another user's application ids refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.application_status import Status
from scheduler.kinds import APPLICATION_FOLLOWUP, INTERVIEW_REMINDER
from storage.repositories.applications import ApplicationRepository
from tests.e2e.test_applications_capture import (
    YESTERDAY,
    applications,
    button_data,
    pending,
    seed,
    sessions_of,
)
from tests.harness import BotHarness, ChatUser


async def _notes(
    harness: BotHarness, user: ChatUser, application_id: int
) -> list[tuple[str, str, str | None]]:
    async with sessions_of(harness)() as session:
        notes = await ApplicationRepository(session).notes(
            user_id=user.user_id, application_id=application_id
        )
    return [(n.kind, n.text, n.reach) for n in notes]


async def test_applied_walks_through_company_role_stage_and_date(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/applied")
    await ada.expect("step by step", "Which company")
    await ada.send("/skip")
    await ada.expect("need the company")
    await ada.send("Initech")
    await ada.expect("What's the role")
    await ada.send("Data Analyst")
    stages = await ada.expect("Where does it stand?")
    assert stages.buttons[:3] == ["🔖 Saved", "📨 Applied", "📞 Screening"]
    await ada.send("/back")
    await ada.expect("What's the role")
    await ada.send("Senior Data Analyst")
    await ada.expect("Where does it stand?")
    await ada.press("Applied")
    day = await ada.expect("When?")
    assert day.buttons == ["Today", "Yesterday"]
    await ada.press("Yesterday")
    card = await ada.expect(
        "New application", "Initech", "Senior Data Analyst", "Saturday 21 November"
    )
    assert "✅ Save" in card.buttons
    await ada.press("Save")
    await ada.expect("Saved")
    (stored,) = await applications(harness, ada)
    assert (stored.company, stored.role, stored.applied_on) == (
        "Initech",
        "Senior Data Analyst",
        YESTERDAY,
    )


async def test_applied_interview_asks_day_and_time_and_updates_a_known_application(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    known = await seed(harness, ada, "Stripe", "Senior PM")
    await ada.send("/applied Stripe Inc")
    await ada.expect("What's the role")
    await ada.send("/skip")
    await ada.press("Interview")
    await ada.expect("When is the interview with Stripe Inc?")
    await ada.send("Thursday 11am")
    await ada.expect(
        "Update Stripe — Senior PM: applied → interview", "Thursday 26 November 2026 at 11:00"
    )
    await ada.press("Save")
    await ada.expect("Updated")
    (stored,) = await applications(harness, ada)
    assert (stored.id, stored.status) == (known, "interview")
    assert await pending(harness, ada, INTERVIEW_REMINDER) == [
        datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    ]


async def test_applied_cancel_and_another_command_leave_the_flow(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/applied")
    await ada.expect("Which company")
    await ada.send("Initech")
    await ada.expect("What's the role")
    await ada.send("/cancel")
    await ada.expect("didn't log it")
    await ada.send("/applied")
    await ada.expect("Which company")
    await ada.send("/apps")
    await ada.expect("No applications yet")
    await ada.send("Hooli")  # the company question is closed
    await ada.expect("not sure what to do with that")
    assert await applications(harness, ada) == []


async def test_apps_groups_by_stage_with_counts_and_pages(harness: BotHarness) -> None:
    ada = await harness.onboard()
    for number in range(7):
        await seed(harness, ada, f"Applied {number}", "Analyst", on=date(2026, 11, 10 + number))
    await seed(harness, ada, "Globex", None, Status.REJECTED)
    await seed(harness, ada, "Initech", "PM", Status.INTERVIEW, on=date(2026, 11, 26))
    await seed(harness, ada, "Hooli", None, Status.SAVED)
    await ada.send("/apps")
    first = await ada.expect("Your applications", "10 in all", "Page 1 of 2")
    assert "🔖 Saved 1 · 📨 Applied 7 · 🤝 Interview 1 · 🙅 Rejected 1" in first.text
    # Saved, then the funnel in order, the most recent first within a stage.
    assert first.text.index("Hooli") < first.text.index("Applied 6") < first.text.index("Applied 0")
    assert "Initech" not in first.text
    assert "Globex" not in first.text
    assert first.buttons[0] == "1. Hooli"
    assert first.buttons[-1] == "Next ▶"
    assert len(first.buttons) == 9
    await ada.press("Next")
    second = await ada.expect("Page 2 of 2", "Interview (1)", "Rejected (1)")
    assert second.text.index("Initech") < second.text.index("Globex")
    assert second.message_id == first.message_id
    assert second.buttons == ["9. Initech", "10. Globex", "◀ Previous"]
    await ada.press("Previous")
    await ada.expect("Page 1 of 2")


async def test_apps_card_shows_stages_and_its_buttons_work(harness: BotHarness) -> None:
    ada = await harness.onboard()
    application_id = await seed(harness, ada, "Stripe", "Senior PM")
    await ada.send("/apps")
    await ada.press("1. Stripe")
    card = await ada.expect("Stripe — Senior PM", "applied", "Stages", "21 Nov — applied")
    assert card.buttons == [
        "🔄 Change status",
        "📝 Add a note",
        "👤 Add a contact",
        "🗑 Delete",
        "📋 All applications",
    ]
    # A note.
    await ada.press("Add a note")
    await ada.expect("What would you like to note about Stripe — Senior PM?")
    await ada.send("Ask about <equity> & remote")
    await ada.expect("Note saved", "Notes", "Ask about <equity> & remote")
    # A contact.
    await ada.press("Add a contact")
    await ada.expect("Who is it?")
    await ada.press("Recruiter")
    await ada.expect("recruiter's name")
    await ada.send("Jane Doe")
    await ada.expect("how can you reach Jane Doe")
    await ada.send("jane@stripe.com")
    await ada.expect("Contact saved", "Contacts", "Jane Doe (recruiter): jane@stripe.com")
    assert await _notes(harness, ada, application_id) == [
        ("note", "Ask about <equity> & remote", None),
        ("recruiter", "Jane Doe", "jane@stripe.com"),
    ]
    # A screening call tomorrow, then an interview with its date and time: the follow-ups
    # go, the screening's reminder gives way to the interview's.
    await ada.press("Change status")
    await ada.expect("What's the news?")
    await ada.press("Screening")
    await ada.expect("When is the screening call with Stripe?")
    await ada.press("Tomorrow")
    await ada.expect("remind you the evening before", "screening · 23 Nov")
    assert await pending(harness, ada, APPLICATION_FOLLOWUP) == []
    await ada.press("Change status")
    await ada.press("Interview")
    await ada.expect("When is the interview with Stripe?")
    await ada.send("next Tuesday at 2pm")
    await ada.expect("remind you", "Tuesday 24 November 2026 at 14:00", "24 Nov — interview")
    assert await pending(harness, ada, INTERVIEW_REMINDER) == [
        datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    ]
    # A second interview counts a round.
    await ada.press("Change status")
    await ada.press("Interview")
    await ada.send("1 December 10am")
    await ada.expect("interview, round 2", "1 Dec — interview, round 2")
    # Then an offer, a day later, in place.
    harness.clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    await ada.press("Change status")
    await ada.press("Offer")
    await ada.expect_alert("Moved to offer")
    offer = await ada.expect("offer · 2 Dec", "2 Dec — offer")
    assert offer.buttons[0] == "🔄 Change status"
    await ada.expect("Congratulations")
    (stored,) = await applications(harness, ada)
    assert (stored.status, stored.interview_rounds) == ("offer", 2)


async def test_apps_delete_asks_first_and_cancels_the_nudges(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await seed(harness, ada, "Globex", None)
    await seed(harness, ada, "Stripe", "Senior PM")
    await ada.send("/apps")
    await ada.press("Stripe")
    await ada.press("Delete")
    confirm = await ada.expect("Delete this application?")
    assert confirm.buttons == ["🗑 Yes, delete it", "↩️ No, keep it"]
    await ada.press("No, keep it")
    await ada.expect("Stripe — Senior PM", "Stages")
    assert len(await applications(harness, ada)) == 2
    await ada.press("Delete")
    await ada.press("Yes, delete it")
    await ada.expect("Deleted Stripe — Senior PM", "1 in all", "Globex")
    (left,) = await applications(harness, ada)
    assert left.company == "Globex"
    assert len(await pending(harness, ada, APPLICATION_FOLLOWUP)) == 3  # Globex's only


async def test_another_users_application_id_is_refused_and_nothing_changes(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard("Ada")
    target = await seed(harness, ada, "Stripe", "Senior PM")
    bob = await harness.onboard("Bob")
    await bob.send("Applied to Initech yesterday")
    bobs_card = await bob.expect("New application", "Initech")
    token = button_data(bobs_card, "Save").split(":")[1]
    forged = [
        f"ap:o:{target}:0",
        f"ap:s:{target}:0",
        f"ap:S:{target}:0:rejected",
        f"ap:S:{target}:0:interview",
        f"ap:n:{target}:0",
        f"ap:k:{target}:0",
        f"ap:K:{target}:0:r",
        f"ap:d:{target}:0",
        f"ap:D:{target}:0",
        f"ap:T:{target}:0:interview:1",
        f"ac:{token}:pk:{target}",
    ]
    for data in forged:
        await bob.press_data(bobs_card.message_id, data)
        await bob.expect_alert("isn't in your list")
    await bob.press_data(bobs_card.message_id, f"ap:o:{10**30}:0")  # no id at all
    await bob.expect_alert("out of date")
    (stored,) = await applications(harness, ada)
    assert (stored.id, stored.status, stored.interview_rounds) == (target, "applied", 0)
    assert await _notes(harness, ada, target) == []
    assert len(await pending(harness, ada, APPLICATION_FOLLOWUP)) == 3
    assert await applications(harness, bob) == []
    # Bob's own card is untouched by the forged presses.
    await bob.press("Save")
    await bob.expect("Saved", "Initech")


async def test_apps_delete_from_an_outdated_card_asks_the_same_question_once(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await seed(harness, ada, "Stripe", "Senior PM")
    await ada.send("/apps")
    await ada.press("Stripe")
    card = await ada.expect("Stripe — Senior PM", "Stages")
    delete = button_data(card, "Delete")
    await ada.press("Delete")
    await ada.expect("Delete this application?")
    # A client still showing the card's buttons: the question is on screen already.
    await ada.press_data(card.message_id, delete)
    await ada.settle()
    (shown,) = [m for m in harness.stub.messages(ada.user_id) if m.message_id == card.message_id]
    assert shown.button_texts() == ["🗑 Yes, delete it", "↩️ No, keep it"]
    assert len(await applications(harness, ada)) == 1
