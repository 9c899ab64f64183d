"""Security checks in one process: secrets redacted from logs and start-up messages, the
allow-list enforced for every kind of update, buttons that can only act on the presser's
own objects, and user text echoed as text, never as HTML.

(The same checks on a real `careercoach` process — refused token, unreachable Bot API,
refused webhook, webhook secret — are in tests/test_cli.py.)"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut

from bot import texts
from bot.cli import startup_failure
from bot.config import Settings
from bot.logging_setup import Redactor, RedactSecrets
from botapi_stub import ApiCall
from storage.models import BuddyLink, BuddyState, Milestone, User
from storage.repositories.applications import ApplicationRepository
from storage.repositories.buddies import BuddyRepository
from storage.repositories.journey import JourneyRepository
from storage.repositories.users import UserRepository
from tests.harness import BotHarness, ChatUser, bot_harness
from tests.storage.test_user_data_repository import rows_mentioning, seed_every_table
from tests.test_cli import REAL_LOOKING_TOKEN, TOKEN_SECRET_PART, WEBHOOK_SECRET

# --- secrets in logs and start-up messages ------------------------------------------------------


def _redacting_logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    """A logger whose handler formats like the CLI's, with the CLI's redaction."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets([REAL_LOOKING_TOKEN, WEBHOOK_SECRET]))
    logger = logging.getLogger(f"tests.security.{name}")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, out


def test_redaction_covers_messages_arguments_and_chained_tracebacks() -> None:
    logger, out = _redacting_logger("chain")
    url = f"https://api.telegram.org/bot{REAL_LOOKING_TOKEN}/getMe"
    logger.debug("Calling %s with %r", url, {"secret_token": WEBHOOK_SECRET})
    try:
        try:
            raise httpx.ConnectError(f"connection refused for {url}")
        except httpx.ConnectError as cause:
            raise InvalidToken(f"The token `{REAL_LOOKING_TOKEN}` was rejected") from cause
    except InvalidToken:
        logger.exception("Start-up failed for %s", url)
    encoded = REAL_LOOKING_TOKEN.replace(":", "%3A")
    logger.warning("aiohttp.InvalidURL: http://127.0.0.1/bot%s/getMe", encoded)
    logger.info("not %s %s", "enough", "arguments", "for the format")  # a broken call
    logged = out.getvalue()
    assert "httpx.ConnectError: connection refused for https://api.telegram.org/bot[REDACTED]" in (
        logged
    )
    assert "telegram.error.InvalidToken: The token `[REDACTED]` was rejected" in logged
    assert "{'secret_token': '[REDACTED]'}" in logged
    assert "/bot7123456789%3A[REDACTED]/getMe" in logged
    assert "arguments" in logged
    for secret in (REAL_LOOKING_TOKEN, TOKEN_SECRET_PART, WEBHOOK_SECRET):
        assert secret not in logged


def test_redaction_of_a_record_seen_by_two_handlers_stays_readable() -> None:
    logger, out = _redacting_logger("twice")
    second = io.StringIO()
    other = logging.StreamHandler(second)
    other.addFilter(RedactSecrets([REAL_LOOKING_TOKEN]))
    logger.addHandler(other)
    try:
        raise NetworkError(f"aiohttp.ClientError: bot{REAL_LOOKING_TOKEN}")
    except NetworkError:
        logger.exception("100%% of %s", "the calls")
    assert "100% of the calls" in out.getvalue() and "100% of the calls" in second.getvalue()
    assert REAL_LOOKING_TOKEN not in out.getvalue() + second.getvalue()


