"""/buddy with two (and three) people: Ada invites, Bob opens the link, both agree, Ada
chooses what to share, the weekly update reaches Bob with only that, Bob cheers back,
and either ends it — plus every way a link or a button can be wrong."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.application_status import Status
from bot.buddy import MAX_ENCOURAGEMENT
from scheduler.application_planning import ApplicationTiming, log_application
from storage.models import BuddyLink, BuddyState
from storage.repositories.applications import ApplicationRepository
from storage.repositories.buddies import BuddyRepository
from storage.repositories.reflections import ReflectionRepository
from tests.harness import BotHarness, ChatUser

TUESDAY_9_PARIS = datetime(2026, 11, 24, 8, 0, 5, tzinfo=UTC)  # Ada's update, for Bob
PRIVATE = "PRIVATE"  # in everything Ada never agreed to share
_TOKEN = re.compile(r"\?start=(buddy_[A-Za-z0-9_-]+)")


def _sessions(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    assert harness.application is not None
    return harness.application.services.sessions


async def _invite(harness: BotHarness, ada: ChatUser) -> str:
    """Ada's /buddy: the link, checked to point at this bot; returns its token."""
    await ada.send("/buddy")
    message = await ada.expect("Don't change career alone", "works once, for 7 days")
    assert harness.application is not None
    username = harness.application.bot.username  # what getMe said
    assert username == harness.stub.bot_username
    assert f"https://t.me/{username}?start=buddy_" in message.text
    found = _TOKEN.search(message.text)
    assert found is not None
    return found.group(1)


async def _pair(harness: BotHarness, *, share: tuple[str, ...] = ()) -> tuple[ChatUser, ChatUser]:
    """Ada (onboarded in Paris) and Bob (never sent /start) agree; Ada switches on `share`
    besides the streak, then starts sharing."""
    ada = await harness.onboard("Ada", "Paris")
    bob = harness.user("Bob")
    token = await _invite(harness, ada)
    await bob.send(f"/start {token}")
    await bob.expect("Ada", "invited you to be their accountability buddy")
    await bob.press("Yes, I'm in")
    accepted = await bob.expect("Thank you", "I've told Ada")
    assert "/start" in accepted.text  # Bob may begin a journey of his own
    choose = await ada.expect("Bob", "said yes", "never shared")
    assert choose.buttons[:3] == [
        "✅ Check-in streak",
        "⬜ Commitment for the week",
        "⬜ Number of applications",
    ]
    for label in share:
        await ada.press(label)
        await ada.settle()  # the keyboard now shows it switched on
    await ada.press("Start sharing")
    await ada.expect("All set", "Bob", "is your accountability buddy")
    await bob.expect("You're now", "Ada", "accountability buddy", "first weekly update")
    return ada, bob


async def _private_week(harness: BotHarness, ada: ChatUser) -> None:
    """A check-in answered in the chat, an application with a contact, a reflection."""
    await ada.send("/checkin")
    await ada.expect("1/5")
    for answer in (
        "PRIVATE did: module 3",
        "PRIVATE obstacle: my boss",
        "PRIVATE went well: mornings",
        "Apply to <2> roles & follow up",
    ):
        await ada.send(answer)
    await ada.expect("5/5")
    await ada.press("4")
    await ada.expect("Check-in saved")
    timing = ApplicationTiming(zone="Europe/Paris")
    now = harness.clock.now
    async with _sessions(harness).begin() as session:
        applied = await log_application(
            session,
            user_id=ada.user_id,
            company="PRIVATE Corp",
            role="Analyst",
            status=Status.APPLIED,
            on=date(2026, 11, 21),
            timing=timing,
            now=now,
        )
        applications = ApplicationRepository(session)
        await applications.add_note(application=applied, kind="note", text="PRIVATE note", now=now)
        await applications.add_note(
            application=applied, kind="recruiter", text="PRIVATE Jane", reach="jane@x.io", now=now
        )
        rejected = await log_application(
            session,
            user_id=ada.user_id,
            company="PRIVATE Inc",
            role=None,
            status=Status.REJECTED,
            on=date(2026, 11, 21),
            timing=timing,
            now=now,
        )
        reflections = ReflectionRepository(session)
        reflection = await reflections.start(application=rejected, now=now)
        await reflections.save_answer(
            user_id=ada.user_id,
            reflection_id=reflection.id,
            field="feedback",
            text="PRIVATE feedback",
        )


