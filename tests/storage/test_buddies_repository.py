"""Buddy links on SQLite and PostgreSQL: invites used once, state changes made once, one
live link per user, the weekly update's wake-up, and what an update can read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.application_status import Status
from bot.buddy import ShareField, token_fingerprint
from scheduler.application_planning import ApplicationTiming, log_application
from scheduler.buddy_prompts import BuddySummaryPrompt, replan_buddy
from scheduler.kinds import BUDDY_SUMMARY
from storage.db import create_engine, create_session_factory
from storage.models import BuddyEnd, BuddyLink, BuddyState, PromptState, ScheduledPrompt
from storage.repositories.applications import ApplicationRepository
from storage.repositories.buddies import BuddyRepository, shared_fields
from storage.repositories.checkins import CheckinRepository
from storage.repositories.prompts import ClaimedPrompt, PromptRepository
from storage.repositories.reflections import ReflectionRepository
from storage.repositories.user_data import UserDataRepository
from storage.repositories.users import UserRepository

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # Sunday
TUESDAY_9_PARIS = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
ADA, BOB, CAROL = 8_100_001, 8_100_002, 8_100_003
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(database_url)
    factory = create_session_factory(engine)
    async with factory.begin() as session:
        users = UserRepository(session)
        for user_id, name in ((ADA, "Ada"), (BOB, "Bob"), (CAROL, "Carol")):
            await users.ensure(user_id=user_id, first_name=name)
            await users.set_timezone(user_id=user_id, timezone="Europe/Paris")
    yield factory
    await engine.dispose()


async def _invite(sessions: Sessions, user_id: int = ADA, token: str = "t-ada") -> int:
    async with sessions.begin() as session:
        link = await BuddyRepository(session).create_invite(
            user_id=user_id,
            token_hash=token_fingerprint(token),
            expires_at=NOW + timedelta(days=7),
            now=NOW,
        )
    assert link is not None
    return link.id


async def _active(sessions: Sessions, owner: int = ADA, buddy: int = BOB) -> int:
    """A link both sides agreed to, its first update due Tuesday 09:00 in Paris."""
    link_id = await _invite(sessions, owner, token=f"t-{owner}-{buddy}")
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        assert await buddies.open_invite(link_id, buddy_id=buddy, now=NOW)
        assert await buddies.accept(link_id)
        assert await buddies.confirm(link_id, next_summary_at=TUESDAY_9_PARIS, now=NOW)
    return link_id


async def _link(sessions: Sessions, link_id: int) -> BuddyLink:
    async with sessions() as session:
        link = await BuddyRepository(session).get(link_id)
    assert link is not None
    return link


async def _pending_wakeups(sessions: Sessions, buddy_id: int) -> list[datetime]:
    async with sessions() as session:
        prompts = await PromptRepository(session).pending_for_user(buddy_id)
    return [p.due_at for p in prompts if p.kind == BUDDY_SUMMARY]


# --- invites -----------------------------------------------------------------------------------


async def test_an_invite_is_found_by_its_fingerprint_only(sessions: Sessions) -> None:
    link_id = await _invite(sessions, token="secret-token")
    async with sessions() as session:
        buddies = BuddyRepository(session)
        found = await buddies.by_token_hash(token_fingerprint("secret-token"))
        assert found is not None and found.id == link_id
        assert found.state == BuddyState.INVITED and found.buddy_id is None
        assert found.token_hash != "secret-token"
        assert await buddies.by_token_hash(token_fingerprint("other")) is None
        assert shared_fields(found) == {ShareField.STREAK}  # the default: the streak only


async def test_one_live_link_per_user_and_a_new_one_once_it_ended(sessions: Sessions) -> None:
    first = await _invite(sessions)
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        again = await buddies.create_invite(
            user_id=ADA, token_hash=token_fingerprint("t2"), expires_at=NOW, now=NOW
        )
        assert again is None
        assert (await buddies.live_for_user(ADA)).id == first  # type: ignore[union-attr]
        assert await buddies.end(first, reason=BuddyEnd.REPLACED, now=NOW)
        replacement = await buddies.create_invite(
            user_id=ADA, token_hash=token_fingerprint("t3"), expires_at=NOW, now=NOW
        )
        assert replacement is not None and replacement.id != first
        # Bob may have his own link while Ada has hers.
        assert await buddies.create_invite(
            user_id=BOB, token_hash=token_fingerprint("t4"), expires_at=NOW, now=NOW
        )


async def test_the_database_itself_refuses_a_second_live_link(sessions: Sessions) -> None:
    await _invite(sessions)
    with pytest.raises(IntegrityError):
        async with sessions.begin() as session:
            session.add(BuddyLink(user_id=ADA, token_hash="f" * 64, expires_at=NOW, created_at=NOW))


async def test_an_invite_opens_once_in_time_and_never_for_its_owner(sessions: Sessions) -> None:
    link_id = await _invite(sessions)
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        assert not await buddies.open_invite(link_id, buddy_id=ADA, now=NOW)
        late = NOW + timedelta(days=7)
        assert not await buddies.open_invite(link_id, buddy_id=BOB, now=late)
        assert await buddies.open_invite(link_id, buddy_id=BOB, now=NOW)
        assert not await buddies.open_invite(link_id, buddy_id=CAROL, now=NOW)
        assert not await buddies.open_invite(link_id, buddy_id=BOB, now=NOW)
    link = await _link(sessions, link_id)
    assert (link.state, link.buddy_id, link.opened_at) == (BuddyState.OFFERED, BOB, NOW)


# --- agreeing, sharing, ending -----------------------------------------------------------------


async def test_each_step_happens_once_and_only_in_order(sessions: Sessions) -> None:
    link_id = await _invite(sessions)
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        assert not await buddies.accept(link_id)  # nobody opened it yet
        assert not await buddies.confirm(link_id, next_summary_at=TUESDAY_9_PARIS, now=NOW)
        assert await buddies.open_invite(link_id, buddy_id=BOB, now=NOW)
        assert await buddies.accept(link_id)
        assert not await buddies.accept(link_id)  # a double press
        assert await buddies.confirm(link_id, next_summary_at=TUESDAY_9_PARIS, now=NOW)
        assert not await buddies.confirm(link_id, next_summary_at=NOW, now=NOW)
    link = await _link(sessions, link_id)
    assert (link.state, link.next_summary_at, link.confirmed_at) == (
        BuddyState.ACTIVE,
        TUESDAY_9_PARIS,
        NOW,
    )


async def test_sharing_changes_while_the_link_stands_and_not_after(sessions: Sessions) -> None:
    link_id = await _active(sessions)
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        assert await buddies.set_shared(link_id, ShareField.COMMITMENT, shared=True)
        assert await buddies.set_shared(link_id, ShareField.STREAK, shared=False)
    assert shared_fields(await _link(sessions, link_id)) == {ShareField.COMMITMENT}
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        assert await buddies.end(link_id, reason=BuddyEnd.BY_USER, now=NOW)
        assert not await buddies.set_shared(link_id, ShareField.APPLICATIONS, shared=True)
        assert not await buddies.end(link_id, reason=BuddyEnd.BY_BUDDY, now=NOW)
    link = await _link(sessions, link_id)
    assert (link.state, link.end_reason, link.next_summary_at) == (
        BuddyState.ENDED,
        BuddyEnd.BY_USER,
        None,
    )
    assert shared_fields(link) == {ShareField.COMMITMENT}


async def test_end_all_of_a_person_ends_their_links_on_both_sides(sessions: Sessions) -> None:
    ada_buddy_bob = await _active(sessions, ADA, BOB)
    bob_buddy_carol = await _active(sessions, BOB, CAROL)
    carol_buddy_ada = await _active(sessions, CAROL, ADA)
    async with sessions.begin() as session:
        ended = await BuddyRepository(session).end_all_of(BOB, reason=BuddyEnd.UNREACHABLE, now=NOW)
    assert sorted(link.id for link in ended) == sorted([ada_buddy_bob, bob_buddy_carol])
    assert all(link.state == BuddyState.ENDED for link in ended)
    assert (await _link(sessions, carol_buddy_ada)).state == BuddyState.ACTIVE


async def test_live_links_as_buddy_exclude_ended_ones(sessions: Sessions) -> None:
    for_ada = await _active(sessions, ADA, BOB)
    for_carol = await _active(sessions, CAROL, BOB)
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        assert [link.id for link in await buddies.live_as_buddy(BOB)] == [for_ada, for_carol]
        await buddies.end(for_ada, reason=BuddyEnd.BY_BUDDY, now=NOW)
        assert [link.id for link in await buddies.live_as_buddy(BOB)] == [for_carol]
        assert await buddies.live_as_buddy(ADA) == []


async def test_erasing_the_buddy_erases_the_link(sessions: Sessions) -> None:
    link_id = await _active(sessions)
    async with sessions.begin() as session:
        await UserDataRepository(session).erase(user_id=BOB)
    async with sessions() as session:
        assert await BuddyRepository(session).get(link_id) is None
        assert await BuddyRepository(session).live_for_user(ADA) is None


# --- the weekly update's timing ----------------------------------------------------------------


async def test_one_wakeup_per_buddy_at_their_earliest_update(sessions: Sessions) -> None:
    for_ada = await _active(sessions, ADA, BOB)
    for_carol = await _active(sessions, CAROL, BOB)
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        await buddies.reschedule(for_carol, next_summary_at=TUESDAY_9_PARIS - timedelta(hours=5))
        assert await buddies.earliest_summary(BOB) == TUESDAY_9_PARIS - timedelta(hours=5)
        await replan_buddy(session, BOB)
        await replan_buddy(session, BOB)  # again: still one
    assert await _pending_wakeups(sessions, BOB) == [TUESDAY_9_PARIS - timedelta(hours=5)]
    async with sessions.begin() as session:
        await BuddyRepository(session).end(for_carol, reason=BuddyEnd.BY_USER, now=NOW)
        await replan_buddy(session, BOB)
    assert await _pending_wakeups(sessions, BOB) == [TUESDAY_9_PARIS]
    async with sessions.begin() as session:
        await BuddyRepository(session).end(for_ada, reason=BuddyEnd.BY_USER, now=NOW)
        assert await replan_buddy(session, BOB) is None
    assert await _pending_wakeups(sessions, BOB) == []


async def test_due_links_are_found_per_buddy_up_to_their_own_time(sessions: Sessions) -> None:
    for_ada = await _active(sessions, ADA, BOB)
    for_bob = await _active(sessions, BOB, CAROL)
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        later = TUESDAY_9_PARIS + timedelta(hours=1)
        await buddies.reschedule(for_bob, next_summary_at=later)
        assert [link.id for link in await buddies.due_for_buddy(BOB, until=NOW)] == []
        found = await buddies.due_for_buddies({BOB: TUESDAY_9_PARIS, CAROL: TUESDAY_9_PARIS})
        assert [link.id for link in found] == [for_ada]
        found = await buddies.due_for_buddies({BOB: TUESDAY_9_PARIS, CAROL: later})
        assert sorted(link.id for link in found) == sorted([for_ada, for_bob])


# --- what an update reads, and says ------------------------------------------------------------


async def _ada_has_a_week(sessions: Sessions) -> None:
    """A check-in with private answers, an application with a contact, a reflection."""
    async with sessions.begin() as session:
        checkins = CheckinRepository(session)
        await checkins.open(user_id=ADA, period="2026-W47", prompted_at=NOW)
        await checkins.save_answer(
            user_id=ADA, period="2026-W47", field="did", text="PRIVATE did answer"
        )
        await checkins.save_answer(
            user_id=ADA, period="2026-W47", field="commitment", text="Call <Grace> & co"
        )
        await checkins.save_confidence(user_id=ADA, period="2026-W47", confidence=2, now=NOW)
        timing = ApplicationTiming(zone="Europe/Paris")
        applied = await log_application(
            session,
            user_id=ADA,
            company="SecretCorp",
            role="Analyst",
            status=Status.APPLIED,
            on=date(2026, 11, 20),
            timing=timing,
            now=NOW,
        )
        await ApplicationRepository(session).add_note(
            application=applied, kind="recruiter", text="PRIVATE contact", now=NOW
        )
        rejected = await log_application(
            session,
            user_id=ADA,
            company="HiddenInc",
            role=None,
            status=Status.REJECTED,
            on=date(2026, 11, 21),
            timing=timing,
            now=NOW,
        )
        reflection = await ReflectionRepository(session).start(application=rejected, now=NOW)
        await ReflectionRepository(session).save_answer(
            user_id=ADA, reflection_id=reflection.id, field="feedback", text="PRIVATE feedback"
        )


async def test_an_update_reads_counts_and_the_commitment_only(sessions: Sessions) -> None:
    await _ada_has_a_week(sessions)
    async with sessions() as session:
        buddies = BuddyRepository(session)
        assert await buddies.checkin_weeks(ADA) == [("2026-W47", "answered", "Call <Grace> & co")]
        assert await buddies.applications_since(ADA, since=date(2026, 11, 16)) == 1
        assert await buddies.applications_since(ADA, since=date(2026, 11, 21)) == 0
        assert await buddies.checkin_weeks(BOB) == []


async def _render(sessions: Sessions, buddy_id: int, due: datetime) -> str | None:
    async with sessions() as session:
        recipients = await UserRepository(session).recipients([buddy_id])
        prompt = ClaimedPrompt(1, buddy_id, BUDDY_SUMMARY, due, {}, 1, None)
        rendered = await BuddySummaryPrompt("UTC").render(session, [(prompt, recipients[buddy_id])])
    outgoing = rendered[1]
    return None if outgoing is None else outgoing.text


async def test_the_update_says_only_what_was_agreed_escaped(sessions: Sessions) -> None:
    await _ada_has_a_week(sessions)
    link_id = await _active(sessions)
    text = await _render(sessions, BOB, TUESDAY_9_PARIS)
    assert text is not None
    assert "Check-in streak: 1 week" in text and "Ada" in text
    assert "commitment" not in text.casefold() and "Applications" not in text
    async with sessions.begin() as session:
        buddies = BuddyRepository(session)
        await buddies.set_shared(link_id, ShareField.STREAK, shared=False)
        await buddies.set_shared(link_id, ShareField.COMMITMENT, shared=True)
        await buddies.set_shared(link_id, ShareField.APPLICATIONS, shared=True)
    text = await _render(sessions, BOB, TUESDAY_9_PARIS)
    assert text is not None
    assert "Call &lt;Grace&gt; &amp; co" in text
    assert "Applications sent in the last 7 days: 1" in text
    assert "streak" not in text
    for private in ("PRIVATE", "SecretCorp", "HiddenInc", "Analyst", "confiden"):
        assert private not in text


async def test_nothing_is_sent_before_it_is_due_or_while_the_user_pauses(
    sessions: Sessions,
) -> None:
    await _active(sessions)
    assert await _render(sessions, BOB, TUESDAY_9_PARIS - timedelta(seconds=1)) is None
    assert await _render(sessions, CAROL, TUESDAY_9_PARIS) is None  # nobody to cheer on
    async with sessions.begin() as session:
        await UserRepository(session).pause(user_id=ADA, until=None)
    assert await _render(sessions, BOB, TUESDAY_9_PARIS) is None


async def test_after_an_update_the_next_is_a_week_later_and_queued(sessions: Sessions) -> None:
    link_id = await _active(sessions)
    async with sessions.begin() as session:
        await replan_buddy(session, BOB)
    async with sessions.begin() as session:
        recipients = await UserRepository(session).recipients([BOB])
        prompt = ClaimedPrompt(1, BOB, BUDDY_SUMMARY, TUESDAY_9_PARIS, {}, 1, None)
        sent_at = TUESDAY_9_PARIS + timedelta(seconds=3)
        await BuddySummaryPrompt("UTC").after_sent(session, [(prompt, recipients[BOB])], sent_at)
    next_week = TUESDAY_9_PARIS + timedelta(days=7)
    assert (await _link(sessions, link_id)).next_summary_at == next_week
    assert await _pending_wakeups(sessions, BOB) == [next_week]


async def test_an_update_about_someone_who_left_ends_that_link(sessions: Sessions) -> None:
    link_id = await _active(sessions)
    async with sessions.begin() as session:
        await UserRepository(session).mark_inactive(user_id=ADA)
    text = await _render(sessions, BOB, TUESDAY_9_PARIS)
    assert text is not None and "stopped using the coach" in text
    async with sessions.begin() as session:
        recipients = await UserRepository(session).recipients([BOB])
        prompt = ClaimedPrompt(1, BOB, BUDDY_SUMMARY, TUESDAY_9_PARIS, {}, 1, None)
        await BuddySummaryPrompt("UTC").after_sent(session, [(prompt, recipients[BOB])], NOW)
    link = await _link(sessions, link_id)
    assert (link.state, link.end_reason) == (BuddyState.ENDED, BuddyEnd.UNREACHABLE)
    assert await _pending_wakeups(sessions, BOB) == []


async def test_a_dropped_update_keeps_the_weekly_rhythm(sessions: Sessions) -> None:
    link_id = await _active(sessions)
    late = TUESDAY_9_PARIS + timedelta(days=2)  # e.g. the bot was down
    async with sessions.begin() as session:
        recipients = await UserRepository(session).recipients([BOB])
        prompt = ClaimedPrompt(1, BOB, BUDDY_SUMMARY, TUESDAY_9_PARIS, {}, 1, None)
        await BuddySummaryPrompt("UTC").after_dropped(session, [(prompt, recipients[BOB])], late)
    next_week = TUESDAY_9_PARIS + timedelta(days=7)
    assert (await _link(sessions, link_id)).next_summary_at == next_week
    async with sessions() as session:
        rows = await PromptRepository(session).all_for_user(BOB)
    assert [(p.kind, p.state, p.due_at) for p in rows] == [
        (BUDDY_SUMMARY, PromptState.PENDING, next_week)
    ]
    assert isinstance(rows[0], ScheduledPrompt) and rows[0].dedupe_key is not None


async def test_summary_time_follows_the_owners_checkin_day(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        await UserRepository(session).set_checkin_schedule(user_id=ADA, weekday=4, at=time(18, 0))
        recipients = await UserRepository(session).recipients([ADA])
    from scheduler.buddy_prompts import summary_time

    # Friday 18:00 check-ins in Paris -> Saturday 18:00 Paris = 17:00 UTC.
    assert summary_time(recipients[ADA], NOW, "UTC") == datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