def _settings(**values: Any) -> Settings:
    token = SecretStr(REAL_LOOKING_TOKEN)
    return Settings(_env_file=None, telegram_bot_token=token, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            InvalidToken(f"The token `{REAL_LOOKING_TOKEN}` was rejected by the server."),
            "Start-up error: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): "
            "check the token @BotFather gave you",
        ),
        (
            NetworkError(f"aiohttp.InvalidURL: http://10.0.0.9:8081/bot{REAL_LOOKING_TOKEN}/getMe"),
            "Start-up error: could not reach the Telegram Bot API at 10.0.0.9:8081 "
            "(aiohttp.InvalidURL: http://10.0.0.9:8081/bot[REDACTED]/getMe): "
            "check the network and TELEGRAM_API_BASE_URL",
        ),
        (
            TimedOut(),
            "Start-up error: could not reach the Telegram Bot API at 10.0.0.9:8081 "
            "(Timed out): check the network and TELEGRAM_API_BASE_URL",
        ),
        (
            BadRequest("Bad Request: bad webhook: HTTPS url must be provided for webhook"),
            "Start-up error: Telegram refused a request "
            "(Bad webhook: https url must be provided for webhook): check WEBHOOK_URL",
        ),
        (
            RuntimeError(f"cannot open\nhttps://x.invalid/{REAL_LOOKING_TOKEN}"),
            "Stopped by an unexpected error: RuntimeError: cannot open "
            "https://x.invalid/[REDACTED] (details logged above)",
        ),
    ],
)
def test_startup_failure_is_one_line_that_names_the_setting_and_no_secret(
    error: Exception, line: str
) -> None:
    settings = _settings(telegram_api_base_url="http://10.0.0.9:8081/bot")
    assert startup_failure(error, settings, Redactor([REAL_LOOKING_TOKEN])) == line


def test_unreachable_default_bot_api_names_telegram_not_a_setting() -> None:
    line = startup_failure(NetworkError("Connection reset"), _settings(), Redactor([]))
    assert line == (
        "Start-up error: could not reach the Telegram Bot API at api.telegram.org "
        "(Connection reset): check the network"
    )


# --- the allow-list, for every kind of update ---------------------------------------------------

FRIEND, STRANGER = 4242, 666
REFUSED = "only open to invited users"
GROUP, CHANNEL = -1001234567, -1009876543


@pytest.fixture
async def guarded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[BotHarness]:
    """A running bot open only to FRIEND; no call Telegram would reject, no error handled."""
    caplog.set_level(logging.WARNING)
    url = f"sqlite+aiosqlite:///{tmp_path / 'guarded.sqlite3'}"
    async with (
        bot_harness(url, allowed_user_ids=frozenset({FRIEND})) as started,
        started.running(),
    ):
        yield started
        rejected = [(c.method, c.description) for c in started.stub.rejected_calls]
    assert rejected == [], f"the bot made calls Telegram would reject: {rejected}"
    errors = [r.getMessage() for r in caplog.records if r.name == "handlers.errors"]
    assert errors == [], f"the error handler was reached: {errors}"


def _sessions(harness: BotHarness) -> async_sessionmaker[AsyncSession]:
    assert harness.application is not None
    return harness.application.services.sessions


async def _stored_user(harness: BotHarness, user_id: int) -> User | None:
    async with _sessions(harness)() as session:
        return await session.get(User, user_id)


def _group_message(user: dict[str, Any], chat: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        }
    }