async def _weekly_update(harness: BotHarness, bob: ChatUser) -> str:
    harness.clock.now = TUESDAY_9_PARIS
    await harness.dispatch()
    update = await bob.expect("Weekly buddy update", "Ada")
    return update.text


async def _link(harness: BotHarness, ada: ChatUser) -> BuddyLink:
    """Ada's newest link, live or ended."""
    async with _sessions(harness)() as session:
        link = await session.scalar(
            select(BuddyLink).where(BuddyLink.user_id == ada.user_id).order_by(BuddyLink.id.desc())
        )
    assert link is not None
    return link


def _everything_sent_to(harness: BotHarness, user: ChatUser) -> str:
    return "\n".join(harness.stub.transcript(user.user_id))


def _sent(harness: BotHarness, user: ChatUser, fragment: str) -> list[str]:
    """New messages (not edits) to the user containing `fragment`."""
    texts = (
        str(call.params.get("text", ""))
        for call in harness.stub.calls
        if call.method == "sendMessage" and str(call.params.get("chat_id")) == str(user.user_id)
    )
    return [text for text in texts if fragment in text]


# --- the whole story -------------------------------------------------------------------------


async def test_both_agree_and_the_weekly_update_carries_only_what_ada_shares(
    harness: BotHarness,
) -> None:
    ada, bob = await _pair(harness, share=("Commitment for the week",))
    await _private_week(harness, ada)
    text = await _weekly_update(harness, bob)
    assert "Check-in streak: 1 week" in text
    assert "This week's commitment: “Apply to <2> roles & follow up”" in text  # escaped, shown
    assert "Applications" not in text  # not switched on
    assert PRIVATE not in _everything_sent_to(harness, bob)
    assert "jane@x.io" not in _everything_sent_to(harness, bob)
    # The next week's update is already on its way.
    link = await _link(harness, ada)
    assert link.next_summary_at == TUESDAY_9_PARIS.replace(second=0) + timedelta(days=7)


async def test_what_is_shared_can_change_and_the_next_update_follows(harness: BotHarness) -> None:
    ada, bob = await _pair(harness)
    await _private_week(harness, ada)
    await ada.send("/buddy")
    await ada.expect("Your accountability buddy: Bob", "your check-in streak")
    await ada.press("What I share")
    await ada.expect("What Bob sees each week")
    await ada.press("Number of applications")  # on
    await ada.settle()
    await ada.press("Check-in streak")  # off
    await ada.settle()
    await ada.press("Save")
    await ada.expect("Saved: Bob sees how many applications you sent.")
    text = await _weekly_update(harness, bob)
    assert "Applications sent in the last 7 days: 1" in text
    assert "streak" not in text and "commitment" not in text
    assert PRIVATE not in _everything_sent_to(harness, bob)


