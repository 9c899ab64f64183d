"""/start, as a new user experiences it: welcome, then the time zone three ways."""

from __future__ import annotations

from tests.e2e.conftest import load_user
from tests.harness import BotHarness


async def test_start_by_city_saves_zone_after_confirming_local_time(harness: BotHarness) -> None:
    ada = harness.user("Ada")
    await ada.send("/start")
    welcome = await ada.expect("Hi Ada", "Career Change Coach", "where are you")
    assert "📍 Share my location" in welcome.buttons
    await ada.send("Paris")
    await ada.expect("Paris (Europe/Paris)", "13:00", "Is that right?")  # clock: 12:00 UTC
    await ada.press("Yes")
    await ada.expect("time zone is saved", "Monday at 09:00")
    assert (await load_user(harness, ada.user_id)).timezone == "Europe/Paris"


async def test_start_by_shared_location_finds_the_zone_there(harness: BotHarness) -> None:
    bo = harness.user("Bo")
    await bo.send("/start")
    await bo.expect("where are you")
    await bo.share_location(40.7128, -74.0060)
    await bo.expect("America/New_York", "07:00")
    await bo.press("Yes")
    await bo.expect("saved")
    assert (await load_user(harness, bo.user_id)).timezone == "America/New_York"


async def test_start_by_utc_offset_uses_a_fixed_offset(harness: BotHarness) -> None:
    cy = harness.user("Cy")
    await cy.send("/start")
    await cy.expect("where are you")
    await cy.send("+5:30")
    await cy.expect("UTC+05:30", "17:30")
    await cy.press("Yes")
    await cy.expect("saved")
    assert (await load_user(harness, cy.user_id)).timezone == "UTC+05:30"


async def test_unknown_city_gets_a_retry_hint_and_the_next_answer_works(
    harness: BotHarness,
) -> None:
    di = harness.user("Di")
    await di.send("/start")
    await di.expect("where are you")
    await di.send("Atlantis Undersea")
    await di.expect("couldn't find", "Atlantis Undersea", "larger city")
    await di.send("Lisbon")
    await di.expect("Europe/Lisbon", "Is that right?")


async def test_unparsable_offset_is_explained_not_guessed(harness: BotHarness) -> None:
    ed = harness.user("Ed")
    await ed.send("/start")
    await ed.expect("where are you")
    await ed.send("UTC+25")
    await ed.expect("couldn't find", "UTC+25")


async def test_saying_no_to_the_confirmation_asks_again(harness: BotHarness) -> None:
    fa = harness.user("Fa")
    await fa.send("/start")
    await fa.expect("where are you")
    await fa.send("Sydney")
    await fa.expect("Australia/Sydney")
    await fa.press("No, let me fix it")
    await fa.expect("where are you")
    await fa.send("Melbourne")
    await fa.expect("Australia/Melbourne")
    await fa.press("Yes")
    await fa.expect("saved")
    assert (await load_user(harness, fa.user_id)).timezone == "Australia/Melbourne"


async def test_typing_another_city_instead_of_answering_no_is_understood(
    harness: BotHarness,
) -> None:
    gu = harness.user("Gu")
    await gu.send("/start")
    await gu.expect("where are you")
    await gu.send("London")
    await gu.expect("Europe/London")
    await gu.send("Dublin")
    await gu.expect("Europe/Dublin")
    await gu.press("Yes")
    await gu.expect("saved")
    assert (await load_user(harness, gu.user_id)).timezone == "Europe/Dublin"


async def test_returning_user_is_welcomed_back_and_can_keep_the_zone(harness: BotHarness) -> None:
    ha = harness.user("Ha")
    await ha.send("/start")
    await ha.expect("where are you")
    await ha.send("Berlin")
    await ha.expect("Europe/Berlin")
    await ha.press("Yes")
    await ha.expect("saved")
    await ha.send("/start")
    await ha.expect("Welcome back, Ha", "Europe/Berlin")
    await ha.press("Keep it")
    await ha.expect("→ 👍 Keep it")
    await ha.send("/start")
    await ha.expect("Welcome back")
    await ha.press("Change time zone")
    await ha.expect("where are you")
    await ha.send("Madrid")
    await ha.expect("Europe/Madrid")


async def test_name_with_html_and_emoji_is_escaped_in_the_welcome(harness: BotHarness) -> None:
    odd = harness.user("<b>Zoë</b> & 🚀")
    await odd.send("/start")
    await odd.expect("Hi <b>Zoë</b> & 🚀!")