def _every_kind_of_update(user: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Updates the stub has no helper for, from `user` (a Bot API User object)."""
    private = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    group = {"id": GROUP, "type": "supergroup", "title": "Career changers"}
    now = int(time.time())
    return {
        "edited message": {
            "edited_message": {
                "message_id": 1,
                "date": now - 60,
                "edit_date": now,
                "chat": private,
                "from": user,
                "text": "Applied to Stripe yesterday",
            }
        },
        "inline query": {
            "inline_query": {"id": f"iq{user['id']}", "from": user, "query": "why", "offset": ""}
        },
        "chosen inline result": {
            "chosen_inline_result": {"result_id": "1", "from": user, "query": "why"}
        },
        "pre-checkout query": {
            "pre_checkout_query": {
                "id": f"pc{user['id']}",
                "from": user,
                "currency": "EUR",
                "total_amount": 500,
                "invoice_payload": "coaching",
            }
        },
        "shipping query": {
            "shipping_query": {
                "id": f"sq{user['id']}",
                "from": user,
                "invoice_payload": "coaching",
                "shipping_address": {
                    "country_code": "FR",
                    "state": "",
                    "city": "Paris",
                    "street_line1": "1 rue de Rivoli",
                    "street_line2": "",
                    "post_code": "75001",
                },
            }
        },
        "poll answer": {
            "poll_answer": {
                "poll_id": "p1",
                "user": user,
                "option_ids": [0],
                "option_persistent_ids": ["a"],
            }
        },
        "bot blocked": {
            "my_chat_member": {
                "chat": private,
                "from": user,
                "date": now,
                "old_chat_member": {"status": "member", "user": _BOT},
                "new_chat_member": {"status": "kicked", "user": _BOT, "until_date": 0},
            }
        },
        "bot added to a group": {
            "my_chat_member": {
                "chat": group,
                "from": user,
                "date": now,
                "old_chat_member": {"status": "left", "user": _BOT},
                "new_chat_member": {"status": "member", "user": _BOT},
            }
        },
        "group command": _group_message(user, group, "/start"),
        "group text": {
            "message": {
                "message_id": 2,
                "date": now,
                "chat": group,
                "from": user,
                "text": "Applied to Stripe yesterday",
            }
        },
        "channel post": {
            "channel_post": {
                "message_id": 3,
                "date": now,
                "chat": {"id": CHANNEL, "type": "channel", "title": "Jobs"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            }
        },
        "edited channel post": {
            "edited_channel_post": {
                "message_id": 3,
                "date": now - 60,
                "edit_date": now,
                "chat": {"id": CHANNEL, "type": "channel", "title": "Jobs"},
                "text": "/help",
            }
        },
        "chat join request": {
            "chat_join_request": {
                "chat": group,
                "from": user,
                "user_chat_id": user["id"],
                "date": now,
            }
        },
    }


_BOT = {"id": 7000000001, "is_bot": True, "first_name": "Career Change Coach"}


def _calls_about(calls: list[ApiCall], *chat_ids: int) -> list[ApiCall]:
    return [c for c in calls if c.params.get("chat_id") in chat_ids]


async def test_strangers_get_at_most_a_refusal_for_every_kind_of_update(
    guarded: BotHarness,
) -> None:
    stub = guarded.stub
    stranger = guarded.user("Stranger", user_id=STRANGER)
    user = stub.user(STRANGER).to_user_dict()
    start = len(stub.calls)
    await stranger.send("/start")
    refusal = await stranger.expect(REFUSED)
    await stranger.send("/apps")
    await stranger.expect(REFUSED)
    await stranger.send("Applied to Stripe yesterday")
    await stranger.expect(REFUSED)
    await stranger.share_location(48.85, 2.35)
    await stranger.expect(REFUSED)
    await stranger.send_sticker()
    await stranger.expect(REFUSED)
    stranger.cursor = len(stub.calls)
    stub.send_photo(STRANGER, caption="my CV")
    await stranger.expect(REFUSED)
    stranger.cursor = len(stub.calls)
    stub.send_document(STRANGER, "cv.pdf", b"%PDF-1.4", "application/pdf")
    await stranger.expect(REFUSED)
    for forged in ("tz:yes", "ap:o:1:0", "bd:acc:1", "privacy:yes:0123abcd", "q:why:done"):
        await stranger.press_data(refusal.message_id, forged)
        await stranger.expect_alert(REFUSED)
    for update in _every_kind_of_update(user).values():
        stub.inject_raw(update)
    await stranger.settle()
    sent = stub.calls[start:]
    # Only refusals: a message to the stranger's own chat or a notice on their press.
    for call in sent:
        if call.method in {"getUpdates", "answerCallbackQuery"}:
            continue
        assert call.method == "sendMessage", call
        assert call.params["chat_id"] == STRANGER
        assert call.params["text"] == texts.NOT_ALLOWED
    alerts = [c for c in sent if c.method == "answerCallbackQuery"]
    assert [c.params.get("text") for c in alerts] == [texts.NOT_ALLOWED] * 5
    assert _calls_about(sent, GROUP, CHANNEL) == []
    assert await _stored_user(guarded, STRANGER) is None  # nothing stored about them


async def test_invited_users_are_served_but_never_in_groups_or_channels(
    guarded: BotHarness,
) -> None:
    stub = guarded.stub
    friend = guarded.user("Friend", user_id=FRIEND)
    user = stub.user(FRIEND).to_user_dict()
    start = len(stub.calls)
    updates = _every_kind_of_update(user)
    for name in ("group command", "group text", "bot added to a group", "chat join request"):
        stub.inject_raw(updates[name])
    stub.inject_raw(updates["channel post"])
    await friend.settle()
    assert _calls_about(stub.calls[start:], GROUP, CHANNEL) == []  # private chats only
    assert await _stored_user(guarded, FRIEND) is None  # nor is anyone stored from there
    await friend.send("/start")
    await friend.expect("where are you")
    await friend.share_location(48.85, 2.35)
    await friend.expect("Europe/Paris")
    await friend.press("Yes")
    await friend.expect("saved")
    await friend.send_sticker()
    await friend.expect("I can only read text")
    assert await _stored_user(guarded, FRIEND) is not None


# --- buttons act only on the presser's own objects ----------------------------------------------

APPS_NOT_YOURS = "isn't in your list"  # /apps and the application card
LOG_NOT_YOURS = "isn't in your log"  # follow-ups, interview reminders, reflections
BUDDY_NOT_YOURS = "isn't for you"
STALE = "belongs to an earlier message"  # a milestone that is not the presser's


async def _rows_about(harness: BotHarness, user_id: int) -> list[str]:
    """Every row that names the user, outside what PTB and the update journal keep."""
    async with _sessions(harness)() as session:
        rows = await rows_mentioning(session, user_id)
    return sorted(row for row in rows if not row.startswith(("ptb_", "inbound_updates")))


async def _ids(harness: BotHarness, user_id: int) -> dict[str, int]:
    """The ids of the seeded objects the forged buttons name."""
    async with _sessions(harness)() as session:
        applications = {
            a.company: a.id
            for a in await ApplicationRepository(session).all_for_user(user_id=user_id)
        }
        milestone = await session.scalar(
            select(Milestone.id).where(Milestone.user_id == user_id).order_by(Milestone.id)
        )
        link = await session.scalar(select(BuddyLink.id).where(BuddyLink.user_id == user_id))
    assert milestone is not None and link is not None
    return {
        "interview": applications["Acme"],
        "applied": applications["Café Société"],
        "rejected": applications["Globex"],
        "milestone": milestone,
        "link": link,
    }


async def _move_link(harness: BotHarness, link_id: int, state: str, buddy_id: int) -> None:
    """Walk the link forward to `state` the way the two people would."""
    now = harness.clock.now
    async with _sessions(harness).begin() as session:
        links = BuddyRepository(session)
        link = await links.get(link_id)
        assert link is not None
        order = [BuddyState.INVITED, BuddyState.OFFERED, BuddyState.ACCEPTED, BuddyState.ACTIVE]
        for step in order[order.index(link.state) + 1 : order.index(state) + 1]:
            if step == BuddyState.OFFERED:
                assert await links.open_invite(link_id, buddy_id=buddy_id, now=now)
            elif step == BuddyState.ACCEPTED:
                assert await links.accept(link_id)
            else:
                next_week = now + timedelta(days=7)
                assert await links.confirm(link_id, next_summary_at=next_week, now=now)


def _button_starting(harness: BotHarness, user: ChatUser, prefix: str) -> str:
    for message in reversed(harness.stub.messages(user.user_id)):
        for row in message.inline_keyboard:
            for button in row:
                if str(button.get("callback_data", "")).startswith(prefix):
                    return str(button["callback_data"])
    raise AssertionError(f"no {prefix!r} button in {user.first_name}'s chat")


async def test_forged_buttons_never_act_on_another_users_objects(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada")
    await seed_every_table(_sessions(harness), ada.user_id, now=harness.clock.now, ptb_rows=False)
    ids = await _ids(harness, ada.user_id)
    cleo = harness.user("Cleo")  # Ada's buddy, once the link is opened
    async with _sessions(harness).begin() as session:
        await UserRepository(session).ensure(user_id=cleo.user_id, first_name="Cleo")
    await ada.send("/delete_me")  # a pending "really delete?" whose data Bob copies
    await ada.expect("Delete everything")
    delete_yes = _button_starting(harness, ada, "privacy:yes:")
    bob = await harness.onboard("Bob")
    await bob.send("Applied to Initech yesterday")  # Bob's own card, waiting for Save
    await bob.expect("New application", "Initech")
    card = _button_starting(harness, bob, "ac:").split(":")[1]
    await bob.send("/help")
    bobs_message = (await bob.expect("Here's what I can do")).message_id  # pressed on
    await harness.dispatch()  # what the seeded prompts owe is sent now, not mid-test
    await ada.settle()
    before = await _rows_about(harness, ada.user_id)
    week = "2026-W47"
    past_day = (harness.clock.now - timedelta(days=14)).date().isoformat()
    app, applied, rejected = ids["interview"], ids["applied"], ids["rejected"]
    link, milestone = ids["link"], ids["milestone"]
    # (what it is, Ada's callback data, the state her buddy link must be in, what Bob is told:
    # a notice, or None when the button can only ever act on the presser's own things)
    table: list[tuple[str, str, str | None, str | None]] = [
        ("open an application", f"ap:o:{app}:0", None, APPS_NOT_YOURS),
        ("pick a stage", f"ap:s:{app}:0", None, APPS_NOT_YOURS),
        ("set a stage", f"ap:S:{app}:0:rejected", None, APPS_NOT_YOURS),
        ("set an interview", f"ap:S:{app}:0:interview", None, APPS_NOT_YOURS),
        ("interview day", f"ap:T:{app}:0:interview:1", None, APPS_NOT_YOURS),
        ("add a note", f"ap:n:{app}:0", None, APPS_NOT_YOURS),
        ("add a contact", f"ap:K:{app}:0:r", None, APPS_NOT_YOURS),
        ("ask to delete", f"ap:d:{app}:0", None, APPS_NOT_YOURS),
        ("delete", f"ap:D:{app}:0", None, APPS_NOT_YOURS),
        ("card: it is this application", f"ac:{card}:pk:{app}", None, APPS_NOT_YOURS),
        ("tick a milestone", f"ms:done:{milestone}", None, STALE),
        ("follow-up done", f"fu:done:{applied}:1", None, LOG_NOT_YOURS),
        ("follow-up snooze", f"fu:snooze:{applied}:1", None, LOG_NOT_YOURS),
        ("mark no answer", f"fu:noans:{applied}", None, LOG_NOT_YOURS),
        ("ready for the interview", f"iv:ready:{app}", None, LOG_NOT_YOURS),
        ("reflect on a rejection", f"rf:go:{rejected}", None, LOG_NOT_YOURS),
        ("reflection: not now", f"rf:later:{rejected}", None, LOG_NOT_YOURS),
        ("reflection: no more", f"rf:ok:{rejected}", None, LOG_NOT_YOURS),
        ("buddy: new link", f"bd:new:{link}", BuddyState.INVITED, BUDDY_NOT_YOURS),
        ("buddy: cancel invite", f"bd:cx:{link}", BuddyState.INVITED, BUDDY_NOT_YOURS),
        ("buddy: accept", f"bd:acc:{link}", BuddyState.OFFERED, BUDDY_NOT_YOURS),
        ("buddy: decline", f"bd:dec:{link}", BuddyState.OFFERED, BUDDY_NOT_YOURS),
        ("buddy: share toggle", f"bd:tg:{link}:streak", BuddyState.ACCEPTED, BUDDY_NOT_YOURS),
        ("buddy: start sharing", f"bd:go:{link}", BuddyState.ACCEPTED, BUDDY_NOT_YOURS),
        ("buddy: not with them", f"bd:no:{link}", BuddyState.ACCEPTED, BUDDY_NOT_YOURS),
        ("buddy: share settings", f"bd:set:{link}", BuddyState.ACTIVE, BUDDY_NOT_YOURS),
        ("buddy: save sharing", f"bd:sv:{link}", BuddyState.ACTIVE, BUDDY_NOT_YOURS),
        ("buddy: end", f"bd:end:{link}", BuddyState.ACTIVE, BUDDY_NOT_YOURS),
        ("buddy: end, yes", f"bd:endy:{link}", BuddyState.ACTIVE, BUDDY_NOT_YOURS),
        ("buddy: end, no", f"bd:endn:{link}", BuddyState.ACTIVE, BUDDY_NOT_YOURS),
        ("buddy: encourage", f"bd:enc:{link}", BuddyState.ACTIVE, BUDDY_NOT_YOURS),
        # No object id: these act on the presser's own week, roles, prompts and data.
        ("delete everything", delete_yes, None, "expired"),
        ("move the rest of a week", f"ms:carry:{past_day}", None, None),
        ("team role activated", "tm:done:mentor", None, None),
        ("check-in later", f"ci:later:{week}", None, None),
        ("skip a check-in week", f"ci:skip:{week}", None, None),
        ("retrospective not now", f"rt:no:{past_day}", None, None),
        ("reflections page", "rfl:page:0", None, None),
        ("open a check-in", f"ci:go:{week}", None, None),
    ]
    start = len(harness.stub.calls)
    for kind, data, link_state, notice in table:
        if link_state is not None:
            await _move_link(harness, link, link_state, cleo.user_id)
            before = await _rows_about(harness, ada.user_id)
        await bob.press_data(bobs_message, data)
        if notice is not None:
            await bob.expect_alert(notice)
        await bob.settle()
        assert await _rows_about(harness, ada.user_id) == before, f"{kind} changed Ada's data"
    told_bob = " ".join(
        str(c.params.get("text", "")) for c in _calls_about(harness.stub.calls[start:], bob.user_id)
    )
    for adas in ("Acme", "Globex", "Café", "Ada", "User "):
        assert adas not in told_bob
    assert _calls_about(harness.stub.calls[start:], ada.user_id, cleo.user_id) == []
    await bob.send("/cancel")  # out of the check-in the last button opened
    await bob.press("Save")  # and Bob's own card still works
    await bob.expect("Saved", "Initech")


# --- user text is echoed as text, never as HTML -------------------------------------------------


def evil(field: str) -> str:
    """What a user might type: tags (one closing a tag the bot's own template opened), an
    ampersand, and an entity that must stay the five characters typed."""
    return f"{field} <b>x</b> & <script> </i> &amp; ok"


async def test_html_in_why_target_team_and_pitch_answers_is_shown_as_typed(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await ada.send("/why")
    await ada.expect("pushing you away")
    await ada.press("Something else")
    await ada.press("Done")
    await ada.expect("what else is pushing you away")
    await ada.send(evil("push"))
    await ada.expect("pulls")
    await ada.send(evil("pull"))
    await ada.expect("Would you still want to leave?")
    await ada.press("still leave")
    await ada.expect("day-to-day")
    await ada.press("not much yet")
    await ada.expect("Why does that matter to you?")
    await ada.send(evil("deeper"))
    await ada.expect(evil("deeper"), "why does that matter?")
    await ada.send("/skip")
    await ada.expect("One last round")
    await ada.send("/skip")
    await ada.expect("your why in one sentence", evil("pull"))
    await ada.send(evil("statement"))
    await ada.expect("Your why is saved", evil("statement"))
    await ada.send("/why")
    await ada.expect("Your why", evil("push"), evil("pull"), evil("deeper"), evil("statement"))

    await ada.send("/cancel")  # leave the review
    await ada.settle()
    await ada.send("/target")
    await ada.expect("job title")
    await ada.send(evil("title"))
    await ada.expect("Which sector")
    await ada.send(evil("sector"))
    await ada.expect("typical day in this job")
    await ada.send(evil("day"))
    await ada.expect("How sure")
    await ada.press("2")
    await ada.expect("this month")
    await ada.send(evil("test"))
    await ada.expect("By when")
    await ada.press("In two weeks")
    await ada.expect("Target saved", evil("title"), evil("test"))
    await ada.send("/target")
    await ada.expect(evil("title"), evil("sector"), evil("day"), evil("test"))
    await ada.send("/cancel")
    await ada.settle()

    await ada.send("/team")
    await ada.expect("Don't change career alone")
    await ada.send(evil("who"))
    await ada.expect(f"involve {evil('who')}")
    await ada.send(evil("how"))
    for next_role in ("mentor", "review your CV", "connector", "accountability partner"):
        await ada.expect(next_role)
        await ada.press("Nobody yet")
    await ada.expect("Your support team is saved", evil("who"), evil("how"))

    await ada.send("/pitch")
    await ada.expect("position you like a product")
    await ada.send(evil("employer"))
    await ada.expect("What problem do you solve")
    await ada.send(evil("problem"))
    await ada.expect("What proof")
    await ada.send(evil("proof"))
    await ada.expect("Here's your pitch", evil("employer"), evil("problem"), evil("proof"))
    await ada.send(evil("pitch"))
    await ada.expect("Your pitch is saved", evil("pitch"))
    await ada.send("/progress")
    await ada.settle()


async def test_html_in_checkin_application_and_reflection_answers_is_shown_as_typed(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    async with _sessions(harness).begin() as session:
        journey = JourneyRepository(session)
        for step, key, value in (
            ("why", "statement", evil("why")),  # quoted when confidence is low
            ("team", "emotional_who", evil("friend")),  # asked about at the check-in
        ):
            await journey.save(
                user_id=ada.user_id, step=step, key=key, value=value, now=harness.clock.now
            )
    await ada.send("/checkin")
    await ada.expect("1/5", "What did you do")
    await ada.send(evil("did"))
    await ada.expect("2/5")
    await ada.send(evil("obstacle"))
    await ada.expect("3/5")
    await ada.send(evil("went well"))
    await ada.expect("4/5")
    await ada.send(evil("commitment"))
    await ada.expect("5/5", "How confident")
    await ada.press("1")
    await ada.expect("Check-in saved")
    after = "\n".join(reply.text for reply in [*ada.seen[-1:], *await ada.settle()])
    for fragment in ("Low weeks are part of every change", evil("why"), evil("commitment")):
        assert fragment in after
    assert evil("friend") in after

    await ada.send("/applied")
    await ada.expect("Which company")
    await ada.send(evil("company"))
    await ada.expect("What's the role")
    await ada.send(evil("role"))
    await ada.expect("Where does it stand?")
    await ada.press("Applied")
    await ada.expect("When?")
    await ada.press("Yesterday")
    await ada.expect("New application", evil("company"), evil("role"))
    await ada.press("Save")
    await ada.expect("Saved", evil("company"), evil("role"))
    await ada.send("/apps")
    await ada.expect(evil("company"))
    await ada.press("1.")
    await ada.expect(evil("company"), evil("role"), "Stages")
    await ada.press("Add a note")
    await ada.expect("What would you like to note about", evil("company"), evil("role"))
    await ada.send(evil("note"))
    await ada.expect("Note saved", evil("note"))
    await ada.press("Add a contact")
    await ada.press("Recruiter")
    await ada.expect("recruiter's name")
    await ada.send(evil("contact"))
    await ada.expect(f"how can you reach {evil('contact')}")
    await ada.send(evil("reach"))
    await ada.expect("Contact saved", f"{evil('contact')} (recruiter): {evil('reach')}")
    await ada.press("Change status")
    await ada.press("Rejected")
    await ada.settle()

    await ada.send("/reflections")
    await ada.expect(f"Not reflected on yet: {evil('company')}")
    await ada.press("Reflect on")
    await ada.expect("1/5", f"Reflecting on {evil('company')}")
    await ada.press("No call-back")
    await ada.expect("2/5", "What feedback came")
    await ada.send(evil("feedback"))
    await ada.expect("3/5", "What went well")
    await ada.send(evil("strength"))
    await ada.expect("4/5", "differently")
    await ada.send(evil("change"))
    await ada.expect("5/5", "What will you do next?")
    await ada.press("Keep going")
    await ada.expect("Thank you, Ada")
    await ada.send("/reflections")
    await ada.expect(evil("company"), evil("feedback"), evil("strength"), evil("change"))