async def test_sharing_nothing_is_refused_kindly(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    bob = harness.user("Bob")
    await bob.send(f"/start {await _invite(harness, ada)}")
    await bob.press("Yes, I'm in")
    await ada.expect("said yes")
    await ada.press("Check-in streak")  # the only one on: switching it off is refused
    await ada.expect_alert("Pick at least one")
    link = await _link(harness, ada)
    assert link.state == BuddyState.ACCEPTED and link.share_streak


async def test_bob_sends_encouragement_and_ada_receives_it_escaped(harness: BotHarness) -> None:
    ada, bob = await _pair(harness)
    await _weekly_update(harness, bob)
    await bob.press("Send encouragement")
    await bob.expect("What would you like to tell Ada", f"up to {MAX_ENCOURAGEMENT}")
    await bob.send("x" * (MAX_ENCOURAGEMENT + 1))
    await bob.expect("a lot of cheering", f"You wrote {MAX_ENCOURAGEMENT + 1}")
    await bob.send("You <b>rock</b> &\n keep going!")
    await bob.expect("Sent to Ada")
    received = await ada.expect("Bob", "your accountability buddy, says")
    assert "“You <b>rock</b> & keep going!”" in received.text  # shown as typed, not as HTML
    # The update keeps its button: another line another day.
    await bob.press("Send encouragement")
    await bob.expect("What would you like to tell Ada")
    await bob.send("/cancel")
    await bob.expect("stopped there")
    await bob.send("Just chatting now")
    await bob.settle()
    assert "Just chatting" not in _everything_sent_to(harness, ada)


async def test_encouragement_after_the_link_ended_is_not_passed_on(harness: BotHarness) -> None:
    ada, bob = await _pair(harness)
    await _weekly_update(harness, bob)
    await bob.press("Send encouragement")
    await bob.expect("What would you like to tell Ada")
    await ada.send("/buddy")
    await ada.press("✖️ End")
    await ada.press("Yes, end it")
    await bob.expect("Ada has ended the buddy link")
    await bob.send("Go Ada!")
    await bob.expect("That buddy link has ended")
    assert "Go Ada!" not in _everything_sent_to(harness, ada)


async def test_encouragement_mid_flow_then_that_flow_goes_on(harness: BotHarness) -> None:
    ada, bob = await _pair(harness)
    await _weekly_update(harness, bob)
    await bob.send("/why")
    await bob.settle()
    await bob.press("Send encouragement")
    await bob.expect("What would you like to tell Ada")
    await bob.send("Proud of you")
    await bob.expect("Sent to Ada")
    await ada.expect("Proud of you")


async def test_ada_ends_it_and_bob_is_told_kindly(harness: BotHarness) -> None:
    ada, bob = await _pair(harness)
    await ada.send("/buddy")
    await ada.press("✖️ End")
    await ada.expect("End the buddy link with Bob?")
    await ada.press("Keep it")
    await ada.expect("Kept")
    assert (await _link(harness, ada)).state == BuddyState.ACTIVE
    await ada.send("/buddy")
    await ada.press("✖️ End")
    await ada.press("Yes, end it")
    await ada.expect("the buddy link with Bob has ended")
    await bob.expect("Ada has ended the buddy link", "Thank you")
    harness.clock.now = TUESDAY_9_PARIS
    await harness.dispatch()
    await bob.settle()
    assert "Weekly buddy update" not in _everything_sent_to(harness, bob)


async def test_bob_ends_it_and_ada_is_told_kindly(harness: BotHarness) -> None:
    ada, bob = await _pair(harness)
    await bob.send("/buddy")
    await bob.expect("You're Ada's accountability buddy")
    await bob.press("✖️ End")
    await bob.press("Yes, end it")
    await bob.expect("no longer Ada's buddy")
    await ada.expect("Bob has stepped back")
    await ada.send("/buddy")  # a fresh start is offered at once
    await ada.expect("works once, for 7 days")


async def test_bob_declines_and_ada_is_told_kindly(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    bob = harness.user("Bob")
    await bob.send(f"/start {await _invite(harness, ada)}")
    await bob.press("No, thanks")
    await bob.expect("No problem")
    await ada.expect("Bob can't be your buddy right now")
    assert (await _link(harness, ada)).state == BuddyState.ENDED


async def test_ada_can_still_say_not_with_bob(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    bob = harness.user("Bob")
    await bob.send(f"/start {await _invite(harness, ada)}")
    await bob.press("Yes, I'm in")
    await ada.press("Not with Bob")
    await ada.expect("Bob won't be your buddy")
    await bob.expect("Ada decided not to go ahead")


# --- links that cannot work ------------------------------------------------------------------


async def test_expired_link_says_expired(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    token = await _invite(harness, ada)
    harness.clock.advance(days=8)
    bob = harness.user("Bob")
    await bob.send(f"/start {token}")
    await bob.expect("expired", "7 days")
    assert (await _link(harness, ada)).buddy_id is None
    await ada.send("/buddy")  # the expired one is replaced by a fresh link
    fresh = await ada.expect("works once, for 7 days")
    assert token not in fresh.text


async def test_used_link_says_used_and_bob_opening_again_sees_where_it_stands(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard("Ada", "Paris")
    token = await _invite(harness, ada)
    bob, carol = harness.user("Bob"), harness.user("Carol")
    await bob.send(f"/start {token}")
    await bob.expect("invited you")
    await carol.send(f"/start {token}")
    await carol.expect("already been used")
    await bob.send(f"/start {token}")
    again = await bob.expect("Ada", "invited you")
    assert again.buttons == ["✅ Yes, I'm in", "No, thanks"]
    assert (await _link(harness, ada)).buddy_id == bob.user_id


async def test_own_link_and_unknown_links_get_a_clear_message(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    token = await _invite(harness, ada)
    await ada.send(f"/start {token}")
    await ada.expect("your own invite link")
    bob = harness.user("Bob")
    await bob.send("/start buddy_not-a-real-token")
    await bob.expect("doesn't work")
    await bob.send("/start buddy_" + "A" * 24)  # well formed, never issued
    await bob.expect("doesn't work")
    await bob.send("/start")  # a plain start still welcomes
    await bob.expect("where are you")


async def test_a_new_link_retires_the_old_one(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    old = await _invite(harness, ada)
    await ada.send("/buddy")
    await ada.expect("Your buddy invite link is out")
    await ada.press("New link")
    fresh = await ada.expect("works once, for 7 days")
    assert old not in fresh.text
    bob = harness.user("Bob")
    await bob.send(f"/start {old}")
    await bob.expect("doesn't work")


async def test_cancelled_invite_no_longer_works(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    token = await _invite(harness, ada)
    await ada.press("Cancel the invite")
    await ada.expect("Invite cancelled")
    bob = harness.user("Bob")
    await bob.send(f"/start {token}")
    await bob.expect("doesn't work")


# --- buttons: stale, doubled, or someone else's -----------------------------------------------


def _button_data(harness: BotHarness, user: ChatUser, prefix: str) -> tuple[int, str]:
    """The newest button in the user's chat whose data starts with `prefix`."""
    for message in reversed(harness.stub.messages(user.user_id)):
        for row in message.inline_keyboard:
            for button in row:
                if str(button.get("callback_data", "")).startswith(prefix):
                    return message.message_id, str(button["callback_data"])
    raise AssertionError(f"no {prefix} button for {user.first_name}")


async def test_a_third_user_pressing_their_buttons_is_refused(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    bob = harness.user("Bob")
    await bob.send(f"/start {await _invite(harness, ada)}")
    await bob.expect("invited you")
    _msg, accept = _button_data(harness, bob, "bd:acc:")
    link_id = accept.rsplit(":", 1)[1]
    carol = harness.user("Carol")
    await carol.send("/help")
    own_message = (await carol.expect("Here's what I can do")).message_id
    for forged in (accept, f"bd:dec:{link_id}", f"bd:tg:{link_id}:applications"):
        await carol.press_data(own_message, forged)
        await carol.expect_alert("isn't for you")
    assert (await _link(harness, ada)).state == BuddyState.OFFERED
    await bob.press("Yes, I'm in")
    await ada.press("Start sharing")
    await bob.expect("You're now")
    for forged in (f"bd:enc:{link_id}", f"bd:endy:{link_id}", f"bd:set:{link_id}"):
        await carol.press_data(own_message, forged)
        await carol.expect_alert("isn't for you")
    # Bob may not act for Ada either (her share toggles), nor Ada for Bob.
    bob_last = harness.stub.messages(bob.user_id)[-1].message_id
    await bob.press_data(bob_last, f"bd:tg:{link_id}:applications")
    await bob.expect_alert("isn't for you")
    ada_last = harness.stub.messages(ada.user_id)[-1].message_id
    await ada.press_data(ada_last, f"bd:enc:{link_id}")
    await ada.expect_alert("isn't for you")
    link = await _link(harness, ada)
    assert link.state == BuddyState.ACTIVE and not link.share_applications
    assert "accountability buddy, says" not in _everything_sent_to(harness, ada)


async def test_double_presses_act_once(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")
    bob = harness.user("Bob")
    await bob.send(f"/start {await _invite(harness, ada)}")
    await bob.expect("invited you")
    message_id, accept = _button_data(harness, bob, "bd:acc:")
    harness.stub.press(bob.user_id, message_id, accept)
    harness.stub.press(bob.user_id, message_id, accept)
    await bob.expect("I've told Ada")
    await bob.expect_alert("earlier message")  # the second tap of a double tap
    await ada.expect("said yes")
    message_id, start = _button_data(harness, ada, "bd:go:")
    harness.stub.press(ada.user_id, message_id, start)
    harness.stub.press(ada.user_id, message_id, start)
    await ada.expect("All set")
    await ada.settle()
    await bob.settle()
    assert len(_sent(harness, bob, "You're now")) == 1
    assert len(_sent(harness, ada, "said yes")) == 1
    assert len(_sent(harness, ada, "All set")) == 1
    # A stale decline after accepting changes nothing.
    bob_last = harness.stub.messages(bob.user_id)[-1].message_id
    await bob.press_data(bob_last, accept.replace("bd:acc", "bd:dec"))
    await bob.expect_alert("already been answered")
    assert (await _link(harness, ada)).state == BuddyState.ACTIVE


# --- the buddy leaves -------------------------------------------------------------------------


async def test_delete_me_of_bob_ends_the_link(harness: BotHarness) -> None:
    ada, bob = await _pair(harness)
    await bob.send("/delete_me")
    await bob.press("Yes, delete everything")
    await bob.expect("I've forgotten everything")
    async with _sessions(harness)() as session:
        assert await BuddyRepository(session).live_for_user(ada.user_id) is None
    harness.clock.now = TUESDAY_9_PARIS
    await harness.dispatch()
    await bob.settle()
    assert "Weekly buddy update" not in _everything_sent_to(harness, bob)
    await ada.send("/buddy")  # free to invite someone else
    await ada.expect("works once, for 7 days")


async def test_bob_blocking_the_bot_ends_the_link(harness: BotHarness) -> None:
    ada, bob = await _pair(harness)
    harness.stub.block(bob.user_id)
    harness.clock.now = TUESDAY_9_PARIS
    stats = await harness.dispatch()
    assert stats.cancelled >= 1  # the update was refused: Bob blocked the bot
    await ada.send("/buddy")
    await ada.expect("Bob can't be reached anymore", "has ended")
    assert (await _link(harness, ada)).state == BuddyState.ENDED


async def test_telegram_saying_bob_blocked_us_tells_ada_at_once(harness: BotHarness) -> None:
    ada, bob = await _pair(harness)
    harness.stub.block(bob.user_id)
    bot_user = {
        "id": 1,
        "is_bot": True,
        "first_name": "Coach",
        "username": harness.stub.bot_username,
    }
    harness.stub.inject_raw(
        {
            "my_chat_member": {
                "chat": {"id": bob.user_id, "type": "private", "first_name": "Bob"},
                "from": {"id": bob.user_id, "is_bot": False, "first_name": "Bob"},
                "date": int(harness.clock.now.timestamp()),
                "old_chat_member": {"status": "member", "user": bot_user},
                "new_chat_member": {"status": "kicked", "user": bot_user, "until_date": 0},
            }
        }
    )
    await ada.expect("Bob can't be reached anymore")
    assert (await _link(harness, ada)).state == BuddyState.ENDED


async def test_the_invite_token_is_never_logged(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ada = await harness.onboard("Ada", "Paris")
    token = await _invite(harness, ada)
    bob = harness.user("Bob")
    await bob.send(f"/start {token}")
    await bob.press("Yes, I'm in")
    await ada.expect("said yes")
    await asyncio.sleep(0.1)
    # PTB's own wire log (DEBUG), the database driver's statement log (DEBUG, which shows
    # the update journal's row until it is handled; the bot keeps it at WARNING) and the
    # test stub echo every message verbatim by design; nothing of ours may.
    ours = [
        r.getMessage()
        for r in caplog.records
        if not r.name.startswith(("telegram", "botapi_stub", "aiohttp", "asyncio", "aiosqlite"))
    ]
    assert not any(token in line for line in ours)
    assert not any(token in r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


async def test_messages_to_the_other_side_are_in_their_language(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", "Paris")  # English
    luis = harness.user("Luis", language_code="es")
    await luis.send(f"/start {await _invite(harness, ada)}")
    await luis.expect("Ada")
    await luis.press("No,")  # his own buttons are in Spanish
    # Ada is told in English although Luis speaks Spanish.
    await ada.expect("Luis can't be your buddy right now")


async def test_export_lists_the_link_from_each_side_without_the_other_person(
    harness: BotHarness,
) -> None:
    _ada, bob = await _pair(harness)
    await bob.send("/export")
    await harness.stub.wait_for(
        lambda: any(m.kind == "document" for m in harness.stub.messages(bob.user_id)), timeout=8
    )
    raw = next(m.content for m in harness.stub.messages(bob.user_id) if m.kind == "document")
    assert raw is not None
    document = json.loads(raw)
    (link,) = document["buddy_links"]
    assert link["role"] == "you_are_the_buddy"
    assert link["state"] == "active"
    assert "Ada" not in raw.decode("utf-8")  # the other person's details stay theirs
